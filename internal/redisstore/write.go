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

// applySignal applies one signal once.
// KEYS: 1 seen set, 2 evidence zset, 3 company hash, 4 stats hash, 5 tech hash,
// then pairs of (fast index key, baseline index key) per term.
// ARGV: 1 event id, 2 evidence JSON, 3 evidence score (ms), 4 max evidence, 5 domain,
// 6 forward-decayed document length, 7 tech id ("" for none), 8 tech state
// "change|ms", then pairs of forward-decayed (fast, baseline) weights per term.
var applySignal = redis.NewScript(`
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
local n = redis.call('ZCARD', KEYS[2])
local max = tonumber(ARGV[4])
if n > max then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, n - max - 1) end
if tonumber(ARGV[6]) > 0 then
  if redis.call('HEXISTS', KEYS[3], 'len') == 0 then redis.call('HINCRBY', KEYS[4], 'docs', 1) end
  redis.call('HINCRBYFLOAT', KEYS[3], 'len', ARGV[6])
  redis.call('HINCRBYFLOAT', KEYS[4], 'len', ARGV[6])
end
if ARGV[7] ~= '' then
  local cur = redis.call('HGET', KEYS[5], ARGV[7])
  local at = tonumber(string.match(ARGV[8], '|(%d+)$'))
  local curAt = -1
  if cur then curAt = tonumber(string.match(cur, '|(%d+)$')) end
  if curAt < at or (curAt == at and cur < ARGV[8]) then
    redis.call('HSET', KEYS[5], ARGV[7], ARGV[8])
  end
end
for i = 6, #KEYS, 2 do
  redis.call('ZINCRBY', KEYS[i], ARGV[i + 3], ARGV[5])
  redis.call('ZINCRBY', KEYS[i + 1], ARGV[i + 4], ARGV[5])
end
return 1
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
	for _, u := range signals {
		keys, args, err := s.signalArgs(u)
		if err != nil {
			return err
		}
		applySignal.EvalSha(ctx, pipe, keys, args...)
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
	for _, sc := range []*redis.Script{upsertProfile, applySignal} {
		if err := sc.Load(ctx, s.rdb).Err(); err != nil {
			return fmt.Errorf("load redis script: %w", err)
		}
	}
	return nil
}

func (s *Store) signalArgs(u SignalUpdate) ([]string, []any, error) {
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
	keys := make([]string, 0, 5+2*len(u.Terms))
	keys = append(keys, seenKey(u.Domain), evidenceKey(u.Domain), companyKey(u.Domain), statsKey, techKey(u.Domain))
	args := make([]any, 0, 8+2*len(u.Terms))
	args = append(args, u.EventID, data, ev.ObservedAt.UnixMilli(), s.cfg.MaxEvidence, u.Domain,
		formatFloat(s.decay.Forward(total, ev.ObservedAt)), techID, techState)
	for _, term := range sortedTerms(u.Terms) {
		w := u.Terms[term]
		keys = append(keys, indexKey(term), baselineKey(term))
		args = append(args, formatFloat(s.decay.Forward(w, ev.ObservedAt)), formatFloat(s.baseline.Forward(w, ev.ObservedAt)))
	}
	return keys, args, nil
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', 17, 64) }
