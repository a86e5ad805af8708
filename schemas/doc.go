// Package schemas is Leadpoet's wire contract: the v1 Kafka event types and their
// JSON Schemas, decoding with validation reasons, the ClickHouse migrations and the
// Redis key layout of the online store.
package schemas
