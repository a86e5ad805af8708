package pipelines

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/schemas"
)

const (
	unitedStates  = "United States"
	canada        = "Canada"
	unitedKingdom = "United Kingdom"
)

const (
	maxPlaceText   = 256 // bytes of a free-text place that ParsePlace reads
	maxPlaceTokens = 10  // parts of one place that ParsePlace reads
	maxPlaceWords  = 12  // words of one part that ParsePlace reads
)

// country is a country's English name, the other ways free text names it, and its
// ISO 3166 codes, which are read in a country field only: in free text "DE" and "IN"
// are as often Delaware and Indiana.
type country struct {
	name    string
	aliases []string
	codes   []string
}

func countryTable() []country {
	return []country{
		{unitedStates, []string{"united states of america", "usa", "us", "u.s.a.", "the united states", "the us",
			"the usa", "estados unidos"}, []string{"us", "usa"}},
		{unitedKingdom, []string{"uk", "u.k.", "the uk", "the united kingdom", "great britain", "britain",
			"england", "scotland", "wales", "northern ireland"}, []string{"gb", "gbr"}},
		{canada, nil, []string{"ca", "can"}},
		{"Mexico", []string{"méxico"}, []string{"mx", "mex"}},
		{"Brazil", []string{"brasil"}, []string{"br", "bra"}},
		{"Argentina", nil, []string{"ar", "arg"}},
		{"Chile", nil, []string{"cl", "chl"}},
		{"Colombia", nil, []string{"co", "col"}},
		{"Peru", []string{"perú"}, []string{"pe", "per"}},
		{"Uruguay", nil, []string{"uy", "ury"}},
		{"Costa Rica", nil, []string{"cr", "cri"}},
		{"Ireland", []string{"republic of ireland", "éire"}, []string{"ie", "irl"}},
		{"Germany", []string{"deutschland"}, []string{"de", "deu"}},
		{"France", nil, []string{"fr", "fra"}},
		{"Spain", []string{"españa"}, []string{"es", "esp"}},
		{"Portugal", nil, []string{"pt", "prt"}},
		{"Italy", []string{"italia"}, []string{"it", "ita"}},
		{"Netherlands", []string{"the netherlands", "holland", "nederland"}, []string{"nl", "nld"}},
		{"Belgium", []string{"belgië", "belgique", "belgien"}, []string{"be", "bel"}},
		{"Luxembourg", nil, []string{"lu", "lux"}},
		{"Switzerland", []string{"schweiz", "suisse", "svizzera"}, []string{"ch", "che"}},
		{"Austria", []string{"österreich"}, []string{"at", "aut"}},
		{"Denmark", []string{"danmark"}, []string{"dk", "dnk"}},
		{"Sweden", []string{"sverige"}, []string{"se", "swe"}},
		{"Norway", []string{"norge"}, []string{"no", "nor"}},
		{"Finland", []string{"suomi"}, []string{"fi", "fin"}},
		{"Iceland", nil, []string{"is", "isl"}},
		{"Estonia", nil, []string{"ee", "est"}},
		{"Latvia", nil, []string{"lv", "lva"}},
		{"Lithuania", nil, []string{"lt", "ltu"}},
		{"Poland", []string{"polska"}, []string{"pl", "pol"}},
		{"Czech Republic", []string{"czechia", "česko", "česká republika"}, []string{"cz", "cze"}},
		{"Slovakia", nil, []string{"sk", "svk"}},
		{"Hungary", []string{"magyarország"}, []string{"hu", "hun"}},
		{"Romania", []string{"românia"}, []string{"ro", "rou"}},
		{"Bulgaria", nil, []string{"bg", "bgr"}},
		{"Serbia", nil, []string{"rs", "srb"}},
		{"Croatia", []string{"hrvatska"}, []string{"hr", "hrv"}},
		{"Slovenia", nil, []string{"si", "svn"}},
		{"Greece", []string{"hellas"}, []string{"gr", "grc"}},
		{"Cyprus", nil, []string{"cy", "cyp"}},
		{"Malta", nil, []string{"mt", "mlt"}},
		{"Ukraine", nil, []string{"ua", "ukr"}},
		{"Russia", []string{"russian federation"}, []string{"ru", "rus"}},
		{"Turkey", []string{"türkiye"}, []string{"tr", "tur"}},
		{"Israel", nil, []string{"il", "isr"}},
		{"United Arab Emirates", []string{"uae", "u.a.e.", "emirates"}, []string{"ae", "are"}},
		{"Saudi Arabia", []string{"ksa"}, []string{"sa", "sau"}},
		{"Qatar", nil, []string{"qa", "qat"}},
		{"Egypt", nil, []string{"eg", "egy"}},
		{"Morocco", nil, []string{"ma", "mar"}},
		{"Nigeria", nil, []string{"ng", "nga"}},
		{"Kenya", nil, []string{"ke", "ken"}},
		{"South Africa", []string{"rsa"}, []string{"za", "zaf"}},
		{"India", []string{"bharat"}, []string{"in", "ind"}},
		{"Pakistan", nil, []string{"pk", "pak"}},
		{"Bangladesh", nil, []string{"bd", "bgd"}},
		{"Sri Lanka", nil, []string{"lk", "lka"}},
		{"China", []string{"prc", "people's republic of china", "mainland china"}, []string{"cn", "chn"}},
		{"Hong Kong", []string{"hong kong sar"}, []string{"hk", "hkg"}},
		{"Taiwan", nil, []string{"tw", "twn"}},
		{"Japan", []string{"nippon"}, []string{"jp", "jpn"}},
		{"South Korea", []string{"korea", "republic of korea"}, []string{"kr", "kor"}},
		{"Singapore", nil, []string{"sg", "sgp"}},
		{"Malaysia", nil, []string{"my", "mys"}},
		{"Indonesia", nil, []string{"id", "idn"}},
		{"Philippines", []string{"the philippines"}, []string{"ph", "phl"}},
		{"Vietnam", []string{"viet nam"}, []string{"vn", "vnm"}},
		{"Thailand", nil, []string{"th", "tha"}},
		{"Australia", nil, []string{"au", "aus"}},
		{"New Zealand", []string{"nz", "aotearoa"}, []string{"nzl"}},
	}
}

