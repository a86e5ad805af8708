package pipelines_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/internal/synth"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/pipelines"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

func records(rs []synth.Record) []*kgo.Record {
	out := make([]*kgo.Record, len(rs))
	for i, r := range rs {
		out[i] = &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value}
	}
	return out
}

// nopOnline discards online-store writes, to measure the stages before them.
type nopOnline struct{}

func (nopOnline) Apply(context.Context, []redisstore.ProfileUpdate, []redisstore.SignalUpdate) error {
	return nil
}

// BenchmarkProcess is the CPU stage of ingest: decode, validate, normalise and extract
// evidence and term features, for a batch of 10,000 mixed signals, without writes.
func BenchmarkProcess(b *testing.B) {
	recs := records(synth.Stream(synth.Options{Seed: 1, Companies: 1000, Signals: 10000, Now: time.Now()})[1000:])
	p := pipelines.NewProcessor(nil, nopOnline{}, taxonomy(), slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Handle(context.Background(), recs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(recs))/b.Elapsed().Seconds(), "signals/s")
}

// BenchmarkRedisApply is the online-store stage: one pipeline of 10,000 signal
// updates against a real redis-server.
func BenchmarkRedisApply(b *testing.B) {
	rs, err := redisstore.Open(context.Background(), redisstore.Config{Addr: testkit.Redis(b), PoolSize: 4, MaxEvidence: 50}, scorer.DefaultDecay(), scorer.BaselineDecay())
	if err != nil {
		b.Fatal(err)
	}
	defer rs.Close()
	b.ReportAllocs()
	total := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		seed := uint64(i + 1)
		recs := records(synth.Stream(synth.Options{Seed: seed, Companies: 1000, Signals: 10000, Now: time.Now()})[1000:])
		col := &collect{}
		p := pipelines.NewProcessor(nil, col, taxonomy(), slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
		if _, err := p.Handle(context.Background(), recs); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := rs.Apply(context.Background(), nil, col.signals); err != nil {
			b.Fatal(err)
		}
		total += len(col.signals)
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "signals/s")
}

// watchHeap samples the bytes of live and not yet swept heap objects every 10 ms
// (runtime/metrics, which does not stop the world) until the returned function is
// called, which returns the largest sample.
func watchHeap() (peak func() uint64) {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var most uint64
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			most = max(most, sample[0].Value.Uint64())
			select {
			case <-stop:
				done <- most
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		return <-done
	}
}

// firstBatch passes batches to Handler and sends the time of the first on at, with
// the processes' CPU times then.
type firstBatch struct {
	ingest.Handler
	once sync.Once
	at   chan time.Time
	cpu  map[string]time.Duration
}

func (f *firstBatch) Handle(ctx context.Context, recs []*kgo.Record) ([]ingest.Rejection, error) {
	f.once.Do(func() {
		f.cpu = processCPU()
		f.at <- time.Now()
	})
	return f.Handler.Handle(ctx, recs)
}

type collect struct{ signals []redisstore.SignalUpdate }

func (c *collect) Apply(_ context.Context, _ []redisstore.ProfileUpdate, s []redisstore.SignalUpdate) error {
	c.signals = append(c.signals, s...)
	return nil
}

// BenchmarkIngest is end-to-end ingest: 100,000 mixed signals (after the profiles of
// their companies) produced to a broker, consumed and written to a real ClickHouse and
// a real Redis, offsets committed. It reports events/s from the first batch the
// consumer hands to the pipelines (its first poll that returned records, once it has
// joined the group) to the last commit, and the CPU each process spent in that time.
//
// The cost of the online store depends on how many signals of one company a write
// carries: a company's terms are summed before they reach Redis, and each term new to
// a company costs a sorted-set insert. With 2,000 companies (50 signals each) a write
// of 50,000 records carries about 25 of each company's signals; with 20,000 (5 each)
// nearly every signal's terms are new to its company.
func BenchmarkIngest(b *testing.B) {
	for _, companies := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("companies=%d", companies), func(b *testing.B) { benchmarkIngest(b, companies, 100000) })
	}
}

