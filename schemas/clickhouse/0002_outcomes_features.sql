-- Leadpoet history of record, ClickHouse migration 0002: sales outcomes and per-company
-- daily feature snapshots.
--
-- outcomes: one row per event_id (a redelivered outcome collapses; read with FINAL).
-- company_daily_features: filled by a materialized view from every insert into
-- signals. It keeps, per (domain, day, kind), the exact set-cardinality of event ids
-- and the last time seen, as aggregate states: a redelivered signal never changes a
-- count. Read with the -Merge combinators, e.g.
--   SELECT domain, day, kind, uniqExactMerge(signals) AS signals, maxMerge(last_seen) AS last_seen
--   FROM company_daily_features GROUP BY domain, day, kind
-- or through the view company_daily_features_final.

CREATE TABLE IF NOT EXISTS outcomes
(
    event_id    String,
    domain      String,
    source      String,
    product     String,
    outcome     String,
    query_id    String,
    occurred_at DateTime('UTC'),
    ingested_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (domain, occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS company_daily_features
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (domain, day, kind)
AS SELECT
    domain,
    toDate(occurred_at) AS day,
    kind,
    uniqExactState(event_id) AS signals,
    maxState(occurred_at) AS last_seen
FROM signals
GROUP BY domain, day, kind;

CREATE VIEW IF NOT EXISTS company_daily_features_final AS
SELECT
    domain,
    day,
    kind,
    uniqExactMerge(signals) AS signals,
    maxMerge(last_seen) AS last_seen
FROM company_daily_features
GROUP BY domain, day, kind;
