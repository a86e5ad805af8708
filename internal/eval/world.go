package eval

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadpoet/leadpoet/internal/demo"
	"github.com/leadpoet/leadpoet/schemas"
)

// Defaults and limits of WorldOptions.
const (
	DefaultWeeks     = 16
	DefaultCompanies = 10000
	maxWeeks         = 104
	maxCompanies     = 1_000_000
)

const week = 7 * 24 * time.Hour

// Record is one Kafka record of wire contract v1.
type Record struct {
	Topic string
	Key   []byte // the company domain
	Value []byte // JSON of a schemas event
}

// Company is one company of a world, with its hidden ground truth.
type Company struct {
	Domain       string
	Name         string
	Industry     string // one of demo.Industries
	Country      string // "" when the profile names none
	Employees    int
	Size         string // the schemas.SizeBuckets value of Employees
	Clone        bool   // a copy of a real profile under a suffixed domain
	Technologies []string
	// InMarket are the IDs of the categories the company is buying, in Categories
	// order: the ground truth.
	InMarket []string
	// SkillDecoys are categories the company is not buying although it runs one of
	// their vendors and posts jobs that require it; SteadyDecoys are categories it
	// is not buying although it shows the same interest in them every week.
	SkillDecoys  []string
	SteadyDecoys []string
}

// IsInMarket reports whether the company is buying the category.
func (c *Company) IsInMarket(category string) bool { return slices.Contains(c.InMarket, category) }

// WorldOptions configure NewWorld.
type WorldOptions struct {
	Family Family
	Seed   uint64
	// Companies is the number of companies: fewer than the real profiles takes a
	// seeded sample of them, more adds clones with suffixed domains ("acme-2.com").
	// 0 takes every profile once.
	Companies int
	// Weeks is how many weeks of signals the world has; 0 means DefaultWeeks.
	Weeks int
	// Now is the world's clock: every event occurs before it. Required.
	Now time.Time
}

// World is a generated market: companies, their ground truth and the events they
// emit, ready to produce to Kafka.
type World struct {
	Family     Family
	Seed       uint64
	Now        time.Time
	Weeks      int
	Categories []Category
	Companies  []Company // ordered by domain
	// Records are the company profiles (ordered by domain), then the signals
	// (ordered by occurred_at, then event id).
	Records []Record
	Stats   WorldStats

	index map[string]int // domain → position in Companies
}

// WorldStats count what a world holds.
type WorldStats struct {
	Companies    int            `json:"companies"`
	Clones       int            `json:"clones"`
	Records      int            `json:"records"`
	ByTopic      map[string]int `json:"by_topic"`
	InMarket     int            `json:"in_market_pairs"` // (company, category) pairs
	SkillDecoys  int            `json:"skill_decoy_pairs"`
	SteadyDecoys int            `json:"steady_decoy_pairs"`
	BySize       map[string]int `json:"by_size"`
}

// Company returns the company of a domain.
func (w *World) Company(domain string) (*Company, bool) {
	i, ok := w.index[domain]
	if !ok {
		return nil, false
	}
	return &w.Companies[i], true
}

// InMarket returns the domains of the companies buying the category, in domain
// order.
func (w *World) InMarket(category string) []string {
	var out []string
	for i := range w.Companies {
		if w.Companies[i].IsInMarket(category) {
			out = append(out, w.Companies[i].Domain)
		}
	}
	return out
}

// Category returns the category of an ID.
func (w *World) Category(id string) (*Category, bool) {
	for i := range w.Categories {
		if w.Categories[i].ID == id {
			return &w.Categories[i], true
		}
	}
	return nil, false
}

