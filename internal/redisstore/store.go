// Package redisstore is the Redis online store: per-company profiles, evidence and the
// inverted term index the scorer retrieves candidates from. The key layout is written
// down in schemas/redis.md.
package redisstore

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/scorer"
)

// Config configures the connection to Redis.
type Config struct {
	Addr        string
	Password    string
	DB          int
	DialTimeout time.Duration
	PoolSize    int
	MaxEvidence int // evidence items kept per company
}

// DefaultConfig returns the defaults the flags document.
func DefaultConfig() Config {
	return Config{Addr: "localhost:6379", DialTimeout: 2 * time.Second, PoolSize: 32, MaxEvidence: 50}
}

// RegisterFlags registers the redis.* flags with their defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	d := DefaultConfig()
	fs.StringVar(&c.Addr, "redis.addr", d.Addr, "Redis address host:port (default "+d.Addr+")")
	fs.StringVar(&c.Password, "redis.password", "", "Redis password (default none)")
	fs.IntVar(&c.DB, "redis.db", 0, "Redis logical database number (default 0)")
	fs.DurationVar(&c.DialTimeout, "redis.dial-timeout", d.DialTimeout, "Redis dial timeout (default 2s)")
	fs.IntVar(&c.PoolSize, "redis.pool-size", d.PoolSize, "Redis connection pool size (default 32)")
	fs.IntVar(&c.MaxEvidence, "redis.max-evidence", d.MaxEvidence, "evidence items kept per company (default 50)")
}

// Validate reports a configuration that cannot work.
func (c *Config) Validate() error {
	switch {
	case c.Addr == "":
		return errors.New("redis.addr must not be empty")
	case c.PoolSize < 1:
		return errors.New("redis.pool-size must be at least 1")
	case c.MaxEvidence < 1:
		return errors.New("redis.max-evidence must be at least 1")
	}
	return nil
}

// Store reads and writes the online store.
type Store struct {
	rdb      *redis.Client
	cfg      Config
	decay    scorer.Decay // fast decay of the intent index
	baseline scorer.Decay // slow decay of the baseline index
	layoutOK atomic.Bool  // the store was found in this layout
}

// Open connects to Redis and checks the connection. decay is the intent decay
// (scorer.DefaultDecay), baseline the slow one (scorer.BaselineDecay).
func Open(ctx context.Context, cfg Config, decay, baseline scorer.Decay) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rdb := redis.NewClient(&redis.Options{
		Addr:            cfg.Addr,
		Password:        cfg.Password,
		DB:              cfg.DB,
		DialTimeout:     cfg.DialTimeout,
		PoolSize:        cfg.PoolSize,
		DisableIdentity: true,
	})
	s := &Store{rdb: rdb, cfg: cfg, decay: decay, baseline: baseline}
	if err := s.Ping(ctx); err != nil {
		rdb.Close()
		return nil, err
	}
	return s, nil
}

// Client exposes the underlying client for components sharing the connection pool
// (rate limiting, key management).
func (s *Store) Client() *redis.Client { return s.rdb }

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis at %s: %w", s.cfg.Addr, err)
	}
	return nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.rdb.Close() }

func companyKey(domain string) string  { return "lp:co:{" + domain + "}" }
func evidenceKey(domain string) string { return "lp:ev:{" + domain + "}" }
func seenKey(domain string) string     { return "lp:seen:{" + domain + "}" }
func techKey(domain string) string     { return "lp:tech:{" + domain + "}" }
func indexKey(term string) string      { return "lp:ix:" + term }

// weightField is the company hash field of a term's weights: the fast (index) and
// the baseline weight, forward-decayed, as two little-endian float64 (16 bytes).
func weightField(term string) string { return weightFieldPrefix + term }

// weightFieldPrefix starts every weightField.
const weightFieldPrefix = "w:"

// decodeWeights reads a weightField value as HMGET returns it; ok is false for a
// missing field or a value of another size.
func decodeWeights(v any) (fast, base float64, ok bool) {
	s, _ := v.(string)
	if len(s) != 16 {
		return 0, 0, false
	}
	b := []byte(s) // does not escape: copied on the stack
	return math.Float64frombits(binary.LittleEndian.Uint64(b)), math.Float64frombits(binary.LittleEndian.Uint64(b[8:])), true
}

const statsKey = "lp:stats"

// layoutKey holds the version of the key layout (schemas/redis.md) the store was
// written in; layout is this one.
const (
	layoutKey = "lp:layout"
	layout    = "3"
)

// ErrLayout is returned when the online store was written in another key layout:
// `leadpoet rebuild` rewrites it in this one.
var ErrLayout = errors.New("the online store was written in another key layout: run leadpoet rebuild")

// checkLayout fails with ErrLayout when the store holds data of another layout. A
// store without data is of any layout; write marks it as this one.
func (s *Store) checkLayout(ctx context.Context, write bool) error {
	if s.layoutOK.Load() {
		return nil
	}
	v, err := s.rdb.Get(ctx, layoutKey).Result()
	switch {
	case err == nil && v == layout:
		s.layoutOK.Store(true)
		return nil
	case err == nil:
		return fmt.Errorf("%w (found layout v%s, want v%s)", ErrLayout, v, layout)
	case err != redis.Nil:
		return fmt.Errorf("read online store layout: %w", err)
	}
	n, err := s.rdb.Exists(ctx, statsKey).Result()
	switch {
	case err != nil:
		return fmt.Errorf("read online store layout: %w", err)
	case n > 0:
		return fmt.Errorf("%w (found signals without a layout mark: v2 or older, want v%s)", ErrLayout, layout)
	case !write:
		return nil
	}
	if err := s.rdb.SetNX(ctx, layoutKey, layout, 0).Err(); err != nil {
		return fmt.Errorf("mark online store layout: %w", err)
	}
	return s.checkLayout(ctx, write)
}

// onlinePrefixes are the key prefixes of the online store (schemas/redis.md).
// "lp:ixb:" held the baseline index of layout v1; it stays listed so that Flush
// removes it before a rebuild into the current layout.
func onlinePrefixes() []string {
	return []string{"lp:co:", "lp:ev:", "lp:seen:", "lp:tech:", "lp:ix:", "lp:ixb:", statsKey, layoutKey}
}

// Flush deletes every key of the online store, leaving other keys (API keys, limits)
// alone. It returns how many keys it deleted.
func (s *Store) Flush(ctx context.Context) (int64, error) {
	s.layoutOK.Store(false)
	var deleted int64
	iter := s.rdb.Scan(ctx, 0, "lp:*", 1000).Iterator()
	batch := make([]string, 0, 1000)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n, err := s.rdb.Unlink(ctx, batch...).Result()
		deleted += n
		batch = batch[:0]
		return err
	}
	for iter.Next(ctx) {
		if !isOnlineKey(iter.Val()) {
			continue
		}
		batch = append(batch, iter.Val())
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return deleted, fmt.Errorf("flush online store: %w", err)
			}
		}
	}
	if err := iter.Err(); err != nil {
		return deleted, fmt.Errorf("flush online store: %w", err)
	}
	if err := flush(); err != nil {
		return deleted, fmt.Errorf("flush online store: %w", err)
	}
	return deleted, nil
}

func isOnlineKey(k string) bool {
	for _, p := range onlinePrefixes() {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}
