package deploy_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// promRule is a rule of deploy/prometheus/rules.yml.
type promRule struct {
	Alert       string            `yaml:"alert"`
	Record      string            `yaml:"record"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

func prometheusRules(t testing.TB) []promRule {
	t.Helper()
	var file struct {
		Groups []struct {
			Name  string     `yaml:"name"`
			Rules []promRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	readYAML(t, "deploy/prometheus/rules.yml", &file)
	var rules []promRule
	for _, g := range file.Groups {
		rules = append(rules, g.Rules...)
	}
	if len(rules) == 0 {
		t.Fatal("deploy/prometheus/rules.yml has no rules")
	}
	return rules
}

// scrapeJobs returns the job names of deploy/prometheus/prometheus.yml with their
// targets.
func scrapeJobs(t testing.TB) map[string][]string {
	t.Helper()
	var cfg struct {
		RuleFiles     []string `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, "deploy/prometheus/prometheus.yml", &cfg)
	jobs := map[string][]string{}
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			jobs[sc.JobName] = append(jobs[sc.JobName], st.Targets...)
		}
	}
	return jobs
}

// TestPrometheusConfig checks prometheus.yml and the rule files it loads with
// promtool check config (syntax, and that every rule parses).
func TestPrometheusConfig(t *testing.T) {
	promtool := program(t, "promtool", "prometheus")
	if out, err := run(t, nil, promtool, "check", "config", path(t, "deploy/prometheus/prometheus.yml")); err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
}

// TestPrometheusRules runs the unit tests of rules_test.yml and checks that they
// have, for every alert of rules.yml, a case where it fires and one where it does
// not.
func TestPrometheusRules(t *testing.T) {
	promtool := program(t, "promtool", "prometheus")
	if out, err := run(t, nil, promtool, "test", "rules", path(t, "deploy/prometheus/rules_test.yml")); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}

	var tests struct {
		Tests []struct {
			Name  string `yaml:"name"`
			Cases []struct {
				Alert     string `yaml:"alertname"`
				ExpAlerts []any  `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	readYAML(t, "deploy/prometheus/rules_test.yml", &tests)
	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, tg := range tests.Tests {
		for _, c := range tg.Cases {
			if len(c.ExpAlerts) > 0 {
				fires[c.Alert] = true
			} else {
				quiet[c.Alert] = true
			}
		}
	}
	for _, r := range prometheusRules(t) {
		if r.Alert == "" {
			continue
		}
		if !fires[r.Alert] {
			t.Errorf("rules_test.yml: no case where %s fires", r.Alert)
		}
		if !quiet[r.Alert] {
			t.Errorf("rules_test.yml: no case where %s stays quiet", r.Alert)
		}
		if r.Labels["severity"] == "" || r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
			t.Errorf("rules.yml: %s needs a severity label and summary and description annotations", r.Alert)
		}
	}
}

// TestRuleJobsAreScraped checks that the jobs the rules select by name are scraped.
func TestRuleJobsAreScraped(t *testing.T) {
	jobs := scrapeJobs(t)
	for _, r := range prometheusRules(t) {
		for _, part := range strings.Split(r.Expr, `job="`)[1:] {
			job, _, _ := strings.Cut(part, `"`)
			if _, ok := jobs[job]; !ok {
				t.Errorf("rules.yml: %s selects job %q, which prometheus.yml does not scrape", r.Alert, job)
			}
		}
	}
}

// use is one PromQL expression of a deployment file and where it is.
type use struct {
	where string
	expr  string
}

// checkPromQL fails for every expression that promtool cannot parse. Grafana's
// interval variables are replaced by durations first.
func checkPromQL(t *testing.T, uses []use) {
	t.Helper()
	promtool := program(t, "promtool", "prometheus")
	if out, err := checkExprs(t, promtool, uses); err == nil {
		return
	} else if len(uses) == 1 {
		t.Errorf("%s: PromQL does not parse: %s\n%s", uses[0].where, uses[0].expr, out)
		return
	}
	// Find the culprits one by one.
	for _, u := range uses {
		checkPromQL(t, []use{u})
	}
}

// checkExprs runs promtool check rules on a rule file that records every expression.
func checkExprs(t *testing.T, promtool string, uses []use) (string, error) {
	t.Helper()
	grafanaVars := strings.NewReplacer("$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h")
	type rule struct {
		Record string `json:"record"`
		Expr   string `json:"expr"`
	}
	var rules []rule
	for i, u := range uses {
		rules = append(rules, rule{Record: fmt.Sprintf("check:expr_%d", i), Expr: grafanaVars.Replace(u.expr)})
	}
	// JSON is YAML, and needs no care with quoting.
	doc, err := json.Marshal(map[string]any{"groups": []any{map[string]any{"name": "check", "rules": rules}}})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "exprs.yml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return run(t, nil, promtool, "check", "rules", file)
}
