package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/sync/errgroup"

	"github.com/leadpoet/leadpoet/schemas"
)

// Cut-offs of the metrics.
const (
	PrecisionK = 25  // precision@25 and NDCG@25
	RecallK    = 100 // recall@100
)

// Config configures Run. DefaultConfig returns the defaults.
type Config struct {
	Seed      uint64   // seeds the worlds and the random baseline
	Companies int      // companies per world
	Weeks     int      // weeks of signals per world
	Families  []string // world families to run, by name (Families)
	// LimitPrompts, when positive, runs only that many prompts per world, spread
	// over the prompt set, for quick runs.
	LimitPrompts int
	// Limit is the number of leads asked per query; at least RecallK.
	Limit int
	// Concurrency is the number of queries in flight.
	Concurrency int
	// Partitions is the partition count of the embedded broker's topics.
	Partitions int
	// Dir is where the working folders of the stacks are made; "" means the
	// system's temporary folder. They are removed when Run returns.
	Dir string
	// IngestTimeout bounds the wait for ingest to commit one world's records.
	IngestTimeout time.Duration
	// Progress receives progress bars; nil shows none.
	Progress io.Writer
	// Logger receives the harness's logs, and the warnings and errors of the stack's
	// components (all their logs when it is enabled at debug level). Nil discards.
	Logger *slog.Logger
	// Now is the clock the worlds are generated at; nil means time.Now.
	Now func() time.Time
}

// DefaultConfig returns the defaults: seed 1, 10,000 companies, 16 weeks, both
// families, every prompt, 100 leads per query.
func DefaultConfig() Config {
	return Config{
		Seed:          1,
		Companies:     DefaultCompanies,
		Weeks:         DefaultWeeks,
		Families:      []string{FamilyStandard, FamilyHeldout},
		Limit:         RecallK,
		Concurrency:   4,
		Partitions:    4,
		IngestTimeout: 10 * time.Minute,
	}
}

// Validate reports the first invalid setting.
func (c *Config) Validate() error {
	switch {
	case c.Companies < 1 || c.Companies > maxCompanies:
		return fmt.Errorf("companies must be 1 to %d, got %d", maxCompanies, c.Companies)
	case c.Weeks < 1 || c.Weeks > maxWeeks:
		return fmt.Errorf("weeks must be 1 to %d, got %d", maxWeeks, c.Weeks)
	case len(c.Families) == 0:
		return errors.New("families must name at least one world family")
	case c.LimitPrompts < 0:
		return fmt.Errorf("limit-prompts must not be negative, got %d", c.LimitPrompts)
	case c.Limit < RecallK || c.Limit > 2000:
		return fmt.Errorf("limit must be %d to 2000, got %d", RecallK, c.Limit)
	case c.Concurrency < 1:
		return fmt.Errorf("concurrency must be at least 1, got %d", c.Concurrency)
	case c.Partitions < 1:
		return fmt.Errorf("partitions must be at least 1, got %d", c.Partitions)
	case c.IngestTimeout <= 0:
		return fmt.Errorf("ingest timeout must be positive, got %s", c.IngestTimeout)
	}
	for i, name := range c.Families {
		if _, err := FamilyByName(name); err != nil {
			return err
		}
		if slices.Contains(c.Families[:i], name) {
			return fmt.Errorf("world family %q is named twice", name)
		}
	}
	return nil
}

// Run evaluates the ranking of the real serving path on one world of each family:
// it generates the world, starts a fresh stack, produces the world's records
// through Kafka, waits until ingest has committed all of them, asks POST /query
// every prompt, ranks the same prompts with the baselines, and scores everything
// against the ground truth. Prompts without any relevant company in a world are
// skipped and counted.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	rep := &Report{
		Seed: cfg.Seed, Companies: cfg.Companies, Weeks: cfg.Weeks, Limit: cfg.Limit,
		PrecisionK: PrecisionK, RecallK: RecallK, Systems: Systems(),
	}
	for _, name := range cfg.Families {
		fam, _ := FamilyByName(name) // checked by Validate
		fr, err := runFamily(ctx, cfg, fam)
		if err != nil {
			return nil, fmt.Errorf("eval %s world: %w", name, err)
		}
		rep.Families = append(rep.Families, *fr)
	}
	rep.Groups = aggregate(rep.Families)
	return rep, nil
}

