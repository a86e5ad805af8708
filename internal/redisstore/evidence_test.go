package redisstore

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/scorer"
)

// checkEvidence fails when appendEvidence and json.Marshal of storedEvidence disagree.
func checkEvidence(t *testing.T, id string, ev scorer.Evidence) {
	t.Helper()
	want, wantErr := json.Marshal(storedEvidence{
		EventID: id, Kind: ev.Kind, Action: ev.Action, Weight: ev.Weight, Source: ev.Source, URL: ev.URL,
		Title: ev.Title, Snippet: ev.Snippet, ObservedAt: ev.ObservedAt.UTC(),
	})
	got, err := appendEvidence(nil, id, &ev)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendEvidence error %v, json.Marshal error %v", err, wantErr)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("appendEvidence\n got %s\nwant %s", got, want)
	}
}

func TestAppendEvidenceMatchesJSON(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 890000000, time.FixedZone("X", 3600))
	for _, tc := range []struct {
		name string
		id   string
		ev   scorer.Evidence
	}{
		{"minimal", "e1", scorer.Evidence{Kind: "job", ObservedAt: at}},
		{"full", "e2", scorer.Evidence{Kind: "activity", Action: "demo_request", Weight: 7.5, Source: "g2",
			URL: "https://x.io/a?b=1&c=<2>", Title: "demo request: help desk", Snippet: "Zendesk \"vs\" Freshdesk…", ObservedAt: at}},
		{"escapes", "e\x00\x1f\x7f", scorer.Evidence{Kind: "site", Title: "tab\there\nnew\rline\b\f\\", Snippet: "\u2028\u2029 é 日本", ObservedAt: at}},
		{"invalid utf-8", "\xff\xfe", scorer.Evidence{Kind: "site", Title: "a\xc3", Snippet: "\xed\xa0\x80", ObservedAt: at}},
		{"small weight", "e3", scorer.Evidence{Kind: "job", Weight: 1e-7, ObservedAt: at}},
		{"large weight", "e4", scorer.Evidence{Kind: "job", Weight: 1e21, ObservedAt: at}},
		{"negative weight", "e5", scorer.Evidence{Kind: "job", Weight: -2.5e-9, ObservedAt: at}},
		{"odd weight", "e6", scorer.Evidence{Kind: "job", Weight: 0.1 + 0.2, ObservedAt: at}},
		{"zero time", "e7", scorer.Evidence{Kind: "job"}},
		{"whole seconds", "e8", scorer.Evidence{Kind: "job", ObservedAt: at.Truncate(time.Second)}},
		{"nanoseconds", "e9", scorer.Evidence{Kind: "job", ObservedAt: at.Add(123)}},
		{"year out of range", "e10", scorer.Evidence{Kind: "job", ObservedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"nan weight", "e11", scorer.Evidence{Kind: "job", Weight: math.NaN(), ObservedAt: at}},
		{"infinite weight", "e12", scorer.Evidence{Kind: "job", Weight: math.Inf(1), ObservedAt: at}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkEvidence(t, tc.id, tc.ev) })
	}
}

func FuzzAppendEvidence(f *testing.F) {
	f.Add("e1", "job", "", 1.0, "greenhouse", "https://x.io", "Support <lead>", "a & b", int64(1700000000123456789))
	f.Add("\xff", "site", "added", 1e-9, "", "", "\u2028", "\x01\"\\", int64(-5))
	f.Fuzz(func(t *testing.T, id, kind, action string, w float64, source, url, title, snippet string, ns int64) {
		checkEvidence(t, id, scorer.Evidence{Kind: kind, Action: action, Weight: w, Source: source, URL: url,
			Title: title, Snippet: snippet, ObservedAt: time.Unix(0, ns)})
	})
}
