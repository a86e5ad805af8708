package pipelines

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// CanonicalIndustries lists the values Industry returns, in a fixed order. They are
// the values of the API's industries filter; the scorer reads each of them as the
// industry of the same name (real_estate as "real estate", insurance as finance,
// ecommerce as retail and technology, gaming as media, automotive as manufacturing).
func CanonicalIndustries() []string {
	return []string{
		"saas", "software", "technology", "healthcare", "finance", "insurance", "education",
		"retail", "ecommerce", "marketing", "media", "gaming", "security", "services", "legal",
		"manufacturing", "automotive", "logistics", "real_estate", "construction", "energy",
		"hospitality", "nonprofit", "government", "telecommunications", "agriculture",
	}
}

// industryGroup is one canonical industry, the spellings that name it and the
// canonical industry it narrows, if any.
type industryGroup struct {
	name   string
	parent string // a broader canonical industry: "insurance" narrows "finance"
	// aliases name the industry alone or inside a longer value ("Healthcare
	// Software"); exact ones only when they are the whole value ("IT", "Consumer").
	aliases, exact []string
}

// horizontalIndustries describe what a company sells rather than whom to: in a value
// that also names a market ("Healthcare Software"), the market wins.
func horizontalIndustries() []string { return []string{"saas", "software", "technology", "services"} }