func runFamily(ctx context.Context, cfg Config, fam Family) (*FamilyResult, error) {
	log := cfg.Logger.With("family", fam.Name)
	fr := &FamilyResult{Name: fam.Name, Params: fam}

	start := time.Now()
	w, err := NewWorld(WorldOptions{Family: fam, Seed: cfg.Seed, Companies: cfg.Companies, Weeks: cfg.Weeks, Now: cfg.Now()})
	if err != nil {
		return nil, err
	}
	fr.World = w.Stats
	fr.Timings.Generate = seconds(time.Since(start))
	prompts := SelectPrompts(Prompts(w.Categories), cfg.LimitPrompts)
	log.Info("world generated", "companies", w.Stats.Companies, "records", w.Stats.Records,
		"in_market_pairs", w.Stats.InMarket, "prompts", len(prompts), "took", time.Since(start).Round(time.Millisecond))

	dir, err := os.MkdirTemp(cfg.Dir, "leadpoet-eval-")
	if err != nil {
		return nil, fmt.Errorf("create working folder: %w", err)
	}
	defer os.RemoveAll(dir)
	stack, err := StartStack(ctx, StackOptions{Dir: dir, Partitions: cfg.Partitions, Logger: componentLogger(cfg.Logger)})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := stack.Close(); err != nil {
			log.Warn("stop evaluation stack", "err", err)
		}
	}()
	log.Debug("stack started", "api", stack.URL, "kafka", stack.Brokers)

	// Company profiles first, then the signals, as producers would.
	start = time.Now()
	bar := newBar(cfg.Progress, int64(len(w.Records)), fam.Name+": producing", "records")
	profiles := w.Stats.Companies
	for _, part := range [][]Record{w.Records[:profiles], w.Records[profiles:]} {
		if err := stack.Produce(ctx, part, bar.inc); err != nil {
			bar.done()
			return nil, err
		}
	}
	bar.done()
	fr.Timings.Produce = seconds(time.Since(start))

	ictx, cancel := context.WithTimeout(ctx, cfg.IngestTimeout)
	defer cancel()
	bar = newBar(cfg.Progress, int64(len(w.Records)), fam.Name+": ingesting", "records")
	err = stack.WaitIngested(ictx, int64(len(w.Records)), bar.set)
	bar.done()
	if err != nil {
		return nil, err
	}
	fr.Timings.Ingest = seconds(time.Since(start))
	if fr.Rejected, err = stack.Rejected(ctx); err != nil {
		return nil, err
	}
	if fr.Rejected > 0 {
		return nil, fmt.Errorf("ingest dead-lettered %d of the world's records (topic %s): the generator and the wire contract disagree", fr.Rejected, schemas.TopicDLQ)
	}
	log.Info("world ingested", "records", len(w.Records), "took", time.Since(start).Round(time.Millisecond))

	start = time.Now()
	answers := make([]Answer, len(prompts))
	bar = newBar(cfg.Progress, int64(len(prompts)), fam.Name+": querying", "prompts")
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cfg.Concurrency)
	for i := range prompts {
		g.Go(func() error {
			a, err := stack.Query(gctx, &prompts[i], cfg.Limit)
			answers[i] = a
			bar.inc()
			return err
		})
	}
	err = g.Wait()
	bar.done()
	if err != nil {
		return nil, err
	}
	fr.Timings.Query = seconds(time.Since(start))
	for i, a := range answers {
		for _, d := range a.Domains {
			if _, ok := w.Company(d); !ok {
				return nil, fmt.Errorf("query %s: the API returned %q, which is no company of the world", prompts[i].ID, d)
			}
		}
	}
	lat := make([]time.Duration, len(answers))
	for i, a := range answers {
		lat[i] = a.Took
	}
	slices.Sort(lat)
	fr.QueryLatencyMS.P50 = percentileMS(lat, 0.5)
	fr.QueryLatencyMS.P95 = percentileMS(lat, 0.95)

	corpus, err := NewCorpus(w)
	if err != nil {
		return nil, err
	}
	fr.Top25 = map[string]Composition{}
	var calScores []float64
	var calRelevant []bool
	for i := range prompts {
		p := &prompts[i]
		rel := w.Relevant(p)
		if len(rel) == 0 {
			fr.Skipped = append(fr.Skipped, p.ID)
			continue
		}
		ranked := map[string][]string{
			SystemLeadpoet: answers[i].Domains,
			SystemBM25:     corpus.BM25(p, cfg.Limit),
			SystemRecency:  corpus.Recency(p, cfg.Limit),
			SystemRandom:   corpus.Random(p, cfg.Seed, cfg.Limit),
		}
		pr := PromptResult{
			Prompt: *p, Relevant: len(rel), Ceiling: PrecisionCeiling(len(rel), PrecisionK),
			Returned: len(answers[i].Domains), TotalLeads: answers[i].TotalLeads,
			Top:     answers[i].Domains[:min(10, len(answers[i].Domains))],
			Systems: map[string]Scores{},
		}
		for _, s := range Systems() {
			pr.Systems[s] = Scores{
				Precision: PrecisionAt(ranked[s], rel, PrecisionK),
				NDCG:      NDCGAt(ranked[s], rel, PrecisionK),
				Recall:    RecallAt(ranked[s], rel, RecallK),
			}
			comp := compose(w, p, rel, ranked[s], PrecisionK)
			if s == SystemLeadpoet {
				pr.Top25 = comp
			}
			c := fr.Top25[s]
			c.add(comp)
			fr.Top25[s] = c
		}
		fr.Prompts = append(fr.Prompts, pr)
		for k, d := range answers[i].Domains {
			calScores = append(calScores, answers[i].Scores[k])
			calRelevant = append(calRelevant, rel[d])
		}
	}
	fr.Calibration = Calibrate(calScores, calRelevant)
	lp := meanScores(fr.Prompts, SystemLeadpoet)
	log.Info("world evaluated", "prompts", len(fr.Prompts), "skipped", len(fr.Skipped),
		"precision_at_25", round3(lp.Precision), "ndcg_at_25", round3(lp.NDCG), "recall_at_100", round3(lp.Recall))
	return fr, nil
}

