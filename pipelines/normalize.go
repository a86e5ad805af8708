package pipelines

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/schemas"
)

// maxFieldBytes bounds an industry, city, region or country value. A longer value is
// not a name but text in the wrong field, and is dropped rather than searched.
const maxFieldBytes = 128

// Normalizer maps the free text of incoming events onto the values the API filters
// on: a short list of canonical industries, places with US states and Canadian
// provinces as two-letter codes and countries by their English names, and technology
// ids. NewNormalizer builds its lookup tables once; afterwards they are only read, so
// one Normalizer is safe for concurrent use by every worker.
type Normalizer struct {
	ind   industryTables
	place placeTables
	tech  techTables
}

// NewNormalizer builds the lookup tables. It panics when two spellings in the built-in
// tables fold onto one key but name different values, which is a bug in the tables.
func NewNormalizer() *Normalizer {
	return &Normalizer{
		ind:   newIndustryTables(),
		place: newPlaceTables(),
		tech:  newTechTables(),
	}
}

// Company normalises a company event in place: Industry becomes a canonical industry
// ("" when the text names none), Location is normalised as Location does, and
// Technologies becomes the canonical ids, de-duplicated, in their first order. The
// other fields are left as they are.
func (n *Normalizer) Company(e *schemas.Company) {
	e.Industry = n.Industry(e.Industry)
	e.Location = n.Location(e.Location)
	e.Technologies = n.Technologies(e.Technologies)
}