// ukNations are the parts of the United Kingdom that are also named as countries; such
// a country becomes the United Kingdom and the part its region.
func ukNations() []string { return []string{"England", "Scotland", "Wales", "Northern Ireland"} }

// region is a US state or Canadian province: its two-letter code, its names and the
// abbreviations of the AP style ("Calif.", "Ont."), which are read after a city or in a
// region field but not at the end of a longer text ("Isle of Man").
type region struct {
	code, name string
	names      []string
	abbrevs    []string
}

func usStates() []region {
	return []region{
		{"AL", "Alabama", nil, []string{"ala."}}, {"AK", "Alaska", nil, []string{"alas."}},
		{"AZ", "Arizona", nil, []string{"ariz."}}, {"AR", "Arkansas", nil, []string{"ark."}},
		{"CA", "California", nil, []string{"calif.", "cal."}}, {"CO", "Colorado", nil, []string{"colo."}},
		{"CT", "Connecticut", nil, []string{"conn."}}, {"DE", "Delaware", nil, []string{"del."}},
		{"FL", "Florida", nil, []string{"fla."}}, {"GA", "Georgia", nil, nil},
		{"HI", "Hawaii", nil, nil}, {"ID", "Idaho", nil, nil},
		{"IL", "Illinois", nil, []string{"ill."}}, {"IN", "Indiana", nil, []string{"ind."}},
		{"IA", "Iowa", nil, nil}, {"KS", "Kansas", nil, []string{"kan.", "kans."}},
		{"KY", "Kentucky", nil, nil}, {"LA", "Louisiana", nil, nil},
		{"ME", "Maine", nil, nil}, {"MD", "Maryland", nil, nil},
		{"MA", "Massachusetts", nil, []string{"mass."}}, {"MI", "Michigan", nil, []string{"mich."}},
		{"MN", "Minnesota", nil, []string{"minn."}}, {"MS", "Mississippi", nil, []string{"miss."}},
		{"MO", "Missouri", nil, nil}, {"MT", "Montana", nil, []string{"mont."}},
		{"NE", "Nebraska", nil, []string{"neb.", "nebr."}}, {"NV", "Nevada", nil, []string{"nev."}},
		{"NH", "New Hampshire", nil, nil}, {"NJ", "New Jersey", nil, nil},
		{"NM", "New Mexico", nil, []string{"n.mex.", "n. mex."}}, {"NY", "New York", []string{"new york state"}, nil},
		{"NC", "North Carolina", nil, nil}, {"ND", "North Dakota", nil, []string{"n.dak.", "n. dak."}},
		{"OH", "Ohio", nil, nil}, {"OK", "Oklahoma", nil, []string{"okla."}},
		{"OR", "Oregon", nil, []string{"ore.", "oreg."}}, {"PA", "Pennsylvania", nil, []string{"penn.", "penna."}},
		{"RI", "Rhode Island", nil, nil}, {"SC", "South Carolina", nil, nil},
		{"SD", "South Dakota", nil, []string{"s.dak.", "s. dak."}}, {"TN", "Tennessee", nil, []string{"tenn."}},
		{"TX", "Texas", nil, []string{"tex."}}, {"UT", "Utah", nil, nil},
		{"VT", "Vermont", nil, nil}, {"VA", "Virginia", nil, nil},
		{"WA", "Washington", []string{"washington state"}, []string{"wash."}},
		{"WV", "West Virginia", nil, []string{"w.va.", "w. va."}},
		{"WI", "Wisconsin", nil, []string{"wis.", "wisc."}}, {"WY", "Wyoming", nil, []string{"wyo."}},
		{"DC", "District of Columbia", []string{"washington dc", "washington d.c."}, nil},
	}
}

