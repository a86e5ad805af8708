"""Unit tests of LeadpoetClient against a local stub server."""

import email.utils
import json
import os
import unittest
from unittest import mock

import leadpoet
from leadpoet import (
    CostLimitExceededError,
    ForbiddenError,
    InternalError,
    InvalidQueryError,
    LeadpoetClient,
    LeadpoetConnectionError,
    LeadpoetError,
    QueryThrottledError,
    RateLimitExceededError,
    ServiceUnavailableError,
    UnauthorizedError,
)

from .stub import Stub, envelope

EPOCH = 1767323045  # a fixed "now" for the retry tests

SPEC_LEAD = {
    "lead_id": "lead_12345",
    "company_name": "TechCorp Inc",
    "domain": "techcorp.com",
    "industry": "Technology",
    "company_size": "51-200",
    "location": "San Francisco, CA",
    "score": 0.92,
    "confidence": 0.85,
    "contact_info": {"name": "John Smith", "title": "CTO", "email": "john.smith@techcorp.com", "phone": "+1-555-0123"},
    "intent_signals": ["Recently posted job for CRM administrator"],
    "evidence": [{"kind": "job", "source": "demo", "url": "https://techcorp.com/j/1", "title": "CRM admin", "snippet": "…", "observed_at": ""}],
}
SPEC_RESPONSE = {
    "leads": [SPEC_LEAD],
    "metadata": {
        "total_leads": 150,
        "query_processed": "Find companies looking for CRM software",
        "processing_time_ms": 245,
        "cost_usd": 0.0018,
        "llm_calls": 3,
        "cache_hit_rate": 0.75,
        "query_id": "q_1",
        "interpretation": {"product": "crm software", "terms": ["crm"], "company_sizes": ["51-200"]},
        "cost_breakdown": {"compute_usd": 0.001, "store_ops": 60, "leads": 1},
        "future_field": 1,
    },
}
OK = (200, {}, SPEC_RESPONSE)


class StubTest(unittest.TestCase):
    def stub(self, *answers):
        s = Stub(*answers)
        self.addCleanup(s.close)
        return s

    def client(self, stub, **kw):
        """A client whose sleeps are recorded instead of slept, at a fixed time."""
        c = LeadpoetClient(api_key="sk_test", base_url=stub.url, backoff_base=0.1, backoff_max=60, **kw)
        self.slept = []
        self.now = float(EPOCH)

        def sleep(d):
            self.slept.append(round(d, 6))
            self.now += d

        c._sleep = sleep
        c._now = lambda: self.now
        c._random = lambda: 0.5
        return c


