// Package eval measures the ranking quality of the intent model end to end.
//
// A World is a synthetic but realistic market: the real company profiles of the demo
// data set (cloned with suffixed domains when more companies are wanted), each with a
// hidden ground truth of the product categories it is in the market for, and the
// wire-contract v1 events such a market emits over a number of weeks: surges of
// buying signals from in-market companies, background noise from every company, and
// decoys built to fool lexical and recency rankers. Two families of worlds exist:
// "standard", used while tuning the model, and "heldout", generated from a different
// seed with other paraphrases, noise rates and size mix, never used for tuning.
//
// Prompts are free-text queries, several per category, with and without filters,
// inside and outside a typical product taxonomy; a held-out subset uses other
// wording. A prompt's ground truth is the in-market companies of its category that
// satisfy its filters.
//
// Run starts the real serving path in one process (an embedded Kafka broker, a
// redis-server, the ingest consumer and the HTTP API over the scorer), produces a
// world's events through Kafka, waits until ingest has committed all of them, asks
// POST /query every prompt and scores the answers with precision@25, NDCG@25 and
// recall@100, next to three baselines computed from the same events: random among
// the companies that match the filters, most recent activity, and BM25 over all
// signal text.
package eval
