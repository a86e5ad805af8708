-- Leadpoet history of record, ClickHouse migration 0001.
--
-- Runs on ClickHouse 18.16 and on current releases. Tables are unqualified: the
-- connection's database is the target. Every statement is idempotent
-- (IF NOT EXISTS), statements end with ';' at the end of a line, and whole-line
-- '--' comments are dropped before execution.
--
-- Times are DateTime('UTC') (second resolution). Where sub-second order matters the
-- full time is also kept as UInt64 unix nanoseconds (companies.version,
-- signals.occurred_ns).
--
-- Reading deduplicated data:
--   * signals: a redelivered event has the same sorting key and collapses into one row,
--     but only when ClickHouse merges parts, at a time of its choosing. Analysts read
--     with FINAL (SELECT ... FROM signals FINAL WHERE ...) or through the view
--     signals_dedup, which is SELECT ... FROM signals FINAL.
--   * companies: every profile version is kept until a merge; companies_latest gives
--     the newest non-deleted profile per domain with argMax, whether or not parts
--     have merged. A profile with deleted = 1 is a tombstone: it hides the company
--     until a profile with a later occurred_at arrives.
--   * dlq: one row per (topic, partition, offset); read with FINAL for exact counts.

-- Applied migrations. Migrate records each file here after its statements ran.
CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    applied_at DateTime('UTC')
)
ENGINE = MergeTree
ORDER BY version;

-- Company profile history, one row per profile event. version is occurred_at in unix
-- nanoseconds, so the latest occurred_at wins, whatever order events arrive in. No
-- time partition: all versions of a company share one part range and merges collapse
-- them to the newest. employees is -1 when unknown; contacts is a JSON array of
-- {name, title, email, phone}.
CREATE TABLE IF NOT EXISTS companies
(
    domain       String,
    event_id     String,
    company_name String,
    industry     String,
    employees    Int32,
    size_bucket  String,
    city         String,
    region       String,
    country      String,
    description  String,
    technologies Array(String),
    contacts     String,
    deleted      UInt8,
    source       String,
    occurred_at  DateTime('UTC'),
    version      UInt64,
    ingested_at  DateTime('UTC')
)
ENGINE = ReplacingMergeTree(version)
ORDER BY domain;

-- Every signal kind in one table: kind is 'job', 'site', 'activity' or 'tech'; the
-- columns a kind does not use are empty. A redelivered event has the same sorting key
-- (kind, domain, occurred_at, event_id) and collapses to one row (the last ingested).
-- occurred_ns is occurred_at in unix nanoseconds; topic_partition and topic_offset say
-- where the event was read from Kafka.
CREATE TABLE IF NOT EXISTS signals
(
    event_id        String,
    kind            String,
    domain          String,
    source          String,
    title           String,
    text            String,
    url             String,
    action          String,
    topic           String,
    technology      String,
    change          String,
    count           UInt32,
    occurred_at     DateTime('UTC'),
    occurred_ns     UInt64,
    ingested_at     DateTime('UTC'),
    topic_partition Int32,
    topic_offset    Int64
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (kind, domain, occurred_at, event_id);

-- Records ingest rejected, with the original key and value bytes and the reason code
-- (schemas.Code*). A record sent to the DLQ twice collapses by its Kafka coordinates.
CREATE TABLE IF NOT EXISTS dlq
(
    topic       String,
    `partition` Int32,
    `offset`    Int64,
    key         String,
    value       String,
    code        String,
    message     String,
    failed_at   DateTime('UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(failed_at)
ORDER BY (topic, `partition`, `offset`);

-- Signals without redelivered duplicates, whether or not parts have merged.
CREATE VIEW IF NOT EXISTS signals_dedup AS
SELECT
    event_id, kind, domain, source, title, text, url, action, topic, technology,
    change, count, occurred_at, occurred_ns, ingested_at, topic_partition, topic_offset
FROM signals FINAL;

-- The newest profile of each company, unless that profile is deleted. The newest is
-- the row with the greatest (version, event_id). The argMax runs over a tuple of all
-- columns so that the result is one row, never a mix of columns from several rows.
-- Two different events of one company with the same occurred_at, to the nanosecond,
-- have no defined winner: before a merge the greater event_id wins, a merge keeps the
-- one inserted last.
CREATE VIEW IF NOT EXISTS companies_latest AS
SELECT
    domain,
    tupleElement(p, 1)  AS event_id,
    tupleElement(p, 2)  AS company_name,
    tupleElement(p, 3)  AS industry,
    tupleElement(p, 4)  AS employees,
    tupleElement(p, 5)  AS size_bucket,
    tupleElement(p, 6)  AS city,
    tupleElement(p, 7)  AS region,
    tupleElement(p, 8)  AS country,
    tupleElement(p, 9)  AS description,
    tupleElement(p, 10) AS technologies,
    tupleElement(p, 11) AS contacts,
    tupleElement(p, 12) AS source,
    tupleElement(p, 13) AS occurred_at,
    tupleElement(p, 14) AS version,
    tupleElement(p, 15) AS ingested_at
FROM
(
    SELECT
        domain,
        argMax(
            tuple(event_id, company_name, industry, employees, size_bucket, city, region,
                  country, description, technologies, contacts, source, occurred_at,
                  version, ingested_at, deleted),
            tuple(version, event_id)) AS p
    FROM companies
    GROUP BY domain
)
WHERE tupleElement(p, 16) = 0;