func canadianProvinces() []region {
	return []region{
		{"AB", "Alberta", nil, []string{"alta."}},
		{"BC", "British Columbia", []string{"colombie-britannique"}, nil},
		{"MB", "Manitoba", nil, []string{"man."}},
		{"NB", "New Brunswick", []string{"nouveau-brunswick"}, nil},
		{"NL", "Newfoundland and Labrador", []string{"newfoundland", "terre-neuve-et-labrador"}, []string{"nfld."}},
		{"NS", "Nova Scotia", []string{"nouvelle-écosse"}, nil},
		{"NT", "Northwest Territories", nil, []string{"nwt", "n.w.t."}},
		{"NU", "Nunavut", nil, nil},
		{"ON", "Ontario", nil, []string{"ont."}},
		{"PE", "Prince Edward Island", []string{"île-du-prince-édouard"}, []string{"pei", "p.e.i."}},
		{"QC", "Quebec", nil, []string{"que.", "pq"}},
		{"SK", "Saskatchewan", nil, []string{"sask."}},
		{"YT", "Yukon", []string{"yukon territory"}, nil},
	}
}

// metroRegions are names of areas that lie in one US state.
func metroRegions() []struct{ name, code string } {
	return []struct{ name, code string }{{"bay area", "CA"}, {"silicon valley", "CA"}}
}

// place is where a known city is.
type place struct {
	city, region, country string
}

// cityEntry is a known city, where it is and its other names. A name shared by two
// entries ("Portland", "Cambridge") is ambiguous: it settles on one only when the
// region or country says which.
type cityEntry struct {
	place
	aliases []string
}

