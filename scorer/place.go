package scorer

import (
	"slices"
	"strings"

	"github.com/leadpoet/leadpoet/schemas"
)

// placeKind says what a known place is; filters treat a country specially (a profile
// without a country is unknown there, not a mismatch).
type placeKind uint8

const (
	placeNone placeKind = iota
	placeCountry
	placeRegion // a state, province or a region of the world
	placeCity
)

// lookupPlace recognises a lower-case place name (words separated by single spaces,
// dots kept: "u.s") and returns how it is displayed. The list is small on purpose:
// prompts name other places with a capital letter, which the parser accepts too.
func lookupPlace(phrase string) (display string, kind placeKind) {
	switch phrase {
	case "us", "u.s", "u.s.", "usa", "u.s.a", "u.s.a.", "united states", "united states of america", "america", "the states":
		return "United States", placeCountry
	case "uk", "u.k", "u.k.", "united kingdom", "britain", "great britain":
		return "United Kingdom", placeCountry
	case "uae", "u.a.e", "united arab emirates":
		return "United Arab Emirates", placeCountry
	case "canada", "mexico", "brazil", "argentina", "chile", "colombia", "germany", "france",
		"spain", "italy", "portugal", "netherlands", "the netherlands", "belgium", "ireland",
		"switzerland", "austria", "sweden", "norway", "denmark", "finland", "poland", "ukraine",
		"israel", "india", "china", "japan", "singapore", "australia", "new zealand", "south africa",
		"nigeria", "kenya", "egypt", "turkey", "greece", "czech republic", "romania", "estonia",
		"south korea", "korea", "indonesia", "philippines", "vietnam", "thailand", "malaysia",
		"england", "scotland", "wales":
		return titleCase(phrase), placeCountry
	case "europe", "asia", "africa", "north america", "south america", "latin america",
		"scandinavia", "nordics", "middle east", "oceania", "dach", "benelux":
		return titleCase(phrase), placeRegion
	case "emea", "apac", "latam", "eu", "amer", "anz":
		return strings.ToUpper(phrase), placeRegion
	case "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
		"delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa",
		"kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan",
		"minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire",
		"new jersey", "new mexico", "new york state", "north carolina", "north dakota", "ohio",
		"oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota",
		"tennessee", "texas", "utah", "vermont", "virginia", "washington state", "west virginia",
		"wisconsin", "wyoming", "ontario", "quebec", "british columbia", "alberta", "bavaria",
		"new england", "midwest", "the midwest", "pacific northwest", "east coast", "west coast",
		"the northeast", "the southwest", "the southeast",
		"bay area", "the bay area", "silicon valley", "tri-state area":
		return titleCase(strings.TrimPrefix(phrase, "the ")), placeRegion
	case "new york", "new york city", "boston", "san francisco", "los angeles", "seattle",
		"austin", "chicago", "denver", "boulder", "atlanta", "miami", "dallas", "houston",
		"washington", "philadelphia", "san diego", "san jose", "portland", "phoenix", "salt lake city",
		"minneapolis", "detroit", "pittsburgh", "nashville", "raleigh", "charlotte", "baltimore",
		"toronto", "vancouver", "montreal", "london", "manchester", "edinburgh", "dublin", "paris",
		"berlin", "munich", "hamburg", "amsterdam", "rotterdam", "stockholm", "copenhagen", "oslo",
		"helsinki", "zurich", "geneva", "vienna", "madrid", "barcelona", "lisbon", "milan", "rome",
		"warsaw", "prague", "tallinn", "tel aviv", "bangalore", "bengaluru", "mumbai", "delhi",
		"new delhi", "hyderabad", "pune", "sydney", "melbourne", "auckland", "tokyo", "seoul",
		"hong kong", "shanghai", "beijing", "dubai", "cape town", "lagos", "nairobi", "sao paulo",
		"são paulo", "mexico city", "buenos aires", "cambridge", "palo alto", "mountain view",
		"menlo park", "oakland", "brooklyn", "manhattan":
		return titleCase(phrase), placeCity
	case "nyc":
		return "New York City", placeCity
	case "sf":
		return "San Francisco", placeCity
	case "dc", "d.c", "d.c.", "washington dc", "washington d.c", "washington d.c.":
		return "Washington, DC", placeCity
	}
	return "", placeNone
}

