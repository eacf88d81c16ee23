"""A dealer's own words for products ("空净" for AP300 at one dealer, "小滤网" for another's F300).

When a dealer picks a suggested product for a word the parser did not know, that word maps to the
product for that dealer from then on (the parser reads these with the catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class DealerAlias:
    dealer_id: int
    word: str                      # normalized: lower case, half-width, trimmed
    sku: str
    created_by: str = ""           # actor label
    created_at: datetime | None = None
    id: int | None = None
