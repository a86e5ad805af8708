package scorer

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"testing"
)

// signalReaderCases are signals whose terms and topics SignalReader must read as
// Tokenize and SignalTopics do.
func signalReaderCases() []struct{ kind, title, text string } {
	return []struct{ kind, title, text string }{
		{"job", "Customer Support Team Lead", benchText},
		{"job", "Senior Site Reliability Engineer (Kubernetes)", "Run Kubernetes on AWS with Terraform; on call for Datadog and Prometheus alerts."},
		{"site", "Blog", "We are migrating our CRM and sales pipeline to a new platform this quarter."},
		{"activity", "help desk software", ""},
		{"tech", "Zendesk Suite", "Help Desk"},
		{"tech", "help_scout", ""},
		{"job", "", ""},
		{"site", "İstanbul ǅ C++ / C# .NET e-commerce", "\xff\xfe a-b-c ..x. +#+ naïve café 日本語"},
		// A text past 4 KiB: its topics are read from the first 4 KiB only, cut
		// inside a word.
		{"site", "Help desk", strings.Repeat("Our payroll team ", 240) + "moves tickets into our help desk and CRM."},
		{"site", "Help desk", strings.Repeat("ticket ", 1100) + "help desk"},
	}
}

func TestSignalReader(t *testing.T) {
	for _, tax := range []*Taxonomy{testTaxonomy(), nil} {
		r := NewSignalReader(tax)
		for _, c := range signalReaderCases() {
			r.Read(c.kind, c.title, c.text)
			if got, want := collectTerms(r.TitleTerms()), Tokenize(c.title); !slices.Equal(got, want) {
				t.Errorf("TitleTerms(%.40q) = %q, want %q", c.title, got, want)
			}
			if got, want := collectTerms(r.TextTerms()), Tokenize(c.text); !slices.Equal(got, want) {
				t.Errorf("TextTerms(%.40q) = %q, want %q", c.text, got, want)
			}
			got := map[string]float64{}
			for _, e := range r.Topics() {
				got[e.Term] = e.Weight
			}
			want := map[string]float64{}
			if tax != nil {
				for id, w := range tax.SignalTopics(c.kind, c.title, c.text) {
					want[TopicTerm(id)] = w
				}
			}
			if !maps.Equal(got, want) {
				t.Errorf("Topics(%s, %.40q, %.40q) = %v, want %v", c.kind, c.title, c.text, got, want)
			}
			if !slices.IsSortedFunc(r.Topics(), func(a, b SignalTopic) int { return cmp.Compare(b.Weight, a.Weight) }) {
				t.Errorf("Topics(%s, %.40q) not strongest first: %v", c.kind, c.title, r.Topics())
			}
		}
	}
}

func collectTerms(ts Terms) []string {
	out := []string{}
	for i := range ts.Len() {
		out = append(out, string(ts.At(i)))
	}
	return out
}

func FuzzSignalReader(f *testing.F) {
	for _, c := range signalReaderCases() {
		f.Add(c.kind, c.title, c.text)
	}
	tax := testTaxonomy()
	r := NewSignalReader(tax)
	f.Fuzz(func(t *testing.T, kind, title, text string) {
		r.Read(kind, title, text)
		if got, want := collectTerms(r.TitleTerms()), Tokenize(title); !slices.Equal(got, want) {
			t.Fatalf("TitleTerms = %q, want %q", got, want)
		}
		if got, want := collectTerms(r.TextTerms()), Tokenize(text); !slices.Equal(got, want) {
			t.Fatalf("TextTerms = %q, want %q", got, want)
		}
		want := tax.SignalTopics(kind, title, text)
		if len(r.Topics()) != len(want) {
			t.Fatalf("Topics = %v, want %v", r.Topics(), want)
		}
		for _, e := range r.Topics() {
			id, _ := TopicID(e.Term)
			if w, ok := want[id]; !ok || w != e.Weight {
				t.Fatalf("Topics = %v, want %v", r.Topics(), want)
			}
		}
	})
}
