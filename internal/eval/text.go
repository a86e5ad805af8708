package eval

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text of a world's signals comes from the templates below. Slots: {company},
// {domain}, {title}, {team}, {phrase} (a name of the category), {vendor} and {alt}
// (two vendors of it), {stack} (technologies the company runs), {topic}.
//
// Each template list has a standard and a heldout variant (indexed by Vocabulary),
// so that a model tuned on standard worlds meets other sentences in heldout ones.

// texts are the templates of one vocabulary, built once per world.
type texts struct {
	intentJobs       []string   // job posts that fund a purchase and name the category
	intentJobVendors []string   // the same, naming only vendors
	titleSuffixes    []string   // make a job title of a category's name: "Help Desk Implementation Lead"
	closings         []string   // end some job posts of every kind
	intentPages      []sitePage // pages about a purchase, naming the category
	intentVendorPage []sitePage // the same, naming only vendors
	steadyPages      []sitePage // how a company uses what it has: interest, not buying
	skillDecoys      []string   // posts for people who use a product the company is happy with
	noisePosts       []noisePost
	noisePages       []sitePage
	noiseTopics      []string
	intentActions    []weighted // research actions of in-market companies: toward pricing, demos, comparisons
	steadyActions    []weighted // of a long-running interest: toward reading
	noiseActions     []weighted // of background noise: mostly page views
}

// sitePage is a page template: its URL path, title and text.
type sitePage struct{ path, title, text string }

// noisePost is a job post that says nothing about buying anything.
type noisePost struct {
	title     string
	sentences []string
}

