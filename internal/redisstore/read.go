package redisstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/scorer"
)

// Retrieve implements scorer.Retriever: the top companies of each query term's index,
// with their profiles, decayed term weights and baselines (in r.Terms order),
// document lengths and recent evidence.
//
// It reads in two round trips. First the head of every term's index (with the
// weights of its companies), the document frequencies and the collection
// statistics. Then, for the shortlist (the r.Shortlist companies of the heads that
// r.Prescore ranks highest, or all of them), every term's fast and baseline weights
// (fields of the company hash), and the records (profile, document length, deletion
// mark, evidence, stack) of the companies r.Cache does not hold.
func (s *Store) Retrieve(ctx context.Context, r scorer.Retrieval) ([]scorer.Candidate, scorer.CorpusStats, error) {
	stats := scorer.CorpusStats{DocFreq: make(map[string]int, len(r.Terms))}
	if len(r.Terms) == 0 {
		return nil, stats, nil
	}
	if err := s.checkLayout(ctx, false); err != nil {
		return nil, stats, err
	}
	perTerm := r.PerTerm
	if perTerm <= 0 {
		perTerm = 1000
	}
	nt := len(r.Terms)

	// Round 1: the head of every term's index, document frequencies, collection stats.
	pipe := s.rdb.Pipeline()
	heads := make([]*redis.ZSliceCmd, nt)
	cards := make([]*redis.IntCmd, nt)
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
	// head holds the decayed weight of a company for term i when the head of term
	// i holds it: the shortlist is chosen on those.
	var (
		domains []string
		index   map[string]int
		fast    = s.decay.At(1, r.Now)
		slow    = s.baseline.At(1, r.Now)
	)
	entries := 0
	for i := range r.Terms {
		entries += len(heads[i].Val())
	}
	index = make(map[string]int, entries)
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
	head := headTable{off: make([]int32, len(domains)+1), ent: make([]headEntry, entries)}
	for i := range r.Terms {
		for _, z := range heads[i].Val() {
			head.off[index[z.Member.(string)]+1]++
		}
	}
	for k := range domains {
		head.off[k+1] += head.off[k]
	}
	fill := slices.Clone(head.off[:len(domains)])
	for i := range r.Terms {
		for _, z := range heads[i].Val() {
			k := index[z.Member.(string)]
			head.ent[fill[k]] = headEntry{term: int32(i), w: z.Score * fast}
			fill[k]++
		}
	}
	if len(domains) == 0 {
		return nil, stats, nil
	}
	sel := s.shortlist(r, stats, domains, &head)
	stats.Shortlisted = len(sel) < len(domains)

	// Round 2: the weights, and the records the cache lacks.
	rows := make([]scorer.Record, len(sel))
	var missing []int
	for j, k := range sel {
		if r.Cache != nil {
			if rec, ok := r.Cache.Get(domains[k]); ok {
				rows[j] = rec
				continue
			}
		}
		missing = append(missing, j)
	}
	readAt := time.Now()
	if r.Cache != nil {
		readAt = r.Cache.Now()
	}
	pipe = s.rdb.Pipeline()
	// The weights are fields of the company hash; they are read fresh for every
	// query: with the record when the cache lacks it (after its own fields), alone
	// otherwise.
	fields := make([]string, nt)
	for i, t := range r.Terms {
		fields[i] = weightField(t)
	}
	recs := s.readRecords(ctx, pipe, domains, sel, missing, fields)
	weights := make([]*redis.SliceCmd, len(sel))
	weightsAt := make([]int, len(sel))
	for _, rc := range recs {
		weights[rc.row], weightsAt[rc.row] = rc.profile, len(recordFields)
	}
	for j, k := range sel {
		if weights[j] == nil {
			weights[j] = pipe.HMGet(ctx, companyKey(domains[k]), fields...)
		}
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return nil, stats, fmt.Errorf("read candidates: %w", err)
	}
	for _, rc := range recs {
		d := domains[sel[rc.row]]
		rec, err := s.decodeRecord(d, rc.profile.Val(), rc.evidence.Val(), rc.stack.Val())
		if err != nil {
			return nil, stats, err
		}
		rows[rc.row] = rec
		if r.Cache != nil {
			r.Cache.Put(d, readAt, rec)
		}
	}

	// The weights and baselines of every candidate, in r.Terms order, in one array.
	cands := make([]scorer.Candidate, len(sel))
	flat := make([]float64, 2*nt*len(sel))
	for j := range sel {
		rec := &rows[j]
		at := flat[2*nt*j:]
		cands[j] = scorer.Candidate{
			Profile:   rec.Profile,
			Weights:   at[:nt:nt],
			Baselines: at[nt : 2*nt : 2*nt],
			DocLength: s.decay.At(rec.DocLength, r.Now),
			Evidence:  rec.Evidence,
			Stack:     rec.Stack,
		}
		for i, v := range weights[j].Val()[weightsAt[j]:] {
			if f, b, ok := decodeWeights(v); ok {
				if f > 0 {
					cands[j].Weights[i] = f * fast
				}
				if b > 0 {
					cands[j].Baselines[i] = b * slow
				}
			}
		}
	}
	out := cands[:0]
	for j := range cands {
		if !rows[j].Deleted {
			out = append(out, cands[j])
		}
	}
	return out, stats, nil
}

