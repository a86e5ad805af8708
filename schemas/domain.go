package schemas

import (
	"errors"
	"fmt"
	"strings"
)

// NormalizeDomain lower-cases a web domain and strips scheme, "www.", port, path,
// query and trailing dot. It rejects what cannot be a public host name.
func NormalizeDomain(raw string) (string, error) {
	d := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	if i := strings.IndexAny(d, "/?#"); i >= 0 {
		d = d[:i]
	}
	if i := strings.LastIndexByte(d, '@'); i >= 0 {
		d = d[i+1:]
	}
	if i := strings.IndexByte(d, ':'); i >= 0 {
		d = d[:i]
	}
	d = strings.TrimSuffix(d, ".")
	d = strings.TrimPrefix(d, "www.")
	if d == "" {
		return "", errors.New("domain is empty")
	}
	if len(d) > 253 {
		return "", fmt.Errorf("domain is %d characters, at most 253 are allowed", len(d))
	}
	dot := strings.LastIndexByte(d, '.')
	if dot < 0 {
		return "", fmt.Errorf("%q has no top-level domain", raw)
	}
	for l := range strings.SplitSeq(d, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", fmt.Errorf("%q is not a valid host name", raw)
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "", fmt.Errorf("%q is not a valid host name", raw)
			}
		}
	}
	tld := d[dot+1:]
	for i := 0; i < len(tld); i++ {
		if tld[i] >= '0' && tld[i] <= '9' {
			return "", fmt.Errorf("%q is an address, not a domain", raw)
		}
	}
	return d, nil
}
