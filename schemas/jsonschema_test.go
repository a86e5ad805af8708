package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compileSchemas compiles the JSON Schema of every event topic, with format
// assertions on (date-time, uri), as a producer's validator should run them.
func compileSchemas(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := make(map[string]*jsonschema.Schema)
	for _, topic := range EventTopics() {
		b, ok := JSONSchema(topic)
		if !ok {
			t.Fatalf("no JSON Schema for %s", topic)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", topic, err)
		}
		loc := "mem:///" + topic + ".json"
		if err := c.AddResource(loc, doc); err != nil {
			t.Fatalf("%s: %v", topic, err)
		}
		if out[topic], err = c.Compile(loc); err != nil {
			t.Fatalf("%s: %v", topic, err)
		}
	}
	return out
}

// validate checks a record value against a schema. A value that is not UTF-8 JSON
// is rejected, as a producer's JSON library would.
func validate(s *jsonschema.Schema, value []byte) error {
	if !utf8.Valid(value) {
		return errors.New("not UTF-8")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(value))
	if err != nil {
		return err
	}
	return s.Validate(doc)
}

// TestJSONSchemaGolden checks that each topic's JSON Schema accepts every good case
// and rejects every bad case, but for those a schema cannot reject.
func TestJSONSchemaGolden(t *testing.T) {
	// Bad cases a JSON Schema accepts, by case name, and why it cannot reject them.
	cannotReject := map[string]string{
		"occurred_at more than 5 minutes in the future": "the limit is relative to the ingest clock",
		"oversized": "a schema sees the value, not the size of the record in bytes (the record is padded with white space)",
		"domain over 253 characters once normalised": "domain normalisation: the domain pattern bounds labels (63) but not the normalised name (253)",
		"occurred_at before 1970 once in UTC":        "the pattern bounds the year as written; 1970-01-01T00:30:00+01:00 is in 1969 in UTC",
	}
	schemas := compileSchemas(t)
	used := make(map[string]bool)
	for _, topic := range EventTopics() {
		s := schemas[topic]
		for _, c := range loadGolden(t, topic, "good") {
			if err := validate(s, c.value(t)); err != nil {
				t.Errorf("%s good %q: the schema rejects it: %v", topic, c.Name, err)
			}
		}
		for _, c := range loadGolden(t, topic, "bad") {
			err := validate(s, c.value(t))
			why, exception := cannotReject[c.Name]
			switch {
			case exception && err != nil:
				t.Errorf("%s bad %q is listed as one a schema cannot reject (%s), but it does: %v", topic, c.Name, why, err)
			case exception:
				used[c.Name] = true
			case err == nil:
				t.Errorf("%s bad %q (%s %s): the schema accepts it", topic, c.Name, c.Code, c.Field)
			}
		}
	}
	for name := range cannotReject {
		if !used[name] {
			t.Errorf("no golden case is called %q", name)
		}
	}
}

// TestJSONSchemaProperties checks that each schema lists exactly the members of its
// Go event type, with the same common members in every schema.
func TestJSONSchemaProperties(t *testing.T) {
	type prop struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Items      *prop                      `json:"items"`
	}
	var common map[string]json.RawMessage
	for _, topic := range EventTopics() {
		b, _ := JSONSchema(topic)
		var s prop
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		ev := reflect.TypeOf(newEvent(t, topic)).Elem()
		if got, want := keys(s.Properties), jsonNames(ev); !slices.Equal(got, want) {
			t.Errorf("%s: schema properties %v, Go fields %v", topic, got, want)
		}
		nested := func(name string, p *prop, typ reflect.Type) {
			if got, want := keys(p.Properties), jsonNames(typ); !slices.Equal(got, want) {
				t.Errorf("%s %s: schema properties %v, Go fields %v", topic, name, got, want)
			}
		}
		if topic == TopicCompanies {
			var loc, contacts prop
			_ = json.Unmarshal(s.Properties["location"], &loc)
			_ = json.Unmarshal(s.Properties["contacts"], &contacts)
			nested("location", &loc, reflect.TypeFor[Location]())
			if contacts.Items == nil {
				t.Fatal("contacts has no items schema")
			}
			nested("contacts", contacts.Items, reflect.TypeFor[Contact]())
		}
		if common == nil {
			common = make(map[string]json.RawMessage)
			for _, name := range jsonNames(reflect.TypeFor[Common]()) {
				common[name] = s.Properties[name]
			}
			continue
		}
		for name, p := range common {
			if !bytes.Equal(p, s.Properties[name]) {
				t.Errorf("%s: property %s differs from the one of %s", topic, name, EventTopics()[0])
			}
		}
	}
}

func keys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// jsonNames lists the JSON member names of a struct type, embedded structs included.
func jsonNames(typ reflect.Type) []string {
	var out []string
	for f := range typ.Fields() {
		if f.Anonymous {
			out = append(out, jsonNames(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// TestJSONSchemaWhiteSpace checks that the white space the schemas' patterns name
// is exactly what Decode trims (unicode.IsSpace), so that a required string of
// white space only is rejected by both.
func TestJSONSchemaWhiteSpace(t *testing.T) {
	b, _ := JSONSchema(TopicJobs)
	var s struct {
		Properties map[string]struct{ Pattern string }
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	nonBlank := regexp.MustCompile(s.Properties["title"].Pattern)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		if nonBlank.MatchString(string(r)) == unicode.IsSpace(r) {
			t.Errorf("U+%04X: unicode.IsSpace is %v, and the title pattern %s agrees", r, unicode.IsSpace(r), nonBlank)
		}
	}
}

func TestJSONSchemaLookup(t *testing.T) {
	for _, topic := range []string{TopicQueries, TopicDLQ, "", "../decode.go", "leadpoet.signals.jobs.v1.json"} {
		if _, ok := JSONSchema(topic); ok {
			t.Errorf("JSONSchema(%q) found a schema", topic)
		}
	}
	b, _ := JSONSchema(TopicJobs)
	b[0] = 'x'
	if again, _ := JSONSchema(TopicJobs); again[0] != '{' {
		t.Error("changing a returned schema changed the next one")
	}
	for _, topic := range EventTopics() {
		b, _ := JSONSchema(topic)
		var s struct {
			Schema string `json:"$schema"`
			Title  string `json:"title"`
		}
		if err := json.Unmarshal(b, &s); err != nil || s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.Title != topic {
			t.Errorf("%s: $schema %q, title %q, %v", topic, s.Schema, s.Title, err)
		}
	}
}
