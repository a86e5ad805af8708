package schemas

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is how deeply arrays and objects may nest in a record: the limit of
// encoding/json, so that a record Decode reads is one any Go JSON tool reads.
const maxDepth = 10000

// reader is a pull parser over one JSON text that Decode has checked to be UTF-8.
// Decode reads the members it knows straight into the event's fields, and skips the
// others while still checking that they are valid JSON. Member names match exactly,
// and of a repeated name the last member counts, as in JSON Schema validators;
// encoding/json would match names case-insensitively.
//
// The first syntax error stops reading: it is kept in err, and from then on peek
// returns 0 and every read fails.
type reader struct {
	buf   []byte
	pos   int
	depth int // how many arrays and objects enclose pos
	err   *ValidationError
}

func (r *reader) syntaxError(what string) {
	if r.err == nil {
		r.err = invalid(CodeBadJSON, "", "record is not valid JSON at byte %d: %s", r.pos, what)
	}
}

// peek skips white space and returns the next byte; 0 at the end or after an error.
func (r *reader) peek() byte {
	if r.err != nil {
		return 0
	}
	for r.pos < len(r.buf) {
		switch c := r.buf[r.pos]; c {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return c
		}
	}
	return 0
}

// kind names the JSON type of the next value, for messages.
func (r *reader) kind() string {
	switch r.peek() {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "number"
	}
	return "value"
}

// end checks that nothing but white space follows the value read.
func (r *reader) end() {
	r.peek()
	if r.err == nil && r.pos < len(r.buf) {
		r.syntaxError("unexpected data after the top-level value")
	}
}

// enter consumes the opening byte of an array or object.
func (r *reader) enter(open byte) bool {
	if r.peek() != open {
		r.syntaxError("expected '" + string(open) + "'")
		return false
	}
	if r.depth == maxDepth {
		r.syntaxError("arrays and objects nest more than 10000 deep")
		return false
	}
	r.pos++
	r.depth++
	return true
}

// key reads the name of the next member of the object entered last, and the ':'
// after it. first says whether no member was read yet. At the end of the object it
// consumes the '}' and returns false, as it does on an error.
func (r *reader) key(first bool) ([]byte, bool) {
	c := r.peek()
	if c == '}' {
		r.pos++
		r.depth--
		return nil, false
	}
	if !first {
		if c != ',' {
			r.syntaxError("expected ',' or '}' after an object member")
			return nil, false
		}
		r.pos++
		c = r.peek()
	}
	if c != '"' {
		r.syntaxError("expected a member name")
		return nil, false
	}
	name, ok := r.str()
	if !ok {
		return nil, false
	}
	if r.peek() != ':' {
		r.syntaxError("expected ':' after a member name")
		return nil, false
	}
	r.pos++
	return name, true
}

// elem reports whether the array entered last has another element, and consumes the
// ',' before it. At the end of the array it consumes the ']' and returns false, as it
// does on an error.
func (r *reader) elem(first bool) bool {
	c := r.peek()
	if c == ']' {
		r.pos++
		r.depth--
		return false
	}
	if !first {
		if c != ',' {
			r.syntaxError("expected ',' or ']' after an array element")
			return false
		}
		r.pos++
	}
	return r.err == nil
}

// str reads a string and returns its value. Without escapes the value is a slice of
// buf; the caller copies what it keeps.
func (r *reader) str() ([]byte, bool) {
	if r.peek() != '"' {
		r.syntaxError("expected a string")
		return nil, false
	}
	start := r.pos + 1
	for i := start; i < len(r.buf); i++ {
		switch c := r.buf[i]; {
		case c == '"':
			r.pos = i + 1
			return r.buf[start:i], true
		case c == '\\':
			return r.unescape(start, i)
		case c < 0x20:
			r.pos = i
			r.syntaxError("control character in a string")
			return nil, false
		}
	}
	r.pos = len(r.buf)
	r.syntaxError("unterminated string")
	return nil, false
}

// unescape reads the rest of a string whose first escape is at i. Like
// encoding/json, it turns a \u escape of a lone UTF-16 surrogate into U+FFFD.
func (r *reader) unescape(start, i int) ([]byte, bool) {
	out := make([]byte, i-start, i-start+32)
	copy(out, r.buf[start:i])
	for i < len(r.buf) {
		c := r.buf[i]
		switch {
		case c == '"':
			r.pos = i + 1
			return out, true
		case c < 0x20:
			r.pos = i
			r.syntaxError("control character in a string")
			return nil, false
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(r.buf) {
			break
		}
		switch e := r.buf[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			u, ok := hex4(r.buf[i:])
			if !ok {
				r.pos = i
				r.syntaxError(`invalid \u escape`)
				return nil, false
			}
			i += 6
			if utf16.IsSurrogate(u) {
				u2, ok := hex4(r.buf[i:])
				if dec := utf16.DecodeRune(u, u2); ok && dec != utf8.RuneError {
					i += 6
					u = dec
				} else {
					u = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, u)
			continue
		default:
			r.pos = i
			r.syntaxError("invalid escape in a string")
			return nil, false
		}
		i += 2
	}
	r.pos = len(r.buf)
	r.syntaxError("unterminated string")
	return nil, false
}

// hex4 decodes the \uXXXX escape at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var u rune
	for _, c := range b[2:6] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		u = u<<4 | rune(c)
	}
	return u, true
}

// number reads a number and returns its text.
func (r *reader) number() ([]byte, bool) {
	if r.peek() == 0 {
		r.syntaxError("expected a number")
		return nil, false
	}
	b, start := r.buf, r.pos
	i := start
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		r.pos = i
		r.syntaxError("expected a number")
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			r.pos = i
			r.syntaxError("expected a digit after the decimal point")
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			r.pos = i
			r.syntaxError("expected a digit in the exponent")
			return nil, false
		}
	}
	r.pos = i
	return b[start:i], true
}

// literal reads true, false or null.
func (r *reader) literal(lit string) bool {
	r.peek()
	if r.err != nil || !bytes.HasPrefix(r.buf[r.pos:], []byte(lit)) {
		r.syntaxError("invalid literal")
		return false
	}
	r.pos += len(lit)
	return true
}

// skip reads any value and drops it.
func (r *reader) skip() {
	switch r.peek() {
	case '"':
		r.skipString()
	case '{':
		if !r.enter('{') {
			return
		}
		for first := true; ; first = false {
			if _, ok := r.key(first); !ok {
				return
			}
			r.skip()
		}
	case '[':
		if !r.enter('[') {
			return
		}
		for first := true; r.elem(first); first = false {
			r.skip()
		}
	case 't':
		r.literal("true")
	case 'f':
		r.literal("false")
	case 'n':
		r.literal("null")
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		r.number()
	default:
		r.syntaxError("expected a value")
	}
}

// skipString checks a string without building its value.
func (r *reader) skipString() {
	b := r.buf
	for i := r.pos + 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			r.pos = i + 1
			return
		case c < 0x20:
			r.pos = i
			r.syntaxError("control character in a string")
			return
		case c == '\\':
			if i+1 < len(b) {
				switch b[i+1] {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					i++
					continue
				}
			}
			if _, ok := hex4(b[i:]); !ok {
				r.pos = i
				r.syntaxError("invalid escape in a string")
				return
			}
			i += 5
		}
	}
	r.pos = len(b)
	r.syntaxError("unterminated string")
}
