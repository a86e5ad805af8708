package pipelines

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leadpoet/leadpoet/scorer"
)

var testTaxonomy = sync.OnceValue(scorer.LoadTaxonomy)

// plainTerms is what terms.signalTerms computes, written the plain way: a map per
// signal, scorer.SignalTopics and scorer.Tokenize.
func plainTerms(tax *scorer.Taxonomy, kind, title, text string, weight, titleWeight, textWeight float64) map[string]float64 {
	w := map[string]float64{}
	if tax != nil && weight > 0 {
		for id, e := range tax.SignalTopics(kind, title, text) {
			w[scorer.TopicTerm(id)] += weight * weightTopic * e
		}
	}
	for _, f := range []struct {
		text   string
		weight float64
	}{{title, titleWeight}, {text, textWeight}} {
		if f.weight <= 0 {
			continue
		}
		counts := map[string]int{}
		for _, term := range scorer.Tokenize(f.text) {
			counts[term]++
		}
		for term, n := range counts {
			w[term] += f.weight * float64(n)
		}
	}
	if len(w) <= maxTermsPerSignal {
		return w
	}
	keys := slices.SortedFunc(maps.Keys(w), func(a, b string) int {
		switch {
		case w[a] > w[b]:
			return -1
		case w[a] < w[b]:
			return 1
		}
		return strings.Compare(a, b)
	})
	out := map[string]float64{}
	for _, k := range keys[:maxTermsPerSignal] {
		out[k] = w[k]
	}
	return out
}

// TestSignalTerms reads signals one after another with one terms, as a batch does,
// through more distinct terms than it keeps numbers for, and checks each signal's
// terms against the plain computation.
func TestSignalTerms(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("help desk customer support tickets Zendesk CRM Salesforce payroll " +
		"Kubernetes AWS Terraform the and of supporting supported automation C++ .NET e-commerce " +
		"İstanbul café 日本語 2026 SIEM observability marketing automation HubSpot")
	text := func(n int) string {
		var b strings.Builder
		for range n {
			if r.IntN(3) == 0 {
				fmt.Fprintf(&b, "w%x ", r.Uint32()) // a new term, mostly
			} else {
				b.WriteString(words[r.IntN(len(words))])
				b.WriteString([]string{" ", " ", ", ", ". ", "\n"}[r.IntN(5)])
			}
		}
		return b.String()
	}
	for _, tax := range []*scorer.Taxonomy{testTaxonomy(), nil} {
		tm := newTerms(tax)
		renumbered := false
		for i := range 700 {
			kind := []string{KindJob, KindSite, KindActivity, KindTech}[i%4]
			title, body := text(r.IntN(8)), text(r.IntN(400))
			weight, titleWeight, textWeight := 1+r.Float64(), 3*r.Float64(), r.Float64()
			if i%50 == 0 {
				weight = 0
			}
			before := len(tm.term)
			kept := tm.signalTerms(kind, title, body, weight, titleWeight, textWeight)
			got := make(map[string]float64, len(kept))
			for _, tw := range kept {
				if _, twice := got[tw.Term]; twice {
					t.Fatalf("signal %d: term %q kept twice", i, tw.Term)
				}
				got[tw.Term] = tw.Weight
			}
			renumbered = renumbered || len(tm.term) < before
			if want := plainTerms(tax, kind, title, body, weight, titleWeight, textWeight); !maps.Equal(got, want) {
				t.Fatalf("signal %d (%s, %.40q, %.40q): terms %v, want %v", i, kind, title, body, got, want)
			}
		}
		if !renumbered {
			t.Errorf("%d terms numbered: the test never made terms start over", len(tm.term))
		}
	}
}

// plainSnippet is what snippet computes, written the plain way.
func plainSnippet(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= snippetRunes {
		return text
	}
	cut := string(r[:snippetRunes])
	if i := strings.LastIndexByte(cut, ' '); i > snippetRunes/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

func FuzzSnippet(f *testing.F) {
	for _, s := range []string{
		"", " ", "a b", " a  b\t", "a\u00a0b", "a\u0085b\u2003c", "help desk\n",
		strings.Repeat("word ", 80), strings.Repeat("ä", 300), strings.Repeat("日本 ", 150),
		strings.Repeat("x", 300), strings.Repeat("ab \xff", 100), strings.Repeat("\xe6\x97 ", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := snippet(text), plainSnippet(text); got != want {
			t.Fatalf("snippet(%q) = %q, want %q", text, got, want)
		}
	})
}
