package demo

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/leadpoet/leadpoet/schemas"
)

// thirdPartyHosts are sites that profiles link to but that are not the company's own:
// job boards and applicant tracking systems, social networks, code hosts, document and
// form hosts, link shorteners and mail providers. A host matches when it is one of
// these or a subdomain of one.
var thirdPartyHosts = []string{
	// applicant tracking systems and job boards
	"greenhouse.io", "lever.co", "workable.com", "ashbyhq.com", "breezy.hr", "bamboohr.com",
	"smartrecruiters.com", "myworkdayjobs.com", "myworkdaysite.com", "workday.com", "recruitee.com",
	"personio.de", "personio.com", "teamtailor.com", "jobvite.com", "icims.com", "applytojob.com",
	"jazzhr.com", "recruiterbox.com", "homerun.co", "gupy.io", "testgorilla.com", "workatastartup.com",
	"angel.co", "wellfound.com", "weworkremotely.com", "remoteok.io", "remoteok.com", "remote.co",
	"glassdoor.com", "indeed.com", "stackoverflow.com", "stackexchange.com", "hired.com",
	"join.com", "jobs.ashbyhq.com", "pinpointhq.com", "comeet.co", "comeet.com", "freshteam.com",
	"zohorecruit.com", "rippling-ats.com", "rippling.com", "dover.com", "dover.io", "polymer.co",
	"keka.com", "welcometothejungle.com", "otta.com", "crunchbase.com", "ycombinator.com",
	"builtin.com", "hackerrank.com", "hackernews.com", "news.ycombinator.com", "catsone.com",
	"jobscore.com", "paylocity.com", "adp.com", "ultipro.com", "successfactors.com", "taleo.net",
	"eightfold.ai", "recruitcrm.io", "manatal.com", "hiringthing.com", "hirehive.io", "hirehive.com",
	"workablemail.com", "enlizt.me", "kenoby.com", "solides.com", "jooble.org", "weloveremotejobs.com",
	"remotive.com", "remotive.io", "justremote.co", "workingnomads.com", "podio.com",
	// social networks, video, blogs
	"linkedin.com", "twitter.com", "x.com", "facebook.com", "instagram.com", "youtube.com",
	"youtu.be", "vimeo.com", "medium.com", "substack.com", "tumblr.com", "reddit.com",
	"meetup.com", "glitch.me", "dev.to", "wikipedia.org", "wikimedia.org",
	// code hosts and package registries
	"github.com", "github.io", "githubusercontent.com", "gitlab.io", "bitbucket.org",
	"sourceforge.net", "npmjs.com", "stackshare.io", "codepen.io",
	// documents, forms, sites and link shorteners
	"google.com", "goo.gl", "forms.gle", "bit.ly", "notion.site", "notion.so", "typeform.com",
	"airtable.com", "trello.com", "dropbox.com", "docsend.com", "canva.site", "carrd.co",
	"webflow.io", "wixsite.com", "squarespace.com", "herokuapp.com", "netlify.app", "vercel.app",
	"calendly.com", "zoom.us", "slack.com", "discord.gg", "discord.com", "tinyurl.com",
	"un.org", "w3.org", "archive.org", "bing.com", "openstreetmap.org",
	// mail providers
	"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com",
	"protonmail.com", "proton.me", "mail.com", "zoho.com", "aol.com", "live.com",
}

func isThirdParty(host string) bool {
	for _, tp := range thirdPartyHosts {
		if host == tp || strings.HasSuffix(host, "."+tp) {
			return true
		}
	}
	return false
}

// secondLevelLabels are the labels under a two-letter country code that are public
// suffixes in practice ("co.uk", "com.br", "gov.au").
var secondLevelLabels = map[string]bool{
	"co": true, "com": true, "org": true, "net": true, "gov": true, "ac": true, "edu": true,
	"ltd": true, "plc": true, "gob": true, "or": true, "ne": true, "go": true, "nic": true,
	"coop": true, "info": true, "biz": true, "eng": true, "ind": true, "nom": true,
}

