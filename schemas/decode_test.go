package schemas

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDecodeGolden(t *testing.T) {
	for _, topic := range EventTopics() {
		for _, c := range loadGolden(t, topic, "good") {
			t.Run(topic+"/good/"+c.Name, func(t *testing.T) {
				ev, err := Decode(topic, c.value(t), goldenNow())
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				want := newEvent(t, topic)
				if err := json.Unmarshal(c.Want, want); err != nil {
					t.Fatalf("want: %v", err)
				}
				gotJSON, _ := json.Marshal(ev)
				wantJSON, _ := json.Marshal(want)
				if string(gotJSON) != string(wantJSON) {
					t.Errorf("decoded\n got %s\nwant %s", gotJSON, wantJSON)
				}
			})
		}
		for _, c := range loadGolden(t, topic, "bad") {
			t.Run(topic+"/bad/"+c.Name, func(t *testing.T) {
				ev, err := Decode(topic, c.value(t), goldenNow())
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("Decode = %+v, %v; want a *ValidationError", ev, err)
				}
				if ev != nil {
					t.Errorf("Decode returned an event with its error: %+v", ev)
				}
				if ve.Code != c.Code || ve.Field != c.Field {
					t.Errorf("Decode error %q; want code %q, field %q", ve, c.Code, c.Field)
				}
				if ve.Message == "" {
					t.Error("the error has no message")
				}
			})
		}
	}
}

// TestGoldenCoverage checks that the bad cases of every topic cover each reason a
// producer can meet: each required field missing (the required list of the topic's
// JSON Schema), wrong types, a bad value of each enum, bad domains, bad and future
// timestamps, an oversized record, a value that is not an object, invalid JSON.
func TestGoldenCoverage(t *testing.T) {
	for _, topic := range EventTopics() {
		var schema struct {
			Required   []string
			Properties map[string]struct{ Enum []string }
		}
		b, _ := JSONSchema(topic)
		if err := json.Unmarshal(b, &schema); err != nil {
			t.Fatal(err)
		}
		have := make(map[string]bool)
		for _, c := range loadGolden(t, topic, "bad") {
			have[c.Code] = true
			have[c.Code+" "+c.Field] = true
		}
		want := []string{
			CodeWrongType, CodeWrongType + " ", CodeBadJSON, CodeBadDomain + " domain", CodeBadTimestamp + " occurred_at",
			CodeFutureTimestamp + " occurred_at", CodeOversized, CodeBadValue,
		}
		for _, f := range schema.Required {
			want = append(want, CodeMissingField+" "+f)
		}
		for name, p := range schema.Properties {
			if p.Enum != nil {
				want = append(want, CodeBadEnum+" "+name)
			}
		}
		for _, w := range want {
			if !have[w] {
				t.Errorf("%s-bad.json has no case of %q", topic, w)
			}
		}
	}
}

func TestDecodeUnknownTopic(t *testing.T) {
	for _, topic := range []string{TopicQueries, TopicDLQ, "leadpoet.signals.jobs.v2", ""} {
		_, err := Decode(topic, []byte(`{"event_id": "e"}`), goldenNow())
		if ve := (*ValidationError)(nil); !errors.As(err, &ve) || ve.Code != CodeUnknownTopic {
			t.Errorf("Decode(%q) = %v; want %s", topic, err, CodeUnknownTopic)
		}
	}
}

// decodeCode decodes a job posting made of the common fields and extra members
// and returns the reason code and field of the error, or "ok".
func decodeCode(extra string) string {
	rec := `{"event_id": "j-1", "occurred_at": "2026-05-20T09:30:00Z", "domain": "example.com", "title": "T"` + extra + `}`
	_, err := Decode(TopicJobs, []byte(rec), goldenNow())
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Code + " " + ve.Field
	}
	return "ok"
}

