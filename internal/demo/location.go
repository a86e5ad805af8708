package demo

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/schemas"
)

const unitedStates = "United States"

// countryNames maps the ways profiles name a country onto one English name.
var countryNames = map[string]string{
	"united states": unitedStates, "united states of america": unitedStates, "usa": unitedStates,
	"u.s.a.": unitedStates, "us": unitedStates, "u.s.": unitedStates,
	"united kingdom": "United Kingdom", "uk": "United Kingdom", "u.k.": "United Kingdom",
	"england": "United Kingdom", "scotland": "United Kingdom",
	"great britain": "United Kingdom", "northern ireland": "United Kingdom",
	"canada": "Canada", "mexico": "Mexico", "brazil": "Brazil", "brasil": "Brazil",
	"argentina": "Argentina", "chile": "Chile", "colombia": "Colombia", "peru": "Peru",
	"uruguay": "Uruguay", "costa rica": "Costa Rica", "ireland": "Ireland",
	"germany": "Germany", "deutschland": "Germany", "france": "France", "spain": "Spain",
	"portugal": "Portugal", "italy": "Italy", "netherlands": "Netherlands",
	"the netherlands": "Netherlands", "holland": "Netherlands", "belgium": "Belgium",
	"luxembourg": "Luxembourg", "switzerland": "Switzerland", "austria": "Austria",
	"denmark": "Denmark", "sweden": "Sweden", "norway": "Norway", "finland": "Finland",
	"iceland": "Iceland", "estonia": "Estonia", "latvia": "Latvia", "lithuania": "Lithuania",
	"poland": "Poland", "czech republic": "Czech Republic", "czechia": "Czech Republic",
	"slovakia": "Slovakia", "hungary": "Hungary", "romania": "Romania", "bulgaria": "Bulgaria",
	"serbia": "Serbia", "croatia": "Croatia", "slovenia": "Slovenia", "greece": "Greece",
	"ukraine": "Ukraine", "belarus": "Belarus", "russia": "Russia", "turkey": "Turkey",
	"israel": "Israel", "uae": "United Arab Emirates", "united arab emirates": "United Arab Emirates",
	"egypt": "Egypt", "nigeria": "Nigeria", "kenya": "Kenya", "south africa": "South Africa",
	"india": "India", "pakistan": "Pakistan", "bangladesh": "Bangladesh", "sri lanka": "Sri Lanka",
	"nepal": "Nepal", "china": "China", "hong kong": "Hong Kong", "taiwan": "Taiwan",
	"japan": "Japan", "south korea": "South Korea", "korea": "South Korea",
	"singapore": "Singapore", "malaysia": "Malaysia", "indonesia": "Indonesia",
	"philippines": "Philippines", "the philippines": "Philippines", "vietnam": "Vietnam",
	"thailand": "Thailand", "australia": "Australia", "new zealand": "New Zealand", "nz": "New Zealand",
	"cyprus": "Cyprus", "malta": "Malta",
}

// usStates maps state names and two-letter codes to the state's name.
var usStates = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
	"HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
	"KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
	"MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
	"NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
	"NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
	"OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
	"SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah",
	"VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
	"WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
}

// city is a well-known office city and where it is.
type city struct {
	name, region, country string
}

