package schemas

import (
	"bytes"
	"math"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// decoder reads the members of a record into an event and collects the errors of
// member values. Reading goes on after such an error, so that a syntax error later
// in the record still wins, as with encoding/json; of several value errors the first
// in the record is reported.
//
// A repeated member name drops the errors of the earlier member (forget). Once an
// array or object value is read, a later member can drop its errors only all
// together, so the decoder keeps only the first of them; and it does not even record
// those of an array element after an element that had one (mute). This keeps a
// record full of errors as cheap to reject as a good one is to accept.
type decoder struct {
	reader
	// src is a copy of the record, made when the first string is kept (keep), so that
	// the strings of an event share one allocation.
	src  string
	errs []*ValidationError
	mute bool
	// parent and index say where the value being read lies, for the field of an
	// error: parent is "" at the top level, else the member holding the value
	// ("location", "contacts"); index is the element's index in a list, else -1.
	parent string
	index  int
}

// path names the field of member name (or, with name "", of the list element) at
// the current position: "title", "location.city", "contacts[2].email",
// "technologies[0]".
func (d *decoder) path(name string) string {
	p := d.parent
	if d.index >= 0 {
		p += "[" + strconv.Itoa(d.index) + "]"
	}
	switch {
	case p == "":
		return name
	case name == "":
		return p
	default:
		return p + "." + name
	}
}

// reject records why the value of member name is not accepted.
func (d *decoder) reject(code, name, format string, args ...any) {
	if !d.mute {
		d.errs = append(d.errs, invalid(code, d.path(name), format, args...))
	}
}

// keepFirst drops all but the first of the errors recorded since there were n.
func (d *decoder) keepFirst(n int) {
	if len(d.errs) > n+1 {
		d.errs = d.errs[:n+1]
	}
}

// forget drops the errors recorded for an earlier member called key: of a repeated
// member name only the last member counts.
func (d *decoder) forget(key []byte) {
	if len(d.errs) == 0 || d.mute {
		return
	}
	p := d.path(string(key))
	kept := d.errs[:0]
	for _, e := range d.errs {
		if rest, ok := strings.CutPrefix(e.Field, p); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			continue
		}
		kept = append(kept, e)
	}
	d.errs = kept
}

func (d *decoder) wrongType(name, want string) {
	got := d.kind()
	d.skip()
	if !d.mute { // not even the arguments of a dropped error
		d.reject(CodeWrongType, name, "expected %s, got JSON %s", want, got)
	}
}

// object reads the object at the current position, calling member for each member
// after its name and before its value; member must read or skip the value.
func (d *decoder) object(member func(key []byte)) {
	if !d.enter('{') {
		return
	}
	for first := true; ; first = false {
		key, ok := d.key(first)
		if !ok {
			return
		}
		d.forget(key)
		n := len(d.errs)
		member(key)
		d.keepFirst(n)
	}
}

// array reads the array at the current position, calling elem for each element; elem
// must read or skip it. It returns the number of elements.
func (d *decoder) array(elem func(i int)) int {
	if !d.enter('[') {
		return 0
	}
	start, mute := len(d.errs), d.mute
	n := 0
	for ; d.elem(n == 0); n++ {
		d.mute = mute || len(d.errs) > start
		elem(n)
		d.keepFirst(start)
	}
	d.mute = mute
	return n
}

// nested reports whether the value of member name is an array or object (open is
// '[' or '{'), to be read with array or object; null is absent, any other value is
// of the wrong type.
func (d *decoder) nested(name string, open byte) bool {
	switch d.peek() {
	case open:
		return true
	case 'n':
		d.literal("null")
	default:
		want := "object"
		if open == '[' {
			want = "array"
		}
		d.wrongType(name, want)
	}
	return false
}

func (d *decoder) maxItems(name string, n int) {
	if n > MaxListItems {
		d.reject(CodeBadValue, name, "%s has %d items, at most %d are allowed", name, n, MaxListItems)
	}
}

// string reads a string of at most max characters; null reads as empty. A longer
// string is rejected with code tooLong. The result aliases the record when the
// string has no escapes.
func (d *decoder) string(name string, max int, tooLong string) ([]byte, bool) {
	switch d.peek() {
	case '"':
		b, ok := d.str()
		if !ok {
			return nil, false
		}
		if len(b) > max {
			if n := utf8.RuneCount(b); n > max {
				d.reject(tooLong, name, "%s is %d characters, at most %d are allowed", d.path(name), n, max)
				return nil, false
			}
		}
		return b, true
	case 'n':
		return nil, d.literal("null")
	default:
		d.wrongType(name, "string")
		return nil, false
	}
}

