"""A dealer's alias library: words that dealer uses for products.

- learn: the dealer's own users (ORDER_PLACE_OWN) for their dealer, staff ordering on a dealer's
  behalf (ORDER_PLACE_ON_BEHALF) for any dealer. The word must look like a product word (2-32
  characters, not only digits) and the product must exist and be on sale. Learning a word the dealer
  already maps to that product changes nothing; to another product, re-points it (audited).
- read: ``dealer_aliases`` for the parser (word -> SKU); another dealer's library is never read.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from core import authz
from core.aliases import DealerAlias
from core.auditing import record, snapshot
from core.clock import Clock
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.ports import AbstractUnitOfWork
from core.users import Actor, ActorKind, Permission

MIN_WORD, MAX_WORD = 2, 32
MAX_ALIASES_PER_DEALER = 500


def normalize_word(word: str) -> str:
    """Half-width, lower case, inner spaces dropped: "ＡＰ 300" and "ap300" are one word."""
    return "".join(unicodedata.normalize("NFKC", word).lower().split())


@dataclass(frozen=True)
class LearnAlias:
    dealer_id: int
    word: str
    sku: str


def _may_teach(actor: Actor, dealer_id: int) -> None:
    if actor.kind == ActorKind.DEALER:
        authz.require(actor, Permission.ORDER_PLACE_OWN)
        authz.require_dealer_access(actor, dealer_id, str(dealer_id))
    elif actor.kind == ActorKind.STAFF:
        authz.require(actor, Permission.ORDER_PLACE_ON_BEHALF)
    elif actor.kind != ActorKind.SYSTEM:
        raise PermissionDenied()


async def learn_alias(uow: AbstractUnitOfWork, actor: Actor, cmd: LearnAlias, clock: Clock) -> DealerAlias | None:
    """Map ``cmd.word`` to ``cmd.sku`` for the dealer; None when that mapping already existed."""
    _may_teach(actor, cmd.dealer_id)
    word = normalize_word(cmd.word)
    if not MIN_WORD <= len(word) <= MAX_WORD or word.isdigit():
        raise ValidationFailed(zh=f"“{cmd.word}”不能作为产品别名", en=f"'{cmd.word}' cannot be a product alias",
                               reason="word")
    async with uow:
        if await uow.dealers.get(cmd.dealer_id) is None:
            raise NotFound(what=str(cmd.dealer_id))
        product = await uow.products.get_by(sku=cmd.sku)
        if product is None or not product.active:
            raise NotFound(zh=f"未找到产品 {cmd.sku}", en=f"Product {cmd.sku} not found", what=cmd.sku)
        existing = await uow.dealer_aliases.get_by(dealer_id=cmd.dealer_id, word=word, for_update=True)
        if existing is not None:
            if existing.sku == product.sku:
                return None
            before = snapshot(existing)
            existing.sku = product.sku
            existing.created_by = actor.label
            existing.created_at = clock.now()
            await record(uow, actor, "alias.update", "dealer_alias", f"{cmd.dealer_id}:{word}", clock,
                         before=before, after=snapshot(existing))
            await uow.commit()
            return existing
        if await uow.dealer_aliases.count(dealer_id=cmd.dealer_id) >= MAX_ALIASES_PER_DEALER:
            raise ValidationFailed(zh="别名库已满", en="The alias library is full", reason="limit")
        alias = DealerAlias(dealer_id=cmd.dealer_id, word=word, sku=product.sku, created_by=actor.label,
                            created_at=clock.now())
        await uow.dealer_aliases.add(alias)
        await record(uow, actor, "alias.learn", "dealer_alias", f"{cmd.dealer_id}:{word}", clock,
                     after=snapshot(alias))
        await uow.commit()
        return alias


async def dealer_aliases(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> dict[str, str]:
    """word -> SKU of ``dealer_id``'s library (read inside the caller's open unit of work)."""
    authz.require_dealer_access(actor, dealer_id, str(dealer_id))
    return {a.word: a.sku for a in await uow.dealer_aliases.list(dealer_id=dealer_id, order_by="id")}
