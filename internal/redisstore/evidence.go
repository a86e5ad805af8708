package redisstore

import (
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/scorer"
)

// appendEvidence appends the JSON of an evidence item as stored in a company's
// evidence set: the bytes json.Marshal makes of storedEvidence, written without
// reflection (ingest encodes one per signal).
func appendEvidence(b []byte, eventID string, ev *scorer.Evidence) ([]byte, error) {
	at := ev.ObservedAt.UTC()
	if y := at.Year(); y < 0 || y > 9999 {
		return nil, errors.New("evidence time out of the range JSON allows")
	}
	if math.IsInf(ev.Weight, 0) || math.IsNaN(ev.Weight) {
		return nil, errors.New("evidence weight is not a finite number")
	}
	b = append(b, `{"id":`...)
	b = appendJSONString(b, eventID)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, ev.Kind)
	b = appendOptional(b, `,"action":`, ev.Action)
	if ev.Weight != 0 {
		b = append(b, `,"w":`...)
		b = appendJSONFloat(b, ev.Weight)
	}
	b = appendOptional(b, `,"source":`, ev.Source)
	b = appendOptional(b, `,"url":`, ev.URL)
	b = appendOptional(b, `,"title":`, ev.Title)
	b = appendOptional(b, `,"snippet":`, ev.Snippet)
	b = append(b, `,"at":"`...)
	b = at.AppendFormat(b, time.RFC3339Nano)
	return append(b, `"}`...), nil
}

// appendOptional appends an omitempty string field.
func appendOptional(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	return appendJSONString(append(b, name...), v)
}

// appendJSONFloat formats f as encoding/json does (ES6 number formatting).
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as in encoding/json.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does, HTML escaping included: <, > and
// & as \u003c, \u003e and \u0026, U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
