package main_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/internal/synth"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/pipelines"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

const crashCompanies, crashSignals = 2000, 98000

// TestCrashKillsLoseAndDoubleNothing ingests 100,000 mixed events with the ingest
// process killed by SIGKILL at random points three times and restarted. At the end
// ClickHouse holds one row per distinct event as analysts read it, and the online
// store equals one clean in-process pass over the same events.
func TestCrashKillsLoseAndDoubleNothing(t *testing.T) {
	cluster := testkit.Kafka(t, schemas.AllTopics...)
	brokers := cluster.ListenAddrs()[0]
	redisAddr := testkit.Redis(t)
	ch := testkit.ClickHouseDB(t)
	kcl, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.ProducerBatchMaxBytes(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer kcl.Close()
	stream := synth.Stream(synth.Options{Seed: 42, Companies: crashCompanies, Signals: crashSignals, Now: time.Now()})
	recs := make([]*kgo.Record, len(stream))
	for i, r := range stream {
		recs[i] = &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value}
	}
	ctx := context.Background()
	if err := kcl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	adm := kadm.NewClient(kcl)
	total := int64(len(recs))

	ops := net.JoinHostPort("127.0.0.1", strconv.Itoa(testkit.FreePort(t)))
	// A buffer of 10,000 records and batches of at most 2,000 make writes of at most
	// 5,000, so that a run commits in many steps and a kill falls between them.
	args := []string{"ingest", "-kafka.brokers=" + brokers, "-redis.addr=" + redisAddr,
		"-clickhouse.addr=" + ch.Addr, "-clickhouse.database=" + ch.Database, "-ingest.listen=" + ops,
		"-ingest.max-buffered-records=10000", "-ingest.max-batch-records=2000"}
	rng := rand.New(rand.NewPCG(7, 11))
	for kill := 1; kill <= 3; kill++ {
		left := remaining(t, adm, total)
		p := start(t, args...)
		// Kill at a random point of this run's own progress: once it has committed a
		// random number of records, between 3,000 and 15,000, and at most half of what
		// is left, so that every kill falls while events are being ingested.
		need := float64(min(3000+rng.IntN(12000), int(left/2)))
		eventually(t, 3*time.Minute, "ingest progresses before kill "+strconv.Itoa(kill), func() error {
			n, err := scrapeCounter("http://"+ops+"/metrics", "leadpoet_ingest_records_total")
			if err != nil {
				return err
			}
			if n < need {
				return fmt.Errorf("%v of %v records committed by this run", n, need)
			}
			return nil
		})
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-p.done
		left = remaining(t, adm, total)
		t.Logf("kill %d: SIGKILL after this run committed at least %v records; %d of %d not yet committed", kill, need, left, total)
		if left == 0 {
			t.Fatalf("kill %d fell after every event was committed", kill)
		}
	}
	p := start(t, args...)
	eventually(t, 5*time.Minute, "ingest finishes after the kills", func() error {
		if left := remaining(t, adm, total); left > 0 {
			return errLeft(left)
		}
		// Serving metrics, the process is up and handles SIGTERM.
		_, err := scrapeCounter("http://"+ops+"/metrics", "leadpoet_ingest_records_total")
		return err
	})
	if code, _ := p.stop(30 * time.Second); code != 0 {
		t.Fatalf("ingest exited %d", code)
	}

	// ClickHouse: exactly one row per distinct event, as analysts read it.
	conn := ch.Open(t)
	var rows, ids uint64
	if err := conn.QueryRow(ctx, "SELECT count(), uniqExact(event_id) FROM signals FINAL").Scan(&rows, &ids); err != nil {
		t.Fatal(err)
	}
	if rows != crashSignals || ids != crashSignals {
		t.Errorf("signals FINAL: %d rows, %d distinct event ids; want %d and %d", rows, ids, crashSignals, crashSignals)
	}
	var cos uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM companies_latest").Scan(&cos); err != nil || cos != crashCompanies {
		t.Errorf("companies_latest: %d rows, %v; want %d", cos, err, crashCompanies)
	}

	// The online store equals one clean pass over the same events.
	got := snapshotAt(t, redisAddr)
	cleanAddr := testkit.Redis(t)
	cleanPass(t, brokers, cleanAddr)
	want := snapshotAt(t, cleanAddr)
	if diff := redisstore.Diff(want, got, 1e-9, 20); len(diff) > 0 {
		t.Errorf("online store after the kills differs from a clean pass:\n%s", strings.Join(diff, "\n"))
	}
	if len(want) < crashCompanies {
		t.Errorf("clean pass built only %d keys", len(want))
	}

	// Redis loss: after FLUSHALL, `leadpoet rebuild` restores the same store.
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, DisableIdentity: true})
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	rdb.Close()
	out, err := exec.Command(binary, "rebuild", "-redis.addr="+redisAddr, "-clickhouse.addr="+ch.Addr, "-clickhouse.database="+ch.Database).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "rebuilt the online store from") {
		t.Fatalf("rebuild: %v\n%s", err, out)
	}
	if diff := redisstore.Diff(got, snapshotAt(t, redisAddr), 1e-9, 20); len(diff) > 0 {
		t.Errorf("rebuilt store differs from the one before FLUSHALL:\n%s", strings.Join(diff, "\n"))
	}
}

type errLeft int64

func (e errLeft) Error() string { return strconv.FormatInt(int64(e), 10) + " records not committed" }

// remaining is how many records the ingest group has not committed.
func remaining(t testing.TB, adm *kadm.Client, total int64) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lag, err := committedLag(ctx, adm, "leadpoet-ingest")
	if err != nil {
		return total
	}
	return lag
}

func snapshotAt(t *testing.T, addr string) redisstore.Snapshot {
	t.Helper()
	rs, err := redisstore.Open(context.Background(), redisstore.Config{Addr: addr, PoolSize: 2, MaxEvidence: 50}, scorer.DefaultDecay(), scorer.BaselineDecay())
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	s, err := rs.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// cleanPass consumes every topic once, in-process, into the Redis at addr, with
// analytics off.
func cleanPass(t *testing.T, brokers, addr string) {
	t.Helper()
	rs, err := redisstore.Open(context.Background(), redisstore.Config{Addr: addr, PoolSize: 4, MaxEvidence: 50}, scorer.DefaultDecay(), scorer.BaselineDecay())
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cfg := ingest.DefaultConfig()
	cfg.Group = "clean-pass"
	kc := kafkax.DefaultConfig()
	kc.Brokers = brokers
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var history pipelines.History // analytics off: only the online store is compared
	cons, err := ingest.NewConsumer(cfg, kc, schemas.EventTopics(), pipelines.NewProcessor(history, rs, scorer.LoadTaxonomy(), log, time.Now), log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cons.Run(ctx) }()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	eventually(t, 5*time.Minute, "clean pass", func() error {
		lag, err := committedLag(context.Background(), adm, cfg.Group)
		if err != nil {
			return err
		}
		if lag > 0 {
			return errLeft(lag)
		}
		return nil
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
