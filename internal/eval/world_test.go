package eval

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/internal/demo"
	"github.com/leadpoet/leadpoet/schemas"
)

// testNow is the clock of the test worlds.
func testNow() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }

func newTestWorld(t testing.TB, fam Family, seed uint64, companies int) *World {
	t.Helper()
	w, err := NewWorld(WorldOptions{Family: fam, Seed: seed, Companies: companies, Now: testNow()})
	if err != nil {
		t.Fatalf("NewWorld: %v", err)
	}
	return w
}

func sameRecords(a, b []Record) bool {
	return slices.EqualFunc(a, b, func(x, y Record) bool {
		return x.Topic == y.Topic && bytes.Equal(x.Key, y.Key) && bytes.Equal(x.Value, y.Value)
	})
}

func TestWorldIsDeterministic(t *testing.T) {
	a := newTestWorld(t, Standard(), 7, 1000)
	b := newTestWorld(t, Standard(), 7, 1000)
	if !sameRecords(a.Records, b.Records) {
		t.Fatal("two worlds of the same options differ")
	}
	for i := range a.Companies {
		if fmt.Sprint(a.Companies[i]) != fmt.Sprint(b.Companies[i]) {
			t.Fatalf("company %d differs: %+v and %+v", i, a.Companies[i], b.Companies[i])
		}
	}
	for name, other := range map[string]*World{
		"another seed":   newTestWorld(t, Standard(), 8, 1000),
		"another family": newTestWorld(t, Heldout(), 7, 1000),
	} {
		if sameRecords(a.Records, other.Records) {
			t.Errorf("%s gives the same records", name)
		}
	}
}

func TestWorldBaseRates(t *testing.T) {
	for _, fam := range Families() {
		t.Run(fam.Name, func(t *testing.T) {
			w := newTestWorld(t, fam, 1, 6000)
			for i := range w.Categories {
				cat := &w.Categories[i]
				// The count of in-market companies is a sum of independent draws with
				// the rates the category intends for each company.
				mean, variance := 0.0, 0.0
				got := 0
				for j := range w.Companies {
					c := &w.Companies[j]
					p := cat.rate(c.Industry, bucketIndex(c.Employees), fam.RateScale)
					mean += p
					variance += p * (1 - p)
					if c.IsInMarket(cat.ID) {
						got++
						if cat.OnlyIndustry != "" && c.Industry != cat.OnlyIndustry {
							t.Errorf("%s: %s is in the market but is in %s", cat.ID, c.Domain, c.Industry)
						}
					}
				}
				if d := math.Abs(float64(got) - mean); d > 4*math.Sqrt(variance)+1 {
					t.Errorf("%s: %d companies in the market, want %.0f ± %.0f", cat.ID, got, mean, 4*math.Sqrt(variance))
				}
				share := float64(got) / float64(len(w.Companies))
				if cat.OnlyIndustry == "" && (share < 0.02 || share > 0.1) {
					t.Errorf("%s: base rate %.3f, want about 0.03 to 0.08", cat.ID, share)
				}
			}
		})
	}
}

func TestWorldFitsIndustriesAndSizes(t *testing.T) {
	w := newTestWorld(t, Standard(), 1, 6000)
	share := func(cat string, keep func(*Company) bool) float64 {
		n, in := 0, 0
		for i := range w.Companies {
			if c := &w.Companies[i]; keep(c) {
				n++
				if c.IsInMarket(cat) {
					in++
				}
			}
		}
		return float64(in) / float64(max(n, 1))
	}
	retail := share("ecommerce_platform", func(c *Company) bool { return c.Industry == "retail" })
	others := share("ecommerce_platform", func(c *Company) bool { return c.Industry != "retail" })
	if retail < 2*others {
		t.Errorf("e-commerce: retailers in the market %.3f, others %.3f; want retailers far more often", retail, others)
	}
	large := share("security_siem", func(c *Company) bool { return c.Employees > 200 })
	small := share("security_siem", func(c *Company) bool { return c.Employees <= 10 })
	if large < 2*small {
		t.Errorf("SIEM: large companies in the market %.3f, small %.3f; want large far more often", large, small)
	}
}

