-- Cost per API key per day, last 30 days, from the API's query log (table queries,
-- one row per answered query: the key's id, the query's cost in USD under the
-- configured cost model, and when it was answered). api/COSTS.md explains the cost
-- model.
SELECT
    toDate(created_at) AS day,
    key_id,
    count() AS queries,
    sum(cost_usd) AS total_usd,
    avg(cost_usd) AS usd_per_query
FROM queries FINAL
WHERE created_at >= toDateTime(today() - 30)
GROUP BY day, key_id
ORDER BY day DESC, total_usd DESC, key_id;
