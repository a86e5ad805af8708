"""Exceptions raised by the Leadpoet client, one per error code of the API."""

from __future__ import annotations

from typing import Any, Dict, Optional

__all__ = [
    "LeadpoetError",
    "InvalidQueryError",
    "RateLimitExceededError",
    "CostLimitExceededError",
    "UnauthorizedError",
    "ForbiddenError",
    "QueryThrottledError",
    "ServiceUnavailableError",
    "InternalError",
    "LeadpoetConnectionError",
    "error_class",
]


class LeadpoetError(Exception):
    """An error answer of the API (or, for LeadpoetConnectionError, no answer).

    Attributes:
        code: the error code of the envelope, e.g. "INVALID_QUERY"; servers may
            send codes beyond the documented ones. None when there was no answer.
        message: human-readable text.
        status: the HTTP status, or None when there was no answer.
        details: the envelope's details, e.g. {"field": "query", "min_length": 10}.
        request_id: quote it when reporting a problem.
        retry_after: seconds the server asked to wait before retrying, from
            Retry-After or, when rate limited, X-RateLimit-Reset; None if neither.
        timestamp: when the server answered (RFC 3339), or None.
    """

    code: Optional[str] = None

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        status: Optional[int] = None,
        details: Optional[Dict[str, Any]] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        timestamp: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None or self.code is None:
            self.code = code
        self.status = status
        self.details = details if details is not None else {}
        self.request_id = request_id
        self.retry_after = retry_after
        self.timestamp = timestamp

    def __str__(self) -> str:
        head = " ".join(str(p) for p in (self.status, self.code) if p is not None)
        s = f"{head}: {self.message}" if head else self.message
        if self.request_id:
            s += f" (request_id {self.request_id})"
        return s


class InvalidQueryError(LeadpoetError):
    """400 INVALID_QUERY: the request failed validation; details name the field."""

    code = "INVALID_QUERY"


class RateLimitExceededError(LeadpoetError):
    """429 RATE_LIMIT_EXCEEDED: too many requests; see retry_after."""

    code = "RATE_LIMIT_EXCEEDED"


class CostLimitExceededError(LeadpoetError):
    """429 COST_LIMIT_EXCEEDED: the query costs more than the key's plan allows."""

    code = "COST_LIMIT_EXCEEDED"


class UnauthorizedError(LeadpoetError):
    """401 UNAUTHORIZED: the API key is missing or invalid."""

    code = "UNAUTHORIZED"


class ForbiddenError(LeadpoetError):
    """403 FORBIDDEN: the API key lacks the scope the endpoint needs."""

    code = "FORBIDDEN"


class QueryThrottledError(LeadpoetError):
    """429 QUERY_THROTTLED: the key's query-quality reputation is too low."""

    code = "QUERY_THROTTLED"


class ServiceUnavailableError(LeadpoetError):
    """503 SERVICE_UNAVAILABLE: retry later.

    When raised by health(), ``health`` holds the API's health document.
    """

    code = "SERVICE_UNAVAILABLE"
    health: Any = None


class InternalError(LeadpoetError):
    """500 INTERNAL_ERROR: quote request_id when reporting it."""

    code = "INTERNAL_ERROR"


class LeadpoetConnectionError(LeadpoetError):
    """The API could not be reached or did not answer in time."""


_BY_CODE = {
    cls.code: cls
    for cls in (
        InvalidQueryError,
        RateLimitExceededError,
        CostLimitExceededError,
        UnauthorizedError,
        ForbiddenError,
        QueryThrottledError,
        ServiceUnavailableError,
        InternalError,
    )
}

_CODE_BY_STATUS = {
    400: "INVALID_QUERY",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    429: "RATE_LIMIT_EXCEEDED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def error_class(code: Optional[str]) -> type:
    """The exception class of an error code; LeadpoetError for other codes."""
    return _BY_CODE.get(code or "", LeadpoetError)


def code_for_status(status: int) -> Optional[str]:
    """The documented code of a status, for answers without an error envelope."""
    return _CODE_BY_STATUS.get(status)
