"""The product catalogue as the parser sees it, read from the database (never from code), and the
speaking dealer's own words for products (learned when the dealer picks a suggestion)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import DomainError
from core.ports import AbstractUnitOfWork
from core.services.aliases import LearnAlias, dealer_aliases, learn_alias
from core.users import Actor, ActorKind
from nlu.schema import CatalogueEntry

if TYPE_CHECKING:
    from handlers.context import Ctx


async def catalogue_entries(uow: AbstractUnitOfWork) -> list[CatalogueEntry]:
    products = await uow.products.list(active=True, order_by="sku")
    return [CatalogueEntry(sku=p.sku, name=p.name, aliases=list(p.aliases), unit=p.unit) for p in products]


# --- a dealer's own words for products (core.services.aliases) ---------------------------------------

async def parser_aliases(uow: AbstractUnitOfWork, actor: Actor) -> dict[str, str] | None:
    """The speaking dealer's alias library for the parser (None for staff and visitors).
    Read inside the caller's open unit of work."""
    if actor.kind != ActorKind.DEALER or actor.dealer_id is None:
        return None
    return await dealer_aliases(uow, actor, actor.dealer_id)


def remember_suggestions(ctx: Ctx, word: str, skus: list[str]) -> None:
    """Suggestions shown for a word the parser did not know; picking one of them teaches the word."""
    if ctx.is_dealer and word:
        ctx.dialog.data["suggested"] = {"word": word[:32], "skus": skus}


async def learn_from_pick(ctx: Ctx, sku: str) -> None:
    """The dealer picked ``sku`` among the suggestions for a word: that word means ``sku`` for this dealer
    from now on. Call it outside any open unit of work (it runs a use case)."""
    offered = ctx.dialog.data.pop("suggested", None)
    if not isinstance(offered, dict) or sku not in (offered.get("skus") or []) or not ctx.is_dealer:
        return
    if ctx.actor.dealer_id is None:
        return
    try:
        await learn_alias(ctx.uow(), ctx.actor, LearnAlias(dealer_id=ctx.actor.dealer_id, word=str(offered["word"]),
                                                           sku=sku), ctx.deps.clock)
    except DomainError:
        return   # a word that cannot be an alias: ordering goes on without learning it