// shortlist returns the positions in domains of the companies to read in full: all of
// them, or the r.Shortlist best by r.Prescore of their head weights (ties by domain).
func (s *Store) shortlist(r scorer.Retrieval, stats scorer.CorpusStats, domains []string, head *headTable) []int {
	row := make([]float64, len(r.Terms))
	sel := make([]int, len(domains))
	for k := range sel {
		sel[k] = k
	}
	if r.Shortlist <= 0 || r.Prescore == nil || len(domains) <= r.Shortlist {
		return sel
	}
	score := r.Prescore(stats)
	ps := make([]float64, len(domains))
	for k := range domains {
		ps[k] = score(head.row(k, row))
	}
	slices.SortFunc(sel, func(a, b int) int {
		if c := cmp.Compare(ps[b], ps[a]); c != 0 {
			return c
		}
		return strings.Compare(domains[a], domains[b])
	})
	return sel[:r.Shortlist]
}

// headTable holds the index-head weights of the companies of one query, sparsely:
// those of company k are ent[off[k]:off[k+1]], in term order.
type headTable struct {
	off []int32
	ent []headEntry
}

type headEntry struct {
	term int32
	w    float64
}

// row writes company k's head weights for every term into dst and returns it.
func (h *headTable) row(k int, dst []float64) []float64 {
	clear(dst)
	for _, e := range h.ent[h.off[k]:h.off[k+1]] {
		dst[e.term] = e.w
	}
	return dst
}

// recordCmds are the reads of one company's record.
type recordCmds struct {
	row      int // position in the shortlist
	profile  *redis.SliceCmd
	evidence *redis.StringSliceCmd
	stack    *redis.MapStringStringCmd
}

// recordFields are the company hash fields of a record: profile JSON, document
// length and deletion mark.
var recordFields = []string{"p", "len", "del"}

// readRecords queues the record reads of the shortlist positions rows; the reply of
// each company hash read holds the values of extra after those of recordFields.
func (s *Store) readRecords(ctx context.Context, pipe redis.Pipeliner, domains []string, sel, rows []int, extra []string) []recordCmds {
	out := make([]recordCmds, len(rows))
	hashFields := append(slices.Clip(recordFields), extra...)
	for n, j := range rows {
		d := domains[sel[j]]
		out[n] = recordCmds{
			row:      j,
			profile:  pipe.HMGet(ctx, companyKey(d), hashFields...),
			evidence: pipe.ZRevRange(ctx, evidenceKey(d), 0, int64(s.evidencePerCandidate()-1)),
			stack:    pipe.HGetAll(ctx, techKey(d)),
		}
	}
	return out
}

// decodeRecord decodes a company's hash fields p (profile JSON, nil when it has
// none), len and del, its evidence and its tech hash.
func (s *Store) decodeRecord(d string, hash []any, evidence []string, stack map[string]string) (scorer.Record, error) {
	rec := scorer.Record{Profile: scorer.Profile{Domain: d, Employees: -1}, DocLength: atof(hash[1]), Deleted: hash[2] != nil}
	if p, ok := hash[0].(string); ok {
		prof, err := decodeProfile(d, []byte(p))
		if err != nil {
			return rec, err
		}
		rec.Profile = prof
	}
	rec.Stack = decodeStack(stack)
	if len(evidence) > 0 {
		rec.Evidence = make([]scorer.Evidence, 0, len(evidence))
	}
	for _, raw := range evidence {
		var se storedEvidence
		if err := json.Unmarshal([]byte(raw), &se); err != nil {
			return rec, fmt.Errorf("decode evidence of %s: %w", d, err)
		}
		rec.Evidence = append(rec.Evidence, scorer.Evidence{
			EventID: se.EventID, Kind: se.Kind, Action: se.Action, Weight: se.Weight, Source: se.Source, URL: se.URL,
			Title: se.Title, Snippet: se.Snippet, ObservedAt: se.ObservedAt,
		})
	}
	return rec, nil
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