// componentLogger is the logger of the stack's components: l itself when it is
// enabled at debug level, else l without the components' info and debug logs.
func componentLogger(l *slog.Logger) *slog.Logger {
	if l.Enabled(context.Background(), slog.LevelDebug) {
		return l
	}
	return slog.New(minLevel{l.Handler(), slog.LevelWarn})
}

// minLevel drops the records of a handler below a level.
type minLevel struct {
	slog.Handler
	level slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.level}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.level}
}

// bar is a progress bar with rate and ETA, or nothing when there is no writer.
type bar struct {
	pb *progressbar.ProgressBar
	w  io.Writer
}

func newBar(w io.Writer, total int64, desc, unit string) bar {
	if w == nil {
		return bar{}
	}
	return bar{w: w, pb: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)}
}

func (b bar) inc() {
	if b.pb != nil {
		_ = b.pb.Add(1)
	}
}

func (b bar) set(n int64) {
	if b.pb != nil {
		_ = b.pb.Set64(min(n, b.pb.GetMax64()))
	}
}

func (b bar) done() {
	if b.pb != nil && !b.pb.IsFinished() {
		_ = b.pb.Exit()
		fmt.Fprintln(b.w)
	}
}

func seconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond)) / float64(time.Second)
}

func percentileMS(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, int(q*float64(len(sorted))))
	return float64(sorted[i].Microseconds()) / 1000
}
