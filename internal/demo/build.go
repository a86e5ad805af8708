package demo

import (
	"cmp"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadpoet/leadpoet/schemas"
)

//go:embed companies/*.md
var companyFiles embed.FS

// Options configure Build.
type Options struct {
	Seed           int64     // seeds the in-market categories and the job posts
	Now            time.Time // the clock of the data set: no event occurs after it; required
	Weeks          int       // job posts spread over this many weeks before Now; default 12
	JobsPerCompany float64   // mean number of job posts per company; default 4
}

// Defaults of Options.
const (
	DefaultWeeks          = 12
	DefaultJobsPerCompany = 4.0
)

// Limits of Options.
const (
	maxWeeks          = 520
	maxJobsPerCompany = 1000
)

// Dataset is the demo data set, ready to produce to Kafka.
type Dataset struct {
	// Records are the company profiles (ordered by domain), then the job posts (ordered
	// by occurred_at).
	Records []Record
	// Skipped are the profile files that did not become a company.
	Skipped []Skipped
	// InMarket maps each company domain to the IDs of the categories (see Categories) it
	// is in the market for: what its job posts were generated to say. Evaluations use it
	// as the ground truth.
	InMarket map[string][]string
}

// Record is one Kafka record of wire contract v1.
type Record struct {
	Topic string
	Key   []byte // the company domain
	Value []byte // JSON of a schemas.Company or schemas.Job
}

// Skipped is a profile file left out of the data set, and why.
type Skipped struct {
	File   string
	Reason string
}

// Profiles parses the embedded company profiles, in file-name order. A profile without
// a usable domain is skipped, and so is a second profile with the same domain as
// another one that matches that domain's name as well or better (Trello and Atlassian
// both name atlassian.com).
func Profiles() ([]Profile, []Skipped, error) {
	names, err := fs.Glob(companyFiles, "companies/*.md")
	if err != nil {
		return nil, nil, fmt.Errorf("list company profiles: %w", err)
	}
	slices.Sort(names)
	var profiles []Profile
	var skipped []Skipped
	byDomain := make(map[string]int)
	for _, name := range names {
		md, err := companyFiles.ReadFile(name)
		if err != nil {
			return nil, nil, fmt.Errorf("read company profile: %w", err)
		}
		p, err := ParseProfile(path.Base(name), md)
		if err != nil {
			skipped = append(skipped, Skipped{File: path.Base(name), Reason: err.Error()})
			continue
		}
		if p.Domain == "" {
			skipped = append(skipped, Skipped{File: p.File, Reason: "no usable domain"})
			continue
		}
		if i, dup := byDomain[p.Domain]; dup {
			kept := profiles[i]
			if domainFit(p) > domainFit(kept) {
				profiles[i] = p
				p = kept
			}
			skipped = append(skipped, Skipped{File: p.File, Reason: "same domain " + p.Domain + " as " + profiles[i].File})
			continue
		}
		byDomain[p.Domain] = len(profiles)
		profiles = append(profiles, p)
	}
	slices.SortFunc(skipped, func(a, b Skipped) int { return cmp.Compare(a.File, b.File) })
	return profiles, skipped, nil
}

// domainFit is how well a profile's name matches its domain.
func domainFit(p Profile) int {
	return nameMatch(nonAlnum.ReplaceAllString(strings.ToLower(p.Name), ""), mainLabel(p.Domain))
}

