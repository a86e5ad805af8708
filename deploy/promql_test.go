package deploy_test

import (
	"fmt"
	"slices"
	"testing"
)

// promqlWords are the PromQL keywords and aggregation operators: identifiers that
// are never metric names, even when no '(' follows them.
var promqlWords = map[string]bool{
	"and": true, "or": true, "unless": true, "atan2": true, "bool": true, "offset": true,
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"inf": true, "nan": true, "sum": true, "min": true, "max": true, "avg": true, "group": true,
	"stddev": true, "stdvar": true, "count": true, "count_values": true, "bottomk": true,
	"topk": true, "quantile": true, "limitk": true, "limit_ratio": true,
}

// labelLists are the keywords followed by a parenthesised list of label names.
var labelLists = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
}

// metricNames returns the metric names a PromQL expression selects, in order of
// first use: the identifiers that are not keywords, functions (followed by '('),
// label names (inside {} or a by/on list), strings, numbers, durations or Grafana
// variables ($name). Syntax is checked elsewhere, by promtool.
func metricNames(expr string) ([]string, error) {
	var names []string
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			end, err := skipString(expr, i)
			if err != nil {
				return nil, err
			}
			i = end
		case c == '{' || c == '[':
			end, err := skipGroup(expr, i)
			if err != nil {
				return nil, err
			}
			i = end
		case c == '$':
			i++
			for i < len(expr) && isIdentChar(expr[i]) {
				i++
			}
		case isDigit(c) || c == '.' && i+1 < len(expr) && isDigit(expr[i+1]):
			for i < len(expr) && (isIdentChar(expr[i]) || expr[i] == '.') {
				i++
			}
		case isIdentStart(c):
			start := i
			for i < len(expr) && isIdentChar(expr[i]) {
				i++
			}
			word := expr[start:i]
			next := i
			for next < len(expr) && (expr[next] == ' ' || expr[next] == '\t' || expr[next] == '\n' || expr[next] == '\r') {
				next++
			}
			followedByParen := next < len(expr) && expr[next] == '('
			switch {
			case labelLists[word] && followedByParen:
				end, err := skipGroup(expr, next)
				if err != nil {
					return nil, err
				}
				i = end
			case promqlWords[word], followedByParen:
			default:
				if !slices.Contains(names, word) {
					names = append(names, word)
				}
			}
		default:
			i++
		}
	}
	return names, nil
}

// skipString returns the index after the string literal that starts at i.
func skipString(s string, i int) (int, error) {
	quote := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && quote != '`':
			j++
		case s[j] == quote:
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated string at offset %d", i)
}

// skipGroup returns the index after the bracket that closes the one at i,
// stepping over the strings inside.
func skipGroup(s string, i int) (int, error) {
	closing := map[byte]byte{'{': '}', '[': ']', '(': ')'}[s[i]]
	for j := i + 1; j < len(s); {
		switch c := s[j]; {
		case c == '"' || c == '\'' || c == '`':
			end, err := skipString(s, j)
			if err != nil {
				return 0, err
			}
			j = end
		case c == closing:
			return j + 1, nil
		default:
			j++
		}
	}
	return 0, fmt.Errorf("unclosed %q at offset %d", s[i], i)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }

func TestMetricNames(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want []string
	}{
		{"selector", `up{job="api"} == 0`, []string{"up"}},
		{"bare metric", `leadpoet_cost_per_lead_usd > 0.002`, []string{"leadpoet_cost_per_lead_usd"}},
		{"quantile over a by list", `histogram_quantile(0.95, sum by (job, le) (rate(a_bucket{endpoint="/query"}[5m]))) > 0.4`, []string{"a_bucket"}},
		{"by after the aggregation", `sum(rate(a_total[5m])) by (topic, reason)`, []string{"a_total"}},
		{"ratio and set operators", `sum by (job) (rate(a{status=~"5.."}[5m])) / sum by (job) (rate(b[5m])) > 0.01 and on (job) c unless d`, []string{"a", "b", "c", "d"}},
		{"label values look like metrics", `a{topic="leadpoet_x", reason='sum'}`, []string{"a"}},
		{"grafana variables", `rate(a[$__rate_interval]) * $scale`, []string{"a"}},
		{"numbers and durations", `a offset 1h30m + 1e-3 * .5 + 0x1f`, []string{"a"}},
		{"group_left with labels", `a * on (instance) group_left (version) b`, []string{"a", "b"}},
		{"keyword-like metric prefixes", `sum_of_things + count_total`, []string{"sum_of_things", "count_total"}},
		{"repeated", `a / a`, []string{"a"}},
		{"aggregator then newline", "sum\n  by (le) (a)", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := metricNames(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("metricNames(%q) = %q, want %q", tt.expr, got, tt.want)
			}
		})
	}
	for _, bad := range []string{`a{job="x}`, `rate(a[5m)`} {
		if _, err := metricNames(bad); err == nil {
			t.Errorf("metricNames(%q): no error for a broken expression", bad)
		}
	}
}
