package eval

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/leadpoet/leadpoet/schemas"
)

// Report is the result of Run.
type Report struct {
	Seed       uint64         `json:"seed"`
	Companies  int            `json:"companies"`
	Weeks      int            `json:"weeks"`
	Limit      int            `json:"limit"`
	PrecisionK int            `json:"precision_k"`
	RecallK    int            `json:"recall_k"`
	Systems    []string       `json:"systems"`
	Groups     []GroupResult  `json:"groups"`
	Families   []FamilyResult `json:"families"`
}

// Scores are the metrics of one ranking, or their means.
type Scores struct {
	Precision float64 `json:"precision_at_25"`
	NDCG      float64 `json:"ndcg_at_25"`
	Recall    float64 `json:"recall_at_100"`
}

// FamilyResult is the evaluation on the world of one family.
type FamilyResult struct {
	Name     string         `json:"name"`
	Params   Family         `json:"params"`
	World    WorldStats     `json:"world"`
	Rejected int64          `json:"rejected_records"` // dead-lettered by ingest; always 0 in a report
	Skipped  []string       `json:"skipped_prompts"`  // IDs of the prompts without relevant companies
	Prompts  []PromptResult `json:"prompts"`
	// Top25 is what fills the first PrecisionK positions of each system, summed over
	// the prompts.
	Top25 map[string]Composition `json:"top25"`
	// Calibration is how well the model's scores of every lead it returned for the
	// prompts behave as probabilities of the lead being relevant.
	Calibration Calibration `json:"calibration"`
	Timings     struct {
		Generate float64 `json:"generate"`
		Produce  float64 `json:"produce"`
		Ingest   float64 `json:"ingest"` // from the start of producing until all is committed
		Query    float64 `json:"query"`
	} `json:"timings_seconds"`
	QueryLatencyMS struct {
		P50 float64 `json:"p50"`
		P95 float64 `json:"p95"`
	} `json:"query_latency_ms"`
}

// PromptResult is one prompt's scores.
type PromptResult struct {
	Prompt
	Relevant   int               `json:"relevant"`          // size of the ground truth
	Ceiling    float64           `json:"precision_ceiling"` // the best precision@25 possible
	Returned   int               `json:"returned"`          // leads the API returned
	TotalLeads int               `json:"total_leads"`       // the API's metadata.total_leads
	Top        []string          `json:"top"`               // the API's first ten leads
	Systems    map[string]Scores `json:"systems"`
	// Top25 is what fills the model's first PrecisionK positions for this prompt.
	Top25 Composition `json:"top25"`
}

// Composition counts what fills ranked positions.
type Composition struct {
	Relevant     int `json:"relevant"`
	WrongFilters int `json:"in_market_wrong_filters"` // in the market for the category, outside the filters
	SkillDecoy   int `json:"skill_decoy"`
	SteadyDecoy  int `json:"steady_decoy"`
	Other        int `json:"other"` // not in the market for the category, and no decoy of it
	Empty        int `json:"empty"` // fewer leads than positions
}

func (c *Composition) add(o Composition) {
	c.Relevant += o.Relevant
	c.WrongFilters += o.WrongFilters
	c.SkillDecoy += o.SkillDecoy
	c.SteadyDecoy += o.SteadyDecoy
	c.Other += o.Other
	c.Empty += o.Empty
}

func (c Composition) total() int {
	return c.Relevant + c.WrongFilters + c.SkillDecoy + c.SteadyDecoy + c.Other + c.Empty
}

// compose classifies the first k positions of a ranking for a prompt.
func compose(w *World, p *Prompt, rel map[string]bool, ranked []string, k int) Composition {
	var c Composition
	ranked = ranked[:min(k, len(ranked))]
	c.Empty = k - len(ranked)
	for _, d := range ranked {
		co, ok := w.Company(d)
		switch {
		case rel[d]:
			c.Relevant++
		case !ok:
			c.Other++
		case co.IsInMarket(p.Category):
			c.WrongFilters++
		case slices.Contains(co.SkillDecoys, p.Category):
			c.SkillDecoy++
		case slices.Contains(co.SteadyDecoys, p.Category):
			c.SteadyDecoy++
		default:
			c.Other++
		}
	}
	return c
}

