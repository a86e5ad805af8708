package chstore

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// migration is one NNNN_name.sql file.
type migration struct {
	version uint32
	name    string // file name without .sql, e.g. "0001_init"
	stmts   []string
}

// Migrate applies, in version order, the migrations not yet recorded in
// schema_migrations, and records each after its statements ran. It returns the names
// of the migrations it applied (e.g. "0001_init"); none when the schema is current.
// Every statement is idempotent, so two processes migrating at once do no harm
// beyond recording a migration twice.
func (s *Store) Migrate(ctx context.Context) (applied []string, err error) {
	all, err := loadMigrations(s.migrations)
	if err != nil {
		return nil, err
	}
	done, err := s.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range all {
		if done[m.version] {
			continue
		}
		for i, stmt := range m.stmts {
			if err := s.conn.Exec(ctx, stmt); err != nil {
				return applied, fmt.Errorf("migration %s statement %d: %w", m.name, i+1, err)
			}
		}
		err := s.insert(ctx, "INSERT INTO schema_migrations (version, name, applied_at)",
			[]uint32{m.version}, []string{m.name}, []time.Time{s.now()})
		if err != nil {
			return applied, fmt.Errorf("record migration %s: %w", m.name, err)
		}
		s.log.Info("clickhouse migration applied", "migration", m.name)
		applied = append(applied, m.name)
	}
	return applied, nil
}

// appliedVersions reads schema_migrations; a database without it has none.
func (s *Store) appliedVersions(ctx context.Context) (map[uint32]bool, error) {
	var n uint64
	err := s.conn.QueryRow(ctx,
		"SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations'",
	).Scan(&n)
	if err != nil {
		return nil, fmt.Errorf("look for schema_migrations: %w", err)
	}
	done := make(map[uint32]bool)
	if n == 0 {
		return done, nil
	}
	rows, err := s.conn.Query(ctx, "SELECT DISTINCT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		done[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return done, nil
}

// loadMigrations reads every *.sql file at the root of fsys, named NNNN_name.sql,
// sorted by NNNN.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".sql")
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.ParseUint(num, 10, 32)
		if !ok || err != nil || v == 0 {
			return nil, fmt.Errorf("migration %s: want a name NNNN_name.sql with NNNN > 0", file)
		}
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", file, err)
		}
		stmts := splitStatements(string(data))
		if len(stmts) == 0 {
			return nil, fmt.Errorf("migration %s has no statements", file)
		}
		ms = append(ms, migration{version: uint32(v), name: name, stmts: stmts})
	}
	slices.SortFunc(ms, func(a, b migration) int { return cmp.Compare(a.version, b.version) })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

// splitStatements splits a migration file into statements. A statement ends with a
// line whose last non-blank character is ';'. Lines starting with "--" are dropped,
// so comments between statements may say anything.
func splitStatements(sql string) []string {
	var (
		stmts []string
		cur   strings.Builder
	)
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			stmts = append(stmts, s)
		}
		cur.Reset()
	}
	for line := range strings.Lines(sql) {
		line = strings.TrimRight(line, " \t\r\n")
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		if body, ok := strings.CutSuffix(line, ";"); ok {
			cur.WriteString(body)
			flush()
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	flush()
	return stmts
}
