package deploy_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

// TestMetricsExist starts `leadpoet ingest` and `leadpoet api` as separate
// processes, as compose.yaml runs them, against a real Redis and ClickHouse and a
// Kafka broker on TCP; feeds ingest a few events and one bad record, sends the API
// one query; then checks that every metric named by a Prometheus rule, a dashboard
// panel or a Grafana alert is in the /metrics of one of them (`up` is Prometheus's
// own), and lints both outputs with `promtool check metrics`.
func TestMetricsExist(t *testing.T) {
	promtool := program(t, "promtool", "prometheus")
	want := metricUses(t)

	bin := buildLeadpoet(t)
	redis := testkit.Redis(t)
	ch := testkit.ClickHouseDB(t)
	kafka := testkit.Kafka(t, schemas.AllTopics...)
	brokers := strings.Join(testkit.KafkaAddrs(kafka), ",")
	stores := []string{
		"-kafka.brokers=" + brokers,
		"-redis.addr=" + redis,
		"-clickhouse.addr=" + ch.Addr,
		"-clickhouse.database=" + ch.Database,
	}

	ingestAddr := freeAddr(t)
	startLeadpoet(t, bin, append([]string{"ingest", "-ingest.listen=" + ingestAddr}, stores...)...)
	waitOK(t, "http://"+ingestAddr+"/healthz")

	const key = "lp_deploy_test_key"
	sum := sha256.Sum256([]byte(key))
	keys := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keys, []byte(hex.EncodeToString(sum[:])+" query\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	apiAddr := freeAddr(t)
	startLeadpoet(t, bin, append([]string{"api", "-api.listen=" + apiAddr, "-auth.keys-file=" + keys}, stores...)...)
	waitOK(t, "http://"+apiAddr+"/healthz")

	produceEvents(t, brokers)
	query(t, "http://"+apiAddr, key)

	// Ingest writes asynchronously: scrape until every metric is there.
	var apiOut, ingestOut string
	var missing []string
	testkit.Until(60*time.Second, 200*time.Millisecond, func() bool {
		apiOut, ingestOut = get(t, "http://"+apiAddr+"/metrics"), get(t, "http://"+ingestAddr+"/metrics")
		have := seriesNames(apiOut)
		maps.Copy(have, seriesNames(ingestOut))
		missing = missing[:0]
		for name := range want {
			if name != "up" && !have[name] {
				missing = append(missing, name)
			}
		}
		return len(missing) == 0
	})
	slices.Sort(missing)
	for _, name := range missing {
		t.Errorf("%s is in no /metrics of the API or ingest; used by:\n  %s", name, strings.Join(want[name], "\n  "))
	}
	if len(missing) == 0 {
		t.Logf("the %d metric names the deployment files use are all served", len(want))
	}

	for _, target := range []struct{ name, out string }{{"api", apiOut}, {"ingest", ingestOut}} {
		out, err := run(t, []byte(target.out), promtool, "check", "metrics")
		if err == nil {
			continue
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "no help text") {
				t.Errorf("%s /metrics: %s", target.name, line)
			} else if line = strings.TrimSpace(line); line != "" {
				t.Logf("%s /metrics, promtool check metrics: %s", target.name, line)
			}
		}
	}
}

// metricUses maps every metric name of the rules, dashboards and Grafana alerts to
// where it is used.
func metricUses(t *testing.T) map[string][]string {
	t.Helper()
	var uses []use
	for _, r := range prometheusRules(t) {
		uses = append(uses, use{where: "prometheus/rules.yml " + r.Alert + r.Record, expr: r.Expr})
	}
	uses = append(uses, dashboardUses(t)...)
	uses = append(uses, grafanaAlertUses(t)...)
	want := map[string][]string{}
	for _, u := range uses {
		names, err := metricNames(u.expr)
		if err != nil {
			t.Fatalf("%s: %v: %s", u.where, err, u.expr)
		}
		if len(names) == 0 {
			t.Errorf("%s: selects no metric: %s", u.where, u.expr)
		}
		for _, n := range names {
			want[n] = append(want[n], u.where)
		}
	}
	return want
}

// seriesNames returns the names of the samples of a text exposition, so a
// histogram counts as its _bucket, _sum and _count series.
func seriesNames(exposition string) map[string]bool {
	names := map[string]bool{}
	for _, line := range strings.Split(exposition, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	return names
}

// built is the leadpoet binary of this module, built once for the tests that run it
// and removed by TestMain.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// buildLeadpoet builds the leadpoet binary of this module, once.
func buildLeadpoet(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "leadpoet-deploy-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "leadpoet")
		var out string
		if out, built.err = run(t, nil, "go", "build", "-o", built.bin, "./cmd/leadpoet"); built.err != nil {
			built.err = fmt.Errorf("%w\n%s", built.err, out)
		}
	})
	if built.err != nil {
		t.Fatalf("go build ./cmd/leadpoet: %v", built.err)
	}
	return built.bin
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(testkit.FreePort(t)))
}

// syncBuffer collects a child process's output.
type syncBuffer = testkit.Buffer

// startLeadpoet runs the binary until the test ends; then it sends SIGTERM, waits,
// and shows the output if the test failed.
func startLeadpoet(t *testing.T, bin string, args ...string) {
	t.Helper()
	out := &syncBuffer{}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start leadpoet %s: %v", args[0], err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("output of leadpoet %s:\n%s", args[0], out.String())
		}
	})
}

// waitOK polls url until it answers 200.
func waitOK(t *testing.T, url string) {
	t.Helper()
	testkit.Eventually(t, 60*time.Second, 100*time.Millisecond, url+" answers 200", func() error {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", resp.Status, body)
		}
		return nil
	})
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", url, resp.Status, err)
	}
	return string(body)
}

// produceEvents sends a company, its signals of every kind and one record that is
// not JSON, which ingest dead-letters.
func produceEvents(t *testing.T, brokers string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(brokers, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	now := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	rec := func(topic, key, value string) *kgo.Record {
		return &kgo.Record{Topic: topic, Key: []byte(key), Value: []byte(value)}
	}
	records := []*kgo.Record{
		rec(schemas.TopicCompanies, "acme.example", `{"event_id":"c-1","occurred_at":"`+now+`","domain":"acme.example","company_name":"Acme","industry":"saas","employees":80,"location":{"city":"Boston","region":"MA","country":"United States"},"contacts":[{"name":"Ana Ruiz","title":"Head of Customer Support","email":"ana@acme.example"}]}`),
		rec(schemas.TopicJobs, "acme.example", `{"event_id":"j-1","occurred_at":"`+now+`","domain":"acme.example","title":"Help Desk Lead","description":"Roll out our Zendesk help desk and customer support ticketing."}`),
		rec(schemas.TopicActivity, "acme.example", `{"event_id":"a-1","occurred_at":"`+now+`","domain":"acme.example","action":"pricing_view","topic":"help desk software"}`),
		rec(schemas.TopicTech, "acme.example", `{"event_id":"t-1","occurred_at":"`+now+`","domain":"acme.example","technology":"Zendesk","change":"added"}`),
		rec(schemas.TopicJobs, "bad.example", `this is not JSON`),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, records...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

// query sends the API one query, which must be answered.
func query(t *testing.T, base, key string) {
	t.Helper()
	body := `{"query": "Find SaaS companies looking for customer support software", "limit": 25}`
	req, err := http.NewRequest(http.MethodPost, base+"/query", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /query: %s: %s", resp.Status, raw)
	}
}
