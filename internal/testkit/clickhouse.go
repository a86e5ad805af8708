package testkit

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/leadpoet/leadpoet/internal/localsvc"
)

// Environment variables that point ClickHouseDB at a server that is already
// running instead of starting one.
const (
	ClickHouseAddrEnv     = "LEADPOET_TEST_CLICKHOUSE_ADDR"      // native protocol host:port, user default without password
	ClickHouseHTTPAddrEnv = "LEADPOET_TEST_CLICKHOUSE_HTTP_ADDR" // optional HTTP host:port of the same server
)

// clickHouseOpTimeout bounds creating, dropping and pinging a database.
const clickHouseOpTimeout = 30 * time.Second

// ClickHouse is a database of its own for one test on a real ClickHouse
// server, which answers the native protocol on Addr and HTTP on HTTPAddr, as
// user default without a password.
type ClickHouse struct {
	Addr     string // native protocol host:port
	HTTPAddr string // HTTP interface host:port; empty for a server named by LEADPOET_TEST_CLICKHOUSE_ADDR alone
	Database string
}

// Open opens a native-protocol connection to the test's database, closed when
// the test ends.
func (c ClickHouse) Open(t testing.TB) driver.Conn {
	t.Helper()
	conn, err := openClickHouse(c.Addr, c.Database)
	if err != nil {
		t.Fatalf("open clickhouse %s/%s: %v", c.Addr, c.Database, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// ClickHouseDB creates a new, uniquely named database for the calling test and
// drops it when the test ends.
//
// The database lives on one clickhouse-server per test binary, started on free
// ports of 127.0.0.1 with its data in a temporary folder by the first call
// (ClickHouse 18.16 answers within about 0.1 s; a minute is allowed). A package that calls ClickHouseDB must run its
// tests through Main, which stops that server after the last test:
//
//	func TestMain(m *testing.M) { testkit.Main(m) }
//
// If LEADPOET_TEST_CLICKHOUSE_ADDR is set, the databases are created on that
// server instead and nothing is started.
func ClickHouseDB(t testing.TB) ClickHouse {
	t.Helper()
	srv, err := sharedClickHouse()
	if err != nil {
		t.Fatalf("clickhouse: %v", err)
	}
	db := databaseName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), clickHouseOpTimeout)
	defer cancel()
	if err := srv.admin.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		t.Fatalf("create clickhouse database %s on %s: %v", db, srv.addr, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), clickHouseOpTimeout)
		defer cancel()
		if err := srv.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
			t.Errorf("drop clickhouse database %s on %s: %v", db, srv.addr, err)
		}
	})
	return ClickHouse{Addr: srv.addr, HTTPAddr: srv.httpAddr, Database: db}
}

// Main runs the tests of a package and then stops the clickhouse-server that
// ClickHouseDB started, if it did, and removes its data. Call it from
// TestMain; the test binary then exits with the tests' status, or fails if the
// server crashed during the tests. The server waits for open connections
// before it exits, so connections left open delay the end by up to 5 seconds.
func Main(m *testing.M) {
	shared.mu.Lock()
	shared.mainRunning = true
	shared.mu.Unlock()

	code := m.Run()

	shared.mu.Lock()
	defer shared.mu.Unlock()
	shared.mainRunning = false
	if shared.srv == nil {
		return
	}
	if err := shared.srv.close(); err != nil {
		fmt.Fprintf(os.Stderr, "testkit: stop clickhouse-server: %v\n", err)
		if code == 0 {
			os.Exit(1)
		}
	}
	shared.srv = nil
}

// shared is the clickhouse-server of this test binary. It is package state
// because the server outlives every test: the first ClickHouseDB starts it,
// Main stops it. A failed start is remembered, so that every test reports the
// same error rather than trying again.
var shared struct {
	mu          sync.Mutex
	mainRunning bool
	tried       bool
	srv         *clickHouseServer
	err         error
}

func sharedClickHouse() (*clickHouseServer, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.mainRunning {
		return nil, errors.New("this package's TestMain must call testkit.Main(m), which stops the shared clickhouse-server after the tests")
	}
	if !shared.tried {
		shared.tried = true
		if addr := os.Getenv(ClickHouseAddrEnv); addr != "" {
			shared.srv, shared.err = connectClickHouse(addr, os.Getenv(ClickHouseHTTPAddrEnv))
		} else {
			shared.srv, shared.err = startClickHouse()
		}
	}
	return shared.srv, shared.err
}

// clickHouseServer is a ClickHouse server and a connection for creating and
// dropping databases on it.
type clickHouseServer struct {
	addr, httpAddr string
	admin          driver.Conn
	proc           *localsvc.ClickHouse // nil for a server we did not start
	dir            string               // the started server's files
}

// connectClickHouse uses a server that is already running.
func connectClickHouse(addr, httpAddr string) (*clickHouseServer, error) {
	admin, err := openClickHouse(addr, "default")
	if err != nil {
		return nil, fmt.Errorf("open %s=%s: %w", ClickHouseAddrEnv, addr, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), clickHouseOpTimeout)
	defer cancel()
	if err := admin.Ping(ctx); err != nil {
		admin.Close()
		return nil, fmt.Errorf("ping %s=%s: %w", ClickHouseAddrEnv, addr, err)
	}
	return &clickHouseServer{addr: addr, httpAddr: httpAddr, admin: admin}, nil
}

// startClickHouse starts clickhouse-server on free ports with its files in a
// new temporary folder.
func startClickHouse() (*clickHouseServer, error) {
	dir, err := os.MkdirTemp("", "leadpoet-clickhouse-")
	if err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	proc, err := localsvc.StartClickHouse(localsvc.ClickHouseOptions{Dir: dir})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start clickhouse-server:\n%w", err)
	}
	admin, err := openClickHouse(proc.Addr(), "default")
	if err != nil {
		proc.Stop()
		os.RemoveAll(dir)
		return nil, err
	}
	return &clickHouseServer{addr: proc.Addr(), httpAddr: proc.HTTPAddr(), admin: admin, proc: proc, dir: dir}, nil
}

// close closes the admin connection and, for a server we started, stops it
// and removes its files. It fails if that server exited before it was
// stopped.
func (s *clickHouseServer) close() error {
	err := s.admin.Close()
	if s.proc == nil {
		return err
	}
	return errors.Join(err, s.proc.Stop(), os.RemoveAll(s.dir))
}

func openClickHouse(addr, database string) (driver.Conn, error) {
	return clickhouse.Open(&clickhouse.Options{
		Addr:        []string{addr},
		Auth:        clickhouse.Auth{Database: database, Username: "default"},
		DialTimeout: 2 * time.Second,
	})
}

// databaseName makes a database name, unique on the server, that says which
// test it belongs to.
func databaseName(testName string) string {
	var b strings.Builder
	b.WriteString("test_")
	underscore := true
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= 45 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			underscore = false
		case !underscore:
			b.WriteByte('_')
			underscore = true
		}
	}
	if !underscore {
		b.WriteByte('_')
	}
	fmt.Fprintf(&b, "%08x", rand.Uint32())
	return b.String()
}
