package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/scorer"
)

// Retrieve implements scorer.Retriever: the top companies of each query term's index,
// with their profiles, decayed term weights, document lengths and recent evidence.
func (s *Store) Retrieve(ctx context.Context, r scorer.Retrieval) ([]scorer.Candidate, scorer.CorpusStats, error) {
	stats := scorer.CorpusStats{DocFreq: make(map[string]int, len(r.Terms))}
	if len(r.Terms) == 0 {
		return nil, stats, nil
	}
	perTerm := r.PerTerm
	if perTerm <= 0 {
		perTerm = 1000
	}

	// Round 1: the head of every term's index, document frequencies, collection stats.
	pipe := s.rdb.Pipeline()
	heads := make([]*redis.ZSliceCmd, len(r.Terms))
	cards := make([]*redis.IntCmd, len(r.Terms))
	for i, t := range r.Terms {
		heads[i] = pipe.ZRevRangeWithScores(ctx, indexKey(t), 0, int64(perTerm-1))
		cards[i] = pipe.ZCard(ctx, indexKey(t))
	}
	statsCmd := pipe.HMGet(ctx, statsKey, "docs", "len")
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, stats, fmt.Errorf("read term indexes: %w", err)
	}
	vals := statsCmd.Val()
	stats.Companies = atoi(vals[0])
	if stats.Companies > 0 {
		stats.AvgDocLength = s.decay.At(atof(vals[1]), r.Now) / float64(stats.Companies)
	}
	var domains []string
	index := make(map[string]int)
	for i, t := range r.Terms {
		stats.DocFreq[t] = int(cards[i].Val())
		for _, z := range heads[i].Val() {
			d := z.Member.(string)
			if _, ok := index[d]; !ok {
				index[d] = len(domains)
				domains = append(domains, d)
			}
		}
	}
	if len(domains) == 0 {
		return nil, stats, nil
	}

	// Round 2: every candidate's weight for every term, profile, baseline weights
	// and evidence.
	pipe = s.rdb.Pipeline()
	weights := make([]*redis.FloatSliceCmd, len(r.Terms))
	fields := []string{"p", "len", "del"}
	for i, t := range r.Terms {
		weights[i] = pipe.ZMScore(ctx, indexKey(t), domains...)
		fields = append(fields, baselineField(t))
	}
	profiles := make([]*redis.SliceCmd, len(domains))
	evidence := make([]*redis.StringSliceCmd, len(domains))
	stacks := make([]*redis.MapStringStringCmd, len(domains))
	for i, d := range domains {
		profiles[i] = pipe.HMGet(ctx, companyKey(d), fields...)
		evidence[i] = pipe.ZRevRange(ctx, evidenceKey(d), 0, int64(s.evidencePerCandidate()-1))
		stacks[i] = pipe.HGetAll(ctx, techKey(d))
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return nil, stats, fmt.Errorf("read candidates: %w", err)
	}

	out := make([]scorer.Candidate, 0, len(domains))
	for i, d := range domains {
		pv := profiles[i].Val()
		if pv[2] != nil { // deleted company
			continue
		}
		c := scorer.Candidate{
			Profile:     scorer.Profile{Domain: d, Employees: -1},
			TermWeights: make(map[string]float64, len(r.Terms)),
			Baseline:    make(map[string]float64, len(r.Terms)),
			DocLength:   s.decay.At(atof(pv[1]), r.Now),
		}
		if p, ok := pv[0].(string); ok {
			prof, err := decodeProfile(d, []byte(p))
			if err != nil {
				return nil, stats, err
			}
			c.Profile = prof
		}
		for ti, t := range r.Terms {
			if w := weights[ti].Val()[i]; w > 0 {
				c.TermWeights[t] = s.decay.At(w, r.Now)
			}
			if w := atof(pv[3+ti]); w > 0 {
				c.Baseline[t] = s.baseline.At(w, r.Now)
			}
		}
		c.Stack = decodeStack(stacks[i].Val())
		for _, raw := range evidence[i].Val() {
			var se storedEvidence
			if err := json.Unmarshal([]byte(raw), &se); err != nil {
				return nil, stats, fmt.Errorf("decode evidence of %s: %w", d, err)
			}
			c.Evidence = append(c.Evidence, scorer.Evidence{
				EventID: se.EventID, Kind: se.Kind, Action: se.Action, Weight: se.Weight, Source: se.Source, URL: se.URL,
				Title: se.Title, Snippet: se.Snippet, ObservedAt: se.ObservedAt,
			})
		}
		out = append(out, c)
	}
	return out, stats, nil
}

// decodeStack reads the tech hash: technology id → "change|unix ms".
func decodeStack(m map[string]string) map[string]scorer.TechState {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]scorer.TechState, len(m))
	for id, v := range m {
		change, ms, ok := strings.Cut(v, "|")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(ms, 10, 64)
		if err != nil {
			continue
		}
		out[id] = scorer.TechState{Change: change, At: time.UnixMilli(n).UTC()}
	}
	return out
}

func (s *Store) evidencePerCandidate() int {
	if s.cfg.MaxEvidence < 10 {
		return s.cfg.MaxEvidence
	}
	return 10
}

func sortedTerms(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func atoi(v any) int {
	s, _ := v.(string)
	n, _ := strconv.Atoi(s)
	return n
}

func atof(v any) float64 {
	s, _ := v.(string)
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
