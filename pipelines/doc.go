// Package pipelines is what happens to each event kind between Kafka and the stores:
// decode and validate, normalise, extract the evidence and term features the scorer
// consumes, and write them to ClickHouse (history) and Redis (online store).
package pipelines
