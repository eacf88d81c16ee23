"""User use cases: staff and dealer users, invite codes, chat identity binding, API keys.

How a chat account becomes a user:

- ``dms invite`` prints a one-time code (``create_invite``); the person sends it to the bot and
  ``redeem_invite`` binds their chat account to a new or existing user.
- A dealer contact shares their phone number in the chat; ``bind_by_phone`` matches it against the
  dealers' registered contacts and creates a dealer user for that contact's dealer. The adapter must
  pass only a phone number the channel has verified as the sender's own (Telegram: a shared contact
  whose ``user_id`` is the sender).

Password hashing is not done here: admin/ hashes with argon2 and core only stores the string.
API keys: only a SHA-256 of the secret is stored, with its first 12 characters as a visible prefix.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.auditing import record, snapshot
from core.authz import require
from core.clock import Clock
from core.dealers import Dealer, DealerStatus, normalize_phone
from core.errors import BusinessRuleViolation, Conflict, NotFound, PermissionDenied, ValidationFailed
from core.ports import AbstractUnitOfWork
from core.services.dealers import dealer_not_found
from core.users import API_SCOPES, Actor, ApiKey, ChatIdentity, InviteCode, InviteKind, Permission, Role, User

CHANNELS = ("telegram", "wecom", "console", "web")
INVITE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: codes are read off a screen and typed on a phone."""
INVITE_LENGTH = 8
DEFAULT_INVITE_TTL_HOURS = 72
MAX_INVITE_TTL_HOURS = 24 * 30
API_KEY_PREFIX = "dms_"
API_KEY_PREFIX_LENGTH = 12
OWNER_CONTACT_ROLES = ("老板", "owner")

_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
_DEALER_ROLES = (Role.DEALER_OWNER, Role.DEALER_CLERK)


@dataclass(frozen=True)
class CreateStaffUser:
    username: str
    display_name: str
    role: Role
    phone: str | None = None
    password_hash: str | None = None    # argon2 hash made by admin/; None: no admin-web login
    language: str = "zh-CN"


@dataclass(frozen=True)
class CreateDealerUser:
    dealer_id: int
    username: str
    display_name: str
    role: Role = Role.DEALER_CLERK
    phone: str | None = None
    language: str = "zh-CN"


# --- shared checks -------------------------------------------------------------------------------------

def _user_not_found(ref: object) -> NotFound:
    return NotFound(zh=f"未找到用户：{ref}", en=f"User not found: {ref}", what=f"user {ref}")


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME_RE.match(name):
        raise ValidationFailed(zh="输入有误：用户名须为2-32位小写字母、数字或 _ . -",
                               en="Invalid input: a username has 2-32 lower-case letters, digits, _ . or -",
                               reason="bad username")
    return name


def _check_display_name(display_name: str) -> str:
    name = display_name.strip()
    if not name:
        raise ValidationFailed(zh="输入有误：姓名不能为空", en="Invalid input: the name is required",
                               reason="name required")
    return name[:64]


def _check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise ValidationFailed(zh=f"输入有误：未知渠道 {channel}", en=f"Invalid input: unknown channel {channel}",
                               reason="bad channel")
    return channel


async def _unique_username(uow: AbstractUnitOfWork, username: str) -> None:
    if await uow.users.get_by(username=username) is not None:
        raise Conflict(zh=f"操作冲突：用户名 {username} 已存在", en=f"Conflict: username {username} is taken",
                       reason="duplicate username")


async def _free_dealer_username(uow: AbstractUnitOfWork, dealer: Dealer) -> str:
    """``d0001-1``, ``d0001-2`` ...: readable, unique, and tells staff whose user it is."""
    base = dealer.code.lower()
    n = await uow.users.count(dealer_id=dealer.id) + 1
    while await uow.users.get_by(username=f"{base}-{n}") is not None:
        n += 1
    return f"{base}-{n}"


def user_snapshot(user: User) -> dict[str, Any]:
    """Audit snapshot without the password hash and with the phone masked."""
    data = snapshot(user)
    data.pop("password_hash", None)
    data["has_password"] = user.password_hash is not None
    if user.phone:
        data["phone"] = user.phone[:3] + "****" + user.phone[-4:] if len(user.phone) >= 8 else "****"
    return data


