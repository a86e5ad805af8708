package scorer

import (
	"math"
	"slices"
	"testing"
	"time"
)

func day(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }

func TestExplain(t *testing.T) {
	terms := map[string]float64{"help": 2, "desk": 2.5, "help_desk": 5, "customer": 1, "support": 1.5, "customer_support": 4}
	x := explainer{terms: terms, max: 5, halfLife: 30 * 24 * time.Hour, now: day(30)}

	job := Evidence{EventID: "j1", Kind: "job", Title: "Customer Support Team Lead", Snippet: "Own our ticketing.", ObservedAt: day(20)}
	site := Evidence{EventID: "s1", Kind: "site", URL: "https://acme.com/careers", Title: "Careers", Snippet: "We run a Help-Desk for 40 brands.", ObservedAt: day(2)}
	jobInSnippet := Evidence{EventID: "j2", Kind: "job", Title: "Operations Manager", Snippet: "You will choose our next help desk.", ObservedAt: day(25)}
	activity := Evidence{EventID: "a1", Kind: "activity", Title: "pricing_view: Help desk pricing", ObservedAt: day(28)}
	tech := Evidence{EventID: "t1", Kind: "tech", Title: "Removed Freshdesk", ObservedAt: day(10)}
	unrelated := Evidence{EventID: "u1", Kind: "job", Title: "Accountant", ObservedAt: day(29)}

	tests := []struct {
		name     string
		evidence []Evidence
		want     []string
	}{
		{"job title match", []Evidence{job},
			[]string{`Posted job "Customer Support Team Lead" on 2026-11-20`}},
		{"site quotes the mention as written", []Evidence{site},
			[]string{`Website page "Careers" mentions "help-desk" (2026-11-02)`}},
		{"job matched in its description", []Evidence{jobInSnippet},
			[]string{`Posted job "Operations Manager" mentioning "help desk" on 2026-11-25`}},
		{"activity", []Evidence{activity},
			[]string{`Research activity "pricing_view: Help desk pricing" about "help desk" (2026-11-28)`}},
		{"most recent first, unrelated left out", []Evidence{site, unrelated, job, jobInSnippet},
			[]string{
				`Posted job "Operations Manager" mentioning "help desk" on 2026-11-25`,
				`Posted job "Customer Support Team Lead" on 2026-11-20`,
				`Website page "Careers" mentions "help-desk" (2026-11-02)`,
			}},
		{"nothing matches: most recent item", []Evidence{tech, unrelated},
			[]string{`Posted job "Accountant" on 2026-11-29`}},
		{"duplicates by event id count once", []Evidence{job, job},
			[]string{`Posted job "Customer Support Team Lead" on 2026-11-20`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signals, evidence, conf := x.explain(tt.evidence)
			if !slices.Equal(signals, tt.want) {
				t.Errorf("signals = %q\nwant      %q", signals, tt.want)
			}
			if len(evidence) != len(signals) {
				t.Fatalf("%d evidence items for %d signals", len(evidence), len(signals))
			}
			for i := 1; i < len(evidence); i++ {
				if evidence[i].ObservedAt.After(evidence[i-1].ObservedAt) {
					t.Errorf("evidence not most recent first: %v", evidence)
				}
			}
			if !(conf > 0 && conf < 1) {
				t.Errorf("confidence %g outside (0, 1)", conf)
			}
		})
	}
}

func TestExplainLimitAndConfidence(t *testing.T) {
	x := explainer{terms: map[string]float64{"crm": 3}, max: 5, halfLife: 30 * 24 * time.Hour, now: day(30)}
	var evs []Evidence
	for d := 1; d <= 9; d++ {
		evs = append(evs, Evidence{EventID: string(rune('a' + d)), Kind: "job", Title: "CRM Manager", ObservedAt: day(d)})
	}
	signals, evidence, conf := x.explain(evs)
	if len(signals) != 5 || len(evidence) != 5 {
		t.Fatalf("got %d signals, %d evidence items; want 5 each", len(signals), len(evidence))
	}
	if !evidence[0].ObservedAt.Equal(day(9)) {
		t.Errorf("first evidence from %s, want the most recent", evidence[0].ObservedAt)
	}

	// More, fresher matching evidence gives more confidence; a fallback item gives little.
	_, _, one := x.explain(evs[8:])
	_, _, old := x.explain([]Evidence{{EventID: "o", Kind: "job", Title: "CRM Manager", ObservedAt: day(30).AddDate(0, -6, 0)}})
	_, _, fallback := x.explain([]Evidence{{EventID: "f", Kind: "job", Title: "Accountant", ObservedAt: day(29)}})
	if !(conf > one && one > old && one > fallback) {
		t.Errorf("confidence not ordered: nine %g, one %g, old %g, fallback %g", conf, one, old, fallback)
	}
	want := 1 - math.Exp(-math.Exp2(-21.0/30))
	if math.Abs(one-want) > 1e-9 {
		t.Errorf("confidence of one 21-day-old item = %g, want %g", one, want)
	}
}

func TestClip(t *testing.T) {
	long := "Senior Customer Support Operations Manager for the Enterprise Help Desk Program and Knowledge Base"
	got := clip(long)
	if n := len([]rune(got)); n != 80 {
		t.Errorf("clip gave %d characters: %q", n, got)
	}
	if clip(" a \n b ") != "a b" {
		t.Errorf("clip does not collapse white space: %q", clip(" a \n b "))
	}
}