// NewWorld generates a world. The same options give the same records, byte for
// byte.
func NewWorld(opts WorldOptions) (*World, error) {
	switch {
	case opts.Now.IsZero():
		return nil, errors.New("new world: WorldOptions.Now is required")
	case opts.Family.Name == "":
		return nil, errors.New("new world: WorldOptions.Family is required")
	case opts.Companies < 0 || opts.Companies > maxCompanies:
		return nil, fmt.Errorf("new world: Companies is %d, want 0 to %d", opts.Companies, maxCompanies)
	case opts.Weeks < 0 || opts.Weeks > maxWeeks:
		return nil, fmt.Errorf("new world: Weeks is %d, want 0 to %d", opts.Weeks, maxWeeks)
	}
	if opts.Weeks == 0 {
		opts.Weeks = DefaultWeeks
	}
	profiles, _, err := demo.Profiles()
	if err != nil {
		return nil, fmt.Errorf("new world: %w", err)
	}
	slices.SortFunc(profiles, func(a, b demo.Profile) int { return cmp.Compare(a.Domain, b.Domain) })
	if opts.Companies == 0 {
		opts.Companies = len(profiles)
	}
	seed := mix(opts.Seed, opts.Family.Salt)
	w := &World{
		Family:     opts.Family,
		Seed:       opts.Seed,
		Now:        opts.Now.UTC().Truncate(time.Second),
		Weeks:      opts.Weeks,
		Categories: Categories(),
		index:      make(map[string]int, opts.Companies),
	}
	g := generator{
		w:        w,
		fam:      opts.Family,
		txt:      newTexts(opts.Family.Vocabulary),
		seed:     seed,
		pools:    make([][]string, len(w.Categories)),
		profiles: make(map[string]*demo.Profile, opts.Companies),
	}
	for i := range w.Categories {
		c := &w.Categories[i]
		g.pools[i] = append(slices.Clone(c.Canonical), c.phrases(opts.Family.Vocabulary)...)
	}
	bases := chooseProfiles(profiles, opts.Companies, seed)
	w.Companies = make([]Company, 0, len(bases))
	for _, b := range bases {
		g.addCompany(b)
	}
	if err := g.encode(); err != nil {
		return nil, fmt.Errorf("new world: %w", err)
	}
	return w, nil
}

// base is a real profile a world company is made from.
type base struct {
	p      *demo.Profile
	domain string
	name   string
	clone  bool
}

// chooseProfiles returns n companies in domain order: a seeded sample of the
// profiles when n is at most their number, else every profile and then clones of
// them in turn, under the domain with "-2", "-3", … added to its first label.
func chooseProfiles(profiles []demo.Profile, n int, seed uint64) []base {
	out := make([]base, 0, n)
	if n <= len(profiles) {
		rng := rand.New(rand.NewPCG(seed, 0x70f11e5))
		for _, i := range rng.Perm(len(profiles))[:n] {
			out = append(out, base{p: &profiles[i], domain: profiles[i].Domain, name: profiles[i].Name})
		}
	} else {
		taken := make(map[string]bool, n)
		for i := range profiles {
			out = append(out, base{p: &profiles[i], domain: profiles[i].Domain, name: profiles[i].Name})
			taken[profiles[i].Domain] = true
		}
		for i := 0; len(out) < n; i++ {
			p := &profiles[i%len(profiles)]
			k := i/len(profiles) + 2
			d := cloneDomain(p.Domain, k)
			for taken[d] {
				k += len(profiles)
				d = cloneDomain(p.Domain, k)
			}
			taken[d] = true
			out = append(out, base{p: p, domain: d, name: p.Name + " " + strconv.Itoa(k), clone: true})
		}
	}
	slices.SortFunc(out, func(a, b base) int { return cmp.Compare(a.domain, b.domain) })
	return out
}

// cloneDomain adds "-k" to the first label of a domain: "acme.co.uk" → "acme-2.co.uk".
func cloneDomain(domain string, k int) string {
	i := strings.IndexByte(domain, '.')
	if i < 0 {
		return domain + "-" + strconv.Itoa(k)
	}
	return domain[:i] + "-" + strconv.Itoa(k) + domain[i:]
}

// generator builds a world one company at a time.
type generator struct {
	w        *World
	fam      Family
	txt      texts
	seed     uint64
	pools    [][]string               // per category: its plain names and the family's paraphrases
	profiles map[string]*demo.Profile // domain → the real profile of a company
	pending  []pendingEvent
}

// pendingEvent is a signal before encoding.
type pendingEvent struct {
	at    time.Time
	id    string
	topic string
	key   string
	ev    any
}

// companyGen generates one company's events.
type companyGen struct {
	*generator
	c      *Company
	p      *demo.Profile
	rng    *rand.Rand
	bucket int
	n      int // events so far, for ids
}

// buying is what an in-market company is replacing and considering.
type buying struct {
	cat     int
	vendor  string // what it runs today
	alt     string // what it considers
	remove  bool   // it removes vendor during its surge
	inStack bool   // vendor is in its profile's technologies
}

// decoy is a category a company is not buying.
type decoy struct {
	cat    int
	vendor string
}

