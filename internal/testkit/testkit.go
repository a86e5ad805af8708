// Package testkit starts the real services that Leadpoet's tests talk to (a
// redis-server per test, one clickhouse-server per test binary with a fresh
// database per test, and an in-process kfake Kafka cluster per test) and stops
// them when the test ends.
//
// Redis and ClickHouse run as child processes from the Debian packages
// redis-server and clickhouse-server, started by package localsvc; `make deps`
// installs them. A test whose
// binary is missing fails with a message saying so: it is never skipped.
//
// Two environment variables point tests at servers that are already running
// instead of starting processes:
//
//	LEADPOET_TEST_REDIS_ADDR       host:port of a Redis server
//	LEADPOET_TEST_CLICKHOUSE_ADDR  host:port of a ClickHouse native-protocol port
//	                               (user default, no password); optionally
//	                               LEADPOET_TEST_CLICKHOUSE_HTTP_ADDR for its HTTP port
package testkit

import (
	"testing"

	"github.com/leadpoet/leadpoet/internal/localsvc"
)

// FreePort returns a TCP port on 127.0.0.1 that nothing listened on a moment
// ago. Another process may take it before the caller binds it, so a caller
// that starts a server on it should retry with a new port if the bind fails.
func FreePort(t testing.TB) int {
	t.Helper()
	ports, err := localsvc.FreePorts(1)
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	return ports[0]
}
