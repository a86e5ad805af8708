package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/schemas"
)

type dlqConfig struct {
	kafka  kafkax.Config
	code   string
	topic  string
	limit  int
	dryRun bool
}

// runDLQ lists or replays the records of the dead-letter topic.
func runDLQ(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "replay") {
		fmt.Fprintf(env.stderr, "Usage: leadpoet dlq list|replay [flags]\n\n  list    print the dead-lettered records with their reasons\n  replay  produce the original records again to their source topics (after a fix)\n")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return errors.New("dlq needs list or replay")
	}
	verb := args[0]
	var cfg dlqConfig
	fs := flag.NewFlagSet("dlq "+verb, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.kafka = kafkax.DefaultConfig()
	cfg.kafka.RegisterFlags(fs)
	fs.StringVar(&cfg.code, "dlq.code", "", "only records with this reason code, e.g. missing_field (default all)")
	fs.StringVar(&cfg.topic, "dlq.topic", "", "only records from this source topic (default all)")
	fs.IntVar(&cfg.limit, "dlq.limit", 0, "at most this many records; 0 means all (default 0)")
	fs.BoolVar(&cfg.dryRun, "dlq.dry-run", false, "replay: list what would be produced without producing (default false)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if err := cfg.kafka.Validate(); err != nil {
		return err
	}
	cl, err := kgo.NewClient(cfg.kafka.Opts(kgo.ConsumeTopics(schemas.TopicDLQ), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
	if err != nil {
		return fmt.Errorf("create kafka client: %w", err)
	}
	defer cl.Close()
	msgs, err := readDLQ(ctx, cl, cfg)
	if err != nil {
		return err
	}
	if verb == "list" || cfg.dryRun {
		printDLQ(env.stdout, msgs)
		if verb == "replay" {
			fmt.Fprintf(env.stdout, "dry run: %d records would be replayed\n", len(msgs))
		}
		return nil
	}
	recs := make([]*kgo.Record, 0, len(msgs))
	for _, m := range msgs {
		val, err := m.Original()
		if err != nil {
			return fmt.Errorf("dlq record %s/%d@%d: %w", m.SourceTopic, m.Partition, m.Offset, err)
		}
		recs = append(recs, &kgo.Record{Topic: m.SourceTopic, Key: []byte(m.Key), Value: val,
			Headers: []kgo.RecordHeader{{Key: "leadpoet-replayed-from", Value: fmt.Appendf(nil, "%s/%d@%d", m.SourceTopic, m.Partition, m.Offset)}}})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	fmt.Fprintf(env.stdout, "replayed %d records to their source topics\n", len(recs))
	return nil
}

// readDLQ reads the dead-letter topic from its start up to its end offsets at the
// time of the call, keeping the records that match the filters.
func readDLQ(ctx context.Context, cl *kgo.Client, cfg dlqConfig) ([]ingest.DLQMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, schemas.TopicDLQ)
	if err != nil {
		return nil, fmt.Errorf("read dlq end offsets: %w", err)
	}
	pending := map[int32]int64{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err == nil && o.Offset > 0 {
			pending[o.Partition] = o.Offset
		}
	})
	var out []ingest.DLQMessage
	for len(pending) > 0 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("read dlq: %w", err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if end, ok := pending[r.Partition]; ok && r.Offset+1 >= end {
				delete(pending, r.Partition)
			}
			var m ingest.DLQMessage
			if json.Unmarshal(r.Value, &m) != nil {
				return
			}
			if (cfg.code != "" && m.Code != cfg.code) || (cfg.topic != "" && m.SourceTopic != cfg.topic) {
				return
			}
			if cfg.limit == 0 || len(out) < cfg.limit {
				out = append(out, m)
			}
		})
	}
	return out, nil
}

func printDLQ(w io.Writer, msgs []ingest.DLQMessage) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FAILED AT\tSOURCE\tCODE\tFIELD\tMESSAGE")
	for _, m := range msgs {
		msg := m.Message
		if len(msg) > 80 {
			msg = msg[:77] + "..."
		}
		fmt.Fprintf(tw, "%s\t%s/%d@%d\t%s\t%s\t%s\n", m.FailedAt.Format(time.RFC3339), m.SourceTopic, m.Partition, m.Offset,
			m.Code, m.Field, strings.ReplaceAll(msg, "\n", " "))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d records\n", len(msgs))
}
