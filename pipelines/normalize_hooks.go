package pipelines

import (
	"strings"

	"github.com/leadpoet/leadpoet/schemas"
)

// normalizeCompany puts a company's free-text fields onto the canonical values the
// API filters on: a canonical industry (an industry the list does not know is kept,
// lower-cased, rather than lost), a normalised location and technology ids.
func (p *Processor) normalizeCompany(e *schemas.Company) *schemas.Company {
	raw := strings.ToLower(strings.TrimSpace(e.Industry))
	p.norm.Company(e)
	if e.Industry == "" {
		e.Industry = raw
	}
	return e
}

// techID is the canonical id of a technology name.
func (p *Processor) techID(name string) string {
	id, _ := p.norm.Technology(name)
	return id
}
