package scorer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/schemas"
)

const (
	// maxPromptBytes and maxPromptWords bound the work ParsePrompt does; text past
	// them is ignored.
	maxPromptBytes = 8 << 10
	maxPromptWords = 256
	// maxTerms bounds the product terms, and so the indexes a query reads.
	maxTerms = 24
)

// Parsed is a prompt read into the product being bought and the buyer it describes.
// The embedded Interpretation holds the product phrase, its terms and the filters the
// prompt implies. Those filters are implicit: a company that misses one has a lower
// fit but stays, except for an excluded technology, which drops it.
type Parsed struct {
	Interpretation
	// Buyer is the rest of the buyer description, lower-case, without the product,
	// the cue words and boilerplate ("find", "companies").
	Buyer string

	// hiring is set when the product is the people the buyer hires ("companies
	// hiring data engineers"): its topics are the categories they use.
	hiring bool
}

// ParsePrompt reads a free-text prompt such as "Find SaaS companies with 50-200
// employees looking for customer support software". It never fails: what it cannot
// place stays in Buyer, or becomes the product when there is no product cue.
//
//   - The product is what follows a cue ("looking for", "seeking", "in need of",
//     "interested in", "buying", "evaluating", "that need", "in market for",
//     "replacing", "who removed", "we sell", an intention and any verb: "planning to
//     roll out", …) up to the next filter, "among" or the end of the sentence (after
//     "to" in "migrating from A to B"); or what
//     precedes "buyers" ("CRM buyers in fintech"). An opening cue said of the user
//     ("Looking for SaaS companies that need …") gives way to a later one. Without a
//     cue, the product is the text before "for" in "CRM for dentists", else the people
//     a buyer is hiring ("companies hiring data engineers": the Taxonomy reads them as
//     the categories they use), else the prompt minus the buyer parts and boilerplate.
//     When the product is only a change ("… using legacy ERP systems that need
//     modernization"), the current state joins it ("legacy erp modernization").
//   - Terms are Tokenize(product) without generic words ("software", "solution",
//     "tool", "platform", "system", "service", …) unless nothing else remains.
//   - Company size: "50-200 employees", "50 to 200 people", "between 50 and 200
//     employees", "fewer than 50 employees", "over 1,000 employees", "1000+ staff",
//     "headcount of 10k", "small businesses", "SMBs", "startups", "mid-market",
//     "enterprise", mapped onto every size bucket the range overlaps by more than a
//     shared end point (so "50-200" is 51-200 and "1000+" is 1000+).
//   - Industries from a canonical list with synonyms ("SaaS", "fintech", "hospitals"),
//     read from the buyer part only: "looking for healthcare CRM" asks for a product.
//   - Location: "in Boston", "in the US", "based in Germany", "headquartered in San
//     Francisco, CA", "US-based"; a known place or a capitalised name.
//   - Technologies: "using Salesforce and HubSpot", "that use Shopify"; negated:
//     "not using HubSpot", "without Zendesk", "that don't use Intercom". A stack
//     described with generic words ("legacy ERP systems") is the buyer's situation,
//     not a technology filter.
func ParsePrompt(prompt string) Parsed {
	p := parser{w: splitWords(prompt)}
	p.markTime()
	p.markCues()
	p.readTechnologies()
	p.readSizes()
	p.readPlaces()
	p.markProductBeforeBuyers()
	p.markProductRuns()
	if p.has(roleProduct) {
		p.splitProductAtFor()
	} else {
		p.splitAtFor()
	}
	if !p.has(roleProduct) {
		p.readHiring()
	}
	p.readBuyer()
	if !p.has(roleProduct) {
		for i := range p.w {
			if w := &p.w[i]; w.role == roleFree && !isBoilerplate(w.low) && !isStopword(w.low) {
				w.role = roleProduct
			}
		}
	}
	return p.result()
}

// ParsePrompt is the package's ParsePrompt with the product's taxonomy topics
// (Interpretation.Topics, see Match): what Engine.Rank reads a prompt as.
func (t *Taxonomy) ParsePrompt(prompt string) Parsed {
	p := ParsePrompt(prompt)
	if p.hiring {
		p.Topics = t.roleTopics(p.Product)
	}
	if len(p.Topics) == 0 {
		p.Topics = t.matchProduct(p.Product)
	}
	return p
}

// role is what the parser read a word as.
type role uint8

const (
	roleFree    role = iota // not read yet; ends up in Buyer
	roleCue                 // a product cue ("looking for")
	roleFilter              // part of a size, place, industry or technology
	roleProduct             // part of the product phrase
	roleTime                // when the buyer buys ("this quarter", "soon"): neither product nor buyer
	roleRequest             // the user's own words ("I'm looking for" before a buyer): neither
)

type pword struct {
	raw  string // as typed, surrounding punctuation removed
	low  string // raw lower-cased, curly apostrophes straightened
	stop byte   // punctuation after the word: 0, ',' or '.' (any sentence end)
	role role
	// seller marks the last word of a cue that names the user's own product ("we
	// sell"): its product ends at "to" ("we sell payroll to retailers").
	seller bool
}

type parser struct {
	w          []pword
	sizes      [5]bool
	industries []string
	location   string
	techs      []string
	notTechs   []string
	situation  []string // stacks described generically: "legacy erp systems"
	hiring     bool     // the product is the people hired (see Parsed.hiring)
}

