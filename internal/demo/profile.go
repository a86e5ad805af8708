package demo

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/schemas"
)

// Profile is what the demo data set takes from one company profile file.
type Profile struct {
	File         string           // file name, e.g. "15five.md"
	Name         string           // company name from the "# Name" title line
	Domain       string           // normalised web domain; empty when the file names none usable
	Employees    *int             // point estimate of the head count; nil when the file gives none
	SizeText     string           // the "Company size" section as plain text
	Technologies []string         // the "Company technologies" section as a list of names
	Location     schemas.Location // best-effort head office, from "Office locations" or "Region"
	Industry     string           // one of Industries, inferred from the blurb
	Description  string           // the "Company blurb" section as plain text
}

// Section names of the profile files, lower case.
const (
	secBlurb        = "company blurb"
	secSize         = "company size"
	secRemote       = "remote status"
	secRegion       = "region"
	secTechnologies = "company technologies"
	secOffices      = "office locations"
	secApply        = "how to apply"
)

// ErrNoTitle is returned by ParseProfile for a file without a "# Name" title line.
var ErrNoTitle = errors.New("profile has no \"# Name\" title line")

// maxDescriptionRunes bounds the description; the longest real blurb is under 2,000.
const maxDescriptionRunes = 4000

// ParseProfile parses one company profile in the Markdown layout of the remoteintech
// company-profiles collection: a "# Name" title line, then "## Company blurb",
// "## Company size", "## Remote status", "## Region", "## Company technologies",
// "## Office locations" and "## How to apply" sections, any of which may be missing.
// name is the file name, used for error messages and kept in Profile.File. A profile
// whose file names no usable domain is returned with an empty Domain and no error.
func ParseProfile(name string, md []byte) (Profile, error) {
	if !utf8.Valid(md) {
		return Profile{}, fmt.Errorf("parse profile %s: not valid UTF-8", name)
	}
	doc := splitSections(string(md))
	if doc.title == "" {
		return Profile{}, fmt.Errorf("parse profile %s: %w", name, ErrNoTitle)
	}
	p := Profile{
		File:        name,
		Name:        companyName(doc.title),
		SizeText:    plainText(doc.sections[secSize]),
		Description: truncateRunes(plainText(doc.sections[secBlurb]), maxDescriptionRunes),
	}
	if p.Name == "" {
		return Profile{}, fmt.Errorf("parse profile %s: %w", name, ErrNoTitle)
	}
	p.Domain = profileDomain(p.Name, doc)
	p.Employees = parseEmployees(p.SizeText)
	p.Technologies = parseTechnologies(doc.sections[secTechnologies])
	p.Location = parseLocation(doc.sections[secOffices], plainText(doc.sections[secRegion]))
	p.Industry = inferIndustry(p.Description)
	return p, nil
}

// document is a profile file cut into its title and level-2 sections.
type document struct {
	title    string
	sections map[string]string // lower-case section name → raw Markdown body
	order    []string          // section names in file order
}

var (
	titleLine   = regexp.MustCompile(`^#[ \t]+(.+)$`)
	sectionLine = regexp.MustCompile(`^##[ \t]*([^#].*)$`)
)