def _require_dealer_user_manager(actor: Actor) -> None:
    """Admins (USER_MANAGE) and channel managers onboarding dealers (DEALER_WRITE)."""
    if not ({Permission.USER_MANAGE, Permission.DEALER_WRITE} & actor.permissions):
        raise PermissionDenied()


def _dealer_open(dealer: Dealer) -> None:
    if dealer.status == DealerStatus.TERMINATED:
        raise BusinessRuleViolation(zh=f"不符合业务规则：经销商 {dealer.code} 已终止合作",
                                    en=f"Not allowed by business rules: dealer {dealer.code} is terminated",
                                    reason="dealer terminated")


# --- users ---------------------------------------------------------------------------------------------

async def create_staff_user(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateStaffUser, clock: Clock) -> User:
    require(actor, Permission.USER_MANAGE)
    if not cmd.role.is_staff:
        raise ValidationFailed(zh="输入有误：员工账号不能使用经销商角色",
                               en="Invalid input: a staff user needs a staff role", reason="dealer role for staff")
    username = _check_username(cmd.username)
    phone = normalize_phone(cmd.phone) if cmd.phone else None
    async with uow:
        await _unique_username(uow, username)
        user = User(username=username, display_name=_check_display_name(cmd.display_name), role=cmd.role,
                    phone=phone, password_hash=cmd.password_hash, language=cmd.language, created_at=clock.now())
        await uow.users.add(user)
        await uow.flush()
        await record(uow, actor, "user.create", "user", user.username, clock, after=user_snapshot(user))
        await uow.commit()
        return user


async def create_dealer_user(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateDealerUser, clock: Clock) -> User:
    _require_dealer_user_manager(actor)
    if cmd.role not in _DEALER_ROLES:
        raise ValidationFailed(zh="输入有误：经销商账号的角色须为老板或店员",
                               en="Invalid input: a dealer user is an owner or a clerk", reason="staff role for dealer")
    username = _check_username(cmd.username)
    phone = normalize_phone(cmd.phone) if cmd.phone else None
    async with uow:
        dealer = await uow.dealers.get(cmd.dealer_id)
        if dealer is None:
            raise dealer_not_found(cmd.dealer_id)
        _dealer_open(dealer)
        await _unique_username(uow, username)
        user = User(username=username, display_name=_check_display_name(cmd.display_name), role=cmd.role,
                    dealer_id=dealer.id, phone=phone, language=cmd.language, created_at=clock.now())
        await uow.users.add(user)
        await uow.flush()
        await record(uow, actor, "user.create", "user", user.username, clock, after=user_snapshot(user))
        await uow.commit()
        return user


async def deactivate_user(uow: AbstractUnitOfWork, actor: Actor, user_id: int, clock: Clock) -> User:
    """The user can no longer act: ``resolve_identity`` returns None for all of their chat accounts."""
    require(actor, Permission.USER_MANAGE)
    async with uow:
        user = await uow.users.get(user_id, for_update=True)
        if user is None:
            raise _user_not_found(user_id)
        if actor.user_id is not None and actor.user_id == user.id:
            raise BusinessRuleViolation(zh="不符合业务规则：不能停用自己的账号",
                                        en="Not allowed by business rules: you cannot deactivate yourself",
                                        reason="self deactivation")
        if user.active:
            before = user_snapshot(user)
            user.active = False
            await record(uow, actor, "user.deactivate", "user", user.username, clock,
                         before=before, after=user_snapshot(user))
            await uow.commit()
        return user


async def list_users(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int | None = None) -> list[User]:
    _require_dealer_user_manager(actor)
    async with uow:
        if dealer_id is None:
            return await uow.users.list(order_by="username")
        return await uow.users.list(dealer_id=dealer_id, order_by="username")


# --- invites -------------------------------------------------------------------------------------------

def normalize_invite_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


