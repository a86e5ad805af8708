"""Python client of the Leadpoet B2B intent API.

    from leadpoet import LeadpoetClient

    client = LeadpoetClient(api_key="your_api_key")
    response = client.query_leads(
        query="Find companies looking for CRM software",
        limit=25,
        filters={"industries": ["technology"], "company_size": ["51-200"]},
    )
    for lead in response.leads:
        print(f"{lead.company_name} - {lead.score}")
"""

__version__ = "1.1.0"

from .client import DEFAULT_BASE_URL, LeadpoetClient  # noqa: E402
from .errors import (  # noqa: E402
    CostLimitExceededError,
    ForbiddenError,
    InternalError,
    InvalidQueryError,
    LeadpoetConnectionError,
    LeadpoetError,
    QueryThrottledError,
    RateLimitExceededError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from .models import (  # noqa: E402
    Alert,
    AlertsResponse,
    AlertSummary,
    ContactInfo,
    CostBreakdown,
    Evidence,
    Health,
    Interpretation,
    Lead,
    QueryMetadata,
    QueryResponse,
    RateLimit,
    Reputation,
)

__all__ = [
    "LeadpoetClient",
    "DEFAULT_BASE_URL",
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
    "Alert",
    "AlertsResponse",
    "AlertSummary",
    "ContactInfo",
    "CostBreakdown",
    "Evidence",
    "Health",
    "Interpretation",
    "Lead",
    "QueryMetadata",
    "QueryResponse",
    "RateLimit",
    "Reputation",
]
