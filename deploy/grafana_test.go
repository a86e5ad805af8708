package deploy_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// datasourceUID is the uid of the provisioned Prometheus data source.
func datasourceUID(t testing.TB) string {
	t.Helper()
	var file struct {
		Datasources []struct {
			UID  string `yaml:"uid"`
			Type string `yaml:"type"`
			URL  string `yaml:"url"`
		} `yaml:"datasources"`
	}
	readYAML(t, "deploy/grafana/provisioning/datasources/prometheus.yml", &file)
	if len(file.Datasources) != 1 || file.Datasources[0].Type != "prometheus" || file.Datasources[0].UID == "" {
		t.Fatalf("datasources/prometheus.yml: want one prometheus data source with a uid, have %+v", file.Datasources)
	}
	return file.Datasources[0].UID
}

type dashPanel struct {
	ID         int    `json:"id"`
	Type       string `json:"type"`
	Title      string `json:"title"`
	Datasource *struct {
		Type string `json:"type"`
		UID  string `json:"uid"`
	} `json:"datasource"`
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
	Panels []dashPanel `json:"panels"` // of a collapsed row
}

// dashboardUses returns the PromQL of every panel of every dashboard in
// deploy/grafana/dashboards, and checks what Grafana needs to show them: unique
// panel ids, a Prometheus data source on every query panel, an expression on
// every target.
func dashboardUses(t *testing.T) []use {
	t.Helper()
	files, err := filepath.Glob(path(t, "deploy/grafana/dashboards/*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards in deploy/grafana/dashboards (%v)", err)
	}
	uid := datasourceUID(t)
	var uses []use
	for _, f := range files {
		name := filepath.Base(f)
		var dash struct {
			UID        string      `json:"uid"`
			Title      string      `json:"title"`
			Panels     []dashPanel `json:"panels"`
			Templating struct {
				List []struct {
					Name    string `json:"name"`
					Type    string `json:"type"`
					Query   string `json:"query"`
					Current struct {
						Value string `json:"value"`
					} `json:"current"`
				} `json:"list"`
			} `json:"templating"`
		}
		if err := json.Unmarshal(readFile(t, "deploy/grafana/dashboards/"+name), &dash); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if dash.UID == "" || dash.Title == "" {
			t.Errorf("%s: a provisioned dashboard needs a uid and a title", name)
		}
		// Panels may name the data source directly or through a datasource variable
		// that defaults to it.
		dsRefs := map[string]bool{uid: true}
		for _, v := range dash.Templating.List {
			if v.Type == "datasource" && v.Query == "prometheus" && v.Current.Value == uid {
				dsRefs["${"+v.Name+"}"] = true
			}
		}
		ids := map[int]bool{}
		var walk func(ps []dashPanel)
		walk = func(ps []dashPanel) {
			for _, p := range ps {
				where := fmt.Sprintf("%s panel %q", name, p.Title)
				if ids[p.ID] {
					t.Errorf("%s: panel id %d is used twice", where, p.ID)
				}
				ids[p.ID] = true
				walk(p.Panels)
				if p.Type == "row" || p.Type == "text" {
					continue
				}
				if p.Datasource == nil || p.Datasource.Type != "prometheus" || !dsRefs[p.Datasource.UID] {
					t.Errorf("%s: data source %+v is not the provisioned Prometheus (%s)", where, p.Datasource, uid)
				}
				if len(p.Targets) == 0 {
					t.Errorf("%s: no queries", where)
				}
				for _, tg := range p.Targets {
					if strings.TrimSpace(tg.Expr) == "" {
						t.Errorf("%s target %s: no expression", where, tg.RefID)
						continue
					}
					uses = append(uses, use{where: where + " target " + tg.RefID, expr: tg.Expr})
				}
			}
		}
		walk(dash.Panels)
	}
	return uses
}