// newTexts returns the templates of vocabulary v.
func newTexts(v Vocabulary) texts {
	t := texts{
		closings: []string{
			"This is a full-time, remote-friendly position.",
			"We offer a learning budget, flexible hours and a yearly team retreat.",
			"We hire for curiosity and kindness as much as for experience.",
			"Salary bands are published on our careers page.",
		},
		noisePosts: []noisePost{
			{"Senior Backend Engineer", []string{"You will design and build the APIs and services behind our product using {stack}.", "You care about clean code, tests and code review."}},
			{"Frontend Engineer", []string{"You will build fast, accessible user interfaces with {stack}.", "You will work closely with design and product on every feature you ship."}},
			{"Full Stack Engineer", []string{"You will ship features end to end across our stack: {stack}.", "We deploy many times a day and value small, well-tested changes."}},
			{"Mobile Engineer", []string{"You will build and ship our iOS and Android apps.", "Our backend is built with {stack}."}},
			{"Engineering Manager", []string{"You will lead a team of six engineers working with {stack}.", "You will hire, coach and help the team plan and deliver."}},
			{"Product Designer", []string{"You will own the design of core product flows, from research to polished UI.", "You will work in Figma with product managers and engineers."}},
			{"Product Manager", []string{"You will own the roadmap of one product area and talk to customers every week.", "You will write clear specs and measure the outcome of what we ship."}},
			{"Account Executive", []string{"You will run the full sales cycle with mid-market customers, from first call to signed contract.", "You keep your pipeline up to date and forecast accurately."}},
			{"Data Scientist", []string{"You will build models that improve our product and measure their impact with experiments.", "You are fluent in Python and SQL; our stack includes {stack}."}},
			{"QA Engineer", []string{"You will build our automated test suites and own release quality.", "You will test web and API features built with {stack}."}},
			{"Technical Writer", []string{"You will write the developer documentation and guides for our product.", "You can read code in {stack} well enough to explain it."}},
			{"Office Manager", []string{"You will keep our office running smoothly and plan team events.", "You are organised, friendly and good with suppliers."}},
			{"Content Marketing Manager", []string{"You will write articles, case studies and newsletters that our customers love.", "You will grow organic traffic and measure what works."}},
			{"Customer Success Manager", []string{"You will onboard new customers and help them reach their goals with our product.", "You will run business reviews and spot expansion opportunities."}},
		},
		noisePages: []sitePage{
			{"/blog/release-notes", "Release notes", "This month we shipped faster search, a redesigned settings page and dozens of fixes."},
			{"/about/team", "Meet the team", "We are a distributed team across many time zones who care about craft and kindness."},
			{"/customers/story", "Customer story", "How one of our customers cut their turnaround time in half with our product."},
			{"/blog/company-offsite", "Notes from our company offsite", "We spent three days planning the year ahead, hiking and cooking together."},
			{"/careers", "Careers", "Join us: we are hiring across engineering, design and go-to-market."},
			{"/blog/values", "Our values", "Be kind, be curious, ship small and often, and write things down."},
			{"/security", "Security at our company", "We encrypt data at rest and in transit and run regular penetration tests."},
			{"/blog/remote-work", "How we work remotely", "Asynchronous writing, few meetings and a yearly retreat keep our team close."},
			{"/press/funding", "We raised a new round", "The new funding lets us grow the team and expand into new markets."},
			{"/blog/engineering", "Scaling our engineering team", "What we learned while growing from ten to fifty engineers: {stack}."},
		},
		noiseTopics: []string{
			"remote work policies", "OKR templates", "pricing strategy", "hiring engineers", "team offsites",
			"quarterly planning", "customer interviews", "product roadmaps", "leadership coaching",
			"public speaking", "board meeting preparation", "employer branding", "conference schedule",
			"industry report", "sales compensation plans", "onboarding checklists", "content marketing ideas",
			"open source licences", "venture funding news", "market sizing",
		},
		intentActions: []weighted{
			{"pricing_view", 3}, {"comparison_view", 3}, {"demo_request", 2}, {"review_view", 2},
			{"free_trial", 1}, {"search", 1}, {"page_view", 1}, {"webinar", 0.5}, {"content_download", 0.5},
		},
		steadyActions: []weighted{
			{"content_download", 3}, {"webinar", 2}, {"search", 2}, {"page_view", 2}, {"review_view", 1},
		},
		noiseActions: []weighted{
			{"page_view", 14}, {"search", 3}, {"content_download", 2}, {"webinar", 1},
		},
	}
	if v == VocabularyHeldout {
		t.intentJobs = []string{
			"Join {company} as {title}: we are choosing {a_phrase} and you will drive the shortlist, the pilot and the contract.",
			"Our {team} team is standing up {a_phrase} for the first time; you will scope it and pick the vendor.",
			"The {phrase} we use today is being retired. Help us find its successor and roll it out across the company.",
			"You will write the RFP for {a_phrase}, run proofs of concept and bring the winner live before the end of the quarter.",
		}
		t.intentJobVendors = []string{
			"Join {company} as {title}. Our {vendor} contract ends soon and we are trialling {alt} as its successor.",
			"You will decide between {vendor} and {alt} and lead the switch-over for the {team} team.",
			"We are sunsetting {vendor}; you will own the cut-over to {alt} end to end.",
		}
		t.titleSuffixes = []string{"Rollout Owner", "Program Lead", "Transition Manager"}
		t.intentPages = []sitePage{
			{"/engineering/notes-{slug}", "Notes from our {phrase} search",
				"We are in the middle of replacing our {phrase}: demos with {vendor} and {alt}, reference calls, and a decision in a few weeks."},
			{"/vendors/brief-{slug}", "Vendor brief: {phrase}",
				"We are looking for a partner to provide {a_phrase} to our {team} team; write to procurement@{domain}."},
		}
		t.intentVendorPage = []sitePage{{"/blog/{slug}-sunset", "Our {vendor} sunset plan",
			"We will sunset {vendor} this quarter. {alt} is in pilot with the {team} team."}}
		t.steadyPages = []sitePage{{"/handbook/{team-slug}", "{team} handbook",
			"The {team} handbook: how we run our {phrase}, who owns what and where to ask for help."}}
		t.skillDecoys = []string{
			"{company} needs {a_title}. Day to day you will live in {vendor}, which our {team} team has used happily since we started; {vendor} skills are a must.",
			"You will keep our {phrase} tidy in {vendor} and help colleagues get the most out of it.",
			"Nice to have: a {vendor} certification and experience as {a_title} at a growing company.",
		}
		return t
	}
	t.intentJobs = []string{
		"{company} is hiring {a_title} to lead the selection of our next {phrase}.",
		"We have outgrown our current {phrase} and are evaluating {vendor} and {alt}; you will run the pilot and the rollout.",
		"You will own the move to a new {phrase} this quarter, from requirements and vendor demos to training the {team} team.",
		"Budget for a new {phrase} is approved: you will compare vendors such as {vendor} and {alt} and negotiate the contract.",
	}
	t.intentJobVendors = []string{
		"{company} is hiring {a_title}. We are replacing {vendor} and you will run the evaluation of {alt} and others.",
		"You will lead our move from {vendor} to {alt}, including data migration and training for the {team} team.",
		"We are running trials of {vendor} and {alt} this month; you will make the recommendation.",
	}
	t.titleSuffixes = []string{"Implementation Lead", "Project Manager", "Migration Lead"}
	t.intentPages = []sitePage{
		{"/blog/changing-our-{slug}", "Why we are changing our {phrase}",
			"Over the next weeks our {team} team is moving to a new {phrase}. We shortlisted {vendor} and {alt} and will share what we learn."},
		{"/procurement/rfp-{slug}", "Request for proposals: {phrase}",
			"{company} invites vendors to propose {a_phrase} for our {team} team. Proposals are due at the end of the month."},
	}
	t.intentVendorPage = []sitePage{{"/blog/moving-on-from-{slug}", "Moving on from {vendor}",
		"After years on {vendor} we are trialling {alt}. Here is what our {team} team needs next."}}
	t.steadyPages = []sitePage{{"/blog/{team-slug}-playbook", "Our {team} playbook: {phrase}",
		"How our {team} team works with our {phrase}: tips, templates and the reports we reuse every week."}}
	t.skillDecoys = []string{
		"{company} is hiring {a_title} to join the {team} team. You will work in {vendor} every day: experience with {vendor} is required.",
		"Our {phrase} has run on {vendor} for years and it serves us well; as {title} you will be one of its power users.",
		"Requirements: two years as {a_title}, hands-on experience with {vendor}, and clear written English.",
	}
	return t
}

