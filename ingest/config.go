package ingest

import (
	"errors"
	"flag"
	"time"
)

// Config configures the ingest consumer.
type Config struct {
	Group          string
	MaxPollRecords int
	RetryMin       time.Duration
	RetryMax       time.Duration
	DrainTimeout   time.Duration
}

// DefaultConfig returns the defaults the flags document.
func DefaultConfig() Config {
	return Config{
		Group:          "leadpoet-ingest",
		MaxPollRecords: 10000,
		RetryMin:       100 * time.Millisecond,
		RetryMax:       10 * time.Second,
		DrainTimeout:   20 * time.Second,
	}
}

// RegisterFlags registers the ingest.* flags.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	d := DefaultConfig()
	fs.StringVar(&c.Group, "ingest.group", d.Group, "Kafka consumer group of the ingest workers (default "+d.Group+")")
	fs.IntVar(&c.MaxPollRecords, "ingest.max-poll-records", d.MaxPollRecords, "records handled per batch at most (default 10000)")
	fs.DurationVar(&c.RetryMin, "ingest.retry-min", d.RetryMin, "first backoff after a failed batch write (default 100ms)")
	fs.DurationVar(&c.RetryMax, "ingest.retry-max", d.RetryMax, "longest backoff between batch write retries (default 10s)")
	fs.DurationVar(&c.DrainTimeout, "ingest.drain-timeout", d.DrainTimeout, "time allowed at shutdown to finish the batch in flight and commit (default 20s)")
}

// Validate reports a configuration that cannot work.
func (c *Config) Validate() error {
	switch {
	case c.Group == "":
		return errors.New("ingest.group must not be empty")
	case c.MaxPollRecords < 1:
		return errors.New("ingest.max-poll-records must be at least 1")
	case c.RetryMin <= 0 || c.RetryMax < c.RetryMin:
		return errors.New("ingest.retry-min must be > 0 and ingest.retry-max >= ingest.retry-min")
	case c.DrainTimeout <= 0:
		return errors.New("ingest.drain-timeout must be > 0")
	}
	return nil
}
