package demo

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/schemas"
)

var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func embeddedProfile(t testing.TB, name string) []byte {
	t.Helper()
	md, err := companyFiles.ReadFile("companies/" + name)
	if err != nil {
		t.Fatalf("read embedded %s: %v", name, err)
	}
	return md
}

func TestEmbeddedProfilesParse(t *testing.T) {
	names, err := fs.Glob(companyFiles, "companies/*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 854 {
		t.Fatalf("embedded %d profiles, want 854", len(names))
	}
	withDomain, withEmployees := 0, 0
	for _, name := range names {
		md, _ := companyFiles.ReadFile(name)
		p, err := ParseProfile(path.Base(name), md)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if p.Name == "" {
			t.Errorf("%s: empty name", name)
		}
		if p.Domain != "" {
			withDomain++
			if d, err := schemas.NormalizeDomain(p.Domain); err != nil || d != p.Domain {
				t.Errorf("%s: domain %q is not normalised (%q, %v)", name, p.Domain, d, err)
			}
		}
		if p.Employees != nil {
			withEmployees++
			if *p.Employees < 0 {
				t.Errorf("%s: employees %d", name, *p.Employees)
			}
		}
		if !slices.Contains(Industries, p.Industry) {
			t.Errorf("%s: industry %q is not one of %v", name, p.Industry, Industries)
		}
		for _, tech := range p.Technologies {
			if tech == "" || len(tech) > 40 || strings.ContainsAny(tech, "\n[]()") {
				t.Errorf("%s: technology %q is not a clean name", name, tech)
			}
		}
		if strings.Contains(p.Description, "](") || strings.HasPrefix(p.Description, "#") {
			t.Errorf("%s: description still has Markdown: %.80q", name, p.Description)
		}
	}
	t.Logf("%d profiles, %d with a domain, %d with a head count", len(names), withDomain, withEmployees)
	// Every profile with a link or address of the company's own has a domain; about 80
	// link only to job boards, LinkedIn or AngelList, or to nothing.
	if withDomain < 770 {
		t.Errorf("%d profiles have a domain, want at least 770", withDomain)
	}
	if withEmployees < 800 {
		t.Errorf("%d profiles have a head count, want at least 800", withEmployees)
	}
}

