package scorer

import (
	"math"
	"slices"
	"testing"
)

func TestFit(t *testing.T) {
	const soft, unknown = 0.5, 0.8
	boston := Profile{Domain: "acme.com", Industry: "Computer Software", SizeBucket: "51-200",
		City: "Boston", Region: "MA", Country: "United States", Technologies: []string{"Salesforce Sales Cloud", "Zendesk"}}
	tests := []struct {
		name     string
		filters  Filters
		prompt   string
		profile  Profile
		wantFit  float64
		wantKeep bool
	}{
		{"no filters", Filters{}, "looking for crm", boston, 1, true},
		{"implicit size match", Filters{}, "companies with 50-200 employees looking for crm", boston, 1, true},
		{"implicit size mismatch lowers fit", Filters{}, "startups looking for crm", boston, soft, true},
		{"explicit size mismatch drops", Filters{CompanySizes: []string{"1-10"}}, "looking for crm", boston, 0, false},
		{"explicit size wins over implicit", Filters{CompanySizes: []string{"51-200"}}, "startups looking for crm", boston, 1, true},
		{"explicit size range value", Filters{CompanySizes: []string{"10-50", "51-200"}}, "looking for crm", boston, 1, true},
		{"size from employee count", Filters{CompanySizes: []string{"51-200"}}, "looking for crm",
			Profile{Employees: 120}, 1, true},
		{"unknown size drops for an explicit filter", Filters{CompanySizes: []string{"1-10"}}, "looking for crm",
			Profile{Employees: -1}, 0, false},
		{"unknown size is a penalty for an implicit filter", Filters{}, "startups looking for crm",
			Profile{Employees: -1}, unknown, true},
		{"industry synonym", Filters{}, "SaaS companies looking for crm", boston, 1, true},
		{"explicit industry case-insensitive", Filters{Industries: []string{"TECHNOLOGY"}}, "looking for crm", boston, 1, true},
		{"explicit industry mismatch drops", Filters{Industries: []string{"healthcare"}}, "looking for crm", boston, 0, false},
		{"explicit industry wins over implicit", Filters{Industries: []string{"software"}}, "healthcare companies looking for crm", boston, 1, true},
		{"implicit industry mismatch", Filters{}, "hospitals looking for crm", boston, soft, true},
		{"industry outside the list matches as words", Filters{Industries: []string{"aerospace engineering"}}, "looking for crm",
			Profile{Industry: "Aerospace Engineering Services"}, 1, true},
		{"unknown industry drops for an explicit filter", Filters{Industries: []string{"healthcare"}}, "looking for crm", Profile{}, 0, false},
		{"unknown industry is a penalty for an implicit filter", Filters{}, "hospitals looking for crm", Profile{}, unknown, true},
		{"location city", Filters{Location: "Boston"}, "looking for crm", boston, 1, true},
		{"location city and state", Filters{Location: "Boston, MA"}, "looking for crm", boston, 1, true},
		{"location US equivalence", Filters{Location: "US"}, "looking for crm", boston, 1, true},
		{"location USA equivalence", Filters{Location: "United States"}, "looking for crm",
			Profile{City: "Austin", Country: "USA"}, 1, true},
		{"location mismatch drops", Filters{Location: "Germany"}, "looking for crm", boston, 0, false},
		{"location is not a substring of a word", Filters{Location: "CA"}, "looking for crm",
			Profile{City: "Cambridge", Country: "Canada"}, 0, false},
		{"implicit location mismatch", Filters{}, "companies in Berlin looking for crm", boston, soft, true},
		{"country unknown when only the city is on record", Filters{Location: "United States"}, "looking for crm",
			Profile{City: "Boston"}, 0, false},
		{"country unknown for an implicit filter", Filters{}, "companies in the US looking for crm",
			Profile{City: "Boston"}, unknown, true},
		{"no location on record", Filters{Location: "Boston"}, "looking for crm", Profile{}, 0, false},
		{"region of the world", Filters{Location: "Europe"}, "looking for crm",
			Profile{City: "Berlin", Country: "Germany"}, 1, true},
		{"region of the world, other continent", Filters{Location: "EMEA"}, "looking for crm", boston, 0, false},
		{"implicit region", Filters{}, "DACH companies looking for crm", Profile{City: "Vienna", Country: "Austria"}, 1, true},
		{"implicit region mismatch", Filters{}, "companies across Europe looking for crm", boston, soft, true},
		{"state name against the stored code", Filters{Location: "Massachusetts"}, "looking for crm", boston, 1, true},
		{"state code against a stored name", Filters{Location: "CA"}, "looking for crm",
			Profile{City: "San Diego", Region: "California", Country: "United States"}, 1, true},
		{"other state", Filters{Location: "Texas"}, "looking for crm", boston, 0, false},
		{"part of the US", Filters{Location: "New England"}, "looking for crm", boston, 1, true},
		{"part of the US, elsewhere", Filters{Location: "Midwest"}, "looking for crm", boston, 0, false},
		{"state without a region on record", Filters{}, "companies in Texas looking for crm",
			Profile{City: "Springfield", Country: "United States"}, unknown, true},
		{"demonym", Filters{}, "German companies looking for crm", Profile{City: "Munich", Country: "Germany"}, 1, true},
		{"any of several places", Filters{Location: "Texas, Massachusetts"}, "looking for crm", boston, 1, true},
		{"none of several places", Filters{Location: "Texas, Oklahoma"}, "looking for crm", boston, 0, false},
		{"any of several places in the prompt", Filters{}, "companies in Texas or Massachusetts looking for crm", boston, 1, true},
		{"technology contained", Filters{Technologies: []string{"salesforce"}}, "looking for cpq", boston, 1, true},
		{"technology explicit mismatch drops", Filters{Technologies: []string{"HubSpot"}}, "looking for cpq", boston, 0, false},
		{"technology implicit mismatch", Filters{}, "companies using HubSpot looking for cpq", boston, soft, true},
		{"no stack on record drops for an explicit filter", Filters{Technologies: []string{"HubSpot"}}, "looking for cpq", Profile{}, 0, false},
		{"no stack on record is a penalty for an implicit filter", Filters{}, "companies using HubSpot looking for cpq", Profile{}, unknown, true},
		{"excluded technology drops", Filters{}, "companies not using Zendesk looking for a help desk", boston, 0, false},
		{"excluded technology absent", Filters{}, "companies not using Intercom looking for a help desk", boston, 1, true},
		{"excluded domain", Filters{Exclude: []string{"https://www.ACME.com/about"}}, "looking for crm", boston, 0, false},
		{"excluded domain covers subdomains", Filters{Exclude: []string{"acme.com"}}, "looking for crm",
			Profile{Domain: "eu.acme.com"}, 0, false},
		{"other domain kept", Filters{Exclude: []string{"notacme.com"}}, "looking for crm", boston, 1, true},
		{"factors multiply", Filters{}, "startups in Berlin looking for crm", boston, soft * soft, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFilterSet(tt.filters, ParsePrompt(tt.prompt).Interpretation, soft, unknown)
			fit, keep := f.fit(&tt.profile)
			if keep != tt.wantKeep || math.Abs(fit-tt.wantFit) > 1e-12 {
				t.Errorf("fit = %g, %v; want %g, %v", fit, keep, tt.wantFit, tt.wantKeep)
			}
		})
	}
}