// cities are looked for in office locations. Names shared by several well-known places
// ("Portland", "Cambridge") are left out unless a state or country settles them.
var cities = []city{
	{"New York City", "New York", unitedStates}, {"New York", "New York", unitedStates},
	{"NYC", "New York", unitedStates}, {"Brooklyn", "New York", unitedStates},
	{"San Francisco", "California", unitedStates}, {"Los Angeles", "California", unitedStates},
	{"San Diego", "California", unitedStates}, {"San Jose", "California", unitedStates},
	{"Oakland", "California", unitedStates}, {"Palo Alto", "California", unitedStates},
	{"Mountain View", "California", unitedStates}, {"Santa Monica", "California", unitedStates},
	{"Sacramento", "California", unitedStates}, {"Berkeley", "California", unitedStates},
	{"Seattle", "Washington", unitedStates}, {"Kirkland", "Washington", unitedStates},
	{"Bellevue", "Washington", unitedStates}, {"Boston", "Massachusetts", unitedStates},
	{"Chicago", "Illinois", unitedStates}, {"Austin", "Texas", unitedStates},
	{"Dallas", "Texas", unitedStates}, {"Houston", "Texas", unitedStates},
	{"San Antonio", "Texas", unitedStates}, {"Denver", "Colorado", unitedStates},
	{"Boulder", "Colorado", unitedStates}, {"Atlanta", "Georgia", unitedStates},
	{"Miami", "Florida", unitedStates}, {"Tampa", "Florida", unitedStates},
	{"Orlando", "Florida", unitedStates}, {"Philadelphia", "Pennsylvania", unitedStates},
	{"Pittsburgh", "Pennsylvania", unitedStates}, {"Washington D.C.", "District of Columbia", unitedStates},
	{"Washington, D.C.", "District of Columbia", unitedStates}, {"Washington DC", "District of Columbia", unitedStates},
	{"Washington, DC", "District of Columbia", unitedStates}, {"Minneapolis", "Minnesota", unitedStates},
	{"Detroit", "Michigan", unitedStates}, {"Ann Arbor", "Michigan", unitedStates},
	{"Phoenix", "Arizona", unitedStates}, {"Salt Lake City", "Utah", unitedStates},
	{"Nashville", "Tennessee", unitedStates}, {"Raleigh", "North Carolina", unitedStates},
	{"Durham", "North Carolina", unitedStates}, {"Chapel Hill", "North Carolina", unitedStates},
	{"Charlotte", "North Carolina", unitedStates}, {"Baltimore", "Maryland", unitedStates},
	{"Columbus", "Ohio", unitedStates}, {"Cincinnati", "Ohio", unitedStates},
	{"Cleveland", "Ohio", unitedStates}, {"Indianapolis", "Indiana", unitedStates},
	{"St. Louis", "Missouri", unitedStates}, {"Kansas City", "Missouri", unitedStates},
	{"Las Vegas", "Nevada", unitedStates}, {"New Orleans", "Louisiana", unitedStates},
	{"Madison", "Wisconsin", unitedStates}, {"Milwaukee", "Wisconsin", unitedStates},
	{"Honolulu", "Hawaii", unitedStates}, {"Tucson", "Arizona", unitedStates},
	{"Toronto", "Ontario", "Canada"}, {"Montreal", "Quebec", "Canada"}, {"Montréal", "Quebec", "Canada"},
	{"Vancouver", "British Columbia", "Canada"}, {"Ottawa", "Ontario", "Canada"},
	{"Calgary", "Alberta", "Canada"}, {"Waterloo", "Ontario", "Canada"},
	{"London", "England", "United Kingdom"}, {"Manchester", "England", "United Kingdom"},
	{"Edinburgh", "Scotland", "United Kingdom"}, {"Bristol", "England", "United Kingdom"},
	{"Brighton", "England", "United Kingdom"}, {"Leeds", "England", "United Kingdom"},
	{"Glasgow", "Scotland", "United Kingdom"}, {"Oxford", "England", "United Kingdom"},
	{"Dublin", "", "Ireland"}, {"Cork", "", "Ireland"},
	{"Berlin", "", "Germany"}, {"Munich", "Bavaria", "Germany"}, {"München", "Bavaria", "Germany"},
	{"Hamburg", "", "Germany"}, {"Cologne", "", "Germany"}, {"Köln", "", "Germany"},
	{"Frankfurt", "Hesse", "Germany"}, {"Stuttgart", "", "Germany"}, {"Düsseldorf", "", "Germany"},
	{"Leipzig", "", "Germany"}, {"Karlsruhe", "", "Germany"},
	{"Paris", "", "France"}, {"Lyon", "", "France"}, {"Amsterdam", "", "Netherlands"},
	{"Rotterdam", "", "Netherlands"}, {"Utrecht", "", "Netherlands"}, {"Brussels", "", "Belgium"},
	{"Zurich", "", "Switzerland"}, {"Zürich", "", "Switzerland"}, {"Geneva", "", "Switzerland"},
	{"Zug", "", "Switzerland"}, {"Lausanne", "", "Switzerland"}, {"Vienna", "", "Austria"},
	{"Copenhagen", "", "Denmark"}, {"Stockholm", "", "Sweden"}, {"Oslo", "", "Norway"},
	{"Helsinki", "", "Finland"}, {"Tallinn", "", "Estonia"}, {"Riga", "", "Latvia"},
	{"Vilnius", "", "Lithuania"}, {"Warsaw", "", "Poland"}, {"Krakow", "", "Poland"},
	{"Kraków", "", "Poland"}, {"Wroclaw", "", "Poland"}, {"Wrocław", "", "Poland"},
	{"Prague", "", "Czech Republic"}, {"Budapest", "", "Hungary"}, {"Bucharest", "", "Romania"},
	{"Sofia", "", "Bulgaria"}, {"Belgrade", "", "Serbia"}, {"Zagreb", "", "Croatia"},
	{"Ljubljana", "", "Slovenia"}, {"Athens", "", "Greece"}, {"Kyiv", "", "Ukraine"},
	{"Kiev", "", "Ukraine"}, {"Lviv", "", "Ukraine"}, {"Kharkiv", "", "Ukraine"},
	{"Minsk", "", "Belarus"}, {"Istanbul", "", "Turkey"}, {"Madrid", "", "Spain"},
	{"Barcelona", "", "Spain"}, {"Valencia", "", "Spain"}, {"Lisbon", "", "Portugal"},
	{"Porto", "", "Portugal"}, {"Milan", "", "Italy"}, {"Rome", "", "Italy"},
	{"Tel Aviv", "", "Israel"}, {"Dubai", "", "United Arab Emirates"},
	{"Bangalore", "Karnataka", "India"}, {"Bengaluru", "Karnataka", "India"},
	{"Mumbai", "Maharashtra", "India"}, {"Pune", "Maharashtra", "India"},
	{"Hyderabad", "Telangana", "India"}, {"Chennai", "Tamil Nadu", "India"},
	{"New Delhi", "Delhi", "India"}, {"Delhi", "Delhi", "India"}, {"Gurgaon", "Haryana", "India"},
	{"Noida", "Uttar Pradesh", "India"}, {"Ahmedabad", "Gujarat", "India"},
	{"Kolkata", "West Bengal", "India"}, {"Singapore", "", "Singapore"},
	{"Hong Kong", "", "Hong Kong"}, {"Tokyo", "", "Japan"}, {"Seoul", "", "South Korea"},
	{"Shanghai", "", "China"}, {"Beijing", "", "China"}, {"Shenzhen", "", "China"},
	{"Taipei", "", "Taiwan"}, {"Jakarta", "", "Indonesia"}, {"Manila", "", "Philippines"},
	{"Kuala Lumpur", "", "Malaysia"}, {"Bangkok", "", "Thailand"},
	{"Ho Chi Minh City", "", "Vietnam"}, {"Sydney", "New South Wales", "Australia"},
	{"Melbourne", "Victoria", "Australia"}, {"Brisbane", "Queensland", "Australia"},
	{"Perth", "Western Australia", "Australia"}, {"Adelaide", "South Australia", "Australia"},
	{"Auckland", "", "New Zealand"}, {"Wellington", "", "New Zealand"},
	{"Christchurch", "", "New Zealand"}, {"São Paulo", "São Paulo", "Brazil"},
	{"Sao Paulo", "São Paulo", "Brazil"}, {"Rio de Janeiro", "Rio de Janeiro", "Brazil"},
	{"Belo Horizonte", "Minas Gerais", "Brazil"}, {"Florianópolis", "Santa Catarina", "Brazil"},
	{"Florianopolis", "Santa Catarina", "Brazil"}, {"Buenos Aires", "", "Argentina"},
	{"Santiago", "", "Chile"}, {"Bogotá", "", "Colombia"}, {"Bogota", "", "Colombia"},
	{"Medellín", "", "Colombia"}, {"Medellin", "", "Colombia"}, {"Mexico City", "", "Mexico"},
	{"Guadalajara", "", "Mexico"}, {"Montevideo", "", "Uruguay"}, {"Lima", "", "Peru"},
	{"Cape Town", "Western Cape", "South Africa"}, {"Johannesburg", "Gauteng", "South Africa"},
	{"Lagos", "", "Nigeria"}, {"Nairobi", "", "Kenya"}, {"Cairo", "", "Egypt"},
	{"Karachi", "", "Pakistan"}, {"Lahore", "", "Pakistan"}, {"Dhaka", "", "Bangladesh"},
	{"Colombo", "", "Sri Lanka"},
}

