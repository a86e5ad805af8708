package demo

import (
	"regexp"
	"strings"
	"unicode"
)

// maxTechnologies bounds the list taken from one profile.
const maxTechnologies = 40

// plusPlus stands in for "++" while a line is split on "+".
const plusPlus = "\x00pp\x00"

var (
	techSeparators = regexp.MustCompile(`\s*(?:[,;\n•|+]|\band\b|\bor\b|&|[()[\]{}]|\s-\s)\s*`)
	techLabel      = regexp.MustCompile(`^[^:]{1,40}:\s*`)
	techNoise      = regexp.MustCompile(`(?i)^(etc\.?|and more|more|others?|many others?.*|many more.*|the usual.*|n/?a|none|various|misc\.?|\.\.\.|…)$|not specified|to be decided|\btbd\b`)
	// techStopWords start a piece of a sentence rather than a name.
	techStopWords = map[string]bool{
		"a": true, "all": true, "also": true, "an": true, "any": true, "as": true, "but": true,
		"currently": true, "for": true, "in": true, "including": true, "it": true, "its": true,
		"like": true, "lots": true, "main": true, "mainly": true, "many": true, "more": true,
		"most": true, "mostly": true, "of": true, "on": true, "other": true, "others": true,
		"our": true, "plus": true, "so": true, "some": true, "such": true, "that": true,
		"the": true, "these": true, "they": true, "this": true, "those": true, "to": true,
		"ultimately": true, "us": true, "use": true, "using": true, "various": true, "we": true,
		"whatever": true, "with": true, "you": true, "your": true, "e.g": true, "i.e": true,
		"view": true, "see": true, "check": true, "read": true, "visit": true,
	}
	// knownTech are names looked for inside sentences that are not themselves a list
	// item ("We host our code in Git" → "Git"). Names of two letters or fewer, and
	// "Go", must match in exact case.
	knownTech = []string{
		"JavaScript", "TypeScript", "Node.js", "Python", "Ruby on Rails", "Rails", "Ruby", "Go", "Golang",
		"Java", "Kotlin", "Scala", "Clojure", "Elixir", "Erlang", "Haskell", "Rust", "PHP", "Perl",
		"C#", ".NET", "C++", "Swift", "Objective-C", "Dart", "Flutter", "React Native", "React",
		"Angular", "Vue.js", "Vue", "Svelte", "Ember", "Backbone", "jQuery", "Next.js", "Django",
		"Flask", "FastAPI", "Laravel", "Symfony", "Spring Boot", "Spring", "Express", "GraphQL",
		"PostgreSQL", "Postgres", "MySQL", "MariaDB", "MongoDB", "Redis", "Elasticsearch",
		"Cassandra", "DynamoDB", "SQLite", "Snowflake", "BigQuery", "Redshift", "Kafka",
		"RabbitMQ", "Spark", "Hadoop", "Airflow", "dbt", "AWS", "Google Cloud", "GCP", "Azure",
		"Heroku", "DigitalOcean", "Docker", "Kubernetes", "Terraform", "Ansible", "Puppet",
		"Chef", "Jenkins", "CircleCI", "GitHub Actions", "GitLab", "GitHub", "Git", "Linux",
		"Nginx", "Datadog", "Prometheus", "Grafana", "Sentry", "New Relic", "WordPress",
		"Drupal", "Shopify", "Magento", "Salesforce", "HubSpot", "Zendesk", "Intercom", "Jira",
		"Confluence", "Slack", "Figma", "Sketch", "TensorFlow", "PyTorch", "HTML", "CSS", "Sass",
		"SQL", "Electron", "Unity", "iOS", "Android", "Lambda", "Serverless", "Firebase",
	}
)

// parseTechnologies splits the "Company technologies" section into clean names. Lists,
// comma-separated lines and "Backend: Python, Django" lines are all read; a sentence
// contributes the well-known names it mentions.
func parseTechnologies(md string) []string {
	text := plainText(md)
	var out []string
	seen := make(map[string]bool)
	addItem := func(item string) {
		item = strings.TrimLeft(item, " \t:;!?*-_'\"`")
		item = strings.TrimRight(item, " \t.:;!?*-_'\"`")
		item = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(item, " etc"), " etc."))
		if item == "" || techNoise.MatchString(item) || !strings.ContainsFunc(item, unicode.IsLetter) {
			return
		}
		if first, _, _ := strings.Cut(strings.ToLower(item), " "); techStopWords[first] && strings.Contains(item, " ") || techStopWords[strings.ToLower(item)] {
			return // a piece of a sentence: "we use", "other services"
		}
		key := strings.ToLower(item)
		if seen[key] || len(out) >= maxTechnologies {
			return
		}
		seen[key] = true
		out = append(out, item)
	}
	for line := range strings.SplitSeq(text, "\n") {
		line = techLabel.ReplaceAllString(strings.TrimSpace(line), "")
		line = strings.ReplaceAll(line, "++", plusPlus) // keep "C++" whole
		for _, item := range techSeparators.Split(line, -1) {
			item = strings.TrimSpace(strings.ReplaceAll(item, plusPlus, "++"))
			if item == "" {
				continue
			}
			if words := strings.Fields(item); len(words) > 4 || len(item) > 40 ||
				len(words) > 1 && unicode.IsLower([]rune(item)[0]) {
				// A sentence, or a lower-case phrase such as "product team": keep only
				// the well-known names it mentions.
				for _, t := range mentionedTech(item) {
					addItem(t)
				}
				continue
			}
			for _, part := range splitSlash(item) {
				addItem(part)
			}
		}
	}
	return out
}

// splitSlash splits "Kotlin/Java" and "HTML/CSS" but keeps "CI/CD" and "PL/SQL".
func splitSlash(item string) []string {
	parts := strings.Split(item, "/")
	if len(parts) == 1 {
		return parts
	}
	for _, p := range parts {
		if len(strings.TrimSpace(p)) < 3 {
			return []string{item}
		}
	}
	return parts
}

// mentionedTech returns the knownTech names a sentence mentions, in list order, a longer
// name hiding the shorter names it contains ("Ruby on Rails" hides "Ruby" and "Rails").
func mentionedTech(sentence string) []string {
	lower := strings.ToLower(sentence)
	var found []string
	var taken [][2]int
	for _, t := range knownTech {
		exact := len(t) <= 2 || t == "Go"
		hay, needle := lower, strings.ToLower(t)
		if exact {
			hay, needle = sentence, t
		}
		for from := 0; from < len(hay); {
			i := strings.Index(hay[from:], needle)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(needle)
			from = end
			if !wordBoundary(hay, start, end) || overlaps(taken, start, end) {
				continue
			}
			taken = append(taken, [2]int{start, end})
			found = append(found, t)
			break
		}
	}
	return found
}

func wordBoundary(s string, start, end int) bool {
	isWord := func(b byte) bool {
		return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	}
	return (start == 0 || !isWord(s[start-1])) && (end == len(s) || !isWord(s[end]))
}

func overlaps(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if start < s[1] && s[0] < end {
			return true
		}
	}
	return false
}
