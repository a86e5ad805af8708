-- Leadpoet analyst views, on top of the tables of schemas/clickhouse (which ingest
-- creates). Run once against the app database, after ingest has started:
--
--   clickhouse-client -d leadpoet --multiquery < deploy/clickhouse/views.sql
--
-- compose.yaml does it for you (service clickhouse-views). Every statement is
-- idempotent and runs on ClickHouse 18.16 and on current releases. Both views read
-- their ReplacingMergeTree tables with FINAL, so a redelivered event or DLQ record
-- counts once.

-- One row per (signal, term): the words a signal speaks of, for counting what
-- companies show interest in.
--   job, site:  the words of the title, lower case, at least 3 letters, without
--               seniority and filler words ("senior", "manager", "and", ...)
--   activity:   the research topic, lower case, as one term ("help desk software")
--   tech:       the technology added to the stack, lower case (removals are left out)
-- Signals with no term (an activity without topic, a title of filler words) have
-- no row.
CREATE VIEW IF NOT EXISTS signal_terms AS
SELECT
    event_id,
    kind,
    domain,
    occurred_at,
    term
FROM
(
    SELECT
        event_id,
        kind,
        domain,
        occurred_at,
        multiIf(
            kind = 'job' OR kind = 'site',
                arrayFilter(w -> length(w) >= 3 AND NOT has([
                    'and', 'the', 'for', 'with', 'our', 'you', 'your', 'all', 'new', 'from',
                    'senior', 'junior', 'lead', 'head', 'chief', 'principal', 'staff', 'intern',
                    'manager', 'director', 'associate', 'assistant', 'specialist', 'remote',
                    'hybrid', 'full', 'part', 'time', 'contract'], w),
                    alphaTokens(lower(title))),
            kind = 'activity' AND topic != '', [lower(topic)],
            kind = 'tech' AND change = 'added', [lower(technology)],
            emptyArrayString()) AS terms
    FROM signals FINAL
)
ARRAY JOIN terms AS term;

-- Dead-lettered records per day, source topic and reason code, with the time of the
-- last one and one example message.
CREATE VIEW IF NOT EXISTS dlq_daily AS
SELECT
    toDate(failed_at) AS day,
    topic,
    code,
    count() AS records,
    max(failed_at) AS last_failed_at,
    any(message) AS example_message
FROM dlq FINAL
GROUP BY day, topic, code;