// regionCountries returns the country keys (see countryKey) of a region of the world
// that lookupPlace knows ("europe", "dach", "apac"), or nil for any other place. A
// profile in one of them matches a location filter naming the region.
func regionCountries(key string) []string {
	europe := []string{"united kingdom", "england", "scotland", "wales", "ireland", "germany", "france",
		"spain", "italy", "portugal", "netherlands", "belgium", "luxembourg", "switzerland", "austria",
		"sweden", "norway", "denmark", "finland", "iceland", "poland", "ukraine", "czech republic",
		"romania", "estonia", "latvia", "lithuania", "greece", "hungary", "bulgaria", "croatia",
		"slovakia", "slovenia", "serbia", "cyprus", "malta"}
	middleEast := []string{"israel", "united arab emirates", "saudi arabia", "qatar", "turkey", "egypt",
		"jordan", "bahrain", "kuwait", "oman", "lebanon"}
	africa := []string{"south africa", "nigeria", "kenya", "egypt", "ghana", "morocco", "rwanda", "ethiopia"}
	asia := []string{"india", "china", "japan", "singapore", "south korea", "korea", "indonesia",
		"philippines", "vietnam", "thailand", "malaysia", "hong kong", "taiwan", "pakistan", "bangladesh"}
	oceania := []string{"australia", "new zealand"}
	latin := []string{"mexico", "brazil", "argentina", "chile", "colombia", "peru", "uruguay", "costa rica"}
	switch key {
	case "europe":
		return europe
	case "eu":
		return slices.DeleteFunc(slices.Clone(europe), func(c string) bool {
			switch c {
			case "united kingdom", "england", "scotland", "wales", "switzerland", "norway", "iceland", "ukraine", "serbia":
				return true
			}
			return false
		})
	case "emea":
		return slices.Concat(europe, middleEast, africa)
	case "dach":
		return []string{"germany", "austria", "switzerland"}
	case "benelux":
		return []string{"belgium", "netherlands", "luxembourg"}
	case "nordics":
		return []string{"sweden", "norway", "denmark", "finland", "iceland"}
	case "scandinavia":
		return []string{"sweden", "norway", "denmark"}
	case "middle east":
		return middleEast
	case "africa":
		return africa
	case "asia":
		return asia
	case "apac":
		return slices.Concat(asia, oceania)
	case "oceania", "anz":
		return oceania
	case "north america":
		return []string{"united states", "canada", "mexico"}
	case "amer":
		return slices.Concat([]string{"united states", "canada"}, latin)
	case "latin america", "latam", "south america":
		return latin
	}
	return nil
}

// usStateCodes maps the lower-case name and code of every US state to its code.
var usStateCodes = func() map[string]string {
	m := make(map[string]string, 2*len(schemas.USStates)+2)
	for _, st := range schemas.USStates {
		m[strings.ToLower(st.Name)] = st.Code
		m[strings.ToLower(st.Code)] = st.Code
	}
	m["new york state"] = "NY"
	m["washington state"] = "WA"
	delete(m, "washington") // the city of lookupPlace; "Washington state" is the state
	return m
}()

// usRegionStates returns the codes of the US states a place names: one for a state
// (by name or code), several for a part of the country ("midwest", "new england"),
// nil for anything else.
func usRegionStates(key string) []string {
	if c, ok := usStateCodes[key]; ok {
		return []string{c}
	}
	switch strings.TrimPrefix(key, "the ") {
	case "midwest":
		return []string{"IL", "IN", "IA", "KS", "MI", "MN", "MO", "NE", "ND", "OH", "SD", "WI"}
	case "new england":
		return []string{"CT", "ME", "MA", "NH", "RI", "VT"}
	case "northeast":
		return []string{"CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"}
	case "tri-state area":
		return []string{"NY", "NJ", "CT"}
	case "east coast":
		return []string{"ME", "NH", "MA", "RI", "CT", "NY", "NJ", "DE", "MD", "DC", "VA", "NC", "SC", "GA", "FL"}
	case "west coast":
		return []string{"CA", "OR", "WA"}
	case "pacific northwest":
		return []string{"OR", "WA"}
	case "bay area", "silicon valley":
		return []string{"CA"}
	case "southwest":
		return []string{"AZ", "NM", "TX", "OK", "NV"}
	case "southeast", "south":
		return []string{"AL", "AR", "FL", "GA", "KY", "LA", "MS", "NC", "SC", "TN", "VA", "WV"}
	}
	return nil
}

// demonyms maps lower-case adjectives of nationality or region ("german", "european")
// to the place they name.
var demonyms = map[string]string{
	"american": "United States", "british": "United Kingdom", "european": "Europe",
	"canadian": "Canada", "mexican": "Mexico", "brazilian": "Brazil", "argentinian": "Argentina", "argentine": "Argentina",
	"chilean": "Chile", "colombian": "Colombia", "german": "Germany", "french": "France", "spanish": "Spain",
	"italian": "Italy", "portuguese": "Portugal", "dutch": "Netherlands", "belgian": "Belgium", "irish": "Ireland",
	"swiss": "Switzerland", "austrian": "Austria", "swedish": "Sweden", "norwegian": "Norway", "danish": "Denmark",
	"finnish": "Finland", "polish": "Poland", "ukrainian": "Ukraine", "israeli": "Israel", "indian": "India",
	"chinese": "China", "japanese": "Japan", "singaporean": "Singapore", "australian": "Australia", "kiwi": "New Zealand",
	"nigerian": "Nigeria", "kenyan": "Kenya", "egyptian": "Egypt", "turkish": "Turkey", "greek": "Greece",
	"czech": "Czech Republic", "romanian": "Romania", "estonian": "Estonia", "korean": "South Korea",
	"indonesian": "Indonesia", "filipino": "Philippines", "vietnamese": "Vietnam", "thai": "Thailand",
	"malaysian": "Malaysia", "nordic": "Nordics", "scandinavian": "Scandinavia", "asian": "Asia", "african": "Africa",
	"latin american": "Latin America", "middle eastern": "Middle East", "north american": "North America",
	"south american": "South America",
}

// countryKey folds the spellings of a country onto one key: "United States", "US",
// "U.S.A." and "usa" all become "united states". Other values are just lower-cased.
func countryKey(s string) string {
	k := strings.ToLower(strings.TrimSpace(s))
	if d, kind := lookupPlace(k); kind == placeCountry {
		return strings.ToLower(d)
	}
	return k
}

func titleCase(s string) string {
	b := []byte(s)
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == ' ' || c == '-'
	}
	return string(b)
}