// registrable reduces a normalised host to the name a company registers:
// "careers.acme.co.uk" → "acme.co.uk", "about.gitlab.com" → "gitlab.com".
func registrable(host string) string {
	labels := strings.Split(host, ".")
	keep := 2
	if n := len(labels); n >= 3 && len(labels[n-1]) == 2 && secondLevelLabels[labels[n-2]] {
		keep = 3
	}
	if len(labels) <= keep {
		return host
	}
	return strings.Join(labels[len(labels)-keep:], ".")
}

// mainLabel is the registered label of a domain: "acme" for "acme.co.uk".
func mainLabel(domain string) string {
	labels := strings.Split(domain, ".")
	if len(labels) >= 3 && len(labels[len(labels)-1]) == 2 && secondLevelLabels[labels[len(labels)-2]] {
		return labels[len(labels)-3]
	}
	if len(labels) >= 2 {
		return labels[len(labels)-2]
	}
	return domain
}

var (
	// linkWithText is a Markdown link; group 1 is its text, group 2 its target.
	linkWithText = regexp.MustCompile(`\[([^\]]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)`)
	// urlLike is a URL with a scheme, or a bare "www." host.
	urlLike = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>()\[\]"'*|,;]+`)
	// emailLike is an e-mail address; group 1 is its host.
	emailLike  = regexp.MustCompile(`(?i)\b[a-z0-9._%+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)`)
	careerPath = regexp.MustCompile(`(?i)career|jobs?\b|join|hiring|work-with-us|workwithus|vacanc|opening|positions|apply`)
	nonAlnum   = regexp.MustCompile(`[^a-z0-9]+`)
)

// mentionKind is how a profile mentions a host.
type mentionKind int

const (
	mentionURL mentionKind = iota
	mentionEmail
	mentionBareHost
	mentionTitle
)

// minDomainScore is the least evidence a host needs to be taken as the company's own:
// more than a bare link in, say, the technologies section.
const minDomainScore = 5

// bareHosts returns the host names that s mentions without a scheme, such as
// "komoot.com" in "komoot.com/jobs".
func bareHosts(s string) []string {
	var out []string
	words := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ')' || r == ':' })
	for _, w := range words {
		host, _, _ := strings.Cut(w, "/")
		host = strings.TrimRight(host, ".,;!?")
		i := strings.LastIndexByte(host, '.')
		if i <= 0 || !bareHostTLDs[strings.ToLower(host[i+1:])] || strings.ContainsFunc(host, notHostRune) {
			continue
		}
		out = append(out, host)
	}
	return out
}

func notHostRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.')
}

// bareHostTLDs are the top-level domains a host named without a scheme may have; a
// short list keeps "Node.js" and "e.g." out.
var bareHostTLDs = map[string]bool{
	"com": true, "io": true, "co": true, "net": true, "org": true, "de": true, "dev": true,
	"app": true, "ai": true, "tech": true, "uk": true, "fr": true, "nl": true, "es": true,
	"it": true, "br": true, "ca": true, "au": true, "nz": true, "ch": true, "se": true,
	"pl": true, "in": true, "us": true, "eu": true, "me": true, "sh": true, "is": true,
	"ly": true, "to": true, "cc": true, "xyz": true, "agency": true, "studio": true,
	"digital": true, "software": true, "team": true, "jobs": true, "careers": true,
	"cloud": true, "systems": true, "solutions": true,
}

// domainCandidate is one web host a profile mentions, with the evidence that it is the
// company's own.
type domainCandidate struct {
	domain string
	score  int
	first  int // order of first mention, for ties
}