var (
	stateCode  = regexp.MustCompile(`(?:,\s*|\s)([A-Z]{2})\b`)
	headOffice = regexp.MustCompile(`(?i)headquarter|\bHQ\b|based in|office`)
	noOffice   = regexp.MustCompile(`(?i)^(none|no\b|n/a|not applicable|remote|(entirely|fully|completely|all|100%) remote|we are (fully |100% )?remote|worldwide|anywhere)`)
)

// parseLocation finds the head office: the first line of the office locations (raw
// Markdown) that is not a remote-work statement and that
// names a known city, country or US state, else a single country named by the region.
// A US state or a country on the same line settles which country a city is in; region
// is plain text. It
// knows a fixed list of places and leaves the rest empty rather than guess.
func parseLocation(offices, region string) schemas.Location {
	for line := range strings.SplitSeq(offices, "\n") {
		line = plainText(line)
		if noOffice.MatchString(line) && !headOffice.MatchString(line) {
			continue // "Entirely remote, with people in Australia, Brazil, …"
		}
		if loc, ok := locateLine(line); ok {
			return loc
		}
	}
	// The region names where people may work; use it only when it is one country.
	if cs := countriesIn(region); len(cs) == 1 && !continents.MatchString(region) {
		return schemas.Location{Country: cs[0]}
	}
	return schemas.Location{}
}

