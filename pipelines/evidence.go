package pipelines

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// Signal kinds, as stored in ClickHouse and in evidence.
const (
	KindJob      = "job"
	KindSite     = "site"
	KindActivity = "activity"
	KindTech     = "tech"
)

// Weights of the evidence a signal carries, relative to one job post. A job post
// funds a role that will use the product; a page on the company's own site is a
// weaker, slower signal; research actions range from a page view to a demo request;
// removing a technology is a strong sign of a replacement being bought.
const (
	weightJob          = 1.0
	weightJobTitle     = 3.0 // a job title's terms count three times its description's
	weightSite         = 0.6
	weightTechAdded    = 1.0
	weightTechRemoved  = 2.5
	maxTermsPerSignal  = 12  // the strongest terms of one signal that are indexed (see capped)
	weightTopic        = 3.0 // a category the taxonomy reads in a signal counts like a title term
	snippetRunes       = 280 // length of the evidence snippet kept online
	maxCountMultiplier = 4.0 // an activity repeated many times counts at most this much more
)

// actionWeight is the weight of each research action, by buying stage.
func actionWeight(action string) float64 {
	switch action {
	case schemas.ActionDemoRequest:
		return 5
	case schemas.ActionFreeTrial:
		return 4.5
	case schemas.ActionPricingView:
		return 3
	case schemas.ActionComparisonView:
		return 2.5
	case schemas.ActionReviewView:
		return 2
	case schemas.ActionWebinar, schemas.ActionContentDownload:
		return 1.5
	case schemas.ActionSearch:
		return 1
	default: // page_view
		return 0.5
	}
}

// countMultiplier damps repeated activity: 1 for one, growing with log2, capped.
func countMultiplier(count int) float64 {
	if count <= 1 {
		return 1
	}
	return math.Min(1+math.Log2(float64(count)), maxCountMultiplier)
}

// terms accumulates the weighted term counts of one signal at a time. A batch keeps
// one and reuses it for each of its signals. It numbers every term it meets, so that
// a term's string is built once however many signals hold it, and counts by number.
type terms struct {
	read *scorer.SignalReader
	ids  map[string]int32 // term -> its number, an index into the slices below
	term []string
	w    []float64 // weighted count in the current signal
	n    []int32   // count in the current field
	seen []uint32  // the signal that last held the term
	sig  uint32    // the current signal, counted from 1
	// The numbers of the terms of the current signal and of its current field, in
	// order of first occurrence.
	signal, field []int32
	top           []int32 // scratch of strongest
	// kept holds the capped terms of the batch's signals: each signal's are a slice
	// of it, which stays valid when it grows.
	kept []redisstore.TermWeight
}

// maxTermsKept bounds how many terms a terms numbers before it starts over, so that a
// long rebuild does not keep every term of the history.
const maxTermsKept = 1 << 16

func newTerms(tax *scorer.Taxonomy) *terms {
	return &terms{read: scorer.NewSignalReader(tax), ids: make(map[string]int32, 1024)}
}

// signalTerms returns the terms of a signal of the given kind, capped: the taxonomy
// topics of its title and text, each weighing weight × weightTopic × the topic's
// weight, and the terms of the title and of the text (scorer.Tokenize), each weighing
// titleWeight and textWeight times its count.
func (t *terms) signalTerms(kind, title, text string, weight, titleWeight, textWeight float64) []redisstore.TermWeight {
	t.reset()
	t.read.Read(kind, title, text)
	if weight > 0 {
		for _, e := range t.read.Topics() {
			t.addWeight(t.number(e.Term), weight*weightTopic*e.Weight)
		}
	}
	t.add(t.read.TitleTerms(), titleWeight)
	t.add(t.read.TextTerms(), textWeight)
	return t.capped()
}

// reset starts the next signal.
func (t *terms) reset() {
	if len(t.term) > maxTermsKept || t.sig == math.MaxUint32 {
		clear(t.ids)
		t.term, t.w, t.n, t.seen = t.term[:0], t.w[:0], t.n[:0], t.seen[:0]
		t.sig = 0
	}
	t.sig++
	t.signal = t.signal[:0]
}

// number returns the number of term.
func (t *terms) number(term string) int32 {
	if id, ok := t.ids[term]; ok {
		return id
	}
	return t.newNumber(term)
}

// numberBytes is number(string(term)), building the string only for a new term.
func (t *terms) numberBytes(term []byte) int32 {
	if id, ok := t.ids[string(term)]; ok {
		return id
	}
	return t.newNumber(string(term))
}

