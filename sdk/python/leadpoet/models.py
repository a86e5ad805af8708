"""Response objects of the Leadpoet API, with attribute access for every field.

Each object keeps the JSON it was built from in ``raw``, so fields a newer
server adds are not lost.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, List, Mapping, Optional

__all__ = [
    "ContactInfo",
    "Evidence",
    "Lead",
    "Interpretation",
    "CostBreakdown",
    "QueryMetadata",
    "RateLimit",
    "QueryResponse",
    "Reputation",
    "Alert",
    "AlertSummary",
    "AlertsResponse",
    "Health",
]


class _Model:
    # Fields holding another model, or a list of them.
    _nested: ClassVar[Dict[str, type]] = {}
    _lists: ClassVar[Dict[str, type]] = {}

    @classmethod
    def from_dict(cls, data: Optional[Mapping[str, Any]]):
        """Builds the object from decoded JSON; missing fields get their defaults."""
        data = data if isinstance(data, Mapping) else {}
        kwargs: Dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name == "raw":
                kwargs["raw"] = dict(data)
                continue
            if f.metadata.get("header"):
                continue  # filled from the response headers
            if f.name not in data or data[f.name] is None:
                continue
            value = data[f.name]
            if f.name in cls._nested:
                value = cls._nested[f.name].from_dict(value)
            elif f.name in cls._lists:
                value = [cls._lists[f.name].from_dict(v) for v in value or []]
            kwargs[f.name] = value
        return cls(**kwargs)

    def to_dict(self) -> Dict[str, Any]:
        """The object as JSON-ready data, without ``raw``."""
        out = dataclasses.asdict(self)  # type: ignore[call-overload]
        return _drop_raw(out)


def _drop_raw(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _drop_raw(x) for k, x in v.items() if k != "raw"}
    if isinstance(v, list):
        return [_drop_raw(x) for x in v]
    return v


@dataclass
class ContactInfo(_Model):
    """The best contact at a lead for the query."""

    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Evidence(_Model):
    """One observation behind a lead's score (an extension of the spec)."""

    kind: str = ""
    source: str = ""
    url: str = ""
    title: str = ""
    snippet: str = ""
    observed_at: str = ""  # RFC 3339; "" when unknown
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Lead(_Model):
    """One ranked company; leads come best first."""

    lead_id: str = ""
    company_name: str = ""
    domain: str = ""
    industry: str = ""
    company_size: str = ""  # "" when unknown
    location: str = ""
    score: float = 0.0  # in [0, 1]
    confidence: float = 0.0  # in [0, 1]
    contact_info: ContactInfo = field(default_factory=ContactInfo)
    intent_signals: List[str] = field(default_factory=list)
    evidence: List[Evidence] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    _nested = {"contact_info": ContactInfo}
    _lists = {"evidence": Evidence}


@dataclass
class Interpretation(_Model):
    """The query as the engine read it, with the filters in effect."""

    product: str = ""
    terms: List[str] = field(default_factory=list)
    industries: List[str] = field(default_factory=list)
    company_sizes: List[str] = field(default_factory=list)
    location: str = ""
    technologies: List[str] = field(default_factory=list)
    excluded_technologies: List[str] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class CostBreakdown(_Model):
    """The parts of metadata.cost_usd and the quantities they were priced from."""

    compute_usd: float = 0.0
    store_usd: float = 0.0
    data_usd: float = 0.0
    llm_usd: float = 0.0
    compute_ms: float = 0.0
    store_ops: int = 0
    leads: int = 0
    llm_tokens: int = 0
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class QueryMetadata(_Model):
    """How a query was answered. Fields after cache_hit_rate extend the spec."""

    total_leads: int = 0
    query_processed: str = ""
    processing_time_ms: int = 0
    cost_usd: float = 0.0
    llm_calls: int = 0
    cache_hit_rate: float = 0.0
    query_id: str = ""
    interpretation: Optional[Interpretation] = None
    cost_breakdown: Optional[CostBreakdown] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    _nested = {"interpretation": Interpretation, "cost_breakdown": CostBreakdown}


@dataclass
class RateLimit:
    """The rate-limit headers of a response; None where a header was absent."""

    limit: Optional[int] = None  # X-RateLimit-Limit
    remaining: Optional[int] = None  # X-RateLimit-Remaining
    reset: Optional[int] = None  # X-RateLimit-Reset, a Unix time

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> "RateLimit":
        def num(name: str) -> Optional[int]:
            try:
                return int(headers.get(name, ""))
            except (TypeError, ValueError):
                return None

        return cls(num("X-RateLimit-Limit"), num("X-RateLimit-Remaining"), num("X-RateLimit-Reset"))


@dataclass
class QueryResponse(_Model):
    """The answer to query_leads()."""

    leads: List[Lead] = field(default_factory=list)
    metadata: QueryMetadata = field(default_factory=QueryMetadata)
    rate_limit: RateLimit = field(default_factory=RateLimit, compare=False, metadata={"header": True})
    request_id: str = field(default="", compare=False, metadata={"header": True})
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    _nested = {"metadata": QueryMetadata}
    _lists = {"leads": Lead}

    def __len__(self) -> int:
        return len(self.leads)

    def __iter__(self):
        return iter(self.leads)


@dataclass
class Reputation(_Model):
    """The calling key's query-quality reputation."""

    api_key: str = ""  # masked key id, never the secret
    reputation_score: float = 0.0
    total_queries: int = 0
    successful_queries: int = 0
    failed_queries: int = 0
    average_response_time_ms: float = 0.0
    cost_efficiency: float = 0.0
    throttle_status: str = ""  # e.g. "none", "warning", "active"
    throttle_reason: str = ""
    recommendations: List[str] = field(default_factory=list)
    rate_limit: RateLimit = field(default_factory=RateLimit, compare=False, metadata={"header": True})
    request_id: str = field(default="", compare=False, metadata={"header": True})
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Alert(_Model):
    """One query-quality alert."""

    alert_id: str = ""
    type: str = ""  # e.g. "high_cost"
    severity: str = ""  # "info", "warning" or "critical"
    message: str = ""
    threshold: float = 0.0
    current_value: float = 0.0
    created_at: str = ""  # RFC 3339
    status: str = ""  # e.g. "active"
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class AlertSummary(_Model):
    """The alerts counted by severity."""

    total_alerts: int = 0
    critical_alerts: int = 0
    warning_alerts: int = 0
    info_alerts: int = 0
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class AlertsResponse(_Model):
    """The calling key's query-quality alerts."""

    alerts: List[Alert] = field(default_factory=list)
    summary: AlertSummary = field(default_factory=AlertSummary)
    rate_limit: RateLimit = field(default_factory=RateLimit, compare=False, metadata={"header": True})
    request_id: str = field(default="", compare=False, metadata={"header": True})
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    _nested = {"summary": AlertSummary}
    _lists = {"alerts": Alert}


@dataclass
class Health(_Model):
    """The API's health document."""

    status: str = ""  # "healthy", "degraded" or "unhealthy"
    timestamp: str = ""  # RFC 3339
    version: str = ""
    uptime_seconds: int = 0
    database: str = ""
    redis: str = ""
    llm_service: str = ""
    kafka: str = ""  # an extension of the spec
    request_id: str = field(default="", compare=False, metadata={"header": True})
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
