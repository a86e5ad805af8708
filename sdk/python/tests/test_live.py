"""Tests against a running Leadpoet API, named by LEADPOET_BASE_URL and
LEADPOET_API_KEY (the key needs the query and quality:read scopes, as the key
`leadpoet dev` prints has). Skipped when either is unset."""

import os
import unittest

from leadpoet import InvalidQueryError, LeadpoetClient, UnauthorizedError

BASE_URL = os.environ.get("LEADPOET_BASE_URL")
API_KEY = os.environ.get("LEADPOET_API_KEY")


@unittest.skipUnless(BASE_URL and API_KEY, "LEADPOET_BASE_URL and LEADPOET_API_KEY name no live API")
class LiveTest(unittest.TestCase):
    def setUp(self):
        self.client = LeadpoetClient(api_key=API_KEY, base_url=BASE_URL)

    def test_health(self):
        h = self.client.health()
        self.assertIn(h.status, ("healthy", "degraded"))
        self.assertTrue(h.version)
        self.assertEqual(h.redis, "connected")

    def test_query_leads(self):
        resp = self.client.query_leads(
            query="Find companies looking for CRM software",
            limit=10,
            filters={"industries": ["technology"], "company_size": ["51-200"]},
        )
        self.assertGreater(len(resp.leads), 0)
        self.assertLessEqual(len(resp.leads), 10)
        prev = 1.0
        for lead in resp.leads:
            self.assertTrue(lead.lead_id and lead.company_name and lead.domain, lead)
            self.assertEqual(lead.company_size, "51-200")
            self.assertTrue(0 < lead.score <= prev, (lead.score, prev))
            prev = lead.score
            self.assertTrue(0 <= lead.confidence <= 1)
            self.assertTrue(lead.contact_info.name and lead.contact_info.title)
            self.assertGreater(len(lead.intent_signals), 0)
        m = resp.metadata
        self.assertEqual(m.query_processed, "Find companies looking for CRM software")
        self.assertGreaterEqual(m.total_leads, len(resp.leads))
        self.assertGreater(m.cost_usd, 0)
        self.assertGreater(resp.rate_limit.limit, 0)
        self.assertTrue(resp.request_id.startswith("req_"), resp.request_id)

    def test_invalid_query(self):
        with self.assertRaises(InvalidQueryError) as cm:
            self.client.query_leads(query="CRM")
        e = cm.exception
        self.assertEqual((e.status, e.code, e.details.get("field")), (400, "INVALID_QUERY", "query"))
        self.assertTrue(e.request_id)

    def test_unknown_key(self):
        with self.assertRaises(UnauthorizedError) as cm:
            LeadpoetClient(api_key="lp_not_a_key", base_url=BASE_URL).query_leads(query="Find companies looking for CRM software")
        self.assertEqual(cm.exception.status, 401)

    def test_reputation_and_alerts(self):
        self.client.query_leads(query="Find SaaS companies looking for customer support software", limit=5)
        rep = self.client.reputation()
        self.assertGreaterEqual(rep.total_queries, 1)
        self.assertTrue(0 <= rep.reputation_score <= 1)
        self.assertTrue(rep.throttle_status)
        alerts = self.client.alerts()
        self.assertEqual(alerts.summary.total_alerts, len(alerts.alerts))


if __name__ == "__main__":
    unittest.main()
