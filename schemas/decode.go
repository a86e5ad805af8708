package schemas

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// Reason codes of a rejected record. They are stable: dashboards, alerts and the DLQ
// tooling key on them.
const (
	CodeBadJSON         = "bad_json"
	CodeMissingField    = "missing_field"
	CodeWrongType       = "wrong_type"
	CodeBadEnum         = "bad_enum"
	CodeBadDomain       = "bad_domain"
	CodeBadTimestamp    = "bad_timestamp"
	CodeFutureTimestamp = "future_timestamp"
	CodeBadValue        = "bad_value"
	CodeOversized       = "oversized"
	CodeUnknownTopic    = "unknown_topic"
)

// Codes lists every reason code.
func Codes() []string {
	return []string{
		CodeBadJSON, CodeMissingField, CodeWrongType, CodeBadEnum, CodeBadDomain,
		CodeBadTimestamp, CodeFutureTimestamp, CodeBadValue, CodeOversized, CodeUnknownTopic,
	}
}

// MaxRecordBytes is the largest record value ingest accepts.
const MaxRecordBytes = 256 << 10

// MaxFutureSkew is how far in the future occurred_at may lie.
const MaxFutureSkew = 5 * time.Minute

// minOccurredAt is the earliest occurred_at accepted: the start of ClickHouse's DateTime.
var minOccurredAt = time.Unix(0, 0).UTC()

// ValidationError says why a record was rejected.
type ValidationError struct {
	Code    string // one of the Code* constants
	Field   string // the JSON field at fault, if any
	Message string
}

