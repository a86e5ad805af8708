package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/pipelines"
	"github.com/leadpoet/leadpoet/scorer"
)

func runRebuild(ctx context.Context, args []string, env *environment) error {
	var (
		rc   redisstore.Config
		cc   chstore.Config
		lc   logConfig
		keep bool
	)
	fs := flag.NewFlagSet("rebuild", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	rc.RegisterFlags(fs)
	cc.RegisterFlags(fs)
	lc.registerFlags(fs)
	fs.BoolVar(&keep, "rebuild.keep", false, "apply the history over the current online store instead of emptying it first (default false)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !cc.Enabled {
		return errors.New("rebuild reads the history from ClickHouse: clickhouse.enabled must be true")
	}
	for _, v := range []interface{ Validate() error }{&rc, cc} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	log, err := lc.logger(env.stderr)
	if err != nil {
		return err
	}
	rs, err := redisstore.Open(ctx, rc, scorer.DefaultDecay(), scorer.BaselineDecay())
	if err != nil {
		return err
	}
	defer rs.Close()
	ch, err := chstore.Open(ctx, cc, log)
	if err != nil {
		return fmt.Errorf("open clickhouse: %w", err)
	}
	defer ch.Close()

	start := time.Now()
	if !keep {
		n, err := rs.Flush(ctx)
		if err != nil {
			return err
		}
		log.Info("online store emptied", "keys", n)
	}
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(env.stderr),
		progressbar.OptionSetDescription("rebuilding online store"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
	)
	var rows int64
	err = pipelines.Rebuild(ctx, ch, rs, scorer.LoadTaxonomy(), func(done, total int64) {
		if bar.GetMax64() != total {
			bar.ChangeMax64(total)
		}
		_ = bar.Set64(done)
		rows = done
	})
	_ = bar.Finish()
	fmt.Fprintln(env.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "rebuilt the online store from %d rows in %s\n", rows, time.Since(start).Round(time.Millisecond))
	return nil
}
