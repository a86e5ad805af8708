package pipelines

import (
	"strings"
	"testing"

	"github.com/leadpoet/leadpoet/schemas"
)

type loc = schemas.Location

func pl(city, region, country string) loc {
	return loc{City: city, Region: region, Country: country}
}

func TestLocation(t *testing.T) {
	n := NewNormalizer()
	us := "United States"
	tests := []struct {
		name     string
		in, want loc
	}{
		{"already normal", pl("Boston", "MA", us), pl("Boston", "MA", us)},
		{"lower-case city filled in", loc{City: "boston"}, pl("Boston", "MA", us)},
		{"state name to code", pl("San Francisco", "California", "USA"), pl("San Francisco", "CA", us)},
		{"AP abbreviation", pl(" san  francisco ", "calif.", "U.S."), pl("San Francisco", "CA", us)},
		{"lower-case code", pl("Austin", "tx", ""), pl("Austin", "TX", us)},
		{"country from state", loc{Region: "Massachusetts"}, pl("", "MA", us)},
		{"country from code", loc{Region: "NY"}, pl("", "NY", us)},
		{"united states of america", loc{Country: "United States of America"}, loc{Country: us}},
		{"us iso code", loc{Country: "US"}, loc{Country: us}},
		{"district of columbia", pl("Washington", "D.C.", ""), pl("Washington", "DC", us)},
		{"canadian province", loc{Region: "Ontario"}, pl("", "ON", "Canada")},
		{"quebec in french", pl("Montréal", "Québec", ""), pl("Montreal", "QC", "Canada")},
		{"uk alias", pl("London", "", "UK"), pl("London", "England", "United Kingdom")},
		{"great britain", loc{Country: "Great Britain"}, loc{Country: "United Kingdom"}},
		{"england is a nation of the uk", pl("Manchester", "", "England"), pl("Manchester", "England", "United Kingdom")},
		{"scotland as region", loc{Region: "Scotland"}, pl("", "Scotland", "United Kingdom")},
		{"deutschland", pl("bad homburg", "", "Deutschland"), pl("Bad Homburg", "", "Germany")},
		{"iso code in country field", loc{Country: "DE"}, loc{Country: "Germany"}},
		{"alpha-3 code", loc{Country: "FRA"}, loc{Country: "France"}},
		{"local city name", loc{City: "München"}, pl("Munich", "Bavaria", "Germany")},
		{"nyc", loc{City: "NYC"}, pl("New York", "NY", us)},
		{"city from table with country", pl("Paris", "", "France"), pl("Paris", "", "France")},
		{"table city in another country", pl("Paris", "", "US"), pl("Paris", "", us)},
		{"table city in another state", pl("Paris", "TX", ""), pl("Paris", "TX", us)},
		{"ambiguous city", loc{City: "Cambridge"}, loc{City: "Cambridge"}},
		{"ambiguous city in one country", loc{City: "Portland"}, pl("Portland", "", us)},
		{"ambiguous city settled by state", pl("Portland", "Maine", ""), pl("Portland", "ME", us)},
		{"ambiguous city settled by country", pl("Cambridge", "", "United Kingdom"), pl("Cambridge", "England", "United Kingdom")},
		{"ambiguous city settled by country code", pl("Vancouver", "", "CA"), pl("Vancouver", "BC", "Canada")},
		{"whole place in the city field", loc{City: "Boston, MA"}, pl("Boston", "MA", us)},
		{"whole place in the city field, region kept", pl("Austin, Texas", "TX", ""), pl("Austin", "TX", us)},
		{"state of another country kept", pl("Toronto", "Ontario", us), pl("Toronto", "Ontario", us)},
		{"unknown region kept", pl("Lyon", "auvergne-rhône-alpes", "fr"), pl("Lyon", "Auvergne-Rhône-Alpes", "France")},
		{"unknown country kept", loc{Country: "KAZAKHSTAN"}, loc{Country: "Kazakhstan"}},
		{"short code kept", loc{Region: "NSW", Country: "Australia"}, pl("", "NSW", "Australia")},
		{"capitals", loc{City: "ST. LOUIS"}, pl("St. Louis", "MO", us)},
		{"hyphenated city", pl("winston-salem", "nc", ""), pl("Winston-Salem", "NC", us)},
		{"particles", loc{City: "stratford-upon-avon"}, loc{City: "Stratford-upon-Avon"}},
		{"mixed case kept", pl("McAllen", "TX", ""), pl("McAllen", "TX", us)},
		{"placeholders dropped", pl("N/A", "none", "Unknown"), loc{}},
		{"remote is no city", loc{City: "Remote", Country: "US"}, loc{Country: us}},
		// Odd inputs.
		{"empty", loc{}, loc{}},
		{"white space", pl(" ", "\t", "\n"), loc{}},
		{"unicode city", loc{City: "são paulo"}, pl("São Paulo", "São Paulo", "Brazil")},
		{"non-latin city", loc{City: "東京"}, loc{City: "東京"}},
		{"very long city dropped", loc{City: strings.Repeat("Boston ", 100), Region: "MA"}, pl("", "MA", us)},
		{"very long place in city field", loc{City: strings.Repeat("Boston, ", 100)}, loc{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := n.Location(tt.in)
			if got != tt.want {
				t.Errorf("Location(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
			if again := n.Location(got); again != got {
				t.Errorf("Location(%+v) = %+v, want it unchanged", got, again)
			}
		})
	}
}

func TestParsePlace(t *testing.T) {
	n := NewNormalizer()
	us, uk := "United States", "United Kingdom"
	tests := []struct {
		name, text string
		want       loc
	}{
		{"city and state code", "Boston, MA", pl("Boston", "MA", us)},
		{"city and country", "Berlin, Germany", pl("Berlin", "", "Germany")},
		{"remote with country", "Remote - US", loc{Country: us}},
		{"city, state, country", "San Francisco, California, United States", pl("San Francisco", "CA", us)},
		{"zip code", "New York, NY 10001", pl("New York", "NY", us)},
		{"no comma", "Boston MA", pl("Boston", "MA", us)},
		{"no comma, country", "Berlin Germany", pl("Berlin", "", "Germany")},
		{"headquarters note", "Austin, TX (HQ)", pl("Austin", "TX", us)},
		{"everything at once", "Austin TX 78701 (HQ)", pl("Austin", "TX", us)},
		{"street address", "123 Main St, Plano, TX 75024", pl("Plano", "TX", us)},
		{"unknown city", "Plano, Texas", pl("Plano", "TX", us)},
		{"province and country", "Toronto, ON, Canada", pl("Toronto", "ON", "Canada")},
		{"state of another country", "Munich, Bavaria, Germany", pl("Munich", "Bavaria", "Germany")},
		{"uk nation", "London, England", pl("London", "England", uk)},
		{"uk", "Cambridge, UK", pl("Cambridge", "England", uk)},
		{"metro area", "Greater Boston Area", pl("Boston", "MA", us)},
		{"bay area", "San Francisco Bay Area", pl("San Francisco", "CA", us)},
		{"bay area alone", "Bay Area", pl("", "CA", us)},
		{"city name alone", "Seattle", pl("Seattle", "WA", us)},
		{"city state name", "Seattle, Washington", pl("Seattle", "WA", us)},
		{"city that is also a state", "New York", pl("New York", "NY", us)},
		{"city-state", "Singapore", pl("Singapore", "", "Singapore")},
		{"state alone", "California", pl("", "CA", us)},
		{"state code alone", "CA", pl("", "CA", us)},
		{"state and country", "California, USA", pl("", "CA", us)},
		{"country alone", "Germany", loc{Country: "Germany"}},
		{"washington dc", "Washington, D.C.", pl("Washington", "DC", us)},
		{"abbreviation after city", "Sacramento, Calif.", pl("Sacramento", "CA", us)},
		{"abbreviation is not read at the end of a name", "Isle of Man", loc{City: "Isle of Man"}},
		{"iso code settled by city", "Berlin, DE", pl("Berlin", "", "Germany")},
		{"iso code settled by city, two candidates", "Hyderabad, IN", pl("Hyderabad", "Telangana", "India")},
		{"iso code that is no state", "Lyon, FR", pl("Lyon", "", "France")},
		{"state code, not iso", "Dover, DE", pl("Dover", "DE", us)},
		{"table city in another state", "Paris, TX", pl("Paris", "TX", us)},
		{"table city in another province", "London, Ontario", pl("London", "ON", "Canada")},
		{"ambiguous city", "Cambridge", loc{City: "Cambridge"}},
		{"ambiguous city, one country", "Kansas City", pl("Kansas City", "", us)},
		{"ambiguous city settled", "Portland, OR", pl("Portland", "OR", us)},
		{"alternatives, first wins", "NYC or Remote", pl("New York", "NY", us)},
		{"alternatives with slash", "Boston / London", pl("Boston", "MA", us)},
		{"first alternative names nothing", "Remote / US", loc{Country: us}},
		{"remote in country", "Remote (US only)", loc{Country: us}},
		{"remote after country", "US Remote", loc{Country: us}},
		{"remote joined by hyphen", "Remote-US", loc{Country: us}},
		{"hybrid", "Hybrid - Denver, CO", pl("Denver", "CO", us)},
		{"anywhere in a country", "Anywhere in the US", loc{Country: us}},
		{"remote only", "Remote", loc{}},
		{"world region", "Remote (Europe)", loc{}},
		{"emea", "EMEA", loc{}},
		{"north america", "North America", loc{}},
		{"n/a", "N/A", loc{}},
		{"local names", "München, Deutschland", pl("Munich", "Bavaria", "Germany")},
		{"unicode", "São Paulo, Brasil", pl("São Paulo", "São Paulo", "Brazil")},
		// Odd inputs.
		{"empty", "", loc{}},
		{"white space", " \t\n", loc{}},
		{"punctuation", ",,,(-)", loc{}},
		{"mixed case", "bOsToN, ma", pl("Boston", "MA", us)},
		{"upper case", "SAN JOSE, CA", pl("San Jose", "CA", us)},
		{"non-latin", "東京, Japan", pl("東京", "", "Japan")},
		{"invalid utf-8", "Bos\xffton, MA", pl("Bos\uFFFDton", "MA", us)},
		{"very long", strings.Repeat("Boston, MA; ", 1000), pl("Boston", "MA", us)},
		{"very long word", strings.Repeat("x", 10000), loc{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := n.ParsePlace(tt.text)
			if got != tt.want {
				t.Errorf("ParsePlace(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
			if again := n.Location(got); again != got {
				t.Errorf("Location(%+v) = %+v, want it unchanged", got, again)
			}
		})
	}
}

func TestCityTableSpelling(t *testing.T) {
	// Every known city, region and country maps onto itself.
	n := NewNormalizer()
	for _, e := range cityTable() {
		in := pl(e.city, e.region, e.country)
		if got := n.Location(in); got != in {
			t.Errorf("Location(%+v) = %+v", in, got)
		}
	}
	for _, c := range countryTable() {
		if got := n.Location(loc{Country: c.name}); got.Country != c.name {
			t.Errorf("Location(country %q) = %+v", c.name, got)
		}
	}
}