func cityTable() []cityEntry {
	us, uk := unitedStates, unitedKingdom
	c := func(city, region, country string, aliases ...string) cityEntry {
		return cityEntry{place{city, region, country}, aliases}
	}
	return []cityEntry{
		c("New York", "NY", us, "new york city", "nyc", "ny city"), c("Brooklyn", "NY", us),
		c("Buffalo", "NY", us), c("Jersey City", "NJ", us), c("Los Angeles", "CA", us),
		c("San Francisco", "CA", us, "sf", "san francisco bay", "sf bay"), c("San Diego", "CA", us),
		c("San Jose", "CA", us), c("Oakland", "CA", us), c("Berkeley", "CA", us), c("Palo Alto", "CA", us),
		c("Mountain View", "CA", us), c("Menlo Park", "CA", us), c("Sunnyvale", "CA", us),
		c("Santa Clara", "CA", us), c("Redwood City", "CA", us), c("Irvine", "CA", us),
		c("Santa Monica", "CA", us), c("Sacramento", "CA", us), c("Seattle", "WA", us), c("Bellevue", "WA", us),
		c("Redmond", "WA", us), c("Boston", "MA", us), c("Chicago", "IL", us), c("Houston", "TX", us),
		c("Dallas", "TX", us), c("Austin", "TX", us), c("San Antonio", "TX", us), c("Fort Worth", "TX", us),
		c("Plano", "TX", us), c("Phoenix", "AZ", us), c("Scottsdale", "AZ", us), c("Tucson", "AZ", us),
		c("Philadelphia", "PA", us), c("Pittsburgh", "PA", us), c("Denver", "CO", us), c("Boulder", "CO", us),
		c("Washington", "DC", us, "washington dc", "washington d.c."), c("Atlanta", "GA", us),
		c("Miami", "FL", us), c("Tampa", "FL", us), c("Orlando", "FL", us), c("Jacksonville", "FL", us),
		c("Nashville", "TN", us), c("Memphis", "TN", us), c("Detroit", "MI", us), c("Ann Arbor", "MI", us),
		c("Minneapolis", "MN", us), c("Baltimore", "MD", us), c("Raleigh", "NC", us), c("Charlotte", "NC", us),
		c("Columbus", "OH", us), c("Cleveland", "OH", us), c("Cincinnati", "OH", us),
		c("Indianapolis", "IN", us), c("St. Louis", "MO", us, "saint louis"), c("Las Vegas", "NV", us),
		c("Salt Lake City", "UT", us), c("Provo", "UT", us), c("New Orleans", "LA", us),
		c("Milwaukee", "WI", us), c("Madison", "WI", us), c("Oklahoma City", "OK", us),
		c("Louisville", "KY", us), c("Omaha", "NE", us), c("Albuquerque", "NM", us), c("Honolulu", "HI", us),
		c("Hartford", "CT", us), c("Stamford", "CT", us), c("Providence", "RI", us),
		c("Portland", "OR", us), c("Portland", "ME", us),
		c("Kansas City", "MO", us), c("Kansas City", "KS", us),
		c("Arlington", "VA", us), c("Arlington", "TX", us),
		c("Richmond", "VA", us), c("Richmond", "BC", canada),
		c("Durham", "NC", us), c("Durham", "England", uk),
		c("Cambridge", "MA", us), c("Cambridge", "England", uk),
		c("Birmingham", "AL", us), c("Birmingham", "England", uk),
		c("Vancouver", "BC", canada), c("Vancouver", "WA", us),
		c("Waterloo", "ON", canada), c("Waterloo", "IA", us),
		c("Toronto", "ON", canada), c("Ottawa", "ON", canada), c("Montreal", "QC", canada),
		c("Quebec City", "QC", canada, "québec city", "ville de québec"), c("Calgary", "AB", canada),
		c("Edmonton", "AB", canada), c("Winnipeg", "MB", canada), c("Halifax", "NS", canada),
		c("London", "England", uk), c("Manchester", "England", uk), c("Bristol", "England", uk),
		c("Leeds", "England", uk), c("Liverpool", "England", uk), c("Oxford", "England", uk),
		c("Brighton", "England", uk), c("Edinburgh", "Scotland", uk), c("Glasgow", "Scotland", uk),
		c("Cardiff", "Wales", uk), c("Belfast", "Northern Ireland", uk),
		c("Dublin", "", "Ireland"), c("Cork", "", "Ireland"),
		c("Berlin", "", "Germany"), c("Munich", "Bavaria", "Germany", "münchen"),
		c("Hamburg", "", "Germany"), c("Frankfurt", "Hesse", "Germany", "frankfurt am main"),
		c("Cologne", "North Rhine-Westphalia", "Germany", "köln"),
		c("Düsseldorf", "North Rhine-Westphalia", "Germany"), c("Stuttgart", "Baden-Württemberg", "Germany"),
		c("Leipzig", "Saxony", "Germany"), c("Dresden", "Saxony", "Germany"),
		c("Paris", "", "France"), c("Lyon", "", "France"), c("Marseille", "", "France", "marseilles"),
		c("Toulouse", "", "France"), c("Amsterdam", "", "Netherlands"), c("Rotterdam", "", "Netherlands"),
		c("Utrecht", "", "Netherlands"), c("Eindhoven", "", "Netherlands"),
		c("The Hague", "", "Netherlands", "den haag"), c("Brussels", "", "Belgium", "bruxelles", "brussel"),
		c("Antwerp", "", "Belgium", "antwerpen"), c("Luxembourg", "", "Luxembourg", "luxembourg city"),
		c("Zurich", "", "Switzerland"), c("Geneva", "", "Switzerland", "genève", "genf"),
		c("Basel", "", "Switzerland"), c("Zug", "", "Switzerland"), c("Lausanne", "", "Switzerland"),
		c("Bern", "", "Switzerland"), c("Vienna", "", "Austria", "wien"),
		c("Copenhagen", "", "Denmark", "københavn"), c("Stockholm", "", "Sweden"),
		c("Gothenburg", "", "Sweden", "göteborg"), c("Malmö", "", "Sweden"), c("Oslo", "", "Norway"),
		c("Helsinki", "", "Finland"), c("Tallinn", "", "Estonia"), c("Riga", "", "Latvia"),
		c("Vilnius", "", "Lithuania"), c("Warsaw", "", "Poland", "warszawa"), c("Kraków", "", "Poland", "cracow"),
		c("Wrocław", "", "Poland"), c("Prague", "", "Czech Republic", "praha"), c("Brno", "", "Czech Republic"),
		c("Budapest", "", "Hungary"), c("Bucharest", "", "Romania", "bucurești"),
		c("Cluj-Napoca", "", "Romania", "cluj"), c("Sofia", "", "Bulgaria"), c("Belgrade", "", "Serbia", "beograd"),
		c("Zagreb", "", "Croatia"), c("Athens", "", "Greece"), c("Kyiv", "", "Ukraine", "kiev"),
		c("Lviv", "", "Ukraine"), c("Istanbul", "", "Turkey"), c("Ankara", "", "Turkey"),
		c("Madrid", "", "Spain"), c("Barcelona", "", "Spain"), c("Valencia", "", "Spain"),
		c("Lisbon", "", "Portugal", "lisboa"), c("Porto", "", "Portugal"), c("Milan", "", "Italy", "milano"),
		c("Rome", "", "Italy", "roma"), c("Turin", "", "Italy", "torino"),
		c("Tel Aviv", "", "Israel", "tel aviv-yafo", "tel-aviv"), c("Jerusalem", "", "Israel"),
		c("Haifa", "", "Israel"), c("Dubai", "", "United Arab Emirates"), c("Abu Dhabi", "", "United Arab Emirates"),
		c("Riyadh", "", "Saudi Arabia"), c("Doha", "", "Qatar"), c("Cairo", "", "Egypt"),
		c("Lagos", "", "Nigeria"), c("Nairobi", "", "Kenya"),
		c("Cape Town", "Western Cape", "South Africa"), c("Johannesburg", "Gauteng", "South Africa"),
		c("Bengaluru", "Karnataka", "India", "bangalore"), c("Mumbai", "Maharashtra", "India", "bombay"),
		c("Pune", "Maharashtra", "India"), c("New Delhi", "Delhi", "India"), c("Delhi", "Delhi", "India"),
		c("Hyderabad", "Telangana", "India"), c("Hyderabad", "Sindh", "Pakistan"),
		c("Chennai", "Tamil Nadu", "India", "madras"), c("Kolkata", "West Bengal", "India", "calcutta"),
		c("Gurugram", "Haryana", "India", "gurgaon"), c("Noida", "Uttar Pradesh", "India"),
		c("Ahmedabad", "Gujarat", "India"), c("Karachi", "", "Pakistan"), c("Lahore", "", "Pakistan"),
		c("Islamabad", "", "Pakistan"), c("Dhaka", "", "Bangladesh"), c("Colombo", "", "Sri Lanka"),
		c("Beijing", "", "China", "peking"), c("Shanghai", "", "China"), c("Shenzhen", "", "China"),
		c("Guangzhou", "", "China"), c("Hangzhou", "", "China"), c("Hong Kong", "", "Hong Kong"),
		c("Taipei", "", "Taiwan"), c("Tokyo", "", "Japan"), c("Osaka", "", "Japan"), c("Kyoto", "", "Japan"),
		c("Seoul", "", "South Korea"), c("Singapore", "", "Singapore"), c("Kuala Lumpur", "", "Malaysia"),
		c("Jakarta", "", "Indonesia"), c("Manila", "", "Philippines"), c("Bangkok", "", "Thailand"),
		c("Ho Chi Minh City", "", "Vietnam", "saigon"), c("Hanoi", "", "Vietnam"),
		c("Sydney", "New South Wales", "Australia"), c("Melbourne", "Victoria", "Australia"),
		c("Brisbane", "Queensland", "Australia"), c("Adelaide", "South Australia", "Australia"),
		c("Canberra", "Australian Capital Territory", "Australia"),
		c("Perth", "Western Australia", "Australia"), c("Perth", "Scotland", uk),
		c("Auckland", "", "New Zealand"), c("Wellington", "", "New Zealand"),
		c("Christchurch", "", "New Zealand"), c("São Paulo", "São Paulo", "Brazil"),
		c("Rio de Janeiro", "Rio de Janeiro", "Brazil", "rio"), c("Mexico City", "", "Mexico",
			"ciudad de méxico", "cdmx"), c("Guadalajara", "", "Mexico"), c("Monterrey", "", "Mexico"),
		c("Buenos Aires", "", "Argentina"), c("Santiago", "", "Chile", "santiago de chile"),
		c("Bogotá", "", "Colombia"), c("Medellín", "", "Colombia"), c("Lima", "", "Peru"),
		c("Montevideo", "", "Uruguay"),
	}
}