func TestDecodeRecordLevel(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value string
		want  string
	}{
		{"invalid UTF-8 in a string", "{\"event_id\": \"\xff\"}", "bad_json "},
		{"a byte order mark", "\ufeff{}", "bad_json "},
		{"white space only", " \n\t", "bad_json "},
		{"a number", "12", "wrong_type "},
		{"null", "null", "wrong_type "},
		{"unterminated object", `{"event_id": "j-1"`, "bad_json "},
		{"trailing comma", `{"event_id": "j-1",}`, "bad_json "},
		{"a control character in a string", "{\"event_id\": \"j\x01\"}", "bad_json "},
		{"an invalid escape", `{"event_id": "j\x"}`, "bad_json "},
		{"an invalid literal", `{"x": nul}`, "bad_json "},
		{"a leading zero", `{"x": 01}`, "bad_json "},
		{"a single quote", `{'x': 1}`, "bad_json "},
		{"a NUL byte after the object", "{}\x00", "bad_json "},
		{"an empty object", `{}`, "missing_field event_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(TopicJobs, []byte(tc.value), goldenNow())
			got := "ok"
			if ve := (*ValidationError)(nil); errors.As(err, &ve) {
				got = ve.Code + " " + ve.Field
			}
			if got != tc.want {
				t.Errorf("Decode(%q): %v; want %q", tc.value, err, tc.want)
			}
		})
	}
}

func TestDecodeMembers(t *testing.T) {
	for _, tc := range []struct {
		name, extra, want string
	}{
		{"a syntax error after a value error wins", `, "url": 1, "x": [1,]`, "bad_json "},
		{"the first value error wins", `, "url": 1, "description": 2`, "wrong_type url"},
		{"value errors come before missing fields", `, "event_id": null, "url": "ftp://x.com"`, "bad_value url"},
		{"a repeated name: only the last member counts", `, "url": 1, "url": "https://example.com/"`, "ok"},
		{"a repeated name: the last member is checked", `, "url": "https://example.com/", "url": 1`, "wrong_type url"},
		{"names match case-sensitively", `, "URL": 1, "Title": 2`, "ok"},
		{"escaped names", `, "\u0075rl": 1`, "wrong_type url"},
		{"unknown members are skipped", `, "x": {"a": [1, 2.5e-3, true, false, null, "\u00e9\"", {}], "b": {}}`, "ok"},
		{"an unknown member must be valid JSON", `, "x": [1 2]`, "bad_json "},
		{"a URL with a control character", `, "url": "https://example.com/\t"`, "bad_value url"},
		{"a URL with an IPv6 zone", `, "url": "http://[fe80::1%25en0]/"`, "bad_value url"},
		{"a URL with an unbracketed IPv6 host", `, "url": "http://::1/"`, "bad_value url"},
		{"a URL with user and empty host", `, "url": "http://user@:80/"`, "bad_value url"},
		{"a URL with user, host and port", `, "url": "https://user:pw@example.com:8443/x"`, "ok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := decodeCode(tc.extra); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecodeNesting(t *testing.T) {
	nest := func(n int) string {
		return strings.Repeat("[", n) + strings.Repeat("]", n)
	}
	// The record is the first level: encoding/json allows 10000 levels in all.
	if got := decodeCode(`, "x": ` + nest(maxDepth-1)); got != "ok" {
		t.Errorf("%d levels: %s", maxDepth, got)
	}
	if got := decodeCode(`, "x": ` + nest(maxDepth)); got != "bad_json " {
		t.Errorf("%d levels: %s, want bad_json", maxDepth+1, got)
	}
	if !json.Valid([]byte(`{"x": `+nest(maxDepth-1)+`}`)) || json.Valid([]byte(`{"x": `+nest(maxDepth)+`}`)) {
		t.Error("encoding/json's nesting limit is not maxDepth")
	}
}

func TestDecodeListLimits(t *testing.T) {
	list := func(n int, item string) string {
		return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
	}
	for _, tc := range []struct {
		member string
		n      int
		want   string
	}{
		{"technologies", MaxListItems, "ok"},
		{"technologies", MaxListItems + 1, "bad_value technologies"},
		{"contacts", MaxListItems, "ok"},
		{"contacts", MaxListItems + 1, "bad_value contacts"},
	} {
		item := `"Go"`
		if tc.member == "contacts" {
			item = `{"name": "Ada"}`
		}
		rec := `{"event_id": "c", "occurred_at": "2026-05-20T09:30:00Z", "domain": "example.com", "company_name": "E", "` +
			tc.member + `": ` + list(tc.n, item) + `}`
		_, err := Decode(TopicCompanies, []byte(rec), goldenNow())
		got := "ok"
		if ve := (*ValidationError)(nil); errors.As(err, &ve) {
			got = ve.Code + " " + ve.Field
		}
		if got != tc.want {
			t.Errorf("%d %s: %v; want %s", tc.n, tc.member, err, tc.want)
		}
	}
}

func TestDecodeOccurredAtUTC(t *testing.T) {
	rec := `{"event_id": "j", "occurred_at": "2026-05-20T11:30:00.5+02:00", "domain": "example.com", "title": "T"}`
	ev, err := Decode(TopicJobs, []byte(rec), goldenNow())
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 5, 20, 9, 30, 0, 5e8, time.UTC)
	if got := ev.Base().OccurredAt; !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("occurred_at = %v, want %v in UTC", got, want)
	}
}