func splitWords(prompt string) []pword {
	if len(prompt) > maxPromptBytes {
		cut := maxPromptBytes
		for cut > 0 && !utf8.RuneStart(prompt[cut]) {
			cut--
		}
		prompt = prompt[:cut]
	}
	fields := strings.Fields(prompt)
	if len(fields) > maxPromptWords {
		fields = fields[:maxPromptWords]
	}
	words := make([]pword, 0, len(fields))
	for _, f := range fields {
		t := strings.TrimRight(f, `.,;:!?)]}"'”’»`)
		var stop byte
		switch tail := f[len(t):]; {
		case strings.ContainsAny(tail, ".;:!?"):
			stop = '.'
		case strings.ContainsRune(tail, ','):
			stop = ','
		}
		t = strings.TrimLeft(t, `([{"'“‘«`)
		if t == "" || t == "-" && stop != 0 {
			// Lone punctuation ends the previous word's clause ('.' outranks ',').
			if len(words) > 0 && stop > words[len(words)-1].stop {
				words[len(words)-1].stop = stop
			}
			continue
		}
		low := strings.ToLower(t)
		if strings.ContainsRune(low, '’') {
			low = strings.ReplaceAll(low, "’", "'")
		}
		words = append(words, pword{raw: t, low: low, stop: stop})
	}
	return words
}

// match reports how many words of phrase (single-space separated) start at word i, or
// 0. All of them must be free and no sentence or clause may end inside the phrase.
func (p *parser) match(i int, phrase string) int {
	n := 0
	for phrase != "" {
		var w string
		w, phrase, _ = strings.Cut(phrase, " ")
		k := i + n
		if k >= len(p.w) || p.w[k].role != roleFree || p.w[k].low != w {
			return 0
		}
		if phrase != "" && p.w[k].stop != 0 {
			return 0
		}
		n++
	}
	return n
}

func (p *parser) matchAny(i int, phrases ...string) int {
	for _, ph := range phrases {
		if n := p.match(i, ph); n > 0 {
			return n
		}
	}
	return 0
}

func (p *parser) mark(i, n int, r role) {
	for k := i; k < i+n && k < len(p.w); k++ {
		p.w[k].role = r
	}
}

func (p *parser) has(r role) bool {
	for i := range p.w {
		if p.w[i].role == r {
			return true
		}
	}
	return false
}

func (p *parser) free(i int) bool {
	return i >= 0 && i < len(p.w) && p.w[i].role == roleFree
}

// markCues marks every product cue. A cue right after another one is read as product
// ("looking for purchasing software"). An intention with any verb ("planning to
// expand") is a cue only when no other cue names what the buyers want; an opening cue
// said of the user is no cue then either (markRequest).
func (p *parser) markCues() {
	afterCue := false
	var weak [][2]int // intention cues, [start, end)
	strong := false
	for i := 0; i < len(p.w); i++ {
		if afterCue {
			afterCue = false
			continue
		}
		isWeak := false
		n := 0
		low := p.w[i].low
		relative := low == "that" || low == "who" || low == "which"
		at := i
		if relative {
			at++
		}
		switch m := p.intentionCue(at); {
		case m > 0 && relative:
			// "that want to buy", "who plan to roll out"; "that need to scale" says
			// what the buyer is, unless nothing else says what it buys.
			n = 1 + m
			isWeak = !isAcquiringVerb(p.w[i+3].low)
		case m > 0:
			n, isWeak = m, true
		case low == "planning" && i+1 < len(p.w) && p.w[i].stop == 0 && !p.contentBefore(i):
			// "planning a CRM migration", not "demand planning the old way"
			switch p.w[i+1].low {
			case "a", "an", "the", "their":
				n = 2
			}
		}
		if n == 0 {
			n = p.matchAny(i,
				"looking to buy", "looking to purchase", "looking to adopt", "looking to implement",
				"likely to purchase", "plan to buy", "plans to buy", "plan to purchase", "plans to purchase",
				"planning to purchase", "about to buy", "about to purchase", "intend to buy", "intends to buy",
				"intending to buy", "want to buy", "wants to buy", "need to buy", "needs to buy",
				"ready to purchase", "budgeting for", "shopping around for", "on the hunt for",
				"in the process of buying", "in the process of selecting", "in the process of choosing",
				"looking to invest in", "looking to upgrade", "looking to replace", "looking to switch to",
				"looking to move to", "looking into", "looking for", "in the market for", "in-market for",
				"in need of", "interested in", "searching for", "shopping for", "likely to buy",
				"ready to buy", "planning to buy", "planning to adopt", "that would benefit from",
				"that could use", "that might need", "that may need", "that need", "that needs",
				"who need", "who needs", "which need", "which needs", "that want", "that wants",
				"who want", "that require", "that requires", "buyers of", "buyers for", "leads for",
				"prospects for", "seeking", "evaluating", "considering", "researching", "exploring",
				"buying", "purchasing", "needing", "need", "needs", "want", "wants", "wanting",
				"requiring", "looking at", "shopping around", "hunting for", "scouting for",
				"in search of", "on the lookout for", "trying to find", "trying to buy", "aiming to buy",
				"hoping to buy", "going to buy", "set to buy", "might buy", "may buy", "could buy",
				"would buy", "will buy", "might purchase", "may purchase", "buy", "purchase",
				"acquire", "acquiring", "procure", "procuring", "sourcing", "replacing", "replace",
				"switching to", "switching from", "switch to", "migrating to", "migrating off",
				"migrating from", "moving from", "transitioning from", "transitioning to",
				"moving off", "upgrading", "adopting", "adopt", "implementing", "implement",
				"deploying", "rolling out", "comparing", "assessing", "reviewing", "vetting",
				"shortlisting", "selecting", "choosing", "trialing", "trialling", "piloting",
				"in market for", "hiring for", "recruiting for", "modernizing", "modernising",
				"reconsidering", "rethinking", "re-evaluating", "reevaluating", "revisiting",
				"outgrowing", "overhauling", "revamping", "consolidating", "moving away from",
				"ripping out", "ditching", "sunsetting", "retiring", "outgrown", "outgrew",
				"removed", "dropped", "cancelled", "canceled", "churned from", "uninstalled",
				"abandoned")
		}
		if n == 0 {
			if n = p.sellerCue(i); n > 0 {
				p.mark(i, n, roleCue)
				p.w[i+n-1].seller = true
				strong = true
				i += n - 1
				afterCue = true
			}
			continue
		}
		p.mark(i, n, roleCue)
		if isWeak {
			weak = append(weak, [2]int{i, i + n})
		} else {
			strong = true
		}
		i += n - 1
		afterCue = true
	}
	if strong {
		// "Companies planning to expand in Texas that need payroll": the plan is
		// the buyer's situation.
		for _, s := range weak {
			p.mark(s[0], s[1]-s[0], roleFree)
		}
	}
	p.markRequest()
}