// placeWords are the words around a place that name none: how the work is done,
// where in a city, areas of the world. lead and trail words are cut from the start
// and end of a part ("Greater Boston Area", "US only"); a part made only of words of
// any of the three lists names no place ("Remote", "N/A", "North America").
func placeWords() (lead, trail, other []string) {
	lead = []string{"remote", "hybrid", "onsite", "on", "site", "in", "office", "offices", "hq",
		"headquarters", "headquartered", "based", "located", "greater", "metro", "downtown", "near",
		"anywhere", "within", "fully", "the", "of", "from", "work", "flexible", "partially", "central"}
	trail = []string{"area", "areas", "metro", "metropolitan", "metroplex", "region", "hq", "headquarters",
		"office", "offices", "remote", "hybrid", "onsite", "on", "site", "only", "based", "preferred",
		"required", "eligible"}
	other = []string{"worldwide", "global", "globally", "international", "multiple", "various", "locations",
		"location", "tbd", "tba", "n", "a", "na", "none", "unknown", "null", "not", "specified", "distributed",
		"virtual", "wfh", "home", "telecommute", "telecommuting", "europe", "emea", "apac", "latam", "americas",
		"asia", "africa", "oceania", "eu", "eea", "north", "south", "east", "west", "america", "pacific",
		"nordics", "dach", "benelux", "middle", "coast", "timezone", "timezones", "time", "zone", "zones",
		"utc", "gmt", "cet", "est", "pst", "et", "any", "or", "and", "first"}
	return lead, trail, other
}

// regionInfo is what a folded region name names.
type regionInfo struct {
	code, country string
	abbrev        bool
}

// placeTables are the place lookups of a Normalizer.
type placeTables struct {
	countries map[string]string // folded name or alias → English name
	codes     map[string]string // folded ISO code → English name
	nations   map[string]string // folded part of the United Kingdom → its name
	regions   map[string]regionInfo
	cities    map[string][]place
	lead      map[string]bool
	trail     map[string]bool
	noise     map[string]bool // lead, trail and other words
}

