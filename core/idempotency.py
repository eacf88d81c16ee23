"""Idempotent API writes: a client's ``Idempotency-Key`` and the response it got the first time.

Follows Stripe and the IETF draft ``draft-ietf-httpapi-idempotency-key-header``: an ERP that retries a
POST after a timeout sends the same key; within :data:`REPLAY_WINDOW` it gets the first response again
and nothing is written twice. A key is scoped to the API key that sent it, and bound to one request
(endpoint and body, compared by :func:`request_fingerprint`): the same key with another body is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

REPLAY_WINDOW = timedelta(hours=24)
"""How long a stored response is replayed; afterwards the key may be used for a new request."""

MAX_KEY_LENGTH = 255


@dataclass
class IdempotencyRecord:
    """One keyed request and its response. Written in the same transaction as what the request wrote, so a
    record other transactions can see always carries its final response."""

    api_key_id: int
    key: str
    endpoint: str                  # "POST /api/v1/sellout"
    request_hash: str              # request_fingerprint of the body
    created_at: datetime
    status_code: int = 0           # the HTTP status answered (0 only inside the writing transaction)
    response_body: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    def expired(self, now: datetime) -> bool:
        return now - self.created_at >= REPLAY_WINDOW

    def same_request(self, endpoint: str, request_hash: str) -> bool:
        return self.endpoint == endpoint and self.request_hash == request_hash


def request_fingerprint(body: Any) -> str:
    """SHA-256 of the parsed JSON body in a canonical form: key order and whitespace do not count, values do."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