// activityText describes an in-market research action: by action, with the
// category's name or with vendors only.
func activityText(action string, vendorOnly bool) string {
	if vendorOnly {
		switch action {
		case "pricing_view":
			return "{vendor} pricing and plans"
		case "comparison_view":
			return "{vendor} vs {alt}"
		case "demo_request":
			return "Requested a demo of {vendor}"
		case "free_trial":
			return "Started a free trial of {vendor}"
		case "review_view":
			return "{vendor} reviews"
		}
		return "{vendor} overview"
	}
	switch action {
	case "pricing_view":
		return "{phrase} pricing compared"
	case "comparison_view":
		return "{vendor} vs {alt}: choosing {a_phrase}"
	case "demo_request":
		return "Requested a demo: {phrase} from {vendor}"
	case "free_trial":
		return "Free trial of {vendor} {phrase}"
	case "review_view":
		return "Top {phrase} reviews"
	case "webinar":
		return "Webinar: buying {a_phrase}"
	case "content_download":
		return "Buyer's guide to {phrase}"
	}
	return "{phrase} buyer's guide"
}

// weighted is a choice with a weight.
type weighted struct {
	value  string
	weight float64
}

// pickWeighted draws one of choices in proportion to the weights.
func pickWeighted(rng *rand.Rand, choices []weighted) string {
	total := 0.0
	for _, c := range choices {
		total += c.weight
	}
	x := rng.Float64() * total
	for _, c := range choices {
		if x -= c.weight; x < 0 {
			return c.value
		}
	}
	return choices[len(choices)-1].value
}

// pick draws one of items.
func pick(rng *rand.Rand, items []string) string { return items[rng.IntN(len(items))] }

// fill replaces the slots of a template.
type fill map[string]string

func (f fill) apply(template string) string {
	if !strings.Contains(template, "{") {
		return template
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(template, '{')
		if i < 0 {
			b.WriteString(template)
			return b.String()
		}
		j := strings.IndexByte(template[i:], '}')
		if j < 0 {
			b.WriteString(template)
			return b.String()
		}
		b.WriteString(template[:i])
		slot := template[i+1 : i+j]
		if v, ok := f[slot]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(template[i : i+j+1])
		}
		template = template[i+j+1:]
	}
}

// slug turns text into a URL path segment: "Help Scout" → "help-scout".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// titleWords capitalises the first letter of every word and leaves the rest, so
// that acronyms stay: "help desk" → "Help Desk", "CRM" → "CRM".
func titleWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// article is "a" or "an" before a phrase: "an" before a vowel, and before an
// acronym whose first letter is spoken with one ("an HR Generalist", "an XDR").
func article(phrase string) string {
	first, _, _ := strings.Cut(phrase, " ")
	switch {
	case first == "":
		return "a"
	case strings.ContainsRune("AEIOUaeiou", rune(first[0])):
		return "an"
	case len(first) > 1 && strings.ToUpper(first) == first && strings.ContainsRune("FHLMNRSX", rune(first[0])):
		return "an"
	}
	return "a"
}

// joinList writes "a", "a and b" or "a, b and c".
func joinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
