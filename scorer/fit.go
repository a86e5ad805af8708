package scorer

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/schemas"
)

// filterSet is a query's filters merged and normalised once: for each kind the client's
// explicit filter when it gave one (hard: a company that misses it, or whose profile
// does not say, is dropped), else the one the prompt implies (soft: a miss or an
// unknown value lowers fit). Excluded domains and excluded technologies always drop.
// It is used by one goroutine.
type filterSet struct {
	mismatch, unknown float64 // fit factors of a soft mismatch and of an unknown value

	sizes    [5]bool
	sizeOn   bool
	sizeHard bool

	industries   industrySet // canonical industries asked for
	industryRaw  []string    // lower-case values outside the canonical list
	industryOn   bool
	industryHard bool
	industryMemo map[string]fitMatch
	// industryHot holds recent entries of industryMemo, each in a slot chosen by the
	// industry's length and end bytes: looking up the map, hashing included, was a
	// tenth of the time of ranking 10,000 candidates, and a query sees few industries.
	industryHot [64]industryEntry

	places       []placeWant
	locationOn   bool
	locationHard bool
	techs        []string // technology keys (see techKey)
	techOn       bool
	techHard     bool
	notTechs     []string
	notDomains   []string
	scratch      []byte
	effective    Interpretation

	// fits[c] is the fit of a profile that compares to the filters as c says, and
	// lnFits[c] its natural logarithm: fit takes few values in one query, and the
	// logarithm was a tenth of the time of ranking 10,000 candidates.
	fits, lnFits [fitCases]float64
}

type placeWant struct {
	name      string   // lower-case, trimmed
	country   string   // countryKey(name) when it is a known country, else ""
	countries []string // the countries of a known region of the world ("europe", "dach")
	states    []string // the codes of the US states it names ("california", "midwest")
}

// fitMatch is how a profile compares to one filter.
type fitMatch uint8

const (
	fitYes fitMatch = iota
	fitNo
	fitUnknown
)

// fitCase is how a profile compares to the size, industry, location and technology
// filters: Σ match·3^k over them, k = 0 (size) to 3 (technology).
type fitCase uint8

const fitCases = 81 // 3^4

// newFilterSet merges the explicit filters with those parsed from the prompt. It also
// returns the interpretation with the filters in effect.
func newFilterSet(explicit Filters, parsed Interpretation, mismatch, unknown float64) *filterSet {
	f := &filterSet{mismatch: mismatch, unknown: unknown}
	eff := parsed

	sizes, hard := parsed.CompanySizes, false
	if len(explicit.CompanySizes) > 0 {
		sizes, hard = explicit.CompanySizes, true
	}
	for _, s := range sizes {
		for _, b := range sizeFilterBuckets(s) {
			f.sizes[b] = true
			f.sizeOn = true
		}
	}
	f.sizeHard = hard
	eff.CompanySizes = nil
	for b, on := range f.sizes {
		if on {
			eff.CompanySizes = append(eff.CompanySizes, schemas.SizeBuckets[b])
		}
	}

	inds, hard := parsed.Industries, false
	if len(explicit.Industries) > 0 {
		inds, hard = nil, true
		for _, v := range explicit.Industries {
			if v = strings.ToLower(strings.Join(strings.Fields(v), " ")); v != "" {
				inds = appendNew(inds, v)
			}
		}
	}
	for _, v := range inds {
		if p, _ := lookupIndustry(v); p != industryNone {
			f.industries = f.industries.with(p)
		} else {
			f.industryRaw = append(f.industryRaw, v)
		}
	}
	f.industryOn, f.industryHard = len(inds) > 0, hard
	if f.industryOn {
		f.industryMemo = make(map[string]fitMatch)
	}
	eff.Industries = inds

	loc, hard := parsed.Location, false
	if strings.TrimSpace(explicit.Location) != "" {
		loc, hard = strings.TrimSpace(explicit.Location), true
	}
	for part := range strings.SplitSeq(loc, ",") {
		name := strings.ToLower(strings.Join(strings.Fields(part), " "))
		if name == "" {
			continue
		}
		w := placeWant{name: name}
		switch _, kind := lookupPlace(name); kind {
		case placeCountry:
			w.country = countryKey(name)
		case placeRegion:
			w.countries = regionCountries(name)
		}
		w.states = usRegionStates(name)
		f.places = append(f.places, w)
	}
	f.locationOn, f.locationHard = len(f.places) > 0, hard
	eff.Location = loc

	techs, hard := parsed.Technologies, false
	if len(explicit.Technologies) > 0 {
		techs, hard = explicit.Technologies, true
	}
	eff.Technologies = nil
	for _, t := range techs {
		if k := techKey(nil, t); len(k) > 0 {
			f.techs = appendNew(f.techs, string(k))
			eff.Technologies = appendNew(eff.Technologies, strings.ToLower(strings.TrimSpace(t)))
		}
	}
	f.techOn, f.techHard = len(f.techs) > 0, hard
	for _, t := range parsed.ExcludedTechnologies {
		if k := techKey(nil, t); len(k) > 0 {
			f.notTechs = appendNew(f.notTechs, string(k))
		}
	}

	for _, d := range explicit.Exclude {
		n, err := schemas.NormalizeDomain(d)
		if err != nil {
			n = strings.ToLower(strings.TrimSpace(d))
		}
		if n != "" {
			f.notDomains = appendNew(f.notDomains, n)
		}
	}
	f.effective = eff
	for c := range fitCases {
		f.fits[c] = f.fitOf(fitCase(c))
		f.lnFits[c] = math.Log(f.fits[c])
	}
	return f
}

