"""Personal data of a chat user: export what we hold, request erasure, erase on an admin's approval.

What counts as the user's personal data: the user record (name, phone), its chat identities and the
dealer contacts that are the user (same phone). Business records (orders, tickets, the ledger, the audit
log) stay: they name the dealer and the user's *username*, which erasure turns into an anonymous label.

Erasure is a request first (a ``StaffTask`` of kind ``privacy.erase`` for the admins), because a dealer
may owe documents or money; an admin approves it with :func:`erase_personal_data`. The audit entries
record *which* fields were erased, never their values (the audit log cannot be edited later).

Chat screens show personal data masked (``core.masking``). Staff who need the full value press a button
that runs :func:`reveal_personal_data`: the permission is checked here, the look is audited (who, which
record, which fields; never the value), and only then is the value returned:

- a ticket's end customer (name, phone): after-sales staff (TICKET_HANDLE) for any ticket, the ticket's
  dealer users for their own tickets; another dealer gets NotFound, as for a ticket that does not exist;
- a dealer's contact phones (an applicant's, typically): reviewers of dealers (DEALER_REVIEW).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.auditing import record, snapshot
from core.authz import can_see_dealer, require
from core.clock import Clock
from core.errors import InvalidTransition, NotFound, PermissionDenied
from core.expenses import StaffTask, TaskStatus
from core.ports import AbstractUnitOfWork
from core.services.expenses import open_task
from core.users import Actor, ActorKind, Permission, Role, User

ERASE_TASK = "privacy.erase"
ERASED_NAME = "已注销用户"
REVEAL_ACTION = "privacy.reveal"


def _phone_key(phone: str | None) -> str:
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return digits[-11:]


async def _own_user(uow: AbstractUnitOfWork, actor: Actor) -> User:
    if actor.user_id is None:
        raise PermissionDenied()
    user = await uow.users.get(actor.user_id)
    if user is None:
        raise NotFound(zh="未找到用户", en="User not found")
    return user


async def _contacts_of(uow: AbstractUnitOfWork, user: User) -> list[Any]:
    if user.dealer_id is None or not user.phone:
        return []
    dealer = await uow.dealers.get(user.dealer_id)
    if dealer is None:
        return []
    return [c for c in dealer.contacts if _phone_key(c.phone) == _phone_key(user.phone)]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def export_my_data(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> dict[str, Any]:
    """Everything we hold about the actor as a person, unmasked (it is their own data)."""
    async with uow:
        user = await _own_user(uow, actor)
        identities = await uow.identities.list(user_id=user.id)
        contacts = await _contacts_of(uow, user)
        return {
            "generated_at": clock.now().isoformat(),
            "user": {"username": user.username, "display_name": user.display_name, "role": user.role.value,
                     "phone": user.phone, "language": user.language, "active": user.active,
                     "created_at": _iso(user.created_at)},
            "chat_identities": [{"channel": i.channel, "external_id": i.external_id, "bound_at": _iso(i.bound_at)}
                                for i in identities],
            "dealer_contacts": [{"name": c.name, "phone": c.phone, "role": c.role, "id_number": c.id_number}
                                for c in contacts],
        }


async def request_erasure(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, reason: str = "") -> StaffTask:
    """Open (once) an erasure request for the admins; asking again returns the same open request."""
    async with uow:
        user = await _own_user(uow, actor)
        task = await open_task(uow, actor, StaffTask(
            kind=ERASE_TASK, team=Role.ADMIN.value, title=f"删除个人数据 (erase personal data): {user.username}",
            detail=reason.strip()[:500], dealer_id=user.dealer_id, ref=f"user:{user.id}"), clock)
        await uow.commit()
        return task


async def list_erasure_requests(uow: AbstractUnitOfWork, actor: Actor) -> list[StaffTask]:
    require(actor, Permission.USER_MANAGE)
    async with uow:
        return await uow.staff_tasks.list(kind=ERASE_TASK, status=TaskStatus.OPEN, order_by="id")


@dataclass(frozen=True)
class ErasePersonalData:
    task_id: int


async def erase_personal_data(uow: AbstractUnitOfWork, actor: Actor, cmd: ErasePersonalData, clock: Clock) -> User:
    """Admin approval: anonymise the user, unbind its chats, drop its contact entries; close the request."""
    require(actor, Permission.USER_MANAGE)
    async with uow:
        task = await uow.staff_tasks.get(cmd.task_id, for_update=True)
        if task is None or task.kind != ERASE_TASK:
            raise NotFound(zh=f"未找到删除申请：{cmd.task_id}", en=f"Erasure request not found: {cmd.task_id}")
        if task.status != TaskStatus.OPEN:
            raise InvalidTransition(zh="该申请已处理", en="This request was already handled")
        user = await uow.users.get(int(task.ref.split(":", 1)[1]))
        if user is None:
            raise NotFound(zh="未找到用户", en="User not found")
        contacts = await _contacts_of(uow, user)
        if contacts and user.dealer_id is not None:
            dealer = await uow.dealers.get(user.dealer_id)
            if dealer is not None:
                gone = {id(c) for c in contacts}
                dealer.contacts[:] = [c for c in dealer.contacts if id(c) not in gone]
        identities = await uow.identities.list(user_id=user.id)
        for identity in identities:
            await uow.identities.delete(identity)
        erased = [f for f in ("display_name", "phone") if getattr(user, f)]
        user.display_name, user.phone, user.active = f"{ERASED_NAME}{user.id}", None, False
        await record(uow, actor, "privacy.erase", "user", user.id, clock,
                     before={"erased_fields": erased, "contacts": len(contacts), "chat_identities": len(identities)},
                     after={"display_name": user.display_name, "active": False})
        before = snapshot(task)
        task.status, task.resolution = TaskStatus.DONE, "erased"
        task.closed_by, task.closed_at = actor.label, clock.now()
        await record(uow, actor, "task.close", "staff_task", task.id, clock, before=before, after=snapshot(task))
        await uow.commit()
        return user


# --- the audited reveal of a masked value --------------------------------------------------------------

class RevealKind(StrEnum):
    TICKET_CUSTOMER = "ticket"      # ref: ticket number; the end customer's name and phone
    DEALER_CONTACT = "contact"      # ref: dealer code; its contacts' phones


@dataclass(frozen=True)
class RevealedPerson:
    name: str
    phone: str
    role: str = ""


@dataclass(frozen=True)
class Revealed:
    """What one reveal returned, and which fields it showed (as audited)."""

    kind: RevealKind
    ref: str
    people: tuple[RevealedPerson, ...]
    fields: tuple[str, ...]


def _nothing_to_show(ref: str) -> NotFound:
    return NotFound(zh=f"{ref} 没有可显示的联系信息", en=f"{ref} has no contact details to show", what=ref)


async def reveal_personal_data(uow: AbstractUnitOfWork, actor: Actor, kind: RevealKind | str, ref: str,
                               clock: Clock) -> Revealed:
    """The full value behind a masked one, for an actor allowed to read it; audited without the value.

    Refusals: PermissionDenied for an actor who may not reveal this kind at all; NotFound for a record
    that does not exist or that the actor may not see (another dealer's ticket), and for a record with
    nothing to show. Nothing is audited on a refusal.
    """
    try:
        what = RevealKind(kind)
    except ValueError:
        raise NotFound(what=ref) from None
    ref = ref.strip()
    async with uow:
        if what == RevealKind.TICKET_CUSTOMER:
            revealed, entity = await _ticket_customer(uow, actor, ref), "ticket"
        else:
            revealed, entity = await _dealer_contacts(uow, actor, ref), "dealer"
        await record(uow, actor, REVEAL_ACTION, entity, revealed.ref, clock,
                     after={"kind": what.value, "fields": list(revealed.fields), "people": len(revealed.people)})
        await uow.commit()
        return revealed


async def _ticket_customer(uow: AbstractUnitOfWork, actor: Actor, number: str) -> Revealed:
    if actor.kind == ActorKind.DEALER:
        require(actor, Permission.TICKET_CREATE)
    elif actor.kind == ActorKind.STAFF:
        require(actor, Permission.TICKET_HANDLE)
    else:
        raise PermissionDenied()
    ticket = await uow.tickets.get_by(number=number.upper()) if number else None
    if ticket is None or not can_see_dealer(actor, ticket.dealer_id, all_permission=Permission.TICKET_HANDLE):
        raise NotFound(what=number)
    fields = tuple(f for f in ("customer_name", "customer_phone") if getattr(ticket, f))
    if not fields:
        raise _nothing_to_show(ticket.number)
    person = RevealedPerson(name=ticket.customer_name, phone=ticket.customer_phone)
    return Revealed(RevealKind.TICKET_CUSTOMER, ticket.number, (person,), fields)


async def _dealer_contacts(uow: AbstractUnitOfWork, actor: Actor, code: str) -> Revealed:
    if actor.kind != ActorKind.STAFF:
        raise PermissionDenied()
    require(actor, Permission.DEALER_REVIEW)
    dealer = await uow.dealers.get_by(code=code.upper()) if code else None
    if dealer is None:
        raise NotFound(zh=f"未找到经销商：{code}", en=f"Dealer not found: {code}", what=code)
    people = tuple(RevealedPerson(name=c.name, phone=c.phone, role=c.role) for c in dealer.contacts if c.phone)
    if not people:
        raise _nothing_to_show(dealer.code)
    return Revealed(RevealKind.DEALER_CONTACT, dealer.code, people, ("contacts.phone",))

