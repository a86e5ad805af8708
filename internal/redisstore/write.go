package redisstore

import (
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

// ProfileUpdate replaces a company's profile when Version is newer than the stored one.
type ProfileUpdate struct {
	Profile scorer.Profile
	Version int64 // occurred_at in Unix nanoseconds
	Deleted bool
}

// SignalUpdate applies one signal event to a company: its evidence, the weighted term
// frequencies of its text and, for a technographic change, the technology's state.
type SignalUpdate struct {
	EventID  string
	Domain   string
	Evidence scorer.Evidence
	Terms    map[string]float64 // term -> weighted count in the signal
	Tech     *TechChange
}

// TechChange is a technographic change carried by a signal.
type TechChange struct {
	ID     string // canonical technology id
	Change string // "added" or "removed"
	At     time.Time
}

// upsertProfile sets the profile when ARGV[2] (version) is newer than the stored one.
// KEYS[1] company hash. ARGV[1] profile JSON, ARGV[2] version, ARGV[3] "1" to delete.
var upsertProfile = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'v')
if cur and tonumber(cur) >= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'del', '1')
  redis.call('HDEL', KEYS[1], 'p')
else
  redis.call('HSET', KEYS[1], 'p', ARGV[1], 'v', ARGV[2])
  redis.call('HDEL', KEYS[1], 'del')
