-- Leadpoet history of record, ClickHouse migration 0003: the query log.
--
-- queries: one row per answered POST /query (query_id), from leadpoet.queries.v1,
-- whatever its status. A redelivered record collapses; read with FINAL.
-- interpretation and filters hold JSON objects ('' when the request never got
-- that far); domains are the top lead domains of the answer, at most 25.

CREATE TABLE IF NOT EXISTS queries
(
    query_id       String,
    request_id     String,
    key_id         String,
    prompt         String,
    interpretation String,
    filters        String,
    `limit`        UInt32,
    results        UInt32,
    domains        Array(String),
    latency_ms     UInt32,
    cost_usd       Float64,
    status         UInt16,
    error_code     String,
    created_at     DateTime('UTC'),
    ingested_at    DateTime('UTC')
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(created_at)
ORDER BY query_id;