// Build generates the demo data set: one company event per usable embedded profile, with
// generated contacts, and job posts that show each company's in-market categories among
// ordinary hiring. The same Options give the same records, byte for byte.
func Build(opts Options) (Dataset, error) {
	if opts.Now.IsZero() {
		return Dataset{}, errors.New("build demo data set: Options.Now is required")
	}
	if opts.Weeks < 0 || opts.Weeks > maxWeeks {
		return Dataset{}, fmt.Errorf("build demo data set: Weeks is %d, want 0 to %d", opts.Weeks, maxWeeks)
	}
	if !(opts.JobsPerCompany >= 0 && opts.JobsPerCompany <= maxJobsPerCompany) {
		return Dataset{}, fmt.Errorf("build demo data set: JobsPerCompany is %g, want 0 to %d", opts.JobsPerCompany, maxJobsPerCompany)
	}
	if opts.Weeks == 0 {
		opts.Weeks = DefaultWeeks
	}
	if opts.JobsPerCompany == 0 {
		opts.JobsPerCompany = DefaultJobsPerCompany
	}
	now := opts.Now.UTC().Truncate(time.Second)
	profiles, skipped, err := Profiles()
	if err != nil {
		return Dataset{}, fmt.Errorf("build demo data set: %w", err)
	}
	slices.SortFunc(profiles, func(a, b Profile) int { return cmp.Compare(a.Domain, b.Domain) })

	ds := Dataset{Skipped: skipped, InMarket: make(map[string][]string, len(profiles))}
	ds.Records = make([]Record, 0, len(profiles)*(1+int(opts.JobsPerCompany)+1))
	var jobs []schemas.Job
	for _, p := range profiles {
		rng := rand.New(rand.NewPCG(uint64(opts.Seed), domainHash(p.Domain)))
		company := companyEvent(p, now, rng)
		value, err := json.Marshal(company)
		if err != nil {
			return Dataset{}, fmt.Errorf("encode company %s: %w", p.Domain, err)
		}
		ds.Records = append(ds.Records, Record{Topic: schemas.TopicCompanies, Key: []byte(p.Domain), Value: value})

		cats := pickCategories(p, rng)
		ids := make([]string, len(cats))
		for i, c := range cats {
			ids[i] = c.ID
		}
		ds.InMarket[p.Domain] = ids
		jobs = append(jobs, jobPosts(p, cats, opts, now, rng)...)
	}
	slices.SortStableFunc(jobs, func(a, b schemas.Job) int {
		if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
			return c
		}
		return cmp.Compare(a.EventID, b.EventID)
	})
	for i := range jobs {
		value, err := json.Marshal(&jobs[i])
		if err != nil {
			return Dataset{}, fmt.Errorf("encode job %s: %w", jobs[i].EventID, err)
		}
		ds.Records = append(ds.Records, Record{Topic: schemas.TopicJobs, Key: []byte(jobs[i].Domain), Value: value})
	}
	return ds, nil
}

// companyEvent is the profile upsert of a company, dated 1 to 31 days before now.
func companyEvent(p Profile, now time.Time, rng *rand.Rand) schemas.Company {
	return schemas.Company{
		Common: schemas.Common{
			EventID:    "demo-company-" + p.Domain,
			OccurredAt: now.Add(-time.Duration(1+rng.IntN(30))*24*time.Hour - time.Duration(rng.IntN(86400))*time.Second),
			Domain:     p.Domain,
			Source:     "remoteintech",
		},
		CompanyName:  p.Name,
		Industry:     p.Industry,
		Employees:    p.Employees,
		Location:     p.Location,
		Description:  p.Description,
		Technologies: p.Technologies,
		Contacts:     generateContacts(p.Domain),
	}
}

// pickCategories draws one or two in-market categories for a company. A category tied to
// an industry (EHR) is drawn only for, and six times as often by, companies of that
// industry; retailers are three times as likely as others to be shopping for an
// e-commerce platform.
func pickCategories(p Profile, rng *rand.Rand) []*category {
	weights := make([]float64, len(categories))
	total := 0.0
	for i, c := range categories {
		w := 1.0
		switch {
		case c.industry != "" && c.industry != p.Industry:
			w = 0
		case c.industry != "":
			w = 6 // the category of the industry
		case c.ID == "ecommerce_platform" && p.Industry == "retail":
			w = 3
		}
		weights[i] = w
		total += w
	}
	n := 1
	if rng.Float64() < 0.4 {
		n = 2
	}
	var out []*category
	for len(out) < n && total > 0 {
		x := rng.Float64() * total
		pick := -1
		for i, w := range weights {
			if w == 0 {
				continue
			}
			pick = i // the last eligible one, should rounding leave x >= 0
			if x -= w; x < 0 {
				break
			}
		}
		out = append(out, &categories[pick])
		total -= weights[pick]
		weights[pick] = 0
	}
	return out
}

// inMarketShare is the share of a company's job posts that speak to its categories.
const inMarketShare = 0.7

