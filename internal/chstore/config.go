package chstore

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"time"
)

// Defaults of Config. A zero field of Config means its default.
const (
	DefaultAddr        = "localhost:9000"
	DefaultDatabase    = "leadpoet"
	DefaultUsername    = "default"
	DefaultDialTimeout = 5 * time.Second
)

// Config says where the ClickHouse history of record lives.
type Config struct {
	// Addr is the host:port of the native protocol (not HTTP); "" means DefaultAddr.
	Addr string
	// Database holds the tables; it is created when missing. "" means DefaultDatabase.
	Database string
	// Username and Password authenticate; "" Username means DefaultUsername.
	Username, Password string
	// DialTimeout bounds one connection attempt; 0 means DefaultDialTimeout.
	DialTimeout time.Duration
	// Enabled says whether ClickHouse is used at all. When false the process runs
	// without analytics history and Open refuses with ErrDisabled.
	Enabled bool
}

// ErrDisabled is returned by Open when Config.Enabled is false.
var ErrDisabled = errors.New("clickhouse is disabled")

// RegisterFlags registers the clickhouse.* flags on fs, with the defaults as flag
// defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.BoolVar(&c.Enabled, "clickhouse.enabled", true,
		"write history to ClickHouse; false runs without it (default true)")
	fs.StringVar(&c.Addr, "clickhouse.addr", DefaultAddr,
		"ClickHouse native protocol address, host:port (default "+DefaultAddr+")")
	fs.StringVar(&c.Database, "clickhouse.database", DefaultDatabase,
		"ClickHouse database, created when missing (default "+DefaultDatabase+")")
	fs.StringVar(&c.Username, "clickhouse.user", DefaultUsername,
		"ClickHouse user name (default "+DefaultUsername+")")
	fs.StringVar(&c.Password, "clickhouse.password", "",
		"ClickHouse password (default empty)")
	fs.DurationVar(&c.DialTimeout, "clickhouse.dial-timeout", DefaultDialTimeout,
		"timeout of one ClickHouse connection attempt, a Go duration such as 5s (default 5s)")
}

// Validate reports the first invalid setting. A disabled Config is always valid.
func (c Config) Validate() error {
	if !c.Enabled {
		return nil
	}
	c = c.withDefaults()
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("clickhouse.addr %q: want host:port: %w", c.Addr, err)
	}
	if host == "" || port == "" {
		return fmt.Errorf("clickhouse.addr %q: want host:port", c.Addr)
	}
	if !validIdent(c.Database) {
		return fmt.Errorf("clickhouse.database %q: want letters, digits and '_', not starting with a digit", c.Database)
	}
	if c.DialTimeout < 0 {
		return fmt.Errorf("clickhouse.dial-timeout %s: must not be negative", c.DialTimeout)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Database == "" {
		c.Database = DefaultDatabase
	}
	if c.Username == "" {
		c.Username = DefaultUsername
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	return c
}

// validIdent reports whether s is a plain identifier, safe to splice into SQL.
func validIdent(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
