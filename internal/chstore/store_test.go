package chstore

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// openStore opens a Store on a fresh database of the test ClickHouse server.
func openStore(t testing.TB) (*Store, testkit.ClickHouse) {
	t.Helper()
	ch := testkit.ClickHouseDB(t)
	s, err := Open(t.Context(), testConfig(ch), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, ch
}

func testConfig(ch testkit.ClickHouse) Config {
	return Config{Enabled: true, Addr: ch.Addr, Database: ch.Database, DialTimeout: 10 * time.Second}
}

// queryUint64 runs a query that returns one UInt64.
func queryUint64(t testing.TB, s *Store, query string, args ...any) uint64 {
	t.Helper()
	var n uint64
	if err := s.conn.QueryRow(t.Context(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// stopMerges keeps ClickHouse from merging the parts of table in the background, so
// that a test sees duplicates until it calls mergeFinal.
func stopMerges(t testing.TB, s *Store, table string) {
	t.Helper()
	exec(t, s, "SYSTEM STOP MERGES "+table)
}

// mergeFinal merges all parts of table now, as a background merge eventually would.
func mergeFinal(t testing.TB, s *Store, table string) {
	t.Helper()
	exec(t, s, "SYSTEM START MERGES "+table)
	exec(t, s, "OPTIMIZE TABLE "+table+" FINAL")
}

func exec(t testing.TB, s *Store, query string) {
	t.Helper()
	if err := s.conn.Exec(t.Context(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func TestOpenCreatesDatabaseAndMigratesOnce(t *testing.T) {
	ch := testkit.ClickHouseDB(t)
	cfg := testConfig(ch)
	cfg.Database = ch.Database + "_created"
	t.Cleanup(func() {
		admin := ch.Open(t)
		if err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+cfg.Database); err != nil {
			t.Errorf("drop %s: %v", cfg.Database, err)
		}
	})

	s, err := Open(t.Context(), cfg, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if got := queryUint64(t, s, "SELECT count() FROM system.databases WHERE name = ?", cfg.Database); got != 1 {
		t.Fatalf("database %s exists %d times, want 1", cfg.Database, got)
	}
	var tables []string
	rows, err := s.conn.Query(t.Context(), "SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	want := []string{".inner.company_daily_features", "companies", "companies_latest", "company_daily_features",
		"company_daily_features_final", "dlq", "outcomes", "queries", "schema_migrations", "signals", "signals_dedup"}
	if !slices.Equal(tables, want) {
		t.Fatalf("tables = %v, want %v", tables, want)
	}
	migrations, err := loadMigrations(schemas.ClickHouseMigrations())
	if err != nil {
		t.Fatal(err)
	}
	if got := queryUint64(t, s, "SELECT count() FROM schema_migrations"); got != uint64(len(migrations)) {
		t.Fatalf("schema_migrations has %d rows after Open, want %d", got, len(migrations))
	}

	applied, err := s.Migrate(t.Context())
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate = %v, %v; want nothing applied", applied, err)
	}
	// A second process opening the same database applies nothing either.
	s2, err := Open(t.Context(), cfg, nil)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	s2.Close()
	if got := queryUint64(t, s, "SELECT count() FROM schema_migrations"); got != uint64(len(migrations)) {
		t.Fatalf("schema_migrations has %d rows after re-running, want %d", got, len(migrations))
	}
}

func TestMigrateAppliesPendingInOrder(t *testing.T) {
	s, _ := openStore(t)
	s.migrations = fstest.MapFS{
		"0001_init.sql": {Data: []byte("CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime('UTC')) ENGINE = MergeTree ORDER BY version;\n")},
		// 0903 selects from the table 0902 creates: it fails unless 0902 ran first.
		"0903_view.sql": {Data: []byte("-- a view on t\nCREATE VIEW IF NOT EXISTS v AS\nSELECT x FROM t;\n")},
		"0902_t.sql": {Data: []byte(strings.Join([]string{
			"CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = MergeTree ORDER BY x;",
			"CREATE TABLE IF NOT EXISTS t2 (x UInt8) ENGINE = MergeTree ORDER BY x;",
		}, "\n"))},
	}
	applied, err := s.Migrate(t.Context())
	if err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if want := []string{"0902_t", "0903_view"}; !slices.Equal(applied, want) {
		t.Fatalf("applied = %v, want %v", applied, want)
	}
	if got := queryUint64(t, s, "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name IN ('t', 't2', 'v')"); got != 3 {
		t.Fatalf("%d of t, t2, v exist, want 3", got)
	}
	applied, err = s.Migrate(t.Context())
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate = %v, %v; want nothing applied", applied, err)
	}
	// The store's own migrations plus the two new ones.
	if got := queryUint64(t, s, "SELECT count() FROM schema_migrations WHERE version > 900"); got != 2 {
		t.Fatalf("schema_migrations has %d rows of the new migrations, want 2", got)
	}
}

func TestLoadMigrationsRejectsBadFiles(t *testing.T) {
	stmt := &fstest.MapFile{Data: []byte("SELECT 1;\n")}
	for name, fsys := range map[string]fstest.MapFS{
		"no number":        {"init.sql": stmt},
		"zero":             {"0000_init.sql": stmt},
		"duplicate":        {"0001_a.sql": stmt, "01_b.sql": stmt},
		"no statements":    {"0001_a.sql": {Data: []byte("-- nothing\n\n")}},
		"number too large": {"99999999999_a.sql": stmt},
	} {
		t.Run(name, func(t *testing.T) {
			if ms, err := loadMigrations(fsys); err == nil {
				t.Fatalf("loadMigrations = %v, want an error", ms)
			}
		})
	}
}

func TestSplitStatements(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		want      []string
	}{
		{"one", "SELECT 1;\n", []string{"SELECT 1"}},
		{"no final semicolon", "SELECT 1", []string{"SELECT 1"}},
		{"several lines", "CREATE TABLE t\n(\n  x UInt8\n)\nENGINE = Log;\n", []string{"CREATE TABLE t\n(\n  x UInt8\n)\nENGINE = Log"}},
		{"two", "SELECT 1;\r\n\r\nSELECT 2 ;  \n", []string{"SELECT 1", "SELECT 2"}},
		{"comments dropped", "-- a; b;\nSELECT 1;\n  -- c;\nSELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"semicolon inside a line", "SELECT ';' AS x;\n", []string{"SELECT ';' AS x"}},
		{"empty", "\n-- only a comment\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitStatements(tc.sql); !slices.Equal(got, tc.want) {
				t.Fatalf("splitStatements(%q) = %q, want %q", tc.sql, got, tc.want)
			}
		})
	}
}

func TestEmbeddedMigrationsLoad(t *testing.T) {
	ms, err := loadMigrations(schemas.ClickHouseMigrations())
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].name != "0001_init" {
		t.Fatalf("migrations = %v, want 0001_init first", ms)
	}
}

func TestConfig(t *testing.T) {
	var cfg Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	want := Config{Enabled: true, Addr: "localhost:9000", Database: "leadpoet", Username: "default", DialTimeout: 5 * time.Second}
	if cfg != want {
		t.Fatalf("defaults = %+v, want %+v", cfg, want)
	}
	if err := fs.Parse([]string{"-clickhouse.addr=ch:9440", "-clickhouse.database=hist", "-clickhouse.dial-timeout=2s"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "ch:9440" || cfg.Database != "hist" || cfg.DialTimeout != 2*time.Second {
		t.Fatalf("after flags: %+v", cfg)
	}

	for _, tc := range []struct {
		name  string
		cfg   Config
		valid bool
	}{
		{"defaults", want, true},
		{"zero values mean defaults", Config{Enabled: true}, true},
		{"disabled is not checked", Config{Addr: "nonsense"}, true},
		{"no port", Config{Enabled: true, Addr: "localhost"}, false},
		{"no host", Config{Enabled: true, Addr: ":9000"}, false},
		{"database with a quote", Config{Enabled: true, Database: "a`b"}, false},
		{"database with a dash", Config{Enabled: true, Database: "a-b"}, false},
		{"database starting with a digit", Config{Enabled: true, Database: "1a"}, false},
		{"negative timeout", Config{Enabled: true, DialTimeout: -time.Second}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Validate(); (err == nil) != tc.valid {
				t.Fatalf("Validate(%+v) = %v, want valid=%v", tc.cfg, err, tc.valid)
			}
		})
	}
}

func TestOpenDisabled(t *testing.T) {
	if _, err := Open(t.Context(), Config{}, nil); !errors.Is(err, ErrDisabled) {
		t.Fatalf("Open of a disabled config = %v, want ErrDisabled", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	cfg := Config{Enabled: true, Addr: fmt.Sprintf("127.0.0.1:%d", testkit.FreePort(t)), DialTimeout: time.Second}
	if s, err := Open(t.Context(), cfg, nil); err == nil {
		s.Close()
		t.Fatal("Open of a closed port succeeded")
	}
}
