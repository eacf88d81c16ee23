"""ConversationService: the one processor every channel calls.

``handle(inbound) -> list[Reply]``: drop re-deliveries, load the chat's dialog state, resolve who
is speaking, route (global commands, then button payloads, then the current dialog state, then the
parsed intent), save the state, and answer. Domain errors become a polite message in the user's
language; unexpected errors are logged, answered politely, and the delivery receipt is released so
a re-delivery can try again.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, timedelta

from core.dialogs import DialogState, InboundReceipt, Snapshot, merged
from core.errors import Conflict, DomainError, PermissionDenied
from core.services.users import identity_actor
from core.users import Actor, ActorKind, Role
from handlers import i18n
from handlers.catalogue import parse_message, parser_aliases
from handlers.context import Ctx, Deps
from handlers.messages import Answer, Button, Inbound, InboundKind, Reply, without_lone_surrogates
from handlers.router import (
    DEALER_SHOWN,
    READ_ONLY_INTENTS,
    Router,
    StepLeft,
    normalize_label,
    normalize_phrase,
    parse_payload,
    payload,
    remember_shown,
    shown_answers,
    shown_buttons,
)
from handlers.voice import listen
from nlu.classifier import LOW_CONFIDENCE
from nlu.normalize import one_message
from nlu.replies import says_no, says_yes
from nlu.schema import Intent, ParseResult
from nlu.staff_commands import parse_staff_command

log = logging.getLogger(__name__)

# intents that lead to writing something: when the parser is unsure, ask back first (an order
# only when it names items: "我要下单" alone just explains how to order)
MAX_LABEL = 24           # characters of a button's label as typed (no emoji, no spaces): "今日待办", "applytobeadealer"
ASK_BACK = {Intent.PLACE_ORDER, Intent.CANCEL_ORDER, Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK,
            Intent.REPORT_SALES}
#: a dealer's own jobs: staff words read unsurely as one of them are not offered it (staff cannot do it: "您是想上报
#: 销量吗？" led to "此功能仅供经销商用户使用"); the flow answers staff itself (their question about the dealers'
#: figures, else what their own job can do)
DEALERS_OWN = {Intent.AFTER_SALES, Intent.REPORT_SALES}

i18n.register({
    "clarify.ask": ("我不太确定您的意思：“{text}”。您是想{what}吗？", "I am not sure what you mean by \"{text}\". "
                    "Do you want to {what}?"),
    "clarify.yes": ("是的", "Yes"),
    "clarify.no": ("不是，打开菜单", "No, show the menu"),
    "intent.place_order": ("下单", "place an order"),
    "intent.cancel_order": ("取消订单", "cancel an order"),
    "intent.after_sales": ("报修/售后", "open an after-sales ticket"),
    "intent.quality_feedback": ("反馈质量问题", "report a quality problem"),
    "intent.report_sales": ("上报销量", "report sales"),
    "also.offer": ("您还提到要{what}，处理完上面的，点这里继续：", "You also asked to {what}; when the above is done, "
                   "tap to go on:"),
    "also.go": ("继续：{what}", "Go on: {what}"),
    "shown.pick": ("要选哪一个？请点一下下面的一项。\n{title}", "Which one? Please tap one of the choices below.\n{title}"),
    "shown.which": ("上面有 {n} 个“{label}”，是哪一个？", "There are {n} \"{label}\" buttons above; which one?"),
    "form.expired": ("上次没有完成的操作（{when}）时间太久，已关闭；需要的话请重新开始。",
                     "What you left unfinished ({when}) was too long ago and is closed; start it again if you need it."),
})

# a second request in one message that only reads is answered at once; one that writes is offered
READ_ONLY = READ_ONLY_INTENTS | {Intent.FAQ}

TOUCH_EVERY = timedelta(minutes=5)
# a voice note to transcribe, a photo to read, a spreadsheet: seconds of work that do not hold a turn of the gate
SLOW_KINDS = frozenset({InboundKind.VOICE, InboundKind.PHOTO, InboundKind.DOCUMENT})
#: a form step left this long is closed when the chat speaks again: a message typed the next day is not the answer to
#: yesterday's "客户姓名？" or "付款参考号？". An open cart ("order...") is kept: it is shown whole at every edit.
FORM_IDLE = timedelta(hours=6)

CANCEL_WORDS = {"取消", "算了", "不要了", "退出", "cancel", "stop", "quit"}
PREV_WORDS = {"上一页", "上页", "前一页", "prev", "previous"}
PAGE_WORDS = {"下一页", "下页", "更多", "还有呢", "next", "more", *PREV_WORDS}
_PAGE_PHRASES = {normalize_phrase(w) for w in PAGE_WORDS}


class SpeakerCache:
    """Who speaks in a chat (chat account -> actor) and a dealer's own product words, kept per process while the
    ``actors`` version they were read with stands: a change to a chat identity, a user or a dealer alias bumps it
    in its own transaction (``storage.orm``), and every update reads it with the dialog, so a copy is never used
    after the change has committed, in this process or any other. Without a version nothing is kept."""

    LIMIT = 20_000          # entries of each kind; past it the kind starts again empty

    def __init__(self) -> None:
        self._actors: dict[tuple[str, str], tuple[int, Actor | None]] = {}
        self._aliases: dict[int, tuple[int, dict[str, str] | None]] = {}

    async def actor(self, version: int | None, key: tuple[str, str],
                    read: Callable[[], Awaitable[Actor | None]]) -> Actor | None:
        kept = self._actors.get(key)
        if version is not None and kept is not None and kept[0] == version:
            return kept[1]
        actor = await read()
        if version is not None:
            if len(self._actors) >= self.LIMIT:
                self._actors.clear()
            self._actors[key] = (version, actor)
        return actor

    async def aliases(self, version: int | None, actor: Actor,
                      read: Callable[[], Awaitable[dict[str, str] | None]]) -> dict[str, str] | None:
        dealer = actor.dealer_id
        kept = self._aliases.get(dealer) if dealer is not None else None
        if version is not None and kept is not None and kept[0] == version:
            return kept[1]
        words = await read()
        if version is not None and dealer is not None:
            if len(self._aliases) >= self.LIMIT:
                self._aliases.clear()
            self._aliases[dealer] = (version, words)
        return words


class ConversationService:
    def __init__(self, deps: Deps, routers: Iterable[Router]) -> None:
        self.deps = deps
        self.router = Router("root")
        for r in routers:
            self.router.include(r)
        self.router.buttons["clarify.yes"] = self._clarified
        self.router.buttons["clarify.no"] = self._not_that
        self.router.buttons["also.go"] = self._also
        for word in PAGE_WORDS:            # a typed 下一页 / 上一页 presses the last list's pager button
            self.router.staff_phrases[normalize_phrase(word)] = self._typed_page
        self._questions = {i: h for i, h in self.router.intents.items() if i in READ_ONLY_INTENTS}
        self._speakers = SpeakerCache()
        self._labels: dict[tuple[bool, ActorKind, Role | None], dict[str, str]] = {}

    async def handle(self, inbound: Inbound) -> list[Reply]:
        gate = self.deps.work_gate
        if gate is None or inbound.kind in SLOW_KINDS:
            with one_message():         # the text normalized once for the hooks and the parser, not by each
                return await self._handle(inbound)
        # a few updates at a time, the rest waiting in turn: under load each is done in a few ms of CPU instead of
        # all of them sharing the loop and the database (every await behind every other update's)
        async with gate:
            with one_message():
                return await self._handle(inbound)

    async def _handle(self, inbound: Inbound) -> list[Reply]:
        inbound = without_lone_surrogates(inbound)
        lang = self._client_language(inbound)
        receipt_key = f"{inbound.channel}:{inbound.update_id}" if inbound.update_id else ""
        actor: Actor | None = None
        try:
            if len(inbound.text) > self.deps.max_text_length:
                if receipt_key and not await self._first_delivery(inbound.channel, receipt_key):
                    return []
                return [Reply(text=i18n.t(lang, "error.too_long", limit=self.deps.max_text_length))]
            opened = await self._open(inbound, receipt_key)
            if opened is None:
                log.info("duplicate delivery ignored", extra={"key": receipt_key})
                return []
            dialog, actor, aliases = opened
            # a reply follows the language the person writes in (a Chinese dealer with an English phone still
            # reads Chinese), unless they chose one with /lang; what a message does not tell ("hi", "ok", a code,
            # a button) keeps the chat's, the language last written (before any: the client's); one message in
            # another language does not settle the chat's (``i18n.after_written``)
            before = (dialog.state, copy.deepcopy(dialog.data), dialog.language, dialog.written_language)
            written = i18n.written_language(inbound.text) if inbound.kind == InboundKind.TEXT else None
            if written is not None:      # before any message told a language, the chat's is the client's
                dialog.written_language = i18n.after_written(dialog.written_language or lang, written)
            elif inbound.kind == InboundKind.COMMAND:     # "/menu" (a new session): a one-off language is over
                dialog.written_language = i18n.kept_language(dialog.written_language)
            lang = dialog.language or i18n.last_language(dialog.written_language) or lang
            ctx = Ctx(inbound=inbound, dialog=dialog, actor=actor or Actor.anonymous(), deps=self.deps, lang=lang,
                      questions=self._questions, aliases=aliases)
            heard: list[Reply] = []
            if inbound.kind == InboundKind.VOICE:       # said back, then handled as the text it said
                heard, go_on = await listen(ctx)
                if not go_on:
                    return heard
            replies = heard + await self._route(ctx) + ctx.after
            if ctx.is_staff or ctx.is_dealer:
                # what the person sees now: staff typing a label of it press that button; a dealer's words about
                # it ("确认收货" under an order's card) mean what it shows
                remember_shown(ctx.dialog.data, replies, inbound.chat_id, None if ctx.is_staff else DEALER_SHOWN)
            if (ctx.dialog.state, ctx.dialog.data, ctx.dialog.language, ctx.dialog.written_language) != before \
                    or self._stale(ctx.dialog):
                await self._save_dialog(ctx.dialog, before)
            return replies + ctx.outbox
        except PermissionDenied as exc:
            if actor is not None and actor.kind == ActorKind.STAFF:     # "/tickets" typed by the order desk
                return [Reply(text=i18n.t(lang, "error.denied_staff", reason=exc.message(lang)))]
            return [Reply(text=exc.message(lang))]
        except DomainError as exc:
            return [Reply(text=exc.message(lang))]
        except Exception:
            log.exception("conversation failed", extra={"channel": inbound.channel, "kind": inbound.kind})
            if receipt_key:
                await self._forget_delivery(inbound.channel, receipt_key)
            return [Reply(text=i18n.t(lang, "error.generic"))]

    async def _open(self, inbound: Inbound,
                    receipt_key: str) -> tuple[DialogState, Actor | None, dict[str, str] | None] | None:
        """One short transaction per update before routing: take the delivery receipt (None: this update was
        handled already, here or in another process), read the chat's dialog state and who is speaking."""
        uow = self.deps.uow_factory().autocommit()      # the receipt's INSERT is the change: no BEGIN around it
        try:
            async with uow:
                if receipt_key:
                    # written first, before any read: the unique (channel, key) decides which delivery is handled,
                    # and on SQLite the transaction takes the write lock at once (a read first would have to
                    # upgrade a snapshot another writer may have moved on: "database is locked" at once); on
                    # PostgreSQL the INSERT and the dialog's read are one statement
                    dialog, version = await uow.receipt_and_dialog(
                        InboundReceipt(channel=inbound.channel, key=receipt_key, received_at=self.deps.clock.now()),
                        inbound.channel, inbound.chat_id)
                else:
                    dialog, version = await uow.dialog_and_version(inbound.channel, inbound.chat_id)
                actor = await self._speakers.actor(version, (inbound.channel, inbound.user_id),
                                                   lambda: identity_actor(uow, inbound.channel, inbound.user_id))
                # a dealer's text is parsed with its own words: read them in this transaction, not another
                aliases = None
                if actor is not None and actor.kind == ActorKind.DEALER and actor.dealer_id is not None \
                        and inbound.kind == InboundKind.TEXT:
                    aliases = await self._speakers.aliases(version, actor, lambda: parser_aliases(uow, actor))
                if receipt_key:
                    await uow.commit()
        except Conflict:      # handled already, here or in another process (or being handled right now)
            return None
        return dialog or DialogState(channel=inbound.channel, chat_id=inbound.chat_id), actor, aliases

    def _stale(self, dialog: DialogState) -> bool:
        """An unchanged dialog is written back only now and then: its ``updated_at`` says which channel a
        person used last (a push goes there), which needs minutes, not every message."""
        touched = dialog.updated_at
        return dialog.id is None or touched is None or self.deps.clock.now() - touched >= TOUCH_EVERY

    # --- routing ------------------------------------------------------------------------------
    async def _route(self, ctx: Ctx) -> list[Reply]:
        inbound = ctx.inbound
        r = self.router
        if inbound.kind == InboundKind.COMMAND:
            handler = r.commands.get(inbound.command.lower())
            if handler is not None:
                return await handler(ctx)
            return await r.commands["help"](ctx)
        if inbound.kind == InboundKind.TEXT and (ctx.is_staff or ctx.is_dealer) \
                and (answered := self._typed_answer(ctx)) is not None:
            # "是的", "确定", "yes cancel it", "放弃购物车" under a card asking one thing: its yes pressed, for that
            # card's subject (never read again as a new request about something else); "不", "算了", "取消": its no
            # (before the chat's cancel words: the card's own cancel says what was left)
            if isinstance(answered, list):
                return answered
            ctx.inbound = dataclasses.replace(inbound, kind=InboundKind.BUTTON, payload=answered)
            return await self._route(ctx)
        if inbound.kind == InboundKind.TEXT and inbound.text.strip().lower() in CANCEL_WORDS:
            return await r.commands["cancel"](ctx)
        if inbound.kind == InboundKind.BUTTON:
            parsed = parse_payload(inbound.payload)
            handler = r.buttons.get(parsed[0]) if parsed else None
            if parsed is None or handler is None:
                return [Reply(text=ctx.t("error.button_stale"))]
            if ctx.dialog.state and not ctx.dialog.state.startswith("order") \
                    and inbound.payload in self._menu_labels(ctx).values():
                # a main menu button tapped (an old greeting's, or the one /menu just showed): the form or the
                # question left open is left, as for its label typed; the next words answer nothing asked before
                self._leave(ctx)
            ctx.args = parsed[1]
            return await handler(ctx)
        if (left := self._left_long_ago(ctx)) is not None:
            ctx.idle()
            return [Reply(text=ctx.t("form.expired", when=left)), *await self._route(ctx)]
        if inbound.kind == InboundKind.TEXT and ctx.is_staff and ctx.dialog.state \
                and normalize_phrase(inbound.text) in r.staff_anywhere:   # another job: the form is left
            ctx.idle()
            return await r.staff_phrases[normalize_phrase(inbound.text)](ctx)
        for hook in r.text_hooks_anywhere if inbound.kind == InboundKind.TEXT else ():
            if (hooked := await hook(ctx)) is not None:
                return hooked
        for hook in r.upload_hooks if inbound.kind in (InboundKind.PHOTO, InboundKind.DOCUMENT) else ():
            if (hooked := await hook(ctx)) is not None:
                return hooked
        if inbound.kind == InboundKind.TEXT and (pressed := self._typed_label(ctx)) is not None:
            # "今日待办", "额度申请", "📦 我的订单": that menu button pressed; a form left for it as for the tap
            # (a cart is kept)
            ctx.inbound = dataclasses.replace(inbound, kind=InboundKind.BUTTON, payload=pressed)
            return await self._route(ctx)
        if inbound.kind == InboundKind.TEXT and ctx.is_staff and (on_screen := self._typed_shown(ctx)) is not None:
            # "通过", "受理", "确认发布" typed under the screen that shows that button: it pressed (the screen's
            # dialog is the button's own); several such buttons: which one
            if isinstance(on_screen, list):
                return on_screen
            ctx.inbound = dataclasses.replace(inbound, kind=InboundKind.BUTTON, payload=on_screen)
            return await self._route(ctx)
        state = ctx.dialog.state
        while state:
            if state in r.states:
                try:
                    return await r.states[state](ctx)
                except StepLeft as leaving:     # another request typed at a step: the step left, the request done
                    ctx.idle()
                    return [*leaving.replies, *await self._route(ctx), *leaving.after]
            state = state.rpartition(".")[0]
        if inbound.kind == InboundKind.CONTACT and "contact" in r.commands:
            return await r.commands["contact"](ctx)
        if inbound.kind in (InboundKind.PHOTO, InboundKind.DOCUMENT, InboundKind.LOCATION):
            return await r.commands["help"](ctx)
        if inbound.kind == InboundKind.TEXT and ctx.is_dealer and isinstance(ctx.dialog.data.get("pages"), dict) \
                and normalize_phrase(inbound.text) in _PAGE_PHRASES:      # a dealer's list shown with a pager
            return await self._typed_page(ctx)
        if inbound.kind == InboundKind.TEXT and ctx.is_staff:
            phrase = r.staff_phrases.get(normalize_phrase(inbound.text))
            if phrase is not None:
                return await phrase(ctx)
            for hook in r.staff_hooks:
                if (hooked := await hook(ctx)) is not None:
                    return hooked
            for shape, handler in r.staff_patterns:
                if shape.search(inbound.text.strip()):
                    return await handler(ctx)
            if r.staff_words is not None and parse_staff_command(inbound.text) is not None:
                return await r.staff_words(ctx)
        for hook in r.text_hooks if inbound.kind == InboundKind.TEXT else ():
            if (hooked := await hook(ctx)) is not None:
                return hooked
        ctx.parsed = await parse_message(ctx)
        handler = r.intents.get(ctx.parsed.intent)
        if handler is None:
            return await r.commands["help"](ctx)
        if ctx.parsed.confidence < LOW_CONFIDENCE and ctx.parsed.intent in ASK_BACK and not (
                ctx.is_staff and ctx.parsed.intent in DEALERS_OWN) and (
                ctx.parsed.intent != Intent.PLACE_ORDER or ctx.parsed.slots.items) and not (
                ctx.is_staff and ctx.parsed.intent == Intent.QUALITY_FEEDBACK):   # staff: read the figures
            return self._ask_back(ctx)
        return await handler(ctx) + await self._second_request(ctx)

    def _leave(self, ctx: Ctx) -> None:
        """The form open left for a main-menu button: what it keeps is kept (``Router.left``: a sell-out report is
        parked) and said after the button's answer; any other is just left."""
        keep = self.router.leaving.get(ctx.dialog.state.partition(".")[0])
        if keep is not None:
            ctx.after.extend(keep(ctx))
        ctx.idle()

    def _typed_answer(self, ctx: Ctx) -> str | list[Reply] | None:
        """Words answering the card last shown (``Button.answer``): the payload of its yes button when they are that
        button's label or a yes ("是的 不要了", "yes cancel it"); of its no button when they are a no ("不", "算了");
        a bare yes under a "which one?" list: the list asked again; else None (the words are read as ever). A card
        shown longer ago than ``FORM_IDLE`` asks nothing."""
        answers = shown_answers(ctx.dialog.data)
        touched = ctx.dialog.updated_at
        if not answers or touched is None or self.deps.clock.now() - (
                touched if touched.tzinfo else touched.replace(tzinfo=UTC)) >= FORM_IDLE:
            return None
        no = {a.pressed for a in answers if a.answer == Answer.NO}
        if len(no) == 1 and says_no(ctx.inbound.text):
            return no.pop()
        said = normalize_label(ctx.inbound.text)
        yes = {a.pressed: a for a in answers if a.answer == Answer.YES}
        if said and len(said) <= MAX_LABEL:
            named = {pressed for pressed, a in yes.items() if a.typed == said}
            if len(named) == 1:
                return named.pop()
        if not says_yes(ctx.inbound.text, tuple(a.label for a in yes.values())):
            return None
        if len(yes) == 1:
            return next(iter(yes))
        picks = [a for a in answers if a.answer == Answer.PICK]
        if yes or not picks:
            return None
        rows = [[Button(a.label, a.pressed, Answer.PICK)] for a in picks]
        return [Reply(text=i18n.t(ctx.lang, "shown.pick", title=picks[0].title), buttons=rows[:10])]

    def _typed_shown(self, ctx: Ctx) -> str | list[Reply] | None:
        """The payload of the button last shown whose label the message is; several buttons of that label (a list
        of orders, each with ✅ 通过): the question which, with one button each under its line; none: None."""
        said = normalize_label(ctx.inbound.text)
        if not said or len(said) > MAX_LABEL:
            return None
        found: dict[str, tuple[str, str]] = {}
        for label, pressed, title in shown_buttons(ctx.dialog.data):
            if label == said:
                found.setdefault(pressed, (label, title))
        if len(found) <= 1:
            return next(iter(found), None)
        text = ctx.inbound.text.strip()
        rows = [[Button(f"{text} · {title}"[:64], pressed)] for pressed, (_, title) in found.items()]
        return [Reply(text=i18n.t(ctx.lang, "shown.which", label=text, n=len(found)), buttons=rows[:10])]

    def _typed_label(self, ctx: Ctx) -> str | None:
        """The payload of the menu button whose label the message is, else None."""
        said = normalize_label(ctx.inbound.text)
        if not said or len(said) > MAX_LABEL:      # a sentence is no button's label: the menu is not built for it
            return None
        return self._menu_labels(ctx).get(said)

    def _menu_labels(self, ctx: Ctx) -> dict[str, str]:
        """The menu buttons' payloads by label as typed, kept per process for each language, kind of person and
        role (what a label source may depend on: ``Router.typed_labels``): the menu was built, every label
        translated and normalized, for every short message."""
        key = (i18n.is_english(ctx.lang), ctx.actor.kind, ctx.actor.role)
        labels = self._labels.get(key)
        if labels is None:
            labels = {}
            for source in self.router.label_sources:
                for button in source(ctx):
                    labels.setdefault(normalize_label(button.label), button.payload)
            self._labels[key] = labels
        return labels

    def _left_long_ago(self, ctx: Ctx) -> str | None:
        """When the dialog waits at a form step untouched for ``FORM_IDLE``: the time it was left (business time),
        else None. The cart's states are not forms."""
        state, touched = ctx.dialog.state, ctx.dialog.updated_at
        if not state or state == "order" or state.startswith("order.") or touched is None:
            return None
        now = self.deps.clock.now()
        touched = touched if touched.tzinfo else touched.replace(tzinfo=UTC)
        if now - touched < FORM_IDLE:
            return None
        return touched.astimezone(self.deps.clock.tz).strftime("%m-%d %H:%M")

    async def _second_request(self, ctx: Ctx) -> list[Reply]:
        """"我要AP300 10台，DH20有没有货？另外上次那单发货了没": the first request was handled; each next one that only
        reads is answered too (the dialog the first left, e.g. an open cart, is kept as it was), one that writes is
        offered with a button of its own."""
        first = ctx.parsed
        out: list[Reply] = []
        offered: list[dict[str, object]] = []
        also = first.also if first else None
        while also is not None:
            nxt, also = also, also.also
            if nxt.intent not in self.router.intents:
                continue
            if nxt.intent in READ_ONLY:
                state, data = ctx.dialog.state, copy.deepcopy(ctx.dialog.data)
                ctx.parsed = nxt.model_copy(update={"also": None})
                try:
                    out += await self.router.intents[nxt.intent](ctx)
                except DomainError as exc:
                    out.append(Reply(text=exc.message(ctx.lang)))
                finally:
                    ctx.parsed, ctx.dialog.state, ctx.dialog.data = first, state, data
            elif nxt.intent in ASK_BACK:
                offered.append(nxt.model_copy(update={"also": None}).model_dump(mode="json"))
        if offered:
            ctx.dialog.data["also"] = offered
        for i, raw in enumerate(offered):
            what = i18n.t(ctx.lang, f"intent.{raw['intent']}")
            out.append(Reply(text=ctx.t("also.offer", what=what),
                             buttons=[[Button(ctx.t("also.go", what=what), payload("also.go", i))]]))
        return out

    async def _typed_page(self, ctx: Ctx) -> list[Reply]:
        pages = ctx.dialog.data.get("pages")
        direction = "prev" if normalize_phrase(ctx.inbound.text) in PREV_WORDS else "next"
        parsed = parse_payload(str(pages.get(direction) or "")) if isinstance(pages, dict) else None
        handler = self.router.buttons.get(parsed[0]) if parsed else None
        if parsed is None or handler is None:
            return [Reply(text=ctx.t("page.none"))]
        ctx.args = parsed[1]
        return await handler(ctx)

    async def _also(self, ctx: Ctx) -> list[Reply]:
        """``also.go[|<i>]``: the i-th request offered with the message before (a list; one dict before that)."""
        kept = ctx.dialog.data.pop("also", None)
        i = int(ctx.args[0]) if ctx.args and ctx.args[0].isdigit() else 0
        raw = kept[i] if isinstance(kept, list) and i < len(kept) else kept
        if not isinstance(raw, dict):
            return [Reply(text=ctx.t("error.button_stale"))]
        if isinstance(kept, list) and any(isinstance(k, dict) for n, k in enumerate(kept) if n != i):
            ctx.dialog.data["also"] = [None if n == i else k for n, k in enumerate(kept)]   # the others still offered
        ctx.parsed = ParseResult.model_validate(raw)
        return await self.router.intents[ctx.parsed.intent](ctx)

    def _ask_back(self, ctx: Ctx) -> list[Reply]:
        """Unsure about a message that would start something that writes: ask before acting."""
        assert ctx.parsed is not None
        ctx.go("clarify", parsed=ctx.parsed.model_dump(mode="json"))
        what = i18n.t(ctx.lang, f"intent.{ctx.parsed.intent.value}")
        return [Reply(text=ctx.t("clarify.ask", what=what, text=ctx.inbound.text[:60]),
                      buttons=[[Button(ctx.t("clarify.yes"), payload("clarify.yes")),
                                Button(ctx.t("clarify.no"), payload("clarify.no"))]])]

    async def _not_that(self, ctx: Ctx) -> list[Reply]:
        if ctx.dialog.state == "clarify":
            ctx.idle()
        return await self.router.buttons["menu"](ctx)

    async def _clarified(self, ctx: Ctx) -> list[Reply]:
        if ctx.dialog.state != "clarify" or "parsed" not in ctx.dialog.data:
            return [Reply(text=ctx.t("error.button_stale"))]
        ctx.parsed = ParseResult.model_validate(ctx.dialog.data["parsed"])
        ctx.idle()
        return await self.router.intents[ctx.parsed.intent](ctx) + await self._second_request(ctx)

    # --- state and receipts ---------------------------------------------------------------------
    def _client_language(self, inbound: Inbound) -> str:
        if inbound.language and i18n.is_english(inbound.language):
            return "en"
        return self.deps.default_language

    async def _first_delivery(self, channel: str, key: str) -> bool:
        uow = self.deps.uow_factory()
        try:
            async with uow:     # the unique (channel, key) decides (see _open)
                await uow.receipts.add(InboundReceipt(channel=channel, key=key, received_at=self.deps.clock.now()))
                await uow.commit()
            return True
        except Conflict:
            return False

    async def _forget_delivery(self, channel: str, key: str) -> None:
        try:
            async with self.deps.uow_factory() as uow:
                receipt = await uow.receipts.get_by(channel=channel, key=key)
                if receipt is not None:
                    await uow.receipts.delete(receipt)
                    await uow.commit()
        except Exception:  # the answer to the user matters more than this cleanup
            log.exception("could not release delivery receipt")

    async def _save_dialog(self, dialog: DialogState, before: Snapshot) -> None:
        now = self.deps.clock.now()
        if dialog.id is not None:
            # the row read when the update came in: written back in one statement when nobody wrote it since,
            # which is its own transaction (no BEGIN, no COMMIT around it); else merged below
            async with self.deps.uow_factory().autocommit() as uow:
                if await uow.write_dialog(dialog, now):
                    await uow.commit()
                    return
        async with self.deps.uow_factory() as uow:
            stored = await uow.dialogs.get_by(channel=dialog.channel, chat_id=dialog.chat_id, for_update=True)
            if stored is None:      # the first of this chat: one INSERT with every field (not INSERT + UPDATE)
                await uow.dialogs.add(DialogState(channel=dialog.channel, chat_id=dialog.chat_id, state=dialog.state,
                                                  data=dict(dialog.data), language=dialog.language,
                                                  written_language=dialog.written_language, updated_at=now))
            else:       # another message of this chat was handled meanwhile (in another process): merged
                merged(stored, before, dialog)
                stored.updated_at = now
            await uow.commit()
