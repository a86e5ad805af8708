package pipelines

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// Source is the history a rebuild reads: ClickHouse.
type Source interface {
	CountRows(ctx context.Context) (companies, signals uint64, err error)
	EachLatestCompany(ctx context.Context, fn func(chstore.CompanyRow) error) error
	EachSignal(ctx context.Context, fn func(chstore.SignalRow) error) error
}

// rebuildBatch is how many updates one online-store write carries during a rebuild.
const rebuildBatch = 2000

// Rebuild recomputes the online store from the history: every company's latest
// profile, then every distinct signal, through the same evidence extraction live
// ingest uses. The caller empties the online store first (redisstore.Flush). progress,
// when not nil, is called with the rows done so far and the total.
func Rebuild(ctx context.Context, src Source, online Online, tax *scorer.Taxonomy, progress func(done, total int64)) error {
	nc, ns, err := src.CountRows(ctx)
	if err != nil {
		return err
	}
	total, done := int64(nc+ns), int64(0)
	report := func(n int) {
		done += int64(n)
		if progress != nil {
			progress(done, total)
		}
	}
	var profiles []redisstore.ProfileUpdate
	err = src.EachLatestCompany(ctx, func(row chstore.CompanyRow) error {
		e, err := companyFromRow(row)
		if err != nil {
			return err
		}
		profiles = append(profiles, redisstore.ProfileUpdate{Profile: companyProfile(e), Version: e.OccurredAt.UnixNano(), Deleted: e.Deleted})
		if len(profiles) == rebuildBatch {
			if err := online.Apply(ctx, profiles, nil); err != nil {
				return err
			}
			report(len(profiles))
			profiles = profiles[:0]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebuild profiles: %w", err)
	}
	if err := online.Apply(ctx, profiles, nil); err != nil {
		return fmt.Errorf("rebuild profiles: %w", err)
	}
	report(len(profiles))

	var updates []redisstore.SignalUpdate
	t := newTerms(tax)
	err = src.EachSignal(ctx, func(row chstore.SignalRow) error {
		u, err := updateFromRow(row, t)
		if err != nil {
			return err
		}
		updates = append(updates, u)
		if len(updates) == rebuildBatch {
			if err := online.Apply(ctx, nil, updates); err != nil {
				return err
			}
			report(len(updates))
			updates = updates[:0]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebuild signals: %w", err)
	}
	if err := online.Apply(ctx, nil, updates); err != nil {
		return fmt.Errorf("rebuild signals: %w", err)
	}
	report(len(updates))
	return nil
}

// companyFromRow turns a stored profile back into the event it was ingested from.
func companyFromRow(r chstore.CompanyRow) (*schemas.Company, error) {
	e := &schemas.Company{
		Common:      schemas.Common{EventID: r.EventID, OccurredAt: r.OccurredAt, Domain: r.Domain, Source: r.Source},
		CompanyName: r.CompanyName, Industry: r.Industry,
		Location:    schemas.Location{City: r.City, Region: r.Region, Country: r.Country},
		Description: r.Description, Technologies: r.Technologies, Deleted: r.Deleted,
	}
	if len(e.Technologies) == 0 {
		e.Technologies = nil
	}
	if r.Employees >= 0 {
		n := int(r.Employees)
		e.Employees = &n
	}
	if r.Contacts != "" && r.Contacts != "null" {
		if err := json.Unmarshal([]byte(r.Contacts), &e.Contacts); err != nil {
			return nil, fmt.Errorf("contacts of %s: %w", r.Domain, err)
		}
	}
	return e, nil
}

// updateFromRow turns a stored signal back into its online-store update.
func updateFromRow(r chstore.SignalRow, t *terms) (redisstore.SignalUpdate, error) {
	c := schemas.Common{EventID: r.EventID, OccurredAt: r.OccurredAt, Domain: r.Domain, Source: r.Source}
	switch r.Kind {
	case chstore.KindJob:
		return jobUpdate(&schemas.Job{Common: c, Title: r.Title, Description: r.Text, Location: r.Topic, URL: r.URL}, t), nil
	case chstore.KindSite:
		return siteUpdate(&schemas.Site{Common: c, URL: r.URL, Title: r.Title, Text: r.Text}, t), nil
	case chstore.KindActivity:
		return activityUpdate(&schemas.Activity{Common: c, Action: r.Action, Topic: r.Topic, Text: r.Text,
			URL: r.URL, Count: int(r.Count), ActorTitle: r.Title}, t), nil
	case chstore.KindTech:
		return techUpdate(&schemas.Tech{Common: c, Technology: r.Title, Change: r.Change, Category: r.Topic}, r.Technology, t), nil
	}
	return redisstore.SignalUpdate{}, fmt.Errorf("signal %s has unknown kind %q", r.EventID, r.Kind)
}