func TestFilterSetInterpretation(t *testing.T) {
	parsed := ParsePrompt("Find SaaS startups in Boston using HubSpot looking for CRM").Interpretation
	f := newFilterSet(Filters{Industries: []string{"Healthcare"}, CompanySizes: []string{"201-1000"}}, parsed, 0.5, 0.8)
	got := f.effective
	if !slices.Equal(got.Industries, []string{"healthcare"}) || !slices.Equal(got.CompanySizes, []string{"201-1000"}) {
		t.Errorf("explicit filters not in effect: %+v", got)
	}
	if got.Location != "Boston" || !slices.Equal(got.Technologies, []string{"hubspot"}) {
		t.Errorf("implicit filters lost: %+v", got)
	}
	if got.Product != "crm" || !slices.Equal(got.Terms, []string{"crm"}) {
		t.Errorf("product lost: %+v", got)
	}
}

func TestContainsFoldWord(t *testing.T) {
	tests := []struct {
		hay, needle string
		want        bool
	}{
		{"San Francisco", "san francisco", true},
		{"Greater Boston Area", "boston", true},
		{"Bostonian", "boston", false},
		{"Cambridge", "ca", false},
		{"CA", "ca", true},
		{"", "x", false},
		{"x", "", false},
		{"c++ tools", "c++", true},
	}
	for _, tt := range tests {
		if got := containsFoldWord(tt.hay, tt.needle); got != tt.want {
			t.Errorf("containsFoldWord(%q, %q) = %v, want %v", tt.hay, tt.needle, got, tt.want)
		}
	}
}
