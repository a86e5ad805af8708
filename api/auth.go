package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
)

// Scopes a key may carry.
const (
	ScopeQuery       = "query"        // POST /query
	ScopeQualityRead = "quality:read" // GET /query-quality/reputation and /query-quality/alerts
	ScopeAdmin       = "admin"        // reserved for key management over HTTP; grants nothing else today
)

// Scopes returns every scope a key may carry.
func Scopes() []string { return []string{ScopeQuery, ScopeQualityRead, ScopeAdmin} }

// ErrUnknownKey is what a KeyChecker returns for a key it does not know (or that
// was revoked). The API answers it with 401 UNAUTHORIZED; any other Check error is
// classified like a ranking error (503 if it wraps ErrUnavailable, else 500).
var ErrUnknownKey = errors.New("unknown API key")

// KeyInfo is what the API knows about an authenticated key.
type KeyInfo struct {
	ID     string   // stable, non-secret identifier (for logs, limits and reputation)
	Scopes []string // what the key may do, e.g. ScopeQuery
	Plan   string   // name of the key's plan (Config.Plans); "" means Config.DefaultPlan
}

// HasScope reports whether the key carries scope.
func (k KeyInfo) HasScope(scope string) bool { return slices.Contains(k.Scopes, scope) }

// KeyChecker authenticates API keys.
type KeyChecker interface {
	// Check returns the key's KeyInfo, or an error wrapping ErrUnknownKey.
	Check(ctx context.Context, key string) (KeyInfo, error)
}

// StaticKeys is a KeyChecker over a fixed set of keys, for development and tests.
// It maps HashKey(key), the lower-case hex SHA-256 of the key, to the key's info,
// so that the keys themselves need not be kept. Check compares the hash of the
// presented key with every entry in constant time. Do not modify the map while it
// is in use.
type StaticKeys map[string]KeyInfo

// HashKey returns the lower-case hex SHA-256 of an API key, the form StaticKeys
// stores.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Check implements KeyChecker.
func (s StaticKeys) Check(_ context.Context, key string) (KeyInfo, error) {
	if key == "" {
		return KeyInfo{}, ErrUnknownKey
	}
	h := []byte(HashKey(key))
	var (
		found KeyInfo
		ok    bool
	)
	// No early exit: every entry is compared, so the time does not depend on
	// where (or whether) the key matches.
	for stored, info := range s {
		if subtle.ConstantTimeCompare([]byte(stored), h) == 1 {
			found, ok = info, true
		}
	}
	if !ok {
		return KeyInfo{}, ErrUnknownKey
	}
	return found, nil
}

// ChainKeys is a KeyChecker that asks each of its checkers in turn and takes the
// first that knows the key, e.g. the keys file (StaticKeys) before the key store.
// A key none of them knows is ErrUnknownKey; if a checker failed otherwise (its
// store is down) and no later one knew the key, that error is returned, so an
// outage is a 503 and not a 401.
type ChainKeys []KeyChecker

// Check implements KeyChecker.
func (ks ChainKeys) Check(ctx context.Context, key string) (KeyInfo, error) {
	var failed error
	for _, k := range ks {
		info, err := k.Check(ctx, key)
		switch {
		case err == nil:
			return info, nil
		case !errors.Is(err, ErrUnknownKey) && failed == nil:
			failed = err
		}
	}
	if failed != nil {
		return KeyInfo{}, failed
	}
	return KeyInfo{}, ErrUnknownKey
}

// Gin context keys of what authenticate learnt.
const (
	keyInfoKey = "api.key"
	planKey    = "api.plan"
)

// authenticate requires a valid "Authorization: Bearer <key>" header and stores the
// key's KeyInfo and Plan for later middleware (limits, reputation) and handlers. A
// key on a plan the server does not offer is refused with 403.
func (s *Server) authenticate(c *gin.Context) {
	key, ok := bearerToken(c.GetHeader("Authorization"))
	if !ok {
		s.fail(c, &httpError{status: http.StatusUnauthorized, code: codeUnauthorized,
			message: "Missing API key; send it as \"Authorization: Bearer YOUR_API_KEY\""})
		return
	}
	info, err := s.keys.Check(c.Request.Context(), key)
	if errors.Is(err, ErrUnknownKey) {
		s.fail(c, &httpError{status: http.StatusUnauthorized, code: codeUnauthorized, message: "Invalid API key"})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	name := info.Plan
	if name == "" {
		name = s.cfg.DefaultPlan
	}
	plan, ok := s.cfg.Plans[name]
	if !ok {
		s.log.WarnContext(c.Request.Context(), "api key on an unknown plan", "request_id", requestID(c), "key_id", info.ID, "plan", name)
		s.fail(c, &httpError{status: http.StatusForbidden, code: codeForbidden,
			message: "The API key's plan is not offered by this server", details: map[string]any{"plan": name}})
		return
	}
	c.Set(keyInfoKey, info)
	c.Set(planKey, plan)
	c.Next()
}

// requireScope rejects keys without scope with 403 FORBIDDEN. It runs after
// authenticate.
func (s *Server) requireScope(scope string) gin.HandlerFunc {
	return func(c *gin.Context) {
		info, _ := keyInfo(c)
		if !info.HasScope(scope) {
			// Rejected before the limiter: nothing is consumed, but the client
			// still learns where it stands.
			if d, err := s.peekRate(c.Request.Context(), info.ID, keyPlan(c)); err == nil {
				s.setRateHeaders(c, d)
			} else {
				s.log.WarnContext(c.Request.Context(), "peek rate limits", "request_id", requestID(c), "err", err)
			}
			s.fail(c, &httpError{status: http.StatusForbidden, code: codeForbidden,
				message: "API key lacks the required scope", details: map[string]any{"required_scope": scope}})
			return
		}
		c.Next()
	}
}

// keyInfo returns the KeyInfo stored by authenticate.
func keyInfo(c *gin.Context) (KeyInfo, bool) {
	v, ok := c.Get(keyInfoKey)
	if !ok {
		return KeyInfo{}, false
	}
	info, ok := v.(KeyInfo)
	return info, ok
}

// keyPlan returns the Plan stored by authenticate.
func keyPlan(c *gin.Context) Plan {
	v, _ := c.Get(planKey)
	p, _ := v.(Plan)
	return p
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header. The
// scheme is case-insensitive (RFC 7235).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