func (t *terms) newNumber(term string) int32 {
	id := int32(len(t.term))
	t.ids[term] = id
	t.term = append(t.term, term)
	t.w = append(t.w, 0)
	t.n = append(t.n, 0)
	t.seen = append(t.seen, 0)
	return id
}

// addWeight adds w to the weight of term id in the signal.
func (t *terms) addWeight(id int32, w float64) {
	if t.seen[id] != t.sig {
		t.seen[id] = t.sig
		t.w[id] = 0
		t.signal = append(t.signal, id)
	}
	t.w[id] += w
}

// add adds the terms of one field of the signal, each weight times its count.
func (t *terms) add(field scorer.Terms, weight float64) {
	if weight <= 0 {
		return
	}
	for i := range field.Len() {
		id := t.numberBytes(field.At(i))
		if t.n[id] == 0 {
			t.field = append(t.field, id)
		}
		t.n[id]++
	}
	for _, id := range t.field {
		t.addWeight(id, weight*float64(t.n[id]))
		t.n[id] = 0
	}
	t.field = t.field[:0]
}

// capped returns the maxTermsPerSignal strongest terms of the signal (ties by term),
// in no particular order, so that one long page cannot flood the index. Each term a
// signal keeps costs a company hash field and an index entry the first time the
// company has it, and a sorted-set update in Redis each time: that update is most of
// the online store's ingest cost. Twelve terms (the categories the taxonomy reads, title words,
// then the most frequent words) instead of 24 took about a third off Redis CPU per
// signal on the BenchmarkIngest stream and moved precision@25 of the evaluation by at
// most 0.009 (recall@100 by at most 0.006).
func (t *terms) capped() []redisstore.TermWeight {
	ids := t.strongest(maxTermsPerSignal)
	if len(t.kept)+len(ids) > cap(t.kept) {
		t.kept = make([]redisstore.TermWeight, 0, max(1024, 2*len(ids)))
	}
	start := len(t.kept)
	for _, id := range ids {
		t.kept = append(t.kept, redisstore.TermWeight{Term: t.term[id], Weight: t.w[id]})
	}
	return t.kept[start:len(t.kept):len(t.kept)]
}

// strongest returns the k strongest terms of the signal, in no particular order.
// It keeps the k strongest seen so far in a heap with the weakest of them on top.
func (t *terms) strongest(k int) []int32 {
	if len(t.signal) <= k {
		return t.signal
	}
	h := append(t.top[:0], t.signal[:k]...)
	for i := k/2 - 1; i >= 0; i-- {
		t.siftDown(h, i)
	}
	for _, id := range t.signal[k:] {
		if t.stronger(id, h[0]) {
			h[0] = id
			t.siftDown(h, 0)
		}
	}
	t.top = h
	return h
}

// stronger reports whether term a weighs more than term b in the signal, or as much
// and sorts first.
func (t *terms) stronger(a, b int32) bool {
	return t.w[a] > t.w[b] || t.w[a] == t.w[b] && t.term[a] < t.term[b]
}

// siftDown moves h[i] down the heap h until no child of it is weaker.
func (t *terms) siftDown(h []int32, i int) {
	for {
		weakest := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h) && t.stronger(h[weakest], h[c]) {
				weakest = c
			}
		}
		if weakest == i {
			return
		}
		h[i], h[weakest] = h[weakest], h[i]
		i = weakest
	}
}

// snippet cuts text, its white space collapsed, to snippetRunes at a word boundary.
func snippet(text string) string {
	text = joinFields(text)
	if len(text) <= snippetRunes || utf8.RuneCountInString(text) <= snippetRunes {
		return text
	}
	var cut string
	if utf8.ValidString(text) {
		cut = text[:runeOffset(text, snippetRunes)]
	} else {
		cut = string([]rune(text)[:snippetRunes]) // each invalid byte becomes U+FFFD
	}
	if i := strings.LastIndexByte(cut, ' '); i > snippetRunes/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// runeOffset returns the byte offset of the n-th rune of s (counted from 0), or
// len(s) if s has no more than n runes.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// joinFields is strings.Join(strings.Fields(s), " "), without the copy when that
// leaves s as it is.
func joinFields(s string) string {
	space := true // whether the rune before is white space; a leading one counts
	for _, r := range s {
		isSpace := r == ' ' || '\t' <= r && r <= '\r' || r >= utf8.RuneSelf && unicode.IsSpace(r)
		if isSpace && (space || r != ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
		space = isSpace
	}
	if space && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}