// fitOf is the fit of case c: each filter a profile misses multiplies it by mismatch,
// each it cannot be checked against by unknown, in the order of the filters.
func (f *filterSet) fitOf(c fitCase) float64 {
	fit := 1.0
	for range 4 {
		switch fitMatch(c % 3) {
		case fitNo:
			fit *= f.mismatch
		case fitUnknown:
			fit *= f.unknown
		}
		c /= 3
	}
	return fit
}

// sizeFilterBuckets maps a company_size filter value onto bucket indexes: a bucket
// name is itself; another range ("10-50", "500+") maps like a prompt's range.
func sizeFilterBuckets(v string) []int {
	v = strings.TrimSpace(v)
	if b := bucketIndex(v); b >= 0 {
		return []int{b}
	}
	if a, c, ok := cutRange(v); ok {
		lo, _, okA := parseCount(a)
		hi, plus, okC := parseCount(c)
		if okA && okC {
			if plus {
				return bucketsFor(lo, math.MaxInt)
			}
			return bucketsFor(lo, hi)
		}
		return nil
	}
	if n, plus, ok := parseCount(v); ok {
		if plus {
			return bucketsFor(n, math.MaxInt)
		}
		return bucketsFor(n, n)
	}
	return nil
}

// fit returns the firmographic fit of p in (0, 1], or false when a hard filter drops
// it. Each soft filter multiplies fit: 1 on a match, unknown when the profile does not
// say, mismatch on a miss. A hard filter keeps matches only.
func (f *filterSet) fit(p *Profile) (float64, bool) {
	c, ok := f.match(p)
	if !ok {
		return 0, false
	}
	return f.fits[c], true
}

// match returns how p compares to the filters (its fit is fits[c]), or false when a
// hard filter drops it.
func (f *filterSet) match(p *Profile) (c fitCase, ok bool) {
	if len(f.notDomains) > 0 && f.excludedDomain(p.Domain) {
		return 0, false
	}
	if len(f.notTechs) > 0 && f.usesAny(p.Technologies, f.notTechs) {
		return 0, false
	}
	if f.sizeOn {
		m := f.sizeMatch(p)
		if m != fitYes && f.sizeHard {
			return 0, false
		}
		c += fitCase(m)
	}
	if f.industryOn {
		m := f.industryMatch(p.Industry)
		if m != fitYes && f.industryHard {
			return 0, false
		}
		c += 3 * fitCase(m)
	}
	if f.locationOn {
		m := f.locationMatch(p)
		if m != fitYes && f.locationHard {
			return 0, false
		}
		c += 9 * fitCase(m)
	}
	if f.techOn {
		m := fitUnknown
		if len(p.Technologies) > 0 {
			m = fitNo
			if f.usesAny(p.Technologies, f.techs) {
				m = fitYes
			}
		}
		if m != fitYes && f.techHard {
			return 0, false
		}
		c += 27 * fitCase(m)
	}
	return c, true
}

func (f *filterSet) excludedDomain(domain string) bool {
	for _, d := range f.notDomains {
		if len(domain) == len(d) && strings.EqualFold(domain, d) {
			return true
		}
		if len(domain) > len(d) && domain[len(domain)-len(d)-1] == '.' && strings.EqualFold(domain[len(domain)-len(d):], d) {
			return true
		}
	}
	return false
}

func (f *filterSet) sizeMatch(p *Profile) fitMatch {
	b := -1
	switch {
	case p.SizeBucket != "":
		b = bucketIndex(p.SizeBucket)
	case p.Employees > 0:
		b = bucketOf(p.Employees)
	}
	switch {
	case b < 0:
		return fitUnknown
	case f.sizes[b]:
		return fitYes
	}
	return fitNo
}