func benchmarkIngest(b *testing.B, companies, signals int) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cluster := testkit.Kafka(b, schemas.AllTopics...)
		db := testkit.ClickHouseDB(b)
		ctx := context.Background()
		chs, err := chstore.Open(ctx, chstore.Config{Enabled: true, Addr: db.Addr, Database: db.Database}, nil)
		if err != nil {
			b.Fatal(err)
		}
		rs, err := redisstore.Open(ctx, redisstore.Config{Addr: testkit.Redis(b), PoolSize: 8, MaxEvidence: 50}, scorer.DefaultDecay(), scorer.BaselineDecay())
		if err != nil {
			b.Fatal(err)
		}
		kcl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ProducerBatchMaxBytes(1<<20))
		if err != nil {
			b.Fatal(err)
		}
		if err := kcl.ProduceSync(ctx, records(synth.Stream(synth.Options{Seed: 7, Companies: companies, Signals: signals, Now: time.Now()}))...).FirstErr(); err != nil {
			b.Fatal(err)
		}
		kc := kafkax.DefaultConfig()
		kc.Brokers = cluster.ListenAddrs()[0]
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		proc := pipelines.NewProcessor(chs, rs, taxonomy(), log, time.Now)
		proc.LimitRounds(max(ingest.DefaultConfig().MaxBufferedRecords/2, 1)) // as leadpoet ingest does
		first := &firstBatch{Handler: proc, at: make(chan time.Time, 1)}
		cons, err := ingest.NewConsumer(ingest.DefaultConfig(), kc, schemas.EventTopics(), first, log, prometheus.NewRegistry())
		if err != nil {
			b.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		b.StartTimer()
		go func() { done <- cons.Run(runCtx) }()
		peak := watchHeap()
		var start time.Time
		select {
		case start = <-first.at:
		case err := <-done:
			b.Fatalf("consumer ended before its first batch: %v", err)
		}
		cpu0 := first.cpu
		deadline := time.After(5 * time.Minute)
		tick := time.NewTicker(20 * time.Millisecond)
		for lag, err := groupLag(kcl, ingest.DefaultConfig().Group); err != nil || lag != 0; lag, err = groupLag(kcl, ingest.DefaultConfig().Group) {
			select {
			case <-deadline:
				b.Fatalf("not ingested within 5 minutes (lag %d, %v)", lag, err)
			case <-tick.C:
			}
		}
		took := time.Since(start)
		cpu1 := processCPU()
		tick.Stop()
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		// The heap includes the broker's copy of every record and the produced
		// records, about 150 MiB, besides what ingest holds.
		b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(companies+signals)/took.Seconds(), "events/s")
		// CPU time per event of each process, from the first poll to the last commit:
		// on a shared machine these say more than the rate does.
		for name, unit := range map[string]string{"self": "go-cpu-µs/event", "redis-server": "redis-cpu-µs/event", "clickhouse-serv": "ch-cpu-µs/event"} {
			if t0, ok := cpu0[name]; ok {
				b.ReportMetric((cpu1[name]-t0).Seconds()*1e6/float64(companies+signals), unit)
			}
		}
		kcl.Close()
		rs.Close()
		chs.Close()
	}
}

// BenchmarkOnlineMemory measures the Redis memory the online store takes per company
// profile and per indexed signal (used_memory before and after loading).
func BenchmarkOnlineMemory(b *testing.B) {
	const companies, signals = 5000, 50000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ctx := context.Background()
		rs, err := redisstore.Open(ctx, redisstore.Config{Addr: testkit.Redis(b), PoolSize: 4, MaxEvidence: 50}, scorer.DefaultDecay(), scorer.BaselineDecay())
		if err != nil {
			b.Fatal(err)
		}
		stream := records(synth.Stream(synth.Options{Seed: 3, Companies: companies, Signals: signals, Now: time.Now()}))
		col := &collectAll{}
		p := pipelines.NewProcessor(nil, col, taxonomy(), slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
		if _, err := p.Handle(ctx, stream); err != nil {
			b.Fatal(err)
		}
		used := func() float64 {
			info, err := rs.Client().Info(ctx, "memory").Result()
			if err != nil {
				b.Fatal(err)
			}
			return float64(infoInt(info, "used_memory"))
		}
		base := used()
		b.StartTimer()
		if err := rs.Apply(ctx, col.profiles, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		afterProfiles := used()
		b.StartTimer()
		if err := rs.Apply(ctx, nil, col.signals); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		afterSignals := used()
		b.ReportMetric((afterProfiles-base)/companies, "bytes/company")
		b.ReportMetric((afterSignals-afterProfiles)/signals, "bytes/signal")
		rs.Close()
	}
}

type collectAll struct {
	profiles []redisstore.ProfileUpdate
	signals  []redisstore.SignalUpdate
}

func (c *collectAll) Apply(_ context.Context, p []redisstore.ProfileUpdate, s []redisstore.SignalUpdate) error {
	c.profiles = append(c.profiles, p...)
	c.signals = append(c.signals, s...)
	return nil
}

func infoInt(info, name string) int64 {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// processCPU reads the CPU time (user and system) of this process and of its child
// processes by command name (as /proc gives it, cut to 15 bytes), from /proc; it
// returns what it could read, nothing off
// Linux.
func processCPU() map[string]time.Duration {
	out := map[string]time.Duration{}
	read := func(pid string) (string, time.Duration, bool) {
		data, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return "", 0, false
		}
		s := string(data)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			return "", 0, false
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 13 {
			return "", 0, false
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		return s[open+1 : end], time.Duration(ut+st) * (time.Second / 100), true // USER_HZ is 100 on Linux
	}
	if _, t, ok := read("self"); ok {
		out["self"] = t
	}
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	for _, f := range tasks {
		data, _ := os.ReadFile(f)
		for _, pid := range strings.Fields(string(data)) {
			if name, t, ok := read(pid); ok {
				out[name] += t
			}
		}
	}
	return out
}
