"""Authorization rules. Use cases call these first; a denial raises PermissionDenied or NotFound.

Rule of thumb: a dealer actor asking for another dealer's thing gets NotFound (nothing leaks,
not even existence); a staff actor lacking a permission gets PermissionDenied.
"""

from __future__ import annotations

from core.errors import NotFound, PermissionDenied
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