type industryEntry struct {
	industry string
	m        fitMatch
	set      bool
}

// industryMatch is industryMatchOf, remembered.
func (f *filterSet) industryMatch(industry string) fitMatch {
	h := len(industry)
	if h > 0 {
		h = h*31 + int(industry[0])*7 + int(industry[len(industry)-1])
	}
	e := &f.industryHot[h%len(f.industryHot)]
	if e.set && e.industry == industry {
		return e.m
	}
	m, seen := f.industryMemo[industry]
	if !seen {
		m = f.industryMatchOf(industry)
		if len(f.industryMemo) < 4096 {
			f.industryMemo[industry] = m
		}
	}
	*e = industryEntry{industry: industry, m: m, set: true}
	return m
}

func (f *filterSet) industryMatchOf(industry string) fitMatch {
	if strings.TrimSpace(industry) == "" {
		return fitUnknown
	}
	ok := profileIndustries(industry)&f.industries != 0
	for _, raw := range f.industryRaw {
		ok = ok || containsFoldWord(industry, raw)
	}
	if ok {
		return fitYes
	}
	return fitNo
}

// locationMatch matches when any part of the wanted location ("San Francisco, CA")
// names the profile's city, region or country, as whole words in either direction,
// with the spellings of a country folded ("US" is "United States").
func (f *filterSet) locationMatch(p *Profile) fitMatch {
	if p.City == "" && p.Region == "" && p.Country == "" {
		return fitUnknown
	}
	unknown := false
	ck := "" // countryKey(p.Country), computed once when needed
	country := func() string {
		if ck == "" {
			ck = countryKey(p.Country)
		}
		return ck
	}
	for _, w := range f.places {
		if len(w.states) > 0 && (p.Country == "" || country() == "united states") {
			if p.Region == "" {
				unknown = true
			} else if inStates(w.states, p.Region) {
				return fitYes
			}
		}
		if len(w.countries) > 0 {
			if p.Country == "" {
				unknown = true
			} else if slices.Contains(w.countries, country()) {
				return fitYes
			}
		}
		if w.country != "" {
			if p.Country == "" {
				unknown = true
			} else if country() == w.country {
				return fitYes
			}
		}
		for _, field := range [...]string{p.City, p.Region, p.Country} {
			if field != "" && (containsFoldWord(field, w.name) || containsFoldWord(w.name, field)) {
				return fitYes
			}
		}
	}
	if unknown {
		return fitUnknown
	}
	return fitNo
}

// inStates reports whether a profile's region, a state code (as ingest stores it) or
// name, is one of the state codes.
func inStates(codes []string, region string) bool {
	if len(region) == 2 {
		return slices.ContainsFunc(codes, func(c string) bool { return strings.EqualFold(c, region) })
	}
	return slices.Contains(codes, usStateCodes[strings.ToLower(region)])
}

// usesAny reports whether any technology of the stack matches any wanted key: equal, or
// containing it as a whole word when the key has three bytes or more ("Zendesk
// Support" uses "zendesk").
func (f *filterSet) usesAny(stack []string, keys []string) bool {
	for _, t := range stack {
		f.scratch = techKey(f.scratch[:0], t)
		for _, k := range keys {
			if techKeyMatch(f.scratch, k) {
				return true
			}
		}
	}
	return false
}

// techKey appends the comparable form of a technology name to dst: lower-case, runs of
// spaces, hyphens, underscores and slashes as one space, trimmed.
func techKey(dst []byte, s string) []byte {
	start := len(dst)
	space := false
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '\t', '-', '_', '/':
			space = len(dst) > start
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

func techKeyMatch(have []byte, want string) bool {
	if string(have) == want {
		return true
	}
	if len(want) < 3 {
		return false
	}
	return containsFoldWord(string(have), want)
}

// containsFoldWord reports whether needle occurs in hay, case-insensitively (ASCII;
// other letters must match exactly), starting and ending at word boundaries.
func containsFoldWord(hay, needle string) bool {
	if needle == "" || len(needle) > len(hay) {
		return false
	}
	for i := 0; i+len(needle) <= len(hay); i++ {
		if i > 0 && isWordByte(hay[i-1]) && isWordByte(needle[0]) {
			continue
		}
		if !strings.EqualFold(hay[i:i+len(needle)], needle) {
			continue
		}
		end := i + len(needle)
		if end < len(hay) && isWordByte(hay[end]) && isWordByte(needle[len(needle)-1]) {
			continue
		}
		return true
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf
}