async def create_invite(uow: AbstractUnitOfWork, actor: Actor, kind: InviteKind, target: str | tuple[str, Role],
                        clock: Clock, ttl_hours: int = DEFAULT_INVITE_TTL_HOURS,
                        *, role: Role | None = None, username: str | None = None) -> InviteCode:
    """A one-time code valid for ``ttl_hours``.

    ``kind`` DEALER: ``target`` is the dealer code; the redeemer becomes a new user of that dealer with
    ``role`` (default: owner when the dealer has no owner user yet, else clerk). With ``username`` (an
    active user of that dealer) the redeemer binds to that existing user instead: the same person on a
    second channel (WeCom next to Telegram). Needs USER_MANAGE or DEALER_WRITE.
    ``kind`` STAFF: ``target`` is ``(username, role)``; the redeemer binds to that user, created on
    redemption when it does not exist. Needs USER_MANAGE.
    """
    if not 1 <= ttl_hours <= MAX_INVITE_TTL_HOURS:
        raise ValidationFailed(zh=f"输入有误：有效期须在1到{MAX_INVITE_TTL_HOURS}小时之间",
                               en=f"Invalid input: validity must be 1 to {MAX_INVITE_TTL_HOURS} hours",
                               reason="bad ttl")
    now = clock.now()
    invite = InviteCode(code="", kind=kind, expires_at=now + timedelta(hours=ttl_hours), created_at=now)
    async with uow:
        if kind == InviteKind.STAFF:
            require(actor, Permission.USER_MANAGE)
            if not isinstance(target, tuple):
                raise ValidationFailed(zh="输入有误：员工邀请需要用户名和角色",
                                       en="Invalid input: a staff invite needs a username and a role",
                                       reason="staff target")
            username, staff_role = target
            if not staff_role.is_staff:
                raise ValidationFailed(zh="输入有误：员工邀请不能使用经销商角色",
                                       en="Invalid input: a staff invite needs a staff role", reason="dealer role")
            invite.username = _check_username(username)
            existing = await uow.users.get_by(username=invite.username)
            if existing is not None and existing.role != staff_role:
                raise Conflict(zh=f"操作冲突：用户 {existing.username} 已存在，角色为 {existing.role.value}",
                               en=f"Conflict: user {existing.username} exists with role {existing.role.value}",
                               reason="role mismatch")
            invite.role = staff_role
        else:
            _require_dealer_user_manager(actor)
            if not isinstance(target, str):
                raise ValidationFailed(zh="输入有误：经销商邀请需要经销商编码",
                                       en="Invalid input: a dealer invite needs a dealer code", reason="dealer target")
            dealer = await uow.dealers.get_by(code=target.strip().upper())
            if dealer is None:
                raise dealer_not_found(target)
            _dealer_open(dealer)
            if username is not None:
                existing_user = await uow.users.get_by(username=_check_username(username))
                if existing_user is None or existing_user.dealer_id != dealer.id or not existing_user.active:
                    raise _user_not_found(username)
                if role is not None and role != existing_user.role:
                    raise Conflict(zh=f"操作冲突：用户 {existing_user.username} 的角色为 {existing_user.role.value}",
                                   en=f"Conflict: user {existing_user.username} has role {existing_user.role.value}",
                                   reason="role mismatch")
                invite.username = existing_user.username
                role = existing_user.role
            if role is None:
                has_owner = await uow.users.count(dealer_id=dealer.id, role=Role.DEALER_OWNER, active=True)
                role = Role.DEALER_CLERK if has_owner else Role.DEALER_OWNER
            if role not in _DEALER_ROLES:
                raise ValidationFailed(zh="输入有误：经销商邀请的角色须为老板或店员",
                                       en="Invalid input: a dealer invite is for an owner or a clerk",
                                       reason="staff role")
            invite.dealer_id = dealer.id
            invite.role = role
        for _ in range(20):
            code = _new_invite_code()
            if await uow.invites.get_by(code=code) is None:
                break
        else:  # pragma: no cover - 31^8 codes; twenty collisions in a row means a broken random source
            raise Conflict(zh="操作冲突：请重试", en="Conflict: please try again", reason="code collision")
        invite.code = code
        await uow.invites.add(invite)
        await uow.flush()
        after = snapshot(invite)
        after["code"] = code[:2] + "******"     # the audit log is no place to read live codes from
        await record(uow, actor, "invite.create", "invite", invite.id, clock, after=after)
        await uow.commit()
        return invite