// GroupResult is the mean scores of one system over a group of prompts.
type GroupResult struct {
	Family       string  `json:"family"`
	Split        string  `json:"split"`    // SplitTuning, SplitHeldout or "all"
	Taxonomy     string  `json:"taxonomy"` // "inside", "outside" or "all"
	System       string  `json:"system"`
	Prompts      int     `json:"prompts"`
	MeanRelevant float64 `json:"mean_relevant"`
	Ceiling      float64 `json:"precision_ceiling"`
	Scores
}

// Taxonomy groups.
const (
	taxInside  = "inside"
	taxOutside = "outside"
	groupAll   = "all"
)

// aggregate averages every system's scores per family over: each split and
// taxonomy side, and all prompts.
func aggregate(fams []FamilyResult) []GroupResult {
	type key struct{ split, tax string }
	keys := []key{
		{SplitTuning, taxInside}, {SplitTuning, taxOutside},
		{SplitHeldout, taxInside}, {SplitHeldout, taxOutside},
		{groupAll, groupAll},
	}
	var out []GroupResult
	for _, f := range fams {
		for _, k := range keys {
			var ps []PromptResult
			for _, p := range f.Prompts {
				tax := taxOutside
				if p.Inside {
					tax = taxInside
				}
				if (k.split == groupAll || k.split == p.Split) && (k.tax == groupAll || k.tax == tax) {
					ps = append(ps, p)
				}
			}
			if len(ps) == 0 {
				continue
			}
			rel, ceil := 0.0, 0.0
			for _, p := range ps {
				rel += float64(p.Relevant)
				ceil += p.Ceiling
			}
			for _, s := range Systems() {
				out = append(out, GroupResult{
					Family: f.Name, Split: k.split, Taxonomy: k.tax, System: s, Prompts: len(ps),
					MeanRelevant: rel / float64(len(ps)), Ceiling: ceil / float64(len(ps)),
					Scores: meanScores(ps, s),
				})
			}
		}
	}
	return out
}

// meanScores averages one system's scores over prompts.
func meanScores(ps []PromptResult, system string) Scores {
	var m Scores
	if len(ps) == 0 {
		return m
	}
	for _, p := range ps {
		s := p.Systems[system]
		m.Precision += s.Precision
		m.NDCG += s.NDCG
		m.Recall += s.Recall
	}
	n := float64(len(ps))
	return Scores{Precision: m.Precision / n, NDCG: m.NDCG / n, Recall: m.Recall / n}
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// JSON returns the report as indented JSON.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return append(b, '\n'), nil
}

// Summary returns the results tables only, for a terminal.
func (r *Report) Summary() string {
	var b strings.Builder
	r.writeResults(&b)
	return b.String()
}

// Markdown returns the report as a Markdown document: the results, then how they
// were obtained.
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, `# Ranking quality

This file is written by `+"`make eval`"+` (`+"`leadpoet eval -eval.out docs/EVALUATION.md`"+`), from
`+"`internal/eval`"+`; change the harness there, not here.

It measures how well `+"`POST /query`"+` ranks the companies that are in the market for a
product, end to end through the real serving path, on synthetic markets whose ground
truth is known, next to three simple baselines on the same events. The design target
(`+"`DESIGN.md`"+`, Budgets) is precision@25 ≥ 80 %% on the held-out worlds, well above the
BM25 and recency baselines.

Run: seed %d, %s companies per world, %d weeks of signals, %d leads asked per query.
Reproduce with `+"`leadpoet eval -eval.seed %d -eval.companies %d -eval.weeks %d`"+`.

`, r.Seed, thousands(r.Companies), r.Weeks, r.Limit, r.Seed, r.Companies, r.Weeks)
	r.writeResults(&b)
	r.writeMethod(&b)
	return b.String()
}