class QueryLeadsTest(StubTest):
    def test_sends_the_spec_request_and_decodes_every_field(self):
        s = self.stub((200, {"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "998", "X-RateLimit-Reset": "1767323045", "X-Request-ID": "req_ok"}, SPEC_RESPONSE))
        c = LeadpoetClient(api_key="sk_test", base_url=s.url + "/", user_agent="ua-test/1")
        resp = c.query_leads(
            query="Find companies looking for CRM software",
            limit=25,
            filters={"industries": ["technology"], "company_size": ["51-200"], "location": None},
        )
        (req,) = s.requests
        self.assertEqual((req["method"], req["path"]), ("POST", "/query"))
        self.assertEqual(req["headers"]["Authorization"], "Bearer sk_test")
        self.assertEqual(req["headers"]["Content-Type"], "application/json")
        self.assertEqual(req["headers"]["User-Agent"], "ua-test/1")
        self.assertIn("gzip", req["headers"]["Accept-Encoding"])
        self.assertEqual(
            json.loads(req["body"]),
            {"query": "Find companies looking for CRM software", "limit": 25, "filters": {"industries": ["technology"], "company_size": ["51-200"]}},
        )

        self.assertEqual(len(resp.leads), 1)
        lead = resp.leads[0]
        for k, v in SPEC_LEAD.items():
            if k not in ("contact_info", "evidence"):
                self.assertEqual(getattr(lead, k), v, k)
        self.assertEqual(lead.contact_info.name, "John Smith")
        self.assertEqual(lead.contact_info.title, "CTO")
        self.assertEqual(lead.contact_info.email, "john.smith@techcorp.com")
        self.assertEqual(lead.contact_info.phone, "+1-555-0123")
        self.assertEqual(lead.evidence[0].kind, "job")
        self.assertEqual(lead.to_dict(), SPEC_LEAD)

        m = resp.metadata
        self.assertEqual(
            (m.total_leads, m.query_processed, m.processing_time_ms, m.cost_usd, m.llm_calls, m.cache_hit_rate, m.query_id),
            (150, "Find companies looking for CRM software", 245, 0.0018, 3, 0.75, "q_1"),
        )
        self.assertEqual(m.interpretation.company_sizes, ["51-200"])
        self.assertEqual(m.cost_breakdown.store_ops, 60)
        self.assertEqual(m.raw["future_field"], 1)
        self.assertEqual((resp.rate_limit.limit, resp.rate_limit.remaining, resp.rate_limit.reset), (1000, 998, 1767323045))
        self.assertEqual(resp.request_id, "req_ok")
        self.assertEqual(len(resp), 1)

    def test_missing_fields_get_defaults(self):
        s = self.stub((200, {}, {"leads": [{"company_name": "X"}], "metadata": {}}))
        resp = LeadpoetClient(api_key="k", base_url=s.url).query_leads("Find companies looking for CRM software")
        lead = resp.leads[0]
        self.assertEqual((lead.company_name, lead.score, lead.contact_info.name, lead.intent_signals), ("X", 0.0, "", []))
        self.assertIsNone(resp.metadata.interpretation)
        self.assertEqual(json.loads(s.requests[0]["body"]), {"query": "Find companies looking for CRM software", "limit": 25})

    def test_gzip_answer(self):
        s = self.stub((200, {"X-Gzip": "1"}, SPEC_RESPONSE))
        resp = LeadpoetClient(api_key="k", base_url=s.url).query_leads("Find companies looking for CRM software")
        self.assertEqual(resp.leads[0].company_name, "TechCorp Inc")

    def test_filters_must_be_a_dict(self):
        with self.assertRaises(TypeError):
            LeadpoetClient(api_key="k", base_url="http://127.0.0.1:9").query_leads("Find companies looking for CRM software", filters=["x"])


class ErrorTest(StubTest):
    CASES = [
        (400, envelope("INVALID_QUERY"), InvalidQueryError, "INVALID_QUERY"),
        (429, envelope("RATE_LIMIT_EXCEEDED"), RateLimitExceededError, "RATE_LIMIT_EXCEEDED"),
        (429, envelope("COST_LIMIT_EXCEEDED"), CostLimitExceededError, "COST_LIMIT_EXCEEDED"),
        (401, envelope("UNAUTHORIZED"), UnauthorizedError, "UNAUTHORIZED"),
        (403, envelope("FORBIDDEN"), ForbiddenError, "FORBIDDEN"),
        (429, envelope("QUERY_THROTTLED"), QueryThrottledError, "QUERY_THROTTLED"),
        (503, envelope("SERVICE_UNAVAILABLE"), ServiceUnavailableError, "SERVICE_UNAVAILABLE"),
        (500, envelope("INTERNAL_ERROR"), InternalError, "INTERNAL_ERROR"),
        (404, envelope("NOT_FOUND"), LeadpoetError, "NOT_FOUND"),
        (503, "<html>down</html>", ServiceUnavailableError, "SERVICE_UNAVAILABLE"),
        (502, "<html>bad gateway</html>", LeadpoetError, None),
    ]

    def test_each_code_raises_its_exception(self):
        for status, body, cls, code in self.CASES:
            with self.subTest(status=status, code=code):
                s = self.stub((status, {"X-Request-ID": "req_hdr"}, body))
                c = LeadpoetClient(api_key="k", base_url=s.url, max_retries=0)
                with self.assertRaises(LeadpoetError) as cm:
                    c.query_leads("Find companies looking for CRM software")
                e = cm.exception
                self.assertIs(type(e), cls)
                self.assertEqual((e.code, e.status), (code, status))
                if isinstance(body, dict):
                    self.assertEqual((e.details, e.request_id, e.message, e.timestamp), ({"field": "query"}, "req_env", "m", "2026-01-02T03:04:05Z"))
                else:
                    self.assertEqual((e.details, e.request_id), ({}, "req_hdr"))
                    self.assertIn(str(status), e.message)
                self.assertIn(str(status), str(e))

    def test_connection_error(self):
        s = Stub(OK)
        url = s.url
        s.close()
        with self.assertRaises(LeadpoetConnectionError) as cm:
            LeadpoetClient(api_key="k", base_url=url).health()
        self.assertIsNone(cm.exception.status)

    def test_undecodable_success(self):
        s = self.stub((200, {}, "<html>"))
        with self.assertRaises(LeadpoetError) as cm:
            LeadpoetClient(api_key="k", base_url=s.url).alerts()
        self.assertIn("decode", str(cm.exception))


def rate(headers=None):
    return (429, headers or {}, envelope("RATE_LIMIT_EXCEEDED"))


class RetryTest(StubTest):
    # (name, answers, max_retries, requests, sleeps with jitter 0.5 and base 0.1, exception or None)
    CASES = [
        ("429 honours Retry-After", [rate({"Retry-After": "2", "X-RateLimit-Reset": str(EPOCH + 50)}), OK], 3, 2, [2.05], None),
        ("429 Retry-After as HTTP date", [rate({"Retry-After": email.utils.formatdate(EPOCH + 3, usegmt=True)}), OK], 3, 2, [3.05], None),
        ("429 waits for X-RateLimit-Reset", [rate({"X-RateLimit-Reset": str(EPOCH + 4)}), OK], 3, 2, [4.05], None),
        ("429 without hints backs off exponentially", [rate(), rate(), rate(), OK], 3, 4, [0.075, 0.15, 0.3], None),
        ("503 backs off", [(503, {}, envelope("SERVICE_UNAVAILABLE")), OK], 3, 2, [0.075], None),
        ("503 honours Retry-After", [(503, {"Retry-After": "1"}, "down"), OK], 3, 2, [1.05], None),
        ("throttled honours Retry-After", [(429, {"Retry-After": "5"}, envelope("QUERY_THROTTLED")), OK], 3, 2, [5.05], None),
        ("gives up after max retries", [rate({"Retry-After": "1"})], 2, 3, [1.05, 1.05], RateLimitExceededError),
        ("max_retries 0", [rate({"Retry-After": "1"}), OK], 0, 1, [], RateLimitExceededError),
        ("Retry-After beyond backoff_max is not waited", [rate({"Retry-After": "3600"}), OK], 3, 1, [], RateLimitExceededError),
        ("cost limit without Retry-After is not retried", [(429, {"X-RateLimit-Reset": str(EPOCH + 4)}, envelope("COST_LIMIT_EXCEEDED")), OK], 3, 1, [], CostLimitExceededError),
        ("cost limit with Retry-After is retried", [(429, {"Retry-After": "1"}, envelope("COST_LIMIT_EXCEEDED")), OK], 3, 2, [1.05], None),
        ("400 is not retried", [(400, {}, envelope("INVALID_QUERY")), OK], 3, 1, [], InvalidQueryError),
        ("401 is not retried", [(401, {}, envelope("UNAUTHORIZED")), OK], 3, 1, [], UnauthorizedError),
        ("403 is not retried", [(403, {}, envelope("FORBIDDEN")), OK], 3, 1, [], ForbiddenError),
        ("500 is not retried", [(500, {}, envelope("INTERNAL_ERROR")), OK], 3, 1, [], InternalError),
    ]

    def test_retry_policy(self):
        for name, answers, max_retries, n_requests, sleeps, exc in self.CASES:
            with self.subTest(name):
                s = self.stub(*answers)
                c = self.client(s, max_retries=max_retries)
                if exc is None:
                    resp = c.query_leads("Find companies looking for CRM software", limit=5)
                    self.assertEqual(resp.leads[0].company_name, "TechCorp Inc")
                else:
                    with self.assertRaises(exc):
                        c.query_leads("Find companies looking for CRM software", limit=5)
                self.assertEqual(len(s.requests), n_requests)
                self.assertTrue(all(r["body"] == s.requests[0]["body"] for r in s.requests))
                self.assertEqual(self.slept, sleeps)

    def test_give_up_reports_retry_after(self):
        s = self.stub((429, {"Retry-After": "540"}, envelope("QUERY_THROTTLED")))
        with self.assertRaises(QueryThrottledError) as cm:
            self.client(s).query_leads("Find companies looking for CRM software")
        self.assertEqual(cm.exception.retry_after, 540)

    def test_real_backoff_jitter_stays_in_bounds(self):
        s = self.stub(rate(), rate(), rate(), OK)
        c = LeadpoetClient(api_key="k", base_url=s.url, backoff_base=0.01, backoff_max=1)
        slept = []
        c._sleep = slept.append
        c.query_leads("Find companies looking for CRM software")
        for i, d in enumerate(slept):
            full = 0.01 * 2**i
            self.assertTrue(full / 2 <= d <= full, (i, d))


class ConfigTest(StubTest):
    def test_base_url_and_key_resolution(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(LeadpoetClient(api_key="k").base_url, "https://api.leadpoet.com")
            self.assertEqual(LeadpoetClient(api_key="k").api_key, "k")
        with mock.patch.dict(os.environ, {"LEADPOET_BASE_URL": "http://env.example:8000/", "LEADPOET_API_KEY": "sk_env"}):
            self.assertEqual(LeadpoetClient().base_url, "http://env.example:8000")
            self.assertEqual(LeadpoetClient().api_key, "sk_env")
            self.assertEqual(LeadpoetClient(api_key="k", base_url="http://arg.example").base_url, "http://arg.example")

    def test_version(self):
        self.assertRegex(leadpoet.__version__, r"^\d+\.\d+\.\d+$")


class OtherEndpointsTest(StubTest):
    def test_reputation_and_alerts(self):
        rep = {
            "api_key": "sk_...", "reputation_score": 0.85, "total_queries": 1250, "successful_queries": 1180, "failed_queries": 70,
            "average_response_time_ms": 245, "cost_efficiency": 0.92, "throttle_status": "active",
            "throttle_reason": "High cost per lead", "recommendations": ["Consider using more specific queries"],
        }
        alerts = {
            "alerts": [{"alert_id": "alert_123", "type": "high_cost", "severity": "warning", "message": "Cost per lead exceeded threshold",
                        "threshold": 0.002, "current_value": 0.0025, "created_at": "2024-12-19T10:00:00Z", "status": "active"}],
            "summary": {"total_alerts": 1, "critical_alerts": 0, "warning_alerts": 1, "info_alerts": 0},
        }
        s = self.stub((200, {"X-RateLimit-Remaining": "7"}, rep), (200, {}, alerts))
        c = LeadpoetClient(api_key="k", base_url=s.url)
        r = c.reputation()
        self.assertEqual(r.to_dict(), {**rep, "rate_limit": {"limit": None, "remaining": 7, "reset": None}, "request_id": ""})
        a = c.alerts()
        self.assertEqual(a.alerts[0].alert_id, "alert_123")
        self.assertEqual(a.alerts[0].current_value, 0.0025)
        self.assertEqual(a.summary.warning_alerts, 1)
        self.assertEqual([(q["method"], q["path"]) for q in s.requests], [("GET", "/query-quality/reputation"), ("GET", "/query-quality/alerts")])

    def test_health(self):
        doc = {"status": "healthy", "timestamp": "2024-12-19T10:30:00Z", "version": "1.1.0", "uptime_seconds": 86400,
               "database": "connected", "redis": "connected", "llm_service": "available"}
        s = self.stub((200, {}, doc))
        h = LeadpoetClient(api_key="k", base_url=s.url).health()
        self.assertEqual((h.status, h.version, h.uptime_seconds, h.database, h.redis, h.llm_service), ("healthy", "1.1.0", 86400, "connected", "connected", "available"))

    def test_unhealthy_raises_with_the_document_and_is_not_retried(self):
        doc = {"status": "unhealthy", "redis": "disconnected", "version": "1.1.0"}
        s = self.stub((503, {}, doc))
        with self.assertRaises(ServiceUnavailableError) as cm:
            LeadpoetClient(api_key="k", base_url=s.url).health()
        self.assertEqual(cm.exception.health.status, "unhealthy")
        self.assertEqual(cm.exception.health.redis, "disconnected")
        self.assertEqual(len(s.requests), 1)


if __name__ == "__main__":
    unittest.main()
