package ingest

import (
	"flag"
	"strings"
	"testing"
	"time"
)

func TestConfigFlags(t *testing.T) {
	var c Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c.RegisterFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if c != DefaultConfig() {
		t.Errorf("flags without arguments give %+v, want the defaults %+v", c, DefaultConfig())
	}
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.HasPrefix(f.Name, "ingest.") {
			t.Errorf("flag %s is not namespaced ingest.", f.Name)
		}
		if !strings.Contains(f.Usage, "(default "+f.DefValue+")") {
			t.Errorf("help of %s does not state its default %s: %q", f.Name, f.DefValue, f.Usage)
		}
	})
	if err := fs.Parse([]string{"-ingest.max-batch-records=20000", "-ingest.max-buffered-records=80000"}); err != nil {
		t.Fatal(err)
	}
	if c.MaxBatchRecords != 20000 || c.MaxBufferedRecords != 80000 {
		t.Errorf("parsed %d and %d", c.MaxBatchRecords, c.MaxBufferedRecords)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string // substring of the error; "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"no group", func(c *Config) { c.Group = "" }, "ingest.group"},
		{"no poll records", func(c *Config) { c.MaxPollRecords = 0 }, "ingest.max-poll-records"},
		{"no batch records", func(c *Config) { c.MaxBatchRecords = 0 }, "ingest.max-batch-records"},
		{"buffer below a batch", func(c *Config) { c.MaxBufferedRecords = c.MaxBatchRecords - 1 }, "ingest.max-buffered-records"},
		{"buffer of one batch", func(c *Config) { c.MaxBufferedRecords = c.MaxBatchRecords }, ""},
		{"retry max below min", func(c *Config) { c.RetryMax = c.RetryMin / 2 }, "ingest.retry-max"},
		{"no retry min", func(c *Config) { c.RetryMin = 0 }, "ingest.retry-min"},
		{"no drain timeout", func(c *Config) { c.DrainTimeout = 0 }, "ingest.drain-timeout"},
		{"short drain timeout", func(c *Config) { c.DrainTimeout = time.Millisecond }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.change(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate() = %v, want an error naming %s", err, tc.want)
			}
		})
	}
}