func TestParseProfileFields(t *testing.T) {
	tests := []struct {
		file      string
		name      string
		domain    string
		employees int // -1 for none
		tech      []string
		location  schemas.Location
	}{
		{"15five.md", "15Five", "15five.com", 100, []string{"Python", "Django", "React", "AWS", "ansible"},
			schemas.Location{City: "New York", Region: "New York", Country: "United States"}},
		{"1password.md", "1Password", "1password.com", 200, []string{"Go", "Rust", "React", "TypeScript", "Swift", "Kubernetes"},
			schemas.Location{City: "Toronto", Region: "Ontario", Country: "Canada"}},
		{"zup.md", "Zup", "zup.com.br", 3750, []string{"Kotlin", "Java", "Spring", "Kubernetes", "Go", "Swift"},
			schemas.Location{City: "Belo Horizonte", Region: "Minas Gerais", Country: "Brazil"}},
		// The title is the domain.
		{"palantir-net.md", "Palantir.net", "palantir.net", 40, []string{"Drupal"},
			schemas.Location{City: "Evanston", Region: "Illinois", Country: "United States"}},
		// A second-level public suffix, and an e-mail address in "How to apply".
		{"lyseon-tech.md", "Lyseon Tech", "lt.coop.br", 12, nil, schemas.Location{City: "Rio de Janeiro", Region: "Rio de Janeiro", Country: "Brazil"}},
		// "www.loadsys.com.com" in the file.
		{"loadsys.md", "Loadsys Web Strategies", "loadsys.com", 7, nil, schemas.Location{}},
		// "City, ST ZIP" beats the Dutch Amsterdam.
		{"sticker-mule.md", "Sticker Mule", "stickermule.com", 750, nil,
			schemas.Location{City: "Amsterdam", Region: "New York", Country: "United States"}},
		// Links only to lever.co and medium.com.
		{"alan.md", "Alan", "", 500, nil, schemas.Location{City: "Paris", Country: "France"}},
		// The collection's template.
		{"example.md", "Example Company", "", -1, nil, schemas.Location{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := ParseProfile(tt.file, embeddedProfile(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != tt.name || p.Domain != tt.domain {
				t.Errorf("name, domain = %q, %q; want %q, %q", p.Name, p.Domain, tt.name, tt.domain)
			}
			switch {
			case tt.employees < 0 && p.Employees != nil:
				t.Errorf("employees = %d, want none", *p.Employees)
			case tt.employees >= 0 && (p.Employees == nil || *p.Employees != tt.employees):
				t.Errorf("employees = %v, want %d", p.Employees, tt.employees)
			}
			for _, want := range tt.tech {
				if !slices.Contains(p.Technologies, want) {
					t.Errorf("technologies %q lack %q", p.Technologies, want)
				}
			}
			if p.Location != tt.location {
				t.Errorf("location = %+v, want %+v", p.Location, tt.location)
			}
		})
	}
}

func TestParseProfileDescription(t *testing.T) {
	p, err := ParseProfile("zup.md", embeddedProfile(t, "zup.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Description, "Zup | We create technology!") {
		t.Errorf("description starts %.60q, want the link text without its URL", p.Description)
	}
	if strings.Contains(p.Description, "http") {
		t.Errorf("description keeps a URL: %q", p.Description)
	}
}

func TestParseProfileErrors(t *testing.T) {
	tests := map[string][]byte{
		"empty":       nil,
		"no title":    []byte("## Company blurb\n\nWe make things.\n"),
		"invalid utf": []byte("# Acme\xff\n"),
	}
	for name, md := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseProfile(name, md); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestParseEmployees(t *testing.T) {
	// Real "Company size" texts of the embedded profiles.
	tests := []struct {
		text string
		want int // -1 for none
	}{
		{"~100 currently (5/3/2019) and growing", 100},
		{"200+ (as of January 2020)", 200},
		{"5-10 employees", 7},
		{"51-200 employees", 125},
		{"800+", 800},
		{"100+", 100},
		{"Currently 3500-4000 Zuppers", 3750},
		{"1,001-5,000 employees", 3000},
		{"Between 1,001 and 5,000 employees.", 3000},
		{"Large (501–1,000 employees)", 750},
		{"Size of company(Number of employees) : 5K-10K.", 7500},
		{"GFT has +10.000 employees over Asia, Europe, Latin America and North America.", 10000},
		{"Over 300,000 employees.", 300000},
		{"Around 300k members worldwide.", 300000},
		{"<10 (as of October 2020)", 5},
		{"Less than 50", 25},
		{"| Year | Employees |\n| ---- | --------- |\n| 2023 | 85        |", 85},
		{"Six-member team as shown on the who we are page.", 6},
		{"The team currently consists of two people:", 2},
		{"We’re a geo-distributed team of 27 across 8 different time zones!", 27},
		{"Web2/3 agency headquartered in Singapore with a strength of 15-25 people across the globe.", 20},
		{"Over 70% of company works remote.", -1},
		{"Started less than 1 year ago in Silicon Valley.", -1},
		{"Small Enterprise", -1},
		{"An approximate size of your company. 0-20, 20-50, 50-100, 100-200, etc.", -1},
		{"", -1},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := parseEmployees(tt.text)
			switch {
			case tt.want < 0 && got != nil:
				t.Errorf("got %d, want none", *got)
			case tt.want >= 0 && got == nil:
				t.Errorf("got none, want %d", tt.want)
			case tt.want >= 0 && *got != tt.want:
				t.Errorf("got %d, want %d", *got, tt.want)
			}
		})
	}
}

func TestProfilesSkipped(t *testing.T) {
	profiles, skipped, err := Profiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(profiles)+len(skipped) != 854 {
		t.Errorf("%d profiles + %d skipped, want 854", len(profiles), len(skipped))
	}
	seen := make(map[string]string)
	for _, p := range profiles {
		if other, dup := seen[p.Domain]; dup {
			t.Errorf("%s and %s share domain %s", other, p.File, p.Domain)
		}
		seen[p.Domain] = p.File
	}
	// atlassian.com is named by both Atlassian and Trello: Atlassian keeps it.
	if seen["atlassian.com"] != "atlassian.md" {
		t.Errorf("atlassian.com belongs to %q, want atlassian.md", seen["atlassian.com"])
	}
	t.Logf("%d companies, %d profiles skipped", len(profiles), len(skipped))
}

func buildDefault(t testing.TB, seed int64) Dataset {
	t.Helper()
	ds, err := Build(Options{Seed: seed, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestBuildDeterministic(t *testing.T) {
	a, b := buildDefault(t, 7), buildDefault(t, 7)
	if len(a.Records) != len(b.Records) {
		t.Fatalf("%d records, then %d", len(a.Records), len(b.Records))
	}
	for i := range a.Records {
		ra, rb := a.Records[i], b.Records[i]
		if ra.Topic != rb.Topic || !bytes.Equal(ra.Key, rb.Key) || !bytes.Equal(ra.Value, rb.Value) {
			t.Fatalf("record %d differs:\n%s\n%s", i, ra.Value, rb.Value)
		}
	}
	c := buildDefault(t, 8)
	same := len(a.Records) == len(c.Records)
	for i := 0; same && i < len(a.Records); i++ {
		same = bytes.Equal(a.Records[i].Value, c.Records[i].Value)
	}
	if same {
		t.Error("seeds 7 and 8 built the same data set")
	}
}

func TestBuildRecordsDecode(t *testing.T) {
	ds := buildDefault(t, 1)
	profiles, _, err := Profiles()
	if err != nil {
		t.Fatal(err)
	}
	companies, jobs := 0, 0
	ids := make(map[string]bool)
	var last time.Time
	oldest := testNow.Add(-DefaultWeeks * 7 * 24 * time.Hour)
	phone := regexp.MustCompile(`^\+1-555-01\d\d$`)
	for i, r := range ds.Records {
		ev, err := schemas.Decode(r.Topic, r.Value, testNow)
		if err != nil {
			t.Fatalf("record %d (%s): %v\n%s", i, r.Topic, err, r.Value)
		}
		c := ev.Base()
		if string(r.Key) != c.Domain {
			t.Errorf("record %d: key %q, domain %q", i, r.Key, c.Domain)
		}
		if ids[c.EventID] {
			t.Errorf("record %d: event_id %q repeats", i, c.EventID)
		}
		ids[c.EventID] = true
		if c.OccurredAt.After(testNow) {
			t.Errorf("record %d: occurred_at %s is after now", i, c.OccurredAt)
		}
		switch e := ev.(type) {
		case *schemas.Company:
			if jobs > 0 {
				t.Fatalf("record %d: company after job posts", i)
			}
			companies++
			if e.EventID != "demo-company-"+e.Domain || e.Source != "remoteintech" {
				t.Errorf("company %s: event_id %q, source %q", e.Domain, e.EventID, e.Source)
			}
			if n := len(e.Contacts); n < 2 || n > 4 {
				t.Errorf("company %s: %d contacts", e.Domain, n)
			}
			for _, ct := range e.Contacts {
				if !strings.HasSuffix(ct.Email, "@"+e.Domain) || !phone.MatchString(ct.Phone) || ct.Name == "" || ct.Title == "" {
					t.Errorf("company %s: contact %+v", e.Domain, ct)
				}
			}
		case *schemas.Job:
			jobs++
			if e.OccurredAt.Before(last) {
				t.Errorf("record %d: job posts out of occurred_at order", i)
			}
			last = e.OccurredAt
			if e.OccurredAt.Before(oldest) {
				t.Errorf("job %s: occurred_at %s is more than %d weeks before now", e.EventID, e.OccurredAt, DefaultWeeks)
			}
			if !strings.HasPrefix(e.EventID, "demo-job-"+e.Domain+"-") || e.Source != "demo" ||
				!strings.HasPrefix(e.URL, "https://"+e.Domain+"/careers/") || e.Description == "" {
				t.Errorf("job %+v", e)
			}
		}
	}
	if companies != len(profiles) {
		t.Errorf("%d company records, %d usable profiles", companies, len(profiles))
	}
	if mean := float64(jobs) / float64(companies); mean < 3.5 || mean > 4.6 {
		t.Errorf("%.2f job posts per company, want about %g", mean, DefaultJobsPerCompany)
	}
	t.Logf("%d records: %d companies, %d job posts", len(ds.Records), companies, jobs)
}

// helpDeskPost tells a job post about customer support / help desk software.
var helpDeskPost = regexp.MustCompile(`(?i)help ?desk|zendesk|freshdesk|intercom|help scout|gorgias|kustomer|\bfront\b`)

func TestBuildHelpDeskCompanies(t *testing.T) {
	ds := buildDefault(t, 1)
	companies := make(map[string]bool)
	for _, r := range ds.Records {
		if r.Topic != schemas.TopicJobs {
			continue
		}
		var j schemas.Job
		if err := json.Unmarshal(r.Value, &j); err != nil {
			t.Fatal(err)
		}
		support := strings.Contains(strings.ToLower(j.Title), "support") || strings.Contains(j.Title, "Customer Experience") || strings.Contains(j.Title, "Zendesk")
		if support && helpDeskPost.MatchString(j.Description) {
			companies[j.Domain] = true
		}
	}
	if len(companies) < 25 {
		t.Errorf("%d companies post jobs about help desk software, want at least 25", len(companies))
	}
	// The ground truth agrees with the posts.
	for domain := range companies {
		if !slices.Contains(ds.InMarket[domain], "help_desk") {
			t.Errorf("%s posts about help desks but is not in the market for one: %v", domain, ds.InMarket[domain])
		}
	}
	t.Logf("%d companies post about help desk software", len(companies))
}

func TestBuildInMarket(t *testing.T) {
	ds := buildDefault(t, 3)
	perCategory := make(map[string]int)
	for domain, ids := range ds.InMarket {
		if len(ids) < 1 || len(ids) > 2 {
			t.Errorf("%s: %d in-market categories", domain, len(ids))
		}
		for _, id := range ids {
			perCategory[id]++
		}
	}
	for _, c := range Categories() {
		if perCategory[c.ID] == 0 {
			t.Errorf("no company is in the market for %s", c.ID)
		}
	}
	t.Logf("companies per category: %v", perCategory)
}

func TestBuildOptions(t *testing.T) {
	if _, err := Build(Options{}); err == nil {
		t.Error("Build without Now: no error")
	}
	if _, err := Build(Options{Now: testNow, Weeks: -1}); err == nil {
		t.Error("Build with negative Weeks: no error")
	}
	if _, err := Build(Options{Now: testNow, JobsPerCompany: math.NaN()}); err == nil {
		t.Error("Build with NaN JobsPerCompany: no error")
	}
	ds, err := Build(Options{Now: testNow, Weeks: 1, JobsPerCompany: 1})
	if err != nil {
		t.Fatal(err)
	}
	weekAgo := testNow.Add(-7 * 24 * time.Hour)
	for _, r := range ds.Records {
		if r.Topic != schemas.TopicJobs {
			continue
		}
		ev, err := schemas.Decode(r.Topic, r.Value, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Base().OccurredAt.Before(weekAgo) {
			t.Fatalf("Weeks 1: job at %s", ev.Base().OccurredAt)
		}
	}
}

func FuzzParseProfile(f *testing.F) {
	for _, name := range []string{"15five.md", "zup.md", "akamai.md", "example.md", "appen.md"} {
		f.Add(embeddedProfile(f, name))
	}
	f.Add([]byte("# A\n## Company size\n1,001 - 5k\n## Office locations\nFoo, CA 94000, Berlin, DE\n"))
	f.Add([]byte("#  \n##\n## How to apply\n[x](https://a.b.c.d.co.uk/jobs) x@y.z www.\n"))
	f.Fuzz(func(t *testing.T, md []byte) {
		p, err := ParseProfile("fuzz.md", md)
		if err != nil {
			return
		}
		if p.Name == "" {
			t.Error("parsed a profile without a name")
		}
		if p.Domain != "" {
			if d, err := schemas.NormalizeDomain(p.Domain); err != nil || d != p.Domain {
				t.Errorf("domain %q is not normalised (%q, %v)", p.Domain, d, err)
			}
		}
		if p.Employees != nil && *p.Employees < 0 {
			t.Errorf("employees %d", *p.Employees)
		}
	})
}

func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(Options{Seed: 1, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}
