package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leadpoet/leadpoet/internal/eval"
)

func runEval(ctx context.Context, args []string, env *environment) error {
	cfg := eval.DefaultConfig()
	var (
		lc       logConfig
		families string
		out      string
		jsonOut  string
	)
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	lc.registerFlags(fs)
	fs.Uint64Var(&cfg.Seed, "eval.seed", cfg.Seed, "seed of the worlds and of the random baseline (default 1)")
	fs.IntVar(&cfg.Companies, "eval.companies", cfg.Companies, "companies per world; beyond the ~770 real profiles they are cloned under suffixed domains (default 10000)")
	fs.IntVar(&cfg.Weeks, "eval.weeks", cfg.Weeks, "weeks of signals per world (default 16)")
	fs.StringVar(&families, "eval.families", strings.Join(cfg.Families, ","), "comma-separated world families to evaluate: standard, heldout (default standard,heldout)")
	fs.IntVar(&cfg.LimitPrompts, "eval.limit-prompts", 0, "evaluate only this many prompts per world, spread over the prompt set, for quick runs; 0 means all (default 0)")
	fs.StringVar(&out, "eval.out", "", "file to write the Markdown report to, e.g. docs/EVALUATION.md; empty writes none (default empty)")
	fs.StringVar(&jsonOut, "eval.json", "", "file to write the full JSON report to, with per-prompt scores; empty writes none (default empty)")
	fs.DurationVar(&cfg.IngestTimeout, "eval.ingest-timeout", cfg.IngestTimeout, "how long to wait for one world's events to be ingested (duration) (default 10m)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	log, err := lc.logger(env.stderr)
	if err != nil {
		return err
	}
	cfg.Families = nil
	for f := range strings.SplitSeq(families, ",") {
		if f = strings.TrimSpace(f); f != "" {
			cfg.Families = append(cfg.Families, f)
		}
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("eval.*: %w", err)
	}
	cfg.Logger = log
	cfg.Progress = env.stderr

	start := time.Now()
	rep, err := eval.Run(ctx, cfg)
	if err != nil {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return errors.New("interrupted")
		}
		return err
	}
	fmt.Fprint(env.stdout, rep.Summary())
	if out != "" {
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return fmt.Errorf("eval.out: %w", err)
		}
		if err := os.WriteFile(out, []byte(rep.Markdown()), 0o644); err != nil {
			return fmt.Errorf("eval.out: %w", err)
		}
		log.Info("markdown report written", "file", out)
	}
	if jsonOut != "" {
		b, err := rep.JSON()
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(jsonOut), 0o755); err != nil {
			return fmt.Errorf("eval.json: %w", err)
		}
		if err := os.WriteFile(jsonOut, b, 0o644); err != nil {
			return fmt.Errorf("eval.json: %w", err)
		}
		log.Info("json report written", "file", jsonOut)
	}
	log.Info("evaluation done", "took", time.Since(start).Round(time.Second))
	return nil
}
