// Package kafkax holds the Kafka connection settings every Leadpoet component shares,
// and the helpers that create topics and produce records with them.
package kafkax

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Config is how to reach the Kafka cluster.
type Config struct {
	Brokers     string // comma-separated host:port list
	ClientID    string
	DialTimeout time.Duration
	// CreatePartitions is the partition count of topics created at start when
	// missing; 0 creates none.
	CreatePartitions int
}

// DefaultConfig returns the defaults the flags document.
func DefaultConfig() Config {
	return Config{Brokers: "localhost:9092", ClientID: "leadpoet", DialTimeout: 5 * time.Second, CreatePartitions: 8}
}

// RegisterFlags registers the kafka.* flags.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	d := DefaultConfig()
	fs.StringVar(&c.Brokers, "kafka.brokers", d.Brokers, "comma-separated Kafka bootstrap brokers host:port (default "+d.Brokers+")")
	fs.StringVar(&c.ClientID, "kafka.client-id", d.ClientID, "Kafka client id (default "+d.ClientID+")")
	fs.DurationVar(&c.DialTimeout, "kafka.dial-timeout", d.DialTimeout, "Kafka dial timeout (default 5s)")
	fs.IntVar(&c.CreatePartitions, "kafka.create-partitions", d.CreatePartitions, "partitions of the wire-contract topics created at start when missing; 0 creates none (default 8)")
}

// Validate reports a configuration that cannot work.
func (c *Config) Validate() error {
	if len(c.BrokerList()) == 0 {
		return errors.New("kafka.brokers must name at least one broker")
	}
	if c.CreatePartitions < 0 {
		return errors.New("kafka.create-partitions must not be negative")
	}
	return nil
}

// BrokerList splits Brokers.
func (c *Config) BrokerList() []string {
	var out []string
	for _, b := range strings.Split(c.Brokers, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// Opts returns the client options for this configuration, followed by extra.
func (c *Config) Opts(extra ...kgo.Opt) []kgo.Opt {
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.BrokerList()...),
		kgo.ClientID(c.ClientID),
		kgo.DialTimeout(c.DialTimeout),
	}
	return append(opts, extra...)
}

// EnsureTopics creates the topics that do not exist yet.
func EnsureTopics(ctx context.Context, cl *kgo.Client, partitions int32, topics ...string) error {
	adm := kadm.NewClient(cl)
	resp, err := adm.CreateTopics(ctx, partitions, -1, nil, topics...)
	if err != nil {
		return fmt.Errorf("create topics: %w", err)
	}
	for _, r := range resp.Sorted() {
		if r.Err != nil && !errors.Is(r.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create topic %s: %w", r.Topic, r.Err)
		}
	}
	return nil
}

// Ping checks that a broker answers.
type Pinger struct{ Client *kgo.Client }

// Ping implements a dependency check.
func (p Pinger) Ping(ctx context.Context) error {
	if err := p.Client.Ping(ctx); err != nil {
		return fmt.Errorf("ping kafka: %w", err)
	}
	return nil
}
