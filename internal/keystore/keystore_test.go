package keystore_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/keystore"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/scorer"
)

func newRedis(t testing.TB, addr string) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, DisableIdentity: true})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// newStore returns a store on a fresh Redis with a clock that starts at
// 2024-12-19T10:30:00Z and moves one second per reading.
func newStore(t testing.TB) (*keystore.Store, *redis.Client) {
	t.Helper()
	rdb := newRedis(t, testkit.Redis(t))
	var mu sync.Mutex
	now := time.Date(2024, 12, 19, 10, 30, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
	return keystore.New(rdb, keystore.Options{Clock: clock}), rdb
}

var secretRE = regexp.MustCompile(`^lp_[0-9A-Za-z]{43}$`)

func TestCreateCheckListRevoke(t *testing.T) {
	ctx := t.Context()
	ks, rdb := newStore(t)
	secret, rec, err := ks.Create(ctx, keystore.Spec{Name: " reporting ", Scopes: []string{"query", "quality:read", "query"}, Plan: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	if !secretRE.MatchString(secret) {
		t.Errorf("secret %q is not lp_ and 43 base-62 characters", secret)
	}
	if !regexp.MustCompile(`^lpk_[0-9a-f]{16}$`).MatchString(rec.ID) || rec.Name != "reporting" ||
		!slices.Equal(rec.Scopes, []string{"query", "quality:read"}) || rec.Plan != "standard" || rec.Revoked() ||
		!rec.CreatedAt.Equal(time.Date(2024, 12, 19, 10, 30, 1, 0, time.UTC)) {
		t.Errorf("record %+v", rec)
	}

	// Only the hash is stored: no Redis value or key holds the secret.
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		v, _ := rdb.Dump(ctx, k).Result()
		if strings.Contains(k, secret) || strings.Contains(v, secret) || strings.Contains(v, secret[3:]) {
			t.Errorf("Redis key %s holds the secret", k)
		}
		if k != "lp:{apikeys}:ids" && k != "lp:{apikeys}:h:"+api.HashKey(secret) {
			t.Errorf("unexpected Redis key %s", k)
		}
	}

	info, err := ks.Check(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if info.ID != rec.ID || !slices.Equal(info.Scopes, rec.Scopes) || info.Plan != "standard" {
		t.Errorf("Check = %+v, want the record's id, scopes and plan", info)
	}
	for _, bad := range []string{"", secret + "x", secret[:len(secret)-1], api.HashKey(secret), strings.ToUpper(secret)} {
		if _, err := ks.Check(ctx, bad); !errors.Is(err, api.ErrUnknownKey) {
			t.Errorf("Check(%q) = %v, want ErrUnknownKey", bad, err)
		}
	}

	_, second, err := ks.Create(ctx, keystore.Spec{Name: "admin", Scopes: api.Scopes(), Plan: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := ks.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != rec.ID || list[1].ID != second.ID {
		t.Fatalf("List = %+v, want the two keys, oldest first", list)
	}

	revoked, err := ks.Revoke(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !revoked.Revoked() || revoked.RevokedAt.Before(rec.CreatedAt) {
		t.Errorf("revoked record %+v", revoked)
	}
	if _, err := ks.Check(ctx, secret); !errors.Is(err, api.ErrUnknownKey) {
		t.Errorf("Check of a revoked key = %v, want ErrUnknownKey", err)
	}
	again, err := ks.Revoke(ctx, rec.ID)
	if err != nil || !again.RevokedAt.Equal(*revoked.RevokedAt) {
		t.Errorf("second Revoke = %+v, %v; want the first revocation kept", again, err)
	}
	list, _ = ks.List(ctx)
	if len(list) != 2 || !list[0].Revoked() || list[1].Revoked() {
		t.Errorf("List after revoking the first = %+v", list)
	}
	if _, err := ks.Revoke(ctx, "lpk_0000000000000000"); !errors.Is(err, keystore.ErrNotFound) {
		t.Errorf("Revoke of an unknown id = %v, want ErrNotFound", err)
	}
}

func TestSecretsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		s := keystore.NewSecret()
		if !secretRE.MatchString(s) || seen[s] {
			t.Fatalf("secret %q: malformed or repeated", s)
		}
		seen[s] = true
	}
}

func TestSpecValidation(t *testing.T) {
	ks, _ := newStore(t)
	tests := []struct {
		name string
		spec keystore.Spec
		want string
	}{
		{"no name", keystore.Spec{Name: "  ", Scopes: []string{"query"}, Plan: "standard"}, "name"},
		{"long name", keystore.Spec{Name: strings.Repeat("n", 101), Scopes: []string{"query"}, Plan: "standard"}, "name"},
		{"no scopes", keystore.Spec{Name: "x", Plan: "standard"}, "scope"},
		{"unknown scope", keystore.Spec{Name: "x", Scopes: []string{"query", "write"}, Plan: "standard"}, `"write"`},
		{"unknown plan", keystore.Spec{Name: "x", Scopes: []string{"query"}, Plan: "gold"}, `"gold"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ks.Create(t.Context(), tt.spec)
			if !errors.Is(err, keystore.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Create = %v, want ErrInvalid naming %s", err, tt.want)
			}
		})
	}
	if list, _ := ks.List(t.Context()); len(list) != 0 {
		t.Errorf("invalid specs stored keys: %+v", list)
	}
}

func TestAddIsIdempotent(t *testing.T) {
	ctx := t.Context()
	ks, _ := newStore(t)
	spec := keystore.Spec{Name: "dev", Scopes: api.Scopes(), Plan: "standard"}
	a, err := ks.Add(ctx, "my-dev-key", spec)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ks.Add(ctx, "my-dev-key", spec)
	if err != nil || b.ID != a.ID {
		t.Errorf("second Add = %+v, %v; want the first record %s", b, err, a.ID)
	}
	if list, _ := ks.List(ctx); len(list) != 1 {
		t.Errorf("List = %+v, want one key", list)
	}
	if info, err := ks.Check(ctx, "my-dev-key"); err != nil || info.ID != a.ID {
		t.Errorf("Check = %+v, %v", info, err)
	}
}

// TestRecordUnderAnotherHash: a record filed under a hash that is not its own
// authenticates nothing.
func TestRecordUnderAnotherHash(t *testing.T) {
	ctx := t.Context()
	ks, rdb := newStore(t)
	secret, _, err := ks.Create(ctx, keystore.Spec{Name: "x", Scopes: []string{"query"}, Plan: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rdb.Get(ctx, "lp:{apikeys}:h:"+api.HashKey(secret)).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := rdb.Set(ctx, "lp:{apikeys}:h:"+api.HashKey("forged"), raw, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Check(ctx, "forged"); !errors.Is(err, api.ErrUnknownKey) {
		t.Errorf("Check of a key whose record names another hash = %v, want ErrUnknownKey", err)
	}
}

func TestRedisDown(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	// Nothing listens on the port; no retries, so that each call fails at once.
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t)), MaxRetries: -1, DialerRetries: 1})
	defer rdb.Close()
	ks := keystore.New(rdb, keystore.Options{})
	_, err := ks.Check(ctx, "lp_whatever")
	if !errors.Is(err, api.ErrUnavailable) || errors.Is(err, api.ErrUnknownKey) {
		t.Errorf("Check with Redis down = %v, want ErrUnavailable", err)
	}
	_, _, err = ks.Create(ctx, keystore.Spec{Name: "x", Scopes: []string{"query"}, Plan: "standard"})
	if !errors.Is(err, api.ErrUnavailable) {
		t.Errorf("Create with Redis down = %v, want ErrUnavailable", err)
	}
	if _, err := ks.List(ctx); !errors.Is(err, api.ErrUnavailable) {
		t.Errorf("List with Redis down = %v, want ErrUnavailable", err)
	}
	if _, err := ks.Revoke(ctx, "lpk_1"); !errors.Is(err, api.ErrUnavailable) {
		t.Errorf("Revoke with Redis down = %v, want ErrUnavailable", err)
	}
}

type nopRanker struct{}

func (nopRanker) Rank(context.Context, scorer.Query) (scorer.Result, error) {
	return scorer.Result{}, nil
}

type upPinger struct{}

func (upPinger) Ping(context.Context) error { return nil }

// TestKeysOverHTTP serves the API on the key store: scopes decide 200 or 403,
// and a revoked key is 401 at once.
func TestKeysOverHTTP(t *testing.T) {
	ctx := t.Context()
	ks, rdb := newStore(t)
	srv, err := api.New(api.DefaultConfig(), api.Deps{
		Ranker: nopRanker{}, Keys: api.ChainKeys{api.StaticKeys{}, ks}, Redis: rdb,
		Dependencies: api.Dependencies{Redis: upPinger{}, Kafka: upPinger{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	get := func(key, path string) int {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	reader, rec, err := ks.Create(ctx, keystore.Spec{Name: "reader", Scopes: []string{"query", "quality:read"}, Plan: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	querier, _, err := ks.Create(ctx, keystore.Spec{Name: "querier", Scopes: []string{"query"}, Plan: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	if got := get(reader, "/query-quality/reputation"); got != 200 {
		t.Errorf("reader: %d, want 200", got)
	}
	if got := get(querier, "/query-quality/reputation"); got != 403 {
		t.Errorf("key without quality:read: %d, want 403", got)
	}
	if _, err := ks.Revoke(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	if got := get(reader, "/query-quality/reputation"); got != 401 {
		t.Errorf("revoked key: %d, want 401", got)
	}
}

func BenchmarkCheck(b *testing.B) {
	ks, _ := newStore(b)
	secret, _, err := ks.Create(context.Background(), keystore.Spec{Name: "bench", Scopes: []string{"query"}, Plan: "standard"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ks.Check(ctx, secret); err != nil {
			b.Fatal(err)
		}
	}
}