func (g *generator) addCompany(b base) {
	g.profiles[b.domain] = b.p
	rng := rand.New(rand.NewPCG(g.seed, hashString(b.domain)))
	c := Company{
		Domain:   b.domain,
		Name:     b.name,
		Industry: b.p.Industry,
		Country:  b.p.Location.Country,
		Clone:    b.clone,
	}
	resize := rng.Float64() < g.fam.ResizeOriginals
	if b.p.Employees != nil && !b.clone && !resize {
		c.Employees = *b.p.Employees
	} else {
		c.Employees = drawEmployees(rng, g.fam.SizeMix)
	}
	c.Size = schemas.SizeBucket(c.Employees)
	cg := &companyGen{generator: g, c: &c, p: b.p, rng: rng, bucket: bucketIndex(c.Employees)}

	var buys []buying
	var skills, steadies []decoy
	for i := range g.w.Categories {
		cat := &g.w.Categories[i]
		inMarket := rng.Float64() < cat.rate(c.Industry, cg.bucket, g.fam.RateScale)
		u := rng.Float64()
		perm := rng.Perm(len(cat.Vendors))
		switch {
		case inMarket:
			by := buying{cat: i, vendor: cat.Vendors[perm[0]], alt: cat.Vendors[perm[1]]}
			by.remove = rng.Float64() < g.fam.TechRemovalRate
			by.inStack = by.remove || rng.Float64() < 0.4
			buys = append(buys, by)
			c.InMarket = append(c.InMarket, cat.ID)
		case u < g.fam.SkillDecoyRate:
			skills = append(skills, decoy{cat: i, vendor: cat.Vendors[perm[0]]})
			c.SkillDecoys = append(c.SkillDecoys, cat.ID)
		case u < g.fam.SkillDecoyRate+g.fam.SteadyDecoyRate:
			steadies = append(steadies, decoy{cat: i, vendor: cat.Vendors[perm[0]]})
			c.SteadyDecoys = append(c.SteadyDecoys, cat.ID)
		}
	}
	c.Technologies = slices.Clone(b.p.Technologies)
	for _, by := range buys {
		if by.inStack {
			c.Technologies = appendNew(c.Technologies, by.vendor)
		}
	}
	for _, d := range skills {
		c.Technologies = appendNew(c.Technologies, d.vendor)
	}

	g.w.index[c.Domain] = len(g.w.Companies)
	g.w.Companies = append(g.w.Companies, c)
	cg.c = &g.w.Companies[len(g.w.Companies)-1]

	cg.noise()
	for _, by := range buys {
		cg.surge(by)
	}
	for _, d := range skills {
		cg.skillDecoy(d)
	}
	for _, d := range steadies {
		cg.steadyDecoy(d)
	}
}

// drawEmployees draws a bucket from mix, then a head count log-uniformly inside it.
func drawEmployees(rng *rand.Rand, mix [5]float64) int {
	bounds := [5][2]float64{{2, 10}, {11, 50}, {51, 200}, {201, 1000}, {1001, 20000}}
	total := 0.0
	for _, m := range mix {
		total += m
	}
	x, b := rng.Float64()*total, len(mix)-1
	for i, m := range mix {
		if x -= m; x < 0 {
			b = i
			break
		}
	}
	lo, hi := math.Log(bounds[b][0]), math.Log(bounds[b][1]+1)
	return min(int(math.Exp(lo+rng.Float64()*(hi-lo))), int(bounds[b][1]))
}

// at is the time weeksAgo weeks before the world's clock, at least a minute before
// it, to the second.
func (cg *companyGen) at(weeksAgo float64) time.Time {
	t := cg.w.Now.Add(-time.Duration(weeksAgo * float64(week)))
	if latest := cg.w.Now.Add(-time.Minute); t.After(latest) {
		t = latest
	}
	return t.Truncate(time.Second)
}

// between draws a time between lo and hi weeks ago.
func (cg *companyGen) between(lo, hi float64) time.Time {
	return cg.at(lo + cg.rng.Float64()*(hi-lo))
}

func (cg *companyGen) common(at time.Time, source string) schemas.Common {
	cg.n++
	return schemas.Common{
		EventID:    "eval-" + cg.fam.Name + "-" + cg.c.Domain + "-" + strconv.Itoa(cg.n),
		OccurredAt: at,
		Domain:     cg.c.Domain,
		Source:     source,
	}
}