// sellerCue matches the user's own product ("we sell", "who should I sell our … to")
// at word i and returns its length in words (0 for none).
func (p *parser) sellerCue(i int) int {
	return p.matchAny(i, "sell our", "sell my", "selling our", "pitch our", "pitching our",
		"market our", "i sell", "we sell", "i'm selling", "i am selling", "we're selling",
		"we are selling", "we offer", "we make", "we provide", "we build", "our product is",
		"my product is")
}

// contentBefore reports whether the word before word i is a free content word
// ("demand" in "demand planning").
func (p *parser) contentBefore(i int) bool {
	if i == 0 || !p.free(i-1) || p.w[i-1].stop != 0 {
		return false
	}
	w := p.w[i-1].low
	return !isStopword(w) && !isBoilerplate(w)
}

// markProductBeforeBuyers reads, when the prompt has no cue, the words of a sentence
// before "buyers" as the product they buy ("CRM buyers in fintech", "Payroll buyers:
// retailers"), sizes, industries and places aside ("Enterprise CRM buyers").
func (p *parser) markProductBeforeBuyers() {
	if p.has(roleCue) || p.has(roleProduct) {
		return
	}
	for i := range p.w {
		switch p.w[i].low {
		case "buyers", "buyer", "purchasers":
		default:
			continue
		}
		if !p.free(i) {
			continue
		}
		start := i
		for start > 0 && p.w[start-1].stop != '.' {
			start--
		}
		var product []int
		for k := start; k < i; k++ {
			// Leading sizes and industries describe the buyers ("Enterprise fintech
			// CRM buyers"); after the first word of the product, all is product
			// ("customer support software buyers").
			if n := max(p.industryLen1(k), p.sizeWordsLen1(k)); n > 0 && len(product) == 0 {
				k += n - 1
				continue
			}
			if p.free(k) && !isBoilerplate(p.w[k].low) && !isStopword(p.w[k].low) {
				product = append(product, k)
			}
		}
		if len(product) == 0 {
			continue
		}
		for _, k := range product {
			p.w[k].role = roleProduct
		}
		p.w[i].role = roleRequest
		return
	}
}

// markRequest reads a cue that opens the prompt, said of the user ("Looking for SaaS
// companies that need a help desk", "I'm searching for firms evaluating CRM"), as the
// user's request: when what it is looking for are buyers, and a later cue names what
// they want.
func (p *parser) markRequest() {
	first := -1
	for i := range p.w {
		if p.w[i].role == roleCue {
			first = i
			break
		}
		switch p.w[i].low {
		case "i", "i'm", "im", "we", "we're", "am", "are", "currently", "just":
			continue
		}
		return
	}
	if first < 0 {
		return
	}
	end := first
	for end < len(p.w) && p.w[end].role == roleCue {
		end++
	}
	k := end
	for k < len(p.w) && p.free(k) && (p.w[k].low == "a" || p.w[k].low == "an" || p.w[k].low == "the" || p.w[k].low == "some") {
		k++
	}
	if !p.buyerWordAt(k) {
		return
	}
	for ; k < len(p.w) && p.w[k-1].stop != '.'; k++ {
		if p.w[k].role == roleCue {
			p.mark(0, end, roleRequest)
			return
		}
	}
}

// buyerWordAt reports whether word k begins a description of buyers: "companies",
// an industry ("SaaS", "retailers"), a size ("startups", "50-200"), a nationality or
// "US-based".
func (p *parser) buyerWordAt(k int) bool {
	if !p.free(k) {
		return false
	}
	w := p.w[k].low
	switch w {
	case "companies", "company", "businesses", "organizations", "organisations", "orgs", "firms",
		"accounts", "prospects", "leads", "teams", "brands", "vendors", "providers", "b2b", "b2c":
		return true
	}
	if n, _ := p.demonymAt(k); n > 0 {
		return true
	}
	return p.industryLen1(k) > 0 || p.sizeWordsLen1(k) > 0 || startsWithDigit(w) ||
		strings.HasSuffix(w, "-based") || strings.HasSuffix(w, "-sized") || strings.HasSuffix(w, "-size")
}

