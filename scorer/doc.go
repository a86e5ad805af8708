// Package scorer is Leadpoet's intent model: it reads a free-text prompt into the
// product being bought and the buyer it describes, retrieves candidate companies from
// the online store through the small Retriever interface, scores each one's intent
// (BM25 over its time-decayed signal text) and firmographic fit, and returns the top K
// with a confidence, the best contact and dated evidence.
//
// The package is pure Go: it does no I/O and knows nothing of HTTP, Redis or
// ClickHouse, so it can be tested and benchmarked alone. Tokenize is shared with
// ingest, which indexes signal text with it, so index and query terms always agree.
package scorer
