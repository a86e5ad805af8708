package eval

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Prompt splits. The held-out split uses other names for the categories and other
// sentence templates; it is never used for tuning.
const (
	SplitTuning  = "tuning"
	SplitHeldout = "heldout"
)

// Filters are the filters a prompt asks for, in the JSON of POST /query's filters
// object.
type Filters struct {
	Industries  []string `json:"industries,omitempty"`   // canonical industries (demo.Industries)
	CompanySize []string `json:"company_size,omitempty"` // schemas.SizeBuckets values
	Location    string   `json:"location,omitempty"`     // a country
}

// IsZero reports whether f asks for nothing.
func (f Filters) IsZero() bool {
	return len(f.Industries) == 0 && len(f.CompanySize) == 0 && f.Location == ""
}

// Matches reports whether a company satisfies every filter: its industry is one of
// Industries, its size bucket one of CompanySize and its country Location. A company
// whose country is unknown does not match a location.
func (f Filters) Matches(c *Company) bool {
	if len(f.Industries) > 0 && !slices.Contains(f.Industries, c.Industry) {
		return false
	}
	if len(f.CompanySize) > 0 && !slices.Contains(f.CompanySize, c.Size) {
		return false
	}
	if f.Location != "" && !strings.EqualFold(f.Location, c.Country) {
		return false
	}
	return true
}

// Prompt is one query of the prompt set.
type Prompt struct {
	ID       string `json:"id"` // "<category>/<template>", e.g. "help_desk/t3"
	Category string `json:"category"`
	Split    string `json:"split"`
	Inside   bool   `json:"inside_taxonomy"`
	Text     string `json:"text"`
	// Product is the part of Text that names the product.
	Product string `json:"product"`
	// Explicit are the filters sent as the request's filters object; nil sends none.
	Explicit *Filters `json:"filters,omitempty"`
	// Implicit are the filters Text states in words ("in the US", "SaaS").
	Implicit Filters `json:"implicit_filters"`
}

// Wants returns the filters the prompt asks for: per kind, the explicit filter when
// there is one, else the implicit one.
func (p *Prompt) Wants() Filters {
	f := p.Implicit
	if e := p.Explicit; e != nil {
		if len(e.Industries) > 0 {
			f.Industries = e.Industries
		}
		if len(e.CompanySize) > 0 {
			f.CompanySize = e.CompanySize
		}
		if e.Location != "" {
			f.Location = e.Location
		}
	}
	return f
}

// Relevant returns the ground truth of a prompt: the companies of the world that
// are in the market for its category and satisfy its filters.
func (w *World) Relevant(p *Prompt) map[string]bool {
	want := p.Wants()
	out := make(map[string]bool)
	for i := range w.Companies {
		c := &w.Companies[i]
		if c.IsInMarket(p.Category) && want.Matches(c) {
			out[c.Domain] = true
		}
	}
	return out
}

// unitedStates is the country of the location filters and of "in the US".
const unitedStates = "United States"

// promptTemplate writes one prompt of a category.
type promptTemplate struct {
	id    string
	split string
	write func(c *Category) Prompt
}

// promptTemplates are the templates of the prompt set: five of the tuning split
// over Category.PromptNames, four of the held-out split over Category.HeldoutNames.
// Each category gets one prompt of every template.
func promptTemplates() []promptTemplate {
	return []promptTemplate{
		{"t1", SplitTuning, func(c *Category) Prompt {
			n := c.PromptNames[0]
			return Prompt{Text: "Find companies looking for " + n, Product: n}
		}},
		{"t2", SplitTuning, func(c *Category) Prompt {
			n := c.PromptNames[1%len(c.PromptNames)]
			return Prompt{Text: "Find " + c.IndustryWord + " companies looking for " + n, Product: n,
				Implicit: Filters{Industries: []string{c.Industry}}}
		}},
		{"t3", SplitTuning, func(c *Category) Prompt {
			n := c.PromptNames[2%len(c.PromptNames)]
			return Prompt{Text: "Companies in the US with 50-200 employees that are evaluating " + n, Product: n,
				Implicit: Filters{CompanySize: []string{"51-200"}, Location: unitedStates}}
		}},
		{"t4", SplitTuning, func(c *Category) Prompt {
			n := c.PromptNames[0]
			return Prompt{Text: "Which companies are shopping for " + n + "?", Product: n,
				Explicit: &Filters{CompanySize: []string{"51-200", "201-1000", "1000+"}}}
		}},
		{"t5", SplitTuning, func(c *Category) Prompt {
			n := c.PromptNames[1%len(c.PromptNames)]
			return Prompt{Text: "Find companies in the market for " + n, Product: n,
				Explicit: &Filters{Location: unitedStates}}
		}},
		{"h1", SplitHeldout, func(c *Category) Prompt {
			n := c.HeldoutNames[0]
			return Prompt{Text: "Who is actively researching " + n + " right now?", Product: n}
		}},
		{"h2", SplitHeldout, func(c *Category) Prompt {
			n := c.HeldoutNames[1%len(c.HeldoutNames)]
			return Prompt{Text: upperFirst(c.IndustryWord) + " organisations that plan to buy " + n + " this quarter", Product: n,
				Implicit: Filters{Industries: []string{c.Industry}}}
		}},
		{"h3", SplitHeldout, func(c *Category) Prompt {
			n := c.HeldoutNames[2%len(c.HeldoutNames)]
			return Prompt{Text: "US-based businesses of 11 to 200 people seeking " + n, Product: n,
				Implicit: Filters{CompanySize: []string{"11-50", "51-200"}, Location: unitedStates}}
		}},
		{"h4", SplitHeldout, func(c *Category) Prompt {
			n := c.HeldoutNames[0]
			return Prompt{Text: "Accounts likely to purchase " + n + " soon", Product: n,
				Explicit: &Filters{Industries: []string{c.Industry}, CompanySize: []string{"11-50", "51-200", "201-1000"}}}
		}},
	}
}

// Prompts returns the prompt set of the categories: one prompt per category and
// template, ordered by template, then category, so that any prefix covers many
// categories.
func Prompts(cats []Category) []Prompt {
	var out []Prompt
	for _, t := range promptTemplates() {
		for i := range cats {
			c := &cats[i]
			p := t.write(c)
			p.ID = c.ID + "/" + t.id
			p.Category = c.ID
			p.Split = t.split
			p.Inside = c.Inside
			out = append(out, p)
		}
	}
	return out
}

// SelectPrompts returns n prompts of a prompt set as Prompts returns it, taking
// the k-th of them from category k and template k (each modulo its count), so that
// any n covers the categories and the templates about evenly. It returns every
// prompt when n is 0 or at least len(ps).
func SelectPrompts(ps []Prompt, n int) []Prompt {
	templates := len(promptTemplates())
	if n <= 0 || n >= len(ps) || len(ps)%templates != 0 {
		return ps
	}
	cats := len(ps) / templates
	out := make([]Prompt, 0, n)
	seen := make(map[int]bool, n)
	for k := 0; len(out) < n; k++ {
		i := (k%templates)*cats + (k+k/lcm(cats, templates))%cats
		if !seen[i] {
			seen[i] = true
			out = append(out, ps[i])
		}
	}
	return out
}

// lcm is the least common multiple of two positive numbers.
func lcm(a, b int) int {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

// upperFirst capitalises the first letter: "financial services" → "Financial services".
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
