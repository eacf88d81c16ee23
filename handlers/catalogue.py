"""The product catalogue as the parser sees it, read from the database (never from code), and the
speaking dealer's own words for products (learned when the dealer picks a suggestion)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.errors import DomainError
from core.ports import AbstractUnitOfWork
from core.products import Product
from core.services.aliases import LearnAlias, dealer_aliases, learn_alias
from core.users import Actor, ActorKind
from nlu.schema import CatalogueEntry, ParseResult

if TYPE_CHECKING:
    from handlers.context import Ctx


async def catalogue_entries(uow: AbstractUnitOfWork) -> list[CatalogueEntry]:
    return _entries(await uow.products.list(active=True, order_by="sku"))


def _entries(products: list[Product]) -> list[CatalogueEntry]:
    return [CatalogueEntry(sku=p.sku, name=p.name, aliases=list(p.aliases), unit=p.unit, category=p.category or "") for p in products]


class CatalogueCache:
    """The active catalogue kept for ``ttl_seconds`` per process: every chat message is parsed against it,
    and loading 2,000 products per message would cost more than the rest of the message. A product added,
    renamed or deactivated (admin, import, another process) reaches the parser within ``ttl_seconds``;
    0 reads the database every time."""

    def __init__(self, ttl_seconds: float = 0.0, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl_seconds = ttl_seconds
        self._monotonic = monotonic
        self._entries: list[CatalogueEntry] | None = None
        self._by_sku: dict[str, CatalogueEntry] = {}
        self._products: dict[str, Product] = {}
        self._loaded_at = 0.0

    async def entries(self, uow_factory: Callable[[], AbstractUnitOfWork]) -> list[CatalogueEntry]:
        now = self._monotonic()
        if self._entries is not None and now - self._loaded_at < self.ttl_seconds:
            return self._entries
        async with uow_factory() as uow:
            products = await uow.products.list(active=True, order_by="sku")
        entries = _entries(products)
        if self.ttl_seconds > 0:
            self._entries, self._loaded_at = entries, now
            self._by_sku = {e.sku: e for e in entries}
            self._products = {p.sku: p for p in products}
        return entries

    def by_sku(self, sku: str) -> CatalogueEntry | None:
        """A product of the cached catalogue, if the cache holds one (None: look in the database)."""
        if self._entries is None or self._monotonic() - self._loaded_at >= self.ttl_seconds:
            return None
        return self._by_sku.get(sku)

    def products(self, skus: list[str]) -> dict[str, Product] | None:
        """The active products of ``skus`` as the cache holds them (read only: shared by every chat), or None when
        the cache is not fresh or lacks one of them (an inactive or unknown SKU: look in the database). What the
        cart reads before its quote (names, units, pack sizes, line limits); the quote reads its own."""
        if self._entries is None or self._monotonic() - self._loaded_at >= self.ttl_seconds:
            return None
        found = {sku: p for sku in skus if (p := self._products.get(sku)) is not None}
        return found if len(found) == len(skus) else None

    def clear(self) -> None:
        self._entries = None


async def chat_catalogue(ctx: Ctx) -> list[CatalogueEntry]:
    """The catalogue for parsing a chat message (cached per process, see ``CatalogueCache``)."""
    return await ctx.deps.catalogue.entries(ctx.deps.uow_factory)


async def parse_message(ctx: Ctx, text: str | None = None) -> ParseResult:
    """The inbound text (or ``text``, a part of it) through the parser, against the catalogue and (for a dealer)
    its own words."""
    if ctx.is_dealer and ctx.aliases is None:
        async with ctx.uow() as uow:
            ctx.aliases = await parser_aliases(uow, ctx.actor)
    aliases = ctx.aliases if ctx.is_dealer else None
    return await ctx.deps.parser.parse(ctx.inbound.text if text is None else text, catalogue=await chat_catalogue(ctx),
                                       today=ctx.deps.clock.today(), dealer_aliases=aliases)


# --- a dealer's own words for products (core.services.aliases) ---------------------------------------

async def parser_aliases(uow: AbstractUnitOfWork, actor: Actor) -> dict[str, str] | None:
    """The speaking dealer's alias library for the parser (None for staff and visitors).
    Read inside the caller's open unit of work."""
    if actor.kind != ActorKind.DEALER or actor.dealer_id is None:
        return None
    return await dealer_aliases(uow, actor, actor.dealer_id)