type grafanaRule struct {
	UID       string `yaml:"uid"`
	Title     string `yaml:"title"`
	Condition string `yaml:"condition"`
	Data      []struct {
		RefID         string `yaml:"refId"`
		DatasourceUID string `yaml:"datasourceUid"`
		Model         struct {
			Expr       string `yaml:"expr"`
			Type       string `yaml:"type"`
			Expression string `yaml:"expression"`
		} `yaml:"model"`
	} `yaml:"data"`
	For         string            `yaml:"for"`
	NoDataState string            `yaml:"noDataState"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

func grafanaRules(t testing.TB) []grafanaRule {
	t.Helper()
	var file struct {
		APIVersion int `yaml:"apiVersion"`
		Groups     []struct {
			Name     string        `yaml:"name"`
			Folder   string        `yaml:"folder"`
			Interval string        `yaml:"interval"`
			Rules    []grafanaRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	readYAML(t, "deploy/grafana/provisioning/alerting/leadpoet.yml", &file)
	var rules []grafanaRule
	for _, g := range file.Groups {
		if g.Name == "" || g.Folder == "" || g.Interval == "" {
			t.Errorf("alerting/leadpoet.yml: group %q needs a name, a folder and an interval", g.Name)
		}
		rules = append(rules, g.Rules...)
	}
	if file.APIVersion != 1 || len(rules) == 0 {
		t.Fatalf("alerting/leadpoet.yml: want apiVersion 1 and rules, have %d and %d rules", file.APIVersion, len(rules))
	}
	return rules
}

// grafanaAlertUses returns the PromQL of the Grafana alert rules and checks their
// structure: each rule's condition and expressions refer to queries it has, and its
// queries use the provisioned data source.
func grafanaAlertUses(t *testing.T) []use {
	t.Helper()
	uid := datasourceUID(t)
	var uses []use
	uids := map[string]bool{}
	for _, r := range grafanaRules(t) {
		where := "alerting/leadpoet.yml rule " + r.Title
		if r.UID == "" || uids[r.UID] {
			t.Errorf("%s: uid %q is empty or used twice", where, r.UID)
		}
		uids[r.UID] = true
		refs := map[string]bool{}
		for _, d := range r.Data {
			refs[d.RefID] = true
		}
		if !refs[r.Condition] {
			t.Errorf("%s: condition %q is none of its queries", where, r.Condition)
		}
		for _, d := range r.Data {
			switch d.DatasourceUID {
			case "__expr__":
				if !refs[d.Model.Expression] {
					t.Errorf("%s: expression %s reads %q, none of its queries", where, d.RefID, d.Model.Expression)
				}
			case uid:
				uses = append(uses, use{where: where + " query " + d.RefID, expr: d.Model.Expr})
			default:
				t.Errorf("%s: query %s uses data source %q, not the provisioned %q", where, d.RefID, d.DatasourceUID, uid)
			}
		}
		for k, v := range r.Labels {
			// Labels are expanded as environment variables on provisioning.
			if strings.Contains(v, "$") {
				t.Errorf("%s: label %s=%q has a '$', which provisioning would expand", where, k, v)
			}
		}
	}
	return uses
}

// TestGrafanaDashboards checks the dashboards' structure and that every panel
// expression parses.
func TestGrafanaDashboards(t *testing.T) {
	uses := dashboardUses(t)
	checkPromQL(t, uses)

	var provider struct {
		Providers []struct {
			Folder  string `yaml:"folder"`
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, "deploy/grafana/provisioning/dashboards/leadpoet.yml", &provider)
	if len(provider.Providers) != 1 || provider.Providers[0].Type != "file" {
		t.Fatalf("dashboards/leadpoet.yml: want one file provider, have %+v", provider.Providers)
	}
	// compose.yaml must mount the dashboards where the provider reads them.
	grafana := composeFile(t).Services["grafana"]
	want := "./deploy/grafana/dashboards:" + provider.Providers[0].Options.Path
	if !slices.ContainsFunc(grafana.Volumes, func(v string) bool { return strings.HasPrefix(v, want) }) {
		t.Errorf("compose.yaml: grafana does not mount %s (the provider's path); volumes %q", want, grafana.Volumes)
	}
}

// TestGrafanaAlerting checks that Grafana alerts on the same objectives as
// Prometheus: the same alert names, durations and severities, and expressions that
// parse.
func TestGrafanaAlerting(t *testing.T) {
	checkPromQL(t, grafanaAlertUses(t))

	prom := map[string]promRule{}
	for _, r := range prometheusRules(t) {
		if r.Alert != "" {
			prom[r.Alert] = r
		}
	}
	seen := map[string]bool{}
	for _, g := range grafanaRules(t) {
		seen[g.Title] = true
		p, ok := prom[g.Title]
		if !ok {
			t.Errorf("alerting/leadpoet.yml: %s is no alert of deploy/prometheus/rules.yml", g.Title)
			continue
		}
		gf, err1 := time.ParseDuration(g.For)
		pf, err2 := time.ParseDuration(p.For)
		if err1 != nil || err2 != nil || gf != pf {
			t.Errorf("%s: for is %q in Grafana and %q in Prometheus", g.Title, g.For, p.For)
		}
		if g.Labels["severity"] != p.Labels["severity"] {
			t.Errorf("%s: severity is %q in Grafana and %q in Prometheus", g.Title, g.Labels["severity"], p.Labels["severity"])
		}
		if g.Annotations["summary"] == "" || g.Annotations["description"] == "" {
			t.Errorf("%s: needs summary and description annotations", g.Title)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(prom)) {
		if !seen[name] {
			t.Errorf("alerting/leadpoet.yml: no Grafana rule for the Prometheus alert %s", name)
		}
	}

	var notif struct {
		ContactPoints []struct {
			Name string `yaml:"name"`
		} `yaml:"contactPoints"`
		Policies []struct {
			Receiver string `yaml:"receiver"`
		} `yaml:"policies"`
	}
	readYAML(t, "deploy/grafana/provisioning/alerting/notifications.yml", &notif)
	points := map[string]bool{}
	for _, c := range notif.ContactPoints {
		points[c.Name] = true
	}
	if len(notif.Policies) != 1 || !points[notif.Policies[0].Receiver] {
		t.Errorf("alerting/notifications.yml: want one policy whose receiver is a provisioned contact point, have %+v", notif)
	}
}