// profileDomain picks the company's own web domain among the URLs, bare host names and
// e-mail addresses of the file. Third-party hosts are skipped unless the company is that
// site. Evidence, strongest first: the title is the domain; the domain's name matches
// the company name; a link whose text is the company name; a careers or jobs link, or
// any link or address in "How to apply"; a link in the blurb; repeated mentions. A host
// named without a scheme ("Booking.com") counts only with further evidence.
func profileDomain(name string, doc document) string {
	compactName := nonAlnum.ReplaceAllString(strings.ToLower(name), "")
	cands := make(map[string]*domainCandidate)
	order := 0
	add := func(raw, linkText, section string, kind mentionKind) {
		host, err := schemas.NormalizeDomain(raw)
		if err != nil {
			return
		}
		if labels := strings.Split(host, "."); len(labels) >= 3 && labels[len(labels)-1] == labels[len(labels)-2] {
			host = strings.Join(labels[:len(labels)-1], ".") // the typo "acme.com.com"
		}
		domain := registrable(host)
		label := mainLabel(domain)
		nameScore := nameMatch(compactName, label)
		if isThirdParty(host) && nameScore < 100 && !(len(compactName) >= 3 && strings.HasPrefix(label, compactName)) {
			return
		}
		c := cands[domain]
		if c == nil {
			c = &domainCandidate{domain: domain, first: order, score: nameScore}
			cands[domain] = c
			order++
		} else {
			c.score += 3 // repeated mention
		}
		switch kind {
		case mentionTitle:
			c.score += 100
		case mentionURL, mentionEmail:
			c.score += 2
		case mentionBareHost:
			// "Booking.com" in a blurb is as likely a partner as the company itself.
			c.score -= 10
		}
		if lt := nonAlnum.ReplaceAllString(strings.ToLower(linkText), ""); lt != "" && lt == compactName {
			c.score += 40
		}
		switch section {
		case secApply:
			c.score += 10
			if careerPath.MatchString(raw) || kind == mentionEmail {
				c.score += 10
			}
		case secRemote:
			if careerPath.MatchString(raw) {
				c.score += 15
			}
		case secBlurb, secSize:
			c.score += 5
		}
	}
	// A title that is itself a domain ("# Palantir.net").
	if hosts := bareHosts(name); len(hosts) == 1 && hosts[0] == strings.TrimSpace(name) {
		add(name, "", "", mentionTitle)
	}
	for _, sec := range doc.order {
		// Links, then URLs outside links, then e-mail addresses, then host names without
		// a scheme ("komoot.com/jobs"): each kind is removed once read, so that no
		// mention counts twice.
		rest := doc.sections[sec]
		if strings.Contains(rest, "](") {
			for _, m := range linkWithText.FindAllStringSubmatch(rest, -1) {
				add(m[2], m[1], sec, mentionURL)
			}
			rest = linkWithText.ReplaceAllString(rest, " ")
		}
		if containsURL(rest) {
			for _, u := range urlLike.FindAllString(rest, -1) {
				add(strings.TrimRight(u, ".:!?"), "", sec, mentionURL)
			}
			rest = urlLike.ReplaceAllString(rest, " ")
		}
		if strings.Contains(rest, "@") {
			for _, m := range emailLike.FindAllStringSubmatch(rest, -1) {
				add(strings.TrimRight(m[1], "."), "", sec, mentionEmail)
			}
			rest = emailLike.ReplaceAllString(rest, " ")
		}
		for _, host := range bareHosts(rest) {
			add(host, "", sec, mentionBareHost)
		}
	}
	var best *domainCandidate
	for _, c := range cands {
		if c.score < minDomainScore {
			continue
		}
		if best == nil || c.score > best.score || c.score == best.score && c.first < best.first {
			best = c
		}
	}
	if best == nil {
		return ""
	}
	return best.domain
}

// containsURL tells whether s may hold a match of urlLike.
func containsURL(s string) bool {
	for _, marker := range []string{"http", "HTTP", "Http", "www.", "WWW.", "Www."} {
		if strings.Contains(s, marker) {
			return true
		}
	}
	return false
}

// nameMatch scores how well a domain label matches a company name, both lower case and
// alphanumeric only: 100 for equal, 60 when one contains the other, 30 for a shared
// prefix of four or more characters, else 0.
func nameMatch(name, label string) int {
	label = nonAlnum.ReplaceAllString(label, "")
	switch {
	case name == "" || label == "":
		return 0
	case name == label:
		return 100
	case len(label) >= 3 && strings.Contains(name, label), len(name) >= 3 && strings.Contains(label, name):
		return 60
	}
	n := 0
	for n < len(name) && n < len(label) && name[n] == label[n] {
		n++
	}
	if n >= 4 {
		return 30
	}
	return 0
}
