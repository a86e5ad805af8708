package schemas

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// FuzzDecode decodes records of every event topic (and of topics without events)
// and checks that Decode does not panic, that an error is a *ValidationError with a
// known code, that an accepted event has its required fields and a normalised
// domain, and that Decode and the topic's JSON Schema agree on the record but for
// the differences a schema cannot express.
func FuzzDecode(f *testing.F) {
	topics := append(EventTopics(), TopicQueries)
	for i, topic := range EventTopics() {
		for _, kind := range []string{"good", "bad"} {
			for _, c := range loadGolden(f, topic, kind) {
				if c.Pad == 0 && len(c.Fill) == 0 {
					f.Add(uint8(i), c.value(f))
				}
			}
		}
	}
	schemas := compileSchemas(f)
	now := goldenNow()
	f.Fuzz(func(t *testing.T, k uint8, value []byte) {
		topic := topics[int(k)%len(topics)]
		ev, err := Decode(topic, value, now)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || !slices.Contains(Codes(), ve.Code) || ve.Message == "" {
				t.Fatalf("Decode error %#v is not a *ValidationError with a known code and a message", err)
			}
			if ev != nil {
				t.Fatalf("Decode returned an event with its error %v", err)
			}
		} else {
			checkEvent(t, ev, now)
		}
		if s := schemas[topic]; s != nil {
			compareWithSchema(t, s, value, ev, err)
		}
	})
}

// checkEvent checks what Decode promises of an event it accepts.
func checkEvent(t *testing.T, ev Event, now time.Time) {
	c := ev.Base()
	if d, err := NormalizeDomain(c.Domain); err != nil || d != c.Domain {
		t.Fatalf("domain %q is not normalised: %q, %v", c.Domain, d, err)
	}
	if c.OccurredAt.Location() != time.UTC || c.OccurredAt.Before(time.Unix(0, 0)) || c.OccurredAt.After(now.Add(MaxFutureSkew)) {
		t.Fatalf("occurred_at %v is out of range or not in UTC", c.OccurredAt)
	}
	if utf8.RuneCountInString(c.EventID) > MaxIDChars {
		t.Fatalf("event_id %q is too long", c.EventID)
	}
	required := []string{c.EventID}
	trimmed := []string{c.EventID, c.Source}
	switch e := ev.(type) {
	case *Company:
		required = append(required, e.CompanyName)
		trimmed = append(trimmed, e.CompanyName, e.Industry, e.Description, e.Location.City, e.Location.Region, e.Location.Country)
		trimmed = append(trimmed, e.Technologies...)
		if e.Employees != nil && (*e.Employees < 0 || *e.Employees > MaxEmployees) {
			t.Fatalf("employees %d", *e.Employees)
		}
		for _, tech := range e.Technologies {
			required = append(required, tech)
		}
		for _, p := range e.Contacts {
			if p == (Contact{}) {
				t.Fatal("an empty contact")
			}
			trimmed = append(trimmed, p.Name, p.Title, p.Email, p.Phone)
		}
		if len(e.Technologies) > MaxListItems || len(e.Contacts) > MaxListItems {
			t.Fatalf("%d technologies, %d contacts", len(e.Technologies), len(e.Contacts))
		}
	case *Job:
		required = append(required, e.Title)
		trimmed = append(trimmed, e.Title, e.Description, e.Location, e.URL)
		checkURLField(t, e.URL)
	case *Site:
		required = append(required, e.URL, e.Text)
		trimmed = append(trimmed, e.URL, e.Title, e.Text)
		checkURLField(t, e.URL)
	case *Activity:
		required = append(required, e.Action)
		trimmed = append(trimmed, e.Topic, e.Text, e.URL, e.ActorTitle)
		checkURLField(t, e.URL)
		if !slices.Contains(Actions(), e.Action) || e.Count < 1 || e.Count > MaxCount {
			t.Fatalf("action %q, count %d", e.Action, e.Count)
		}
	case *Tech:
		required = append(required, e.Technology, e.Change)
		trimmed = append(trimmed, e.Technology, e.Category)
		if !slices.Contains(Changes(), e.Change) {
			t.Fatalf("change %q", e.Change)
		}
	case *Outcome:
		required = append(required, e.Product, e.Outcome)
		trimmed = append(trimmed, e.Product, e.QueryID)
		if !slices.Contains(Outcomes(), e.Outcome) {
			t.Fatalf("outcome %q", e.Outcome)
		}
	default:
		t.Fatalf("Decode returned a %T", ev)
	}
	for _, s := range required {
		if s == "" {
			t.Fatalf("a required field is empty: %+v", ev)
		}
	}
	for _, s := range trimmed {
		if s != strings.TrimSpace(s) {
			t.Fatalf("%q is not trimmed", s)
		}
	}
}

func checkURLField(t *testing.T, u string) {
	if u != "" && checkURL(u) != "" {
		t.Fatalf("url %q: %s", u, checkURL(u))
	}
}

// bigExponent reports whether value may hold a number with an exponent of five
// digits or more, which makes the validator's big.Rat arithmetic slow or fail.
func bigExponent(value []byte) bool {
	for i, c := range value {
		if c != 'e' && c != 'E' {
			continue
		}
		j := i + 1
		if j < len(value) && (value[j] == '+' || value[j] == '-') {
			j++
		}
		n := 0
		for ; j < len(value) && value[j] >= '0' && value[j] <= '9'; j++ {
			n++
		}
		if n >= 5 {
			return true
		}
	}
	return false
}

// compareWithSchema checks that the JSON Schema accepts the record exactly when
// Decode does, but for the differences a schema cannot express: a future
// occurred_at, the record's size, domain normalisation, and the year 1970 as
// written against the offset that moves it into 1969.
func compareWithSchema(t *testing.T, s *jsonschema.Schema, value []byte, ev Event, err error) {
	if bigExponent(value) {
		return
	}
	serr := validate(s, value)
	var ve *ValidationError
	errors.As(err, &ve)
	switch {
	case (err == nil) == (serr == nil):
	case err != nil && (ve.Code == CodeFutureTimestamp || ve.Code == CodeOversized || ve.Code == CodeBadDomain):
	case err != nil && ve.Code == CodeBadTimestamp && strings.Contains(ve.Message, "is before"):
	case err == nil && onlyAt(serr, "/domain"):
	case err == nil:
		t.Fatalf("Decode accepts %q, the JSON Schema rejects it: %v", value, serr)
	default:
		t.Fatalf("Decode rejects %q (%v), the JSON Schema accepts it", value, err)
	}
}

// onlyAt reports whether every leaf error of a validation error is at instance
// location loc.
func onlyAt(err error, loc string) bool {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	var walk func(*jsonschema.ValidationError) bool
	walk = func(e *jsonschema.ValidationError) bool {
		if len(e.Causes) == 0 {
			return "/"+strings.Join(e.InstanceLocation, "/") == loc
		}
		for _, c := range e.Causes {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	return walk(ve)
}

// FuzzPlainURL checks that every URL isPlainURL lets through is one url.Parse
// accepts (parseURL).
func FuzzPlainURL(f *testing.F) {
	for _, s := range []string{"https://example.com/jobs/123", "http://a", "https://a.b/c_d~e/-./", "https:///x",
		"https://a:80/", "https://[::1]/", "https://a/%zz", "https://a?b", "HTTPS://A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isPlainURL(s) {
			if why := parseURL(s); why != "" {
				t.Fatalf("isPlainURL(%q), but url.Parse: %s", s, why)
			}
		}
	})
}
