package ingest

import (
	"errors"
	"flag"
	"time"
)

// Config configures the ingest consumer.
type Config struct {
	Group string
	// MaxPollRecords bounds the records taken from the client per poll, across
	// all partitions.
	MaxPollRecords int
	// MaxBatchRecords bounds the records of one Handle call: a partition worker
	// coalesces its queued fetches up to this many.
	MaxBatchRecords int
	// MaxBufferedRecords bounds the records held in memory across all partition
	// workers, queued or in flight. Polling waits while it is reached.
	MaxBufferedRecords int
	RetryMin           time.Duration
	RetryMax           time.Duration
	// DrainTimeout bounds how long a revoked partition's worker, or every worker
	// at shutdown, may take to finish its batch in flight and commit.
	DrainTimeout time.Duration
}

// DefaultConfig returns the defaults the flags document.
func DefaultConfig() Config {
	return Config{
		Group:              "leadpoet-ingest",
		MaxPollRecords:     10000,
		MaxBatchRecords:    10000,
		MaxBufferedRecords: 100000,
		RetryMin:           100 * time.Millisecond,
		RetryMax:           10 * time.Second,
		DrainTimeout:       20 * time.Second,
	}
}

// RegisterFlags registers the ingest.* flags.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	d := DefaultConfig()
	fs.StringVar(&c.Group, "ingest.group", d.Group, "Kafka consumer group of the ingest workers (default "+d.Group+")")
	fs.IntVar(&c.MaxPollRecords, "ingest.max-poll-records", d.MaxPollRecords, "records taken from the Kafka client per poll at most, across all partitions (default 10000)")
	fs.IntVar(&c.MaxBatchRecords, "ingest.max-batch-records", d.MaxBatchRecords, "records of one partition handed to the pipelines in one batch at most; a partition's fetches are paused while this many are queued (default 10000)")
	fs.IntVar(&c.MaxBufferedRecords, "ingest.max-buffered-records", d.MaxBufferedRecords, "records held in memory across all partition workers, queued or in flight, at most; polling waits while the bound is reached; the pipelines merge at most half of it into one write (a larger batch is written alone), so that the other half is decoded meanwhile (default 100000)")
	fs.DurationVar(&c.RetryMin, "ingest.retry-min", d.RetryMin, "first backoff after a failed batch write (default 100ms)")
	fs.DurationVar(&c.RetryMax, "ingest.retry-max", d.RetryMax, "longest backoff between batch write retries (default 10s)")
	fs.DurationVar(&c.DrainTimeout, "ingest.drain-timeout", d.DrainTimeout, "time allowed, at shutdown or when partitions are revoked, to finish the batches in flight and commit them (default 20s)")
}

// Validate reports a configuration that cannot work.
func (c *Config) Validate() error {
	switch {
	case c.Group == "":
		return errors.New("ingest.group must not be empty")
	case c.MaxPollRecords < 1:
		return errors.New("ingest.max-poll-records must be at least 1")
	case c.MaxBatchRecords < 1:
		return errors.New("ingest.max-batch-records must be at least 1")
	case c.MaxBufferedRecords < c.MaxBatchRecords:
		return errors.New("ingest.max-buffered-records must be at least ingest.max-batch-records")
	case c.RetryMin <= 0 || c.RetryMax < c.RetryMin:
		return errors.New("ingest.retry-min must be > 0 and ingest.retry-max >= ingest.retry-min")
	case c.DrainTimeout <= 0:
		return errors.New("ingest.drain-timeout must be > 0")
	}
	return nil
}
