"""Routing table of the conversation: commands, button payloads, dialog states and intents -> handlers.

Each flow module builds one ``Router(name=__name__)`` and exposes it; ``handlers.service`` merges them.
Button payloads are short and versioned: ``1|<action>|<arg>|<arg>`` (Telegram allows 64 bytes; the codec is
``core.payload``, re-exported here);
a payload of another version, or naming something the user may not touch, is refused on arrival
(the use cases re-check authorization: a payload is never trusted).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from core.payload import MAX_PAYLOAD_BYTES as MAX_PAYLOAD_BYTES
from core.payload import PAYLOAD_VERSION as PAYLOAD_VERSION
from core.payload import parse_payload as parse_payload
from core.payload import payload as payload
from handlers.messages import Answer
from nlu.record_keys import record_key_in
from nlu.schema import Intent

if TYPE_CHECKING:
    from handlers.context import Ctx
    from handlers.messages import Button, Reply

Handler = Callable[["Ctx"], Awaitable[list["Reply"]]]
# a typed message of a shape one flow owns ("DH20 低于5台提醒我"): its replies, or None to let the parser read it
TextHook = Callable[["Ctx"], Awaitable["list[Reply] | None"]]
# the buttons a person sees without asking (the main menu of their role): their labels typed are those buttons
LabelSource = Callable[["Ctx"], "list[Button]"]
# a form left for a main-menu button: keeps what it may (the dialog left idle), and says so after the button's answer
Leaving = Callable[["Ctx"], "list[Reply]"]

# intents that only read: answered in the middle of another conversation (a cart, a form) without leaving it,
# and as the second request of a message ("订10台AP800，另外DH50还有货吗")
READ_ONLY_INTENTS = frozenset({Intent.QUERY_STOCK, Intent.ORDER_STATUS, Intent.PRICE_QUERY, Intent.TICKET_STATUS,
                               Intent.CONTRACT_QUERY, Intent.SALES_QUERY, Intent.CAMPAIGN_QUERY})

_LABEL_NOISE = re.compile(r"[^\w\u4e00-\u9fff]+")


def normalize_label(text: str) -> str:
    """A button's label as typed: no emoji, spaces or punctuation, lower case ("📋 今日待办" is "今日待办")."""
    return _LABEL_NOISE.sub("", text).lower()


def normalize_phrase(text: str) -> str:
    """A typed message as a staff phrase is looked up: lower case, no spaces or end punctuation, colloquial
    "what" as 什么 ("今天有啥要处理的" is "今天有什么要处理的") and no sentence-final particle."""
    folded = "".join(text.lower().split()).strip("。.!！?？~～").replace("啥", "什么").replace("咩", "什么")
    return folded.rstrip("呢吗啊呀嘛哈") or folded


class StepLeft(Exception):  # noqa: N818 (a signal, not an error)
    """Raised by a dialog state's handler when the message answers nothing its step asks but is another request
    ("今天一共发了几单货" at the warehouse choice): the service leaves the step (the dialog goes idle) and routes the
    message again, after ``replies`` (which say the step was left)."""

    def __init__(self, replies: list[Reply], *, after: list[Reply] | None = None) -> None:
        super().__init__("step left")
        self.replies = replies
        self.after = after or []      # said after the request's answer (how to go back to what was left)


SHOWN = "shown"         # dialog data: the buttons of the last screen a person was shown
MAX_SHOWN = 60          # buttons remembered (a paged list shows at most a few dozen)
MAX_TITLE = 60          # characters of the line a remembered button is shown under
_ANSWERS = frozenset(a.value for a in Answer)


#: the buttons a dealer's words may act on ("确认收货" under an order's card): only these are kept for dealers, so a
#: dealer's screen of other buttons changes no dialog row (a write per update otherwise: the statement budget)
DEALER_SHOWN = frozenset({"orders.recv_ok", "orders.recv", "orders.claim"})


