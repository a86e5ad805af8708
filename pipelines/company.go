package pipelines

import (
	"encoding/json"
	"time"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// companyProfile normalises a company event into the profile the scorer reads.
func companyProfile(e *schemas.Company) scorer.Profile {
	p := scorer.Profile{
		Domain:       e.Domain,
		Name:         e.CompanyName,
		Industry:     e.Industry,
		Employees:    -1,
		City:         e.Location.City,
		Region:       e.Location.Region,
		Country:      e.Location.Country,
		Description:  e.Description,
		Technologies: e.Technologies,
		UpdatedAt:    e.OccurredAt,
	}
	if e.Employees != nil {
		p.Employees = *e.Employees
		p.SizeBucket = schemas.SizeBucket(*e.Employees)
	}
	for _, c := range e.Contacts {
		p.Contacts = append(p.Contacts, scorer.Contact(c))
	}
	return p
}

func (b *batch) addCompany(e *schemas.Company, now time.Time) {
	p := companyProfile(e)
	contacts, _ := json.Marshal(e.Contacts) // a slice of plain structs always encodes
	techs := e.Technologies
	if techs == nil {
		techs = []string{}
	}
	b.companies = append(b.companies, chstore.CompanyRow{
		Domain: e.Domain, EventID: e.EventID, CompanyName: e.CompanyName, Industry: e.Industry,
		Employees: int32(p.Employees), SizeBucket: p.SizeBucket,
		City: p.City, Region: p.Region, Country: p.Country, Description: e.Description,
		Technologies: techs, Contacts: string(contacts), Deleted: e.Deleted, Source: e.Source,
		OccurredAt: e.OccurredAt, IngestedAt: now.UTC(),
	})
	b.profiles = append(b.profiles, redisstore.ProfileUpdate{Profile: p, Version: e.OccurredAt.UnixNano(), Deleted: e.Deleted})
}