ABOUT_MINUTES = 30     # how long a product asked about stays what "那来4台" / "need 4 of them" means


def remember_about(ctx: Ctx, sku: str) -> None:
    """The product a dealer just asked about (its stock): a count said next without a product is of it. Written
    only when it changes or is 10 minutes old, so a stock query asked again writes no dialog."""
    minute = int(ctx.deps.clock.now().timestamp() // 60)
    kept = ctx.dialog.data.get("about")
    if not isinstance(kept, dict) or kept.get("sku") != sku or minute - int(kept.get("at", 0)) >= 10:
        ctx.dialog.data["about"] = {"sku": sku, "at": minute}


def talked_about(ctx: Ctx) -> str | None:
    """The product asked about in the last ``ABOUT_MINUTES`` minutes, if any."""
    kept = ctx.dialog.data.get("about")
    if not isinstance(kept, dict) or not isinstance(kept.get("sku"), str):
        return None
    minute = int(ctx.deps.clock.now().timestamp() // 60)
    return str(kept["sku"]) if minute - int(kept.get("at", 0)) <= ABOUT_MINUTES else None


PICK_MINUTES = 30     # how long "which one?" stays open to a typed answer ("要ap300的")


def remember_suggestions(ctx: Ctx, word: str, skus: list[str], qty: int | None = None) -> None:
    """Suggestions shown for a word the parser did not know; picking one of them teaches the word. ``qty``: the
    quantity said with the word, for a typed answer naming one of them."""
    if ctx.is_dealer and word:
        minute = int(ctx.deps.clock.now().timestamp() // 60)
        ctx.dialog.data["suggested"] = {"word": word[:32], "skus": skus, "qty": qty, "at": minute}


async def typed_pick(ctx: Ctx) -> tuple[str, int | None] | None:
    """The message as the answer to the last "which one?" ("滤网要ap300的" after the two filters were offered for
    "两箱滤网"): the message parsed against the offered products alone names exactly one of them. That product and
    the quantity said with the question; None when no question is open (or older than ``PICK_MINUTES``) or the
    message names none of them or several."""
    offered = ctx.dialog.data.get("suggested")
    if not isinstance(offered, dict) or not isinstance(offered.get("skus"), list) or len(offered["skus"]) < 2:
        return None
    minute = int(ctx.deps.clock.now().timestamp() // 60)
    if minute - int(offered.get("at") or 0) > PICK_MINUTES:
        return None
    skus = [str(s) for s in offered["skus"]]
    entries = [e for e in await chat_catalogue(ctx) if e.sku in skus]
    if len(entries) < 2:
        return None
    among = await ctx.deps.parser.parse(ctx.inbound.text, catalogue=entries, today=ctx.deps.clock.today())
    named = {i.sku for i in among.slots.items} | ({among.slots.product} if among.slots.product else set())
    if len(named) != 1 or not named <= set(skus):
        return None
    qty = offered.get("qty")
    return named.pop(), int(qty) if isinstance(qty, int) and qty > 0 else None


async def learn_from_pick(ctx: Ctx, sku: str) -> None:
    """The dealer picked ``sku`` among the suggestions for a word: that word means ``sku`` for this dealer
    from now on. Call it outside any open unit of work (it runs a use case)."""
    offered = ctx.dialog.data.pop("suggested", None)
    if not isinstance(offered, dict) or sku not in (offered.get("skus") or []) or not ctx.is_dealer:
        return
    if ctx.actor.dealer_id is None:
        return
    try:
        ctx.aliases = None      # read again by the next parse
        await learn_alias(ctx.uow(), ctx.actor, LearnAlias(dealer_id=ctx.actor.dealer_id, word=str(offered["word"]),
                                                           sku=sku), ctx.deps.clock)
    except DomainError:
        return   # a word that cannot be an alias: ordering goes on without learning it
