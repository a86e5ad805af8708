package scorer

import (
	"math"
	"strconv"
	"strings"

	"github.com/leadpoet/leadpoet/schemas"
)

// readSizes reads numeric company sizes: a count or range with a qualifier next to an
// employee word ("with 50-200 employees", "headcount over 1,000").
func (p *parser) readSizes() {
	for i := 0; i < len(p.w); i++ {
		if !p.free(i) {
			continue
		}
		if n := p.sizeAt(i); n > 0 {
			i += n - 1
		}
	}
}

// sizeAt reads a size expression starting at word i and returns its length in words.
func (p *parser) sizeAt(i int) int {
	k := i
	// A lead-in naming the count first: "headcount of", "employee count between".
	lead := p.matchAny(k, "employee count of", "employee count", "headcount of", "headcount",
		"staff of")
	k += lead
	op, n := p.sizeQualifier(k)
	k += n
	lo, hi, n, ok := p.countRange(k, op)
	if !ok {
		return 0
	}
	k += n
	if lead == 0 {
		if p.w[k-1].stop != 0 {
			return 0
		}
		if p.free(k) && (p.w[k].low == "full-time" || p.w[k].low == "total") && p.w[k].stop == 0 {
			k++
		}
		if !p.free(k) || !isEmployeeWord(p.w[k].low) {
			return 0
		}
		k++
	}
	for _, b := range bucketsFor(lo, hi) {
		p.sizes[b] = true
	}
	start := i
	for start > 0 && p.free(start-1) && p.w[start-1].stop == 0 {
		switch p.w[start-1].low {
		case "with", "having", "have", "has", "a", "an", "of", "that", "who", "which":
			start--
			continue
		}
		break
	}
	p.mark(start, k-start, roleFilter)
	return k - i
}

type sizeOp uint8

const (
	sizeExact   sizeOp = iota
	sizeBelow          // fewer than N
	sizeAtMost         // up to N
	sizeAbove          // more than N
	sizeAtLeast        // at least N
	sizeAround         // about N
	sizeBetween        // between N and M
)

func (p *parser) sizeQualifier(k int) (sizeOp, int) {
	if n := p.matchAny(k, "fewer than", "less than", "under", "below", "<"); n > 0 {
		return sizeBelow, n
	}
	if n := p.matchAny(k, "no more than", "not more than", "up to", "at most", "maximum of", "max", "<="); n > 0 {
		return sizeAtMost, n
	}
	if n := p.matchAny(k, "more than", "greater than", "over", "above", "upwards of", ">"); n > 0 {
		return sizeAbove, n
	}
	if n := p.matchAny(k, "at least", "minimum of", "min", ">="); n > 0 {
		return sizeAtLeast, n
	}
	if n := p.matchAny(k, "around", "about", "approximately", "roughly", "~"); n > 0 {
		return sizeAround, n
	}
	if n := p.matchAny(k, "between", "from"); n > 0 {
		return sizeBetween, n
	}
	return sizeExact, 0
}

// countRange reads "50", "50-200", "50 - 200", "50 to 200", "50 and 200", "1,000+",
// "<50", "10k" at word k and applies op. hi is math.MaxInt for an open range.
func (p *parser) countRange(k int, op sizeOp) (lo, hi, n int, ok bool) {
	if !p.free(k) {
		return 0, 0, 0, false
	}
	w := p.w[k].low
	switch {
	case strings.HasPrefix(w, "<="), strings.HasPrefix(w, "≤"):
		op, w = sizeAtMost, strings.TrimLeft(w, "<=≤")
	case strings.HasPrefix(w, ">="), strings.HasPrefix(w, "≥"):
		op, w = sizeAtLeast, strings.TrimLeft(w, ">=≥")
	case strings.HasPrefix(w, "<"):
		op, w = sizeBelow, w[1:]
	case strings.HasPrefix(w, ">"):
		op, w = sizeAbove, w[1:]
	case strings.HasPrefix(w, "~"):
		op, w = sizeAround, w[1:]
	}
	if a, b, found := cutRange(w); found {
		x, _, okA := parseCount(a)
		y, plus, okB := parseCount(b)
		if !okA || !okB {
			return 0, 0, 0, false
		}
		if plus {
			return min(x, y), math.MaxInt, 1, true
		}
		return min(x, y), max(x, y), 1, true
	}
	x, plus, okX := parseCount(w)
	if !okX {
		return 0, 0, 0, false
	}
	n = 1
	if p.w[k].stop == 0 && p.free(k+2) {
		switch p.w[k+1].low {
		case "-", "–", "—", "to", "and":
			if y, plusY, okY := parseCount(p.w[k+2].low); okY && p.w[k+1].role == roleFree && p.w[k+1].stop == 0 {
				if plusY {
					return min(x, y), math.MaxInt, 3, true
				}
				return min(x, y), max(x, y), 3, true
			}
		}
	}
	if op == sizeBetween {
		return 0, 0, 0, false
	}
	if plus && op == sizeExact {
		op = sizeAtLeast
	}
	switch op {
	case sizeBelow:
		return 1, max(x-1, 1), n, true
	case sizeAtMost:
		return 1, max(x, 1), n, true
	case sizeAbove:
		return x + 1, math.MaxInt, n, true
	case sizeAtLeast:
		return x, math.MaxInt, n, true
	case sizeAround:
		return x / 2, x * 2, n, true
	}
	return x, x, n, true
}

