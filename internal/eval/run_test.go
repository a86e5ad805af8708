package eval

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestRunSmallWorld runs a small world of each family through the real path: kfake,
// a redis-server, the ingest consumer and the HTTP API.
func TestRunSmallWorld(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cfg := DefaultConfig()
	cfg.Companies = 200
	cfg.LimitPrompts = 6
	cfg.Dir = t.TempDir()
	cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	now := time.Now()
	cfg.Now = func() time.Time { return now }
	start := time.Now()
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	t.Logf("two worlds of 200 companies, 6 prompts each: %s", time.Since(start).Round(time.Millisecond))

	if len(rep.Families) != 2 {
		t.Fatalf("%d families in the report, want 2", len(rep.Families))
	}
	for _, f := range rep.Families {
		w := newTestWorld(t, f.Params, cfg.Seed, cfg.Companies)
		if f.World.Records != w.Stats.Records {
			t.Errorf("%s: %d records reported, the world has %d", f.Name, f.World.Records, w.Stats.Records)
		}
		if len(f.Prompts)+len(f.Skipped) != cfg.LimitPrompts {
			t.Errorf("%s: %d prompts scored and %d skipped, want %d in all", f.Name, len(f.Prompts), len(f.Skipped), cfg.LimitPrompts)
		}
		if len(f.Prompts) < cfg.LimitPrompts/2 {
			t.Errorf("%s: only %d prompts have relevant companies", f.Name, len(f.Prompts))
		}
		returned := 0
		for _, p := range f.Prompts {
			returned += p.Returned
			if p.Returned > cfg.Limit || p.Relevant < 1 {
				t.Errorf("%s %s: %d leads returned, %d relevant", f.Name, p.ID, p.Returned, p.Relevant)
			}
			for _, s := range Systems() {
				sc, ok := p.Systems[s]
				if !ok {
					t.Fatalf("%s %s: no scores for %s", f.Name, p.ID, s)
				}
				for name, v := range map[string]float64{"precision": sc.Precision, "ndcg": sc.NDCG, "recall": sc.Recall} {
					if !(v >= 0 && v <= 1) {
						t.Errorf("%s %s %s: %s %v out of [0, 1]", f.Name, p.ID, s, name, v)
					}
				}
				if sc.Precision > p.Ceiling+1e-9 {
					t.Errorf("%s %s %s: precision %.3f above its ceiling %.3f", f.Name, p.ID, s, sc.Precision, p.Ceiling)
				}
			}
		}
		if returned == 0 {
			t.Errorf("%s: the API returned no lead for any prompt", f.Name)
		}
		for _, s := range Systems() {
			if got, want := f.Top25[s].total(), PrecisionK*len(f.Prompts); got != want {
				t.Errorf("%s %s: %d top positions classified, want %d", f.Name, s, got, want)
			}
		}
	}
	groups := 0
	for _, g := range rep.Groups {
		if g.Split == groupAll {
			groups++
			if g.Prompts == 0 || g.Ceiling <= 0 || g.Ceiling > 1 {
				t.Errorf("group %+v", g)
			}
		}
	}
	if groups != 2*len(Systems()) {
		t.Errorf("%d overall groups, want one per family and system", groups)
	}

	md := rep.Markdown()
	for _, want := range []string{"# Ranking quality", "| standard | all | all |", "| heldout | all | all |", "## Baselines"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown report lacks %q", want)
		}
	}
	raw, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("the JSON report does not decode: %v", err)
	}
	if len(back.Families) != 2 || len(back.Families[0].Prompts) != len(rep.Families[0].Prompts) {
		t.Error("the JSON report lost families or prompts")
	}
}

func TestConfigValidate(t *testing.T) {
	for name, edit := range map[string]func(*Config){
		"no companies":      func(c *Config) { c.Companies = 0 },
		"no weeks":          func(c *Config) { c.Weeks = 0 },
		"no families":       func(c *Config) { c.Families = nil },
		"unknown family":    func(c *Config) { c.Families = []string{"standard", "nope"} },
		"family twice":      func(c *Config) { c.Families = []string{"heldout", "heldout"} },
		"small limit":       func(c *Config) { c.Limit = RecallK - 1 },
		"negative prompts":  func(c *Config) { c.LimitPrompts = -1 },
		"no concurrency":    func(c *Config) { c.Concurrency = 0 },
		"no ingest timeout": func(c *Config) { c.IngestTimeout = 0 },
	} {
		cfg := DefaultConfig()
		edit(&cfg)
		if err := cfg.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, cfg)
		}
	}
	cfg := DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Errorf("the defaults do not validate: %v", err)
	}
}