func (cg *companyGen) emit(topic string, cm schemas.Common, ev any) {
	cg.pending = append(cg.pending, pendingEvent{at: cm.OccurredAt, id: cm.EventID, topic: topic, key: cm.Domain, ev: ev})
}

func (cg *companyGen) job(at time.Time, title, desc string) {
	cm := cg.common(at, pick(cg.rng, []string{"greenhouse", "lever", "workable", "ashby"}))
	loc := "Remote"
	if cg.c.Country != "" && cg.rng.IntN(2) == 0 {
		loc = cg.c.Country
	}
	cg.emit(schemas.TopicJobs, cm, &schemas.Job{
		Common: cm, Title: title, Description: desc, Location: loc,
		URL: "https://" + cg.c.Domain + "/careers/" + slug(title) + "-" + strconv.Itoa(cg.n),
	})
}

func (cg *companyGen) page(at time.Time, pg sitePage, f fill) {
	cm := cg.common(at, "crawler")
	cg.emit(schemas.TopicSites, cm, &schemas.Site{
		Common: cm, URL: "https://" + cg.c.Domain + f.apply(pg.path), Title: f.apply(pg.title), Text: f.apply(pg.text),
	})
}

func (cg *companyGen) activity(at time.Time, action, topic, text, actor string, count int) {
	cm := cg.common(at, pick(cg.rng, []string{"g2", "intent-network", "trustradius"}))
	cg.emit(schemas.TopicActivity, cm, &schemas.Activity{
		Common: cm, Action: action, Topic: topic, Text: text, Count: count, ActorTitle: actor,
	})
}

func (cg *companyGen) tech(at time.Time, technology, change, label string) {
	cm := cg.common(at, "techscan")
	cg.emit(schemas.TopicTech, cm, &schemas.Tech{Common: cm, Technology: technology, Change: change, Category: label})
}

// fill returns the slots of a company's text.
func (cg *companyGen) fill(cat *Category, phrase, vendor, alt, title string) fill {
	return fill{
		"company": cg.c.Name, "domain": cg.c.Domain, "team": cat.Team, "team-slug": slug(cat.Team),
		"phrase": phrase, "a_phrase": article(phrase) + " " + phrase,
		"vendor": vendor, "alt": alt,
		"title": title, "a_title": article(title) + " " + title,
		"slug": slug(cmp.Or(phrase, vendor)),
	}
}

// stack names two or three of the company's technologies.
func (cg *companyGen) stack() string {
	pool := cg.p.Technologies[:min(len(cg.p.Technologies), 8)]
	if len(pool) == 0 {
		return "modern web technologies"
	}
	k := min(len(pool), 2+cg.rng.IntN(2))
	pickd := make([]string, 0, k)
	for _, i := range cg.rng.Perm(len(pool))[:k] {
		pickd = append(pickd, pool[i])
	}
	return joinList(pickd)
}

// noise emits the company's background: job posts, pages and page views that say
// nothing about buying, at its size's rates, spread evenly over the weeks.
func (cg *companyGen) noise() {
	weeks := float64(cg.w.Weeks)
	for range demo.Poisson(cg.rng, cg.fam.NoiseJobs[cg.bucket]*weeks) {
		np := cg.txt.noisePosts[cg.rng.IntN(len(cg.txt.noisePosts))]
		f := fill{"stack": cg.stack()}
		desc := []string{cg.c.Name + " is hiring " + article(np.title) + " " + np.title + "."}
		for _, s := range np.sentences {
			desc = append(desc, f.apply(s))
		}
		if cg.rng.Float64() < 0.3 {
			desc = append(desc, pick(cg.rng, cg.txt.closings))
		}
		cg.job(cg.between(0, weeks), np.title, strings.Join(desc, " "))
	}
	for range demo.Poisson(cg.rng, cg.fam.NoisePages[cg.bucket]*weeks) {
		pg := cg.txt.noisePages[cg.rng.IntN(len(cg.txt.noisePages))]
		cg.page(cg.between(0, weeks), pg, fill{"stack": cg.stack()})
	}
	for range demo.Poisson(cg.rng, cg.fam.NoiseViews[cg.bucket]*weeks) {
		topic := pick(cg.rng, cg.txt.noiseTopics)
		if cg.rng.Float64() < cg.fam.TopicNoise {
			topic = pick(cg.rng, cg.pools[cg.rng.IntN(len(cg.pools))])
		}
		action := pickWeighted(cg.rng, cg.txt.noiseActions)
		cg.activity(cg.between(0, weeks), action, topic, readText(action, topic), "", 1)
	}
}

