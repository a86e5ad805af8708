package eval

import (
	"slices"
	"strings"
	"testing"
)

func TestPrompts(t *testing.T) {
	cats := Categories()
	ps := Prompts(cats)
	if want := len(cats) * len(promptTemplates()); len(ps) != want {
		t.Fatalf("%d prompts, want %d", len(ps), want)
	}
	ids := map[string]bool{}
	bySplit := map[string]int{}
	outside := map[string]bool{}
	filtered := 0
	for _, p := range ps {
		if ids[p.ID] {
			t.Errorf("prompt id %s repeats", p.ID)
		}
		ids[p.ID] = true
		bySplit[p.Split]++
		cat := cats[slices.IndexFunc(cats, func(c Category) bool { return c.ID == p.Category })]
		names := cat.PromptNames
		if p.Split == SplitHeldout {
			names = cat.HeldoutNames
		}
		if !slices.Contains(names, p.Product) || !strings.Contains(p.Text, p.Product) {
			t.Errorf("%s: product %q is not one of the split's names %q, or not in %q", p.ID, p.Product, names, p.Text)
		}
		if p.Inside != cat.Inside {
			t.Errorf("%s: inside taxonomy %v, category says %v", p.ID, p.Inside, cat.Inside)
		}
		if !p.Inside {
			outside[p.Category] = true
		}
		if !p.Wants().IsZero() {
			filtered++
		}
		if len(p.Text) < 10 {
			t.Errorf("%s: %q is shorter than the API's minimum", p.ID, p.Text)
		}
	}
	if bySplit[SplitTuning] == 0 || bySplit[SplitHeldout] == 0 {
		t.Errorf("prompts per split %v: want both", bySplit)
	}
	if len(outside) != 4 {
		t.Errorf("categories outside the taxonomy %v, want the 4 of them", outside)
	}
	if filtered == 0 || filtered == len(ps) {
		t.Errorf("%d of %d prompts have filters: want some with and some without", filtered, len(ps))
	}
}

func TestPromptWants(t *testing.T) {
	p := Prompt{
		Implicit: Filters{Industries: []string{"saas"}, Location: unitedStates},
		Explicit: &Filters{Industries: []string{"finance"}, CompanySize: []string{"51-200"}},
	}
	got := p.Wants()
	if !slices.Equal(got.Industries, []string{"finance"}) || !slices.Equal(got.CompanySize, []string{"51-200"}) || got.Location != unitedStates {
		t.Errorf("Wants() = %+v: want the explicit industries and size, and the implicit location", got)
	}
	c := Company{Industry: "finance", Size: "51-200", Country: unitedStates}
	if !got.Matches(&c) {
		t.Errorf("%+v does not match %+v", c, got)
	}
	for name, other := range map[string]Company{
		"industry":        {Industry: "saas", Size: "51-200", Country: unitedStates},
		"size":            {Industry: "finance", Size: "1000+", Country: unitedStates},
		"country":         {Industry: "finance", Size: "51-200", Country: "Germany"},
		"unknown country": {Industry: "finance", Size: "51-200"},
	} {
		if got.Matches(&other) {
			t.Errorf("a company of another %s matches %+v", name, got)
		}
	}
}

func TestRelevant(t *testing.T) {
	w := newTestWorld(t, Standard(), 1, 3000)
	for _, p := range Prompts(w.Categories) {
		rel := w.Relevant(&p)
		inMarket := w.InMarket(p.Category)
		want := p.Wants()
		n := 0
		for _, d := range inMarket {
			c, _ := w.Company(d)
			if want.Matches(c) != rel[d] {
				t.Fatalf("%s: %s relevant %v, matches filters %v", p.ID, d, rel[d], want.Matches(c))
			}
			if rel[d] {
				n++
			}
		}
		if n != len(rel) {
			t.Fatalf("%s: %d relevant companies, %d of them in the market", p.ID, len(rel), n)
		}
		if p.Wants().IsZero() && len(rel) != len(inMarket) {
			t.Errorf("%s has no filters but %d of %d in-market companies are relevant", p.ID, len(rel), len(inMarket))
		}
	}
}

func TestSelectPrompts(t *testing.T) {
	ps := Prompts(Categories())
	for _, n := range []int{1, 6, 20, 50, len(ps) - 1} {
		got := SelectPrompts(ps, n)
		if len(got) != n {
			t.Fatalf("SelectPrompts(%d) returned %d", n, len(got))
		}
		cats, templates, ids := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, p := range got {
			cat, tmpl, _ := strings.Cut(p.ID, "/")
			cats[cat], templates[tmpl] = true, true
			if ids[p.ID] {
				t.Fatalf("SelectPrompts(%d) repeats %s", n, p.ID)
			}
			ids[p.ID] = true
		}
		if want := min(n, 20); len(cats) != want {
			t.Errorf("SelectPrompts(%d) covers %d categories, want %d", n, len(cats), want)
		}
		if want := min(n, len(promptTemplates())); len(templates) != want {
			t.Errorf("SelectPrompts(%d) covers %d templates, want %d", n, len(templates), want)
		}
	}
	if got := SelectPrompts(ps, 0); len(got) != len(ps) {
		t.Errorf("SelectPrompts(0) returned %d of %d", len(got), len(ps))
	}
}