// text reads a string of at most max characters, trimmed of surrounding white space.
func (d *decoder) text(dst *string, name string, max int) {
	if b, ok := d.string(name, max, CodeBadValue); ok {
		*dst = d.keep(bytes.TrimSpace(b))
	}
}

// keep returns b, a string value read, as a string: a slice of d.src when b lies in
// the record (a string without escapes), else a copy.
func (d *decoder) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if off := cap(d.buf) - cap(b); off >= 0 && off < len(d.buf) && &d.buf[off] == &b[0] {
		if d.src == "" {
			d.src = string(d.buf)
		}
		return d.src[off : off+len(b)]
	}
	return string(b)
}

// url reads an absolute http or https URL. A blank string is absent.
func (d *decoder) url(dst *string, name string) {
	b, ok := d.string(name, MaxURLChars, CodeBadValue)
	if !ok {
		return
	}
	if len(bytes.TrimSpace(b)) == 0 {
		*dst = ""
		return
	}
	s := d.keep(b)
	if why := checkURL(s); why != "" {
		d.reject(CodeBadValue, name, "%.200q is not an absolute http or https URL: %s", s, why)
		return
	}
	*dst = strings.TrimSpace(s)
}

// checkURL says what keeps s from being an absolute http or https URL with a host,
// or returns "". It accepts what JSON Schema's "uri" format (as
// santhosh-tekuri/jsonschema checks it) and the url pattern of the JSON Schemas
// accept together.
func checkURL(s string) string {
	if isPlainURL(s) {
		return ""
	}
	return parseURL(s)
}

// isPlainURL reports whether s is "http://" or "https://", a host name and a path
// made only of letters, digits and "-._~/" ("https://example.com/jobs/123"): a URL
// url.Parse reads without error, with that scheme and a host, so that checkURL need
// not parse it.
func isPlainURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "http://"); !ok {
			return false
		}
	}
	if rest == "" || rest[0] == '/' {
		return false
	}
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/':
		default:
			return false
		}
	}
	return true
}

// parseURL is checkURL, by url.Parse.
func parseURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "it does not parse"
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "the scheme is not http or https"
	}
	host := u.Hostname()
	if host == "" {
		return "it has no host"
	}
	if strings.Contains(host, ":") {
		addr, err := netip.ParseAddr(host)
		if !strings.Contains(u.Host, "[") || !strings.Contains(u.Host, "]") || err != nil || addr.Zone() != "" {
			return "the host is not a valid IPv6 address in brackets"
		}
	}
	return ""
}

// enum reads one of values, matched exactly. An empty string is absent.
func (d *decoder) enum(dst *string, name string, values []string) {
	b, ok := d.string(name, MaxRecordBytes, CodeBadValue)
	if !ok {
		return
	}
	if len(b) == 0 {
		*dst = ""
		return
	}
	for _, v := range values {
		if string(b) == v {
			*dst = v
			return
		}
	}
	d.reject(CodeBadEnum, name, "%.64q is not one of %s", b, strings.Join(values, ", "))
}

// integer reads an integer in [min, max]; null is absent (ok false). As in JSON
// Schema, an integer is any number whose fraction is zero: 12, 12.0 and 1.2e1 are
// all 12.
func (d *decoder) integer(name string, min, max int64) (v int64, ok bool) {
	switch d.peek() {
	case 'n':
		d.literal("null")
		return 0, false
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
	default:
		d.wrongType(name, "integer")
		return 0, false
	}
	lit, ok := d.number()
	if !ok {
		return 0, false
	}
	v, ok = jsonInteger(lit)
	switch {
	case !ok:
		d.reject(CodeWrongType, name, "expected integer, got JSON number %.64s", lit)
	case v < min:
		d.reject(CodeBadValue, name, "%s must be >= %d, got %.64s", d.path(name), min, lit)
	case v > max:
		d.reject(CodeBadValue, name, "%s must be <= %d, got %.64s", d.path(name), max, lit)
	default:
		return v, true
	}
	return 0, false
}

