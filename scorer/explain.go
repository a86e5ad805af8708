package scorer

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// fallbackWeight is what an evidence item counts for confidence when none of a lead's
// evidence mentions a query term and the most recent item is shown instead.
const fallbackWeight = 0.25

// explainer turns a lead's evidence into dated, human-readable reasons. It is built
// once per query and used by one goroutine.
type explainer struct {
	terms    map[string]float64 // query term → IDF; the rarest matching term is quoted
	max      int
	halfLife time.Duration
	now      time.Time
	key      []byte // scratch for bigram look-ups
}

// evidenceMatch is one evidence item that mentions a query term.
type evidenceMatch struct {
	ev      *Evidence
	phrase  string // the mention as written (lower-case), "" for the fallback item
	inTitle bool
}

// explain returns up to x.max signals and the evidence behind them (Signals[i] is
// about Evidence[i]), most recent first, and the lead's confidence. Signals come from
// the items whose title or snippet holds a query term; when none does, from the most
// recent item. Confidence is 1 − exp(−Σ w), summing over distinct matching items the
// freshness w = 2^(−age/half-life) (fallbackWeight·w for the fallback item).
func (x *explainer) explain(evs []Evidence) (signals []string, evidence []Evidence, confidence float64) {
	var matches []evidenceMatch
	seen := make(map[string]bool, len(evs))
	for i := range evs {
		e := &evs[i]
		if e.EventID != "" {
			if seen[e.EventID] {
				continue
			}
			seen[e.EventID] = true
		}
		phrase, idf := x.bestMention(e.Title)
		inTitle := phrase != ""
		if p, v := x.bestMention(e.Snippet); p != "" && (!inTitle || v > idf) {
			phrase, inTitle = p, false
		}
		if phrase != "" {
			matches = append(matches, evidenceMatch{ev: e, phrase: phrase, inTitle: inTitle})
		}
	}
	weight := 1.0
	if len(matches) == 0 {
		if e := mostRecent(evs); e != nil {
			matches = append(matches, evidenceMatch{ev: e})
			weight = fallbackWeight
		}
	}
	slices.SortStableFunc(matches, func(a, b evidenceMatch) int {
		return b.ev.ObservedAt.Compare(a.ev.ObservedAt)
	})
	sum := 0.0
	for _, m := range matches {
		sum += weight * x.freshness(m.ev.ObservedAt)
	}
	confidence = 1 - math.Exp(-sum)
	n := min(len(matches), x.max)
	signals = make([]string, n)
	evidence = make([]Evidence, n)
	for i, m := range matches[:n] {
		signals[i] = formatSignal(m.ev, m.phrase, m.inTitle)
		evidence[i] = *m.ev
	}
	return signals, evidence, confidence
}

// bestMention returns the surface form of the rarest query term in text, and its IDF.
func (x *explainer) bestMention(text string) (string, float64) {
	if text == "" {
		return "", 0
	}
	lower := ""
	best, bestIDF := "", -1.0
	scanTerms(text, func(first, second string, start, end int) {
		var idf float64
		var ok bool
		if second == "" {
			idf, ok = x.terms[first]
		} else {
			x.key = append(append(append(x.key[:0], first...), '_'), second...)
			idf, ok = x.terms[string(x.key)]
		}
		if !ok || idf <= bestIDF {
			return
		}
		if lower == "" {
			lower = strings.ToLower(text)
		}
		best, bestIDF = lower[start:end], idf
	})
	if best == "" {
		return "", 0
	}
	return strings.Join(strings.Fields(best), " "), bestIDF
}

// freshness is 2^(−age/half-life); evidence from the future counts as new.
func (x *explainer) freshness(t time.Time) float64 {
	if t.IsZero() || x.halfLife <= 0 {
		return 0.5
	}
	age := max(x.now.Sub(t), 0)
	return math.Exp2(-age.Hours() / x.halfLife.Hours())
}

func mostRecent(evs []Evidence) *Evidence {
	var best *Evidence
	for i := range evs {
		if best == nil || evs[i].ObservedAt.After(best.ObservedAt) {
			best = &evs[i]
		}
	}
	return best
}

// formatSignal renders one reason, e.g. `Posted job "Customer Support Team Lead" on
// 2026-11-20` or `Website page "Pricing" mentions "help desk" (2026-11-02)`.
func formatSignal(e *Evidence, phrase string, inTitle bool) string {
	date := "date unknown"
	if !e.ObservedAt.IsZero() {
		date = e.ObservedAt.UTC().Format(time.DateOnly)
	}
	label := clip(e.Title)
	if label == "" && e.Kind != "job" {
		label = clip(e.URL)
	}
	if label == "" {
		label = clip(e.Snippet)
	}
	var b strings.Builder
	mention := func(verb string) {
		if phrase != "" {
			b.WriteString(" " + verb + " ")
			quote(&b, phrase)
		}
	}
	switch e.Kind {
	case "job":
		b.WriteString("Posted job ")
		quote(&b, label)
		if !inTitle {
			mention("mentioning")
		}
		b.WriteString(" on " + date)
		return b.String()
	case "site":
		b.WriteString("Website page ")
		quote(&b, label)
		mention("mentions")
	case "activity":
		b.WriteString("Research activity ")
		quote(&b, label)
		mention("about")
	case "tech":
		b.WriteString("Technology change ")
		quote(&b, label)
		if !inTitle {
			mention("mentioning")
		}
	default:
		b.WriteString("Signal ")
		quote(&b, label)
		mention("mentions")
	}
	b.WriteString(" (" + date + ")")
	return b.String()
}

func quote(b *strings.Builder, s string) {
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(s, `"`, "'"))
	b.WriteByte('"')
}

// clip collapses white space and shortens s to at most 80 characters.
func clip(s string) string {
	const maxLabel = 80
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxLabel-1])) + "…"
}
