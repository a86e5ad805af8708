package main_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/localsvc"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/internal/synth"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

const (
	outageFor      = 30 * time.Second
	outageBuffered = 10000     // -ingest.max-buffered-records of the process under test
	outageMemLimit = 256 << 20 // GOMEMLIMIT of the process under test
)

// TestStoreOutages stops ClickHouse for 30 seconds, then freezes Redis for 30 seconds,
// while events keep arriving. Ingest reports unhealthy, holds its buffered records
// under the configured bound, and afterwards nothing is missing and nothing doubled.
func TestStoreOutages(t *testing.T) {
	cluster := testkit.Kafka(t, schemas.AllTopics...)
	brokers := cluster.ListenAddrs()[0]
	redisAddr := testkit.Redis(t)
	chDir := filepath.Join(t.TempDir(), "clickhouse")
	ch, err := localsvc.StartClickHouse(localsvc.ClickHouseOptions{Dir: chDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.Stop() })
	kcl, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.ProducerBatchMaxBytes(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer kcl.Close()
	adm := kadm.NewClient(kcl)
	stream := synth.Stream(synth.Options{Seed: 9, Companies: 1000, Signals: 29000, Now: time.Now()})
	produced := 0
	produceNext := func(n int) {
		t.Helper()
		var recs []*kgo.Record
		for _, r := range stream[produced:min(produced+n, len(stream))] {
			recs = append(recs, &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value})
		}
		if err := kcl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
		produced += len(recs)
	}

	ops := net.JoinHostPort("127.0.0.1", strconv.Itoa(testkit.FreePort(t)))
	produceNext(10000)
	p := startEnv(t, []string{"GOMEMLIMIT=" + strconv.Itoa(outageMemLimit)}, "ingest", "-kafka.brokers="+brokers, "-redis.addr="+redisAddr, "-redis.dial-timeout=1s",
		"-clickhouse.addr="+ch.Addr(), "-clickhouse.dial-timeout=1s", "-ingest.listen="+ops,
		"-ingest.max-buffered-records="+strconv.Itoa(outageBuffered), "-ingest.max-batch-records=2500",
		"-ingest.retry-max=2s", "-ingest.drain-timeout=10s")
	watch := watchIngest(t, "http://"+ops)
	defer watch.stop()
	waitRemaining(t, adm, int64(produced), 9000)

	// ClickHouse down for 30 s while 10,000 more events arrive.
	if err := ch.Stop(); err != nil {
		t.Logf("clickhouse stop: %v", err)
	}
	downAt := time.Now()
	produceNext(10000)
	eventually(t, outageFor, "ingest reports unhealthy while clickhouse is down", watch.sawUnhealthy)
	watch.holdUntil(t, p, downAt.Add(outageFor), "clickhouse is down")
	port := func(addr string) int { _, p, _ := net.SplitHostPort(addr); n, _ := strconv.Atoi(p); return n }
	ch2, err := localsvc.StartClickHouse(localsvc.ClickHouseOptions{Port: port(ch.Addr()), HTTPPort: port(ch.HTTPAddr()), Dir: chDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch2.Stop() })
	waitRemaining(t, adm, int64(produced), 0)
	watch.reset()

	// Redis frozen (SIGSTOP) for 30 s while the rest arrives.
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, DisableIdentity: true})
	info, err := rdb.Info(context.Background(), "server").Result()
	rdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	pid := infoField(info, "process_id")
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	frozenAt := time.Now()
	produceNext(len(stream))
	eventually(t, outageFor, "ingest reports unhealthy while redis is frozen", watch.sawUnhealthy)
	watch.holdUntil(t, p, frozenAt.Add(outageFor), "redis is frozen")
	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitRemaining(t, adm, int64(produced), 0)
	if code, _ := p.stop(30 * time.Second); code != 0 {
		t.Fatalf("ingest exited %d", code)
	}
	if max := watch.maxBuffered(); max > outageBuffered || max == 0 {
		t.Errorf("buffered records peaked at %v, bound %d", max, outageBuffered)
	}
	hwm := peakRSS(p.cmd.ProcessState)
	t.Logf("buffered records peaked at %v of %d; peak RSS %d MiB (GOMEMLIMIT %d MiB)", watch.maxBuffered(), outageBuffered, hwm>>20, outageMemLimit>>20)
	// The configured bound is in records (checked above); the process's memory follows
	// it at a few KB a record, plus what the garbage collector has not yet
	// reclaimed, which depends on how busy the machine is.
	if hwm > 4*outageMemLimit {
		t.Errorf("peak RSS %d MiB is over four times GOMEMLIMIT", hwm>>20)
	}

	// Nothing missing, nothing doubled.
	conn := testkit.ClickHouse{Addr: ch2.Addr(), Database: "leadpoet"}.Open(t)
	var rows, ids uint64
	if err := conn.QueryRow(context.Background(), "SELECT count(), uniqExact(event_id) FROM signals FINAL").Scan(&rows, &ids); err != nil {
		t.Fatal(err)
	}
	if rows != 29000 || ids != 29000 {
		t.Errorf("signals FINAL: %d rows, %d ids; want 29000", rows, ids)
	}
	got := snapshotAt(t, redisAddr)
	cleanAddr := testkit.Redis(t)
	cleanPass(t, brokers, cleanAddr)
	if diff := redisstore.Diff(snapshotAt(t, cleanAddr), got, 1e-9, 20); len(diff) > 0 {
		t.Errorf("online store after the outages differs from a clean pass:\n%s", strings.Join(diff, "\n"))
	}
}

