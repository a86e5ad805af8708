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

// ScopeQuery is the scope a key needs for POST /query.
const ScopeQuery = "query"

// ErrUnknownKey is what a KeyChecker returns for a key it does not know (or that
// was revoked). The API answers it with 401 UNAUTHORIZED; any other Check error is
// classified like a ranking error (503 if it wraps ErrUnavailable, else 500).
var ErrUnknownKey = errors.New("unknown API key")

// KeyInfo is what the API knows about an authenticated key.
type KeyInfo struct {
	ID     string   // stable, non-secret identifier (for logs, limits and reputation)
	Scopes []string // what the key may do, e.g. ScopeQuery
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

// keyInfoKey is the gin context key of the authenticated KeyInfo.
const keyInfoKey = "api.key"

// authenticate requires a valid "Authorization: Bearer <key>" header and stores the
// key's KeyInfo for later middleware (limits, reputation) and handlers.
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
	c.Set(keyInfoKey, info)
	c.Next()
}

// requireScope rejects keys without scope with 403 FORBIDDEN. It runs after
// authenticate.
func (s *Server) requireScope(scope string) gin.HandlerFunc {
	return func(c *gin.Context) {
		info, _ := keyInfo(c)
		if !info.HasScope(scope) {
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
