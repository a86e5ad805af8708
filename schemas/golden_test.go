package schemas

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goldenNow is the ingest clock of the golden cases.
func goldenNow() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }

// goldenCase is one case of testdata/<topic>-good.json or testdata/<topic>-bad.json.
type goldenCase struct {
	Name string `json:"name"`
	// The record: Record verbatim, or Text when it is not JSON or not an object.
	Record json.RawMessage `json:"record"`
	Text   *string         `json:"text"`
	// Fill sets top-level members to a string of that many characters; Pad appends
	// that many spaces. They make oversized records without writing them out.
	Fill map[string]int `json:"fill"`
	Pad  int            `json:"pad"`
	// A bad case names the reason code and field Decode must report.
	Code  string `json:"code"`
	Field string `json:"field"`
	// A good case holds the event Decode must return.
	Want json.RawMessage `json:"want"`
}

// value returns the record value the case describes.
func (c goldenCase) value(t testing.TB) []byte {
	t.Helper()
	var v []byte
	switch {
	case c.Text != nil:
		v = []byte(*c.Text)
	case c.Record != nil:
		v = bytes.Clone(c.Record)
	default:
		t.Fatalf("case %q has neither record nor text", c.Name)
	}
	if len(c.Fill) > 0 {
		var m map[string]any
		if err := json.Unmarshal(v, &m); err != nil {
			t.Fatalf("case %q: fill needs an object record: %v", c.Name, err)
		}
		for k, n := range c.Fill {
			m[k] = strings.Repeat("x", n)
		}
		var err error
		if v, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
	}
	return append(v, bytes.Repeat([]byte{' '}, c.Pad)...)
}

// loadGolden reads testdata/<topic>-<kind>.json, kind being "good" or "bad".
func loadGolden(t testing.TB, topic, kind string) []goldenCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", topic+"-"+kind+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("%s-%s.json: %v", topic, kind, err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s-%s.json has no cases", topic, kind)
	}
	for _, c := range cases {
		if kind == "good" && (c.Want == nil || c.Code != "") {
			t.Fatalf("%s-%s.json: case %q needs want and no code", topic, kind, c.Name)
		}
		if kind == "bad" && (c.Want != nil || c.Code == "") {
			t.Fatalf("%s-%s.json: case %q needs code and no want", topic, kind, c.Name)
		}
	}
	return cases
}

// newEvent returns a zero event of the type Decode returns for topic.
func newEvent(t testing.TB, topic string) Event {
	switch topic {
	case TopicCompanies:
		return new(Company)
	case TopicJobs:
		return new(Job)
	case TopicSites:
		return new(Site)
	case TopicActivity:
		return new(Activity)
	case TopicTech:
		return new(Tech)
	case TopicOutcomes:
		return new(Outcome)
	}
	t.Fatalf("no event type for topic %q", topic)
	return nil
}
