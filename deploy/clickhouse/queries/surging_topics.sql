-- Surging topics: the terms (job and site title words, research topics, technologies
-- added; see the view signal_terms) that more companies show in the last 7 days than
-- in an average week of the 4 weeks before.
--
--   companies_this_week        companies with the term in the last 7 days
--   companies_per_week_before  companies with the term per week, averaged over the
--                              4 weeks before (days 8 to 35 ago)
--   surge                      (this week + 1) / (per week before + 1): above 1 the
--                              term is rising; the +1 keeps new, rare terms from
--                              topping the list
--
-- Companies, not signals, are counted, so one company posting ten jobs is one. Terms
-- fewer than 3 companies show this week are left out: change the HAVING to see them.
-- Needs views.sql.
SELECT
    kind,
    term,
    sumIf(companies, week = 0) AS companies_this_week,
    sumIf(companies, week >= 1) / 4 AS companies_per_week_before,
    round((companies_this_week + 1) / (companies_per_week_before + 1), 2) AS surge
FROM
(
    SELECT
        kind,
        term,
        intDiv(toUInt32(now()) - toUInt32(occurred_at), 7 * 86400) AS week,
        uniqExact(domain) AS companies
    FROM signal_terms
    WHERE occurred_at > now() - 35 * 86400 AND occurred_at <= now()
    GROUP BY kind, term, week
)
GROUP BY kind, term
HAVING companies_this_week >= 3
ORDER BY surge DESC, companies_this_week DESC, kind, term
LIMIT 50;