// readHiring reads, in a prompt that names no product, the people a buyer is hiring
// as the product ("Companies hiring support agents in Texas"): the Taxonomy reads them
// as the categories they use.
func (p *parser) readHiring() {
	for i := range p.w {
		if !p.free(i) || p.w[i].stop != 0 || p.w[i].low != "hiring" && p.w[i].low != "recruiting" {
			continue
		}
		k := i + 1
		for ; p.free(k); k++ {
			if isBoilerplate(p.w[k].low) || isStopword(p.w[k].low) {
				break
			}
			p.w[k].role = roleProduct
			if p.w[k].stop != 0 {
				k++
				break
			}
		}
		if k > i+1 {
			p.w[i].role = roleCue
			p.hiring = true
		}
		return
	}
}

// intentionCue matches a stated intention followed by any verb, "planning to roll
// out", "hoping to automate", "about to migrate to", "likely to switch", and returns
// its length in words (0 for none): the verb and its particle are part of the cue,
// so the product is what they act on. A verb of moving takes "to", "into", "onto" or
// "from" unless a known place follows ("expand to Texas" keeps the place).
func (p *parser) intentionCue(i int) int {
	if i < 0 || i+2 >= len(p.w) || p.w[i+1].low != "to" || !isIntentionWord(p.w[i].low) ||
		p.w[i].stop != 0 || p.w[i+1].stop != 0 || !p.free(i) {
		return 0
	}
	verb := p.w[i+2].low
	if r, _ := utf8.DecodeRuneInString(verb); !unicode.IsLetter(r) || isStopword(verb) || isBoilerplate(verb) ||
		isCapitalised(p.w[i+2].raw) && !isCapitalised(p.w[i].raw) {
		// A capitalised word is a name, not a verb: "going to AWS" (unless every
		// word is: "Planning To Roll Out").
		return 0
	}
	n := 3
	if i+n >= len(p.w) || p.w[i+2].stop != 0 {
		return n
	}
	switch p.w[i+n].low {
	case "out", "off", "up":
		n++
	case "to", "into", "onto", "from":
		if isMovingVerb(verb) {
			if m, _ := p.placeAt(i+n+1, true); m == 0 {
				n++
			}
		}
	case "away":
		if i+n+1 < len(p.w) && p.w[i+n+1].low == "from" {
			n += 2
		}
	}
	return n
}

// isAcquiringVerb reports whether a verb says a buyer gets or changes a product
// ("buy", "roll out", "replace"), rather than what the buyer does ("scale", "hire").
func isAcquiringVerb(v string) bool {
	switch v {
	case "buy", "purchase", "acquire", "procure", "adopt", "implement", "deploy", "roll",
		"replace", "switch", "migrate", "move", "upgrade", "modernize", "modernise", "find",
		"evaluate", "select", "choose", "invest", "license", "subscribe", "add", "get",
		"consolidate", "replatform", "transition", "install", "introduce", "trial", "pilot",
		"outsource", "automate", "digitize", "digitise", "standardize", "standardise":
		return true
	}
	return false
}

// isMovingVerb reports whether a verb takes where to or from ("migrate to").
func isMovingVerb(v string) bool {
	switch v {
	case "migrate", "move", "switch", "transition", "upgrade", "convert", "shift", "port", "change", "consolidate":
		return true
	}
	return false
}

// isIntentionWord reports whether w, followed by "to" and a verb, states an
// intention to act ("planning to", "likely to", "ready to").
func isIntentionWord(w string) bool {
	switch w {
	case "planning", "plan", "plans", "hoping", "hope", "hopes", "looking", "likely",
		"about", "trying", "try", "tries", "aiming", "aim", "aims", "ready", "want", "wants",
		"wanting", "need", "needs", "needing", "intend", "intends", "intending", "set",
		"going", "expected", "poised", "keen", "eager", "preparing", "prepared", "budgeted",
		"scheduled", "seeking", "seek", "seeks", "working", "wishing", "wish":
		return true
	}
	return false
}

// readTechnologies reads negated stacks first ("not using X" contains "using X").
func (p *parser) readTechnologies() {
	for i := 0; i < len(p.w); i++ {
		n := p.matchAny(i,
			"not currently using", "not using", "aren't using", "are not using", "no longer using",
			"don't use", "do not use", "doesn't use", "does not use", "don't have", "do not have",
			"without", "not on")
		var items []string
		end := i
		switch {
		case n > 0:
			items, end = p.captureItems(i + n)
		case p.w[i].low == "not" && p.w[i].role == roleFree && p.namedAt(i+1):
			// "not Asana users", "not existing Zendesk customers"; not "not
			// enterprise customers"
			items, end = p.captureItems(i + 1)
			items = userItems(items)
		}
		if len(items) == 0 {
			continue
		}
		p.mark(i, end-i, roleFilter)
		p.notTechs = appendNew(p.notTechs, items...)
		i = end - 1
	}
	for i := 0; i < len(p.w); i++ {
		n := p.matchAny(i,
			"currently using", "already using", "using", "that use", "that uses", "who use",
			"which use", "that run", "running on", "running", "built on", "powered by",
			"that rely on", "relying on")
		if n == 0 && p.w[i].low == "on" && p.free(i) && p.w[i].stop == 0 && p.oneNameAt(i+1) {
			// "brands on Shopify", not "companies on Main Street" or "on Long Island"
			n = 1
		}
		if n == 0 {
			continue
		}
		items, end := p.captureItems(i + n)
		if len(items) == 0 {
			continue
		}
		for _, it := range items {
			if describesSituation(it) {
				p.situation = append(p.situation, it)
			} else {
				p.techs = appendNew(p.techs, it)
			}
		}
		// "using Salesforce but not Outreach"
		k := end
		if p.free(k) && (p.w[k].low == "but" || p.w[k].low == "and") && p.w[k].stop == 0 {
			k++
		}
		if p.free(k) && p.w[k].low == "not" && p.w[k-1].stop != '.' && p.namedAt(k+1) {
			if neg, nend := p.captureItems(k + 1); len(neg) > 0 {
				p.notTechs = appendNew(p.notTechs, neg...)
				end = nend
			}
		}
		p.mark(i, end-i, roleFilter)
		i = end - 1
	}
}