// industryGroups is the synonym table. Aliases are written in lower case; they are
// folded as values are (see appendKey), so "e-learning" also covers "E Learning" and
// "hospital & health care" also "Hospital and Health Care". The list follows the
// LinkedIn industry names, old and new, and the words the scorer reads in prompts.
func industryGroups() []industryGroup {
	return []industryGroup{
		{name: "saas", parent: "software", aliases: []string{
			"saas", "b2b saas", "enterprise saas", "vertical saas", "saas platform", "software as a service",
			"cloud software", "cloud-based software", "cloud based software"}},
		{name: "software", parent: "technology", aliases: []string{
			"software", "computer software", "software development", "software company", "software companies",
			"software engineering", "enterprise software", "b2b software", "application software",
			"software publishers", "software publishing", "internet software", "mobile apps", "mobile applications"}},
		{name: "technology", aliases: []string{
			"technology", "technologies", "tech", "information technology", "information technology and services",
			"technology information and internet", "internet", "high tech", "hi tech", "hitech",
			"artificial intelligence", "ai", "machine learning", "deep learning", "developer tools", "computer hardware",
			"computer hardware manufacturing", "hardware", "semiconductors", "semiconductor",
			"semiconductor manufacturing", "deep tech", "deeptech", "computer networking",
			"information services", "cloud computing", "nanotechnology", "computers and electronics", "robotics",
			"internet of things", "iot", "big data", "data infrastructure and analytics", "data and analytics",
			"analytics", "video conferencing"},
			exact: []string{"it", "computers"}},
		{name: "healthcare", aliases: []string{
			"healthcare", "health care", "health", "medical", "hospital", "hospitals", "hospital & health care",
			"hospitals and health care", "health, wellness and fitness", "health and wellness", "wellness",
			"fitness", "wellness and fitness services", "clinic", "clinics", "biotech", "biotechnology",
			"biotechnology research", "pharma", "pharmaceutical", "pharmaceuticals", "pharmaceutical manufacturing",
			"life sciences", "medical devices", "medical device", "medical equipment manufacturing",
			"medical device manufacturing", "medical practice", "medical practices", "dental", "dentistry",
			"health systems", "health system", "telehealth", "telemedicine", "mental health", "mental health care",
			"behavioral health", "senior care", "home health", "home health care", "healthtech", "health tech",
			"digital health", "medtech", "medical technology", "veterinary", "veterinary services",
			"alternative medicine", "medicine", "nursing", "diagnostics", "healthcare services", "health it"}},
		{name: "finance", aliases: []string{
			"finance", "financial", "financial services", "fintech", "fin tech", "financial technology", "banking",
			"bank", "banks", "neobank", "investment banking", "investment management", "investments", "investment",
			"asset management", "wealth management", "capital markets", "venture capital", "private equity",
			"venture capital & private equity", "venture capital and private equity principals", "lending",
			"consumer lending", "credit union", "credit unions", "accounting", "payments", "crypto",
			"cryptocurrency", "blockchain", "trading", "hedge fund", "hedge funds", "mortgage", "mortgages",
			"credit cards", "fund administration"}},
		{name: "insurance", parent: "finance", aliases: []string{
			"insurance", "insurer", "insurers", "insurtech", "insurance technology", "health insurance",
			"life insurance", "insurance agencies and brokerages", "insurance brokerage", "insurance broker",
			"reinsurance", "property and casualty insurance"}},
		{name: "education", aliases: []string{
			"education", "higher education", "higher ed", "school", "schools", "university", "universities",
			"college", "colleges", "k-12", "k12", "e-learning", "elearning", "e-learning providers",
			"online learning", "education management", "education administration programs",
			"primary/secondary education", "primary and secondary education", "training",
			"professional training & coaching", "edtech", "ed tech", "education technology", "tutoring",
			"bootcamp", "coding bootcamp"}},
		{name: "retail", aliases: []string{
			"retail", "retailer", "retailers", "consumer goods", "consumer packaged goods", "cpg", "fmcg", "d2c",
			"dtc", "direct-to-consumer", "consumer products", "apparel", "apparel & fashion", "fashion",
			"retail apparel and fashion", "grocery", "groceries", "supermarkets", "retail groceries", "wholesale",
			"luxury goods", "luxury goods & jewelry", "jewelry", "cosmetics", "beauty"},
			exact: []string{"consumer"}},
		{name: "ecommerce", parent: "retail", aliases: []string{
			"ecommerce", "e-commerce", "online retail", "internet retail", "marketplace", "marketplaces",
			"online marketplace", "internet marketplace platforms", "online shopping"}},
		{name: "marketing", aliases: []string{
			"marketing", "advertising", "marketing & advertising", "marketing services", "advertising services",
			"digital marketing", "marketing agency", "marketing agencies", "advertising agency", "digital agency",
			"creative agency", "public relations", "public relations & communications",
			"public relations and communications services", "market research", "martech",
			"marketing technology", "adtech", "ad tech", "advertising technology", "seo", "lead generation",
			"social media marketing", "influencer marketing", "branding"},
			exact: []string{"agency", "agencies", "pr"}},
		{name: "media", aliases: []string{
			"media", "publishing", "publisher", "publishers", "entertainment", "entertainment providers", "news",
			"broadcasting", "broadcast media", "broadcast media production and distribution", "online media",
			"online audio and video media", "internet publishing", "media production", "motion pictures & film",
			"movies videos and sound", "film", "movies", "music", "musicians", "newspapers", "newspaper publishing",
			"book publishing", "book and periodical publishing", "animation", "podcasting", "podcasts", "streaming",
			"television", "radio", "digital media", "social media", "writing & editing", "photography",
			"magazines", "media & entertainment"}},
		{name: "gaming", parent: "media", aliases: []string{
			"gaming", "games", "video games", "computer games", "mobile games", "mobile gaming", "esports",
			"e-sports", "game development", "game studio", "game studios"}},
		{name: "security", aliases: []string{
			"security", "cybersecurity", "cyber security", "information security", "infosec", "network security",
			"computer & network security", "security & investigations", "application security", "cloud security",
			"identity and access management", "data security", "physical security"}},
		{name: "services", aliases: []string{
			"services", "professional services", "consulting", "consultancy", "consultancies", "consultants",
			"management consulting", "business consulting and services", "business services", "bpo",
			"outsourcing", "outsourcing/offshoring", "outsourcing and offshoring consulting", "staffing",
			"recruiting", "recruitment", "staffing & recruiting", "recruitment agency", "staffing agency",
			"it services", "it services and it consulting", "it consulting", "managed services",
			"managed service provider", "msp", "custom software development", "software consulting",
			"technology consulting", "technology services", "web development", "dev shop", "software house",
			"human resources", "human resources services", "hr services", "translation & localization",
			"translation and localization", "facilities services", "events services", "consumer services",
			"business process outsourcing"}},
		{name: "legal", parent: "services", aliases: []string{
			"legal", "law", "law firm", "law firms", "law practice", "legal services", "legaltech", "legal tech",
			"intellectual property", "attorneys"}},
		{name: "manufacturing", aliases: []string{
			"manufacturing", "manufacturer", "manufacturers", "industrial", "industrials", "industrial manufacturing",
			"factory", "factories", "industrial automation", "automation machinery manufacturing",
			"industrial machinery manufacturing", "machinery", "aerospace", "aviation & aerospace",
			"aviation and aerospace component manufacturing", "electronics", "electrical/electronic manufacturing",
			"chemicals", "chemical manufacturing", "consumer electronics", "mechanical or industrial engineering",
			"industrial engineering", "plastics", "packaging and containers", "paper & forest products", "textiles",
			"food and beverage manufacturing", "defense and space manufacturing", "3d printing"}},
		{name: "automotive", parent: "manufacturing", aliases: []string{
			"automotive", "automobile", "automobiles", "motor vehicle", "motor vehicles",
			"motor vehicle manufacturing", "auto parts", "electric vehicles", "autonomous vehicles"},
			exact: []string{"ev", "evs", "cars"}},
		{name: "logistics", aliases: []string{
			"logistics", "logistics & supply chain", "logistics and supply chain", "transportation",
			"transportation/trucking/railroad", "transportation, logistics, supply chain and storage",
			"truck transportation", "trucking", "shipping", "freight", "freight and package transportation",
			"package/freight delivery", "supply chain", "warehousing", "warehousing and storage", "maritime",
			"maritime transportation", "import & export", "airlines", "airlines/aviation", "airlines and aviation",
			"courier", "last mile delivery", "3pl"}},
		{name: "real_estate", aliases: []string{
			"real estate", "realestate", "commercial real estate", "residential real estate", "property",
			"property management", "proptech", "prop tech", "real estate agents and brokers", "reit", "reits"}},
		{name: "construction", aliases: []string{
			"construction", "building materials", "architecture", "architecture & planning", "civil engineering",
			"engineering and construction", "general contractor", "general contractors", "homebuilding",
			"home building"}},
		{name: "energy", aliases: []string{
			"energy", "utilities", "utility", "electric utilities", "oil", "oil and gas", "oil & energy",
			"oil, gas, and mining", "renewables", "renewable energy", "renewables & environment", "solar",
			"wind energy", "cleantech", "clean tech", "clean energy", "climate", "climate tech", "climatetech",
			"power generation", "nuclear", "energy storage"},
			exact: []string{"wind"}},
		{name: "hospitality", aliases: []string{
			"hospitality", "hotel", "hotels", "hotels and motels", "restaurant", "restaurants", "food & beverages",
			"food and beverage", "food and beverage services", "travel", "tourism", "travel & tourism", "leisure",
			"leisure, travel & tourism", "travel arrangements", "recreational facilities and services", "casinos",
			"gambling", "gambling & casinos", "gambling facilities and casinos", "food service", "catering",
			"lodging", "resorts"}},
		{name: "nonprofit", aliases: []string{
			"nonprofit", "nonprofits", "non-profit", "non-profits", "not-for-profit", "ngo", "ngos", "charity",
			"charities", "philanthropy", "philanthropic", "fundraising", "fund-raising",
			"nonprofit organization management", "non-profit organization management", "non-profit organizations",
			"nonprofit organizations", "civic & social organization", "civic and social organizations",
			"religious institutions", "religious organizations", "think tanks", "social enterprise"}},
		{name: "government", aliases: []string{
			"government", "public sector", "government administration", "government relations", "municipal",
			"municipality", "municipalities", "federal government", "state government", "local government",
			"public administration", "defense", "defence", "defense & space", "military", "armed forces", "govtech",
			"gov tech", "public safety", "law enforcement", "legislative office", "legislative offices",
			"public policy", "public policy offices", "international affairs", "political organization",
			"political organizations", "judiciary", "executive office"},
			exact: []string{"federal"}},
		{name: "telecommunications", aliases: []string{
			"telecommunications", "telecommunication", "telecom", "telecoms", "telco", "telcos", "wireless",
			"wireless services", "telecommunications carriers", "internet service provider",
			"internet service providers", "isp", "satellite telecommunications"}},
		{name: "agriculture", aliases: []string{
			"agriculture", "agricultural", "agtech", "ag tech", "agritech", "farming", "food production", "ranching",
			"dairy", "fishery", "fisheries", "agribusiness", "horticulture"}},
	}
}

