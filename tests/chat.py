"""Scripted dialogues without any backend: a FakeUnitOfWork, a fixed clock, the real conversation."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.clock import Clock
from core.dealers import Dealer
from core.inventory import StockLevel
from core.orders import Order
from core.services.orders import (
    AllocateOrder,
    ApproveOrder,
    CancelOrder,
    ConfirmReceipt,
    ShipOrder,
    SubmitOrder,
    allocate_order,
    approve_order,
    cancel_order,
    confirm_receipt,
    ship_order,
    submit_order,
)
from core.users import ChatIdentity, Role, User
from handlers.app import build_conversation
from handlers.context import Deps
from handlers.messages import Button, Inbound, InboundKind, Reply
from handlers.service import ConversationService
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, ParseResult
from tests.factories import (
    dealer_user,
    fixed_clock,
    make_dealer,
    make_product,
    make_valid_documents,
    make_warehouse,
    payment,
    staff,
)
from tests.fakes import FakeReportStore, FakeUnitOfWork

_updates = itertools.count(1000)


def texts(replies: list[Reply]) -> str:
    """All reply texts and button labels joined, for assertions."""
    parts = []
    for r in replies:
        parts.append(r.text)
        parts.extend(b.label for row in r.buttons for b in row)
    return "\n".join(parts)


def buttons(replies: list[Reply]) -> dict[str, str]:
    """label -> payload of every button in the replies."""
    return {b.label: b.payload for r in replies for row in r.buttons for b in row}


class FixedParser:
    """Reads every message as ``result``: drives a flow through the conversation for an intent the offline
    parser does not produce (yet) for the words typed."""

    def __init__(self, result: ParseResult) -> None:
        self.result = result

    async def parse(self, text: str, *, catalogue: list[CatalogueEntry], today: date,
                    dealer_aliases: dict[str, str] | None = None) -> ParseResult:
        return self.result


@dataclass
class ChatWorld:
    uow: FakeUnitOfWork = field(default_factory=FakeUnitOfWork)
    clock: Clock = field(default_factory=fixed_clock)
    channel: str = "telegram"

    def __post_init__(self) -> None:
        self.service: ConversationService = build_conversation(
            Deps(uow_factory=lambda: self.uow, clock=self.clock, parser=OfflineParser(),
                 reports=FakeReportStore(self.uow, self.clock.tz)))

    # --- seeding -----------------------------------------------------------------------------
    async def dealer(self, **overrides: object) -> Dealer:
        dealer = await self.uow.dealers.add(make_dealer(**overrides))
        for q in make_valid_documents(dealer.id):  # type: ignore[arg-type]
            await self.uow.qualifications.add(q)
        await self.uow.commit()
        return dealer

    async def user(self, chat: str, role: Role, dealer: Dealer | None = None, username: str | None = None) -> User:
        user = await self.uow.users.add(User(username=username or f"u{chat}", display_name=f"用户{chat}", role=role,
                                             dealer_id=dealer.id if dealer else None))
        await self.uow.identities.add(ChatIdentity(channel=self.channel, external_id=chat, user_id=user.id))  # type: ignore[arg-type]
        await self.uow.commit()
        return user

    async def catalogue(self) -> None:
        """AP300 purifier, F300 filter, DH20 dehumidifier, with stock in one warehouse."""
        wh = await self.uow.warehouses.add(make_warehouse("WH-SH", region="华东"))
        for sku, name, aliases, unit, price in (
            ("AP300", "空气净化器AP300", ["净化器300"], "台", "1999.00"),
            ("F300", "AP300 滤网", ["滤网"], "箱", "299.00"),
            ("DH20", "除湿机DH20", ["除湿机"], "台", "1599.00"),
        ):
            await self.uow.products.add(make_product(sku, name=name, aliases=aliases, unit=unit,
                                                     list_price=Decimal(price)))
            await self.uow.stock.add(StockLevel(warehouse_id=wh.id, sku=sku, on_hand=500))  # type: ignore[arg-type]
        await self.uow.commit()

    # --- orders (added for the ordering / orders / stock dialogues) ----------------------------
    async def prepay(self, dealer: Dealer, amount: str = "1000000.00") -> None:
        """Prepayment on the dealer's account, so its orders need no approval for funds."""
        await self.uow.ledger.add(payment(dealer.id, amount))  # type: ignore[arg-type]
        await self.uow.commit()

    async def order(self, dealer: Dealer, items: list[tuple[str, int]], to: str = "submitted",
                    delivery: date | None = None) -> Order:
        """An order of ``dealer`` placed through the use cases, then moved on to ``to``:
        submitted, approved, allocated, shipped, received or cancelled."""
        owner = dealer_user(dealer.id)  # type: ignore[arg-type]
        admin = staff(Role.ADMIN, name="admin")
        order = await submit_order(self.uow, owner, SubmitOrder(dealer_id=dealer.id, items=items,  # type: ignore[arg-type]
                                                                requested_delivery=delivery), self.clock)
        steps = ["approved", "allocated", "shipped", "received"]
        if to == "cancelled":
            return await cancel_order(self.uow, owner, CancelOrder(number=order.number), self.clock)
        for step in steps[:steps.index(to) + 1] if to in steps else []:
            if step == "approved":
                order = await approve_order(self.uow, admin, ApproveOrder(number=order.number, over_limit=True),
                                            self.clock)
            elif step == "allocated":
                order = await allocate_order(self.uow, admin, AllocateOrder(number=order.number), self.clock)
            elif step == "shipped":
                order = await ship_order(self.uow, admin, ShipOrder(number=order.number, carrier="顺丰",
                                                                    tracking_no="SF1234567890"), self.clock)
            else:
                order = await confirm_receipt(self.uow, owner, ConfirmReceipt(number=order.number), self.clock)
        return order

    # --- FAQ knowledge base (added for the FAQ dialogues) ------------------------------------------
    async def knowledge_base(self) -> None:
        """The demo knowledge base (nlu/data/faq_demo.md) in the fake database."""
        from nlu.kb_import import seed_demo_knowledge_base

        await seed_demo_knowledge_base(self.uow, self.clock)

    # --- talking -----------------------------------------------------------------------------
    def parse_as(self, result: ParseResult) -> None:
        """From now on every typed message is read as ``result`` (``FixedParser``); ``parse_offline`` undoes it."""
        self.__dict__.setdefault("_offline_parser", self.service.deps.parser)
        self.service.deps.parser = FixedParser(result)

    def parse_offline(self) -> None:
        self.service.deps.parser = self.__dict__.get("_offline_parser", self.service.deps.parser)

    def _inbound(self, chat: str, kind: InboundKind, **kw: object) -> Inbound:
        return Inbound(channel=self.channel, chat_id=chat, user_id=chat, kind=kind,
                       update_id=str(next(_updates)), **kw)  # type: ignore[arg-type]

    async def say(self, chat: str, text: str, **kw: object) -> list[Reply]:
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            return await self.service.handle(self._inbound(chat, InboundKind.COMMAND, text=text, command=command,
                                                           args=args, **kw))
        return await self.service.handle(self._inbound(chat, InboundKind.TEXT, text=text, **kw))

    async def press(self, chat: str, payload: str) -> list[Reply]:
        return await self.service.handle(self._inbound(chat, InboundKind.BUTTON, payload=payload))

    async def send(self, inbound: Inbound) -> list[Reply]:
        return await self.service.handle(inbound)

    # --- photos and uploaded files (after-sales, quality, sell-out, campaigns, apply) ----------------
    async def photo(self, chat: str, *refs: str) -> list[Reply]:
        """A photo message; ``refs`` are the stored file keys the channel adapter would give."""
        return await self.send(self._inbound(chat, InboundKind.PHOTO, file_refs=tuple(refs)))

    async def upload(self, chat: str, file_name: str, data: bytes) -> list[Reply]:
        """A document message whose bytes a dict-backed ``Deps.read_file`` serves."""
        ref = self._stored(data)
        return await self.send(self._inbound(chat, InboundKind.DOCUMENT, file_refs=(ref,), file_name=file_name))

    async def photo_of(self, chat: str, data: bytes) -> list[Reply]:
        """A photo message whose bytes a dict-backed ``Deps.read_file`` serves (read by ``Deps.read_image_text``
        when the test sets one)."""
        return await self.send(self._inbound(chat, InboundKind.PHOTO, file_refs=(self._stored(data),)))

    def _stored(self, data: bytes) -> str:
        ref = f"doc-{next(_updates)}"
        store: dict[str, bytes] = self.__dict__.setdefault("files", {})
        store[ref] = data

        async def read_file(key: str) -> bytes:
            if key not in store:
                raise FileNotFoundError(key)
            return store[key]

        self.service.deps.read_file = read_file
        return ref

    # --- pushes: what the outbox would deliver to a chat (notifications) ------------------------------
    async def pushed(self, chat: str) -> list[Reply]:
        """The outbox rows the worker would deliver to ``chat`` that were not returned by an earlier call,
        rendered in that chat's language, as Replies addressed to the chat (``channel``, ``chat_id``).

        Muted rows (``/settings``) are left out, as the worker leaves them unsent."""
        return await self._pushes(chat)

    async def all_pushed(self) -> list[Reply]:
        """``pushed`` for every chat at once, in the order the rows were queued."""
        return await self._pushes(None)

    def forget_pushes(self) -> None:
        """From now on ``pushed`` returns only rows queued after this call (what the next step causes)."""
        self.__dict__["_pushes_from"] = max((r.id or 0 for r in self.uow.outbox.rows), default=0)

    async def _pushes(self, chat: str | None) -> list[Reply]:
        from core.outbox import OutboxStatus
        from notifications.templates import render
        from notifications.worker import NoChat, resolve_recipient

        seen: dict[str, int] = self.__dict__.setdefault("_pushed_upto", {})
        floor = self.__dict__.get("_pushes_from", 0)
        out: list[Reply] = []
        async with self.uow as uow:
            for row in sorted(uow.outbox.rows, key=lambda r: r.id or 0):
                if row.status == OutboxStatus.FOLDED:      # told inside a digest row; the worker never sends it
                    continue
                try:
                    to = await resolve_recipient(uow, row, {self.channel})
                except NoChat:
                    continue
                if to is None or (chat is not None and to.chat_id != chat):
                    continue
                if (row.id or 0) <= max(seen.get(to.chat_id, 0), floor):
                    continue
                seen[to.chat_id] = row.id or 0
                rendered = render(row.kind, row.params, to.language)
                out.append(Reply(text=rendered.text, buttons=[[Button(b.label, b.payload) for b in r]
                                                               for r in rendered.buttons],
                                 channel=to.channel, chat_id=to.chat_id))
        return out