// captureItems reads a list of up to six technology names of up to four words each
// ("Salesforce, HubSpot and Zendesk") from word j. It returns the lower-case names and
// the index after the last word read.
func (p *parser) captureItems(j int) (items []string, end int) {
	end = j
	k := j
	for len(items) < 6 {
		for p.free(k) && (p.w[k].low == "a" || p.w[k].low == "an" || p.w[k].low == "the" || p.w[k].low == "their") && p.w[k].stop == 0 {
			k++
		}
		start := k
		for k < len(p.w) && k-start < 4 && p.isItemWord(k) {
			k++
			if p.w[k-1].stop != 0 {
				break
			}
		}
		if k == start {
			break
		}
		items = append(items, joinLow(p.w[start:k]))
		end = k
		last := p.w[k-1].stop
		if last == '.' {
			break
		}
		if p.free(k) && p.w[k].stop == 0 {
			switch p.w[k].low {
			case "and", "or", "&", "/", "nor", "and/or":
				k++
				continue
			}
		}
		if last != ',' {
			break
		}
	}
	return items, end
}

func isNegation(w string) bool { return w == "not" || w == "no" || w == "non" }

// oneNameAt reports whether word k is a capitalised name of one word that is no
// known place ("Shopify", not "Texas" or "Main Street").
func (p *parser) oneNameAt(k int) bool {
	if !p.free(k) || !isCapitalised(p.w[k].raw) {
		return false
	}
	if p.w[k].stop == 0 && k+1 < len(p.w) && isCapitalised(p.w[k+1].raw) {
		return false
	}
	_, kind := lookupPlace(p.w[k].low)
	return kind == placeNone
}

// namedAt reports whether word k, after "existing" or "current", is a capitalised
// name ("Zendesk").
func (p *parser) namedAt(k int) bool {
	if k < len(p.w) && (p.w[k].low == "existing" || p.w[k].low == "current") {
		k++
	}
	return k < len(p.w) && isCapitalised(p.w[k].raw)
}

// userItems reads items that name users of technologies ("asana users", "zendesk
// or existing freshdesk customers": the last item's noun covers the list) and
// returns the technologies, or nil when the list names no users.
func userItems(items []string) []string {
	if len(items) == 0 {
		return nil
	}
	last := strings.Fields(items[len(items)-1])
	if len(last) < 2 {
		return nil
	}
	switch last[len(last)-1] {
	case "users", "user", "customers", "customer", "shops", "shop":
	default:
		return nil
	}
	out := slices.Clone(items)
	out[len(out)-1] = strings.Join(last[:len(last)-1], " ")
	for i, it := range out {
		it = strings.TrimPrefix(strings.TrimPrefix(it, "existing "), "current ")
		if it == "" || it == "existing" || it == "current" {
			return nil
		}
		out[i] = it
	}
	return out
}

func (p *parser) isItemWord(k int) bool {
	if !p.free(k) {
		return false
	}
	w := p.w[k].low
	if isStopword(w) || w == "&" || w == "/" || startsWithDigit(w) || strings.HasSuffix(w, "-based") {
		return false
	}
	switch w {
	case "looking", "seeking", "hiring", "based", "located", "headquartered", "employees", "and/or":
		return false
	}
	return true
}

// describesSituation reports whether a "using …" phrase names the buyer's state in
// generic words rather than a product one can filter on.
func describesSituation(item string) bool {
	for w := range strings.FieldsSeq(item) {
		switch w {
		case "legacy", "outdated", "old", "older", "aging", "ageing", "existing", "current",
			"manual", "homegrown", "home-grown", "in-house", "on-premise", "on-prem", "paper",
			"spreadsheets", "processes", "process", "technology", "technologies", "tech", "stack":
			return true
		}
		if isGenericWord(w) {
			return true
		}
	}
	return false
}

// readPlaces reads "in <place>", "based in <place>", "headquartered in <place>" and
// "in <industry>" ("in healthcare", "in the fintech space").
func (p *parser) readPlaces() {
	for i := 0; i < len(p.w); i++ {
		n := p.matchAny(i, "based in", "located in", "headquartered in", "hq in", "hq'd in",
			"offices in", "in", "across", "throughout", "from")
		if n == 0 {
			continue
		}
		j := i + n
		if p.free(j) && p.w[j].low == "the" && p.w[j].stop == 0 {
			j++
		}
		if m := p.industryAt(j); m > 0 && p.w[i].low != "from" {
			k := j + m
			if p.free(k) && p.w[k-1].stop == 0 {
				switch p.w[k].low {
				case "industry", "industries", "sector", "sectors", "space", "vertical", "market", "field":
					k++
				}
			}
			p.mark(i, k-i, roleFilter)
			i = k - 1
			continue
		}
		m, loc := p.placeAt(j, p.w[i].low == "from")
		if m == 0 {
			continue
		}
		end, more := p.alsoPlaces(j+m, func(k int) (int, string) { return p.placeAt(k, true) })
		p.mark(i, end-i, roleFilter)
		if p.location == "" {
			p.location = strings.Join(append([]string{loc}, more...), ", ")
		}
		i = end - 1
	}
}