end
return 1
`)

// applySignals applies the signals of a chunk of companies, each event at most once,
// in one call. The caller has summed the term weights of each company's events per
// term, assuming every event is new; if any event was applied before, the script
// writes nothing and returns the (domain, event id) pairs already applied, so that
// the caller can send the chunk again without them. Otherwise it applies every
// company of the chunk and returns the number of events applied.
//
// A company's baseline weights are fields of its company hash, read and written with
// one HMGET and one HSET. The index increments are grouped by term: one ZMSCORE and
// one ZADD per index and chunk, which keeps that sorted set in the CPU caches of the
// server (one ZINCRBY per company and term, grouped by company, touched a cold sorted
// set each time and cost about twice as much). The sums are the same double
// additions ZINCRBY makes: scores travel as 17 significant digits, which round-trip.
//
// KEYS: 1 stats hash, then per company: seen set, evidence zset, company hash, tech
// hash, then the index key of every term.
// ARGV: 1 max evidence, 2 company count, then per company: domain, event count,
// forward-decayed document length added, term count, per event: id, evidence JSON,
// evidence score (ms), tech id ("" for none), tech state "change|ms", and per term:
// baseline field, forward-decayed baseline weight; then per term: the KEYS position
// of its index key, member count, and per member: domain, forward-decayed weight.
var applySignals = redis.NewScript(`
local max = tonumber(ARGV[1])
local nc = tonumber(ARGV[2])
local pos = 3
local step = 1000
local companies = {}
local dup = {}
for c = 1, nc do
  local k = 1 + 4 * (c - 1)
  local domain, ne, nb = ARGV[pos], tonumber(ARGV[pos + 1]), tonumber(ARGV[pos + 3])
  local first = pos + 4
  local ids = {}
  for e = 0, ne - 1 do ids[e + 1] = ARGV[first + 5 * e] end
  for i = 1, ne, step do
    local seen = redis.call('SMISMEMBER', KEYS[k + 1], unpack(ids, i, math.min(i + step - 1, ne)))
    for j = 1, #seen do
      if seen[j] == 1 then dup[#dup + 1] = domain; dup[#dup + 1] = ids[i + j - 1] end
    end
  end
  companies[c] = {k, ne, ARGV[pos + 2], first, ids, nb}
  pos = first + 5 * ne + 2 * nb
end
if #dup > 0 then return dup end
local applied = 0
for c = 1, nc do
  local k, ne, len, first, ids, nb = unpack(companies[c])
  for i = 1, ne, step do redis.call('SADD', KEYS[k + 1], unpack(ids, i, math.min(i + step - 1, ne))) end
  local evidence = {}
  for e = 0, ne - 1 do
    local p = first + 5 * e
    evidence[#evidence + 1] = ARGV[p + 2]
    evidence[#evidence + 1] = ARGV[p + 1]
    local tid, tst = ARGV[p + 3], ARGV[p + 4]
    if tid ~= '' then
      local cur = redis.call('HGET', KEYS[k + 4], tid)
      local at = tonumber(string.match(tst, '|(%d+)$'))
      local curAt = -1
      if cur then curAt = tonumber(string.match(cur, '|(%d+)$')) end
      if curAt < at or (curAt == at and cur < tst) then redis.call('HSET', KEYS[k + 4], tid, tst) end
    end
  end
  for i = 1, #evidence, 400 do
    redis.call('ZADD', KEYS[k + 2], unpack(evidence, i, math.min(i + 399, #evidence)))
  end
  redis.call('ZREMRANGEBYRANK', KEYS[k + 2], 0, -(max + 1))
  if tonumber(len) > 0 then
    if redis.call('HEXISTS', KEYS[k + 3], 'len') == 0 then redis.call('HINCRBY', KEYS[1], 'docs', 1) end
    redis.call('HINCRBYFLOAT', KEYS[k + 3], 'len', len)
    redis.call('HINCRBYFLOAT', KEYS[1], 'len', len)
  end
  local b = first + 5 * ne
  for i = 0, nb - 1, step do
    local n = math.min(step, nb - i)
    local fields = {}
    for j = 0, n - 1 do fields[j + 1] = ARGV[b + 2 * (i + j)] end
    local cur = redis.call('HMGET', KEYS[k + 3], unpack(fields))
    local set = {}
    for j = 1, n do
      set[2 * j - 1] = fields[j]
      set[2 * j] = (tonumber(cur[j]) or 0) + tonumber(ARGV[b + 2 * (i + j) - 1])
    end
    redis.call('HSET', KEYS[k + 3], unpack(set))
  end
  applied = applied + ne
end
while pos <= #ARGV do
  local key = KEYS[tonumber(ARGV[pos])]
  local n = tonumber(ARGV[pos + 1])
  pos = pos + 2
  for i = 0, n - 1, step do
    local m = math.min(step, n - i)
    local members = {}
    for j = 1, m do members[j] = ARGV[pos + 2 * (i + j - 1)] end
    local cur = redis.call('ZMSCORE', key, unpack(members))
    local set = {}
    for j = 1, m do
      set[2 * j - 1] = (tonumber(cur[j]) or 0) + tonumber(ARGV[pos + 2 * (i + j - 1) + 1])
      set[2 * j] = members[j]
    end
    redis.call('ZADD', key, unpack(set))
  end
  pos = pos + 2 * n
end
return applied
`)

type storedProfile struct {
	Name         string          `json:"name"`
	Industry     string          `json:"industry,omitempty"`
	Employees    int             `json:"employees"`
	SizeBucket   string          `json:"size,omitempty"`
	City         string          `json:"city,omitempty"`
	Region       string          `json:"region,omitempty"`
	Country      string          `json:"country,omitempty"`
	Description  string          `json:"description,omitempty"`
	Technologies []string        `json:"tech,omitempty"`
	Contacts     []storedContact `json:"contacts,omitempty"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

type storedContact struct {
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

type storedEvidence struct {
	EventID    string    `json:"id"`
	Kind       string    `json:"kind"`
	Action     string    `json:"action,omitempty"`
	Weight     float64   `json:"w,omitempty"`
	Source     string    `json:"source,omitempty"`
	URL        string    `json:"url,omitempty"`
	Title      string    `json:"title,omitempty"`
	Snippet    string    `json:"snippet,omitempty"`
	ObservedAt time.Time `json:"at"`
}

func encodeProfile(p scorer.Profile) ([]byte, error) {
	sp := storedProfile{
		Name: p.Name, Industry: p.Industry, Employees: p.Employees, SizeBucket: p.SizeBucket,
		City: p.City, Region: p.Region, Country: p.Country, Description: p.Description,
		Technologies: p.Technologies, UpdatedAt: p.UpdatedAt.UTC(),
	}
	for _, c := range p.Contacts {
		sp.Contacts = append(sp.Contacts, storedContact(c))
	}
	return json.Marshal(sp)
}

func decodeProfile(domain string, data []byte) (scorer.Profile, error) {
	var sp storedProfile
	if err := json.Unmarshal(data, &sp); err != nil {
		return scorer.Profile{}, fmt.Errorf("decode profile of %s: %w", domain, err)
	}
	p := scorer.Profile{
		Domain: domain, Name: sp.Name, Industry: sp.Industry, Employees: sp.Employees,
		SizeBucket: sp.SizeBucket, City: sp.City, Region: sp.Region, Country: sp.Country,
		Description: sp.Description, Technologies: sp.Technologies, UpdatedAt: sp.UpdatedAt,
	}
	for _, c := range sp.Contacts {
		p.Contacts = append(p.Contacts, scorer.Contact(c))
	}
	return p, nil
}

// Apply writes a batch of updates in one pipeline. Every update is idempotent, so a
// batch that is applied again after a failure changes nothing it already changed.
// The signals of one company are applied by one script call, together with those of
// other companies up to a bounded amount of work per call (maxChunkWork), so that a
// call never blocks the server for long.
func (s *Store) Apply(ctx context.Context, profiles []ProfileUpdate, signals []SignalUpdate) error {
	if len(profiles) == 0 && len(signals) == 0 {
		return nil
	}
	if err := s.loadScripts(ctx); err != nil {
		return err
	}
	pipe := s.rdb.Pipeline()
	for _, u := range profiles {
		data, err := encodeProfile(u.Profile)
		if err != nil {
			return fmt.Errorf("encode profile of %s: %w", u.Profile.Domain, err)
		}
		del := "0"
		if u.Deleted {
			del = "1"
		}
		upsertProfile.EvalSha(ctx, pipe, []string{companyKey(u.Profile.Domain)}, data, u.Version, del)
	}
	companies, err := s.prepare(signals)
	if err != nil {
		return err
	}
	chunks := chunkCompanies(companies)
	for {
		cmds := make([]*redis.Cmd, len(chunks))
		for i, ch := range chunks {
			keys, args := s.chunkArgs(ch)
			cmds[i] = applySignals.EvalSha(ctx, pipe, keys, args...)
		}
		if pipe.Len() == 0 {
			return nil
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("apply online store batch: %w", err)
		}
		// A chunk that holds events applied before was not written: send it again
		// without them.
		var again [][]*companyBatch
		for i, c := range cmds {
			dup, ok := c.Val().([]any)
			if !ok {
				continue
			}
			if ch := s.withoutApplied(chunks[i], dup); len(ch) > 0 {
				again = append(again, ch)
			}
		}
		if len(again) == 0 {
			return nil
		}
		chunks = again
	}
}

func (s *Store) loadScripts(ctx context.Context) error {
	for _, sc := range []*redis.Script{upsertProfile, applySignals} {
		if err := sc.Load(ctx, s.rdb).Err(); err != nil {
			return fmt.Errorf("load redis script: %w", err)
		}
	}
	return nil
}

// maxChunkWork bounds the events plus (company, term) pairs of one applySignals call.
// Larger chunks group more index increments per term; smaller ones block the server
// for less time (about 3 µs per pair on a 2-core machine, so about 12 ms a call).
const maxChunkWork = 4000

// companyBatch is one company's new events of a batch, with their term weights
// summed per term.
type companyBatch struct {
	domain   string
	events   []*SignalUpdate
	evidence [][]byte
	lenAdd   float64      // forward-decayed document length
	terms    []termWeight // sorted by term
}

// termWeight is a company's forward-decayed weight of a term in a batch, under the
// fast and the baseline decay.
type termWeight struct {
	term       string
	fast, base float64
}

// prepare groups signal updates by company, in the order of first appearance, keeps
// the first of events with the same id, encodes their evidence and sums their term
// weights per term in the order of the batch.
func (s *Store) prepare(signals []SignalUpdate) ([]*companyBatch, error) {
	index := make(map[string]int)
	var out []*companyBatch
	seen := make(map[[2]string]bool, len(signals))
	for i := range signals {
		u := &signals[i]
		if seen[[2]string{u.Domain, u.EventID}] {
			continue
		}
		seen[[2]string{u.Domain, u.EventID}] = true
		j, ok := index[u.Domain]
		if !ok {
			j = len(out)
			index[u.Domain] = j
			out = append(out, &companyBatch{domain: u.Domain})
		}
		ev := u.Evidence
		data, err := json.Marshal(storedEvidence{
			EventID: u.EventID, Kind: ev.Kind, Action: ev.Action, Weight: ev.Weight, Source: ev.Source, URL: ev.URL,
			Title: ev.Title, Snippet: ev.Snippet, ObservedAt: ev.ObservedAt.UTC(),
		})
		if err != nil {
			return nil, fmt.Errorf("encode evidence %s: %w", u.EventID, err)
		}
		out[j].events = append(out[j].events, u)
		out[j].evidence = append(out[j].evidence, data)
	}
	pos := make(map[string]int)
	for _, c := range out {
		s.sum(c, pos)
	}
	return out, nil
}

// sum computes a company's document length and per-term weights from its events;
// pos is scratch space.
func (s *Store) sum(c *companyBatch, pos map[string]int) {
	clear(pos)
	c.lenAdd = 0
	c.terms = c.terms[:0]
	for _, u := range c.events {
		var total float64
		for _, w := range u.Terms {
			total += w
		}
		c.lenAdd += s.decay.Forward(total, u.Evidence.ObservedAt)
		// Forward is w·2^x: the factor is computed once per event, with the same result.
		ff, fb := s.decay.Forward(1, u.Evidence.ObservedAt), s.baseline.Forward(1, u.Evidence.ObservedAt)
		for term, w := range u.Terms {
			i, ok := pos[term]
			if !ok {
				i = len(c.terms)
				pos[term] = i
				c.terms = append(c.terms, termWeight{term: term})
			}
			c.terms[i].fast += w * ff
			c.terms[i].base += w * fb
		}
	}
	slices.SortFunc(c.terms, func(a, b termWeight) int { return strings.Compare(a.term, b.term) })
}

// withoutApplied returns chunk without the (domain, event id) pairs of dup, which
// were applied before; companies left without events are dropped.
func (s *Store) withoutApplied(chunk []*companyBatch, dup []any) []*companyBatch {
	applied := make(map[[2]string]bool, len(dup)/2)
	for i := 0; i+1 < len(dup); i += 2 {
		d, _ := dup[i].(string)
		id, _ := dup[i+1].(string)
		applied[[2]string{d, id}] = true
	}
	var out []*companyBatch
	for _, c := range chunk {
		n := &companyBatch{domain: c.domain}
		for i, u := range c.events {
			if !applied[[2]string{c.domain, u.EventID}] {
				n.events = append(n.events, u)
				n.evidence = append(n.evidence, c.evidence[i])
			}
		}
		if len(n.events) > 0 {
			s.sum(n, map[string]int{})
			out = append(out, n)
		}
	}
	return out
}

// chunkCompanies splits companies into chunks of at most maxChunkWork events and
// term pairs; a company is never split.
func chunkCompanies(companies []*companyBatch) [][]*companyBatch {
	var out [][]*companyBatch
	var cur []*companyBatch
	work := 0
	for _, c := range companies {
		w := len(c.events) + len(c.terms)
		if len(cur) > 0 && work+w > maxChunkWork {
			out = append(out, cur)
			cur, work = nil, 0
		}
		cur = append(cur, c)
		work += w
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// chunkArgs builds the keys and arguments of applySignals for a chunk of companies.
// Weights are formatted into one buffer, and each domain is boxed once, to keep the
// allocations per term pair down.
func (s *Store) chunkArgs(chunk []*companyBatch) ([]string, []any) {
	type member struct {
		domain any
		fast   []byte
	}
	nargs, nterms := 2, 0
	for _, c := range chunk {
		nargs += 4 + 5*len(c.events) + 2*len(c.terms)
		nterms += len(c.terms)
	}
	buf := make([]byte, 0, 24*(2*nterms+len(chunk))) // never grows: slices of it stay valid
	format := func(f float64) []byte {
		start := len(buf)
		buf = strconv.AppendFloat(buf, f, 'g', 17, 64)
		return buf[start:len(buf):len(buf)]
	}
	keys := make([]string, 0, 1+4*len(chunk))
	keys = append(keys, statsKey)
	args := make([]any, 0, nargs+3*nterms)
	args = append(args, s.cfg.MaxEvidence, len(chunk))
	byTerm := map[string][]member{}
	for _, c := range chunk {
		keys = append(keys, seenKey(c.domain), evidenceKey(c.domain), companyKey(c.domain), techKey(c.domain))
		var domain any = c.domain
		args = append(args, domain, len(c.events), format(c.lenAdd), len(c.terms))
		for i, u := range c.events {
			techID, techState := "", ""
			if u.Tech != nil {
				techID = u.Tech.ID
				techState = u.Tech.Change + "|" + strconv.FormatInt(u.Tech.At.UnixMilli(), 10)
			}
			args = append(args, u.EventID, c.evidence[i], u.Evidence.ObservedAt.UnixMilli(), techID, techState)
		}
		for _, t := range c.terms {
			args = append(args, baselineField(t.term), format(t.base))
			byTerm[t.term] = append(byTerm[t.term], member{domain, format(t.fast)})
		}
	}
	terms := make([]string, 0, len(byTerm))
	for t := range byTerm {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	for _, t := range terms {
		keys = append(keys, indexKey(t))
		ms := byTerm[t]
		args = append(args, len(keys), len(ms)) // Lua's 1-based position of the index key
		for _, m := range ms {
			args = append(args, m.domain, m.fast)
		}
	}
	return keys, args
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', 17, 64) }
