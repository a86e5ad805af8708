package scorer

import (
	"math"
	"slices"
	"testing"
	"time"
)

func day(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }

// explainFor explains evs for a query, as Rank does.
func explainFor(t *testing.T, prompt string, evs []Evidence) ([]string, []Evidence, float64) {
	t.Helper()
	tx := testTaxonomy()
	pl := newQueryPlan(tx, tx.ParsePrompt(prompt))
	pl.setStats(CorpusStats{Companies: 100, DocFreq: map[string]int{}})
	r := newRelevance(pl, day(30), 30*24*time.Hour)
	facts := r.facts(evs)
	x := explainer{max: 5, topic: topicLabel(pl)}
	signals, evidence := x.explain(evs, facts)
	return signals, evidence, confidence(facts)
}

func TestExplain(t *testing.T) {
	job := Evidence{EventID: "j1", Kind: "job", Title: "Help Desk Lead", Snippet: "Own our ticketing.", ObservedAt: day(20)}
	site := Evidence{EventID: "s1", Kind: "site", URL: "https://acme.com/careers", Title: "Careers", Snippet: "We run a Help-Desk for 40 brands.", ObservedAt: day(2)}
	jobInSnippet := Evidence{EventID: "j2", Kind: "job", Title: "Operations Manager", Snippet: "You will choose our next help desk.", ObservedAt: day(25)}
	demo := Evidence{EventID: "a1", Kind: "activity", Action: "demo_request", Title: "demo request: help desk software", ObservedAt: day(24)}
	pricing := Evidence{EventID: "a2", Kind: "activity", Action: "pricing_view", Title: "pricing view", Snippet: "Zendesk pricing", ObservedAt: day(26)}
	removed := Evidence{EventID: "t1", Kind: "tech", Action: "removed", Title: "Removed Zendesk", Snippet: "Zendesk (Help Desk)", ObservedAt: day(18)}
	roleOnly := Evidence{EventID: "j3", Kind: "job", Title: "Customer Service Representative", Snippet: "Answer calls.", ObservedAt: day(21)}
	unrelated := Evidence{EventID: "u1", Kind: "job", Title: "Accountant", ObservedAt: day(29)}

	tests := []struct {
		name     string
		evidence []Evidence
		want     []string
	}{
		{"job title match", []Evidence{job},
			[]string{`Posted job "Help Desk Lead" on 2026-11-20`}},
		{"site quotes the mention as written", []Evidence{site},
			[]string{`Website page "Careers" mentions "Help-Desk" (2026-11-02)`}},
		{"job matched in its description", []Evidence{jobInSnippet},
			[]string{`Posted job "Operations Manager" mentioning "help desk" on 2026-11-25`}},
		{"demo request", []Evidence{demo},
			[]string{`Requested a demo of help desk software (2026-11-24)`}},
		{"pricing view of a vendor", []Evidence{pricing},
			[]string{`Viewed pricing of Zendesk (2026-11-26)`}},
		{"removed vendor", []Evidence{removed},
			[]string{`Removed Zendesk on 2026-11-18`}},
		{"job title through the taxonomy", []Evidence{roleOnly},
			[]string{`Posted job "Customer Service Representative" on 2026-11-21`}},
		{"most recent first, unrelated left out", []Evidence{site, unrelated, job, jobInSnippet},
			[]string{
				`Posted job "Operations Manager" mentioning "help desk" on 2026-11-25`,
				`Posted job "Help Desk Lead" on 2026-11-20`,
				`Website page "Careers" mentions "Help-Desk" (2026-11-02)`,
			}},
		{"nothing matches: most recent item", []Evidence{unrelated, {EventID: "u2", Kind: "site", Title: "Blog", ObservedAt: day(3)}},
			[]string{`Posted job "Accountant" on 2026-11-29`}},
		{"duplicates by event id count once", []Evidence{job, job},
			[]string{`Posted job "Help Desk Lead" on 2026-11-20`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signals, evidence, conf := explainFor(t, "companies looking for help desk software", tt.evidence)
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
	var evs []Evidence
	for d := 1; d <= 9; d++ {
		evs = append(evs, Evidence{EventID: string(rune('a' + d)), Kind: "job", Title: "CRM Manager", ObservedAt: day(d)})
	}
	const prompt = "looking for a CRM"
	signals, evidence, conf := explainFor(t, prompt, evs)
	if len(signals) != 5 || len(evidence) != 5 {
		t.Fatalf("got %d signals, %d evidence items; want 5 each", len(signals), len(evidence))
	}
	if !evidence[0].ObservedAt.Equal(day(9)) {
		t.Errorf("first evidence from %s, want the most recent", evidence[0].ObservedAt)
	}

	// More, fresher, more varied evidence gives more confidence; a fallback item little.
	_, _, one := explainFor(t, prompt, evs[8:])
	_, _, two := explainFor(t, prompt, []Evidence{evs[8], {EventID: "p", Kind: "activity", Action: "pricing_view", Title: "pricing view: CRM", ObservedAt: day(9)}})
	_, _, old := explainFor(t, prompt, []Evidence{{EventID: "o", Kind: "job", Title: "CRM Manager", ObservedAt: day(30).AddDate(0, -6, 0)}})
	_, _, fallback := explainFor(t, prompt, []Evidence{{EventID: "f", Kind: "job", Title: "Accountant", ObservedAt: day(29)}})
	if !(conf > one && two > one && one > old && old > fallback) {
		t.Errorf("confidence not ordered: nine %g, two kinds %g, one %g, old %g, fallback %g", conf, two, one, old, fallback)
	}
	want := 1 - math.Exp(-0.5*math.Exp2(-21.0/30))
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
