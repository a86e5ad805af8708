package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/leadpoet/leadpoet/client"
)

// runQuery asks a running API for leads and prints them as a table.
func runQuery(ctx context.Context, args []string, env *environment) error {
	var (
		baseURL, key, location string
		limit                  int
		industries, sizes      string
		technologies, titles   string
		signals                bool
	)
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.StringVar(&baseURL, "query.url", "http://localhost:8000", "base URL of the API (default http://localhost:8000)")
	fs.StringVar(&key, "query.key", "", "API key (required; LEADPOET_QUERY_KEY)")
	fs.IntVar(&limit, "query.limit", 25, "leads to return, 1 to 2000 (default 25)")
	fs.StringVar(&industries, "query.industries", "", "comma-separated industries filter (default none)")
	fs.StringVar(&sizes, "query.company-size", "", "comma-separated company sizes: 1-10, 11-50, 51-200, 201-1000, 1000+ (default none)")
	fs.StringVar(&location, "query.location", "", "location filter, e.g. United States (default none)")
	fs.StringVar(&technologies, "query.technologies", "", "comma-separated technologies filter (default none)")
	fs.StringVar(&titles, "query.job-titles", "", "comma-separated contact job titles to prefer (default none)")
	fs.BoolVar(&signals, "query.signals", false, "print each lead's intent signals under it (default false)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	prompt := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if prompt == "" {
		return errors.New(`give the prompt as the argument: leadpoet query "Find SaaS companies looking for help desk software"`)
	}
	if key == "" {
		return errors.New("query.key (or LEADPOET_QUERY_KEY) is required")
	}
	req := client.QueryRequest{Query: prompt, Limit: limit}
	f := client.Filters{Industries: split(industries), CompanySize: split(sizes), Location: location,
		Technologies: split(technologies), JobTitles: split(titles)}
	if len(f.Industries)+len(f.CompanySize)+len(f.Technologies)+len(f.JobTitles) > 0 || f.Location != "" {
		req.Filters = &f
	}
	res, err := client.New(key, client.WithBaseURL(baseURL)).QueryLeads(ctx, req)
	if err != nil {
		return err
	}
	printLeads(env.stdout, res, signals)
	return nil
}

func split(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func printLeads(w io.Writer, res *client.QueryResponse, signals bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tSCORE\tCONF\tCOMPANY\tDOMAIN\tSIZE\tLOCATION\tCONTACT\tTOP SIGNAL")
	for i, l := range res.Leads {
		top := ""
		if len(l.IntentSignals) > 0 {
			top = l.IntentSignals[0]
		}
		contact := l.ContactInfo.Name
		if l.ContactInfo.Title != "" {
			contact += " (" + l.ContactInfo.Title + ")"
		}
		fmt.Fprintf(tw, "%d\t%.2f\t%.2f\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, l.Score, l.Confidence,
			l.CompanyName, l.Domain, l.CompanySize, l.Location, contact, top)
		if signals {
			for _, s := range l.IntentSignals[min(1, len(l.IntentSignals)):] {
				fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t%s\n", s)
			}
		}
	}
	tw.Flush()
	m := res.Metadata
	fmt.Fprintf(w, "\n%d of %d leads · %d ms · $%.6f · query %s\n", len(res.Leads), m.TotalLeads, m.ProcessingTimeMS, m.CostUSD, m.QueryID)
}