func newPlaceTables() placeTables {
	t := placeTables{
		countries: make(map[string]string, 200),
		codes:     make(map[string]string, 150),
		nations:   make(map[string]string, 4),
		regions:   make(map[string]regionInfo, 250),
		cities:    make(map[string][]place, 300),
		lead:      make(map[string]bool),
		trail:     make(map[string]bool),
		noise:     make(map[string]bool),
	}
	set := func(m map[string]string, alias, value string) {
		key := string(appendKey(nil, alias))
		if old, ok := m[key]; ok && old != value {
			panic(fmt.Sprintf("pipelines: place %q is both %s and %s", alias, old, value))
		}
		m[key] = value
	}
	for _, c := range countryTable() {
		set(t.countries, c.name, c.name)
		for _, a := range c.aliases {
			set(t.countries, a, c.name)
		}
		for _, code := range c.codes {
			set(t.codes, code, c.name)
		}
	}
	setRegion := func(alias string, r regionInfo) {
		key := string(appendKey(nil, alias))
		if old, ok := t.regions[key]; ok && old != r {
			panic(fmt.Sprintf("pipelines: region %q is both %s and %s", alias, old.code, r.code))
		}
		t.regions[key] = r
	}
	for _, group := range []struct {
		country string
		regions []region
	}{{unitedStates, usStates()}, {canada, canadianProvinces()}} {
		for _, r := range group.regions {
			info := regionInfo{code: r.code, country: group.country}
			setRegion(r.code, info)
			setRegion(r.name, info)
			for _, a := range r.names {
				setRegion(a, info)
			}
			info.abbrev = true
			for _, a := range r.abbrevs {
				setRegion(a, info)
			}
		}
	}
	for _, m := range metroRegions() {
		setRegion(m.name, regionInfo{code: m.code, country: unitedStates})
	}
	for _, nation := range ukNations() {
		set(t.nations, nation, nation)
		setRegion(nation, regionInfo{code: nation, country: unitedKingdom})
	}
	for _, e := range cityTable() {
		for _, name := range append([]string{e.city}, e.aliases...) {
			key := string(appendKey(nil, name))
			t.cities[key] = append(t.cities[key], e.place)
		}
	}
	lead, trail, other := placeWords()
	for _, w := range lead {
		t.lead[w], t.noise[w] = true, true
	}
	for _, w := range trail {
		t.trail[w], t.noise[w] = true, true
	}
	for _, w := range other {
		t.noise[w] = true
	}
	return t
}

// Location normalises a company's location. The city is trimmed and capitalised, a
// known city by its usual English name ("München" → "Munich", "NYC" → "New York"). A
// US state or Canadian province becomes its two-letter code ("California", "Calif."
// and "ca" → "CA"), and a country its English name ("USA" → "United States",
// "Deutschland" → "Germany"; ISO codes such as "DE" are read here too); "England",
// "Scotland", "Wales" and "Northern Ireland" become the United Kingdom with the nation
// as region. Missing parts are filled in from what is given: the country from a state
// or province, and the region and country of a well-known city when its name, with
// the region and country given, points at one place (a lone "Portland" gets the
// United States but no state). A city field holding a whole place ("Boston, MA") is
// read as ParsePlace reads it. Placeholders ("N/A", "Remote") and values longer than
// 128 bytes are dropped; other unknown values are kept, capitalised.
func (n *Normalizer) Location(l schemas.Location) schemas.Location {
	city, region, country := l.City, l.Region, l.Country
	if strings.ContainsRune(city, ',') && len(city) <= 2*maxFieldBytes {
		p := n.ParsePlace(city)
		city = p.City
		if strings.TrimSpace(region) == "" {
			region = p.Region
		}
		if strings.TrimSpace(country) == "" {
			country = p.Country
		}
	}
	return n.place.resolve(city, region, country)
}

// resolve normalises the three parts of a place and fills in the missing ones.
func (t *placeTables) resolve(city, region, country string) schemas.Location {
	city, region, country = cleanText(city), cleanText(region), cleanText(country)
	var out schemas.Location
	var buf [2 * maxFieldBytes]byte
	nation := ""
	if country != "" {
		key := appendKey(buf[:0], country)
		if name, ok := t.countries[string(key)]; ok {
			out.Country = name
			nation = t.nations[string(key)]
		} else if name, ok := t.codes[string(key)]; ok {
			out.Country = name
		} else if !t.isNoise(key) {
			out.Country = fieldTitle(country)
		}
	}
	if region != "" {
		key := appendKey(buf[:0], region)
		if r, ok := t.regions[string(key)]; ok && (out.Country == "" || out.Country == r.country) {
			out.Region = r.code
			if out.Country == "" {
				out.Country = r.country
			}
		} else if !t.isNoise(key) {
			out.Region = fieldTitle(region)
		}
	}
	if out.Region == "" {
		out.Region = nation
	}
	if city != "" {
		key := appendKey(buf[:0], city)
		if !t.isNoise(key) {
			t.settleCity(&out, city, t.cities[string(key)])
		}
	}
	return out
}

// settleCity sets out.City and fills in out's region and country from the known
// places of that name that agree with what out already says.
func (t *placeTables) settleCity(out *schemas.Location, city string, known []place) {
	var first place
	matches := 0
	sameCountry, sameCity := true, true
	for _, p := range known {
		if out.Country != "" && p.country != out.Country {
			continue
		}
		if out.Region != "" && p.region != "" && p.region != out.Region && usesRegionCodes(out.Country) {
			continue
		}
		if matches == 0 {
			first = p
		} else {
			sameCountry = sameCountry && p.country == first.country
			sameCity = sameCity && p.city == first.city
		}
		matches++
	}
	switch {
	case matches == 0:
		out.City = fieldTitle(city)
	case matches == 1:
		out.City = first.city
		if out.Region == "" {
			out.Region = first.region
		}
		if out.Country == "" {
			out.Country = first.country
		}
	default:
		out.City = fieldTitle(city)
		if sameCity {
			out.City = first.city
		}
		if sameCountry && out.Country == "" {
			out.Country = first.country
		}
	}
}

