"""Digests, not floods (``notifications.digests``): one message per person and kind with a list, a daily cap per
person with the rest in one digest (held to the morning once the cap is reached), urgent rows grouped but never
capped, quiet hours kept by the worker, every item told exactly once, rendered in zh and en with buttons."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.aftersales import Priority
from core.clock import SHANGHAI, Clock
from core.contracts import ContractStatus
from core.dealers import DocumentType
from core.outbox import Category, OutboxMessage, OutboxStatus
from core.services.aftersales import CreateTicket, create_ticket
from notifications import templates
from notifications.checks import Checks, CheckSettings
from notifications.digests import DigestSettings, fold
from notifications.ratelimit import InProcessRateLimiter
from notifications.worker import OutboxWorker
from tests.chat import texts
from tests.factories import dealer_user, make_contract, make_document
from tests.fakes import FakeOutboxStore
from tests.unit.test_checks import DEALER, MANAGER, SERVICE, scene
from tests.unit.test_outbox_worker import RecordingSender

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
MORNING = datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI)


def item(user: int, kind: str, n: int, *, urgent: bool = False, **params: object) -> OutboxMessage:
    return OutboxMessage(dedup_key=f"{kind}:{n}:u{user}", kind=kind, category=Category.CONTRACT, user_id=user,
                         urgent=urgent, created_at=NOW, params={"n": n, **params})


def behind(user: int, n: int) -> OutboxMessage:
    return item(user, "contract.behind_staff", n, dealer=f"D{n:04d} 经销商{n}", number=f"HT-2026-{n:04d}",
                period="2026", group="", achieved="20%", elapsed="90%")


def told(s: object, kind: str) -> list[tuple[int | None, dict]]:  # type: ignore[type-arg]
    """(user id, params) of the rows of ``kind`` that are delivered (not folded into a digest)."""
    return [(r.user_id, r.params) for r in s.w.uow.outbox.rows  # type: ignore[attr-defined]
            if r.kind == kind and r.status != OutboxStatus.FOLDED]


def run(messages: list[OutboxMessage], *, sent_today: dict[int, int] | None = None,
        cap: int | None = 8) -> tuple[list[OutboxMessage], list[OutboxMessage]]:
    out = fold(messages, now=NOW, day="2026-11-26", sent_today=sent_today or {},
               settings=DigestSettings(top=5, daily_cap=cap), hold_until=MORNING)
    return out.rows, out.folded


# --- grouping ---------------------------------------------------------------------------------------------

def test_several_items_of_one_kind_become_one_list_and_a_single_item_stays_itself() -> None:
    messages = [behind(1, n) for n in range(1, 8)] + [item(1, "contract.expiring_staff", 1), behind(2, 1)]
    rows, folded = run(messages)
    assert [(r.user_id, r.kind) for r in rows] == [(1, "digest.list"), (1, "contract.expiring_staff"),
                                                   (2, "contract.behind_staff")]
    digest = rows[0]
    assert (digest.params["of"], digest.params["n"], len(digest.params["items"])) == ("contract.behind_staff", 7, 5)
    assert digest.category == Category.CONTRACT and not digest.urgent and digest.status == OutboxStatus.PENDING
    # every item keeps its own row and key, folded, naming the digest
    assert sorted(f.dedup_key for f in folded) == sorted(m.dedup_key for m in messages[:7])
    assert {f.status for f in folded} == {OutboxStatus.FOLDED}
    assert {f.last_error for f in folded} == {f"in digest {digest.dedup_key}"}

    zh = templates.render(digest.kind, digest.params, "zh-CN")
    assert zh.text.splitlines()[0] == "📉 7 个合同目标进度落后"
    assert "· D0001 经销商1 · HT-2026-0001 2026：完成 20%，时间已过 90%" in zh.text
    assert "HT-2026-0006" not in zh.text and zh.text.endswith("……还有 2 条")
    assert [b.payload for row in zh.buttons for b in row] == ["1|staff.today"]
    en = templates.render(digest.kind, digest.params, "en")
    assert en.text.startswith("📉 7 contract targets are behind pace") and en.text.endswith("… and 2 more")


def test_a_digests_key_is_made_of_its_items_so_the_same_items_make_the_same_digest() -> None:
    first, _ = run([behind(1, n) for n in (1, 2, 3)])
    same, _ = run([behind(1, n) for n in (3, 2, 1)])
    other, _ = run([behind(1, n) for n in (1, 2, 4)])
    assert first[0].dedup_key == same[0].dedup_key != other[0].dedup_key


def test_dealers_get_one_restock_list_with_an_order_button_per_product() -> None:
    messages = [item(5, "stock.low_dealer", n, sku=f"SKU{n}", name=f"商品{n}", qty=1, low=5, suggest=10 + n,
                     unit="箱") for n in range(1, 5)]
    rows, _ = run(messages)
    [digest] = rows
    shown = templates.render(digest.kind, digest.params, "zh-CN")
    assert shown.text.splitlines()[0] == "📦 补货提醒：4 个商品已到下限"
    assert "· 商品1（SKU1）：库存 1，建议补货 11 箱" in shown.text
    assert [b.payload for row in shown.buttons for b in row] == [
        "1|order.restock", "1|order.prefill|SKU1|11", "1|order.prefill|SKU2|12", "1|order.prefill|SKU3|13"]


# --- the daily cap -----------------------------------------------------------------------------------------

def _kinds(user: int, count: int) -> list[OutboxMessage]:
    kinds = ["contract.expiring_staff", "qual.expired_staff", "qual.expiring_staff", "stock.low_warehouse",
             "contract.behind_staff", "campaign.launched"]
    return [item(user, kinds[i], i, number=f"N{i}", dealer="D1", warehouse="WH", sku="S", qty=1, low=2,
                 name="活动", code="D0001", doc="营业执照", date="2026-12-01", days=5)
            for i in range(count)]


def test_over_the_cap_the_rest_goes_into_one_digest() -> None:
    rows, folded = run(_kinds(1, 5), cap=3)
    assert [r.kind for r in rows] == ["contract.expiring_staff", "qual.expired_staff", "digest.more"]
    more = rows[-1]
    assert more.next_attempt_at is None and more.params["n"] == 3
    assert sorted(f.kind for f in folded) == ["contract.behind_staff", "qual.expiring_staff", "stock.low_warehouse"]
    text = templates.render(more.kind, more.params, "zh-CN").text
    assert text.startswith("📬 今天的提醒较多，其余 3 条汇总如下：") and text.count("\n· ") == 3
    assert "WH S：可用 1，下限 2" in text


def test_what_was_already_sent_today_counts_and_a_full_day_holds_the_digest_to_the_morning() -> None:
    rows, _ = run(_kinds(1, 4), sent_today={1: 2}, cap=3)                 # room for one: the digest
    assert [r.kind for r in rows] == ["digest.more"] and rows[0].next_attempt_at is None
    rows, folded = run(_kinds(1, 4), sent_today={1: 3}, cap=3)            # no room: tomorrow morning
    assert [r.kind for r in rows] == ["digest.more"] and rows[0].next_attempt_at == MORNING
    assert len(folded) == 4
    rows, _ = run(_kinds(1, 4), sent_today={1: 3}, cap=None)              # no cap: everything, grouped
    assert len(rows) == 4


def test_urgent_rows_are_grouped_but_never_capped_or_held() -> None:
    breaches = [item(1, "ticket.sla_breach", n, urgent=True, number=f"AS-{n}", dealer="D1", due="09:00")
                for n in range(3)]
    rows, _ = run(breaches + _kinds(1, 3), sent_today={1: 8}, cap=8)
    urgent = [r for r in rows if r.urgent]
    assert [(r.kind, r.params["of"], r.params["n"]) for r in urgent] == [("digest.list", "ticket.sla_breach", 3)]
    assert [r.kind for r in rows if not r.urgent] == ["digest.more"]
    shown = templates.render("digest.list", urgent[0].params, "zh-CN")
    assert shown.text.startswith("⏰ 3 张售后工单已超时")
    assert [b.payload for row in shown.buttons for b in row] == [
        "1|staff.ticket.detail|AS-0", "1|staff.ticket.detail|AS-1", "1|staff.ticket.detail|AS-2", "1|staff.today"]


# --- through the checks: exactly once, the cap across checks, quiet hours -------------------------------------

async def test_items_are_told_once_a_new_item_later_is_told_alone() -> None:
    s = await scene()
    dealers = [await s.w.dealer(name=f"经销商{n}", region="华东") for n in range(3)]
    for d in dealers:
        assert d.id is not None
        await s.w.uow.qualifications.add(make_document(d.id, DocumentType.OPERATING_PERMIT, expires_on=date(2026, 11, 1)))
    await s.w.uow.commit()
    assert await s.twice("qualification_expiry") == 1                     # the manager: one list of 3
    [(_, first)] = told(s, "digest.list")
    assert (first["of"], first["n"]) == ("qual.expired_staff", 3)
    late = await s.w.dealer(name="经销商9", region="华东")
    assert late.id is not None
    await s.w.uow.qualifications.add(make_document(late.id, DocumentType.OPERATING_PERMIT, expires_on=date(2026, 11, 2)))
    await s.w.uow.commit()
    assert await s.twice("qualification_expiry") == 1                     # only the new one, on its own
    [(who, params)] = told(s, "qual.expired_staff")
    assert who == s.users[MANAGER] and params["code"] == late.code
    assert len(told(s, "digest.list")) == 1


async def test_the_cap_holds_across_checks_and_a_new_day_starts_afresh() -> None:
    s = await scene()
    s.checks = Checks(lambda: s.w.uow, FakeOutboxStore(s.w.uow), s.clock,
                      CheckSettings(digest=DigestSettings(daily_cap=2)))
    for ends in (date(2026, 11, 30), date(2026, 12, 1)):                 # the last (7-day) stage
        d = await s.w.dealer(name=f"到期{ends.day}", region="华东")
        assert d.id is not None
        await s.w.uow.contracts.add(make_contract(d.id, status=ContractStatus.ACTIVE, ends_on=ends))
    await s.w.uow.qualifications.add(make_document(s.dealer_id, DocumentType.OPERATING_PERMIT,
                                                   expires_on=date(2026, 11, 1)))
    await s.w.uow.commit()
    await s.checks.run("qualification_expiry")                            # manager: 1 (expired document)
    await s.checks.run("contract_expiry")                                 # manager: renewals and ending: room for 1
    mine = [r for r in s.w.uow.outbox.rows if r.user_id == s.users[MANAGER] and r.status != OutboxStatus.FOLDED]
    assert [r.kind for r in mine] == ["qual.expired_staff", "digest.more"]
    assert mine[1].next_attempt_at is None
    text = texts([r for r in await s.w.pushed(MANAGER) if "提醒较多" in r.text])
    assert "· 📝 2 份合同可以起草续签" in text and "· 📄 2 份合同即将到期，尚无续签" in text
    s.clock.to(date(2026, 11, 27))
    d = await s.w.dealer(name="新到期", region="华东")
    assert d.id is not None
    await s.w.uow.qualifications.add(make_document(d.id, DocumentType.OPERATING_PERMIT, expires_on=date(2026, 11, 3)))
    await s.w.uow.commit()
    assert await s.checks.run("qualification_expiry") >= 1                # a new day: the cap starts afresh
    assert [r.kind for r in s.w.uow.outbox.rows if r.user_id == s.users[MANAGER]
            and r.status != OutboxStatus.FOLDED][-1] == "qual.expired_staff"


async def test_quiet_hours_hold_digests_until_morning_but_not_urgent_ones() -> None:
    s = await scene()
    s.clock.moment = datetime(2026, 11, 26, 23, 0, tzinfo=SHANGHAI)
    owner = dealer_user(s.dealer_id)
    early = Clock.fixed(datetime(2026, 11, 26, 5, 0, tzinfo=SHANGHAI))
    for problem in ("不出水", "异响"):
        await create_ticket(s.w.uow, owner, CreateTicket(s.dealer_id, problem, priority=Priority.URGENT), early)
    for d in [await s.w.dealer(name=f"夜里{n}", region="华东") for n in range(2)]:
        assert d.id is not None
        await s.w.uow.qualifications.add(make_document(d.id, DocumentType.OPERATING_PERMIT, expires_on=date(2026, 11, 1)))
    await s.w.uow.commit()
    await s.checks.run("sla_breaches")
    await s.checks.run("qualification_expiry")
    telegram = RecordingSender()
    worker = OutboxWorker(lambda: s.w.uow, FakeOutboxStore(s.w.uow), {"telegram": telegram}, InProcessRateLimiter(),
                          s.clock, worker_id="w1")
    await worker.drain()
    night = [(chat, m.text.splitlines()[0]) for chat, m in telegram.sent]
    assert (SERVICE, "⏰ 2 张售后工单已超时") in night                     # urgent: at once, as one message
    assert not [line for _, line in night if "资质" in line]
    s.clock.moment = datetime(2026, 11, 27, 7, 59, tzinfo=SHANGHAI)
    assert await worker.drain() == 0
    s.clock.moment += timedelta(minutes=1)                                # 08:00: quiet hours are over
    await worker.drain()
    sent = [(chat, m.text.splitlines()[0]) for chat, m in telegram.sent[len(night):]]
    assert (MANAGER, "⛔ 2 份经销商资质已到期") in sent
    assert all(chat != DEALER or "资质" not in line for chat, line in sent)   # dealer 1's papers are fine
    assert not [r for r in s.w.uow.outbox.rows if r.status == OutboxStatus.FOLDED and r.sent_at is not None]
