"""What a handler gets: the inbound message, the chat's dialog state, the actor, and dependencies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.clock import Clock
from core.dialogs import DialogState
from core.forecast_rules import Forecaster
from core.ledger import DEFAULT_CREDIT_DAYS
from core.ports import AbstractDocumentRenderer, AbstractFileStore, AbstractReportStore, AbstractUnitOfWork
from core.services.payments import DEFAULT_APPROVAL_THRESHOLD
from core.users import Actor, ActorKind, User
from handlers import i18n
from handlers.catalogue import CatalogueCache
from handlers.messages import Button, Inbound, Reply
from nlu.faq import FaqAnswerer
from nlu.ocr_rows import OcrBox
from nlu.schema import Intent, IntentParser, ParseResult

#: where a cart left for another form waits (``Ctx.go``); ordering takes it up again
PARKED_CART = "_parked_cart"
#: where a sell-out report with lines left for another request waits (``Ctx.go``, ``handlers.flows.sellout``); the
#: report takes it up again when the dealer goes back to it
PARKED_SELLOUT = "_parked_sellout"
_PARKED = (PARKED_CART, PARKED_SELLOUT)


def parked_sellout(data: dict[str, Any]) -> dict[str, Any]:
    """What of a sell-out report in progress (the data of an ``so.*`` state) is parked: the lines read (``rows``),
    those still waiting for an answer (``open``: an unknown product, which of several, which day) and the messages
    they came from (``said``: one sent again is asked about)."""
    return {key: data[key] for key in ("rows", "open", "said") if data.get(key)}


@dataclass
class Deps:
    uow_factory: Callable[[], AbstractUnitOfWork]
    clock: Clock
    parser: IntentParser
    default_language: str = "zh-CN"
    max_text_length: int = 4000
    # bytes of an uploaded file by its ref (Inbound.file_refs); the channel adapter provides it
    read_file: Callable[[str], Awaitable[bytes]] | None = None
    # a voice note's bytes (+ the catalogue's words as hints) -> what it said (bot.voice); None: voice is off
    hear: Callable[[bytes, Sequence[str]], Awaitable[Heard]] | None = None
    # the text boxes on a photo (bot.ocr: RapidOCR, offline); None: photos of order lists are not read
    read_image_text: Callable[[bytes], Awaitable[list[OcrBox]]] | None = None
    faq: FaqAnswerer | None = None      # None: the bundled offline FAQ (nlu.faq.FuzzyFaqAnswerer)
    reports: AbstractReportStore | None = None   # None: reports answer that they are not set up
    forecaster: Forecaster | None = None         # None: seasonal naive (core.forecast_rules)
    files: AbstractFileStore | None = None       # signed contract PDFs (bot.files.FileStore)
    documents: AbstractDocumentRenderer | None = None   # None: documents.contract_pdf (reportlab)
    catalogue: CatalogueCache = field(default_factory=CatalogueCache)  # the app caches for a few seconds
    # what suspending a dealer does to its open orders (setting SUSPENSION_OPEN_ORDERS: keep | hold)
    suspension_open_orders: str = "keep"
    credit_days: int = DEFAULT_CREDIT_DAYS      # credit terms (setting CREDIT_DAYS): older credit use is overdue
    # refunds/adjustments above this wait for a second person (setting FINANCE_APPROVAL_THRESHOLD)
    finance_approval_threshold: Decimal = DEFAULT_APPROVAL_THRESHOLD
    # at most this many updates handled at once in this process, the rest waiting their turn in arrival order
    # (setting WORK_CONCURRENCY; the REST API takes turns at the same gate): None, no limit
    work_gate: asyncio.Semaphore | None = None


@dataclass(frozen=True)
class Heard:
    """What a voice note said (``Deps.hear``): the text, how long it was, and what went wrong if anything:
    "unreadable" (not audio), "too_long", "unclear" (silence, nothing recognised), "failed" (the speech service);
    ``limit``: the longest note the listener takes (seconds), for the "too long" answer."""
    text: str = ""
    seconds: float = 0.0
    problem: str = ""
    limit: float = 0.0


@dataclass
class Ctx:
    inbound: Inbound
    dialog: DialogState
    actor: Actor
    deps: Deps
    lang: str
    user: User | None = None
    parsed: ParseResult | None = None
    args: list[str] = field(default_factory=list)   # button payload arguments
    outbox: list[Reply] = field(default_factory=list)  # messages to other chats (staff prompts)
    # said in this chat after the answer to the message (an offer the message passed over: not done, and how to)
    after: list[Reply] = field(default_factory=list)
    # the question-answering handlers of every flow (set by the service): a flow in the middle of a form
    # answers "AP800什么价" by the one handler for it, without importing the other flow
    questions: dict[Intent, Callable[[Ctx], Awaitable[list[Reply]]]] = field(default_factory=dict)
    # the speaking dealer's own words for products (word -> SKU), read with the dialog when a text comes in
    # (None: not read yet, or not a dealer); ``handlers.catalogue.parse_message`` reads them itself otherwise
    aliases: dict[str, str] | None = None

    # --- convenience -------------------------------------------------------------------------
    def uow(self) -> AbstractUnitOfWork:
        return self.deps.uow_factory()

    @property
    def bound(self) -> bool:
        return self.actor.kind in (ActorKind.DEALER, ActorKind.STAFF)

    @property
    def is_dealer(self) -> bool:
        return self.actor.kind == ActorKind.DEALER

    @property
    def is_staff(self) -> bool:
        return self.actor.kind == ActorKind.STAFF

    @property
    def en(self) -> bool:
        return i18n.is_english(self.lang)

    def t(self, key: str, **params: Any) -> str:
        return i18n.t(self.lang, key, **params)

    def pick(self, zh: str, en: str) -> str:
        return en if self.en else zh

    def text(self, text: str, buttons: list[list[Button]] | None = None) -> Reply:
        return Reply(text=text, buttons=buttons or [])

    def go(self, state: str, **data: Any) -> None:
        """Move the dialog to ``state``, replacing what was collected with ``data``.

        A cart with lines left for another form (an ``order.*`` state to any other) is parked under ``PARKED_CART``
        and travels with the dialog, through forms and back to idle, until ordering takes it up again
        (handlers.flows.cart: ``Cart.parked``): "购物车会保留" is kept. A sell-out report with lines left for
        another form (an ``so.*`` state to any other) is parked the same way under ``PARKED_SELLOUT``
        (handlers.flows.sellout takes it up again): its lines read and those still waiting for an answer."""
        old_state, old = self.dialog.state, self.dialog.data
        parked = {key: old[key] for key in _PARKED if old.get(key)}
        # into another form (a state); never when ordering ends (idle: submitted, dropped)
        if old_state.startswith("order.") and state and not state.startswith("order.") and old.get("items"):
            parked[PARKED_CART] = {k: v for k, v in old.items() if k not in _PARKED}
        if old_state.startswith("so.") and state and not state.startswith("so.") and (old.get("rows") or old.get("open")):
            parked[PARKED_SELLOUT] = parked_sellout(old)
        self.dialog.state = state
        self.dialog.data = dict(data)
        for key, prefix in ((PARKED_CART, "order."), (PARKED_SELLOUT, "so.")):
            if parked.get(key) and not state.startswith(prefix) and key not in data:
                self.dialog.data[key] = parked[key]

    def idle(self) -> None:
        kept = {key: self.dialog.data[key] for key, prefix in ((PARKED_CART, "order."), (PARKED_SELLOUT, "so."))
                if self.dialog.data.get(key) and not self.dialog.state.startswith(prefix)}
        self.dialog.state = ""
        self.dialog.data = kept