// fieldTitle is placeTitle for a field's value, which stays within maxFieldBytes:
// changing the case of a few letters can lengthen their UTF-8 encoding.
func fieldTitle(s string) string {
	if s = placeTitle(s); len(s) > maxFieldBytes {
		return ""
	}
	return s
}

// usesRegionCodes reports whether the regions of a country are two-letter codes that
// a known city's region can be compared with.
func usesRegionCodes(country string) bool { return country == unitedStates || country == canada }

// isNoise reports whether every word of a key names no place: "n a", "remote",
// "100 remote". An empty key is noise.
func (t *placeTables) isNoise(key []byte) bool {
	noise := true
	keyWords(key, func(w []byte) bool {
		noise = t.noise[string(w)] || isDigits(w)
		return noise
	})
	return noise
}

func isDigits(w []byte) bool {
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(w) > 0
}

// ParsePlace reads a free-text place, such as a job's location, and returns what it
// can of it, normalised as Location does: "Boston, MA" → Boston, MA, United States;
// "Berlin, Germany" and "Berlin, DE" → Berlin, Germany; "Remote - US" → United States;
// "Austin TX 78701 (HQ)" → Austin, TX, United States. Where the text lists
// alternatives ("NYC or Remote", "Boston / London") the first that names a place
// wins. Words about the way of working ("Remote", "Hybrid") and areas of the world
// ("EMEA") name no place. Only the first 256 bytes of text are read.
func (n *Normalizer) ParsePlace(text string) schemas.Location {
	t := &n.place
	if len(text) > maxPlaceText {
		cut := maxPlaceText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	for text != "" {
		var alt string
		alt, text = cutAlternative(text)
		if loc := t.parseAlternative(alt); loc != (schemas.Location{}) {
			return loc
		}
	}
	return schemas.Location{}
}

// cutAlternative splits off the first of the alternatives a place text lists,
// separated by ";", "|", "/", "•", a line break, " or ", " and " or " & ".
func cutAlternative(s string) (alt, rest string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ';', '|', '/', '\n':
			return s[:i], s[i+1:]
		case 0xE2: // "•"
			if strings.HasPrefix(s[i:], "•") {
				return s[:i], s[i+len("•"):]
			}
		case ' ':
			for _, sep := range [...]string{" or ", " and ", " & "} {
				if len(s)-i >= len(sep) && strings.EqualFold(s[i:i+len(sep)], sep) {
					return s[:i], s[i+len(sep):]
				}
			}
		}
	}
	return s, ""
}

// cutPart splits off the first part of one place, separated by a comma, a
// parenthesis or bracket, a colon, a tab or a dash between spaces.
func cutPart(s string) (part, rest string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ',', '(', ')', '[', ']', ':', '\t':
			return s[:i], s[i+1:]
		case ' ':
			for _, sep := range [...]string{" - ", " – ", " — "} {
				if strings.HasPrefix(s[i:], sep) {
					return s[:i], s[i+len(sep):]
				}
			}
		}
	}
	return s, ""
}

// placeToken is one part of a place text and what it may name.
type placeToken struct {
	text    string  // the words that name the place, as written
	cities  []place // known cities of that name
	region  regionInfo
	country string // the country it names
	iso     string // the country it names as an ISO code ("DE"), read only after a city
	address bool   // it has a digit: a street address or a postcode
}

func (k *placeToken) known() bool {
	return len(k.cities) > 0 || k.region.code != "" || k.country != ""
}

// parseAlternative reads one place: its parts, then which of them is the city, the
// region and the country.
func (t *placeTables) parseAlternative(s string) schemas.Location {
	var buf [maxPlaceTokens]placeToken
	toks := buf[:0]
	for s != "" && len(toks) < maxPlaceTokens-1 {
		var part string
		part, s = cutPart(s)
		toks = t.classifyPart(toks, part)
	}
	if len(toks) == 0 {
		return schemas.Location{}
	}
	return t.assign(toks)
}

// wordSpan is where one word of a part starts and ends.
type wordSpan struct{ start, end int }

// classifyPart appends the tokens of one part: none when it names no place, two when
// a place ends it ("Boston MA", "Berlin Germany"), else one.
func (t *placeTables) classifyPart(toks []placeToken, part string) []placeToken {
	var spans [maxPlaceWords]wordSpan
	words := splitPlaceWords(part, spans[:0])
	if len(words) == 0 {
		return toks
	}
	after := len(toks) > 0 // abbreviations such as "Calif." only after a city
	a, b := 0, len(words)-1
	tok := t.lookup(part[words[a].start:words[b].end], after)
	if tok.known() {
		return append(toks, tok)
	}
	word := func(i int) string { return part[words[i].start:words[i].end] }
	for a <= b && t.wordIs(word(a), t.lead, false) {
		a++
	}
	for b >= a && t.wordIs(word(b), t.trail, true) {
		b--
	}
	if a > b {
		return toks
	}
	allNoise := true
	for i := a; i <= b && allNoise; i++ {
		allNoise = t.wordIs(word(i), t.noise, true)
	}
	if allNoise {
		return toks
	}
	if a > 0 || b < len(words)-1 {
		tok = t.lookup(part[words[a].start:words[b].end], after)
		if tok.known() {
			return append(toks, tok)
		}
	}
	for l := min(3, b-a); l >= 1; l-- {
		tail := part[words[b-l+1].start:words[b].end]
		if end, ok := t.trailingPlace(tail); ok {
			head := t.lookup(part[words[a].start:words[b-l].end], after)
			return append(toks, head, end)
		}
	}
	return append(toks, tok)
}