def remember_shown(data: dict[str, Any], replies: list[Reply], chat_id: str,
                   only: frozenset[str] | None = None) -> None:
    """Keep in the dialog ``data`` the buttons of ``replies`` (those to this chat; of the actions ``only`` names, or
    answering their card's question (``Button.answer``), when ``only`` is given): [label as typed, payload, the first
    line of the message it is under, what it answers ("" none), the label as shown]; no buttons: nothing kept. Their labels typed next
    are those buttons (``shown_buttons``), as the main menu's are; a yes typed next is the card's yes
    (``shown_answers``)."""
    shown = [[normalize_label(b.label), b.payload, _line_of(r.text, row, b)[:MAX_TITLE],
              str(b.answer or ""), b.label[:MAX_TITLE]]
             for r in replies if not r.chat_id or r.chat_id == chat_id for row in r.buttons for b in row
             if only is None or b.answer is not None
             or ((parsed := parse_payload(b.payload)) is not None and parsed[0] in only)]
    if shown:
        data[SHOWN] = shown[:MAX_SHOWN]
    else:
        data.pop(SHOWN, None)


def _line_of(text: str, row: list[Button], button: Button) -> str:
    """The line a button is about: under a list with one row of buttons per record ("⏰ AS-20261206-0001",
    "🙋 受理"), the list's line naming the record its row-mate names ("AS-20261206-0001 宁波瑞丰… 渗水"), so that
    several buttons of one label can be told apart; else the message's first line."""
    lines = [line.strip() for line in text.strip().splitlines()]
    for mate in row:
        if mate is button or (key := record_key_in(mate.label)) is None:
            continue
        hit = next((line for line in lines[1:] if key in line), None)
        if hit is not None:
            return hit.lstrip("⏰·•- ").strip()
    return (lines or [""])[0]


def _kept(data: dict[str, Any]) -> list[list[Any]]:
    kept = data.get(SHOWN)
    return [b for b in kept if isinstance(b, list) and len(b) >= 3] if isinstance(kept, list) else []


