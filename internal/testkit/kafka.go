package testkit

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Kafka starts an in-process kfake cluster of one broker listening on a free
// port of 127.0.0.1, with each of topics created with kfake's default of 10
// partitions, and closes it when the test ends. Clients reach it at
// KafkaAddrs(c); tests that need other kfake options call kfake.NewCluster
// themselves.
func Kafka(t testing.TB, topics ...string) *kfake.Cluster {
	t.Helper()
	opts := []kfake.Opt{kfake.NumBrokers(1)}
	if len(topics) > 0 {
		opts = append(opts, kfake.SeedTopics(-1, topics...))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatalf("start kfake cluster: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// KafkaAddrs returns the seed brokers of c, for kgo.SeedBrokers.
func KafkaAddrs(c *kfake.Cluster) []string {
	return c.ListenAddrs()
}
