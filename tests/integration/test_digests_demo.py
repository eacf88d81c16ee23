"""The first run of EVERY scheduled check on the demo data, as ``dms scheduler --run-now all`` does it, on SQLite
and PostgreSQL: how many messages each staff member and each dealer's user gets (printed), never more than
the daily cap (8) for anyone; no contract drafted by the checks; a second run queues nothing; every item
folded into a digest names a digest row that will be delivered.

Before the digests, the same run queued 112 messages for one channel manager and 88 for the admin, and drafted
27 renewals on its own."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
import pytest_asyncio

from bot.bootstrap import App
from bot.demo import seed_demo_data
from core.clock import SHANGHAI, Clock
from core.contracts import ContractStatus
from core.outbox import OutboxStatus
from notifications.checks import Checks
from storage.outbox_store import SqlAlchemyOutboxStore
from tests.integration.conftest import Database
from tests.integration.test_demo_data import _app_on

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=SHANGHAI)     # the morning the flood was seen: 27 contracts end in 26 days
CAP = 8

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def demo(db: Database) -> AsyncIterator[App]:
    application = _app_on(db.url, Clock.fixed(NOW), db.search_path)
    await seed_demo_data(application.uow_factory, application.session_factory, application.clock)
    yield application
    await application.aclose()


async def test_the_first_run_of_every_check_stays_under_the_cap_for_everyone(demo: App) -> None:
    async with demo.uow_factory() as uow:
        drafts_before = await uow.contracts.count(status=ContractStatus.DRAFT)
        queued_before = {m.id for m in await uow.outbox.list()}
    checks = Checks(demo.uow_factory, SqlAlchemyOutboxStore(demo.session_factory), demo.clock)
    queued = {name: await checks.run(name) for name in checks.all()}
    assert sum(queued.values()) > 0

    async with demo.uow_factory() as uow:
        users = {u.id: u for u in await uow.users.list()}
        rows = [m for m in await uow.outbox.list() if m.id not in queued_before]
        drafts_after = await uow.contracts.count(status=ContractStatus.DRAFT)
    told = [m for m in rows if m.status != OutboxStatus.FOLDED and m.user_id is not None]
    staff = Counter(users[m.user_id].username for m in told if users[m.user_id].role.is_staff)
    dealers = Counter(users[m.user_id].username for m in told if not users[m.user_id].role.is_staff)
    print("\nmessages queued by the first run of every check, per staff member:")
    for name, n in sorted(staff.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {name:20} {n}")
    print("per dealer user:")
    for name, n in sorted(dealers.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {name:20} {n}")

    over = {name: n for name, n in (staff + dealers).items() if n > CAP}
    assert over == {}, f"more than {CAP} messages: {over}"
    assert staff["liu.channel"] >= 3 and staff["chen.admin"] >= 3          # they are told, in a few messages
    assert drafts_after == drafts_before                                    # renewals proposed, not drafted
    assert not [m for m in told if m.kind == "digest.more"]                 # grouping alone did it: no cap needed

    # the renewal proposal reached the channel managers as one list with a button per contract listed
    [offer] = [m for m in told if users[m.user_id].username == "liu.channel" and m.kind == "digest.list"
               and m.params["of"] == "contract.renewal_due"]
    assert offer.params["n"] >= 20 and len(offer.params["items"]) == 5

    # every folded item names a digest row that is delivered (or folded itself into the day's digest)
    keys = {m.dedup_key: m for m in rows}
    folded = [m for m in rows if m.status == OutboxStatus.FOLDED]
    assert len(folded) > 100
    for item in folded:
        assert item.last_error is not None and item.last_error.startswith("in digest ")
        assert item.last_error.removeprefix("in digest ") in keys

    again = {name: await checks.run(name) for name in checks.all()}
    assert {n: q for n, q in again.items() if q} == {}                      # exactly once: nothing the 2nd time
