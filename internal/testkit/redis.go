package testkit

import (
	"os"
	"testing"

	"github.com/leadpoet/leadpoet/internal/localsvc"
)

// RedisAddrEnv names the environment variable that points Redis at a server
// that is already running instead of starting one per test.
const RedisAddrEnv = "LEADPOET_TEST_REDIS_ADDR"

// Redis starts a redis-server of its own for the calling test, listening on a
// free port of 127.0.0.1 with persistence off and its working folder in
// t.TempDir(), waits until it answers PING and returns its "host:port". The
// server is stopped when the test ends. It starts in milliseconds, so every
// call gets a new, empty server.
//
// If LEADPOET_TEST_REDIS_ADDR is set, Redis returns that address after
// checking that it answers PING, and starts nothing. Every test then shares
// that server and its keys: keeping tests apart (distinct keys, or flushing
// between tests run one package at a time with -p 1) is up to the user.
func Redis(t testing.TB) string {
	t.Helper()
	if addr := os.Getenv(RedisAddrEnv); addr != "" {
		if err := localsvc.PingRedis(addr); err != nil {
			t.Fatalf("redis at %s=%s: %v", RedisAddrEnv, addr, err)
		}
		return addr
	}

	r, err := localsvc.StartRedis(localsvc.RedisOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("start redis-server:\n%v", err)
	}
	t.Cleanup(func() { _ = r.Stop() })
	return r.Addr()
}
