package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
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

// applySignals applies the signals of one company, each at most once, in one call.
// Term weights of the events that are new are summed per term first, so each index
// is incremented once per batch however many of the company's events mention a term.
//
// KEYS: 1 seen set, 2 evidence zset, 3 company hash, 4 stats hash, 5 tech hash, then
// pairs of (fast index key, baseline index key), one pair per distinct term.
// ARGV: 1 domain, 2 max evidence, 3 event count, then per event: id, evidence JSON,
// evidence score (ms), forward-decayed document length, tech id ("" for none), tech
// state "change|ms", term count, and per term: the KEYS position of its fast index
// key, its forward-decayed fast weight and its forward-decayed baseline weight.
var applySignals = redis.NewScript(`
local domain = ARGV[1]
local max = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local pos = 4
local fast, base = {}, {}
local lenAdd = 0
local evidence = {}
for e = 1, n do
  local id, ev, sc = ARGV[pos], ARGV[pos + 1], ARGV[pos + 2]
  local len = tonumber(ARGV[pos + 3])
  local tid, tst = ARGV[pos + 4], ARGV[pos + 5]
  local nt = tonumber(ARGV[pos + 6])
  pos = pos + 7
  if redis.call('SADD', KEYS[1], id) == 1 then
    evidence[#evidence + 1] = sc
    evidence[#evidence + 1] = ev
    lenAdd = lenAdd + len
    if tid ~= '' then
      local cur = redis.call('HGET', KEYS[5], tid)
      local at = tonumber(string.match(tst, '|(%d+)$'))
      local curAt = -1
      if cur then curAt = tonumber(string.match(cur, '|(%d+)$')) end
      if curAt < at or (curAt == at and cur < tst) then redis.call('HSET', KEYS[5], tid, tst) end
    end
    for t = 1, nt do
      local k = tonumber(ARGV[pos])
      fast[k] = (fast[k] or 0) + tonumber(ARGV[pos + 1])
      base[k] = (base[k] or 0) + tonumber(ARGV[pos + 2])
      pos = pos + 3
    end
  else
    pos = pos + 3 * nt
  end
end
for i = 1, #evidence, 400 do
  redis.call('ZADD', KEYS[2], unpack(evidence, i, math.min(i + 399, #evidence)))
end
if #evidence > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(max + 1)) end
if lenAdd > 0 then
  if redis.call('HEXISTS', KEYS[3], 'len') == 0 then redis.call('HINCRBY', KEYS[4], 'docs', 1) end
  redis.call('HINCRBYFLOAT', KEYS[3], 'len', lenAdd)
  redis.call('HINCRBYFLOAT', KEYS[4], 'len', lenAdd)
end
for k, w in pairs(fast) do
  redis.call('ZINCRBY', KEYS[k], w, domain)
  redis.call('ZINCRBY', KEYS[k + 1], base[k], domain)
end
return #evidence / 2
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
	for _, group := range byCompany(signals) {
		keys, args, err := s.companyArgs(group)
		if err != nil {
			return err
		}
		applySignals.EvalSha(ctx, pipe, keys, args...)
	}
	cmds, err := pipe.Exec(ctx)
	if err != nil {
		for _, c := range cmds {
			if c.Err() != nil {
				return fmt.Errorf("apply online store batch: %w", c.Err())
			}
		}
		return fmt.Errorf("apply online store batch: %w", err)
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

// byCompany groups signal updates by domain, keeping the order of first appearance
// and, within a company, the order of the batch.
func byCompany(signals []SignalUpdate) [][]SignalUpdate {
	index := make(map[string]int)
	var groups [][]SignalUpdate
	for _, u := range signals {
		i, ok := index[u.Domain]
		if !ok {
			i = len(groups)
			index[u.Domain] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], u)
	}
	return groups
}

// companyArgs builds the keys and arguments of applySignals for one company's updates.
func (s *Store) companyArgs(group []SignalUpdate) ([]string, []any, error) {
	domain := group[0].Domain
	keys := []string{seenKey(domain), evidenceKey(domain), companyKey(domain), statsKey, techKey(domain)}
	termPos := map[string]int{}
	args := []any{domain, s.cfg.MaxEvidence, len(group)}
	for _, u := range group {
		ev := u.Evidence
		data, err := json.Marshal(storedEvidence{
			EventID: u.EventID, Kind: ev.Kind, Action: ev.Action, Weight: ev.Weight, Source: ev.Source, URL: ev.URL,
			Title: ev.Title, Snippet: ev.Snippet, ObservedAt: ev.ObservedAt.UTC(),
		})
		if err != nil {
			return nil, nil, fmt.Errorf("encode evidence %s: %w", u.EventID, err)
		}
		var total float64
		for _, w := range u.Terms {
			total += w
		}
		techID, techState := "", ""
		if u.Tech != nil {
			techID = u.Tech.ID
			techState = u.Tech.Change + "|" + strconv.FormatInt(u.Tech.At.UnixMilli(), 10)
		}
		args = append(args, u.EventID, data, ev.ObservedAt.UnixMilli(),
			formatFloat(s.decay.Forward(total, ev.ObservedAt)), techID, techState, len(u.Terms))
		for _, term := range sortedTerms(u.Terms) {
			p, ok := termPos[term]
			if !ok {
				keys = append(keys, indexKey(term), baselineKey(term))
				p = len(keys) - 1 // Lua's 1-based position of the fast index key
				termPos[term] = p
			}
			w := u.Terms[term]
			args = append(args, p, formatFloat(s.decay.Forward(w, ev.ObservedAt)), formatFloat(s.baseline.Forward(w, ev.ObservedAt)))
		}
	}
	return keys, args, nil
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', 17, 64) }
