package scorer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTokenLen bounds a token's length in bytes. Longer runs (URLs, hashes, base64) are
// not words anyone searches for and would only bloat the index.
const maxTokenLen = 48

// Tokenize turns text into index terms. Ingest indexes every signal's text with it and
// queries are read with it, so both sides always agree on terms. It is deterministic
// and allocates only the result, stems that grow and bigrams.
//
// The text is lower-cased and split on everything but letters and digits, with a few
// exceptions so that technology names survive: a trailing "+" or "#" after a letter
// stays ("c++", "c#"), a dot inside a word or before a word ("asp.net", ".net",
// "node.js") stays, and a single letter joined by a hyphen is glued on ("e-commerce" →
// "ecommerce"). English stopwords, pure numbers, one-letter words and tokens longer than
// 48 bytes are dropped. What remains is stemmed lightly (see stem: "support",
// "supports", "supporting" and "supported" all become "support"; "software" stays).
//
// After each term (in text order) comes the bigram of it and the previous kept term,
// joined by "_" ("customer_support", "help_desk"). Bigrams bridge dropped stopwords
// but not numbers or clause punctuation (. , ; : ! ? brackets, quotes, newlines).
// Terms repeat as often as they occur.
func Tokenize(text string) []string {
	out := make([]string, 0, len(text)/6+1)
	scanTerms(text, func(first, second string, _, _ int) {
		out = append(out, joinTerm(first, second))
	})
	return out
}

// TermCounts counts the terms Tokenize returns for text. The sum of the counts is the
// text's length as BM25 sees it (Candidate.DocLength).
func TermCounts(text string) map[string]int {
	counts := make(map[string]int)
	scanTerms(text, func(first, second string, _, _ int) {
		counts[joinTerm(first, second)]++
	})
	return counts
}

// joinTerm is the term scanTerms reports as (first, second): a unigram when second is
// empty, else the bigram "first_second".
func joinTerm(first, second string) string {
	if second == "" {
		return first
	}
	return first + "_" + second
}

// appendTerm is append(dst, joinTerm(first, second)...) without building the bigram.
func appendTerm(dst []byte, first, second string) []byte {
	dst = append(dst, first...)
	if second == "" {
		return dst
	}
	return append(append(dst, '_'), second...)
}

// scanTerms calls emit for every term of text, in Tokenize's order, with the byte
// span [start, end) of its surface form in strings.ToLower(text). A unigram comes as
// (term, ""), a bigram as its two words (see joinTerm), so callers that only look terms
// up need not build the bigram string. A bigram's span runs from the start of its
// first word to the end of its second.
func scanTerms(text string, emit func(first, second string, start, end int)) {
	lower := strings.ToLower(text)
	n := len(lower)
	prev, prevStart := "", 0
	for i := 0; i < n; {
		r, size := runeAt(lower, i)
		startsDotWord := r == '.' && i+1 < n && isLetterAt(lower, i+1) && (i == 0 || !isWordRuneBefore(lower, i))
		if !isWordRune(r) && !startsDotWord {
			if breaksClause(r) {
				prev = ""
			}
			i += size
			continue
		}
		start := i
		j := i + size
		for j < n {
			r, sz := runeAt(lower, j)
			if isWordRune(r) {
				j += sz
				continue
			}
			if r == '.' && j+1 < n && isLetterAt(lower, j+1) {
				j += sz
				continue
			}
			break
		}
		tok := lower[start:j]
		if last, _ := utf8.DecodeLastRuneInString(tok); unicode.IsLetter(last) {
			k := j
			for k < n && k-j < 2 && (lower[k] == '+' || lower[k] == '#') {
				k++
			}
			if k > j && (k == n || !isWordRune(runeAtOnly(lower, k))) {
				j = k
				tok = lower[start:j]
			}
		}
		if len(tok) == 1 && j+1 < n && lower[j] == '-' && isLetterAt(lower, j+1) {
			m := j + 1
			for m < n {
				r, sz := runeAt(lower, m)
				if !isWordRune(r) {
					break
				}
				m += sz
			}
			tok = tok + lower[j+1:m]
			j = m
		}
		i = j

		switch {
		case len(tok) > maxTokenLen || isDigits(tok):
			prev = ""
			continue
		case isStopword(tok) || utf8.RuneCountInString(tok) < 2:
			continue
		}
		term := stem(tok)
		emit(term, "", start, j)
		if prev != "" {
			emit(prev, term, prevStart, j)
		}
		prev, prevStart = term, start
	}
}