def shown_buttons(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The buttons ``remember_shown`` kept: (label as typed, payload, the line it is under)."""
    return [(str(b[0]), str(b[1]), str(b[2])) for b in _kept(data)]


class ShownAnswer(NamedTuple):
    typed: str          # the label as typed (``normalize_label``)
    pressed: str        # the payload
    title: str          # the first line of the card it is under
    answer: Answer
    label: str          # the label as shown


def shown_answers(data: dict[str, Any]) -> list[ShownAnswer]:
    """The kept buttons that answer their card's question."""
    return [ShownAnswer(str(b[0]), str(b[1]), str(b[2]), Answer(b[3]), str(b[4])) for b in _kept(data)
            if len(b) > 4 and b[3] in _ANSWERS]


def shown_payloads(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(action, args) of each button ``remember_shown`` kept: what the screen the person looks at offers
    ("确认收货" typed under an order's card is that order's receipt)."""
    return [parsed for _, pressed, _ in shown_buttons(data) if (parsed := parse_payload(pressed)) is not None]


class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self.commands: dict[str, Handler] = {}
        self.buttons: dict[str, Handler] = {}
        self.states: dict[str, Handler] = {}
        self.intents: dict[Intent, Handler] = {}
        self.staff_phrases: dict[str, Handler] = {}
        self.staff_anywhere: set[str] = set()
        self.staff_patterns: list[tuple[re.Pattern[str], Handler]] = []
        self.staff_words: Handler | None = None     # staff commands in words (nlu.staff_commands), one handler
        self.text_hooks: list[TextHook] = []
        self.text_hooks_anywhere: list[TextHook] = []    # tried before the dialog state's handler too
        self.staff_hooks: list[TextHook] = []            # a staff message outside a form, before the patterns
        self.upload_hooks: list[TextHook] = []           # a photo or file no form step is waiting for
        self.label_sources: list[LabelSource] = []       # buttons whose labels typed press them
        self.leaving: dict[str, Leaving] = {}            # by a form's state prefix ("so"): what leaving it keeps

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self.commands[n.lstrip("/").lower()] = fn
            return fn
        return deco

    def button(self, *actions: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for a in actions:
                self.buttons[a] = fn
            return fn
        return deco

    def state(self, *states: str) -> Callable[[Handler], Handler]:
        """Handles non-command input (text, photo, contact...) while the dialog is in one of ``states``."""
        def deco(fn: Handler) -> Handler:
            for s in states:
                self.states[s] = fn
            return fn
        return deco

    def intent(self, *intents: Intent) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for i in intents:
                self.intents[i] = fn
            return fn
        return deco

    def staff_phrase(self, *phrases: str, anywhere: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
        """Whole messages staff type for a job ("记一笔回款", "待审批"), matched before the parser; dealers' words
        still go to the parser. ``anywhere``: phrases no form step takes as an answer ("今天有什么要处理的"), which
        leave a form half filled in for that job; the others ("今天") answer a form step when one is open."""
        def deco(fn: Handler) -> Handler:
            for p in (*phrases, *anywhere):
                self.staff_phrases[normalize_phrase(p)] = fn
            self.staff_anywhere.update(normalize_phrase(p) for p in anywhere)
            return fn
        return deco

    def staff_pattern(self, pattern: str) -> Callable[[Handler], Handler]:
        """A staff message of this shape ("合肥新锐打了5万"), tried after the phrases, before the parser."""
        def deco(fn: Handler) -> Handler:
            self.staff_patterns.append((re.compile(pattern, re.IGNORECASE), fn))
            return fn
        return deco

    def staff_command(self, fn: Handler) -> Handler:
        """The handler of staff commands in words ("把合肥新锐那单批了", a typed SO-/QF- number): called when
        ``nlu.staff_commands.parse_staff_command`` reads the message, after the phrases and patterns."""
        if self.staff_words is not None:
            raise ValueError(f"{self.name} has a staff command handler already")
        self.staff_words = fn
        return fn

    def text_hook(self, fn: TextHook) -> TextHook:
        """Tried on a typed message outside any dialog state, after the staff phrases, before the parser."""
        self.text_hooks.append(fn)
        return fn

    def staff_hook(self, fn: TextHook) -> TextHook:
        """Tried on a staff member's typed message outside any dialog state, after the staff phrases and before
        the staff patterns: words that answer the card just shown (a quality engineer's finding after a report's
        card) before a pattern elsewhere reads them as another request."""
        self.staff_hooks.append(fn)
        return fn

    def text_hook_anywhere(self, fn: TextHook) -> TextHook:
        """Tried on every typed message, before the dialog state's handler: for a shape no form step takes as
        an answer ("DH20 低于5台提醒我" in an open cart is not an order line). The hook keeps what it interrupts."""
        self.text_hooks_anywhere.append(fn)
        return fn

    def upload_hook(self, fn: TextHook) -> TextHook:
        """Tried on a photo or document before the dialog state's handler (an order list sent as a file or a
        photo); the hook returns None to leave it to the state's form (an after-sales photo, a sell-out file)."""
        self.upload_hooks.append(fn)
        return fn

    def typed_labels(self, fn: LabelSource) -> LabelSource:
        """The buttons (of the person's main menu) whose label typed ("今日待办", "额度申请", "📦 我的订单") is that
        button pressed, in a form too (the form is left: a menu label is no answer to a form's question). What a
        source gives may depend on the language and the person's kind and role only: it is kept per process under
        them (``ConversationService._menu_labels``)."""
        self.label_sources.append(fn)
        return fn

    def left(self, prefix: str) -> Callable[[Leaving], Leaving]:
        """What the form of states ``prefix.*`` does when a main-menu button is tapped (or its label typed) in the
        middle of it: it leaves the dialog idle, keeping what it may (a sell-out report parked), and returns what to
        say after the button's answer. A form with none is just left (the dialog idle)."""
        def deco(fn: Leaving) -> Leaving:
            self.leaving[prefix] = fn
            return fn
        return deco

    def include(self, other: Router) -> None:
        tables: list[tuple[dict[Any, Handler], dict[Any, Handler]]] = [
            (self.commands, other.commands), (self.buttons, other.buttons), (self.states, other.states),
            (self.intents, other.intents), (self.staff_phrases, other.staff_phrases)]
        for mine, theirs in tables:
            clash = set(mine) & set(theirs)
            if clash:
                raise ValueError(f"{other.name} redefines {sorted(map(str, clash))}")
            mine.update(theirs)
        self.staff_patterns.extend(other.staff_patterns)
        self.text_hooks.extend(other.text_hooks)
        self.text_hooks_anywhere.extend(other.text_hooks_anywhere)
        self.staff_hooks.extend(other.staff_hooks)
        self.upload_hooks.extend(other.upload_hooks)
        self.label_sources.extend(other.label_sources)
        if clash := set(self.leaving) & set(other.leaving):
            raise ValueError(f"{other.name} redefines leaving {sorted(clash)}")
        self.leaving.update(other.leaving)
        if other.staff_words is not None:
            if self.staff_words is not None:
                raise ValueError(f"{other.name} redefines the staff command handler")
            self.staff_words = other.staff_words
        self.staff_anywhere |= other.staff_anywhere
