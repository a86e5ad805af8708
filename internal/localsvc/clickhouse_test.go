package localsvc

import (
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// query runs q over ClickHouse's HTTP interface and returns the answer.
func query(t *testing.T, httpAddr, q string) string {
	t.Helper()
	client := http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Post("http://"+httpAddr+"/", "text/plain", strings.NewReader(q))
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s: %s", q, resp.Status, body)
	}
	return strings.TrimSpace(string(body))
}

// TestStartClickHouse starts a server on free ports, writes a row, stops it,
// and starts it again on fixed ports over the same folder, where the row must
// still be.
func TestStartClickHouse(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "clickhouse")

	ch, err := StartClickHouse(ClickHouseOptions{Dir: dir})
	if err != nil {
		t.Fatalf("StartClickHouse on free ports: %v", err)
	}
	defer ch.Stop()
	if ch.Addr() == ch.HTTPAddr() {
		t.Fatalf("native and HTTP share %s", ch.Addr())
	}
	query(t, ch.HTTPAddr(), "CREATE TABLE kept (x UInt8) ENGINE = MergeTree ORDER BY x")
	query(t, ch.HTTPAddr(), "INSERT INTO kept (x) VALUES (7)")
	assertStops(t, ch.Stop, ch.proc, func() error { return pingHTTP(ch.HTTPAddr()) })

	ports, err := FreePorts(2)
	if err != nil {
		t.Fatal(err)
	}
	again, err := StartClickHouse(ClickHouseOptions{Port: ports[0], HTTPPort: ports[1], Dir: dir})
	if err != nil {
		t.Fatalf("StartClickHouse on fixed ports: %v", err)
	}
	defer again.Stop()
	if want := "127.0.0.1:" + strconv.Itoa(ports[0]); again.Addr() != want {
		t.Errorf("Addr = %s, want %s", again.Addr(), want)
	}
	if want := "127.0.0.1:" + strconv.Itoa(ports[1]); again.HTTPAddr() != want {
		t.Errorf("HTTPAddr = %s, want %s", again.HTTPAddr(), want)
	}
	if got := query(t, again.HTTPAddr(), "SELECT sum(x) FROM kept"); got != "7" {
		t.Fatalf("after a restart SELECT sum(x) = %q, want the 7 written before", got)
	}
	assertStops(t, again.Stop, again.proc, func() error { return pingHTTP(again.HTTPAddr()) })
}

func TestStartClickHousePortTaken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts func(t *testing.T) ClickHouseOptions
	}{
		{"native", func(t *testing.T) ClickHouseOptions { return ClickHouseOptions{Port: takePort(t)} }},
		{"HTTP", func(t *testing.T) ClickHouseOptions {
			return ClickHouseOptions{Port: freePort(t), HTTPPort: takePort(t)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts(t)
			opts.Dir = t.TempDir()
			ch, err := StartClickHouse(opts)
			if err == nil {
				ch.Stop()
			}
			assertStartError(t, err, filepath.Join(opts.Dir, "logs", "server.err.log"))
		})
	}
}
