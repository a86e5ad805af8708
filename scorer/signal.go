package scorer

// SignalReader reads a signal the way ingest indexes it: the terms of its title and of
// its text, as Tokenize returns them, and the taxonomy topics it speaks to, as
// SignalTopics returns them. It reads each text once for both, and keeps its buffers
// from one signal to the next, so that reading a signal allocates little more than the
// lower-cased copies of its texts. A SignalReader is not safe for concurrent use.
type SignalReader struct {
	tax    *Taxonomy
	terms  []byte  // the terms of the title, then those of the text, back to back
	bounds []int32 // 0, then where each term ends in terms
	title  int     // how many of the terms are the title's
	topics []SignalTopic
	scan   topicScan
}

// SignalTopic is a taxonomy category a signal speaks to.
type SignalTopic struct {
	Term   string  // the category's index term, TopicTerm(id)
	Weight float64 // in (0, 1], as SignalTopics gives it
}

// NewSignalReader returns a reader of signals. tax may be nil: the reader then finds
// no topics.
func NewSignalReader(tax *Taxonomy) *SignalReader {
	return &SignalReader{tax: tax}
}

// Read reads a signal of the given kind: see SignalTopics for kind, title and text.
// What it read is available until the next Read.
func (r *SignalReader) Read(kind, title, text string) {
	r.terms, r.bounds = r.terms[:0], append(r.bounds[:0], 0)
	s := &r.scan
	s.title = r.readTerms(s.title[:0], title, maxTitleSeq)
	r.title = len(r.bounds) - 1
	if topicText := signalTopicText(text); len(topicText) < len(text) {
		r.readTerms(nil, text, 0)
		s.text = appendTermSeq(s.text[:0], topicText, maxTextSeq)
	} else {
		s.text = r.readTerms(s.text[:0], text, maxTextSeq)
	}
	r.topics = r.topics[:0]
	if r.tax == nil {
		return
	}
	for _, e := range r.tax.topics(s, kind, title) {
		r.topics = append(r.topics, SignalTopic{Term: r.tax.topicTerms[e.cat], Weight: e.w})
	}
}

// readTerms appends the terms of text to r.terms and returns seq with its unigrams
// appended (appendSeqTerm).
func (r *SignalReader) readTerms(seq []seqTerm, text string, limit int) []seqTerm {
	scanTerms(text, func(first, second string, _, _ int) {
		r.terms = appendTerm(r.terms, first, second)
		r.bounds = append(r.bounds, int32(len(r.terms)))
		seq = appendSeqTerm(seq, first, second, limit)
	})
	return seq
}

// Topics returns the topics of the signal read last, strongest first.
func (r *SignalReader) Topics() []SignalTopic { return r.topics }

// TitleTerms returns the terms of the title read last, valid until the next Read.
func (r *SignalReader) TitleTerms() Terms { return Terms{r.terms, r.bounds[:r.title+1]} }

// TextTerms returns the terms of the text read last, valid until the next Read.
func (r *SignalReader) TextTerms() Terms { return Terms{r.terms, r.bounds[r.title:]} }

// Terms are the terms of a text, in Tokenize's order, as bytes.
type Terms struct {
	buf    []byte
	bounds []int32 // term i is buf[bounds[i]:bounds[i+1]]
}

// Len is the number of terms.
func (ts Terms) Len() int { return len(ts.bounds) - 1 }

// At returns the i-th term.
func (ts Terms) At(i int) []byte {
	start, end := ts.bounds[i], ts.bounds[i+1]
	return ts.buf[start:end:end]
}
