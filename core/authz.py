"""Authorization rules. Use cases call these first; a denial raises PermissionDenied or NotFound.

Rule of thumb: a dealer actor asking for another dealer's thing gets NotFound (nothing leaks,
not even existence); a staff actor lacking a permission gets PermissionDenied.

The dealer hierarchy: a parent dealer reads its direct sub-dealers' orders, stock and sell-out, never their
money accounts unless its contract says so; a sub-dealer reads nothing of its parent or its siblings. The one
rule is ``readable_dealer_ids``; chat, API and back office reach it through ``readable_dealers`` /
``may_read_dealer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import NotFound, PermissionDenied
from core.ports import AbstractUnitOfWork
from core.users import Actor, ActorKind, Permission


def require(actor: Actor, permission: Permission) -> None:
    if permission not in actor.permissions:
        raise PermissionDenied()


def can_see_dealer(actor: Actor, dealer_id: int, *, all_permission: Permission = Permission.DEALER_READ_ALL) -> bool:
    """Own dealer always; other dealers only for staff/system holding ``all_permission``.

    API keys are scoped by the API layer; a key bound to one dealer sees only that dealer.
    """
    if actor.kind == ActorKind.SYSTEM:
        return True
    if actor.kind == ActorKind.API:
        return actor.dealer_id is None or actor.dealer_id == dealer_id
    if actor.kind == ActorKind.DEALER:
        return actor.dealer_id == dealer_id
    if actor.kind == ActorKind.STAFF:
        return all_permission in actor.permissions
    return False


def require_dealer_access(actor: Actor, dealer_id: int, what: str,
                          *, all_permission: Permission = Permission.DEALER_READ_ALL) -> None:
    """Raise NotFound(what) when ``actor`` may not see ``dealer_id``'s data."""
    if not can_see_dealer(actor, dealer_id, all_permission=all_permission):
        raise NotFound(what=what)


def dealer_scope(actor: Actor, *, all_permission: Permission = Permission.DEALER_READ_ALL) -> int | None:
    """The dealer id a list query must be limited to, or None for all dealers.

    Raises PermissionDenied for an actor who may see neither.
    """
    if actor.kind == ActorKind.SYSTEM:
        return None
    if actor.kind in (ActorKind.DEALER, ActorKind.API):
        if actor.kind == ActorKind.DEALER and actor.dealer_id is None:
            raise PermissionDenied()
        return actor.dealer_id
    if actor.kind == ActorKind.STAFF and all_permission in actor.permissions:
        return None
    raise PermissionDenied()


# --- the dealer hierarchy (multi-level channel) -------------------------------------------------------

class DealerRecord(StrEnum):
    """Kinds of a dealer's records, as far as who may read them differs."""

    ORDERS = "orders"
    STOCK = "stock"          # the dealer's own stock (its stocktakes)
    SELLOUT = "sellout"
    ACCOUNTS = "accounts"    # money: balances, ledger, statements, rebates, credit


# what a parent dealer (一级经销商) reads of its direct sub-dealers; money only when its contract says so
SUB_DEALER_RECORDS = frozenset({DealerRecord.ORDERS, DealerRecord.STOCK, DealerRecord.SELLOUT})


@dataclass(frozen=True)
class DealerFamily:
    """The direct sub-dealers of the actor's dealer and whether its contract opens their money accounts to it
    (``Dealer.sub_accounts_visible``). Empty for staff, the system and dealers without sub-dealers."""

    sub_dealer_ids: frozenset[int] = frozenset()
    sub_accounts_visible: bool = False


def readable_dealer_ids(actor: Actor, record: DealerRecord, family: DealerFamily,
                        *, all_permission: Permission = Permission.DEALER_READ_ALL) -> frozenset[int] | None:
    """THE rule of who reads which dealer's ``record``: the dealer ids ``actor`` may read, None for all dealers.

    Staff holding ``all_permission`` and the system: all. A dealer user or a dealer-bound API key: its own dealer,
    plus its direct sub-dealers for orders, stock and sell-out (and for money accounts only when
    ``family.sub_accounts_visible``). A sub-dealer never reads its parent's nor its siblings' records: the
    family is always the actor's own dealer's children. Raises PermissionDenied like ``dealer_scope``.
    """
    own = dealer_scope(actor, all_permission=all_permission)
    if own is None:
        return None
    if record in SUB_DEALER_RECORDS or (record == DealerRecord.ACCOUNTS and family.sub_accounts_visible):
        return frozenset({own}) | family.sub_dealer_ids
    return frozenset({own})


async def dealer_family(uow: AbstractUnitOfWork, actor: Actor, about: int | None = None) -> DealerFamily:
    """The actor's dealer's direct sub-dealers (inside the caller's open unit of work).

    ``about``: the one dealer the caller checks the actor against; when that is the actor's own dealer the
    family cannot change the answer (a dealer is never its own sub-dealer), so nothing is read."""
    if actor.kind not in (ActorKind.DEALER, ActorKind.API) or actor.dealer_id is None or about == actor.dealer_id:
        return DealerFamily()
    subs = await uow.dealers.list(parent_id=actor.dealer_id)
    if not subs:
        return DealerFamily()
    own = await uow.dealers.get(actor.dealer_id)
    return DealerFamily(sub_dealer_ids=frozenset(d.id for d in subs if d.id is not None),
                        sub_accounts_visible=bool(own is not None and own.sub_accounts_visible))


async def readable_dealers(uow: AbstractUnitOfWork, actor: Actor, record: DealerRecord,
                           *, all_permission: Permission = Permission.DEALER_READ_ALL) -> frozenset[int] | None:
    """``readable_dealer_ids`` with the actor's family read from ``uow`` (open)."""
    return readable_dealer_ids(actor, record, await dealer_family(uow, actor), all_permission=all_permission)


async def may_read_dealer(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, record: DealerRecord,
                          *, all_permission: Permission = Permission.DEALER_READ_ALL) -> bool:
    """May ``actor`` read ``dealer_id``'s ``record``? (False where ``readable_dealers`` would raise.)"""
    if can_see_dealer(actor, dealer_id, all_permission=all_permission):
        return True
    if actor.kind not in (ActorKind.DEALER, ActorKind.API) or actor.dealer_id is None:
        return False
    readable = await readable_dealers(uow, actor, record, all_permission=all_permission)
    return readable is None or dealer_id in readable


def is_parent_of(family: DealerFamily, dealer_id: int) -> bool:
    """The actor's dealer is ``dealer_id``'s parent (orders on its behalf, approves its orders)."""
    return dealer_id in family.sub_dealer_ids
