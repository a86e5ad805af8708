// Package keystore keeps the API keys in Redis and authenticates them: it is the
// api.KeyChecker of `leadpoet api` and `leadpoet dev`, and what `leadpoet keys`
// creates, lists and revokes keys with.
//
// A key's secret ("lp_" and 43 base-62 characters, 32 random bytes) is shown
// once, when it is created; Redis holds only its SHA-256. Layout (all keys in one
// Redis Cluster slot, by the {apikeys} hash tag, so that creating a key is one
// transaction):
//
//	lp:{apikeys}:h:<sha256 hex>  string  the key's record, JSON: id, name, scopes, plan,
//	                                     created_at, revoked_at (null while active), key_hash
//	lp:{apikeys}:ids             hash    key id → sha256 hex, to list and revoke keys by id
//
// Authenticating a key is one GET of its hash's record; the record's stored hash
// is then compared with the presented key's in constant time (crypto/subtle).
// Revoked keys keep their record, so that `keys list` shows them.
package keystore

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/api"
)

// SecretPrefix starts every secret the store creates.
const SecretPrefix = "lp_"

const (
	secretBytes  = 32
	secretDigits = 43 // base-62 digits of 2^256 - 1
	idPrefix     = "lpk_"
	maxNameLen   = 100
)

// Errors of the store.
var (
	// ErrNotFound is returned for a key id the store does not know.
	ErrNotFound = errors.New("no such API key")
	// ErrInvalid is wrapped by the errors of a Spec the store refuses.
	ErrInvalid = errors.New("invalid key spec")

	errCorrupt = errors.New("corrupt API key record")
)

// Record is what the store knows about a key: never its secret.
type Record struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Scopes    []string   `json:"scopes"`
	Plan      string     `json:"plan"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"` // nil while the key is active
}

// Revoked reports whether the key was revoked.
func (r Record) Revoked() bool { return r.RevokedAt != nil }

// stored is a Record as kept in Redis, with the hash it is filed under.
type stored struct {
	Record
	KeyHash string `json:"key_hash"`
}

// Spec describes a key to create.
type Spec struct {
	Name   string   // a label for people, 1–100 characters
	Scopes []string // a non-empty subset of api.Scopes()
	Plan   string   // one of Options.Plans
}

// Options configure a Store.
type Options struct {
	// Plans are the plan names keys may be created on. Nil means the names of
	// api.DefaultPlans().
	Plans []string
	// Clock stamps created_at and revoked_at. Nil means time.Now.
	Clock func() time.Time
}

// Store is the key store. It is safe for concurrent use.
type Store struct {
	rdb   redis.UniversalClient
	plans []string
	now   func() time.Time
}

// New returns a Store over rdb.
func New(rdb redis.UniversalClient, opts Options) *Store {
	s := &Store{rdb: rdb, plans: opts.Plans, now: opts.Clock}
	if s.plans == nil {
		s.plans = api.DefaultPlans().Names()
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

func recordKey(hash string) string { return "lp:{apikeys}:h:" + hash }

const idsKey = "lp:{apikeys}:ids"

// unavailable marks a Redis failure as an outage (503 for API clients).
func unavailable(action string, err error) error {
	return fmt.Errorf("%s: %w: %w", action, api.ErrUnavailable, err)
}

// Check implements api.KeyChecker: it returns the key's id, scopes and plan, or
// an error wrapping api.ErrUnknownKey for a key that is unknown or revoked, or
// api.ErrUnavailable when Redis cannot be reached.
func (s *Store) Check(ctx context.Context, key string) (api.KeyInfo, error) {
	if key == "" {
		return api.KeyInfo{}, api.ErrUnknownKey
	}
	hash := api.HashKey(key)
	raw, err := s.rdb.Get(ctx, recordKey(hash)).Bytes()
	if errors.Is(err, redis.Nil) {
		return api.KeyInfo{}, api.ErrUnknownKey
	}
	if err != nil {
		return api.KeyInfo{}, unavailable("look up API key", err)
	}
	var rec stored
	if err := json.Unmarshal(raw, &rec); err != nil {
		return api.KeyInfo{}, fmt.Errorf("%w: %w", errCorrupt, err)
	}
	if subtle.ConstantTimeCompare([]byte(rec.KeyHash), []byte(hash)) != 1 {
		return api.KeyInfo{}, fmt.Errorf("record filed under another hash: %w", api.ErrUnknownKey)
	}
	if rec.Revoked() {
		return api.KeyInfo{}, fmt.Errorf("key %s was revoked: %w", rec.ID, api.ErrUnknownKey)
	}
	return api.KeyInfo{ID: rec.ID, Scopes: rec.Scopes, Plan: rec.Plan}, nil
}

// Create makes a new key and returns its secret, which is not kept: the caller
// must hand it over now. Only its SHA-256 is stored.
func (s *Store) Create(ctx context.Context, spec Spec) (secret string, rec Record, err error) {
	secret = NewSecret()
	rec, err = s.Add(ctx, secret, spec)
	return secret, rec, err
}

// Add stores a key whose secret the caller chose (the dev key given by
// -dev.api-key). If the secret is already stored, its record is returned as it
// is, revoked or not.
func (s *Store) Add(ctx context.Context, secret string, spec Spec) (Record, error) {
	if secret == "" {
		return Record{}, fmt.Errorf("%w: the secret is empty", ErrInvalid)
	}
	spec, err := s.validate(spec)
	if err != nil {
		return Record{}, err
	}
	hash := api.HashKey(secret)
	rec := stored{
		Record: Record{
			Name:      spec.Name,
			Scopes:    spec.Scopes,
			Plan:      spec.Plan,
			CreatedAt: s.now().UTC().Truncate(time.Second),
		},
		KeyHash: hash,
	}
	for range 5 { // ids are random; retry the unlikely collision
		rec.ID = newID()
		raw, err := json.Marshal(rec)
		if err != nil {
			return Record{}, err
		}
		var set, claimed *redis.BoolCmd
		_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			set = p.SetNX(ctx, recordKey(hash), raw, 0)
			claimed = p.HSetNX(ctx, idsKey, rec.ID, hash)
			return nil
		})
		if err != nil {
			return Record{}, unavailable("store API key", err)
		}
		switch {
		case set.Val() && claimed.Val():
			return rec.Record, nil
		case !set.Val():
			// The secret is already stored: undo the id claim, return the record.
			if claimed.Val() {
				if err := s.rdb.HDel(ctx, idsKey, rec.ID).Err(); err != nil {
					return Record{}, unavailable("store API key", err)
				}
			}
			return s.byHash(ctx, hash)
		default:
			// The id was taken: the record is stored, under another id; retry.
			if err := s.rdb.Del(ctx, recordKey(hash)).Err(); err != nil {
				return Record{}, unavailable("store API key", err)
			}
		}
	}
	return Record{}, errors.New("store API key: no free key id after 5 attempts")
}