func runeAt(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

func runeAtOnly(s string, i int) rune {
	r, _ := runeAt(s, i)
	return r
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isLetterAt(s string, i int) bool {
	return unicode.IsLetter(runeAtOnly(s, i))
}

func isWordRuneBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWordRune(r)
}

// breaksClause reports whether r ends the run over which bigrams are formed.
func breaksClause(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '"', '|', '\n', '\r',
		'\u201c', '\u201d', '\u2026':
		return true
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isStopword reports whether w is an English function word (or a fragment of a
// contraction split at its apostrophe) that carries no topic.
func isStopword(w string) bool {
	switch w {
	case "a", "about", "above", "across", "after", "again", "against", "all", "also", "am",
		"among", "an", "and", "any", "are", "aren", "as", "at", "be", "because", "been",
		"before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could",
		"couldn", "did", "didn", "do", "does", "doesn", "doing", "don", "down", "during",
		"each", "e.g", "eg", "etc", "few", "for", "from", "further", "had", "hadn", "has",
		"hasn", "have", "haven", "having", "he", "her", "here", "hers", "herself", "him",
		"himself", "his", "how", "i.e", "ie", "if", "in", "into", "is", "isn", "it", "its",
		"itself", "just", "ll", "may", "me", "might", "more", "most", "must", "mustn", "my",
		"myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
		"others", "our", "ours", "ourselves", "out", "over", "own", "per", "re", "same",
		"shall", "she", "should", "shouldn", "so", "some", "such", "than", "that", "the",
		"their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
		"those", "through", "to", "too", "under", "until", "up", "upon", "us", "ve", "very",
		"via", "was", "wasn", "we", "were", "weren", "what", "when", "where", "which", "while",
		"who", "whom", "why", "will", "with", "within", "without", "won", "would", "wouldn",
		"you", "your", "yours", "yourself", "yourselves":
		return true
	}
	return false
}

// stem strips inflections so that the forms of one word share a term. It is a small
// Porter-like step, tuned for consistency rather than linguistics: index and query go
// through the same function, so a stem only has to be the same for the forms people
// use interchangeably. Only ASCII words of four letters or more are touched.
//
//   - plurals: "companies" → "company", "processes" → "process", "tools" → "tool";
//     words ending in "ss", "us", "is" keep their "s"
//   - "-ing" and "-ed" when a vowel remains: "supporting" → "support", "hiring" →
//     "hire", "automated" → "automate", "planning" → "plan", "pricing" → "price"
//   - "-ization" → "-ize" and "-ation" → "-ate": "modernization" → "modernize",
//     "automation" → "automate", "integration" → "integrate"
//
// A few words are kept whole because their stem would mean something else
// ("marketing" is not "market", "accounting" is not "account", "saas", "devops").
func stem(w string) string {
	if len(w) < 4 || !isLowerASCII(w) || keepWhole(w) {
		return w
	}
	w = stemPlural(w)
	switch {
	case strings.HasSuffix(w, "ing"):
		if base := w[:len(w)-3]; len(base) >= 3 && hasVowel(base) {
			return fixVerbStem(base)
		}
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "eed"):
		return w
	case strings.HasSuffix(w, "ed") && len(w) >= 5:
		if base := w[:len(w)-2]; hasVowel(base) {
			return fixVerbStem(base)
		}
	case strings.HasSuffix(w, "ization") && len(w) > 8:
		return w[:len(w)-7] + "ize"
	case strings.HasSuffix(w, "isation") && len(w) > 8:
		return w[:len(w)-7] + "ize"
	case strings.HasSuffix(w, "ation") && len(w) >= 8:
		return w[:len(w)-5] + "ate"
	}
	return w
}

func stemPlural(w string) string {
	switch {
	case strings.HasSuffix(w, "sses"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ies"):
		if len(w) > 4 {
			return w[:len(w)-3] + "y"
		}
		return w[:len(w)-1]
	case strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"),
		strings.HasSuffix(w, "zzes"):
		return w[:len(w)-2]
	case w == "apis", w == "kpis", w == "slis", w == "cpus", w == "gpus":
		return w[:len(w)-1]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// fixVerbStem turns what is left of a word after "-ing" or "-ed" into the form the bare
// word has: "runn" → "run", "automat" → "automate", "hir" → "hire".
func fixVerbStem(b string) string {
	n := len(b)
	last := b[n-1]
	if n > 3 && b[n-2] == last && !isVowel(b, n-1) && last != 'l' && last != 's' && last != 'z' && last != 'f' {
		return b[:n-1]
	}
	switch {
	case last == 'c', last == 'v', last == 'z':
		return b + "e"
	case strings.HasSuffix(b, "at") && !strings.HasSuffix(b, "eat") && !strings.HasSuffix(b, "oat") && !strings.HasSuffix(b, "aat"),
		strings.HasSuffix(b, "creat"),
		strings.HasSuffix(b, "ut") && !strings.HasSuffix(b, "out"), b == "rout",
		strings.HasSuffix(b, "ul") && !strings.HasSuffix(b, "ull"),
		strings.HasSuffix(b, "bl"), strings.HasSuffix(b, "dl"), strings.HasSuffix(b, "kl"),
		strings.HasSuffix(b, "ur"), strings.HasSuffix(b, "ir"),
		strings.HasSuffix(b, "ag"), strings.HasSuffix(b, "ang"), strings.HasSuffix(b, "eng"),
		strings.HasSuffix(b, "rg"), strings.HasSuffix(b, "dg"):
		return b + "e"
	case last == 's' && b[n-2] != 'u' && b[n-2] != 's' && (isVowel(b, n-2) || b[n-2] == 'n'):
		return b + "e"
	case measure(b) == 1 && endsCVC(b):
		return b + "e"
	}
	return b
}

// keepWhole lists words that stem would turn into a different word.
func keepWhole(w string) bool {
	switch w {
	case "saas", "paas", "iaas", "daas", "news", "series", "species", "devops", "devsecops",
		"secops", "finops", "mlops", "gitops", "aiops", "revops", "salesops", "bizops", "macos",
		"always", "perhaps", "atlas", "canvas", "alias", "bias", "lens", "chaos", "kudos",
		"marketing", "accounting", "advertising", "something", "nothing", "everything",
		"anything", "morning", "evening", "ceiling", "during", "kubernetes", "embed":
		return true
	}
	return false
}

func isLowerASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// isVowel reports whether w[i] is a vowel; "y" is one after a consonant.
func isVowel(w string, i int) bool {
	switch w[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	case 'y':
		return i > 0 && !isVowel(w, i-1)
	}
	return false
}

func hasVowel(w string) bool {
	for i := range len(w) {
		if isVowel(w, i) {
			return true
		}
	}
	return false
}

// measure is Porter's m: the number of vowel-consonant sequences in w.
func measure(w string) int {
	m := 0
	prevVowel := false
	for i := range len(w) {
		v := isVowel(w, i)
		if prevVowel && !v {
			m++
		}
		prevVowel = v
	}
	return m
}

// endsCVC reports whether w ends consonant-vowel-consonant, the last not w, x or y.
func endsCVC(w string) bool {
	n := len(w)
	if n < 3 {
		return false
	}
	switch w[n-1] {
	case 'w', 'x', 'y':
		return false
	}
	return !isVowel(w, n-3) && isVowel(w, n-2) && !isVowel(w, n-1)
}
