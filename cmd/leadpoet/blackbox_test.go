package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/testkit"
)

// binary is the leadpoet binary built once for the black-box tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "leadpoet-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "leadpoet")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build leadpoet: %v\n%s", err, out)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	testkit.Main(m)
}

// proc is the leadpoet binary running as a child process.
type proc struct {
	t    testing.TB
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

// syncBuffer collects a child process's output.
type syncBuffer = testkit.Buffer

func start(t testing.TB, args ...string) *proc {
	t.Helper()
	return startEnv(t, nil, args...)
}

// startEnv starts the binary with extra environment variables.
func startEnv(t testing.TB, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary, args...)
	if env != nil {
		p.cmd.Env = append(os.Environ(), env...)
	}
	p.cmd.Stdout = p.out
	p.cmd.Stderr = p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", args, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("output of leadpoet %s:\n%s", args[0], p.out.String())
		}
	})
	return p
}

// stop sends SIGTERM and returns the exit code and how long the exit took.
func (p *proc) stop(deadline time.Duration) (int, time.Duration) {
	p.t.Helper()
	begin := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(deadline):
		p.t.Fatalf("process did not exit within %s of SIGTERM\n%s", deadline, p.out.String())
	}
	return p.cmd.ProcessState.ExitCode(), time.Since(begin)
}

// eventually polls cond until it returns nil or the deadline passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() error) {
	t.Helper()
	testkit.Eventually(t, within, 50*time.Millisecond, what, cond)
}

type queryResponse struct {
	Leads []struct {
		LeadID        string            `json:"lead_id"`
		CompanyName   string            `json:"company_name"`
		Domain        string            `json:"domain"`
		Industry      string            `json:"industry"`
		CompanySize   string            `json:"company_size"`
		Location      string            `json:"location"`
		Score         float64           `json:"score"`
		Confidence    float64           `json:"confidence"`
		ContactInfo   map[string]string `json:"contact_info"`
		IntentSignals []string          `json:"intent_signals"`
	} `json:"leads"`
	Metadata map[string]any `json:"metadata"`
}

func postQuery(base, key, body string) (int, queryResponse, string, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/query", strings.NewReader(body))
	if err != nil {
		return 0, queryResponse{}, "", err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, queryResponse{}, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, queryResponse{}, "", err
	}
	var qr queryResponse
	if resp.StatusCode == http.StatusOK {
		if qr, err = decodeQuery(raw); err != nil {
			return resp.StatusCode, qr, string(raw), err
		}
	}
	return resp.StatusCode, qr, string(raw), nil
}

func decodeQuery(raw []byte) (queryResponse, error) {
	var qr queryResponse
	err := json.Unmarshal(raw, &qr)
	return qr, err
}

// scrapeCounter sums the samples of a counter in a Prometheus text exposition.
func scrapeCounter(url, name string) (float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	var sum float64
	for _, line := range strings.Split(string(raw), "\n") {
		// name may carry a label set to match exactly, e.g. m{topic="t"}.
		if !strings.HasPrefix(line, name+" ") && (strings.HasSuffix(name, "}") || !strings.HasPrefix(line, name+"{")) {
			continue
		}
		var v float64
		fields := strings.Fields(line)
		if _, err := fmt.Sscan(fields[len(fields)-1], &v); err != nil {
			return 0, fmt.Errorf("parse %q: %w", line, err)
		}
		sum += v
	}
	return sum, nil
}

func produce(t testing.TB, cl *kgo.Client, topic, key string, values ...string) {
	t.Helper()
	var recs []*kgo.Record
	for _, v := range values {
		recs = append(recs, &kgo.Record{Topic: topic, Key: []byte(key), Value: []byte(v)})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce to %s: %v", topic, err)
	}
}

// committedLag is the ingest group's total lag: 0 means every produced record of the
// ingest topics is committed.
func committedLag(ctx context.Context, adm *kadm.Client, group string) (int64, error) {
	return committedLagExcept(ctx, adm, group, "")
}

// committedLagExcept is committedLag without the topic skip.
func committedLagExcept(ctx context.Context, adm *kadm.Client, group, skip string) (int64, error) {
	lags, err := adm.Lag(ctx, group)
	if err != nil {
		return 0, err
	}
	gl, ok := lags[group]
	if !ok {
		return 0, fmt.Errorf("group %s not described", group)
	}
	if err := gl.Error(); err != nil {
		return 0, err
	}
	var total int64
	for topic, ps := range gl.Lag {
		if topic == skip {
			continue
		}
		for _, l := range ps {
			if l.Err != nil {
				return 0, l.Err
			}
			total += l.Lag
		}
	}
	return total, nil
}
