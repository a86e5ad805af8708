-- A company's signal timeline: every signal of one company, newest first, each
-- counted once (FINAL). Put the company's domain, as ingest normalises it (lower
-- case, no scheme, no "www."), in the first line of the query.
--
--   what     the job title, the page title (or URL), "action: topic" of research
--            activity, or "added/removed technology"
--   count    how many times an activity happened (1 for other kinds)
SELECT
    occurred_at,
    kind,
    multiIf(
        kind = 'job', title,
        kind = 'site', if(title != '', title, url),
        kind = 'activity', if(topic != '', concat(action, ': ', topic), action),
        kind = 'tech', concat(change, ' ', technology),
        title) AS what,
    count,
    source,
    url,
    event_id
FROM signals FINAL
WHERE domain = 'acme.example'
ORDER BY occurred_at DESC, event_id
LIMIT 1000;
