package scorer

import (
	"strings"
	"time"
	"unicode/utf8"
)

// explainer turns a lead's evidence into dated, human-readable reasons. It is built
// once per query and used by one goroutine.
type explainer struct {
	max   int
	topic string // what the query is about, as activity reasons name it ("help desk software")
}

// topicLabel is how reasons name what the query is about: its best topic's name in
// lower case, else its product phrase.
func topicLabel(pl *queryPlan) string {
	if len(pl.topics) > 0 {
		return strings.ToLower(pl.topics[0].Name)
	}
	return strings.Join(pl.productWords(), " ")
}

// productWords are the product terms that are single words, for labels.
func (pl *queryPlan) productWords() []string {
	var out []string
	for _, i := range pl.product {
		if t := pl.terms[i]; !strings.Contains(t, "_") {
			out = append(out, t)
		}
	}
	return out
}

// explain returns up to x.max signals and the evidence behind them (Signals[i] is
// about Evidence[i]): the relevant items (facts.relevant), most recent first; when none
// is relevant, the most recent item, so that every lead shows a dated reason.
func (x *explainer) explain(evs []Evidence, facts evidenceFacts) (signals []string, evidence []Evidence) {
	idx, mention := facts.relevant, facts.mention
	if len(idx) == 0 {
		if i := mostRecent(evs); i >= 0 {
			idx, mention = []int{i}, []string{""}
		}
	}
	n := min(len(idx), x.max)
	signals = make([]string, n)
	evidence = make([]Evidence, n)
	for k := range n {
		e := &evs[idx[k]]
		signals[k] = x.format(e, mention[k])
		evidence[k] = *e
	}
	return signals, evidence
}

func mostRecent(evs []Evidence) int {
	best := -1
	for i := range evs {
		if best < 0 || evs[i].ObservedAt.After(evs[best].ObservedAt) {
			best = i
		}
	}
	return best
}

// format renders one reason, e.g. `Posted job "Help Desk Lead" on 2026-11-20`,
// `Requested a demo of help desk software (2026-11-24)`, `Removed Zendesk on
// 2026-11-18` or `Website page "Pricing" mentions "help desk" (2026-11-02)`. phrase is
// the query term the item mentions, or "".
func (x *explainer) format(e *Evidence, phrase string) string {
	date := "date unknown"
	if !e.ObservedAt.IsZero() {
		date = e.ObservedAt.UTC().Format(time.DateOnly)
	}
	var b strings.Builder
	mention := func(verb string) {
		if phrase != "" {
			b.WriteString(" " + verb + " ")
			quote(&b, phrase)
		}
	}
	switch e.Kind {
	case "job":
		label := clip(e.Title)
		if label == "" {
			label = clip(e.Snippet)
		}
		b.WriteString("Posted job ")
		quote(&b, label)
		if phrase != "" && !containsFoldWord(e.Title, phrase) {
			mention("mentioning")
		}
		b.WriteString(" on " + date)
		return b.String()
	case "tech":
		title := clip(e.Title)
		switch {
		case strings.HasPrefix(title, "Added "), strings.HasPrefix(title, "Removed "):
		case e.Action == "removed":
			title = "Removed " + title
		case e.Action == "added":
			title = "Added " + title
		default:
			title = "Technology change " + `"` + title + `"`
		}
		return title + " on " + date
	case "activity":
		b.WriteString(x.activity(e, phrase))
	case "site":
		label := clip(e.Title)
		if label == "" {
			label = clip(e.URL)
		}
		b.WriteString("Website page ")
		quote(&b, label)
		mention("mentions")
	default:
		label := clip(e.Title)
		if label == "" {
			label = clip(e.Snippet)
		}
		b.WriteString("Signal ")
		quote(&b, label)
		mention("mentions")
	}
	b.WriteString(" (" + date + ")")
	return b.String()
}

// activity words a research action: "Requested a demo of help desk software".
func (x *explainer) activity(e *Evidence, phrase string) string {
	object := ""
	if _, topic, ok := strings.Cut(e.Title, ": "); ok {
		object = clip(topic)
	}
	if object == "" {
		object = phrase
	}
	if object == "" {
		object = x.topic
	}
	if object == "" {
		object = "the product"
	}
	switch e.Action {
	case "demo_request":
		return "Requested a demo of " + object
	case "free_trial":
		return "Started a free trial of " + object
	case "pricing_view":
		return "Viewed pricing of " + object
	case "comparison_view":
		return "Compared vendors of " + object
	case "review_view":
		return "Read reviews of " + object
	case "webinar":
		return "Attended a webinar on " + object
	case "content_download":
		return "Downloaded content on " + object
	case "search":
		return "Searched for " + object
	case "page_view":
		return "Read about " + object
	}
	return "Researched " + object
}

func quote(b *strings.Builder, s string) {
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(s, `"`, "'"))
	b.WriteByte('"')
}

// clip collapses white space and shortens s to at most 80 characters.
func clip(s string) string {
	const maxLabel = 80
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxLabel-1])) + "…"
}
