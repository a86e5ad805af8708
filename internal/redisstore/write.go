package redisstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
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
	Terms    []TermWeight // each term once, in any order
	Tech     *TechChange
}

// TermWeight is a term's weighted count in a signal.
type TermWeight struct {
	Term   string
	Weight float64
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
// A company's weights of a term, fast and baseline, are one field of its company hash
// ("w:<term>", two little-endian doubles), read and written with one HMGET and one
// HSET per company: Lua packs and unpacks them with struct, so no weight is printed or
// parsed as text on the way. The new fast weights then go to the term indexes, grouped
// by term: one ZADD per index and chunk, which keeps that sorted set in the CPU caches
// of the server while it is updated. The index score is the hash's fast weight, so the
// index needs no read of its own (ZMSCORE before this layout, ZINCRBY before that).
//
// A chunk holds each company once and each company's terms once (groupByCompany and
// sum), which the HMGET and HSET of a company's weights rely on.
//
// KEYS: 1 stats hash, then per company: seen set, evidence zset, company hash, tech
// hash, then the index key of every term.
// ARGV: 1 max evidence, 2 company count, 3 term count, then per company: domain, event
// count, forward-decayed document length added, its weights packed, its events
// packed; then the terms. Weights are packed as records of a little-endian uint32
// (1-based position of the term in the chunk) and two little-endian float64 (fast,
// baseline); events as five strings each, every one preceded by its length as a
// little-endian uint32: id, evidence JSON, evidence score (ms), tech id ("" for none),
// tech state "change|ms". Lua reads both with struct.unpack, without parsing text,
// and a company takes five arguments however many events and terms it has.
var applySignals = redis.NewScript(`
local call, sunpack, spack = redis.call, struct.unpack, struct.pack
local max, nc, nt = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local pos = 4
local step = 1000
local companies, domains, dup = {}, {}, {}
for c = 1, nc do
  local k = 1 + 4 * (c - 1)
  local domain, ne, events = ARGV[pos], tonumber(ARGV[pos + 1]), ARGV[pos + 4]
  local ids, evidence, techs = {}, {}, {}
  local p = 1
  for e = 1, ne do
    local id, json, score, tid, tst
    id, json, score, tid, tst, p = sunpack('<I4c0I4c0I4c0I4c0I4c0', events, p)
    ids[e] = id
    evidence[2 * e - 1], evidence[2 * e] = score, json
    if tid ~= '' then techs[#techs + 1] = tid; techs[#techs + 1] = tst end
  end
  for i = 1, ne, step do
    local seen = call('SMISMEMBER', KEYS[k + 1], unpack(ids, i, math.min(i + step - 1, ne)))
    for j = 1, #seen do
      if seen[j] == 1 then dup[#dup + 1] = domain; dup[#dup + 1] = ids[i + j - 1] end
    end
  end
  domains[c] = domain
  companies[c] = {k, ne, ARGV[pos + 2], ARGV[pos + 3], ids, evidence, techs}
  pos = pos + 5
end
if #dup > 0 then return dup end

-- formats[m] unpacks m weight records at once.
local formats = {}
local function format(m)
  formats[m] = '<' .. string.rep('I4dd', m)
  return formats[m]
end
local fields, index = {}, {}
for t = 1, nt do
  fields[t] = 'w:' .. ARGV[pos + t - 1]
  index[t] = {}
end
local applied = 0
for c = 1, nc do
  local k, ne, len, packed, ids, evidence, techs = unpack(companies[c])
  for i = 1, ne, step do call('SADD', KEYS[k + 1], unpack(ids, i, math.min(i + step - 1, ne))) end
  for i = 1, #techs, 2 do
    local tid, tst = techs[i], techs[i + 1]
    local cur = call('HGET', KEYS[k + 4], tid)
    local at = tonumber(string.match(tst, '|(%d+)$'))
    local curAt = -1
    if cur then curAt = tonumber(string.match(cur, '|(%d+)$')) end
    if curAt < at or (curAt == at and cur < tst) then call('HSET', KEYS[k + 4], tid, tst) end
  end
  for i = 1, #evidence, 400 do
    call('ZADD', KEYS[k + 2], unpack(evidence, i, math.min(i + 399, #evidence)))
  end
  call('ZREMRANGEBYRANK', KEYS[k + 2], 0, -(max + 1))
  if tonumber(len) > 0 then
    if call('HEXISTS', KEYS[k + 3], 'len') == 0 then call('HINCRBY', KEYS[1], 'docs', 1) end
    call('HINCRBYFLOAT', KEYS[k + 3], 'len', len)
    call('HINCRBYFLOAT', KEYS[1], 'len', len)
  end
  local domain = domains[c]
  for at = 1, #packed, 20 * step do
    local m = math.min(step, (#packed - at + 1) / 20)
    local rec = {sunpack(formats[m] or format(m), packed, at)}
    local names = {}
    for j = 1, m do names[j] = fields[rec[3 * j - 2]] end
    local cur = call('HMGET', KEYS[k + 3], unpack(names))
    local set = {}
    for j = 1, m do
      local f, b = rec[3 * j - 1], rec[3 * j]
      local v = cur[j]
      if v and #v == 16 then -- else no weight yet, as Retrieve reads it
        local cf, cb = sunpack('<dd', v)
        f, b = cf + f, cb + b
      end
      set[2 * j - 1], set[2 * j] = names[j], spack('<dd', f, b)
      local ix = index[rec[3 * j - 2]]
      ix[#ix + 1] = f
      ix[#ix + 1] = domain
    end
    call('HSET', KEYS[k + 3], unpack(set))
  end
  applied = applied + ne
end
for t = 1, nt do
  local ix = index[t]
  for i = 1, #ix, 2 * step do
    call('ZADD', KEYS[1 + 4 * nc + t], unpack(ix, i, math.min(i + 2 * step - 1, #ix)))
  end
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

// Apply writes a batch of updates. Every update is idempotent, so a batch that is
// applied again after a failure changes nothing it already changed. The signals of
// one company are applied by one script call, together with those of other companies
// up to a bounded amount of work per call (maxChunkWork), so that a call never blocks
// the server for long. The calls go out in pipelines of about pipelineWork each, at
// most maxPipelines at a time: a pipeline is sent as soon as it is built, and the
// server works on it while the next one is encoded.
func (s *Store) Apply(ctx context.Context, profiles []ProfileUpdate, signals []SignalUpdate) error {
	if len(profiles) == 0 && len(signals) == 0 {
		return nil
	}
	if err := s.checkLayout(ctx, true); err != nil {
		return err
	}
	if err := s.loadScripts(ctx); err != nil {
		return err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, maxPipelines)
	)
	send := func(write func() error) {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := write(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	if len(profiles) > 0 {
		send(func() error { return s.applyProfiles(ctx, profiles) })
	}
	var piece []*companyBatch
	work := 0
	pos := make(map[string]int)
	for _, c := range groupByCompany(signals) {
		if err := s.encode(c, pos); err != nil {
			wg.Wait()
			return err
		}
		piece = append(piece, c)
		if work += len(c.events) + len(c.terms); work >= pipelineWork {
			chunks := chunkCompanies(piece)
			send(func() error { return s.applyChunks(ctx, chunks) })
			piece, work = nil, 0
		}
	}
	if len(piece) > 0 {
		chunks := chunkCompanies(piece)
		send(func() error { return s.applyChunks(ctx, chunks) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// pipelineWork is the events plus (company, term) pairs sent in one pipeline, about
// 16 script calls; maxPipelines bounds the pipelines in flight of one Apply.
const (
	pipelineWork = 16 * maxChunkWork
	maxPipelines = 2
)

func (s *Store) applyProfiles(ctx context.Context, profiles []ProfileUpdate) error {
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
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("apply online store profiles: %w", err)
	}
	return nil
}

// applyChunks applies chunks of companies' signals in one pipeline; a chunk that
// holds events applied before was not written, and goes out again without them.
func (s *Store) applyChunks(ctx context.Context, chunks [][]*companyBatch) error {
	pipe := s.rdb.Pipeline()
	for len(chunks) > 0 {
		cmds := make([]*redis.Cmd, len(chunks))
		for i, ch := range chunks {
			keys, args := s.chunkArgs(ch)
			cmds[i] = applySignals.EvalSha(ctx, pipe, keys, args...)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("apply online store batch: %w", err)
		}
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
		chunks = again
	}
	return nil
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
	terms    []termWeight // unordered
}

// termWeight is a company's forward-decayed weight of a term in a batch, under the
// fast and the baseline decay.
type termWeight struct {
	term       string
	fast, base float64
}

// groupByCompany groups signal updates by company, in the order of first appearance,
// and keeps the first of events with the same id.
func groupByCompany(signals []SignalUpdate) []*companyBatch {
	index := make(map[string]*companyBatch)
	var out []*companyBatch
	seen := make(map[[2]string]struct{}, len(signals))
	for i := range signals {
		u := &signals[i]
		id := [2]string{u.Domain, u.EventID}
		if _, ok := seen[id]; ok {
			continue
		}
		seen[id] = struct{}{}
		c := index[u.Domain]
		if c == nil {
			c = &companyBatch{domain: u.Domain}
			index[u.Domain] = c
			out = append(out, c)
		}
		c.events = append(c.events, u)
	}
	return out
}

// encode encodes a company's evidence and sums its term weights per term, in the
// order of its events; pos is scratch space.
func (s *Store) encode(c *companyBatch, pos map[string]int) error {
	size := 0
	for _, u := range c.events {
		size += evidenceSize(u)
	}
	buf := make([]byte, 0, size) // one allocation; the items slice it
	c.evidence = make([][]byte, len(c.events))
	for i, u := range c.events {
		start := len(buf)
		var err error
		if buf, err = appendEvidence(buf, u.EventID, &u.Evidence); err != nil {
			return fmt.Errorf("encode evidence %s: %w", u.EventID, err)
		}
		c.evidence[i] = buf[start:len(buf):len(buf)]
	}
	s.sum(c, pos)
	return nil
}

// evidenceSize is about the length of an evidence item's JSON: its strings, unless
// they need escaping, and the field names and time.
func evidenceSize(u *SignalUpdate) int {
	ev := &u.Evidence
	return 128 + len(u.EventID) + len(ev.Kind) + len(ev.Action) + len(ev.Source) + len(ev.URL) + len(ev.Title) + len(ev.Snippet)
}

// sum computes a company's document length and per-term weights from its events;
// pos is scratch space.
func (s *Store) sum(c *companyBatch, pos map[string]int) {
	clear(pos)
	c.lenAdd = 0
	c.terms = c.terms[:0]
	for _, u := range c.events {
		// Forward is w·2^x: the factors are computed once per event, with the same
		// results.
		ff, fb := s.decay.Forward(1, u.Evidence.ObservedAt), s.baseline.Forward(1, u.Evidence.ObservedAt)
		var total float64
		for _, tw := range u.Terms {
			w := tw.Weight
			total += w
			i, ok := pos[tw.Term]
			if !ok {
				i = len(c.terms)
				pos[tw.Term] = i
				c.terms = append(c.terms, termWeight{term: tw.Term})
			}
			c.terms[i].fast += w * ff
			c.terms[i].base += w * fb
		}
		c.lenAdd += total * ff
	}
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
func (s *Store) chunkArgs(chunk []*companyBatch) ([]string, []any) {
	termIndex := map[string]int{}
	var terms []string
	npairs := 0
	for _, c := range chunk {
		for _, t := range c.terms {
			if _, ok := termIndex[t.term]; !ok {
				termIndex[t.term] = 0
				terms = append(terms, t.term)
			}
		}
		npairs += len(c.terms)
	}
	sort.Strings(terms)
	for i, t := range terms {
		termIndex[t] = i
	}
	size := recordSize * npairs
	for _, c := range chunk {
		for i, u := range c.events {
			size += 5*4 + len(u.EventID) + len(c.evidence[i]) + 20
			if u.Tech != nil {
				size += len(u.Tech.ID) + len(u.Tech.Change) + 21
			}
		}
	}
	buf := make([]byte, 0, size) // sized so that it does not grow: one allocation
	keys := make([]string, 0, 1+4*len(chunk)+len(terms))
	keys = append(keys, statsKey)
	args := make([]any, 0, 3+5*len(chunk)+len(terms))
	args = append(args, s.cfg.MaxEvidence, len(chunk), len(terms))
	for _, c := range chunk {
		keys = append(keys, seenKey(c.domain), evidenceKey(c.domain), companyKey(c.domain), techKey(c.domain))
		start := len(buf)
		for _, t := range c.terms {
			buf = appendRecord(buf, termIndex[t.term]+1, t.fast, t.base)
		}
		weights := buf[start:len(buf):len(buf)]
		start = len(buf)
		for i, u := range c.events {
			buf = appendEvent(buf, u, c.evidence[i])
		}
		args = append(args, c.domain, len(c.events), formatFloat(c.lenAdd), weights, buf[start:len(buf):len(buf)])
	}
	for _, t := range terms {
		keys = append(keys, indexKey(t))
		args = append(args, t)
	}
	return keys, args
}

// appendEvent appends one packed event of applySignals: its id, evidence JSON,
// evidence score (Unix ms), tech id and tech state, each after its length.
func appendEvent(b []byte, u *SignalUpdate, evidence []byte) []byte {
	field := func(b []byte, n int) []byte { return binary.LittleEndian.AppendUint32(b, uint32(n)) }
	b = append(field(b, len(u.EventID)), u.EventID...)
	b = append(field(b, len(evidence)), evidence...)
	at := len(b)
	b = strconv.AppendInt(field(b, 0), u.Evidence.ObservedAt.UnixMilli(), 10)
	binary.LittleEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	if u.Tech == nil {
		return field(field(b, 0), 0)
	}
	b = append(field(b, len(u.Tech.ID)), u.Tech.ID...)
	at = len(b)
	b = append(field(b, 0), u.Tech.Change...)
	b = strconv.AppendInt(append(b, '|'), u.Tech.At.UnixMilli(), 10)
	binary.LittleEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	return b
}

// recordSize is the size of one packed (term position, fast, baseline) record.
const recordSize = 4 + 8 + 8

// appendRecord appends one packed (term position, fast, baseline) record of
// applySignals.
func appendRecord(b []byte, pos int, fast, base float64) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(pos))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(fast))
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(base))
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', 17, 64) }