// appendKey appends the lookup key of s to dst: lower case, common Latin diacritics
// removed ("Zürich" → "zurich"), full stops and apostrophes dropped ("N.Y." → "ny"),
// "&" spelled "and", and each run of other characters that are neither letters nor
// digits written as one space, with none at either end.
func appendKey(dst []byte, s string) []byte {
	start := len(dst)
	space := false
	for _, r := range s {
		if r >= utf8.RuneSelf {
			r = unicode.ToLower(r)
		}
		if r < utf8.RuneSelf {
			c := byte(r)
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c == '.' || c == '\'':
				continue
			case c == '&':
				if len(dst) > start {
					dst = append(dst, ' ')
				}
				dst = append(dst, "and"...)
				space = true
				continue
			default:
				space = space || len(dst) > start
				continue
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, c)
			continue
		}
		if r == '’' || r == 'ʼ' {
			continue
		}
		plain := foldDiacritic(r)
		if plain == "" && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = space || len(dst) > start
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		if plain != "" {
			dst = append(dst, plain...)
		} else {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// foldDiacritic returns the plain Latin spelling of a lower-case letter with a
// diacritic ("é" → "e", "ß" → "ss"), or "" for any other rune.
func foldDiacritic(r rune) string {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return "a"
	case 'æ':
		return "ae"
	case 'ç', 'ć', 'č', 'ĉ', 'ċ':
		return "c"
	case 'ď', 'đ', 'ð':
		return "d"
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		return "e"
	case 'ğ', 'ġ', 'ģ':
		return "g"
	case 'ì', 'í', 'î', 'ï', 'ī', 'į', 'ı':
		return "i"
	case 'ķ':
		return "k"
	case 'ĺ', 'ļ', 'ľ', 'ł':
		return "l"
	case 'ñ', 'ń', 'ņ', 'ň':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return "o"
	case 'œ':
		return "oe"
	case 'ŕ', 'ř':
		return "r"
	case 'ś', 'ş', 'š', 'ș':
		return "s"
	case 'ß':
		return "ss"
	case 'ţ', 'ť', 'ț':
		return "t"
	case 'þ':
		return "th"
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű', 'ų':
		return "u"
	case 'ý', 'ÿ':
		return "y"
	case 'ź', 'ż', 'ž':
		return "z"
	}
	return ""
}

// keyWords calls fn with each space-separated word of a key until fn returns false.
func keyWords(key []byte, fn func(word []byte) bool) {
	for len(key) > 0 {
		i := 0
		for i < len(key) && key[i] != ' ' {
			i++
		}
		if !fn(key[:i]) {
			return
		}
		if i == len(key) {
			return
		}
		key = key[i+1:]
	}
}

// cleanText trims s, collapses each run of white space inside it to one space,
// replaces invalid UTF-8 with U+FFFD and returns "" when the result is longer than
// maxFieldBytes. It returns s itself when nothing changes.
func cleanText(s string) string {
	s = strings.TrimFunc(s, isTrimmed)
	if len(s) > maxFieldBytes {
		return ""
	}
	if !utf8.ValidString(s) {
		if s = strings.ToValidUTF8(s, "\uFFFD"); len(s) > maxFieldBytes {
			return ""
		}
	}
	clean := true
	prevSpace := false
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (r != ' ' || prevSpace) {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isTrimmed reports whether r is cut from either end of a field: white space and the
// punctuation that separates fields rather than belonging to a name.
func isTrimmed(r rune) bool {
	switch r {
	case ',', ';', '|', '"', '*', '•':
		return true
	}
	return unicode.IsSpace(r)
}

// placeTitle capitalises a place name written all in lower or all in upper case:
// "san francisco" and "SAN FRANCISCO" become "San Francisco", "winston-salem"
// becomes "Winston-Salem" and "rio de janeiro" "Rio de Janeiro". A name written in
// mixed case keeps its capitals ("McAllen", "Sydney NSW") and only has the first
// letters of its words raised; a name of up to three capitals stays as it is ("NSW").
// s must be clean (see cleanText).
func placeTitle(s string) string {
	// Mixed case needs a lower-case letter inside a word: "aBC" is written in
	// capitals, and its first letter raised makes it "ABC", which must not change.
	anyLower, innerLower, anyUpper := false, false, false
	initial := true
	for _, r := range s {
		lower := unicode.IsLower(r)
		anyLower = anyLower || lower
		innerLower = innerLower || lower && !initial
		anyUpper = anyUpper || unicode.IsUpper(r)
		initial = r == ' ' || r == '-'
	}
	if !anyLower && len(s) <= 3 && !strings.ContainsAny(s, " -") {
		return s // a code such as "NSW"
	}
	mixed := innerLower && anyUpper
	var buf [2 * maxFieldBytes]byte
	b := buf[:0]
	for i := 0; i < len(s); {
		// A word runs to the next space or hyphen.
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '-' {
			j++
		}
		b = appendTitleWord(b, s[i:j], i == 0, mixed)
		if j < len(s) {
			b = append(b, s[j])
			j++
		}
		i = j
	}
	if string(b) == s {
		return s
	}
	return string(b)
}

// appendTitleWord appends one word of placeTitle to dst.
func appendTitleWord(dst []byte, w string, first, mixed bool) []byte {
	if w == "" {
		return dst
	}
	if !first && isParticle(w) {
		for _, r := range w {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		return dst
	}
	r, size := utf8.DecodeRuneInString(w)
	if mixed && !unicode.IsLower(r) {
		return append(dst, w...)
	}
	dst = utf8.AppendRune(dst, unicode.ToUpper(r))
	if mixed {
		return append(dst, w[size:]...)
	}
	for _, r := range w[size:] {
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// isParticle reports whether w is a word that stays in lower case inside a place name
// ("Frankfurt am Main", "Rio de Janeiro", "Stratford-upon-Avon").
func isParticle(w string) bool {
	if len(w) > len("della") {
		return false
	}
	for _, p := range [...]string{"am", "an", "and", "da", "das", "de", "del", "della", "der", "di", "do",
		"dos", "du", "en", "im", "la", "le", "les", "of", "on", "sur", "the", "upon", "van", "von", "y"} {
		if strings.EqualFold(w, p) {
			return true
		}
	}
	return false
}
