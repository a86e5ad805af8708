package main_test

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/localsvc"
	"github.com/leadpoet/leadpoet/internal/testkit"
)

// TestDevServesDemoAndKcat runs `leadpoet dev` as `make run` does (on free ports), runs
// the curl command it prints, then produces a new company and job post with kcat and
// expects the company in /query within 5 seconds and its rows in ClickHouse.
func TestDevServesDemoAndKcat(t *testing.T) {
	for _, bin := range []string{"curl", "kcat"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s is needed by this test (make deps installs kcat): %v", bin, err)
		}
	}
	if _, err := localsvc.LookPath("clickhouse-server"); err != nil {
		t.Fatal(err)
	}
	kafkaPort := testkit.FreePort(t)
	apiPort := testkit.FreePort(t)
	p := start(t, "dev",
		"-dev.kafka-port="+strconv.Itoa(kafkaPort),
		"-api.listen=127.0.0.1:"+strconv.Itoa(apiPort),
		"-dev.data-dir="+t.TempDir(),
	)
	var banner string
	eventually(t, 3*time.Minute, "dev prints its banner", func() error {
		select {
		case <-p.done:
			return fmt.Errorf("dev exited: %v", p.err)
		default:
		}
		out := p.out.String()
		if i := strings.Index(out, "Leadpoet is ready."); i >= 0 && strings.Contains(out[i:], "Press Ctrl-C") {
			banner = out[i:]
			return nil
		}
		return fmt.Errorf("no banner yet")
	})

	// The printed curl command, run as printed.
	curlCmd := extractCurl(t, banner)
	out, err := exec.Command("bash", "-c", curlCmd).Output()
	if err != nil {
		t.Fatalf("printed curl command failed: %v\n%s", err, curlCmd)
	}
	qr, err := decodeQuery(out)
	if err != nil {
		t.Fatalf("curl output is not a query response: %v\n%s", err, out)
	}
	if len(qr.Leads) != 25 {
		t.Fatalf("printed curl returned %d leads, want 25", len(qr.Leads))
	}
	for i, l := range qr.Leads {
		if l.LeadID == "" || l.CompanyName == "" || l.Domain == "" || l.Score <= 0 || l.Score > 1 ||
			l.Confidence < 0 || l.Confidence > 1 || len(l.IntentSignals) == 0 || l.ContactInfo == nil {
			t.Errorf("lead %d is incomplete: %+v", i, l)
		}
		if i > 0 && l.Score > qr.Leads[i-1].Score {
			t.Errorf("leads not ranked by score at %d", i)
		}
	}
	for _, k := range []string{"total_leads", "query_processed", "processing_time_ms", "cost_usd", "llm_calls", "cache_hit_rate"} {
		if _, ok := qr.Metadata[k]; !ok {
			t.Errorf("metadata lacks %s", k)
		}
	}

	// The same prompt through `leadpoet query`, printed as a table.
	key := regexp.MustCompile(`API key\s+(\S+)`).FindStringSubmatch(banner)[1]
	table, err := exec.Command(binary, "query", "-query.url=http://127.0.0.1:"+strconv.Itoa(apiPort), "-query.key="+key,
		"Find SaaS companies looking for customer support software").CombinedOutput()
	if err != nil || !strings.Contains(string(table), "25 of ") || strings.Count(string(table), "\n") < 27 {
		t.Errorf("leadpoet query: %v\n%s", err, table)
	}

	// kcat: a new company and a job post for it.
	broker := "localhost:" + strconv.Itoa(kafkaPort)
	now := time.Now().UTC()
	company := fmt.Sprintf(`kcatco.example:{"event_id":"kcat-c-1","occurred_at":%q,"domain":"kcatco.example","company_name":"Kcat Orbital Logistics","industry":"logistics","employees":75,"contacts":[{"name":"Ola Berg","title":"VP Finance","email":"ola@kcatco.example"}]}`, now.Add(-time.Hour).Format(time.RFC3339))
	job := fmt.Sprintf(`kcatco.example:{"event_id":"kcat-j-1","occurred_at":%q,"domain":"kcatco.example","title":"Quantum Ledger Reconciliation Analyst","description":"Own the quantum ledger reconciliation workflow and evaluate reconciliation automation vendors."}`, now.Add(-time.Minute).Format(time.RFC3339))
	kcat(t, broker, "leadpoet.companies.v1", company)
	produced := time.Now()
	kcat(t, broker, "leadpoet.signals.jobs.v1", job)
	base := "http://127.0.0.1:" + strconv.Itoa(apiPort)
	eventually(t, 5*time.Second, "kcat company in /query within 5s", func() error {
		code, qr, raw, err := postQuery(base, key, `{"query": "companies looking for quantum ledger reconciliation automation", "limit": 10}`)
		if err != nil || code != 200 {
			return fmt.Errorf("status %d %v: %s", code, err, raw)
		}
		if len(qr.Leads) == 0 || qr.Leads[0].Domain != "kcatco.example" {
			return fmt.Errorf("kcatco.example is not the top lead: %s", raw)
		}
		return nil
	})
	t.Logf("kcat company queryable %s after its job post was produced", time.Since(produced).Round(time.Millisecond))

	chAddr := regexp.MustCompile(`ClickHouse\s+(\S+) \(database (\w+)\)`).FindStringSubmatch(banner)
	if chAddr == nil {
		t.Fatalf("banner names no ClickHouse:\n%s", banner)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	chs, err := chstore.Open(ctx, chstore.Config{Enabled: true, Addr: chAddr[1], Database: chAddr[2]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer chs.Close()
	// ClickHouse and Redis are written at once, and the offsets committed when both
	// hold the batch: the API may show the signal a moment before ClickHouse does.
	eventually(t, 10*time.Second, "kcat job post in clickhouse", func() error {
		if n, err := chs.CountSignals(ctx, "kcatco.example"); err != nil || n != 1 {
			return fmt.Errorf("clickhouse signals of kcatco.example = %d, %v; want 1", n, err)
		}
		return nil
	})
	if row, ok, err := chs.LatestCompany(ctx, "kcatco.example"); err != nil || !ok || row.CompanyName != "Kcat Orbital Logistics" {
		t.Errorf("clickhouse company of kcatco.example = %+v, %v, %v", row, ok, err)
	}
	chs.Close()

	if code, took := p.stop(30 * time.Second); code != 0 {
		t.Fatalf("dev exited %d after SIGTERM (%s)", code, took)
	}
}

func kcat(t *testing.T, broker, topic, line string) {
	t.Helper()
	cmd := exec.Command("kcat", "-P", "-b", broker, "-t", topic, "-K:")
	cmd.Stdin = strings.NewReader(line + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kcat -P %s: %v\n%s", topic, err, out)
	}
}

// extractCurl returns the curl command of the banner, continuation lines joined.
func extractCurl(t *testing.T, banner string) string {
	t.Helper()
	var b strings.Builder
	in := false
	sc := bufio.NewScanner(strings.NewReader(banner))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "curl ") {
			in = true
		}
		if !in {
			continue
		}
		b.WriteString(strings.TrimSuffix(line, "\\"))
		b.WriteString(" ")
		if !strings.HasSuffix(line, "\\") {
			break
		}
	}
	if b.Len() == 0 {
		t.Fatalf("no curl command in the banner:\n%s", banner)
	}
	return b.String()
}
