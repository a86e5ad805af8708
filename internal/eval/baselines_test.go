package eval

import (
	"slices"
	"testing"

	"github.com/leadpoet/leadpoet/scorer"
)

func TestBaselines(t *testing.T) {
	w := newTestWorld(t, Standard(), 2, 1500)
	corpus, err := NewCorpus(w)
	if err != nil {
		t.Fatal(err)
	}
	ps := Prompts(w.Categories)
	var bm25, random float64
	for i := range ps {
		p := &ps[i]
		want := p.Wants()
		rel := w.Relevant(p)
		for name, ranked := range map[string][]string{
			SystemRandom:  corpus.Random(p, 1, 100),
			SystemRecency: corpus.Recency(p, 100),
			SystemBM25:    corpus.BM25(p, 100),
		} {
			if len(ranked) > 100 {
				t.Fatalf("%s %s: %d companies, want at most 100", name, p.ID, len(ranked))
			}
			seen := map[string]bool{}
			for _, d := range ranked {
				c, ok := w.Company(d)
				if !ok || !want.Matches(c) || seen[d] {
					t.Fatalf("%s %s: %s is unknown, fails the filters %+v or repeats", name, p.ID, d, want)
				}
				seen[d] = true
			}
		}
		if r1, r2 := corpus.Random(p, 1, 100), corpus.Random(p, 1, 100); !slices.Equal(r1, r2) {
			t.Fatalf("random %s differs between two calls with one seed", p.ID)
		}
		rec := corpus.Recency(p, 100)
		for k := 1; k < len(rec); k++ {
			a, _ := w.Company(rec[k-1])
			b, _ := w.Company(rec[k])
			if corpus.docs[w.index[a.Domain]].latest.Before(corpus.docs[w.index[b.Domain]].latest) {
				t.Fatalf("recency %s: %s before %s, which is more recent", p.ID, a.Domain, b.Domain)
			}
		}
		terms := scorer.Tokenize(p.Product)
		for _, d := range corpus.BM25(p, 100) {
			doc := corpus.docs[w.index[d]]
			if !slices.ContainsFunc(terms, func(t string) bool { return doc.tf[t] > 0 }) {
				t.Fatalf("bm25 %s: %s has none of the terms %v", p.ID, d, terms)
			}
		}
		if len(rel) > 0 {
			bm25 += NDCGAt(corpus.BM25(p, 100), rel, PrecisionK)
			random += NDCGAt(corpus.Random(p, 1, 100), rel, PrecisionK)
		}
	}
	if bm25 <= 2*random {
		t.Errorf("summed NDCG@25: bm25 %.2f, random %.2f: the world's text should carry the category far above chance", bm25, random)
	}
}
