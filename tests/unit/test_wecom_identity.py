"""One person on two channels: a WeCom account binds to the same user as a Telegram account.

Staff invites name their user already; a dealer invite may name an existing dealer user
(``create_invite(..., username=...)``) so the redeemer on WeCom becomes that user, not a new one.
Where pushes then go (the channel chosen in /settings, else the one used last) is the worker's
``resolve_recipient``, checked here for the WeCom case.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.dialogs import DialogState
from core.errors import Conflict, NotFound
from core.outbox import Category, NotificationPreference, OutboxMessage
from core.services import users as svc
from core.users import InviteKind, Role
from notifications.worker import resolve_recipient
from tests.factories import fixed_clock, make_prospect, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
MANAGER = staff(Role.CHANNEL_MANAGER, "wang")
ADMIN = staff(Role.ADMIN, "root")


async def _dealer_user_on_telegram(uow: FakeUnitOfWork) -> tuple[int, int]:
    dealer = await uow.dealers.add(make_prospect(code="D0001"))
    await uow.commit()
    invite = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK)
    user = await svc.redeem_invite(uow, invite.code, "telegram", "1001", "李老板", CLOCK)
    assert user.id is not None and dealer.id is not None
    return dealer.id, user.id


async def test_a_dealer_invite_for_an_existing_user_binds_wecom_to_that_user() -> None:
    uow = FakeUnitOfWork()
    dealer_id, user_id = await _dealer_user_on_telegram(uow)
    invite = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK, username="d0001-1")
    assert (invite.username, invite.role, invite.dealer_id) == ("d0001-1", Role.DEALER_OWNER, dealer_id)
    again = await svc.redeem_invite(uow, invite.code, "wecom", "LiLaoBan", "李老板", CLOCK)
    assert again.id == user_id and len(uow.users.rows) == 1
    assert sorted((i.channel, i.external_id, i.user_id) for i in uow.identities.rows) == [
        ("telegram", "1001", user_id), ("wecom", "LiLaoBan", user_id)]
    on_wecom = await svc.resolve_identity(uow, "wecom", "LiLaoBan")
    on_telegram = await svc.resolve_identity(uow, "telegram", "1001")
    assert on_wecom == on_telegram and on_wecom is not None and on_wecom.dealer_id == dealer_id


async def test_a_plain_dealer_invite_still_makes_a_new_user() -> None:
    uow = FakeUnitOfWork()
    _, user_id = await _dealer_user_on_telegram(uow)
    invite = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK)
    other = await svc.redeem_invite(uow, invite.code, "wecom", "xiaowang", "小王", CLOCK)
    assert other.id != user_id and other.role == Role.DEALER_CLERK and len(uow.users.rows) == 2


async def test_a_dealer_invite_cannot_name_another_dealers_user_or_change_the_role() -> None:
    uow = FakeUnitOfWork()
    await _dealer_user_on_telegram(uow)
    await uow.dealers.add(make_prospect(code="D0002"))
    await uow.commit()
    with pytest.raises(NotFound):
        await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0002", CLOCK, username="d0001-1")
    with pytest.raises(NotFound):
        await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK, username="nobody")
    with pytest.raises(Conflict, match="role"):
        await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK, username="d0001-1",
                                role=Role.DEALER_CLERK)
    assert len(uow.invites.rows) == 1           # only the first, redeemed one


async def test_a_wecom_account_bound_to_someone_else_is_refused() -> None:
    uow = FakeUnitOfWork()
    await _dealer_user_on_telegram(uow)
    first = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK)
    await svc.redeem_invite(uow, first.code, "wecom", "shared", "甲", CLOCK)
    invite = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK, username="d0001-1")
    with pytest.raises(Conflict, match="already bound"):
        await svc.redeem_invite(uow, invite.code, "wecom", "shared", "甲", CLOCK)
    assert uow.invites.rows[-1].used_at is None


async def test_staff_bound_on_telegram_binds_wecom_with_a_new_staff_invite() -> None:
    uow = FakeUnitOfWork()
    desk = await svc.create_staff_user(uow, ADMIN, svc.CreateStaffUser("zhang", "张审核", Role.ORDER_DESK), CLOCK)
    first = await svc.create_invite(uow, ADMIN, InviteKind.STAFF, ("zhang", Role.ORDER_DESK), CLOCK)
    await svc.redeem_invite(uow, first.code, "telegram", "2001", "张", CLOCK)
    second = await svc.create_invite(uow, ADMIN, InviteKind.STAFF, ("zhang", Role.ORDER_DESK), CLOCK)
    bound = await svc.redeem_invite(uow, second.code, "wecom", "ZhangShen", "张", CLOCK)
    assert bound.id == desk.id
    assert sorted(i.channel for i in uow.identities.rows if i.user_id == desk.id) == ["telegram", "wecom"]


async def test_pushes_go_to_the_channel_chosen_else_the_one_used_last() -> None:
    uow = FakeUnitOfWork()
    _, user_id = await _dealer_user_on_telegram(uow)
    invite = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK, username="d0001-1")
    await svc.redeem_invite(uow, invite.code, "wecom", "LiLaoBan", "李老板", CLOCK)
    row = OutboxMessage(dedup_key="k", kind="order.approved", category=Category.ORDER, user_id=user_id)
    now = CLOCK.now()
    await uow.dialogs.add(DialogState(channel="telegram", chat_id="1001", updated_at=now - timedelta(hours=2)))
    await uow.dialogs.add(DialogState(channel="wecom", chat_id="LiLaoBan", updated_at=now - timedelta(hours=1),
                                      language="en"))
    await uow.commit()
    both = frozenset({"telegram", "wecom"})
    async with uow:
        last = await resolve_recipient(uow, row, both)
        only_telegram = await resolve_recipient(uow, row, frozenset({"telegram"}))
    assert last is not None and (last.channel, last.chat_id, last.language) == ("wecom", "LiLaoBan", "en")
    assert only_telegram is not None and only_telegram.channel == "telegram"
    await uow.preferences.add(NotificationPreference(user_id=user_id, channel="telegram"))
    await uow.commit()
    async with uow:
        chosen = await resolve_recipient(uow, row, both)
    assert chosen is not None and (chosen.channel, chosen.chat_id) == ("telegram", "1001")