var continents = regexp.MustCompile(`(?i)\b(worldwide|anywhere|europe|emea|americas|north america|latin america|south america|asia|apac|africa|oceania|caribbean|global)`)

// locateLine reads one office line such as "Boston, MA, USA (Headquarters)".
func locateLine(line string) (schemas.Location, bool) {
	line = strings.TrimSpace(line)
	if line == "" {
		return schemas.Location{}, false
	}
	c, cityAt := firstCity(line)
	pair, pairAt := firstCityState(line)
	var loc schemas.Location
	usePair := pairAt >= 0 && (cityAt < 0 || pairAt < cityAt || strings.EqualFold(pair.City, c.name) &&
		(c.country == unitedStates || pair.zip || countryAfter(line, pairAt+len(pair.City)) == unitedStates))
	if country := countryAfter(line, pairAt+len(pair.City)); usePair && country != "" && country != unitedStates {
		usePair = false // "Paris, TX" is in Texas, but "Vienna, VA, Austria" would not be
	}
	switch {
	case usePair:
		loc = pair.Location
	case cityAt >= 0:
		loc = schemas.Location{City: c.name, Region: c.region, Country: c.country}
		if strings.HasPrefix(c.name, "Washington") {
			loc.City = "Washington"
		}
		if country := countryAfter(line, cityAt+len(c.name)); country != "" && country != c.country && c.name != c.country {
			// "Cambridge, England": trust the line over the city table.
			loc.Country, loc.Region = country, ""
		}
	default:
		country := ""
		if cs := countriesIn(line); len(cs) > 0 {
			country = cs[0]
		}
		if state := firstState(line); state != "" && (country == "" || country == unitedStates) {
			loc = schemas.Location{Region: state, Country: unitedStates}
		} else if country != "" {
			loc = schemas.Location{Country: country}
		}
	}
	if loc.City != "" && strings.ToUpper(loc.City) == loc.City {
		loc.City = titleCase(loc.City) // "AUSTIN, TX"
	}
	if loc.City == "New York City" || loc.City == "NYC" {
		loc.City = "New York"
	}
	return loc, loc != schemas.Location{}
}

// countryAfter returns the first country named after position from of line and before
// the next known city, so that in "New York, San Francisco, Lviv (Ukraine)" Ukraine
// belongs to Lviv only.
func countryAfter(line string, from int) string {
	if from < 0 || from >= len(line) {
		return ""
	}
	rest := line[from:]
	if _, next := firstCity(rest); next >= 0 {
		rest = rest[:next]
	}
	if cs := countriesIn(rest); len(cs) > 0 {
		return cs[0]
	}
	return ""
}

// cityState is a "City, ST" or "City, State" pair and whether a ZIP code follows it.
type cityState struct {
	schemas.Location
	zip bool
}

// cityStatePair matches "Atlanta, GA 30303" and "Santa Clara, California".
var cityStatePair = regexp.MustCompile(`(\p{Lu}[\pL.'’]*(?:[ -]\p{Lu}[\pL.'’]*){0,2}),\s*(` + stateAlternation() + `)\b(\s*\d{5})?`)

func stateAlternation() string {
	names := make([]string, 0, 2*len(usStates))
	for code, name := range usStates {
		names = append(names, code, regexp.QuoteMeta(name))
	}
	// Longest first, so "West Virginia" is tried before "Virginia".
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	return strings.Join(names, "|")
}

// firstCityState returns the first "City, State" pair of line and where it starts, or
// -1. The city is cleaned of leading address words ("2nd Floor", "US Headquarters"); a
// pair whose city is a known US city of another state ("San Francisco, New York" in a
// list of cities) is not a pair.
func firstCityState(line string) (cityState, int) {
	for from := 0; from < len(line); {
		m := cityStatePair.FindStringSubmatchIndex(line[from:])
		if m == nil {
			break
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += from
			}
		}
		from = m[3] // go on after this city
		name, at := cleanCity(line[m[2]:m[3]]), m[3]
		if len(name) < 3 || len(countriesIn(name)) > 0 {
			continue // "LA, NY" is two abbreviations and "Colombia, New York" two places
		}
		at -= len(name)
		st := line[m[4]:m[5]]
		region, ok := usStates[st]
		if !ok {
			region = st // a full name
		}
		if c, i := firstCity(name); i == 0 && strings.EqualFold(c.name, name) && c.country == unitedStates && c.region != region {
			continue
		}
		return cityState{
			Location: schemas.Location{City: name, Region: region, Country: unitedStates},
			zip:      m[6] >= 0,
		}, at
	}
	return cityState{}, -1
}