async def _check_identity_free(uow: AbstractUnitOfWork, channel: str, external_id: str,
                               user_id: int | None) -> ChatIdentity | None:
    """The identity already bound to ``user_id`` (nothing to do), None when free; Conflict otherwise."""
    existing = await uow.identities.get_by(channel=channel, external_id=external_id)
    if existing is None:
        return None
    if user_id is not None and existing.user_id == user_id:
        return existing
    raise Conflict(zh="操作冲突：此聊天账号已绑定其他用户，如需更换请联系管理员",
                   en="Conflict: this chat account is already bound to another user; ask an administrator",
                   reason="identity bound")


async def redeem_invite(uow: AbstractUnitOfWork, code: str, channel: str, external_id: str, display_name: str,
                        clock: Clock) -> User:
    """Bind the chat account ``(channel, external_id)`` to the invite's user (created when new)."""
    channel = _check_channel(channel)
    external_id = external_id.strip()
    if not external_id:
        raise ValidationFailed(zh="输入有误：缺少聊天账号", en="Invalid input: no chat account id", reason="no id")
    now = clock.now()
    async with uow:
        invite = await uow.invites.get_by(code=normalize_invite_code(code), for_update=True)
        if invite is None:
            raise NotFound(zh="邀请码无效，请核对后重新输入", en="This invite code is not valid; please check it",
                           what="invite code")
        if invite.used_at is not None:
            raise Conflict(zh="操作冲突：此邀请码已被使用，请联系管理员重新生成",
                           en="Conflict: this invite code has already been used; ask for a new one",
                           reason="invite used")
        if invite.expires_at <= now:
            raise BusinessRuleViolation(zh="邀请码已过期，请联系管理员重新生成",
                                        en="This invite code has expired; ask for a new one", reason="invite expired")
        user: User | None = None
        if invite.username is not None:       # staff invites, and dealer invites for an existing user
            user = await uow.users.get_by(username=invite.username)
            if invite.kind == InviteKind.DEALER and (user is None or user.dealer_id != invite.dealer_id):
                raise _user_not_found(invite.username)
            if user is not None and not user.active:
                raise BusinessRuleViolation(zh="账号已停用，请联系管理员", en="This account is disabled; ask an "
                                            "administrator", reason="user inactive")
        bound = await _check_identity_free(uow, channel, external_id, user.id if user is not None else None)
        if user is None:
            if invite.kind == InviteKind.STAFF:
                assert invite.username is not None and invite.role is not None
                user = User(username=invite.username, display_name=_check_display_name(display_name),
                            role=invite.role, created_at=now)
            else:
                dealer = await uow.dealers.get(invite.dealer_id) if invite.dealer_id is not None else None
                if dealer is None:
                    raise dealer_not_found(invite.dealer_id)
                _dealer_open(dealer)
                user = User(username=await _free_dealer_username(uow, dealer),
                            display_name=_check_display_name(display_name),
                            role=invite.role or Role.DEALER_CLERK, dealer_id=dealer.id, created_at=now)
            await uow.users.add(user)
            await uow.flush()
        assert user.id is not None
        if bound is None:
            await uow.identities.add(ChatIdentity(channel=channel, external_id=external_id, user_id=user.id,
                                                  bound_at=now))
        invite.used_at = now
        invite.used_by_user_id = user.id
        await record(uow, user.to_actor(), "invite.redeem", "user", user.username, clock,
                     after=user_snapshot(user) | {"channel": channel, "invite_id": invite.id})
        await uow.commit()
        return user


def _is_owner_contact(contact_role: str) -> bool:
    text = contact_role.strip().lower()
    return any(word in text for word in OWNER_CONTACT_ROLES)


def _same_phone(stored: str | None, phone: str) -> bool:
    if not stored:
        return False
    try:
        return normalize_phone(stored) == phone
    except ValidationFailed:
        return False


