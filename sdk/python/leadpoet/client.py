"""LeadpoetClient: the HTTP client of the Leadpoet API."""

from __future__ import annotations

import email.utils
import gzip
import json
import os
import random
import socket
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from . import __version__
from .errors import (
    LeadpoetConnectionError,
    LeadpoetError,
    ServiceUnavailableError,
    code_for_status,
    error_class,
)
from .models import AlertsResponse, Health, QueryResponse, RateLimit, Reputation

__all__ = ["LeadpoetClient", "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "https://api.leadpoet.com"
ENV_BASE_URL = "LEADPOET_BASE_URL"
ENV_API_KEY = "LEADPOET_API_KEY"

_MAX_ERROR_BODY = 1 << 20


class _Answer:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


class LeadpoetClient:
    """Client of the Leadpoet API.

    Args:
        api_key: the API key; None means the LEADPOET_API_KEY environment variable.
        base_url: the API's base URL; None means LEADPOET_BASE_URL, else
            https://api.leadpoet.com.
        timeout: seconds to wait for each HTTP answer.
        max_retries: how many times a request answered 429 or 503 is retried;
            0 turns retries off.
        user_agent: the User-Agent header.
        backoff_base: seconds of the first backoff; it doubles with each retry.
        backoff_max: the longest wait before one retry, in seconds. A server
            asking for a longer wait gets its error raised at once, with
            ``retry_after`` set.

    Retries: a 429 is retried after the server's Retry-After, else until its
    X-RateLimit-Reset, else after an exponential backoff with jitter; a 503
    after Retry-After or the backoff. COST_LIMIT_EXCEEDED without Retry-After
    (a query refused for its own cost) and every other error are raised at once.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: float = 30,
        max_retries: int = 3,
        *,
        user_agent: Optional[str] = None,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
    ) -> None:
        self.api_key = api_key or os.environ.get(ENV_API_KEY, "")
        self.base_url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.max_retries = max(int(max_retries), 0)
        self.user_agent = user_agent or f"leadpoet-python/{__version__}"
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        # Seams for tests.
        self._sleep: Callable[[float], None] = time.sleep
        self._now: Callable[[], float] = time.time
        self._random: Callable[[], float] = random.random

    def __repr__(self) -> str:
        return f"LeadpoetClient(base_url={self.base_url!r})"

    # Endpoints.

    def query_leads(
        self,
        query: str,
        limit: int = 25,
        filters: Optional[Mapping[str, Any]] = None,
        *,
        max_cost_usd: Optional[float] = None,
    ) -> QueryResponse:
        """POST /query: the leads most likely to buy what ``query`` describes.

        Args:
            query: the target companies in plain words, 10 to 1000 characters.
            limit: how many leads to return, 1 to 2000.
            filters: the spec's filter options, with its keys: industries,
                company_size, location, exclude, technologies, job_titles.
            max_cost_usd: lowers the plan's per-query cost ceiling for this query.
        """
        body: Dict[str, Any] = {"query": query, "limit": limit}
        if filters is not None:
            if not isinstance(filters, Mapping):
                raise TypeError(f"filters must be a dict, got {type(filters).__name__}")
            body["filters"] = {k: v for k, v in filters.items() if v is not None}
        if max_cost_usd is not None:
            body["max_cost_usd"] = max_cost_usd
        ans = self._call("POST", "/query", body, retry=True)
        out = QueryResponse.from_dict(self._json(ans))
        out.rate_limit = RateLimit.from_headers(ans.headers)
        out.request_id = ans.headers.get("X-Request-ID", "")
        return out

    def reputation(self) -> Reputation:
        """GET /query-quality/reputation; the key needs the quality:read scope."""
        ans = self._call("GET", "/query-quality/reputation", None, retry=True)
        out = Reputation.from_dict(self._json(ans))
        out.rate_limit = RateLimit.from_headers(ans.headers)
        out.request_id = ans.headers.get("X-Request-ID", "")
        return out

    def alerts(self) -> AlertsResponse:
        """GET /query-quality/alerts; the key needs the quality:read scope."""
        ans = self._call("GET", "/query-quality/alerts", None, retry=True)
        out = AlertsResponse.from_dict(self._json(ans))
        out.rate_limit = RateLimit.from_headers(ans.headers)
        out.request_id = ans.headers.get("X-Request-ID", "")
        return out

    def health(self) -> Health:
        """GET /healthz, once (a probe is not retried).

        An unhealthy API answers 503 with its health document: that raises
        ServiceUnavailableError whose ``health`` attribute holds the document.
        """
        try:
            ans = self._call("GET", "/healthz", None, retry=False)
        except ServiceUnavailableError as e:
            doc = getattr(e, "_body", None)
            if isinstance(doc, dict) and doc.get("status"):
                e.health = Health.from_dict(doc)
                e.health.request_id = e.request_id or ""
                e.message = f"the API is {doc['status']}"
                e.args = (e.message,)
            raise
        out = Health.from_dict(self._json(ans))
        out.request_id = ans.headers.get("X-Request-ID", "")
        return out

    # Transport.

    def _call(self, method: str, path: str, body: Optional[Dict[str, Any]], *, retry: bool) -> _Answer:
        data = json.dumps(body).encode() if body is not None else None
        attempt = 0
        while True:
            attempt += 1
            ans = self._round_trip(method, path, data)
            if 200 <= ans.status < 300:
                return ans
            err = self._error(ans)
            hint, from_retry_after = self._retry_hint(ans, err.code)
            if not retry or attempt > self.max_retries or not _retryable(ans.status, err.code, from_retry_after):
                raise err
            if hint is not None:
                if hint > self.backoff_max:
                    raise err
                wait = hint + self._random() * self.backoff_base
            else:
                d = min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)
                wait = d / 2 + self._random() * d / 2
            self._sleep(wait)

    def _round_trip(self, method: str, path: str, data: Optional[bytes]) -> _Answer:
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
            "User-Agent": self.user_agent,
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
                status, hdrs = resp.status, resp.headers
        except urllib.error.HTTPError as e:
            status, hdrs = e.code, e.headers
            try:
                raw = e.read(_MAX_ERROR_BODY)
            except OSError:
                raw = b""
            finally:
                e.close()
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise LeadpoetConnectionError(f"{method} {self.base_url}{path}: {reason}") from e
        if (hdrs.get("Content-Encoding") or "").strip().lower() == "gzip":
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError) as e:
                raise LeadpoetConnectionError(f"{method} {path}: bad gzip body: {e}") from e
        return _Answer(status, hdrs, raw)

    @staticmethod
    def _json(ans: _Answer) -> Any:
        try:
            return json.loads(ans.body)
        except ValueError as e:
            raise LeadpoetError(
                f"could not decode the {ans.status} answer: {e}",
                status=ans.status,
                request_id=ans.headers.get("X-Request-ID"),
            ) from e

    def _error(self, ans: _Answer) -> LeadpoetError:
        request_id = ans.headers.get("X-Request-ID")
        doc: Any = None
        try:
            doc = json.loads(ans.body)
        except ValueError:
            pass
        env = doc.get("error") if isinstance(doc, dict) else None
        if isinstance(env, dict) and env.get("code"):
            code = str(env["code"])
            message = str(env.get("message") or code)
            details = env.get("details") if isinstance(env.get("details"), dict) else {}
            request_id = doc.get("request_id") or request_id
            timestamp = doc.get("timestamp")
        else:
            code = code_for_status(ans.status)
            text = ans.body.decode("utf-8", "replace").strip()
            message = f"HTTP {ans.status}" + (f": {text[:200]}" if text else "")
            details, timestamp = {}, None
        hint, _ = self._retry_hint(ans, code)
        err = error_class(code)(
            message,
            code=code,
            status=ans.status,
            details=details,
            request_id=request_id,
            retry_after=hint,
            timestamp=timestamp,
        )
        err._body = doc  # the decoded body, for health()
        return err

    def _retry_hint(self, ans: _Answer, code: Optional[str]) -> Tuple[Optional[float], bool]:
        """Seconds the answer asks to wait, and whether Retry-After said so."""
        ra = (ans.headers.get("Retry-After") or "").strip()
        if ra:
            try:
                return max(float(int(ra)), 0.0), True
            except ValueError:
                try:
                    when = email.utils.parsedate_to_datetime(ra).timestamp()
                    return max(when - self._now(), 0.0), True
                except (TypeError, ValueError, IndexError):
                    pass
        if ans.status == 429 and code != "COST_LIMIT_EXCEEDED":
            try:
                reset = int((ans.headers.get("X-RateLimit-Reset") or "").strip())
                return max(reset - self._now(), 0.0), False
            except ValueError:
                pass
        return None, False


def _retryable(status: int, code: Optional[str], has_retry_after: bool) -> bool:
    if status == 503:
        return True
    if status == 429:
        return code != "COST_LIMIT_EXCEEDED" or has_retry_after
    return False