// addressWords are words that come before a city name on an address line.
var addressWords = map[string]bool{
	"headquarters": true, "hq": true, "floor": true, "suite": true, "street": true, "downtown": true,
	"ave": true, "avenue": true, "road": true, "rd": true, "blvd": true, "office": true,
	"offices": true, "building": true, "inc": true, "llc": true, "ltd": true, "corp": true,
	"digital": true, "main": true, "based": true, "located": true,
}

// cleanCity drops the words of a captured city up to the last address word, all-capitals
// abbreviation or word ending in a full stop: "US Headquarters Kirkland" → "Kirkland".
func cleanCity(name string) string {
	words := strings.Fields(name)
	allCaps := strings.ToUpper(name) == name
	keep := 0
	for i, w := range words {
		bare := strings.Trim(w, ".")
		abbrev := strings.HasSuffix(w, ".") && len(bare) > 1 && i < len(words)-1 && bare != "St" && bare != "Ft" && bare != "Mt"
		if addressWords[strings.ToLower(bare)] || abbrev ||
			!allCaps && len(bare) >= 2 && strings.ToUpper(bare) == bare {
			keep = i + 1
		}
	}
	return strings.Join(words[keep:], " ")
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// firstCity returns the known city that appears earliest in line and where, or -1.
func firstCity(line string) (city, int) {
	best, bestAt := city{}, -1
	for _, c := range cities {
		if i := indexWord(line, c.name); i >= 0 && (bestAt < 0 || i < bestAt || i == bestAt && len(c.name) > len(best.name)) {
			best, bestAt = c, i
		}
	}
	return best, bestAt
}

// firstState returns the US state a line names, by full name or by a two-letter code
// after a comma or space ("Atlanta, GA", "Kirkland WA"), whichever comes first.
func firstState(line string) string {
	best, bestAt := "", -1
	for _, m := range stateCode.FindAllStringSubmatchIndex(line, -1) {
		if s, ok := usStates[line[m[2]:m[3]]]; ok {
			best, bestAt = s, m[2]
			break
		}
	}
	for _, name := range usStates {
		if name == "Washington" || name == "Georgia" || name == "New York" {
			continue // a city or a country as often as a state
		}
		if i := indexWord(line, name); i >= 0 && (bestAt < 0 || i < bestAt || i == bestAt && name < best) {
			best, bestAt = name, i
		}
	}
	return best
}

// countriesIn returns the countries a text names, in order of appearance.
func countriesIn(s string) []string {
	type hit struct {
		at      int
		country string
	}
	var hits []hit
	lower := strings.ToLower(s)
	for alias, country := range countryNames {
		if len(alias) <= 4 {
			// Short codes ("US", "UK", "NZ", "USA") only in capitals.
			if i := indexWord(s, strings.ToUpper(alias)); i >= 0 {
				hits = append(hits, hit{i, country})
			}
			continue
		}
		if i := indexWord(lower, alias); i >= 0 {
			hits = append(hits, hit{i, country})
		}
	}
	// Order by position, then name, so the result does not depend on map order.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && (hits[j].at < hits[j-1].at || hits[j].at == hits[j-1].at && hits[j].country < hits[j-1].country); j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.country] {
			seen[h.country] = true
			out = append(out, h.country)
		}
	}
	return out
}

// indexWord finds word in s at word boundaries (letters and digits), or returns -1.
func indexWord(s, word string) int {
	for from := 0; from <= len(s)-len(word); {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return -1
		}
		start, end := from+i, from+i+len(word)
		if (start == 0 || !isLetterOrDigitBefore(s, start)) && (end == len(s) || !isLetterOrDigitAt(s, end)) {
			return start
		}
		from = start + 1
	}
	return -1
}

func isLetterOrDigitBefore(s string, i int) bool {
	r, n := utf8.DecodeLastRuneInString(s[:i])
	return n > 0 && isAlnum(r)
}

func isLetterOrDigitAt(s string, i int) bool {
	r, n := utf8.DecodeRuneInString(s[i:])
	return n > 0 && isAlnum(r)
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