func splitSections(md string) document {
	doc := document{sections: make(map[string]string)}
	md = strings.ReplaceAll(md, "\r\n", "\n")
	var cur string
	var body strings.Builder
	flush := func() {
		if cur != "" {
			if _, seen := doc.sections[cur]; !seen {
				doc.order = append(doc.order, cur)
				doc.sections[cur] = body.String()
			}
		}
		body.Reset()
	}
	for line := range strings.SplitSeq(md, "\n") {
		trimmed := strings.TrimSpace(line)
		if m := sectionLine.FindStringSubmatch(trimmed); m != nil {
			flush()
			cur = strings.ToLower(strings.Join(strings.Fields(m[1]), " "))
			continue
		}
		if cur == "" {
			if m := titleLine.FindStringSubmatch(trimmed); m != nil && doc.title == "" {
				doc.title = strings.TrimSpace(m[1])
			}
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	flush()
	return doc
}

var trailingParen = regexp.MustCompile(`\s*\([^()]*\)\s*$`)

// companyName cleans a title: "Vox Media (Product Team)" → "Vox Media".
func companyName(title string) string {
	n := plainText(title)
	if stripped := trailingParen.ReplaceAllString(n, ""); stripped != "" {
		n = stripped
	}
	return strings.TrimSpace(n)
}

var (
	mdImage       = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink        = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdRefLink     = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	mdRefDef      = regexp.MustCompile(`(?m)^\s*\[[^\]]+\]:\s*\S+.*$`)
	mdFootnote    = regexp.MustCompile(`\[\^?\d+\]`)
	htmlTag       = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
	autoLink      = regexp.MustCompile(`<(https?://[^>\s]+)>`)
	bareURL       = regexp.MustCompile(`https?://[^\s)\]>]+`)
	mdEmphasis    = regexp.MustCompile(`\*\*|__|~~|\x60`)
	mdItalic      = regexp.MustCompile(`(^|[\s(])[*_]([^*_\n]+)[*_]([\s).,;:!?]|$)`)
	headingMarker = regexp.MustCompile(`^#{1,6}\s*`)
	bulletMarker  = regexp.MustCompile(`^([-*+•]|\d+[.)])\s+`)
	tableRule     = regexp.MustCompile(`^\|?[\s:|-]+\|?$`)
)

// plainText turns a Markdown fragment into plain text: links become their text, bare
// URLs, images, HTML tags and emphasis markers go, headings and list items become lines
// of their own, and the lines of a paragraph are joined.
func plainText(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	md = strings.NewReplacer(`\[`, "[", `\]`, "]", `\_`, "_", `\*`, "*", `\#`, "#", "\u00a0", " ").Replace(md)
	// Each rewrite runs only when its marker occurs: most lines have no Markdown, and
	// this halves the time to parse the embedded profiles.
	md = replaceIf(md, "]:", mdRefDef, "")
	md = replaceIf(md, "![", mdImage, "$1")
	md = replaceIf(md, "](", mdLink, "$1")
	md = replaceIf(md, "][", mdRefLink, "$1")
	md = replaceIf(md, "[", mdFootnote, "")
	md = replaceIf(md, "<", autoLink, "")
	md = replaceIf(md, "<", htmlTag, "")
	md = replaceIf(md, "http", bareURL, "")
	md = mdEmphasis.ReplaceAllString(md, "")
	if strings.ContainsAny(md, "*_") {
		md = mdItalic.ReplaceAllString(md, "$1$2$3")
	}
	var out strings.Builder
	inPara := false
	for line := range strings.SplitSeq(md, "\n") {
		// A trailing backslash or two trailing spaces are a hard line break.
		hardBreak := strings.HasSuffix(line, `\`) || strings.HasSuffix(line, "  ")
		line = strings.TrimSpace(strings.TrimRight(line, `\`))
		if line == "" || tableRule.MatchString(line) && strings.Contains(line, "-") {
			if inPara {
				out.WriteString("\n\n")
				inPara = false
			}
			continue
		}
		own := hardBreak
		if h := headingMarker.FindString(line); h != "" {
			line, own = line[len(h):], true
		}
		if b := bulletMarker.FindString(line); b != "" {
			line, own = line[len(b):], true
		}
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		switch {
		case !inPara:
		case own:
			out.WriteByte('\n')
		default:
			out.WriteByte(' ')
		}
		out.WriteString(line)
		inPara = true
		if own {
			// A heading or list item ends its line; what follows starts a new one.
			out.WriteByte('\n')
			inPara = false
		}
	}
	s := strings.TrimSpace(out.String())
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}

// replaceIf rewrites the matches of re in s when s contains marker.
func replaceIf(s, marker string, re *regexp.Regexp, repl string) string {
	if !strings.Contains(s, marker) {
		return s
	}
	return re.ReplaceAllString(s, repl)
}

// truncateRunes cuts s to at most n runes, at a word boundary when there is one.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexAny(cut, " \n"); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}