// industryTables are the industry lookups of a Normalizer.
type industryTables struct {
	names      []string               // canonical industries by index
	index      map[string]int         // canonical industry → index
	keys       map[string]industryKey // folded alias → its industry
	aliases    [][]string             // by index: the canonical name, then every alias
	hides      []uint32               // by index: the broader industries it narrows
	horizontal uint32
	services   uint32
	maxWords   int // words in the longest alias
}

// industryKey is what a folded alias names.
type industryKey struct {
	canonical uint8
	exact     bool // only as the whole value
}

func newIndustryTables() industryTables {
	groups := industryGroups()
	names := CanonicalIndustries()
	t := industryTables{
		names:   names,
		index:   make(map[string]int, len(names)),
		keys:    make(map[string]industryKey, 700),
		aliases: make([][]string, len(names)),
		hides:   make([]uint32, len(names)),
	}
	if len(names) > 32 || len(groups) != len(names) {
		panic(fmt.Sprintf("pipelines: %d canonical industries and %d groups", len(names), len(groups)))
	}
	for i, name := range names {
		t.index[name] = i
	}
	add := func(alias string, i int, exact bool) {
		key := string(appendKey(nil, alias))
		if old, dup := t.keys[key]; dup && (int(old.canonical) != i || old.exact != exact) {
			panic(fmt.Sprintf("pipelines: industry alias %q is both %s and %s", alias, names[old.canonical], names[i]))
		}
		t.keys[key] = industryKey{canonical: uint8(i), exact: exact}
		t.maxWords = max(t.maxWords, strings.Count(key, " ")+1)
		if !slices.Contains(t.aliases[i], alias) {
			t.aliases[i] = append(t.aliases[i], alias)
		}
	}
	for _, g := range groups {
		i, ok := t.index[g.name]
		if !ok {
			panic("pipelines: industry group " + g.name + " is not canonical")
		}
		add(g.name, i, false)
		for _, a := range g.aliases {
			add(a, i, false)
		}
		for _, a := range g.exact {
			add(a, i, true)
		}
	}
	for _, g := range groups {
		// An industry hides every broader one up its chain of parents.
		for p := g.parent; p != ""; {
			j, ok := t.index[p]
			if !ok {
				panic("pipelines: industry parent " + p + " is not canonical")
			}
			t.hides[t.index[g.name]] |= 1 << j
			p = groups[j].parent
		}
	}
	for _, h := range horizontalIndustries() {
		t.horizontal |= 1 << t.index[h]
	}
	t.services = 1 << t.index["services"]
	return t
}

