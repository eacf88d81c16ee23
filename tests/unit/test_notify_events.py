"""Use cases queue their notifications in their own unit of work: who gets what, once, and the templates."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from core import notify
from core.campaigns import Campaign, CampaignStatus
from core.errors import PermissionDenied, ValidationFailed
from core.outbox import Category, OutboxStatus
from core.services import campaigns as campaign_cases
from core.services.aftersales import CreateTicket, accept_ticket, add_comment, create_ticket
from core.services.orders import (
    ApproveOrder,
    CancelOrder,
    SubmitOrder,
    approve_order,
    cancel_order,
    submit_order,
)
from core.users import Actor, Role
from handlers.router import payload
from notifications import templates
from notifications.checks import Checks
from tests.chat import ChatWorld
from tests.factories import dealer_user, staff
from tests.fakes import FakeOutboxStore

ROOT = Path(__file__).resolve().parents[2]


async def world() -> tuple[ChatWorld, int, dict[str, int]]:
    """A dealer (owner 100, clerk 101), an order desk clerk (201), a channel manager (202), after-sales (301)."""
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司", region="华东")
    assert dealer.id is not None
    ids = {}
    for chat, role, d in (("100", Role.DEALER_OWNER, dealer), ("101", Role.DEALER_CLERK, dealer),
                          ("201", Role.ORDER_DESK, None), ("202", Role.CHANNEL_MANAGER, None),
                          ("301", Role.AFTER_SALES, None)):
        user = await w.user(chat, role, d)
        assert user.id is not None
        ids[chat] = user.id
    return w, dealer.id, ids


def recipients(w: ChatWorld, kind: str) -> list[int]:
    return sorted(r.user_id for r in w.uow.outbox.rows if r.kind == kind and r.user_id is not None)


async def test_an_order_within_funds_asks_the_desk_and_one_over_asks_every_approver() -> None:
    w, dealer_id, ids = await world()
    await w.prepay(await w.uow.dealers.get(dealer_id), "10000.00")  # type: ignore[arg-type]
    owner = dealer_user(dealer_id)
    small = await submit_order(w.uow, owner, SubmitOrder(dealer_id, [("AP300", 2)]), w.clock)
    assert recipients(w, "order.submitted") == [ids["201"]]                  # the order desk only
    big = await submit_order(w.uow, owner, SubmitOrder(dealer_id, [("AP300", 10)], client_request_key="k1"),
                             w.clock)
    assert big.needs_approval
    rows = [r for r in w.uow.outbox.rows if r.params.get("number") == big.number]
    assert sorted(r.user_id for r in rows) == sorted([ids["201"], ids["202"]])   # desk and channel manager
    assert all(r.urgent and r.category == Category.ORDER and r.status == OutboxStatus.PENDING for r in rows)
    assert rows[0].params["reasons"] == big.approval_reasons and rows[0].params["items"] == "AP300×10"
    # the same request again returns the same order and queues nothing more
    again = await submit_order(w.uow, owner, SubmitOrder(dealer_id, [("AP300", 10)], client_request_key="k1"),
                               w.clock)
    assert again.number == big.number and len(w.uow.outbox.rows) == 3
    assert small.number != big.number


async def test_a_decision_tells_the_dealers_users_and_the_next_desk_but_not_the_actor() -> None:
    w, dealer_id, ids = await world()
    order = await submit_order(w.uow, dealer_user(dealer_id), SubmitOrder(dealer_id, [("AP300", 2)]), w.clock)
    approver = (await w.uow.users.get(ids["202"])).to_actor()  # type: ignore[union-attr]
    await approve_order(w.uow, approver, ApproveOrder(order.number, over_limit=True), w.clock)
    assert recipients(w, "order.approved") == [ids["100"], ids["101"]]
    assert recipients(w, "order.to_allocate") == [ids["201"]]
    keys = sorted(r.dedup_key for r in w.uow.outbox.rows if r.kind == "order.approved")
    assert keys == [f"order.approved:{order.number}:e2:u{ids['100']}", f"order.approved:{order.number}:e2:u{ids['101']}"]


async def test_a_dealer_cancelling_tells_the_approvers_and_its_colleagues_not_itself() -> None:
    w, dealer_id, ids = await world()
    owner = (await w.uow.users.get(ids["100"])).to_actor()  # type: ignore[union-attr]
    order = await submit_order(w.uow, owner, SubmitOrder(dealer_id, [("AP300", 2)]), w.clock)
    await cancel_order(w.uow, owner, CancelOrder(order.number), w.clock)
    assert recipients(w, "order.cancelled_staff") == sorted([ids["201"], ids["202"]])
    assert recipients(w, "order.cancelled_by_dealer") == [ids["101"]]
    assert recipients(w, "order.cancelled") == []
    admin = staff(Role.ADMIN, name="admin")
    second = await submit_order(w.uow, owner, SubmitOrder(dealer_id, [("F300", 1)]), w.clock)
    await cancel_order(w.uow, admin, CancelOrder(second.number), w.clock)
    assert recipients(w, "order.cancelled") == [ids["100"], ids["101"]]


async def test_ticket_comments_go_to_the_other_side_and_to_the_handler_once_accepted() -> None:
    w, dealer_id, ids = await world()
    owner = (await w.uow.users.get(ids["100"])).to_actor()  # type: ignore[union-attr]
    engineer = (await w.uow.users.get(ids["301"])).to_actor()  # type: ignore[union-attr]
    ticket = await create_ticket(w.uow, owner, CreateTicket(dealer_id, "除湿机不出水"), w.clock)
    assert recipients(w, "ticket.created") == [ids["301"]]                   # TICKET_HANDLE holders
    await add_comment(w.uow, owner, ticket.number, "什么时候上门？", w.clock)
    assert recipients(w, "ticket.comment_staff") == [ids["301"]]
    await accept_ticket(w.uow, engineer, ticket.number, w.clock)
    assert recipients(w, "ticket.accept") == [ids["100"], ids["101"]]
    await add_comment(w.uow, engineer, ticket.number, "明天上午", w.clock)
    assert recipients(w, "ticket.comment") == [ids["100"], ids["101"]]
    [comment] = [r for r in w.uow.outbox.rows if r.kind == "ticket.comment" and r.user_id == ids["100"]]
    assert comment.params["who"] == "用户301" and comment.params["text"] == "明天上午" and comment.urgent


async def test_a_campaign_launched_on_its_first_day_is_announced_once_to_its_targets() -> None:
    w, dealer_id, ids = await world()
    other = await w.dealer(name="北京金鼎家电有限公司", region="华北")
    outsider = await w.user("900", Role.DEALER_OWNER, other)
    campaign = await w.uow.campaigns.add(Campaign(code="C-1", name="冬季换新", starts_on=date(2026, 11, 26),
                                                  ends_on=date(2026, 12, 31), target_regions=["华东"],
                                                  description="以旧换新"))
    await w.uow.commit()
    assert campaign.id is not None
    marketing = staff(Role.MARKETING, name="ma")
    await campaign_cases.launch_campaign(w.uow, marketing, campaign.id, w.clock)
    assert recipients(w, "campaign.launched") == [ids["100"], ids["101"]]
    assert outsider.id not in recipients(w, "campaign.launched")
    checks = Checks(lambda: w.uow, FakeOutboxStore(w.uow), w.clock)
    assert await checks.campaign_launches() == 0                   # same keys as the launch: nothing new
    launched = await w.uow.campaigns.get(campaign.id)
    assert launched is not None and launched.status == CampaignStatus.LAUNCHED


async def test_preferences_use_cases_check_the_actor_and_the_values() -> None:
    w, _, ids = await world()
    owner = (await w.uow.users.get(ids["100"])).to_actor()  # type: ignore[union-attr]
    pref = await notify.set_muted(w.uow, owner, notify.SetMuted(Category.DIGEST, True), w.clock)
    assert pref.muted == ["digest"] and pref.mutes("digest")
    pref = await notify.set_muted(w.uow, owner, notify.SetMuted(Category.DIGEST, False), w.clock)
    assert pref.muted == []
    with pytest.raises(ValidationFailed):
        await notify.set_muted(w.uow, owner, notify.SetMuted(Category.SYSTEM, True), w.clock)
    with pytest.raises(ValidationFailed):
        await notify.set_preferred_channel(w.uow, owner, notify.SetPreferredChannel("wecom"), w.clock)
    with pytest.raises(PermissionDenied):
        await notify.get_preferences(w.uow, Actor.anonymous())
    assert [a.action for a in w.uow.audit.rows].count("preference.update") == 2


async def test_the_admins_retry_puts_dead_rows_back_and_needs_the_permission() -> None:
    w, dealer_id, ids = await world()
    await submit_order(w.uow, dealer_user(dealer_id), SubmitOrder(dealer_id, [("AP300", 2)]), w.clock)
    row = w.uow.outbox.rows[0]
    row.status, row.attempts, row.last_error = OutboxStatus.DEAD, 8, "Forbidden"
    await w.uow.commit()
    with pytest.raises(PermissionDenied):
        await notify.retry_messages(w.uow, staff(Role.ORDER_DESK), [row.id or 0], w.clock)
    assert await notify.retry_messages(w.uow, staff(Role.ADMIN, name="admin"), [row.id or 0], w.clock) == 1
    stored = await w.uow.outbox.get(row.id or 0)
    assert stored is not None and (stored.status, stored.attempts) == (OutboxStatus.PENDING, 0)
    assert any(a.action == "outbox.retry" for a in w.uow.audit.rows)


# --- templates --------------------------------------------------------------------------------------------

def _kinds_written() -> set[str]:
    """Every template kind the code queues: Notice("kind", ...) and the order/ticket kinds built with f-strings."""
    kinds: set[str] = set()
    for path in ("core/notify.py", "notifications/checks.py"):
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"[a-z]+\.[a-z_]+", node.value) and node.value.split(".")[0] in {
                        "order", "ticket", "quality", "dealer", "qual", "material", "campaign", "statement", "faq",
                        "contract", "stock", "digest", "performance"}:
                kinds.add(node.value)
    kinds |= {f"ticket.{a}" for a in ("accept", "start", "resolve", "reject", "close")}
    return kinds


def test_every_kind_the_code_queues_has_a_template() -> None:
    missing = sorted(k for k in _kinds_written() if k not in templates.kinds())
    assert missing == []


SAMPLE = {"number": "SO-20261126-0001", "total": "¥1.00", "dealer": "D0001 华信", "reason": "原因", "who": "王",
          "text": "内容", "carrier": "顺丰", "tracking": "SF1", "warehouse": "WH-SH", "id": 7, "code": "D0001",
          "name": "名称", "qty": 3, "doc": {"zh": "营业执照", "en": "Business licence"}, "period": "2026-10",
          "sku": "AP300", "suggest": 12, "question": "问题", "answer": "答复", "date": "2026-12-01", "days": 5,
          "items": [["approve", 2]], "targets": [{"period": "2026", "achieved": "50%", "elapsed": "60%"}],
          "reasons": ["credit"], "priority": {"zh": "紧急", "en": "Urgent"},
          "replies": [{"text": "你好", "buttons": [[{"label": "菜单", "payload": "1|menu"}]]}]}


@pytest.mark.parametrize("kind", templates.kinds())
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_template_renders_in_both_languages_with_valid_buttons(kind: str, lang: str) -> None:
    rendered = templates.render(kind, SAMPLE, lang)
    assert rendered.text.strip() and "{" not in rendered.text
    for row in rendered.buttons:
        for button in row:
            assert button.label and len(button.payload.encode()) <= 64 and button.payload.startswith("1|")


def test_button_payloads_follow_the_chat_router_rule() -> None:
    from notifications import rendering

    assert rendering.button_payload is payload      # one codec (core.payload) for pushes and chat flows
    assert rendering.button_payload("staff.order.approve", "SO-20261126-0001") == "1|staff.order.approve|SO-20261126-0001"
    with pytest.raises(ValueError):
        rendering.button_payload("x", "y" * 70)
    with pytest.raises(templates.UnknownTemplate):
        templates.render("order.nope", {}, "zh-CN")


def test_localized_params_and_carriers_are_chosen_per_language() -> None:
    zh = templates.render("order.shipped", {"number": "SO-1", "carrier": "京东物流", "tracking": "JD1"}, "zh-CN")
    en = templates.render("order.shipped", {"number": "SO-1", "carrier": "京东物流", "tracking": "JD1"}, "en")
    assert "京东物流" in zh.text and "JD Logistics" in en.text
    low = templates.render("stock.low_dealer", {"sku": "F300", "name": "滤网", "qty": 2, "low": 5, "suggest": 8,
                                                "unit": "箱"}, "zh-CN")
    assert "建议补货 8 箱" in low.text and low.buttons[0][0].payload == payload("order.prefill", "F300", 8)
