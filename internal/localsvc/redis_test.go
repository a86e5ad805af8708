package localsvc

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestStartRedis(t *testing.T) {
	tests := []struct {
		name string
		port func(t *testing.T) int
	}{
		{"free port", func(*testing.T) int { return 0 }},
		{"fixed port", freePort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			port := tt.port(t)
			dir := filepath.Join(t.TempDir(), "not", "yet")
			r, err := StartRedis(RedisOptions{Port: port, Dir: dir})
			if err != nil {
				t.Fatalf("StartRedis: %v", err)
			}
			defer r.Stop()
			host, p, err := net.SplitHostPort(r.Addr())
			if err != nil || host != "127.0.0.1" || (port != 0 && p != strconv.Itoa(port)) {
				t.Fatalf("Addr = %q, want 127.0.0.1 and port %d (0: any)", r.Addr(), port)
			}
			if err := PingRedis(r.Addr()); err != nil {
				t.Fatalf("PING: %v", err)
			}
			if _, err := os.Stat(filepath.Join(dir, "redis.log")); err != nil {
				t.Errorf("log in Dir: %v", err)
			}
			if d := r.Describe(); !strings.Contains(d, "is still running") {
				t.Errorf("Describe of a running server = %q", d)
			}

			assertStops(t, r.Stop, r.proc, func() error { return PingRedis(r.Addr()) })
		})
	}
}

func TestStartRedisPortTaken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r, err := StartRedis(RedisOptions{Port: takePort(t), Dir: dir})
	if err == nil {
		r.Stop()
	}
	assertStartError(t, err, filepath.Join(dir, "redis.log"))
}

func TestRedisStopAfterCrash(t *testing.T) {
	t.Parallel()
	r, err := StartRedis(RedisOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("StartRedis: %v", err)
	}
	if err := r.proc.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-r.proc.done
	err = r.Stop()
	if err == nil || !strings.Contains(err.Error(), "exited before it was stopped") || !strings.Contains(err.Error(), "signal: killed") {
		t.Fatalf("Stop after a crash = %v, want an error saying it was killed", err)
	}
	if d := r.Describe(); !strings.Contains(d, "exited: signal: killed") {
		t.Errorf("Describe = %q, want the exit status", d)
	}
}

func TestStartWithoutDir(t *testing.T) {
	if _, err := StartRedis(RedisOptions{}); err == nil || !strings.Contains(err.Error(), "no folder given (Dir)") {
		t.Errorf("StartRedis without Dir = %v, want an error naming Dir", err)
	}
	if _, err := StartClickHouse(ClickHouseOptions{}); err == nil || !strings.Contains(err.Error(), "no folder given (Dir)") {
		t.Errorf("StartClickHouse without Dir = %v, want an error naming Dir", err)
	}
}
