// Package ingest is the Kafka consumer runtime: consumer-group membership, one
// worker goroutine per assigned partition, batching, dead-lettering rejected
// records and committing offsets only after a batch's writes are durable.
//
// The poll loop polls at most as many records as the memory budget
// (ingest.max-buffered-records) allows, splits each fetch by partition and queues
// each partition's records on its worker. A worker coalesces its queue into
// batches of up to ingest.max-batch-records, hands each batch to the Handler,
// retries a failed batch with exponential backoff until it is written, produces
// its rejections to the dead-letter topic and commits the batch's offsets. While
// a worker retries or holds a full batch in its queue, its partition's fetching
// is paused. When partitions are revoked, their workers finish the batch in
// flight and commit it before the rebalance goes on; lost partitions commit
// nothing. At shutdown every worker does the same within ingest.drain-timeout.
package ingest
