// Command leadpoet is the Leadpoet intent engine: one binary whose subcommands run the
// API, the ingest consumers, everything at once for development, and the tooling.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "1.1.0-dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env *environment) error
}

func commands() []command {
	return []command{
		{"dev", "run API, ingest, an embedded Kafka broker and local stores in one process, and load the demo data", runDev},
		{"api", "serve the HTTP API", runAPI},
		{"ingest", "consume the Kafka topics into ClickHouse and Redis", runIngest},
		{"rebuild", "recompute the Redis online store from the ClickHouse history", runRebuild},
		{"dlq", "list or replay dead-lettered records (leadpoet dlq list|replay)", runDLQ},
		{"query", "ask a running API for leads and print them as a table (leadpoet query \"…\")", runQuery},
		{"produce", "send JSON lines from a file or stdin (or the demo data set) to a Kafka topic", runProduce},
		{"keys", "create, list and revoke API keys in Redis", runKeys},
		{"eval", "measure ranking quality end to end on synthetic worlds against baselines", runEval},
		{"version", "print the version", func(_ context.Context, _ []string, env *environment) error {
			fmt.Fprintln(env.stdout, "leadpoet", version)
			return nil
		}},
	}
}

// environment is what main hands every subcommand.
type environment struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Leadpoet: B2B intent engine.\n\nUsage: leadpoet <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'leadpoet <command> -h' for the flags of a command.\n")
}

func main() {
	os.Exit(run(os.Args[1:], &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

func run(args []string, env *environment) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err := c.run(ctx, args[1:], env)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		default:
			fmt.Fprintf(env.stderr, "leadpoet %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(env.stderr, "leadpoet: unknown command %q\n\n", args[0])
	usage(env.stderr)
	return 2
}

// logConfig is the log.* flags every long-running command has.
type logConfig struct {
	level  string
	format string
}

func (c *logConfig) registerFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.level, "log.level", "info", "log level: debug, info, warn or error (default info)")
	fs.StringVar(&c.format, "log.format", "text", "log format: text or json (default text)")
}

func (c *logConfig) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.level)); err != nil {
		return nil, fmt.Errorf("log.level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch c.format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("log.format must be text or json, got %q", c.format)
	}
}
