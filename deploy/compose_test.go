package deploy_test

import (
	"fmt"
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leadpoet/leadpoet/schemas"
)

type composeService struct {
	Image       string         `yaml:"image"`
	Build       any            `yaml:"build"`
	Command     any            `yaml:"command"`
	Environment map[string]any `yaml:"environment"`
	Volumes     []string       `yaml:"volumes"`
	Ports       []string       `yaml:"ports"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Restart string `yaml:"restart"`
}

type compose struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

func composeFile(t testing.TB) compose {
	t.Helper()
	var c compose
	readYAML(t, "compose.yaml", &c)
	if len(c.Services) == 0 {
		t.Fatal("compose.yaml: no services")
	}
	return c
}

func (s composeService) env(name string) string {
	v, ok := s.Environment[name]
	if !ok {
		return ""
	}
	return fmt.Sprint(v)
}

// TestComposeConfig validates compose.yaml with `docker-compose config -q` from
// Debian's docker-compose package (Compose 1.29): the file's schema, interpolation
// and references. The command needs no Docker engine.
func TestComposeConfig(t *testing.T) {
	dc := program(t, "docker-compose", "docker-compose")
	if out, err := run(t, nil, dc, "--file", path(t, "compose.yaml"), "--project-directory", root(t), "config", "--quiet"); err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, out)
	}
}

// TestComposeWiring checks what docker-compose cannot: that the services, the
// files they mount and the Prometheus targets fit together.
func TestComposeWiring(t *testing.T) {
	c := composeFile(t)
	for _, name := range []string{"kafka", "clickhouse", "redis", "ingest", "api", "prometheus", "grafana"} {
		s, ok := c.Services[name]
		switch {
		case !ok:
			t.Errorf("compose.yaml: no service %s", name)
		case s.Healthcheck == nil || len(s.Healthcheck.Test) == 0:
			t.Errorf("compose.yaml: service %s has no health check", name)
		case s.Restart != "unless-stopped":
			t.Errorf("compose.yaml: service %s restarts %q, want unless-stopped", name, s.Restart)
		}
	}

	used := map[string]bool{}
	for name, s := range c.Services {
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if strings.HasPrefix(src, "./") {
				if _, err := os.Stat(path(t, src)); err != nil {
					t.Errorf("compose.yaml: service %s mounts %s: %v", name, src, err)
				}
				continue
			}
			used[src] = true
			if _, ok := c.Volumes[src]; !ok {
				t.Errorf("compose.yaml: service %s uses volume %s, which is not declared", name, src)
			}
		}
		for dep, d := range s.DependsOn {
			if _, ok := c.Services[dep]; !ok {
				t.Errorf("compose.yaml: service %s depends on %s, which does not exist", name, dep)
			}
			if d.Condition == "service_completed_successfully" && c.Services[dep].Restart != "no" {
				t.Errorf("compose.yaml: %s waits for %s to complete, which is no one-shot (restart: \"no\")", name, dep)
			}
		}
	}
	for v := range c.Volumes {
		if !used[v] {
			t.Errorf("compose.yaml: volume %s is declared and unused", v)
		}
	}

	// kafka-init creates every topic of the wire contract.
	topics := strings.Fields(c.Services["kafka-init"].env("LEADPOET_TOPICS"))
	if !slices.Equal(slices.Sorted(slices.Values(topics)), slices.Sorted(slices.Values(schemas.AllTopics))) {
		t.Errorf("compose.yaml: kafka-init creates %q, the contract has %q", topics, schemas.AllTopics)
	}

	// Prometheus scrapes the services where they listen, and mounts its rules.
	listen := map[string]string{
		"api:8000":        c.Services["api"].env("LEADPOET_API_LISTEN"),
		"ingest:9101":     c.Services["ingest"].env("LEADPOET_INGEST_LISTEN"),
		"clickhouse:9363": ":9363",
	}
	jobs := scrapeJobs(t)
	for job, targets := range jobs {
		for _, target := range targets {
			host, port, err := net.SplitHostPort(target)
			if err != nil {
				t.Errorf("prometheus.yml: job %s target %q: %v", job, target, err)
				continue
			}
			if _, ok := c.Services[host]; !ok {
				t.Errorf("prometheus.yml: job %s scrapes %s, which is no service of compose.yaml", job, host)
			}
			if l, ok := listen[target]; !ok || !strings.HasSuffix(l, ":"+port) {
				t.Errorf("prometheus.yml: job %s scrapes %s, but the service listens on %q", job, target, l)
			}
		}
	}
	for _, job := range []string{"api", "ingest"} {
		hc := strings.Join(c.Services[job].Healthcheck.Test, " ")
		if _, port, _ := net.SplitHostPort(jobs[job][0]); !strings.Contains(hc, ":"+port+"/healthz") {
			t.Errorf("compose.yaml: the health check of %s (%s) does not ask /healthz on port %s", job, hc, port)
		}
	}
	if !strings.Contains(string(readFile(t, "deploy/clickhouse/prometheus.xml")), "<port>9363</port>") {
		t.Errorf("deploy/clickhouse/prometheus.xml does not serve on port 9363, which prometheus.yml scrapes")
	}
	if !slices.Contains(c.Services["prometheus"].Volumes, "./deploy/prometheus:/etc/prometheus:ro") {
		t.Errorf("compose.yaml: prometheus does not mount deploy/prometheus at /etc/prometheus")
	}
}

// TestComposeEnvIsFlags checks that every LEADPOET_* variable compose.yaml gives
// the leadpoet services is the variable of a flag of their subcommand: a misspelt
// one would be ignored.
func TestComposeEnvIsFlags(t *testing.T) {
	bin := buildLeadpoet(t)
	flagLine := regexp.MustCompile(`(?m)^\s+-([a-z0-9.-]+)`)
	envName := strings.NewReplacer(".", "_", "-", "_")
	for name, s := range composeFile(t).Services {
		if s.Build == nil {
			continue
		}
		args, ok := s.Command.([]any)
		if !ok || len(args) == 0 {
			t.Errorf("compose.yaml: service %s builds leadpoet but names no subcommand", name)
			continue
		}
		sub := fmt.Sprint(args[0])
		help, _ := run(t, nil, bin, sub, "-h")
		flags := map[string]bool{}
		for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
			flags["LEADPOET_"+strings.ToUpper(envName.Replace(m[1]))] = true
		}
		if len(flags) == 0 {
			t.Fatalf("leadpoet %s -h lists no flags:\n%s", sub, help)
		}
		for env := range s.Environment {
			if strings.HasPrefix(env, "LEADPOET_") && !flags[env] {
				t.Errorf("compose.yaml: service %s sets %s, which is no flag of leadpoet %s", name, env, sub)
			}
		}
	}
}