// jsonInteger returns the value of a JSON number when its fraction is zero, whatever
// its notation (12, 12.0, 1.2e1, 1200e-2). From 10^18 in magnitude on, it returns
// math.MaxInt64 or math.MinInt64: far beyond any limit of the contract.
func jsonInteger(lit []byte) (int64, bool) {
	neg := lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	mant, exp := lit, 0
	if i := bytes.IndexAny(mant, "eE"); i >= 0 {
		e := mant[i+1:]
		mant = mant[:i]
		eneg := e[0] == '-'
		if e[0] == '-' || e[0] == '+' {
			e = e[1:]
		}
		for _, c := range e {
			if exp < 1e6 { // any larger exponent decides the same way
				exp = exp*10 + int(c-'0')
			}
		}
		if eneg {
			exp = -exp
		}
	}
	// The value is digits * 10^exp, digits being the mantissa without its point.
	intPart, frac := mant, []byte(nil)
	if i := bytes.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	exp -= len(frac)
	digit := func(k int) byte {
		if k < len(intPart) {
			return intPart[k]
		}
		return frac[k-len(intPart)]
	}
	lo, hi := 0, len(intPart)+len(frac)
	for lo < hi && digit(lo) == '0' {
		lo++
	}
	for hi > lo && digit(hi-1) == '0' {
		hi--
		exp++
	}
	switch {
	case lo == hi:
		return 0, true
	case exp < 0:
		return 0, false
	case hi-lo+exp > 18:
		if neg {
			return math.MinInt64, true
		}
		return math.MaxInt64, true
	}
	var v int64
	for k := lo; k < hi; k++ {
		v = v*10 + int64(digit(k)-'0')
	}
	for ; exp > 0; exp-- {
		v *= 10
	}
	if neg {
		v = -v
	}
	return v, true
}

func (d *decoder) boolean(dst *bool, name string) {
	switch d.peek() {
	case 't':
		*dst = d.literal("true")
	case 'f':
		d.literal("false")
		*dst = false
	case 'n':
		d.literal("null")
		*dst = false
	default:
		d.wrongType(name, "boolean")
	}
}

// timestamp reads an RFC 3339 date-time not before 1970; null is absent.
func (d *decoder) timestamp(dst *time.Time, name string) {
	switch d.peek() {
	case '"':
	case 'n':
		d.literal("null")
		*dst = time.Time{}
		return
	default:
		got := d.kind()
		d.skip()
		d.reject(CodeBadTimestamp, name, "not an RFC 3339 timestamp: expected a string, got JSON %s", got)
		return
	}
	b, ok := d.str()
	if !ok {
		return
	}
	t, ok := parseTimestamp(b)
	switch {
	case !ok:
		d.reject(CodeBadTimestamp, name, "not an RFC 3339 timestamp: %.64q", b)
	case t.Before(minOccurredAt):
		d.reject(CodeBadTimestamp, name, "%s %s is before %s", d.path(name), t.Format(time.RFC3339), minOccurredAt.Format(time.RFC3339))
	default:
		*dst = t
	}
}

// parseTimestamp parses an RFC 3339 date-time, 2006-01-02T15:04:05.999Z or with an
// offset such as +02:00, and returns it in UTC. It accepts exactly what JSON
// Schema's "date-time" format and the occurred_at pattern of the JSON Schemas accept
// together (but for the year): upper-case T and Z, seconds up to 59, offsets up to
// 23:59. time.Parse is laxer: it takes one-digit hours, a comma before the
// fraction and offsets of 24 hours.
func parseTimestamp(b []byte) (time.Time, bool) {
	if len(b) < len("2006-01-02T15:04:05Z") || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 ||
		month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest := b[19:]
	nsec := 0
	if rest[0] == '.' {
		n := 1
		for ; n < len(rest) && rest[n] >= '0' && rest[n] <= '9'; n++ {
			if n <= 9 {
				nsec = nsec*10 + int(rest[n]-'0')
			}
		}
		if n == 1 {
			return time.Time{}, false
		}
		for k := n; k <= 9; k++ {
			nsec *= 10
		}
		rest = rest[n:]
	}
	offset := 0
	switch {
	case len(rest) == 1 && rest[0] == 'Z':
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = oh*3600 + om*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

// digits parses unsigned decimal digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	default:
		return 31
	}
}