// jobPosts generates the job posts of one company: Poisson(JobsPerCompany) of them, at
// least one, the first always about an in-market category. Posts about a category lean
// towards recent weeks; the others are spread evenly.
func jobPosts(p Profile, cats []*category, opts Options, now time.Time, rng *rand.Rand) []schemas.Job {
	n := max(1, Poisson(rng, opts.JobsPerCompany))
	span := time.Duration(opts.Weeks) * 7 * 24 * time.Hour
	// The company's current product and the one it considers, per category.
	tools := make([][2]string, len(cats))
	for i, c := range cats {
		perm := rng.Perm(len(c.Vendors))
		tools[i] = [2]string{c.Vendors[perm[0]], c.Vendors[perm[1]]}
	}
	out := make([]schemas.Job, 0, n)
	for k := range n {
		var title, desc string
		var age time.Duration
		if k == 0 || rng.Float64() < inMarketShare {
			ci := rng.IntN(len(cats))
			title, desc = categoryPost(p, cats[ci], tools[ci], rng)
			age = time.Duration(math.Pow(rng.Float64(), 1.5) * float64(span))
		} else {
			title, desc = noiseJobPost(p, rng)
			age = time.Duration(rng.Float64() * float64(span))
		}
		id := k + 1
		out = append(out, schemas.Job{
			Common: schemas.Common{
				EventID:    "demo-job-" + p.Domain + "-" + strconv.Itoa(id),
				OccurredAt: now.Add(-max(age, time.Minute)).Truncate(time.Second),
				Domain:     p.Domain,
				Source:     "demo",
			},
			Title:       title,
			Description: desc,
			Location:    jobLocation(p.Location, rng),
			URL:         "https://" + p.Domain + "/careers/" + slug(title) + "-" + strconv.Itoa(id),
		})
	}
	return out
}

// categoryPost writes the title and a 2–5 sentence description of a post about c.
func categoryPost(p Profile, c *category, tools [2]string, rng *rand.Rand) (string, string) {
	fill := strings.NewReplacer("{tool}", tools[0], "{alt}", tools[1], "{noun}", c.noun, "{company}", p.Name)
	title := fill.Replace(c.titles[rng.IntN(len(c.titles))])
	sentences := []string{
		fmt.Sprintf("%s is hiring %s %s to join the %s team.", p.Name, article(title), title, c.team),
		fill.Replace(c.duties[rng.IntN(len(c.duties))]),
	}
	if rng.Float64() < 0.6 {
		sentences = append(sentences, fill.Replace(intentSentences[rng.IntN(len(intentSentences))]))
	}
	if rng.Float64() < 0.5 {
		sentences = append(sentences, fill.Replace(requirementSentences[rng.IntN(len(requirementSentences))]))
	}
	if rng.Float64() < 0.3 {
		sentences = append(sentences, closingSentences[rng.IntN(len(closingSentences))])
	}
	return title, strings.Join(sentences, " ")
}

var closingSentences = []string{
	"This is a full-time, remote-friendly position.",
	"We offer a learning budget, flexible hours and a yearly team retreat.",
	"We hire for curiosity and kindness as much as for experience.",
}

// noiseJobPost writes an ordinary post that mentions the company's own stack.
func noiseJobPost(p Profile, rng *rand.Rand) (string, string) {
	np := noisePosts[rng.IntN(len(noisePosts))]
	stack := "modern web technologies"
	if pool := p.Technologies[:min(len(p.Technologies), 8)]; len(pool) > 0 {
		k := min(len(pool), 2+rng.IntN(2))
		pick := make([]string, 0, k)
		for _, i := range rng.Perm(len(pool))[:k] {
			pick = append(pick, pool[i])
		}
		stack = joinList(pick)
	}
	sentences := []string{fmt.Sprintf("%s is hiring %s %s.", p.Name, article(np.title), np.title)}
	for _, s := range np.sentences {
		sentences = append(sentences, strings.ReplaceAll(s, "{stack}", stack))
	}
	return np.title, strings.Join(sentences, " ")
}

// article is "a" or "an" for a job title.
func article(title string) string {
	if title != "" && strings.ContainsRune("AEIOU", rune(title[0])) {
		return "an"
	}
	return "a"
}

// joinList writes "a", "a and b" or "a, b and c".
func joinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// jobLocation is "Remote" or the office of the company, half and half when the office
// is known.
func jobLocation(loc schemas.Location, rng *rand.Rand) string {
	if loc.Country == "" || rng.IntN(2) == 0 {
		return "Remote"
	}
	var parts []string
	for _, s := range []string{loc.City, loc.Region, loc.Country} {
		if s != "" && !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Poisson draws from a Poisson distribution of the given mean (Knuth's method for small
// means, a rounded normal approximation for large ones).
func Poisson(rng *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

var slugRun = regexp.MustCompile(`[^a-z0-9]+`)

// slug turns a title into a URL path segment: "FP&A Analyst" → "fp-a-analyst".
func slug(title string) string {
	return strings.Trim(slugRun.ReplaceAllString(strings.ToLower(title), "-"), "-")
}
