// Package ingest is the Kafka consumer runtime: consumer-group membership, polling in
// batches, handing each batch to the pipelines, dead-lettering rejected records and
// committing offsets only after the batch's writes are durable.
package ingest