// alsoPlaces reads, with read, the known places listed after one that ends before
// word k ("Texas or Oklahoma", "the US, Canada and Mexico", "French and German"),
// and returns the word after them and their names. A company in any of the places
// of a location matches it (see Filters.Location).
func (p *parser) alsoPlaces(k int, read func(int) (int, string)) (int, []string) {
	var locs []string
	for k > 0 && k < len(p.w) && p.w[k-1].stop != '.' {
		j := k
		if p.free(j) {
			switch p.w[j].low {
			case "or", "and", "&", "/", "and/or":
				j++
			}
		}
		if j == k && p.w[k-1].stop != ',' {
			break
		}
		if p.free(j) && p.w[j].low == "the" && p.w[j].stop == 0 {
			j++
		}
		if !p.free(j) {
			break
		}
		n, loc := read(j)
		if n == 0 {
			break
		}
		locs = append(locs, loc)
		k = j + n
	}
	return k, locs
}

// placeAt reads a place name of up to four words at word j: the longest known place,
// else the longest run of capitalised words. knownOnly accepts known places only.
func (p *parser) placeAt(j int, knownOnly bool) (int, string) {
	k := j
	for k < len(p.w) && k-j < 4 && p.free(k) {
		w := p.w[k].low
		if _, kind := lookupPlace(w); kind == placeNone && (isStopword(w) || startsWithDigit(w) || !hasLetter(w)) {
			break
		}
		k++
		if p.w[k-1].stop != 0 {
			break
		}
	}
	n, loc := 0, ""
	for m := k - j; m > 0; m-- {
		if d, kind := lookupPlace(joinLow(p.w[j : j+m])); kind != placeNone {
			n, loc = m, d
			break
		}
	}
	if n == 0 && !knownOnly {
		for m := k - j; m > 0; m-- {
			if allCapitalised(p.w[j : j+m]) {
				n, loc = m, joinRaw(p.w[j:j+m])
				break
			}
		}
	}
	if n == 0 {
		return 0, ""
	}
	// "San Francisco, CA", "Austin, Texas"
	if last := j + n - 1; p.w[last].stop == ',' && p.free(last+1) {
		next := p.w[last+1]
		_, kind := lookupPlace(next.low)
		if kind != placeNone && kind != placeCity || isStateCode(next.raw) {
			n++
			loc += ", " + next.raw
		}
	}
	return n, loc
}

// industryAt reads an industry of up to three words at word j and records it. It
// returns the number of words read. The pronoun "it" is an industry only as "IT".
func (p *parser) industryAt(j int) int {
	m, ind := p.industryLen(j)
	if m > 0 {
		p.industries = appendNew(p.industries, ind.String())
	}
	return m
}