func TestDecodeDoesNotKeepTheRecord(t *testing.T) {
	rec := []byte(`{"event_id": "j", "occurred_at": "2026-05-20T09:30:00Z", "domain": "example.com", "title": "Title"}`)
	ev, err := Decode(TopicJobs, rec, goldenNow())
	if err != nil {
		t.Fatal(err)
	}
	for i := range rec {
		rec[i] = 'z'
	}
	if j := ev.(*Job); j.Title != "Title" || j.EventID != "j" || j.Domain != "example.com" {
		t.Errorf("the event changed with the record buffer: %+v", j)
	}
}

func TestJSONInteger(t *testing.T) {
	for _, tc := range []struct {
		lit  string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"-0", 0, true}, {"12", 12, true}, {"-12", -12, true},
		{"12.0", 12, true}, {"12.50", 0, false}, {"1.2e1", 12, true}, {"1200e-2", 12, true},
		{"1201e-2", 0, false}, {"0.0000001e7", 1, true}, {"1E+2", 100, true}, {"0e999999999", 0, true},
		{"1e-999999999", 0, false}, {"2147483648", 2147483648, true},
		{"999999999999999999", 999999999999999999, true},
		{"1e18", math.MaxInt64, true}, {"-1e30", math.MinInt64, true}, {"1e999999999999", math.MaxInt64, true},
		{"123456789012345678901234567890", math.MaxInt64, true},
	} {
		got, ok := jsonInteger([]byte(tc.lit))
		if got != tc.want || ok != tc.ok {
			t.Errorf("jsonInteger(%s) = %d, %v; want %d, %v", tc.lit, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	for _, s := range []string{
		"2026-05-20T09:30:00Z", "2026-05-20T09:30:00.1Z", "2026-05-20T09:30:00.123456789123Z",
		"2026-05-20T09:30:00+02:00", "2026-05-20T09:30:00-23:59", "2024-02-29T00:00:00Z", "2000-02-29T23:59:59Z",
		"1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
	} {
		got, ok := parseTimestamp([]byte(s))
		want, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil || !got.Equal(want) {
			t.Errorf("parseTimestamp(%s) = %v, %v; time.Parse gives %v, %v", s, got, ok, want, err)
		}
	}
	for _, s := range []string{
		"", "2026-05-20", "2026-05-20T09:30:00", "2026-05-20t09:30:00Z", "2026-05-20T09:30:00z",
		"2026-05-20T9:30:00Z", "2026-05-20T09:30:00,1Z", "2026-05-20T09:30:00.Z", "2026-05-20T09:30:60Z",
		"2026-05-20T24:00:00Z", "2026-05-20T09:60:00Z", "2026-05-20T09:30:00+24:00", "2026-05-20T09:30:00+02:60",
		"2026-05-20T09:30:00+0200", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
		"2026-00-10T00:00:00Z", "2026-13-10T00:00:00Z", "2026-05-00T00:00:00Z", "+2026-05-20T09:30:00Z",
		"2026-05-20T09:30:00Z ", "2026-05-20 09:30:00Z", "２026-05-20T09:30:00Z",
	} {
		if got, ok := parseTimestamp([]byte(s)); ok {
			t.Errorf("parseTimestamp(%q) = %v; want an error", s, got)
		}
	}
}

func TestEnumLists(t *testing.T) {
	for name, list := range map[string][]string{"Actions": Actions(), "Changes": Changes(), "Outcomes": Outcomes(), "Codes": Codes()} {
		if len(list) == 0 || len(slices.Compact(slices.Sorted(slices.Values(list)))) != len(list) {
			t.Errorf("%s() = %v: empty or with repeats", name, list)
		}
		list[0] = "changed"
	}
	if Actions()[0] != ActionPageView || Changes()[0] != ChangeAdded || Outcomes()[0] != OutcomePurchased || Codes()[0] != CodeBadJSON {
		t.Error("a list changed when a caller changed the slice it got")
	}
	if got := fmt.Sprint(SignalTopics()); got != fmt.Sprint([]string{TopicJobs, TopicSites, TopicActivity, TopicTech}) {
		t.Errorf("SignalTopics() = %s", got)
	}
}
