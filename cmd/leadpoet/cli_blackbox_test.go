package main_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

// TestTakenPortsAreNamed starts dev and api on ports that are already taken: each
// fails at once with an error naming the flag that sets the port.
func TestTakenPortsAreNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	cases := []struct {
		name string
		args []string
		flag string
	}{
		{"kafka port", []string{"dev", "-dev.kafka-port=" + port, "-dev.demo=false"}, "dev.kafka-port"},
		{"redis port", []string{"dev", "-dev.kafka-port=0", "-dev.redis-port=" + port, "-dev.demo=false"}, "dev.redis-port"},
		{"api port", []string{"dev", "-dev.kafka-port=0", "-dev.clickhouse=off", "-dev.demo=false", "-api.listen=127.0.0.1:" + port}, "api.listen"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, binary, tc.args...).CombinedOutput()
			if err == nil {
				t.Fatalf("leadpoet %v succeeded on a taken port:\n%s", tc.args, out)
			}
			if !strings.Contains(string(out), tc.flag) || !strings.Contains(string(out), port) {
				t.Errorf("error does not name -%s and port %s:\n%s", tc.flag, port, out)
			}
		})
	}
}

// TestProduceFromFileAndEnv sends JSON lines with `leadpoet produce`, configured by a
// LEADPOET_* variable, and finds them on the topic keyed by their domain.
func TestProduceFromFileAndEnv(t *testing.T) {
	cluster := testkit.Kafka(t, schemas.TopicJobs)
	file := filepath.Join(t.TempDir(), "jobs.jsonl")
	lines := `{"event_id":"p1","occurred_at":"2026-01-02T03:04:05Z","domain":"https://WWW.One.example/x","title":"A"}

{"event_id":"p2","occurred_at":"2026-01-02T03:04:05Z","domain":"two.example","title":"B"}
not json at all
`
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "produce", "-produce.topic="+schemas.TopicJobs, "-produce.file="+file)
	cmd.Env = append(os.Environ(), "LEADPOET_KAFKA_BROKERS="+cluster.ListenAddrs()[0], "LEADPOET_KAFKA_CREATE_PARTITIONS=0")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "produced 3 records") {
		t.Fatalf("produce: %v\n%s", err, out)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ConsumeTopics(schemas.TopicJobs),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys := map[string]bool{}
	for n := 0; n < 3; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of 3 records", n)
		}
		fs.EachRecord(func(r *kgo.Record) {
			n++
			keys[string(r.Key)] = true
		})
	}
	if !keys["one.example"] || !keys["two.example"] || !keys[""] {
		t.Errorf("record keys = %v, want the normalised domains and an empty key for the invalid line", keys)
	}
}

// TestHelp lists every command and every command answers -h.
func TestHelp(t *testing.T) {
	out, err := exec.Command(binary, "help").CombinedOutput()
	if err != nil {
		t.Fatalf("help: %v\n%s", err, out)
	}
	for _, c := range []string{"dev", "api", "ingest", "produce", "version"} {
		if !strings.Contains(string(out), "  "+c+" ") {
			t.Errorf("help does not list %s:\n%s", c, out)
		}
		if c == "version" {
			continue
		}
		sub, err := exec.Command(binary, c, "-h").CombinedOutput()
		if err != nil || !strings.Contains(string(sub), "LEADPOET_KAFKA_BROKERS") {
			t.Errorf("%s -h: %v\n%s", c, err, sub)
		}
	}
}

// TestDLQListAndReplay lists the dead-letter topic and replays a fixed subset of it to
// the source topic, byte for byte.
func TestDLQListAndReplay(t *testing.T) {
	cluster := testkit.Kafka(t, schemas.TopicDLQ, schemas.TopicJobs, schemas.TopicSites)
	brokers := cluster.ListenAddrs()[0]
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	now := time.Now()
	var recs []*kgo.Record
	for i, c := range []struct{ topic, code, value string }{
		{schemas.TopicJobs, schemas.CodeMissingField, `{"event_id":"a","domain":"x.example"}`},
		{schemas.TopicJobs, schemas.CodeBadJSON, `{"event_id":`},
		{schemas.TopicSites, schemas.CodeMissingField, `{"event_id":"b"}`},
	} {
		m := ingest.NewDLQMessage(ingest.Rejection{Record: &kgo.Record{Topic: c.topic, Partition: 0, Offset: int64(i),
			Key: []byte("x.example"), Value: []byte(c.value)}, Code: c.code, Message: "test"}, now)
		v, _ := json.Marshal(m)
		recs = append(recs, &kgo.Record{Topic: schemas.TopicDLQ, Value: v})
	}
	if err := cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(binary, "dlq", "list", "-kafka.brokers="+brokers).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "3 records") || !strings.Contains(string(out), schemas.CodeBadJSON) {
		t.Fatalf("dlq list: %v\n%s", err, out)
	}
	out, err = exec.Command(binary, "dlq", "replay", "-kafka.brokers="+brokers, "-dlq.code=missing_field", "-dlq.topic="+schemas.TopicJobs).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "replayed 1 records") {
		t.Fatalf("dlq replay: %v\n%s", err, out)
	}
	cons, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.ConsumeTopics(schemas.TopicJobs, schemas.TopicSites), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fs := cons.PollFetches(ctx)
	var got []string
	fs.EachRecord(func(r *kgo.Record) { got = append(got, r.Topic+" "+string(r.Key)+" "+string(r.Value)) })
	if len(got) != 1 || got[0] != schemas.TopicJobs+` x.example {"event_id":"a","domain":"x.example"}` {
		t.Errorf("replayed records = %q", got)
	}
}
