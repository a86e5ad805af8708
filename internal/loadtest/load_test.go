package loadtest

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/internal/eval"
	"github.com/leadpoet/leadpoet/internal/synth"
)

// Environment of BenchmarkQueryLoad.
const (
	envSeconds   = "LEADPOET_LOAD_SECONDS"   // attack duration; default 60 (5 with -short or CI set)
	envCompanies = "LEADPOET_LOAD_COMPANIES" // companies loaded; default 100000 (5000 with -short or CI set)
	envSignals   = "LEADPOET_LOAD_SIGNALS"   // signals loaded; default 300000 (15000 with -short or CI set)
	envRate      = "LEADPOET_LOAD_RATE"      // requests per second; default 250 (50 with -short or CI set)
)

// BenchmarkQueryLoad loads companies and signals through Kafka into the in-process
// serving path (kfake, redis-server, ingest, API), then posts a mix of prompts to
// POST /query at a constant 250 requests per second for LEADPOET_LOAD_SECONDS, and
// reports latency percentiles, errors and cost per lead. One attack per run, so
// -benchtime=1x is the natural setting; `make load` runs it for 60 s.
func BenchmarkQueryLoad(b *testing.B) {
	// With -short or in CI the run checks the machinery on a small load; `make load`
	// and `make bench` measure the budget.
	defaultSeconds, defaultCompanies, defaultSignals, defaultRate := 60, 100_000, 300_000, 250
	if testing.Short() || os.Getenv("CI") != "" {
		defaultSeconds, defaultCompanies, defaultSignals, defaultRate = 5, 5_000, 15_000, 50
	}
	seconds := envInt(b, envSeconds, defaultSeconds)
	companies := envInt(b, envCompanies, defaultCompanies)
	signals := envInt(b, envSignals, defaultSignals)
	rate := envInt(b, envRate, defaultRate)

	var progress io.Writer = io.Discard
	if testing.Verbose() {
		progress = os.Stderr
	}
	ctx, cancel := context.WithTimeout(b.Context(), 20*time.Minute)
	defer cancel()

	st, err := eval.StartStack(ctx, eval.StackOptions{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			b.Error(err)
		}
	}()

	took, err := load(ctx, st, companies, signals, progress)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d companies and %d signals through kafka and ingest in %s (%.0f records/s)",
		companies, signals, took.Round(time.Millisecond), float64(companies+signals)/took.Seconds())

	bodies, err := QueryBodies(0)
	if err != nil {
		b.Fatal(err)
	}
	var rep Report
	for b.Loop() {
		fmt.Fprintf(progress, "attack: %d req/s for %d s over %d request bodies\n", rate, seconds, len(bodies))
		rep, err = Attack(ctx, Target{URL: st.URL, Key: st.Key}, bodies, Options{Rate: rate, Duration: time.Duration(seconds) * time.Second})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Log("\n" + rep.String())
	b.ReportMetric(ms(rep.P50), "p50-ms")
	b.ReportMetric(ms(rep.P95), "p95-ms")
	b.ReportMetric(ms(rep.P99), "p99-ms")
	b.ReportMetric(float64(rep.Errors), "errors")
	b.ReportMetric(rep.CostPerLead(), "usd/lead")
	b.ReportMetric(rep.Throughput, "answers/s")
	if rep.Leads == 0 {
		b.Error("no answer returned a lead")
	}
	if rep.Undecodable > 0 {
		b.Errorf("%d answers were not query responses", rep.Undecodable)
	}
}

// load produces a synthetic stream of companies and signals in chunks and waits
// until ingest has committed all of it with nothing dead-lettered.
func load(ctx context.Context, st *eval.Stack, companies, signals int, progress io.Writer) (time.Duration, error) {
	recs := synth.Stream(synth.Options{Seed: 1, Companies: companies, Signals: signals, Now: time.Now()})
	start := time.Now()
	const chunk = 50_000
	batch := make([]eval.Record, 0, chunk)
	for i := 0; i < len(recs); i += chunk {
		batch = batch[:0]
		for _, r := range recs[i:min(i+chunk, len(recs))] {
			batch = append(batch, eval.Record(r))
		}
		if err := st.Produce(ctx, batch, nil); err != nil {
			return 0, err
		}
		fmt.Fprintf(progress, "load: produced %d/%d records after %s\n", min(i+chunk, len(recs)), len(recs), time.Since(start).Round(time.Second))
	}
	last := time.Now()
	err := st.WaitIngested(ctx, int64(len(recs)), func(done int64) {
		if time.Since(last) >= 5*time.Second {
			last = time.Now()
			fmt.Fprintf(progress, "load: ingested %d/%d records after %s\n", done, len(recs), time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return 0, err
	}
	took := time.Since(start)
	rejected, err := st.Rejected(ctx)
	if err != nil {
		return 0, err
	}
	if rejected > 0 {
		return 0, fmt.Errorf("ingest dead-lettered %d of %d records", rejected, len(recs))
	}
	return took, nil
}

func envInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q: want a positive whole number", name, v)
	}
	return n
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
