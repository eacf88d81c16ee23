"""The Actor an API key acts as inside staff-only use cases.

The use cases check *roles* (``Actor.permissions`` comes from ``Actor.role``), and the order state
machine (``core.order_states.permitted``) accepts only staff, the system or the order's own dealer. An API key
has scopes, not a role. The API layer has already checked the scope an endpoint needs; here a key is
translated into the narrowest actor the use case understands:

- a key not bound to a dealer acts as staff with ``role`` (the order desk for order moves, the admin
  role for catalogue upserts: only that role holds PRODUCT_WRITE), named ``api:<key name>`` so the
  audit log reads ``staff:api:erp``;
- a key bound to a dealer acts as that dealer's owner (``dealer:<id>:api:<key name>``), so it may do
  only what the dealer itself may do with its own orders (receive, cancel early), never staff moves.

If core ever grants permissions from API scopes directly, this module is the one place to remove.
"""

from __future__ import annotations

from core.users import Actor, ActorKind, Role


def acting_actor(key: Actor, role: Role = Role.ORDER_DESK) -> Actor:
    if key.kind != ActorKind.API:
        return key
    name = f"api:{key.name}"
    if key.dealer_id is not None:
        return Actor(kind=ActorKind.DEALER, name=name, role=Role.DEALER_OWNER, dealer_id=key.dealer_id,
                     scopes=key.scopes)
    return Actor(kind=ActorKind.STAFF, name=name, role=role, scopes=key.scopes)