// wordIs reports whether the key of a word is in set, or, when digits is set, a number.
func (t *placeTables) wordIs(word string, set map[string]bool, digits bool) bool {
	var buf [64]byte
	key := appendKey(buf[:0], word)
	return set[string(key)] || digits && isDigits(key)
}

// splitPlaceWords appends the words of s: runs of letters, digits, full stops and
// apostrophes with at least one letter or digit.
func splitPlaceWords(s string, spans []wordSpan) []wordSpan {
	start, alnum := -1, false
	for i, r := range s {
		in := unicode.IsLetter(r) || unicode.IsDigit(r)
		if in || r == '.' || r == '\'' || r == '’' {
			if start < 0 {
				start, alnum = i, false
			}
			alnum = alnum || in
			continue
		}
		if start >= 0 && alnum {
			if len(spans) == cap(spans) {
				return spans
			}
			spans = append(spans, wordSpan{start, i})
		}
		start = -1
	}
	if start >= 0 && alnum && len(spans) < cap(spans) {
		spans = append(spans, wordSpan{start, len(s)})
	}
	return spans
}

// lookup classifies the text of one part.
func (t *placeTables) lookup(text string, afterCity bool) placeToken {
	var buf [2 * maxPlaceText]byte
	key := appendKey(buf[:0], text)
	tok := placeToken{text: text, cities: t.cities[string(key)], country: t.countries[string(key)]}
	if r, ok := t.regions[string(key)]; ok && (!r.abbrev || afterCity) {
		tok.region = r
	}
	if len(key) <= 3 {
		tok.iso = t.codes[string(key)]
	}
	tok.address = strings.ContainsFunc(text, unicode.IsDigit)
	return tok
}

// trailingPlace reads the last words of a part as a region or country: a state name
// or an upper-case code ("Boston MA"), a country name or an upper-case alias ("Remote
// US").
func (t *placeTables) trailingPlace(text string) (placeToken, bool) {
	var buf [2 * maxPlaceText]byte
	key := appendKey(buf[:0], text)
	short := len(key) <= 3
	if short && strings.ToUpper(text) != text {
		return placeToken{}, false
	}
	tok := placeToken{text: text, country: t.countries[string(key)]}
	if r, ok := t.regions[string(key)]; ok && !r.abbrev {
		tok.region = r
	}
	return tok, tok.region.code != "" || tok.country != ""
}

// assign picks the city, region and country among the tokens of one place.
func (t *placeTables) assign(toks []placeToken) schemas.Location {
	// A first token that is a known city is the city even when it is also a region or
	// a country ("New York, NY", "Singapore").
	firstIsCity := len(toks[0].cities) > 0
	ci, ri, cityAt := -1, -1, -1
	for i := len(toks) - 1; i >= 0 && ci < 0; i-- {
		if toks[i].country != "" && (i > 0 || !firstIsCity) {
			ci = i
		}
	}
	for i := len(toks) - 1; i >= 0 && ri < 0; i-- {
		if i != ci && toks[i].region.code != "" && (i > 0 || !firstIsCity) {
			ri = i
		}
	}
	for i := range toks {
		if i != ci && i != ri && len(toks[i].cities) > 0 {
			cityAt = i
			break
		}
	}
	if cityAt < 0 {
		// Else the first part that names nothing known and is not an address, before
		// the region and country: "Plano, TX", "12 Main St, Plano, TX".
		end := len(toks)
		if ci >= 0 {
			end = min(end, ci)
		}
		if ri >= 0 {
			end = min(end, ri)
		}
		for i := 0; i < end; i++ {
			if !toks[i].known() && !toks[i].address {
				cityAt = i
				break
			}
		}
	}
	isoCountry := ""
	if ci < 0 {
		// An ISO code after the city names a country when it is no state or the city
		// lies in that country and not in the state's: "Berlin, DE", "Lyon, FR".
		for i := len(toks) - 1; i > cityAt && cityAt >= 0; i-- {
			k := &toks[i]
			if k.iso == "" {
				continue
			}
			if k.region.code == "" || i == ri && inCountry(toks[cityAt].cities, k.iso) &&
				!inCountry(toks[cityAt].cities, k.region.country) {
				isoCountry = k.iso
				if i == ri {
					ri = -1
				}
			}
			break
		}
	}
	var city, region, country string
	if cityAt >= 0 {
		city = toks[cityAt].text
	}
	if ri >= 0 {
		region = toks[ri].text
	}
	if ci >= 0 {
		country = toks[ci].text
	} else {
		country = isoCountry
	}
	return t.resolve(city, region, country)
}

func inCountry(places []place, country string) bool {
	for _, p := range places {
		if p.country == country {
			return true
		}
	}
	return false
}