// Industry maps a free-text industry onto one of CanonicalIndustries, or returns ""
// when it names none or names several markets ("Healthcare & Education"). A value
// that is a known spelling maps directly ("Hospital & Health Care" → "healthcare");
// otherwise the known spellings inside it decide, the longest first: a narrower
// industry wins over a broader one ("Insurance Technology" → "insurance") and a
// market over what is sold to it ("Healthcare SaaS" → "healthcare"). Values longer
// than 128 bytes are not industries and map to "".
func (n *Normalizer) Industry(raw string) string {
	t := &n.ind
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxFieldBytes {
		return ""
	}
	var buf [2 * maxFieldBytes]byte
	key := appendKey(buf[:0], raw)
	if len(key) == 0 {
		return ""
	}
	if k, ok := t.keys[string(key)]; ok {
		return t.names[k.canonical]
	}
	return t.scan(key)
}

// scan finds the known phrases inside a key, the longest at each word first, and
// settles on one industry.
func (t *industryTables) scan(key []byte) string {
	const maxWords = maxFieldBytes
	var starts, ends [maxWords]int
	words := 0
	for i := 0; i < len(key) && words < maxWords; {
		j := i
		for j < len(key) && key[j] != ' ' {
			j++
		}
		starts[words], ends[words] = i, j
		words++
		i = j + 1
	}
	var found uint32
	for i := 0; i < words; {
		step := 1
		for l := min(t.maxWords, words-i); l >= 1; l-- {
			k, ok := t.keys[string(key[starts[i]:ends[i+l-1]])]
			if ok && !k.exact {
				found |= 1 << k.canonical
				step = l
				break
			}
		}
		i += step
	}
	return t.settle(found)
}

// settle picks one industry out of a set: narrower industries hide the broader ones,
// markets hide horizontal industries, and among horizontal ones services wins ("SaaS
// Consulting" is a services firm). Several markets are ambiguous.
func (t *industryTables) settle(found uint32) string {
	var hidden uint32
	for rest := found; rest != 0; rest &= rest - 1 {
		hidden |= t.hides[bits.TrailingZeros32(rest)]
	}
	found &^= hidden
	if found&^t.horizontal != 0 {
		found &^= t.horizontal
	} else if found&t.services != 0 {
		found = t.services
	}
	if bits.OnesCount32(found) != 1 {
		return ""
	}
	return t.names[bits.TrailingZeros32(found)]
}

// IndustryAliases returns the lower-case spellings that map onto a canonical industry,
// the canonical name first, for matching a profile written before normalisation or a
// filter value against it. It returns nil when canonical is not one of
// CanonicalIndustries. The slice is the caller's.
func (n *Normalizer) IndustryAliases(canonical string) []string {
	i, ok := n.ind.index[strings.ToLower(strings.TrimSpace(canonical))]
	if !ok {
		return nil
	}
	return slices.Clone(n.ind.aliases[i])
}
