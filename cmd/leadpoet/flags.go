package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// envName maps a flag name onto its environment variable: "kafka.brokers" →
// LEADPOET_KAFKA_BROKERS. The one rule for every flag.
func envName(flagName string) string {
	r := strings.NewReplacer(".", "_", "-", "_")
	return "LEADPOET_" + strings.ToUpper(r.Replace(flagName))
}

// parseFlags parses args, then fills every flag not given on the command line from its
// LEADPOET_* environment variable: the command line wins.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: leadpoet %s [flags]\n\n", fs.Name())
		fmt.Fprintf(out, "Every flag can also be set by its environment variable: kafka.brokers is LEADPOET_KAFKA_BROKERS.\n\nFlags:\n")
		// Every usage text states its default, so the flag package's own "(default …)"
		// is left out.
		fs.VisitAll(func(f *flag.Flag) {
			kind, usage := flag.UnquoteUsage(f)
			head := "  -" + f.Name
			if kind != "" {
				head += " " + kind
			}
			fmt.Fprintf(out, "%s\n    \t%s\n", head, strings.ReplaceAll(usage, "\n", "\n    \t"))
		})
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("environment %s: %w", envName(f.Name), e)
			}
		}
	})
	return err
}