func waitRemaining(t *testing.T, adm *kadm.Client, total, atMost int64) {
	t.Helper()
	eventually(t, 3*time.Minute, fmt.Sprintf("at most %d records uncommitted", atMost), func() error {
		if left := remaining(t, adm, total); left > atMost {
			return errLeft(left)
		}
		return nil
	})
}

func infoField(info, name string) int {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}

func peakRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}

// ingestWatch samples the ingest process's /healthz and /metrics.
type ingestWatch struct {
	mu        sync.Mutex
	unhealthy bool
	buffered  float64
	done      chan struct{}
	wg        sync.WaitGroup
}

func watchIngest(t *testing.T, base string) *ingestWatch {
	w := &ingestWatch{done: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-tick.C:
			}
			if resp, err := http.Get(base + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusServiceUnavailable {
					w.mu.Lock()
					w.unhealthy = true
					w.mu.Unlock()
				}
			}
			if n, err := scrapeCounter(base+"/metrics", "leadpoet_ingest_buffered_records"); err == nil {
				w.mu.Lock()
				w.buffered = max(w.buffered, n)
				w.mu.Unlock()
			}
		}
	}()
	return w
}

func (w *ingestWatch) sawUnhealthy() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.unhealthy {
		return fmt.Errorf("healthz has not answered 503")
	}
	return nil
}

func (w *ingestWatch) reset() {
	w.mu.Lock()
	w.unhealthy = false
	w.mu.Unlock()
}

// holdUntil keeps an outage on until end, the full length the test asks for, and
// checks all along that ingest keeps running and keeps its buffer within the bound:
// it fails at once when either stops holding.
func (w *ingestWatch) holdUntil(t *testing.T, p *proc, end time.Time, while string) {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	over := time.After(time.Until(end))
	for {
		if n := w.maxBuffered(); n > outageBuffered {
			t.Fatalf("buffered records reached %v while %s, bound %d", n, while, outageBuffered)
		}
		select {
		case <-over:
			return
		case <-p.done:
			t.Fatalf("ingest exited while %s: %v\n%s", while, p.err, p.out.String())
		case <-tick.C:
		}
	}
}

func (w *ingestWatch) maxBuffered() float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buffered
}

func (w *ingestWatch) stop() {
	close(w.done)
	w.wg.Wait()
}
