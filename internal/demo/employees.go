package demo

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// numberToken is a number with optional thousands separators ("1,001", "10.000"),
	// decimals or a "k" suffix ("5K", "30k").
	numberToken = regexp.MustCompile(`(?i)\d+(?:[.,]\d{3})*(?:\.\d+)?\s*k?\b|\d+(?:[.,]\d{3})*`)
	// dateLike are dates and "as of" notes that carry numbers which are not head counts.
	dateLike    = regexp.MustCompile(`(?i)\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}/\d{4}\b|\(\s*as of[^)]*\)|\bas of [a-z]*\s*\d{4}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?:\d{1,2},?\s+)?\d{4}\b|\b(?:since|in|from|founded|of)\s+(?:19|20)\d{2}\b|\b(?:summer|spring|autumn|fall|winter|early|late|mid)\s+(?:of\s+)?(?:19|20)\d{2}\b`)
	percentLike = regexp.MustCompile(`\d+(?:\.\d+)?\s*%`)
	// templateSize is the placeholder text of the collection's example profile.
	templateSize = regexp.MustCompile(`(?i)an approximate size of your company`)
	numberWords  = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
		"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
		"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
	}
	numberWord = regexp.MustCompile(`(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)[\s-]+(?:person|people|member|members|employees|staff|founders|developers|specialists|team|of us)\b`)
)

// maxSizeText is how much of a "Company size" section parseEmployees reads.
const maxSizeText = 2000

// parseEmployees turns the free text of a "Company size" section into a head count:
// "~100 currently (5/3/2019)" → 100, "51-200 employees" → 125 (the midpoint),
// "200+" → 200, "<10" → 5, "5K-10K" → 7500. It reads the first head count in the text,
// skipping dates, years and percentages, and returns nil when there is none.
func parseEmployees(text string) *int {
	if templateSize.MatchString(text) {
		return nil
	}
	// A head count comes early; the cap keeps the work linear on odd input.
	if len(text) > maxSizeText {
		text = text[:maxSizeText]
	}
	s := strings.NewReplacer("–", "-", "—", "-", "\u00a0", " ", "|", " ").Replace(text)
	s = dateLike.ReplaceAllString(s, " ")
	s = percentLike.ReplaceAllString(s, " ")

	// A head count in words ("two people", "Six-member team") that comes before any digit.
	wordAt, wordCount := len(s), 0
	if m := numberWord.FindStringSubmatchIndex(s); m != nil {
		wordAt, wordCount = m[0], numberWords[strings.ToLower(s[m[2]:m[3]])]
	}
	locs := numberToken.FindAllStringIndex(s, -1)
	for i, loc := range locs {
		if loc[0] > wordAt {
			break
		}
		tok := s[loc[0]:loc[1]]
		v, ok := parseNumber(tok)
		if !ok {
			continue
		}
		before := strings.ToLower(s[:loc[0]])
		if glued(before) || strings.HasSuffix(strings.TrimSpace(before), "fortune") {
			continue // "Web2/3", "Fortune 500"
		}
		after := strings.ToLower(strings.TrimSpace(s[loc[1]:]))
		if isYear(tok, v, after) || followedByTimeUnit(after) {
			continue
		}
		// A range: "51-200", "51 - 200", "51 to 200", "between 1,001 and 5,000".
		if i+1 < len(locs) {
			gap := strings.ToLower(s[loc[1]:locs[i+1][0]])
			if g := strings.TrimSpace(gap); g == "-" || g == "to" || g == "and" && strings.HasSuffix(strings.TrimSpace(before), "between") {
				hiTok := s[locs[i+1][0]:locs[i+1][1]]
				if hi, ok := parseNumber(hiTok); ok && hi > v {
					if strings.HasSuffix(strings.ToLower(strings.TrimSpace(hiTok)), "k") && !strings.HasSuffix(strings.ToLower(strings.TrimSpace(tok)), "k") && v < 1000 {
						v *= 1000 // "5-10K"
					}
					n := (v + hi) / 2
					return &n
				}
			}
		}
		trimmedBefore := strings.TrimSpace(before)
		switch {
		case strings.HasSuffix(trimmedBefore, "<"), strings.HasSuffix(trimmedBefore, "less than"),
			strings.HasSuffix(trimmedBefore, "under"), strings.HasSuffix(trimmedBefore, "fewer than"),
			strings.HasSuffix(trimmedBefore, "up to"):
			n := max(1, v/2)
			return &n
		}
		n := v
		return &n
	}
	if wordCount > 0 {
		return &wordCount
	}
	return nil
}

// glued tells whether the text before a number ends in a letter or a slash, as in
// "Web2/3" or "Q4".
func glued(before string) bool {
	r, n := utf8.DecodeLastRuneInString(before)
	return n > 0 && (unicode.IsLetter(r) || r == '/')
}

// parseNumber reads "1,001", "10.000", "2.5k", "30k" and "40" as integers.
func parseNumber(tok string) (int, bool) {
	t := strings.ToLower(strings.TrimSpace(tok))
	mult := 1.0
	if strings.HasSuffix(t, "k") {
		mult = 1000
		t = strings.TrimSpace(strings.TrimSuffix(t, "k"))
	}
	// A separator followed by exactly three digits is a thousands separator.
	if thousands.MatchString(t) {
		t = strings.NewReplacer(",", "", ".", "").Replace(t)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f*mult > 10_000_000 {
		return 0, false
	}
	return int(f * mult), true
}

var thousands = regexp.MustCompile(`^\d{1,3}(?:[.,]\d{3})+$`)

// isYear tells a year ("2023 | 85", "founded 2014") from a head count ("2000+",
// "2020 employees").
func isYear(tok string, v int, after string) bool {
	if len(strings.TrimSpace(tok)) != 4 || v < 1980 || v > 2035 {
		return false
	}
	if strings.HasPrefix(after, "+") || strings.HasPrefix(after, "-") {
		return false
	}
	for _, w := range headCountWords {
		if strings.HasPrefix(after, w) {
			return false
		}
	}
	return true
}

var headCountWords = []string{"employee", "people", "person", "staff", "member", "team", "folks", "engineer", "developer"}

func followedByTimeUnit(after string) bool {
	for _, w := range []string{"year", "month", "week", "day", "hour", "time zone", "timezone"} {
		if strings.HasPrefix(after, w) {
			return true
		}
	}
	return false
}
