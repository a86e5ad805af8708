package main_test

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

// A member killed by SIGKILL stays in its consumer group until its session times
// out (45 s), and a new member's join waits for that. SIGTERM during that wait still
// ends ingest within its drain timeout and a short grace, with status 0, instead of
// when the join completes.
func TestShutdownDuringPendingJoin(t *testing.T) {
	cluster := testkit.Kafka(t, schemas.AllTopics...)
	args := func(ops string) []string {
		return []string{"ingest", "-kafka.brokers=" + cluster.ListenAddrs()[0], "-redis.addr=" + testkit.Redis(t),
			"-clickhouse.enabled=false", "-ingest.listen=" + ops, "-ingest.drain-timeout=2s"}
	}
	opsA := net.JoinHostPort("127.0.0.1", strconv.Itoa(testkit.FreePort(t)))
	a := start(t, args(opsA)...)
	eventually(t, time.Minute, "first member assigned", func() error {
		if !strings.Contains(a.out.String(), "partitions assigned") {
			return errors.New("no assignment yet")
		}
		return nil
	})
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.done

	opsB := net.JoinHostPort("127.0.0.1", strconv.Itoa(testkit.FreePort(t)))
	b := start(t, args(opsB)...)
	eventually(t, time.Minute, "second member serving metrics", func() error {
		_, err := scrapeCounter("http://"+opsB+"/metrics", "leadpoet_ingest_records_total")
		return err
	})
	if strings.Contains(b.out.String(), "partitions assigned") {
		t.Fatal("the second member was assigned partitions before the first one's session expired")
	}
	code, took := b.stop(15 * time.Second)
	if code != 0 {
		t.Errorf("exit status %d", code)
	}
	if !strings.Contains(b.out.String(), "kafka client not closed at the drain deadline") {
		t.Errorf("the member's join was not pending at SIGTERM:\n%s", b.out.String())
	}
	t.Logf("exited %v after SIGTERM, join still pending", took.Round(time.Millisecond))
}
