// Package chstore is the ClickHouse history of record: it connects to ClickHouse,
// applies the migrations of schemas.ClickHouseMigrations, writes company profiles,
// signals and dead-lettered records in batches, and reads back what tests and the
// rebuild tooling need.
//
// Every write is one native-protocol INSERT with an explicit column list, the only
// form ClickHouse 18.16 accepts from clickhouse-go v2. Writes are idempotent by table
// design (ReplacingMergeTree keyed by the event), so a batch replayed after a crash
// changes nothing a deduplicated read can see.
package chstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/leadpoet/leadpoet/schemas"
)

// Store writes to and reads from one ClickHouse database. It is safe for concurrent
// use.
type Store struct {
	conn       driver.Conn
	log        *slog.Logger
	migrations fs.FS
	now        func() time.Time
}

// Open connects to ClickHouse, creates cfg.Database when it is missing, applies the
// pending migrations and returns the store. log may be nil.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	if !cfg.Enabled {
		return nil, ErrDisabled
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := createDatabase(ctx, cfg); err != nil {
		return nil, err
	}
	conn, err := clickhouse.Open(options(cfg, cfg.Database))
	if err != nil {
		return nil, fmt.Errorf("open clickhouse %s: %w", cfg.Addr, err)
	}
	s := &Store{
		conn:       conn,
		log:        log.With("database", cfg.Database),
		migrations: schemas.ClickHouseMigrations(),
		now:        time.Now,
	}
	if err := s.Ping(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

func options(cfg Config, database string) *clickhouse.Options {
	return &clickhouse.Options{
		Protocol: clickhouse.Native,
		Addr:     []string{cfg.Addr},
		Auth: clickhouse.Auth{
			Database: database,
			Username: cfg.Username,
			Password: cfg.Password,
		},
		DialTimeout: cfg.DialTimeout,
		Compression: &clickhouse.Compression{Method: clickhouse.CompressionLZ4},
		ClientInfo: clickhouse.ClientInfo{
			Products: []struct{ Name, Version string }{{Name: "leadpoet"}},
		},
	}
}

// createDatabase connects without a database and creates cfg.Database.
func createDatabase(ctx context.Context, cfg Config) error {
	conn, err := clickhouse.Open(options(cfg, ""))
	if err != nil {
		return fmt.Errorf("open clickhouse %s: %w", cfg.Addr, err)
	}
	defer conn.Close()
	// The name passed validIdent in Validate, so backquoting is enough.
	if err := conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS `"+cfg.Database+"`"); err != nil {
		return fmt.Errorf("create database %s on clickhouse %s: %w", cfg.Database, cfg.Addr, err)
	}
	return nil
}

// Ping checks that the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.conn.Ping(ctx); err != nil {
		return fmt.Errorf("ping clickhouse: %w", err)
	}
	return nil
}

// Close closes the connections. Writes in flight fail.
func (s *Store) Close() error {
	return s.conn.Close()
}

// insert sends one INSERT of n rows, given column by column in the order of the
// column list of query.
func (s *Store) insert(ctx context.Context, query string, columns ...any) (err error) {
	batch, err := s.conn.PrepareBatch(ctx, query)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			// Drops the connection, so the server discards what it received.
			_ = batch.Abort()
		}
	}()
	for i, col := range columns {
		if err := batch.Column(i).Append(col); err != nil {
			return fmt.Errorf("column %s: %w", batch.Columns()[i].Name(), err)
		}
	}
	return batch.Send()
}

// ErrTimeRange says a time lies outside what a ClickHouse DateTime holds
// (1970-01-01 to 2106-02-07 UTC).
var ErrTimeRange = errors.New("time outside the DateTime range")

const maxDateTime = 1<<32 - 1

func checkTime(field string, t time.Time) error {
	if u := t.Unix(); u < 0 || u > maxDateTime {
		return fmt.Errorf("%s %s: %w", field, t.Format(time.RFC3339Nano), ErrTimeRange)
	}
	return nil
}