// industryLen returns the length in words of an industry named at word j, and the
// industry; 0 for none.
func (p *parser) industryLen(j int) (int, industry) {
	for m := 3; m >= 1; m-- {
		if j+m > len(p.w) {
			continue
		}
		ok := true
		for k := j; k < j+m; k++ {
			if !p.free(k) || (k < j+m-1 && p.w[k].stop != 0) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		phrase := joinLow(p.w[j : j+m])
		if phrase == "it" && p.w[j].raw != "IT" {
			continue
		}
		ind, _ := lookupIndustry(phrase)
		if base, plural := strings.CutSuffix(phrase, "s"); ind == industryNone && plural && len(base) > 3 {
			ind, _ = lookupIndustry(base) // "fintechs", "insurtechs"
		}
		if ind == industryNone {
			continue
		}
		return m, ind
	}
	return 0, industryNone
}

// markProductRuns marks as product the words after each cue, up to the next filter,
// cue or sentence end.
func (p *parser) markProductRuns() {
	in, seller, from := false, false, -1
	for i := range p.w {
		w := &p.w[i]
		switch w.role {
		case roleCue:
			in, seller, from = w.stop != '.', w.seller, -1
			if w.low == "from" {
				from = i + 1
			}
			continue
		case roleFilter:
			in = false
			continue
		case roleTime, roleRequest:
			continue
		}
		if in && from >= 0 && w.low == "to" && i > from {
			// "migrating from on-prem Exchange to Microsoft 365": what they leave
			// is their situation; what they move to is the product.
			p.mark(from, i-from+1, roleRequest)
			from = -1
			continue
		}
		if in && (w.low == "among" || w.low == "amongst" || seller && w.low == "to" ||
			w.low == "not" && i > 0 && p.w[i-1].stop == ',') {
			// "our payroll product among fintechs in Texas", "we sell payroll to
			// retailers", "CRM, not enterprise customers": the buyer follows.
			in = false
			continue
		}
		if in {
			w.role = roleProduct
		}
		if w.stop == '.' {
			in = false
		}
	}
}

// markTime marks the words that say when the buyer buys ("this quarter", "right now",
// "soon", "in the next 6 months"), which belong to neither the product nor the buyer.
func (p *parser) markTime() {
	for i := 0; i < len(p.w); i++ {
		n := p.matchAny(i, "in the next few months", "in the coming months", "in the next quarter",
			"over the next quarter", "in the next year", "within the next year", "this quarter",
			"next quarter", "this year", "next year", "this month", "next month", "right now",
			"as soon as possible", "in the near future", "any time soon", "soon", "asap", "today",
			"now", "immediately", "shortly", "this fiscal year", "next fiscal year", "recently",
			"lately")
		if n == 0 {
			// "in the next 6 months", "within 90 days", "in Q3", "in 2027"
			k := i
			if m := p.matchAny(k, "in the next", "within the next", "over the next", "within", "in"); m > 0 {
				k += m
				if p.free(k) && startsWithDigit(p.w[k].low) && p.free(k+1) {
					switch strings.TrimSuffix(p.w[k+1].low, "s") {
					case "day", "week", "month", "quarter", "year":
						n = k + 2 - i
					}
				} else if p.free(k) && m == 1 && (isQuarter(p.w[k].low) || isYear(p.w[k].low)) {
					n = k + 1 - i
				}
			}
		}
		if n > 0 {
			p.mark(i, n, roleTime)
			i += n - 1
		}
	}
}

func isQuarter(w string) bool {
	return len(w) == 2 && w[0] == 'q' && w[1] >= '1' && w[1] <= '4'
}

func isYear(w string) bool {
	return len(w) == 4 && isDigits(w) && (w[:2] == "20" || w[:2] == "19")
}

// splitProductAtFor ends a product run at "for" when the words after it describe the
// buyer ("checkout tech for cafés", "CRM for real estate agents"): the product keeps
// what precedes "for" when that has content beyond generic words, else it is what
// follows ("software for their SOC").
func (p *parser) splitProductAtFor() {
	for i := range p.w {
		if p.w[i].role != roleProduct || p.w[i].low != "for" {
			continue
		}
		start, end := i, i
		for start > 0 && p.w[start-1].role == roleProduct {
			start--
		}
		for end+1 < len(p.w) && p.w[end+1].role == roleProduct {
			end++
		}
		content := func(from, to int) bool {
			for k := from; k < to; k++ {
				if w := p.w[k].low; !isStopword(w) && !isBoilerplate(w) && !isGenericWord(w) {
					return true
				}
			}
			return false
		}
		if !content(start, i) || !content(i+1, end+1) {
			continue
		}
		for k := i + 1; k <= end; k++ {
			p.w[k].role = roleFree
		}
		p.w[i].role = roleCue
		return
	}
}

// splitAtFor reads a prompt without a cue that has "X for Y": X is the product when it
// has content ("CRM software for dental clinics"), else Y is ("companies for CRM").
func (p *parser) splitAtFor() {
	at := -1
	for i := range p.w {
		if p.w[i].role == roleFree && p.w[i].low == "for" {
			at = i
			break
		}
	}
	if at < 0 {
		return
	}
	content := func(from, to int) bool {
		for k := from; k < to; k++ {
			if w := p.w[k]; w.role == roleFree && !isStopword(w.low) && !isBoilerplate(w.low) {
				return true
			}
		}
		return false
	}
	from, to := 0, at
	if !content(0, at) {
		from, to = at+1, len(p.w)
	}
	if !content(from, to) {
		return
	}
	for k := from; k < to; k++ {
		if w := &p.w[k]; w.role == roleFree {
			w.role = roleProduct
		}
	}
	p.w[at].role = roleCue
}

// industryLen1 and sizeWordsLen1 are the lengths of industryLen and sizeWordsLen.
func (p *parser) industryLen1(j int) int  { n, _ := p.industryLen(j); return n }
func (p *parser) sizeWordsLen1(i int) int { n, _, _ := p.sizeWordsLen(i); return n }

// readBuyer reads industries, size words and bare place names from the free words.
// A negated size ("not enterprise customers") is no filter.
func (p *parser) readBuyer() {
	for i := 0; i < len(p.w); i++ {
		if !p.free(i) {
			continue
		}
		if n := p.sizeWordsLen1(i); n > 0 && i > 0 && p.w[i-1].stop == 0 && isNegation(p.w[i-1].low) {
			p.mark(i, n, roleFilter)
			i += n - 1
			continue
		}
		if n := p.sizeWordsAt(i); n > 0 {
			p.mark(i, n, roleFilter)
			i += n - 1
			continue
		}
		if n := p.industryAt(i); n > 0 {
			p.mark(i, n, roleFilter)
			i += n - 1
			continue
		}
		if n, loc := p.demonymAt(i); n > 0 {
			end, more := p.alsoPlaces(i+n, p.demonymAt)
			if p.location == "" {
				p.location = strings.Join(append([]string{loc}, more...), ", ")
			}
			p.mark(i, end-i, roleFilter)
			i = end - 1
			continue
		}
		w := p.w[i]
		before, ok := strings.CutSuffix(w.low, "-based")
		if !ok {
			before, ok = strings.CutSuffix(w.low, "-headquartered")
		}
		if ok {
			if d, kind := lookupPlace(before); kind != placeNone || i > 0 && isCapitalised(w.raw) && len(w.raw) > 6 {
				if d == "" {
					d = w.raw[:len(before)]
				}
				if p.location == "" {
					p.location = d
				}
				p.mark(i, 1, roleFilter)
			}
			continue
		}
		if n, loc := p.placeAt(i, true); n > 0 && allCapitalised(p.w[i:i+n]) {
			end, more := p.alsoPlaces(i+n, func(k int) (int, string) {
				if m, l := p.placeAt(k, true); m > 0 && allCapitalised(p.w[k:k+m]) {
					return m, l
				}
				return 0, ""
			})
			if p.location == "" {
				p.location = strings.Join(append([]string{loc}, more...), ", ")
			}
			p.mark(i, end-i, roleFilter)
			i = end - 1
		}
	}
}

// demonymAt reads an adjective of nationality or region ("German", "Latin American")
// of one or two free words at word i and returns its length and the place it names.
func (p *parser) demonymAt(i int) (int, string) {
	if p.free(i+1) && p.w[i].stop == 0 {
		if loc, ok := demonyms[p.w[i].low+" "+p.w[i+1].low]; ok {
			return 2, loc
		}
	}
	if loc, ok := demonyms[p.w[i].low]; ok {
		return 1, loc
	}
	return 0, ""
}

func (p *parser) result() Parsed {
	out := Parsed{hiring: p.hiring}
	var product []string
	var buyer []string
	for i, w := range p.w {
		switch w.role {
		case roleProduct:
			if len(product) == 0 {
				switch w.low {
				case "a", "an", "the", "some", "their", "its", "our", "your", "his", "her":
					continue
				}
			}
			product = append(product, p.w[i].low)
		case roleCue, roleTime, roleRequest:
		default:
			if !isStopword(w.low) && !isBoilerplate(w.low) {
				buyer = append(buyer, w.low)
			}
		}
	}
	// A preposition left at the end ("who should I sell our CRM to") is no product.
	for len(product) > 0 {
		switch product[len(product)-1] {
		case "to", "for", "with", "of", "in", "at", "on", "by", "from":
			product = product[:len(product)-1]
			continue
		}
		break
	}
	phrase := strings.Join(product, " ")
	if len(p.situation) > 0 && onlyChangeWords(product) {
		var st []string
		for _, s := range p.situation {
			for w := range strings.FieldsSeq(s) {
				if !isGenericWord(w) {
					st = append(st, w)
				}
			}
		}
		phrase = strings.TrimSpace(strings.Join(st, " ") + " " + phrase)
	}
	out.Product = phrase
	out.Terms = productTerms(phrase)
	out.Industries = p.industries
	for b, on := range p.sizes {
		if on {
			out.CompanySizes = append(out.CompanySizes, schemas.SizeBuckets[b])
		}
	}
	out.Location = p.location
	out.Technologies = p.techs
	out.ExcludedTechnologies = p.notTechs
	out.Buyer = strings.Join(buyer, " ")
	return out
}

// onlyChangeWords reports whether a product phrase names only a change to what the
// buyer has ("modernization", "an upgrade") and so needs the situation it changes.
func onlyChangeWords(words []string) bool {
	for _, w := range words {
		if isStopword(w) {
			continue
		}
		switch w {
		case "modernization", "modernisation", "modernizing", "modernising", "upgrade", "upgrades",
			"upgrading", "replacement", "replacements", "replacing", "migration", "migrating",
			"overhaul", "transformation", "improvement", "improvements", "update", "updating",
			"help", "new", "better", "modern", "change", "changes", "consolidation", "optimization":
			continue
		}
		return false
	}
	return true
}

// productTerms tokenizes the product phrase and drops generic words and repeats.
func productTerms(phrase string) []string {
	var terms, generic []string
	for _, t := range Tokenize(phrase) {
		a, b, bigram := strings.Cut(t, "_")
		switch {
		case isFillerTerm(a) || bigram && isFillerTerm(b):
		case isGenericTerm(a) || bigram && isGenericTerm(b):
			if len(generic) < maxTerms && !slices.Contains(generic, t) {
				generic = append(generic, t)
			}
		case !slices.Contains(terms, t):
			terms = append(terms, t)
		}
		if len(terms) == maxTerms {
			break
		}
	}
	if len(terms) == 0 {
		return generic
	}
	return terms
}

// isFillerTerm reports whether a term of a product phrase says nothing about the
// product ("a new ERP", "the best CRM").
func isFillerTerm(t string) bool {
	switch t {
	case "company", "find", "identify", "new", "better", "best", "good", "great", "right",
		"top", "leading", "reliable", "modern", "affordable", "cheap", "cheaper":
		return true
	}
	return false
}

// isGenericWord reports whether a prompt word names a kind of product rather than the
// product ("software" in "CRM software").
func isGenericWord(w string) bool {
	return isGenericTerm(stem(w))
}

// isGenericTerm is isGenericWord for a stemmed term.
func isGenericTerm(t string) bool {
	switch t {
	case "software", "solution", "tool", "platform", "system", "service", "provider", "vendor",
		"product", "app", "application", "applicate", "technology", "suite":
		return true
	}
	return false
}

// isBoilerplate reports whether a prompt word is part of the request rather than of the
// product or the buyer ("find", "companies").
func isBoilerplate(w string) bool {
	switch w {
	case "find", "identify", "show", "list", "get", "give", "search", "locate", "discover",
		"return", "fetch", "surface", "please", "companies", "company", "businesses",
		"organizations", "organisations", "orgs", "firms", "leads", "prospects", "accounts",
		"buyers", "customers", "targets", "potential", "likely", "top", "best", "all", "any",
		"kind", "kinds", "type", "types", "that", "are", "who", "currently", "actively":
		return true
	}
	return false
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if it != "" && !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

func joinLow(ws []pword) string {
	if len(ws) == 1 {
		return ws[0].low
	}
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.low)
	}
	return b.String()
}

func joinRaw(ws []pword) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.raw)
	}
	return b.String()
}

func allCapitalised(ws []pword) bool {
	for _, w := range ws {
		if !isCapitalised(w.raw) {
			return false
		}
	}
	return len(ws) > 0
}

func isCapitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// isStateCode reports whether s looks like a two-letter state or province code.
func isStateCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func startsWithDigit(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
