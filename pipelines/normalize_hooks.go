package pipelines

import (
	"strings"

	"github.com/leadpoet/leadpoet/schemas"
)

// normalizeCompany puts a company's free-text fields onto the canonical values the
// API filters on.
func (p *Processor) normalizeCompany(e *schemas.Company) *schemas.Company {
	e.Industry = strings.ToLower(strings.TrimSpace(e.Industry))
	return e
}

// techID is the canonical id of a technology name.
func (p *Processor) techID(name string) string {
	var b strings.Builder
	underscore := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			underscore = false
		} else if !underscore && b.Len() > 0 {
			b.WriteByte('_')
			underscore = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}