async def bind_by_phone(uow: AbstractUnitOfWork, channel: str, external_id: str, phone: str, display_name: str,
                        clock: Clock) -> User | None:
    """Bind a chat account by a verified phone number that matches a dealer contact.

    Returns the bound user, or None when no dealer (other than terminated ones) lists this phone.
    An existing user of that dealer with the same phone is reused; otherwise a dealer user is created,
    as owner when the contact's role says 老板/owner, else as clerk. A chat account already bound
    returns its user unchanged (BusinessRuleViolation if that user is deactivated). A phone listed by several dealers is refused (use an invite code).
    """
    channel = _check_channel(channel)
    phone = normalize_phone(phone)
    now = clock.now()
    async with uow:
        bound = await uow.identities.get_by(channel=channel, external_id=external_id)
        if bound is not None:
            bound_user = await uow.users.get(bound.user_id)
            if bound_user is not None and not bound_user.active:
                raise BusinessRuleViolation(zh="账号已停用，请联系管理员", en="This account is disabled; ask an "
                                            "administrator", reason="user inactive")
            return bound_user
        open_statuses = [s for s in DealerStatus if s != DealerStatus.TERMINATED]
        # Phones are encrypted at rest, so they cannot be matched in SQL: scan the contacts.
        matches = [(dealer, contact) for dealer in await uow.dealers.list(status__in=open_statuses)
                   for contact in dealer.contacts if _same_phone(contact.phone, phone)]
        if not matches:
            return None
        if len({dealer.id for dealer, _ in matches}) > 1:
            raise Conflict(zh="操作冲突：该手机号登记在多个经销商下，请使用邀请码绑定",
                           en="Conflict: this phone number is registered with several dealers; use an invite code",
                           reason="ambiguous phone")
        matches.sort(key=lambda m: not _is_owner_contact(m[1].role))
        dealer, contact = matches[0]
        role = Role.DEALER_OWNER if _is_owner_contact(contact.role) else Role.DEALER_CLERK
        user = next((u for u in await uow.users.list(dealer_id=dealer.id) if _same_phone(u.phone, phone)), None)
        created = user is None
        if user is None:
            user = User(username=await _free_dealer_username(uow, dealer),
                        display_name=contact.name.strip() or _check_display_name(display_name),
                        role=role, dealer_id=dealer.id, phone=phone, created_at=now)
            await uow.users.add(user)
            await uow.flush()
        elif not user.active:
            raise BusinessRuleViolation(zh="账号已停用，请联系管理员", en="This account is disabled; ask an "
                                        "administrator", reason="user inactive")
        assert user.id is not None
        await uow.identities.add(ChatIdentity(channel=channel, external_id=external_id, user_id=user.id,
                                              bound_at=now))
        await record(uow, user.to_actor(), "identity.bind_by_phone", "user", user.username, clock,
                     after=user_snapshot(user) | {"channel": channel, "created": created})
        await uow.commit()
        return user


async def resolve_identity(uow: AbstractUnitOfWork, channel: str, external_id: str) -> Actor | None:
    """The actor behind a chat account; None when unbound or the user is deactivated."""
    async with uow:
        return await identity_actor(uow, channel, external_id)


async def identity_actor(uow: AbstractUnitOfWork, channel: str, external_id: str) -> Actor | None:
    """``resolve_identity`` inside the caller's open unit of work (the chat reads it with the dialog state)."""
    user = await uow.user_by_identity(channel, external_id)
    if user is None or not user.active:
        return None
    return user.to_actor()


# --- API keys ------------------------------------------------------------------------------------------

def _key_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def _check_scopes(scopes: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(s.strip() for s in scopes))
    unknown = [s for s in cleaned if s not in API_SCOPES]
    if not cleaned or unknown:
        raise ValidationFailed(zh=f"输入有误：未知或缺少权限范围 {', '.join(unknown)}；可选：{', '.join(API_SCOPES)}",
                               en=f"Invalid input: unknown or missing scopes {', '.join(unknown)}; "
                                  f"choose from {', '.join(API_SCOPES)}", reason="bad scopes")
    return cleaned


