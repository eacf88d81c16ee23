"""An order's number alone or with a few English words ("SO-20261205-0001", "status of SO-20261127-0012?") is the
order's status, not a ticket's follow-up (the classifier reads the masked number alone as ticket_status); a ticket's
number without its prefix ("AS单 20261129 0004") stays a ticket's."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

CATALOGUE = [CatalogueEntry(sku="QT600", name="抛釉砖 QT600", aliases=["QT600"], unit="箱")]


@pytest.mark.parametrize(("text", "intent"), [
    ("SO-20261205-0001", Intent.ORDER_STATUS),
    ("status of SO-20261127-0012?", Intent.ORDER_STATUS),
    ("any update on SO-20261202-0015", Intent.ORDER_STATUS),
    ("AS-20261129-0004", Intent.TICKET_STATUS),
    ("AS单 20261129 0004 师傅什么时候来看", Intent.TICKET_STATUS),
])
async def test_an_order_number_is_an_orders_status(text: str, intent: Intent) -> None:
    parsed = await OfflineParser().parse(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert parsed.intent == intent, (text, parsed.intent, parsed.confidence)
