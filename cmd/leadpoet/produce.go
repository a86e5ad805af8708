package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/demo"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/schemas"
)

type produceConfig struct {
	kafka kafkax.Config
	topic string
	file  string
	demo  bool
	seed  int64
}

func runProduce(ctx context.Context, args []string, env *environment) error {
	var cfg produceConfig
	fs := flag.NewFlagSet("produce", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.kafka.RegisterFlags(fs)
	fs.StringVar(&cfg.topic, "produce.topic", "", "topic to produce to, e.g. "+schemas.TopicJobs+" (required unless -produce.demo)")
	fs.StringVar(&cfg.file, "produce.file", "-", "file of JSON lines, one event per line; - is stdin (default -)")
	fs.BoolVar(&cfg.demo, "produce.demo", false, "produce the built-in demo data set instead of a file (default false)")
	fs.Int64Var(&cfg.seed, "produce.seed", 1, "random seed of the demo data set (default 1)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.kafka.Validate(); err != nil {
		return err
	}
	cl, err := kgo.NewClient(cfg.kafka.Opts(kgo.ProducerLinger(5 * time.Millisecond))...)
	if err != nil {
		return fmt.Errorf("create kafka client: %w", err)
	}
	defer cl.Close()

	var recs []*kgo.Record
	if cfg.demo {
		ds, err := demo.Build(demo.Options{Seed: cfg.seed, Now: time.Now().UTC()})
		if err != nil {
			return fmt.Errorf("build demo data: %w", err)
		}
		recs = demoRecords(ds)
	} else {
		if cfg.topic == "" {
			return errors.New("produce.topic is required (or use -produce.demo)")
		}
		in := env.stdin
		if cfg.file != "-" {
			f, err := os.Open(cfg.file)
			if err != nil {
				return err
			}
			defer f.Close()
			in = f
		}
		if recs, err = readLines(in, cfg.topic); err != nil {
			return err
		}
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("produce: %w", err)
	}
	fmt.Fprintf(env.stdout, "produced %d records\n", len(recs))
	return nil
}

func demoRecords(ds demo.Dataset) []*kgo.Record {
	recs := make([]*kgo.Record, 0, len(ds.Records))
	for _, r := range ds.Records {
		recs = append(recs, &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value})
	}
	return recs
}

// readLines turns JSON lines into records keyed by their domain field, as the wire
// contract asks. A line that is not a JSON object is still produced (ingest
// dead-letters it with its reason); empty lines are skipped.
func readLines(in io.Reader, topic string) ([]*kgo.Record, error) {
	var recs []*kgo.Record
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), schemas.MaxRecordBytes*2)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var head struct {
			Domain string `json:"domain"`
		}
		key := []byte(nil)
		if json.Unmarshal(line, &head) == nil && head.Domain != "" {
			if d, err := schemas.NormalizeDomain(head.Domain); err == nil {
				key = []byte(d)
			}
		}
		recs = append(recs, &kgo.Record{Topic: topic, Key: key, Value: append([]byte(nil), line...)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read input: %w", err)
	}
	return recs, nil
}