def _api_key_snapshot(key: ApiKey) -> dict[str, Any]:
    data = snapshot(key)
    data.pop("key_hash", None)
    return data


async def create_api_key(uow: AbstractUnitOfWork, actor: Actor, name: str, scopes: Sequence[str],
                         dealer_id: int | None = None, *, clock: Clock | None = None) -> tuple[ApiKey, str]:
    """A new key and its plaintext ``dms_...``, shown once; only its SHA-256 is stored."""
    require(actor, Permission.USER_MANAGE)
    clock = clock or Clock()
    name = name.strip()
    if not name or len(name) > 64:
        raise ValidationFailed(zh="输入有误：密钥名称须为1-64个字符", en="Invalid input: a key name has 1-64 characters",
                               reason="bad name")
    checked_scopes = _check_scopes(scopes)
    async with uow:
        if dealer_id is not None and await uow.dealers.get(dealer_id) is None:
            raise dealer_not_found(dealer_id)
        if await uow.api_keys.count(name=name, revoked_at=None):
            raise Conflict(zh=f"操作冲突：已有名为 {name} 的有效密钥", en=f"Conflict: an active key named {name} exists",
                           reason="duplicate key name")
        plaintext = API_KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(name=name, prefix=plaintext[:API_KEY_PREFIX_LENGTH], key_hash=_key_hash(plaintext),
                     scopes=checked_scopes, dealer_id=dealer_id, created_at=clock.now())
        await uow.api_keys.add(key)
        await uow.flush()
        await record(uow, actor, "api_key.create", "api_key", key.id, clock, after=_api_key_snapshot(key))
        await uow.commit()
        return key, plaintext


API_KEY_USE_EVERY = timedelta(minutes=1)
"""How fresh a key's ``last_used_at`` is kept: written when older than this, not at every request. Every request
of a client wrote the same row, so a client's concurrent requests queued on its lock (bench/load.py: API calls
waited 2.4 s at p50 against 0.9 s for chat updates of the same work)."""


async def authenticate_api_key(uow: AbstractUnitOfWork, plaintext: str, clock: Clock) -> Actor | None:
    """The API actor for a presented key, or None (unknown, malformed or revoked). Records last use, to the
    minute (``API_KEY_USE_EVERY``)."""
    if not plaintext.startswith(API_KEY_PREFIX) or len(plaintext) <= API_KEY_PREFIX_LENGTH:
        return None
    digest = _key_hash(plaintext)
    async with uow:
        found: ApiKey | None = None
        for key in await uow.api_keys.list(prefix=plaintext[:API_KEY_PREFIX_LENGTH]):
            if hmac.compare_digest(key.key_hash, digest):
                found = key
        if found is None or found.revoked_at is not None:
            return None
        # Bookkeeping, not a business change: no audit entry per request.
        now = clock.now()
        if found.last_used_at is None or now - found.last_used_at >= API_KEY_USE_EVERY:
            found.last_used_at = now
            await uow.commit()
        return found.to_actor()


async def revoke_api_key(uow: AbstractUnitOfWork, actor: Actor, key_id: int, clock: Clock) -> ApiKey:
    require(actor, Permission.USER_MANAGE)
    async with uow:
        key = await uow.api_keys.get(key_id, for_update=True)
        if key is None:
            raise NotFound(zh=f"未找到API密钥：{key_id}", en=f"API key not found: {key_id}", what=f"api key {key_id}")
        if key.revoked_at is not None:
            raise Conflict(zh="操作冲突：该密钥已吊销", en="Conflict: this key is already revoked", reason="revoked")
        before = _api_key_snapshot(key)
        key.revoked_at = clock.now()
        await record(uow, actor, "api_key.revoke", "api_key", key.id, clock,
                     before=before, after=_api_key_snapshot(key))
        await uow.commit()
        return key


async def list_api_keys(uow: AbstractUnitOfWork, actor: Actor) -> list[ApiKey]:
    require(actor, Permission.USER_MANAGE)
    async with uow:
        return await uow.api_keys.list(order_by="id")
