"""Users, invite codes, chat identity binding and API keys."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from core.clock import Clock
from core.dealers import Contact, Dealer, DealerStatus
from core.errors import BusinessRuleViolation, Conflict, NotFound, PermissionDenied, ValidationFailed
from core.services import users as svc
from core.users import Actor, ActorKind, InviteKind, Role, User
from tests.factories import dealer_user, fixed_clock, make_prospect, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
LATER = fixed_clock("2026-11-29 10:01")      # 72 h and a minute later
ADMIN = Actor(kind=ActorKind.STAFF, user_id=10_000, name="root", role=Role.ADMIN)   # not a stored user
MANAGER = staff(Role.CHANNEL_MANAGER, "wang")


async def _dealers(uow: FakeUnitOfWork, *dealers: Dealer) -> list[Dealer]:
    for d in dealers:
        await uow.dealers.add(d)
    await uow.commit()
    return list(dealers)


async def _user(uow: FakeUnitOfWork, user_id: int) -> User:
    user = await uow.users.get(user_id)
    assert user is not None
    return user


# --- users ---------------------------------------------------------------------------------------------

async def test_create_staff_user() -> None:
    uow = FakeUnitOfWork()
    user = await svc.create_staff_user(uow, ADMIN, svc.CreateStaffUser(
        " Zhang.San ", "张三", Role.ORDER_DESK, phone="13900001111", password_hash="$argon2id$v=19$..."), CLOCK)
    assert (user.username, user.role, user.dealer_id, user.phone) == ("zhang.san", Role.ORDER_DESK, None,
                                                                      "13900001111")
    entry = uow.audit.rows[0]
    assert entry.action == "user.create" and entry.actor == "staff:root"
    assert "password_hash" not in entry.after and entry.after["has_password"] is True
    assert entry.after["phone"] == "139****1111"
    with pytest.raises(Conflict):
        await svc.create_staff_user(uow, ADMIN, svc.CreateStaffUser("zhang.san", "张三", Role.FINANCE), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.create_staff_user(uow, ADMIN, svc.CreateStaffUser("li", "李", Role.DEALER_OWNER), CLOCK)
    with pytest.raises(ValidationFailed, match="username"):
        await svc.create_staff_user(uow, ADMIN, svc.CreateStaffUser("张三", "张三", Role.FINANCE), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.create_staff_user(uow, MANAGER, svc.CreateStaffUser("li", "李", Role.FINANCE), CLOCK)
    assert len(uow.users.rows) == 1


async def test_create_dealer_user() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect())
    user = await svc.create_dealer_user(uow, MANAGER, svc.CreateDealerUser(dealer.id or 0, "hx-li", "李老板",
                                                                            Role.DEALER_OWNER), CLOCK)
    assert (user.dealer_id, user.role, user.to_actor().kind) == (dealer.id, Role.DEALER_OWNER, ActorKind.DEALER)
    with pytest.raises(ValidationFailed):
        await svc.create_dealer_user(uow, MANAGER, svc.CreateDealerUser(dealer.id or 0, "x1", "X", Role.ADMIN), CLOCK)
    with pytest.raises(NotFound):
        await svc.create_dealer_user(uow, MANAGER, svc.CreateDealerUser(99, "x2", "X"), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.create_dealer_user(uow, dealer_user(dealer.id or 0), svc.CreateDealerUser(dealer.id or 0, "x3", "X"),
                                     CLOCK)


async def test_deactivated_users_resolve_to_nobody() -> None:
    uow = FakeUnitOfWork()
    user = await svc.create_staff_user(uow, ADMIN, svc.CreateStaffUser("desk1", "小刘", Role.ORDER_DESK), CLOCK)
    await svc.create_staff_user(uow, ADMIN, svc.CreateStaffUser("root", "管理员", Role.ADMIN), CLOCK)
    invite = await svc.create_invite(uow, ADMIN, InviteKind.STAFF, ("desk1", Role.ORDER_DESK), CLOCK)
    await svc.redeem_invite(uow, invite.code, "telegram", "555", "小刘", CLOCK)
    actor = await svc.resolve_identity(uow, "telegram", "555")
    assert actor is not None and (actor.name, actor.role, actor.user_id) == ("desk1", Role.ORDER_DESK, user.id)
    root = (await svc.list_users(uow, ADMIN))[1].to_actor()
    with pytest.raises(BusinessRuleViolation):
        await svc.deactivate_user(uow, root, root.user_id or 0, CLOCK)
    await svc.deactivate_user(uow, ADMIN, user.id or 0, CLOCK)
    assert await svc.resolve_identity(uow, "telegram", "555") is None
    assert await svc.resolve_identity(uow, "telegram", "nobody") is None
    assert uow.audit.rows[-1].action == "user.deactivate"


# --- invites -------------------------------------------------------------------------------------------

async def test_dealer_invite_code_shape_and_default_roles() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect(code="D0001"))
    invite = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "d0001", CLOCK, ttl_hours=48)
    assert len(invite.code) == 8 and set(invite.code) <= set(svc.INVITE_ALPHABET)
    assert not set(invite.code) & set("01OIL")
    assert (invite.dealer_id, invite.role, invite.expires_at) == (dealer.id, Role.DEALER_OWNER,
                                                                  CLOCK.now() + timedelta(hours=48))
    entry = uow.audit.rows[-1]
    assert entry.action == "invite.create" and entry.after["code"] == invite.code[:2] + "******"
    await svc.redeem_invite(uow, invite.code, "telegram", "1001", "李老板", CLOCK)
    second = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK)
    assert second.role == Role.DEALER_CLERK and second.code != invite.code
    explicit = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK, role=Role.DEALER_OWNER)
    assert explicit.role == Role.DEALER_OWNER


async def test_invite_creation_is_checked() -> None:
    uow = FakeUnitOfWork()
    await _dealers(uow, make_prospect(code="D0001"), make_prospect(code="D0009", status=DealerStatus.TERMINATED))
    with pytest.raises(NotFound):
        await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0404", CLOCK)
    with pytest.raises(BusinessRuleViolation, match="terminated"):
        await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0009", CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK, ttl_hours=0)
    with pytest.raises(ValidationFailed):
        await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        await svc.create_invite(uow, MANAGER, InviteKind.STAFF, ("qian", Role.FINANCE), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.create_invite(uow, dealer_user(1), InviteKind.DEALER, "D0001", CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.create_invite(uow, ADMIN, InviteKind.STAFF, "qian", CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.create_invite(uow, ADMIN, InviteKind.STAFF, ("qian", Role.DEALER_CLERK), CLOCK)
    assert uow.invites.rows == []


async def test_redeeming_a_dealer_invite_creates_and_binds_a_user() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect(code="D0007"))
    invite = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0007", CLOCK)
    typed = invite.code[:4].lower() + "-" + invite.code[4:].lower()
    user = await svc.redeem_invite(uow, f" {typed} ", "wecom", "lisi", "李四", CLOCK)
    assert (user.username, user.display_name, user.role, user.dealer_id) == ("d0007-1", "李四", Role.DEALER_OWNER,
                                                                             dealer.id)
    [identity] = uow.identities.rows
    assert (identity.channel, identity.external_id, identity.user_id, identity.bound_at) == (
        "wecom", "lisi", user.id, CLOCK.now())
    stored = uow.invites.rows[0]
    assert (stored.used_at, stored.used_by_user_id) == (CLOCK.now(), user.id)
    actor = await svc.resolve_identity(uow, "wecom", "lisi")
    assert actor == Actor(kind=ActorKind.DEALER, user_id=user.id, name="d0007-1", role=Role.DEALER_OWNER,
                          dealer_id=dealer.id)
    assert uow.audit.rows[-1].action == "invite.redeem" and uow.audit.rows[-1].actor == f"dealer:{dealer.id}:d0007-1"


async def test_used_expired_and_unknown_codes_are_refused_in_both_languages() -> None:
    uow = FakeUnitOfWork()
    await _dealers(uow, make_prospect(code="D0001"))
    used = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK)
    await svc.redeem_invite(uow, used.code, "telegram", "1", "甲", CLOCK)
    with pytest.raises(Conflict) as exc:
        await svc.redeem_invite(uow, used.code, "telegram", "2", "乙", CLOCK)
    assert "已被使用" in exc.value.message("zh") and "already been used" in exc.value.message("en")
    stale = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK)
    with pytest.raises(BusinessRuleViolation) as exc2:
        await svc.redeem_invite(uow, stale.code, "telegram", "3", "丙", LATER)
    assert "已过期" in exc2.value.message("zh") and "expired" in exc2.value.message("en")
    with pytest.raises(NotFound) as exc3:
        await svc.redeem_invite(uow, "ZZZZZZZZ", "telegram", "4", "丁", CLOCK)
    assert "邀请码无效" in exc3.value.message("zh") and "not valid" in exc3.value.message("en")
    with pytest.raises(ValidationFailed):
        await svc.redeem_invite(uow, stale.code, "fax", "5", "戊", CLOCK)
    assert len(uow.users.rows) == 1 and len(uow.identities.rows) == 1


async def test_one_chat_account_binds_to_one_user() -> None:
    uow = FakeUnitOfWork()
    await _dealers(uow, make_prospect(code="D0001"))
    first = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK)
    await svc.redeem_invite(uow, first.code, "telegram", "42", "甲", CLOCK)
    second = await svc.create_invite(uow, MANAGER, InviteKind.DEALER, "D0001", CLOCK)
    with pytest.raises(Conflict, match="already bound"):
        await svc.redeem_invite(uow, second.code, "telegram", "42", "甲", CLOCK)
    assert uow.invites.rows[1].used_at is None          # nothing was spent
    assert len(uow.users.rows) == 1
    # the same id on another channel is another account
    other = await svc.redeem_invite(uow, second.code, "wecom", "42", "甲", CLOCK)
    assert other.username == "d0001-2"


async def test_staff_invite_binds_an_existing_user_or_creates_one() -> None:
    uow = FakeUnitOfWork()
    existing = await svc.create_staff_user(uow, ADMIN, svc.CreateStaffUser("qian", "钱会计", Role.FINANCE), CLOCK)
    with pytest.raises(Conflict, match="role"):
        await svc.create_invite(uow, ADMIN, InviteKind.STAFF, ("qian", Role.ORDER_DESK), CLOCK)
    invite = await svc.create_invite(uow, ADMIN, InviteKind.STAFF, ("Qian", Role.FINANCE), CLOCK)
    bound = await svc.redeem_invite(uow, invite.code, "telegram", "77", "钱", CLOCK)
    assert bound.id == existing.id and len(uow.users.rows) == 1
    again = await svc.create_invite(uow, ADMIN, InviteKind.STAFF, ("qian", Role.FINANCE), CLOCK)
    await svc.redeem_invite(uow, again.code, "telegram", "77", "钱", CLOCK)   # same account, same user: fine
    assert len(uow.identities.rows) == 1
    fresh = await svc.create_invite(uow, ADMIN, InviteKind.STAFF, ("sun", Role.QUALITY), CLOCK)
    created = await svc.redeem_invite(uow, fresh.code, "wecom", "sun01", "孙工", CLOCK)
    assert (created.username, created.role, created.dealer_id, created.display_name) == ("sun", Role.QUALITY, None,
                                                                                         "孙工")


# --- binding by phone ----------------------------------------------------------------------------------

async def test_bind_by_phone_matches_a_dealer_contact() -> None:
    uow = FakeUnitOfWork()
    boss = make_prospect(code="D0001", contacts=[Contact("李老板", "138-0013-8000", "老板"),
                                                 Contact("小王", "13900002222", "采购")])
    gone = make_prospect(code="D0002", status=DealerStatus.TERMINATED, contacts=[Contact("赵", "13700003333")])
    await _dealers(uow, boss, gone)
    owner = await svc.bind_by_phone(uow, "telegram", "9001", "+86 13800138000", "Li", CLOCK)
    assert owner is not None
    assert (owner.role, owner.dealer_id, owner.display_name, owner.phone) == (Role.DEALER_OWNER, boss.id, "李老板",
                                                                              "13800138000")
    clerk = await svc.bind_by_phone(uow, "telegram", "9002", "13900002222", "Wang", CLOCK)
    assert clerk is not None and clerk.role == Role.DEALER_CLERK
    assert await svc.bind_by_phone(uow, "telegram", "9003", "13700003333", "Zhao", CLOCK) is None
    assert await svc.bind_by_phone(uow, "telegram", "9004", "13600000000", "?", CLOCK) is None
    # the same person on another channel reaches the same user
    again = await svc.bind_by_phone(uow, "wecom", "li", "13800138000", "Li", CLOCK)
    assert again is not None and again.id == owner.id
    # an account already bound just returns its user
    same = await svc.bind_by_phone(uow, "telegram", "9001", "13900002222", "Li", CLOCK)
    assert same is not None and same.id == owner.id
    assert len(uow.users.rows) == 2 and len(uow.identities.rows) == 3
    actor = await svc.resolve_identity(uow, "wecom", "li")
    assert actor is not None and actor.dealer_id == boss.id
    assert uow.audit.rows[-1].action == "identity.bind_by_phone"
    await svc.deactivate_user(uow, ADMIN, owner.id or 0, CLOCK)
    with pytest.raises(BusinessRuleViolation, match="disabled"):
        await svc.bind_by_phone(uow, "telegram", "9001", "13800138000", "Li", CLOCK)
    with pytest.raises(BusinessRuleViolation, match="disabled"):          # a new account of a disabled user
        await svc.bind_by_phone(uow, "console", "li", "13800138000", "Li", CLOCK)


async def test_bind_by_phone_refuses_a_phone_listed_by_two_dealers() -> None:
    uow = FakeUnitOfWork()
    await _dealers(uow, make_prospect(contacts=[Contact("甲", "13800138000")]),
                   make_prospect(contacts=[Contact("乙", "13800138000", "owner")]))
    with pytest.raises(Conflict) as exc:
        await svc.bind_by_phone(uow, "telegram", "1", "13800138000", "x", CLOCK)
    assert "邀请码" in exc.value.message("zh")
    assert uow.users.rows == []


# --- API keys ------------------------------------------------------------------------------------------

async def test_api_key_lifecycle() -> None:
    uow = FakeUnitOfWork()
    key, plaintext = await svc.create_api_key(uow, ADMIN, "erp", ["orders:read", "products:read", "orders:read"],
                                              clock=CLOCK)
    assert plaintext.startswith("dms_") and len(plaintext) > 40
    assert key.prefix == plaintext[:12]
    assert key.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert key.scopes == ["orders:read", "products:read"]
    assert plaintext not in repr(uow.api_keys.rows) and plaintext not in repr(uow.audit.rows)
    assert "key_hash" not in uow.audit.rows[0].after

    actor = await svc.authenticate_api_key(uow, plaintext, LATER)
    assert actor == Actor(kind=ActorKind.API, name="erp", scopes=frozenset({"orders:read", "products:read"}))
    assert uow.api_keys.rows[0].last_used_at == LATER.now()
    # kept to the minute: a client's requests do not all write (and queue on) the key's row
    commits = uow.commits
    soon = Clock.fixed(LATER.now() + timedelta(seconds=59))
    minute = Clock.fixed(LATER.now() + timedelta(minutes=1))
    assert await svc.authenticate_api_key(uow, plaintext, soon) == actor
    assert uow.api_keys.rows[0].last_used_at == LATER.now() and uow.commits == commits
    assert await svc.authenticate_api_key(uow, plaintext, minute) == actor
    assert uow.api_keys.rows[0].last_used_at == minute.now() and uow.commits == commits + 1

    assert await svc.authenticate_api_key(uow, plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B"), CLOCK) is None
    assert await svc.authenticate_api_key(uow, "Bearer " + plaintext, CLOCK) is None
    assert await svc.authenticate_api_key(uow, "dms_", CLOCK) is None

    await svc.revoke_api_key(uow, ADMIN, key.id or 0, CLOCK)
    assert await svc.authenticate_api_key(uow, plaintext, CLOCK) is None
    with pytest.raises(Conflict):
        await svc.revoke_api_key(uow, ADMIN, key.id or 0, CLOCK)
    assert [e.action for e in uow.audit.rows] == ["api_key.create", "api_key.revoke"]


async def test_api_key_creation_is_checked() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect())
    with pytest.raises(ValidationFailed, match="scopes"):
        await svc.create_api_key(uow, ADMIN, "crm", ["orders:delete"], clock=CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.create_api_key(uow, ADMIN, "crm", [], clock=CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.create_api_key(uow, MANAGER, "crm", ["orders:read"], clock=CLOCK)
    with pytest.raises(NotFound):
        await svc.create_api_key(uow, ADMIN, "crm", ["orders:read"], dealer_id=99, clock=CLOCK)
    key, plaintext = await svc.create_api_key(uow, ADMIN, "crm", ["stock:read"], dealer_id=dealer.id, clock=CLOCK)
    with pytest.raises(Conflict):
        await svc.create_api_key(uow, ADMIN, "crm", ["stock:read"], clock=CLOCK)
    actor = await svc.authenticate_api_key(uow, plaintext, CLOCK)
    assert actor is not None and actor.dealer_id == dealer.id
    assert [k.name for k in await svc.list_api_keys(uow, ADMIN)] == ["crm"]
