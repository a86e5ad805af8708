-- Dead-letter reasons per day, last 30 days: how many records of each source topic
-- ingest rejected, and why (the reason codes are in schemas/README.md), with one
-- example message. `leadpoet dlq list` shows the records themselves and
-- `leadpoet dlq replay` re-sends them after a fix. Needs views.sql.
SELECT
    day,
    code AS reason,
    topic,
    records,
    last_failed_at,
    example_message
FROM dlq_daily
WHERE day >= today() - 30
ORDER BY day DESC, records DESC, reason, topic;