// readText describes reading about a topic.
func readText(action, topic string) string {
	switch action {
	case schemas.ActionSearch:
		return "Searched for " + topic
	case schemas.ActionContentDownload:
		return "Guide: " + topic
	case schemas.ActionWebinar:
		return "Webinar: " + topic
	case schemas.ActionReviewView:
		return "Reviews: " + topic
	}
	return "Article: " + topic
}

// surge emits the buying signals of an in-market company: a burst in its last
// weeks of job posts, pages and research activity that name the category, a
// paraphrase of it or only vendors; perhaps the removal of the product it runs;
// perhaps a faint look at the category weeks before.
func (cg *companyGen) surge(by buying) {
	cat := &cg.w.Categories[by.cat]
	lo, hi := cg.fam.SurgeWeeks[0], cg.fam.SurgeWeeks[1]
	span := float64(min(lo+cg.rng.IntN(hi-lo+1), cg.w.Weeks))
	k := max(2, demo.Poisson(cg.rng, cg.fam.IntentSignals[cg.bucket]))
	for range k {
		phrase, vendorOnly := cg.style(by.cat)
		at := cg.between(0, span)
		kind := cg.rng.Float64()
		switch {
		case kind < cg.fam.JobShare[cg.bucket]:
			title := pick(cg.rng, cat.Titles)
			if phrase != "" && slices.Contains(cat.Canonical, phrase) {
				title = titleWords(phrase) + " " + pick(cg.rng, cg.txt.titleSuffixes)
			}
			f := cg.fill(cat, phrase, by.vendor, by.alt, title)
			pool := cg.txt.intentJobs
			if vendorOnly {
				pool = cg.txt.intentJobVendors
			}
			perm := cg.rng.Perm(len(pool))
			desc := []string{f.apply(pool[perm[0]])}
			if cg.rng.Float64() < 0.5 {
				desc = append(desc, f.apply(pool[perm[1]]))
			}
			if cg.rng.Float64() < 0.3 {
				desc = append(desc, pick(cg.rng, cg.txt.closings))
			}
			cg.job(at, title, strings.Join(desc, " "))
		case kind < cg.fam.JobShare[cg.bucket]+cg.fam.SiteShare:
			pages := cg.txt.intentPages
			if vendorOnly {
				pages = cg.txt.intentVendorPage
			}
			cg.page(at, pages[cg.rng.IntN(len(pages))], cg.fill(cat, phrase, by.vendor, by.alt, ""))
		default:
			action := pickWeighted(cg.rng, cg.txt.intentActions)
			topic := phrase
			if vendorOnly {
				topic = by.vendor
			}
			f := cg.fill(cat, phrase, by.vendor, by.alt, "")
			cg.activity(at, action, topic, f.apply(activityText(action, vendorOnly)), pick(cg.rng, cat.Titles), 1+cg.rng.IntN(3))
		}
	}
	if by.remove {
		cg.tech(cg.between(0, span), by.vendor, schemas.ChangeRemoved, cat.label(cg.fam.Vocabulary))
	}
	if cg.rng.Float64() < cg.fam.WhisperRate && span+3 < float64(cg.w.Weeks) {
		phrase := pick(cg.rng, cg.pools[by.cat])
		at := cg.between(span+3, min(span+8, float64(cg.w.Weeks)))
		cg.activity(at, schemas.ActionPageView, phrase, readText(schemas.ActionPageView, phrase), "", 1)
	}
}

// style draws how a buying signal names its category: a plain name, a paraphrase,
// or ("", true) only vendors.
func (cg *companyGen) style(cat int) (phrase string, vendorOnly bool) {
	c := &cg.w.Categories[cat]
	u := cg.rng.Float64()
	switch {
	case u < cg.fam.CanonicalShare:
		return pick(cg.rng, c.Canonical), false
	case u < cg.fam.CanonicalShare+cg.fam.VendorOnlyShare:
		return "", true
	}
	return pick(cg.rng, c.phrases(cg.fam.Vocabulary)), false
}