func (e *ValidationError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func invalid(code, field, format string, args ...any) *ValidationError {
	return &ValidationError{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Event is a decoded, validated and normalised v1 event.
type Event interface {
	Base() *Common
}

// Base returns the common fields.
func (c *Common) Base() *Common { return c }

// Decode parses and validates one record value of the given topic: one of
// EventTopics. It trims the white space around strings, normalises the domain, sets
// occurred_at in UTC and an activity's missing count to 1. now is the ingest clock,
// used for the future-timestamp rule. The error, when not nil, is a
// *ValidationError.
//
// Unknown members are ignored. Member names match exactly; of a repeated name the
// last member counts. null reads as an absent member.
func Decode(topic string, value []byte, now time.Time) (Event, error) {
	if len(value) > MaxRecordBytes {
		return nil, invalid(CodeOversized, "", "record is %d bytes, the limit is %d", len(value), MaxRecordBytes)
	}
	if !utf8.Valid(value) {
		return nil, invalid(CodeBadJSON, "", "record is not valid UTF-8")
	}
	d := decoder{reader: reader{buf: value}, index: -1}
	if d.peek() != '{' {
		if !json.Valid(value) {
			return nil, invalid(CodeBadJSON, "", "record is not valid JSON")
		}
		return nil, invalid(CodeWrongType, "", "record must be a JSON object")
	}
	var ev Event
	switch topic {
	case TopicCompanies:
		e := new(Company)
		d.object(func(key []byte) { d.company(e, key) })
		ev = e
	case TopicJobs:
		e := new(Job)
		d.object(func(key []byte) { d.job(e, key) })
		ev = e
	case TopicSites:
		e := new(Site)
		d.object(func(key []byte) { d.site(e, key) })
		ev = e
	case TopicActivity:
		e := new(Activity)
		d.object(func(key []byte) { d.activity(e, key) })
		ev = e
	case TopicTech:
		e := new(Tech)
		d.object(func(key []byte) { d.tech(e, key) })
		ev = e
	case TopicOutcomes:
		e := new(Outcome)
		d.object(func(key []byte) { d.outcome(e, key) })
		ev = e
	default:
		return nil, invalid(CodeUnknownTopic, "", "topic %q has no producer events in wire contract v1", topic)
	}
	d.end()
	if d.err != nil {
		return nil, d.err
	}
	if len(d.errs) > 0 {
		return nil, d.errs[0]
	}
	if err := validateCommon(ev.Base(), now); err != nil {
		return nil, err
	}
	var err *ValidationError
	switch e := ev.(type) {
	case *Company:
		err = required("company_name", e.CompanyName)
	case *Job:
		err = required("title", e.Title)
	case *Site:
		err = required("url", e.URL, "text", e.Text)
	case *Activity:
		err = required("action", e.Action)
		if e.Count == 0 {
			e.Count = 1
		}
	case *Tech:
		err = required("technology", e.Technology, "change", e.Change)
	case *Outcome:
		err = required("product", e.Product, "outcome", e.Outcome)
	}
	if err != nil {
		return nil, err
	}
	return ev, nil
}

func validateCommon(c *Common, now time.Time) error {
	if c.EventID == "" {
		return invalid(CodeMissingField, "event_id", "event_id is required")
	}
	if c.OccurredAt.IsZero() {
		return invalid(CodeMissingField, "occurred_at", "occurred_at is required")
	}
	if c.OccurredAt.After(now.Add(MaxFutureSkew)) {
		return invalid(CodeFutureTimestamp, "occurred_at", "occurred_at %s is more than %s in the future", c.OccurredAt.Format(time.RFC3339), MaxFutureSkew)
	}
	c.OccurredAt = c.OccurredAt.UTC()
	if c.Domain == "" {
		return invalid(CodeMissingField, "domain", "domain is required")
	}
	d, err := NormalizeDomain(c.Domain)
	if err != nil {
		return invalid(CodeBadDomain, "domain", "%v", err)
	}
	c.Domain = d
	return nil
}

// required checks that the named fields (name, value pairs) are not empty.
func required(fields ...string) *ValidationError {
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			return invalid(CodeMissingField, fields[i], "%s is required", fields[i])
		}
	}
	return nil
}

// common reads a member every event has, and reports false for any other name.
func (d *decoder) common(c *Common, key []byte) bool {
	switch string(key) {
	case "event_id":
		d.text(&c.EventID, "event_id", MaxIDChars)
	case "occurred_at":
		d.timestamp(&c.OccurredAt, "occurred_at")
	case "domain":
		if b, ok := d.string("domain", MaxURLChars, CodeBadDomain); ok {
			c.Domain = d.keep(b) // NormalizeDomain trims it
		}
	case "source":
		d.text(&c.Source, "source", MaxShortTextChars)
	default:
		return false
	}
	return true
}

func (d *decoder) company(c *Company, key []byte) {
	switch string(key) {
	case "company_name":
		d.text(&c.CompanyName, "company_name", MaxShortTextChars)
	case "industry":
		d.text(&c.Industry, "industry", MaxShortTextChars)
	case "employees":
		c.Employees = nil
		if n, ok := d.integer("employees", 0, MaxEmployees); ok {
			v := int(n)
			c.Employees = &v
		}
	case "location":
		d.location(&c.Location)
	case "description":
		d.text(&c.Description, "description", MaxLongTextChars)
	case "technologies":
		d.technologies(&c.Technologies)
	case "contacts":
		d.contacts(&c.Contacts)
	case "deleted":
		d.boolean(&c.Deleted, "deleted")
	default:
		if !d.common(&c.Common, key) {
			d.skip()
		}
	}
}

func (d *decoder) location(l *Location) {
	*l = Location{}
	if !d.nested("location", '{') {
		return
	}
	d.parent = "location"
	d.object(func(key []byte) {
		switch string(key) {
		case "city":
			d.text(&l.City, "city", MaxShortTextChars)
		case "region":
			d.text(&l.Region, "region", MaxShortTextChars)
		case "country":
			d.text(&l.Country, "country", MaxShortTextChars)
		default:
			d.skip()
		}
	})
	d.parent = ""
}

// technologies reads a list of names, dropping blank ones.
func (d *decoder) technologies(list *[]string) {
	*list = nil
	if !d.nested("technologies", '[') {
		return
	}
	d.parent = "technologies"
	n := d.array(func(i int) {
		d.index = i
		var t string
		d.text(&t, "", MaxShortTextChars)
		if t != "" {
			*list = append(*list, t)
		}
	})
	d.parent, d.index = "", -1
	d.maxItems("technologies", n)
}

// contacts reads a list of contacts, dropping null and blank ones.
func (d *decoder) contacts(list *[]Contact) {
	*list = nil
	if !d.nested("contacts", '[') {
		return
	}
	n := d.array(func(i int) {
		d.parent, d.index = "contacts", i
		if !d.nested("", '{') {
			return
		}
		var c Contact
		d.object(func(key []byte) {
			switch string(key) {
			case "name":
				d.text(&c.Name, "name", MaxShortTextChars)
			case "title":
				d.text(&c.Title, "title", MaxShortTextChars)
			case "email":
				d.text(&c.Email, "email", MaxShortTextChars)
			case "phone":
				d.text(&c.Phone, "phone", MaxShortTextChars)
			default:
				d.skip()
			}
		})
		if c != (Contact{}) {
			*list = append(*list, c)
		}
	})
	d.parent, d.index = "", -1
	d.maxItems("contacts", n)
}

func (d *decoder) job(j *Job, key []byte) {
	switch string(key) {
	case "title":
		d.text(&j.Title, "title", MaxShortTextChars)
	case "description":
		d.text(&j.Description, "description", MaxLongTextChars)
	case "location":
		d.text(&j.Location, "location", MaxShortTextChars)
	case "url":
		d.url(&j.URL, "url")
	default:
		if !d.common(&j.Common, key) {
			d.skip()
		}
	}
}

func (d *decoder) site(s *Site, key []byte) {
	switch string(key) {
	case "url":
		d.url(&s.URL, "url")
	case "title":
		d.text(&s.Title, "title", MaxShortTextChars)
	case "text":
		d.text(&s.Text, "text", MaxLongTextChars)
	default:
		if !d.common(&s.Common, key) {
			d.skip()
		}
	}
}

func (d *decoder) activity(a *Activity, key []byte) {
	switch string(key) {
	case "action":
		d.enum(&a.Action, "action", Actions())
	case "topic":
		d.text(&a.Topic, "topic", MaxShortTextChars)
	case "text":
		d.text(&a.Text, "text", MaxLongTextChars)
	case "url":
		d.url(&a.URL, "url")
	case "count":
		a.Count = 0 // Decode sets the default of 1
		if n, ok := d.integer("count", 1, MaxCount); ok {
			a.Count = int(n)
		}
	case "actor_title":
		d.text(&a.ActorTitle, "actor_title", MaxShortTextChars)
	default:
		if !d.common(&a.Common, key) {
			d.skip()
		}
	}
}

func (d *decoder) tech(t *Tech, key []byte) {
	switch string(key) {
	case "technology":
		d.text(&t.Technology, "technology", MaxShortTextChars)
	case "change":
		d.enum(&t.Change, "change", Changes())
	case "category":
		d.text(&t.Category, "category", MaxShortTextChars)
	default:
		if !d.common(&t.Common, key) {
			d.skip()
		}
	}
}

func (d *decoder) outcome(o *Outcome, key []byte) {
	switch string(key) {
	case "product":
		d.text(&o.Product, "product", MaxShortTextChars)
	case "outcome":
		d.enum(&o.Outcome, "outcome", Outcomes())
	case "query_id":
		d.text(&o.QueryID, "query_id", MaxIDChars)
	default:
		if !d.common(&o.Common, key) {
			d.skip()
		}
	}
}