func (r *Report) writeResults(b *strings.Builder) {
	fmt.Fprintf(b, "## Results\n\n### Precision@%d\n\n", r.PrecisionK)
	b.WriteString("Mean over the prompts of each group (world family × prompt split × inside or outside the\n")
	b.WriteString("taxonomy). *Relevant* is the mean size of the ground truth; *ceiling* the best precision@25\n")
	b.WriteString("any ranking could reach, below 1 where some prompts have fewer than 25 relevant companies.\n")
	b.WriteString("Worlds of 10,000 companies (the default) give nearly every prompt at least 25; in smaller\n")
	b.WriteString("worlds the prompts with two filters have 10 to 20, and their precision@25 is bounded by that.\n\n")
	b.WriteString("| world | split | taxonomy | prompts | relevant (mean) | ceiling |")
	for _, s := range r.Systems {
		fmt.Fprintf(b, " %s |", s)
	}
	b.WriteString("\n|---|---|---|--:|--:|--:|")
	for range r.Systems {
		b.WriteString("--:|")
	}
	b.WriteString("\n")
	for _, rows := range r.groupRows() {
		g := rows[0]
		fmt.Fprintf(b, "| %s | %s | %s | %d | %.1f | %.3f |", g.Family, g.Split, g.Taxonomy, g.Prompts, g.MeanRelevant, g.Ceiling)
		for _, row := range rows {
			fmt.Fprintf(b, " %.3f |", row.Precision)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "\n### All metrics\n\n| world | split | taxonomy | system | precision@%d | NDCG@%d | recall@%d |\n|---|---|---|---|--:|--:|--:|\n",
		r.PrecisionK, r.PrecisionK, r.RecallK)
	for _, rows := range r.groupRows() {
		for _, g := range rows {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %.3f | %.3f | %.3f |\n", g.Family, g.Split, g.Taxonomy, g.System, g.Precision, g.NDCG, g.Recall)
		}
	}
	fmt.Fprintf(b, "\n### What fills the first %d positions\n\n", r.PrecisionK)
	b.WriteString("Share of the first 25 positions over all prompts of a world: relevant companies; companies\n")
	b.WriteString("in the market for the category but outside the prompt's filters; skill and steady decoys\n")
	b.WriteString("of the category; other companies; and positions left empty.\n\n")
	b.WriteString("| world | system | relevant | wrong filters | skill decoys | steady decoys | other | empty |\n|---|---|--:|--:|--:|--:|--:|--:|\n")
	for _, f := range r.Families {
		for _, s := range r.Systems {
			c := f.Top25[s]
			n := float64(max(c.total(), 1))
			fmt.Fprintf(b, "| %s | %s | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% |\n", f.Name, s,
				100*float64(c.Relevant)/n, 100*float64(c.WrongFilters)/n, 100*float64(c.SkillDecoy)/n,
				100*float64(c.SteadyDecoy)/n, 100*float64(c.Other)/n, 100*float64(c.Empty)/n)
		}
	}
	r.writeCalibration(b)
	for _, f := range r.Families {
		if len(f.Skipped) > 0 {
			fmt.Fprintf(b, "\nPrompts without any relevant company in the %s world, left out: %s.\n", f.Name, strings.Join(f.Skipped, ", "))
		}
	}
	b.WriteString("\n")
}

// writeCalibration writes how well the model's scores behave as probabilities.
func (r *Report) writeCalibration(b *strings.Builder) {
	b.WriteString("\n### Calibration\n\n")
	b.WriteString("Every lead the model returned for the prompts of a world (up to 100 per prompt), its score\n")
	b.WriteString("against whether it is relevant. *ECE* is the expected calibration error over ten score\n")
	b.WriteString("intervals, *Brier* the mean squared error; *Platt fit* is the calibration `scorer.FitPlatt`\n")
	b.WriteString("would set from these leads (A = 1, B = 0: the scores need no rescaling).\n\n")
	b.WriteString("| world | leads | mean score | relevant | ECE | Brier | Platt fit (A, B) |\n|---|--:|--:|--:|--:|--:|--:|\n")
	for _, f := range r.Families {
		c := f.Calibration
		fmt.Fprintf(b, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.2f, %.2f |\n", f.Name, thousands(c.Leads), c.MeanScore, c.Relevant, c.ECE, c.Brier, c.PlattA, c.PlattB)
	}
	b.WriteString("\nReliability: per score interval, the leads in it, their mean score and the share relevant.\n\n")
	r.writeFamilyHeader(b, "score", " %s leads | mean score | relevant |", "--:|--:|--:|")
	for i := range calibrationBins {
		fmt.Fprintf(b, "| %.1f–%.1f |", float64(i)/calibrationBins, float64(i+1)/calibrationBins)
		for _, f := range r.Families {
			if i >= len(f.Calibration.Bins) || f.Calibration.Bins[i].Leads == 0 {
				b.WriteString(" 0 | | |")
				continue
			}
			bin := f.Calibration.Bins[i]
			fmt.Fprintf(b, " %s | %.3f | %.3f |", thousands(bin.Leads), bin.MeanScore, bin.Relevant)
		}
		b.WriteString("\n")
	}
}

// writeFamilyHeader writes the head of a table with a first column and the columns of
// every family: perFamily is their header cells (with %s for the family's name),
// align their alignment cells.
func (r *Report) writeFamilyHeader(b *strings.Builder, first, perFamily, align string) {
	fmt.Fprintf(b, "| %s |", first)
	for _, f := range r.Families {
		fmt.Fprintf(b, perFamily, f.Name)
	}
	b.WriteString("\n|---|")
	for range r.Families {
		b.WriteString(align)
	}
	b.WriteString("\n")
}

// groupRows returns the groups with the rows of every system together.
func (r *Report) groupRows() [][]GroupResult {
	var out [][]GroupResult
	for i := 0; i < len(r.Groups); {
		j := i
		for j < len(r.Groups) && r.Groups[j].Family == r.Groups[i].Family &&
			r.Groups[j].Split == r.Groups[i].Split && r.Groups[j].Taxonomy == r.Groups[i].Taxonomy {
			j++
		}
		out = append(out, r.Groups[i:j])
		i = j
	}
	return out
}

func (r *Report) writeMethod(b *strings.Builder) {
	fmt.Fprintf(b, `## What runs

`+"`leadpoet eval`"+` starts, for each world, a fresh copy of the serving path in one process,
wired as `+"`leadpoet dev`"+` wires it: an embedded Kafka broker (kfake) on a free port, a real
`+"`redis-server`"+` on a free port, the ingest consumer group with the pipelines writing the
Redis online store, and the HTTP API over the scorer engine (ClickHouse is off: analytics
are not needed). It produces the world's records to the v1 topics, company profiles
first, waits until the consumer group has committed every record (and checks that none
was dead-lettered), then sends every prompt to `+"`POST /query`"+` over HTTP with `+"`limit`"+` %d and
the prompt's explicit filters. The API key is on a plan without practical limits and
reputation throttling is off, so every query is answered.

## Worlds

A world is a market of companies with a hidden ground truth. The companies are the real
company profiles of the demo data set (`+"`internal/demo`"+`: name, domain, industry,
head office, technologies, blurb); to reach the wanted number, profiles are cloned under
suffixed domains (`+"`acme-2.com`"+`), and fewer are a seeded sample. Each company is in the
market for each of 20 product categories with a base rate (3–7 %%; EHR 20 %% of healthcare
companies and no others) multiplied by its industry's fit (e.g. e-commerce ×3 for retail)
and its size (SIEM, ERP and carbon accounting more likely for large companies, payroll for
small ones).

Over the weeks of a world:

- **In-market companies** surge in their last few weeks (the surge length below): job
  posts that fund the purchase, pages on their site (a changed tool, a request for
  proposals) and research activity weighted toward pricing views, comparisons and demo
  requests; sometimes the removal of the product they run; sometimes one faint look at
  the category weeks earlier. The text
  names the category by its plain name, by a paraphrase or synonym ("ticketing system",
  "service desk" for help desk), or by vendor names only, without any category word.
- **Every company** emits background noise at its size's rates: job posts about other
  work, generic pages, page views on unrelated topics, and some page views on a category.
- **Decoys** are not in the market but look as if: *skill decoys* run a vendor of the
  category happily (added long ago) and post jobs, at any time, that require it
  ("experience with Zendesk is required"); *steady decoys* show the same interest every
  week of the world: research and pages at a constant level, background rather than surge.

Events are the wire contract's own types, JSON-encoded, keyed by domain. The same seed
and clock give the same records byte for byte. Two families of worlds differ in seed and
in generation parameters; the **heldout** family is never used for tuning:

`, r.Limit)
	if len(r.Families) > 0 {
		r.writeFamilyHeader(b, "parameter", " %s |", "---|")
		for _, row := range familyRows() {
			fmt.Fprintf(b, "| %s |", row.name)
			for _, f := range r.Families {
				fmt.Fprintf(b, " %s |", row.value(f.Params))
			}
			b.WriteString("\n")
		}
		b.WriteString("\nPer-size values are for 1-10, 11-50, 51-200, 201-1000 and 1000+ employees.\n\n")
		b.WriteString("| world | companies | clones | records | jobs | pages | activity | tech | in-market pairs | skill decoys | steady decoys |\n")
		b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		for _, f := range r.Families {
			s := f.World
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f.Name,
				thousands(s.Companies), thousands(s.Clones), thousands(s.Records),
				thousands(s.ByTopic[schemas.TopicJobs]), thousands(s.ByTopic[schemas.TopicSites]),
				thousands(s.ByTopic[schemas.TopicActivity]), thousands(s.ByTopic[schemas.TopicTech]),
				thousands(s.InMarket), thousands(s.SkillDecoys), thousands(s.SteadyDecoys))
		}
	}
	cats := Categories()
	var inside, outside []string
	for _, c := range cats {
		if c.Inside {
			inside = append(inside, c.Name)
		} else {
			outside = append(outside, c.Name)
		}
	}
	fmt.Fprintf(b, `
Categories inside a typical product taxonomy: %s. Outside it: %s.

## Prompts

Every category gets one prompt of each template below; the product words rotate over
three names of the category per split. The **heldout** templates use other sentences
and other names of the categories and are never used for tuning. Filters are explicit
(the request's `+"`filters`"+` object) or implicit (stated in the prompt). Examples for help desk:

| template | split | prompt | explicit filters | implicit filters |
|---|---|---|---|---|
`, strings.Join(inside, ", "), strings.Join(outside, ", "))
	for _, p := range Prompts(cats[:1]) {
		explicit := "—"
		if p.Explicit != nil {
			explicit = describeFilters(*p.Explicit)
		}
		implicit := "—"
		if !p.Implicit.IsZero() {
			implicit = describeFilters(p.Implicit)
		}
		_, id, _ := strings.Cut(p.ID, "/")
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", id, p.Split, p.Text, explicit, implicit)
	}
	fmt.Fprintf(b, `
## Ground truth and metrics

A prompt's relevant companies are those in the market for its category that satisfy
all its filters, explicit and implicit: industry equal, size bucket among those asked
for, head-office country equal (a company without a known country fails a location
filter). Relevance is binary. Prompts without any relevant company are left out.

- **precision@%[1]d**: relevant companies among the first %[1]d returned, divided by %[1]d.
- **NDCG@%[1]d**: discounted gain of the first %[1]d (1/log2(position+1) per relevant
  company) divided by that of a perfect ranking.
- **recall@%[2]d**: relevant companies among the first %[2]d, divided by all relevant ones.

Means are over the prompts of a group: world family × prompt split × inside or outside
the taxonomy.

## Baselines

Computed in the harness from the same records (decoded with the wire contract's
decoder), not through the API. Each keeps only the companies that satisfy the prompt's
filters, read exactly from the prompt's metadata, an advantage the API does not have.

- **random**: the matching companies in a random order (seeded).
- **recency**: the matching companies by their latest signal of any kind.
- **bm25**: Okapi BM25 (k1 1.2, b 0.75) of the prompt's product words over each
  company's concatenated signal text (job titles and descriptions, page titles and text,
  research topics and text, technologies and their categories), tokenized with
  `+"`scorer.Tokenize`"+`, without any time decay.
`, r.PrecisionK, r.RecallK)
}

// familyRow is one generation parameter in the worlds table.
type familyRow struct {
	name  string
	value func(Family) string
}

func familyRows() []familyRow {
	f2 := func(x float64) string { return fmt.Sprintf("%.3g", x) }
	pct := func(x float64) string { return fmt.Sprintf("%.3g %%", 100*x) }
	sizes := func(v [5]float64) string {
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = fmt.Sprintf("%.3g", x)
		}
		return strings.Join(parts, " / ")
	}
	return []familyRow{
		{"signal vocabulary", func(f Family) string {
			if f.Vocabulary == VocabularyHeldout {
				return "heldout paraphrases and templates"
			}
			return "standard paraphrases and templates"
		}},
		{"in-market rate scale", func(f Family) string { return f2(f.RateScale) }},
		{"size mix of clones", func(f Family) string { return sizes(f.SizeMix) }},
		{"real profiles resized", func(f Family) string { return pct(f.ResizeOriginals) }},
		{"surge length (weeks)", func(f Family) string { return fmt.Sprintf("%d–%d", f.SurgeWeeks[0], f.SurgeWeeks[1]) }},
		{"buying signals per in-market company", func(f Family) string { return sizes(f.IntentSignals) }},
		{"share of them that are job posts", func(f Family) string { return sizes(f.JobShare) }},
		{"share of them that are site pages", func(f Family) string { return pct(f.SiteShare) }},
		{"plain name / vendors only / paraphrase", func(f Family) string {
			return fmt.Sprintf("%s / %s / %s", pct(f.CanonicalShare), pct(f.VendorOnlyShare), pct(1-f.CanonicalShare-f.VendorOnlyShare))
		}},
		{"removes its current product", func(f Family) string { return pct(f.TechRemovalRate) }},
		{"faint look weeks earlier", func(f Family) string { return pct(f.WhisperRate) }},
		{"noise job posts per week", func(f Family) string { return sizes(f.NoiseJobs) }},
		{"noise pages per week", func(f Family) string { return sizes(f.NoisePages) }},
		{"noise page views per week", func(f Family) string { return sizes(f.NoiseViews) }},
		{"noise views on a category", func(f Family) string { return pct(f.TopicNoise) }},
		{"skill decoy rate (per company × category)", func(f Family) string { return pct(f.SkillDecoyRate) }},
		{"steady decoy rate (per company × category)", func(f Family) string { return pct(f.SteadyDecoyRate) }},
	}
}

// describeFilters writes filters for a table cell.
func describeFilters(f Filters) string {
	var parts []string
	if len(f.Industries) > 0 {
		parts = append(parts, "industries "+strings.Join(f.Industries, ", "))
	}
	if len(f.CompanySize) > 0 {
		parts = append(parts, "size "+strings.Join(f.CompanySize, ", "))
	}
	if f.Location != "" {
		parts = append(parts, "location "+f.Location)
	}
	return strings.Join(parts, "; ")
}

// thousands writes n with thousands separators: 12345 → "12,345".
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