func (s *Store) validate(spec Spec) (Spec, error) {
	spec.Name = strings.TrimSpace(spec.Name)
	if n := utf8.RuneCountInString(spec.Name); n == 0 || n > maxNameLen {
		return spec, fmt.Errorf("%w: the name must be 1 to %d characters", ErrInvalid, maxNameLen)
	}
	if len(spec.Scopes) == 0 {
		return spec, fmt.Errorf("%w: give at least one scope of %s", ErrInvalid, strings.Join(api.Scopes(), ", "))
	}
	var scopes []string
	for _, sc := range spec.Scopes {
		sc = strings.TrimSpace(sc)
		if !slices.Contains(api.Scopes(), sc) {
			return spec, fmt.Errorf("%w: unknown scope %q; scopes are %s", ErrInvalid, sc, strings.Join(api.Scopes(), ", "))
		}
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	spec.Scopes = scopes
	if !slices.Contains(s.plans, spec.Plan) {
		return spec, fmt.Errorf("%w: unknown plan %q; plans are %s", ErrInvalid, spec.Plan, strings.Join(s.plans, ", "))
	}
	return spec, nil
}

// byHash reads the record filed under hash.
func (s *Store) byHash(ctx context.Context, hash string) (Record, error) {
	raw, err := s.rdb.Get(ctx, recordKey(hash)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Record{}, ErrNotFound
	}
	if err != nil {
		return Record{}, unavailable("read API key", err)
	}
	var rec stored
	if err := json.Unmarshal(raw, &rec); err != nil {
		return Record{}, fmt.Errorf("%w: %w", errCorrupt, err)
	}
	return rec.Record, nil
}

// List returns every key, revoked ones included, oldest first.
func (s *Store) List(ctx context.Context) ([]Record, error) {
	ids, err := s.rdb.HGetAll(ctx, idsKey).Result()
	if err != nil {
		return nil, unavailable("list API keys", err)
	}
	cmds := make([]*redis.StringCmd, 0, len(ids))
	if len(ids) > 0 {
		_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, hash := range ids {
				cmds = append(cmds, p.Get(ctx, recordKey(hash)))
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, unavailable("list API keys", err)
		}
	}
	recs := make([]Record, 0, len(cmds))
	for _, cmd := range cmds {
		raw, err := cmd.Bytes()
		if errors.Is(err, redis.Nil) {
			continue // an id whose record is being replaced
		}
		if err != nil {
			return nil, unavailable("list API keys", err)
		}
		var rec stored
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil, fmt.Errorf("%w: %w", errCorrupt, err)
		}
		recs = append(recs, rec.Record)
	}
	slices.SortFunc(recs, func(a, b Record) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return recs, nil
}

// Revoke revokes the key with id: from then on it authenticates nothing. Revoking
// a revoked key changes nothing. It returns the key's record, or ErrNotFound.
func (s *Store) Revoke(ctx context.Context, id string) (Record, error) {
	hash, err := s.rdb.HGet(ctx, idsKey, id).Result()
	if errors.Is(err, redis.Nil) {
		return Record{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return Record{}, unavailable("revoke API key", err)
	}
	key := recordKey(hash)
	var rec stored
	// Optimistic transaction: the record may not change between read and write.
	err = s.rdb.Watch(ctx, func(tx *redis.Tx) error {
		raw, err := tx.Get(ctx, key).Bytes()
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return fmt.Errorf("%w: %w", errCorrupt, err)
		}
		if rec.Revoked() {
			return nil
		}
		at := s.now().UTC().Truncate(time.Second)
		rec.RevokedAt = &at
		out, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, out, 0)
			return nil
		})
		return err
	}, key)
	switch {
	case errors.Is(err, redis.Nil):
		return Record{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	case errors.Is(err, redis.TxFailedErr):
		return Record{}, fmt.Errorf("revoke API key %s: changed concurrently; retry", id)
	case errors.Is(err, errCorrupt):
		return Record{}, err
	case err != nil:
		return Record{}, unavailable("revoke API key", err)
	}
	return rec.Record, nil
}

// NewSecret returns a new secret: SecretPrefix and 32 random bytes in base 62,
// 43 characters.
func NewSecret() string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	digits := new(big.Int).SetBytes(b).Text(62)
	return SecretPrefix + strings.Repeat("0", secretDigits-len(digits)) + digits
}

// newID returns a key id: "lpk_" and 16 hex digits.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s%x", idPrefix, b)
}