// skillDecoy emits what a company that runs a vendor of the category happily
// shows: the vendor added long ago, and job posts, at any time, for people who will
// use it every day and must know it.
func (cg *companyGen) skillDecoy(d decoy) {
	cat := &cg.w.Categories[d.cat]
	weeks := float64(cg.w.Weeks)
	cg.tech(cg.between(weeks*0.75, weeks), d.vendor, schemas.ChangeAdded, cat.label(cg.fam.Vocabulary))
	for range 1 + cg.rng.IntN(3) {
		title := pick(cg.rng, cat.UserTitles)
		f := cg.fill(cat, pick(cg.rng, cg.pools[d.cat]), d.vendor, "", title)
		desc := []string{f.apply(cg.txt.skillDecoys[0]), f.apply(cg.txt.skillDecoys[1+cg.rng.IntN(len(cg.txt.skillDecoys)-1)])}
		if cg.rng.Float64() < 0.3 {
			desc = append(desc, pick(cg.rng, cg.txt.closings))
		}
		cg.job(cg.between(0, weeks), title, strings.Join(desc, " "))
	}
}

// steadyDecoy emits a long-running interest in a category at the same level every
// week: one research action each week with the same count, and a page every four
// weeks.
func (cg *companyGen) steadyDecoy(d decoy) {
	cat := &cg.w.Categories[d.cat]
	count := 1 + cg.rng.IntN(2)
	pageWeek := cg.rng.IntN(4)
	for w := range cg.w.Weeks {
		topic := pick(cg.rng, cg.pools[d.cat])
		action := pickWeighted(cg.rng, cg.txt.steadyActions)
		at := cg.between(float64(w), float64(w+1))
		cg.activity(at, action, topic, readText(action, topic), pick(cg.rng, cat.UserTitles), count)
		if w%4 == pageWeek {
			pg := cg.txt.steadyPages[cg.rng.IntN(len(cg.txt.steadyPages))]
			cg.page(cg.between(float64(w), float64(w+1)), pg, cg.fill(cat, pick(cg.rng, cg.pools[d.cat]), d.vendor, "", ""))
		}
	}
}

// encode writes the records: every company profile, then the signals in time order.
func (g *generator) encode() error {
	w := g.w
	w.Records = make([]Record, 0, len(w.Companies)+len(g.pending))
	w.Stats = WorldStats{Companies: len(w.Companies), ByTopic: map[string]int{}, BySize: map[string]int{}}
	for i := range w.Companies {
		c := &w.Companies[i]
		rng := rand.New(rand.NewPCG(g.seed, hashString("profile "+c.Domain)))
		emp := c.Employees
		cm := schemas.Common{
			EventID:    "eval-" + w.Family.Name + "-company-" + c.Domain,
			OccurredAt: w.Now.Add(-time.Duration(w.Weeks)*week - time.Duration(1+rng.IntN(30*86400))*time.Second),
			Domain:     c.Domain,
			Source:     "remoteintech",
		}
		p := g.profileOf(c)
		value, err := json.Marshal(&schemas.Company{
			Common: cm, CompanyName: c.Name, Industry: c.Industry, Employees: &emp,
			Location: p.Location, Description: p.Description, Technologies: c.Technologies,
		})
		if err != nil {
			return fmt.Errorf("encode company %s: %w", c.Domain, err)
		}
		w.Records = append(w.Records, Record{Topic: schemas.TopicCompanies, Key: []byte(c.Domain), Value: value})
		w.Stats.InMarket += len(c.InMarket)
		w.Stats.SkillDecoys += len(c.SkillDecoys)
		w.Stats.SteadyDecoys += len(c.SteadyDecoys)
		w.Stats.BySize[c.Size]++
		if c.Clone {
			w.Stats.Clones++
		}
	}
	w.Stats.ByTopic[schemas.TopicCompanies] = len(w.Companies)
	slices.SortFunc(g.pending, func(a, b pendingEvent) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	for _, e := range g.pending {
		value, err := json.Marshal(e.ev)
		if err != nil {
			return fmt.Errorf("encode %s: %w", e.id, err)
		}
		w.Records = append(w.Records, Record{Topic: e.topic, Key: []byte(e.key), Value: value})
		w.Stats.ByTopic[e.topic]++
	}
	w.Stats.Records = len(w.Records)
	g.pending = nil
	return nil
}

// profileOf returns the real profile a company was made from.
func (g *generator) profileOf(c *Company) *demo.Profile { return g.profiles[c.Domain] }

// appendNew appends s unless list holds it, ignoring case.
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}

// mix combines a seed and a salt into a well-spread seed (SplitMix64's finaliser).
func mix(seed, salt uint64) uint64 {
	z := seed + salt*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