func cutRange(w string) (a, b string, ok bool) {
	for _, sep := range []string{"-", "–", "—"} {
		if a, b, ok := strings.Cut(w, sep); ok && a != "" && b != "" {
			return a, b, true
		}
	}
	return "", "", false
}

// parseCount reads "200", "1,000", "1000+", "10k", "10k+".
func parseCount(s string) (n int, plus bool, ok bool) {
	if s, plus = strings.CutSuffix(s, "+"); s == "" {
		return 0, false, false
	}
	mult := 1
	if t, found := strings.CutSuffix(s, "k"); found {
		s, mult = t, 1000
	}
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || !isDigits(s) || len(s) > 9 {
		return 0, false, false
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, false, false
	}
	return v * mult, plus, true
}

func isEmployeeWord(w string) bool {
	switch w {
	case "employees", "employee", "people", "staff", "staffers", "workers", "persons", "person",
		"fte", "ftes", "headcount", "engineers", "developers", "lawyers", "attorneys", "clinicians",
		"physicians", "doctors", "nurses", "agents", "associates", "teachers", "drivers", "salespeople":
		return true
	}
	return false
}

// sizeBound is the lower end (exclusive) of bucket b of schemas.SizeBuckets and the
// upper end (inclusive) of bucket b−1: bucket b holds (sizeBound(b), sizeBound(b+1)].
func sizeBound(b int) int {
	switch b {
	case 0:
		return 0
	case 1:
		return 10
	case 2:
		return 50
	case 3:
		return 200
	case 4:
		return 1000
	}
	return math.MaxInt
}

// bucketsFor returns the indexes into schemas.SizeBuckets of the buckets that the
// employee range [lo, hi] overlaps by more than a shared end point; a single count
// (lo == hi) falls in the one bucket that holds it.
func bucketsFor(lo, hi int) []int {
	if hi < lo {
		lo, hi = hi, lo
	}
	lo = max(lo, 1)
	hi = max(hi, 1)
	if lo == hi {
		return []int{bucketOf(lo)}
	}
	var out []int
	for b := range len(schemas.SizeBuckets) {
		if min(hi, sizeBound(b+1))-max(lo, sizeBound(b)) > 0 {
			out = append(out, b)
		}
	}
	return out
}

func bucketOf(employees int) int {
	return bucketIndex(schemas.SizeBucket(employees))
}

// bucketIndex is the position of bucket in schemas.SizeBuckets, −1 if it is none. It
// is a switch, which finds it in a few comparisons of lengths and bytes: searching
// the list was a twentieth of the time of ranking 10,000 candidates.
// TestBucketIndex keeps the two in step.
func bucketIndex(bucket string) int {
	switch bucket {
	case "1-10":
		return 0
	case "11-50":
		return 1
	case "51-200":
		return 2
	case "201-1000":
		return 3
	case "1000+":
		return 4
	}
	return -1
}

// sizeWordsAt reads a size described in words ("small businesses", "mid-market").
func (p *parser) sizeWordsAt(i int) int {
	m, lo, hi := p.sizeWordsLen(i)
	if m > 0 {
		for _, b := range bucketsFor(lo, hi) {
			p.sizes[b] = true
		}
	}
	return m
}

// sizeWordsLen returns the length in words of a size described in words at word i,
// and its employee range; 0 for none.
func (p *parser) sizeWordsLen(i int) (m, lo, hi int) {
	for m := 5; m >= 1; m-- {
		if i+m > len(p.w) {
			continue
		}
		ok := true
		for k := i; k < i+m; k++ {
			if !p.free(k) || (k < i+m-1 && p.w[k].stop != 0) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		lo, hi := sizeWords(joinLow(p.w[i : i+m]))
		if lo == 0 {
			continue
		}
		return m, lo, hi
	}
	return 0, 0, 0
}

// sizeWords maps a size described in words onto an employee range, or 0, 0.
func sizeWords(phrase string) (lo, hi int) {
	switch phrase {
	case "smb", "smbs", "sme", "smes", "small and medium businesses", "small and medium-sized businesses",
		"small and medium sized businesses", "small and mid-sized businesses", "small to medium businesses",
		"small to medium-sized businesses", "small-to-medium", "small and medium enterprises",
		"small and medium-sized enterprises", "small-and-medium", "small to mid-sized":
		return 1, 200
	case "small businesses", "small business", "small companies", "small company", "small firms",
		"small-business", "small-businesses", "small teams", "very small", "micro":
		return 1, 50
	case "startup", "startups", "start-up", "start-ups", "early-stage", "early stage", "seed-stage",
		"seed stage":
		return 1, 50
	case "mid-market", "midmarket", "mid market", "mid-size", "mid-sized", "midsize", "midsized",
		"medium-sized", "medium sized", "medium-size", "medium", "scaleup", "scaleups", "scale-up",
		"scale-ups", "growth-stage", "growth stage":
		return 51, 1000
	case "enterprise", "enterprises", "enterprise-level", "enterprise-grade companies", "large enterprises",
		"large companies", "large businesses", "large organizations", "large organisations",
		"large firms", "large", "fortune 500", "fortune 1000", "global 2000", "multinational",
		"multinationals", "big companies":
		return 1001, math.MaxInt
	}
	return 0, 0
}
