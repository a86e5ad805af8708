package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/keystore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
)

const keysUsage = `Usage: leadpoet keys <create|list|revoke> [flags]

  create -name NAME [-scopes query,quality:read] [-plan standard]
         creates a key and prints its secret on stdout, once: only its SHA-256 is kept
  list   [-json]
         lists the keys: id, name, scopes, plan, created, revoked; never secrets
  revoke ID
         revokes the key with id ID: it authenticates nothing from then on

Every subcommand takes the redis.* flags; run 'leadpoet keys <subcommand> -h'.
`

// runKeys manages the API keys in Redis.
func runKeys(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.stdout, keysUsage)
		if len(args) == 0 {
			return errors.New("missing subcommand: create, list or revoke")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	var (
		rc     redisstore.Config
		name   string
		scopes string
		plan   string
		asJSON bool
	)
	fs := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	rc.RegisterFlags(fs)
	switch sub {
	case "create":
		fs.StringVar(&name, "name", "", "label of the key, 1-100 characters (required; default none)")
		fs.StringVar(&scopes, "scopes", api.ScopeQuery, "comma-separated scopes: "+strings.Join(api.Scopes(), ", ")+" (default "+api.ScopeQuery+")")
		fs.StringVar(&plan, "plan", api.PlanStandard, "plan of the key: "+strings.Join(api.DefaultPlans().Names(), ", ")+" (default "+api.PlanStandard+")")
	case "list":
		fs.BoolVar(&asJSON, "json", false, "print the keys as a JSON array (default false: a table)")
	case "revoke":
	default:
		return fmt.Errorf("unknown subcommand %q: want create, list or revoke", sub)
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	switch {
	case sub == "revoke" && len(pos) != 1:
		return errors.New("revoke takes one key id, as listed by 'leadpoet keys list'")
	case sub != "revoke" && len(pos) != 0:
		return fmt.Errorf("%s takes no arguments, got %q", sub, pos)
	case sub == "create" && strings.TrimSpace(name) == "":
		return errors.New("create: -name is required")
	}
	if err := rc.Validate(); err != nil {
		return err
	}
	rdb := redis.NewClient(&redis.Options{
		Addr:            rc.Addr,
		Password:        rc.Password,
		DB:              rc.DB,
		DialTimeout:     rc.DialTimeout,
		PoolSize:        1,
		DisableIdentity: true, // Redis 7.0
	})
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis at %s (redis.addr): %w", rc.Addr, err)
	}
	ks := keystore.New(rdb, keystore.Options{})

	switch sub {
	case "create":
		secret, rec, err := ks.Create(ctx, keystore.Spec{Name: name, Scopes: strings.Split(scopes, ","), Plan: plan})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.stdout, secret)
		fmt.Fprintf(env.stderr, "created API key %s (name %q, scopes %s, plan %s); the secret above is shown only now: store it safely\n",
			rec.ID, rec.Name, strings.Join(rec.Scopes, ","), rec.Plan)
	case "list":
		recs, err := ks.List(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			enc := json.NewEncoder(env.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(recs)
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSCOPES\tPLAN\tCREATED\tREVOKED")
		for _, r := range recs {
			revoked := "-"
			if r.RevokedAt != nil {
				revoked = r.RevokedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, strings.Join(r.Scopes, ","), r.Plan, r.CreatedAt.UTC().Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		rec, err := ks.Revoke(ctx, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "revoked API key %s (name %q) at %s\n", rec.ID, rec.Name, rec.RevokedAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// parseInterleaved parses flags given before and after the positional
// arguments ("revoke ID -redis.addr=…"), and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// apiKeys is how the API authenticates: the keys of -auth.keys-file, then the key
// store in Redis.
func apiKeys(static api.StaticKeys, rdb redis.UniversalClient, plans api.Plans) api.KeyChecker {
	return api.ChainKeys{static, keystore.New(rdb, keystore.Options{Plans: plans.Names()})}
}

// devKey stores the dev key in the key store, with every scope on the default
// plan: the secret given by -dev.api-key, or a new one. It returns the secret.
func devKey(ctx context.Context, rdb redis.UniversalClient, secret, plan string) (string, error) {
	ks := keystore.New(rdb, keystore.Options{})
	spec := keystore.Spec{Name: "leadpoet dev demo key", Scopes: api.Scopes(), Plan: plan}
	if secret == "" {
		secret, _, err := ks.Create(ctx, spec)
		if err != nil {
			return "", fmt.Errorf("create dev API key: %w", err)
		}
		return secret, nil
	}
	rec, err := ks.Add(ctx, secret, spec)
	if err != nil {
		return "", fmt.Errorf("store dev API key (dev.api-key): %w", err)
	}
	if rec.Revoked() {
		return "", fmt.Errorf("dev.api-key: that key was revoked at %s; choose another", rec.RevokedAt.Format(time.RFC3339))
	}
	return secret, nil
}