func TestWorldRecords(t *testing.T) {
	for _, fam := range Families() {
		t.Run(fam.Name, func(t *testing.T) {
			w := newTestWorld(t, fam, 3, 1500)
			profiles, _, err := demo.Profiles()
			if err != nil {
				t.Fatal(err)
			}
			if w.Stats.Companies != 1500 || w.Stats.Clones != 1500-len(profiles) {
				t.Errorf("companies %d with %d clones, want 1500 with %d", w.Stats.Companies, w.Stats.Clones, 1500-len(profiles))
			}
			ids := map[string]bool{}
			var last time.Time
			signals := map[string]int{}
			for i, r := range w.Records {
				ev, err := schemas.Decode(r.Topic, r.Value, w.Now)
				if err != nil {
					t.Fatalf("record %d (%s) does not decode: %v\n%s", i, r.Topic, err, r.Value)
				}
				base := ev.Base()
				if string(r.Key) != base.Domain {
					t.Errorf("record %d: key %q, domain %q", i, r.Key, base.Domain)
				}
				if ids[base.EventID] {
					t.Errorf("event id %s repeats", base.EventID)
				}
				ids[base.EventID] = true
				if !base.OccurredAt.Before(w.Now) {
					t.Errorf("%s occurs at %s, not before the world's clock %s", base.EventID, base.OccurredAt, w.Now)
				}
				if (r.Topic == schemas.TopicCompanies) != (i < w.Stats.Companies) {
					t.Fatalf("record %d is on %s: want the %d company profiles first", i, r.Topic, w.Stats.Companies)
				}
				if r.Topic == schemas.TopicCompanies {
					continue
				}
				if base.OccurredAt.Before(last) {
					t.Fatalf("signal %s at %s comes after one at %s", base.EventID, base.OccurredAt, last)
				}
				last = base.OccurredAt
				if _, ok := w.Company(base.Domain); !ok {
					t.Fatalf("signal %s of unknown company %s", base.EventID, base.Domain)
				}
				signals[base.Domain]++
			}
			for i := range w.Companies {
				c := &w.Companies[i]
				if label, _, _ := strings.Cut(c.Domain, "."); c.Clone && !strings.Contains(label, "-") {
					t.Errorf("clone %s has no suffixed domain", c.Domain)
				}
				if len(c.InMarket) > 0 && signals[c.Domain] < 2 {
					t.Errorf("%s is in the market for %v but emitted %d signals", c.Domain, c.InMarket, signals[c.Domain])
				}
			}
		})
	}
}

// TestWorldSurgesAndDecoys checks the shape of the signals: in-market companies
// research their category only in their last weeks, steady decoys every week.
func TestWorldSurgesAndDecoys(t *testing.T) {
	fam := Standard()
	w := newTestWorld(t, fam, 1, 3000)
	surgeStart := w.Now.Add(-time.Duration(fam.SurgeWeeks[1]) * week)
	var surgeEarly, surgeTotal, steadyCompanies int
	for i := range w.Companies {
		if c := &w.Companies[i]; len(c.SteadyDecoys) == 1 && len(c.InMarket) == 0 {
			steadyCompanies++
		}
	}
	perWeek := make([]int, w.Weeks)
	for _, r := range w.Records[w.Stats.Companies:] {
		if r.Topic != schemas.TopicActivity {
			continue
		}
		ev, err := schemas.Decode(r.Topic, r.Value, w.Now)
		if err != nil {
			t.Fatal(err)
		}
		a := ev.(*schemas.Activity)
		if a.ActorTitle == "" {
			continue // background reading, not research by a buyer or a user
		}
		c, _ := w.Company(a.Domain)
		switch {
		case len(c.InMarket) > 0 && len(c.SteadyDecoys) == 0:
			surgeTotal++
			if a.OccurredAt.Before(surgeStart) {
				surgeEarly++
			}
		case len(c.InMarket) == 0 && len(c.SteadyDecoys) == 1:
			perWeek[min(int(w.Now.Sub(a.OccurredAt)/week), w.Weeks-1)]++
		}
	}
	if surgeTotal == 0 || surgeEarly > 0 {
		t.Errorf("in-market research: %d of %d actions before the last %d weeks, want none", surgeEarly, surgeTotal, fam.SurgeWeeks[1])
	}
	for wk, n := range perWeek {
		if n < steadyCompanies-2 || n > steadyCompanies+2 {
			t.Errorf("steady decoys' research %d weeks ago: %d actions, want one per company (%d)", wk, n, steadyCompanies)
		}
	}
}

func TestWorldSample(t *testing.T) {
	w := newTestWorld(t, Heldout(), 5, 200)
	if len(w.Companies) != 200 || w.Stats.Clones != 0 {
		t.Fatalf("%d companies with %d clones, want 200 real ones", len(w.Companies), w.Stats.Clones)
	}
	if !slices.IsSortedFunc(w.Companies, func(a, b Company) int { return strings.Compare(a.Domain, b.Domain) }) {
		t.Error("companies are not in domain order")
	}
}

func TestWorldOptions(t *testing.T) {
	for name, opts := range map[string]WorldOptions{
		"no clock":        {Family: Standard()},
		"no family":       {Now: testNow()},
		"negative size":   {Family: Standard(), Now: testNow(), Companies: -1},
		"too many weeks":  {Family: Standard(), Now: testNow(), Weeks: maxWeeks + 1},
		"negative weeks":  {Family: Standard(), Now: testNow(), Weeks: -1},
		"too many clones": {Family: Standard(), Now: testNow(), Companies: maxCompanies + 1},
	} {
		if _, err := NewWorld(opts); err == nil {
			t.Errorf("%s: NewWorld accepted %+v", name, opts)
		}
	}
	if _, err := FamilyByName("nope"); err == nil {
		t.Error("FamilyByName accepted an unknown family")
	}
}

func BenchmarkWorld(b *testing.B) {
	for _, n := range []int{1000, 3000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var records int
			for b.Loop() {
				w, err := NewWorld(WorldOptions{Family: Standard(), Seed: 1, Companies: n, Now: testNow()})
				if err != nil {
					b.Fatal(err)
				}
				records = len(w.Records)
			}
			b.ReportMetric(float64(records), "records/world")
		})
	}
}
