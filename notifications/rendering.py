"""The outbox templates' machinery (``notifications.templates`` says what they do): what a rendered push is
(text, buttons, parts, attachments), the params as one recipient sees them, the registry the kinds' modules fill
(``template``, ``simple``) and ``render``, which masks personal numbers in the finished text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.masking import mask_text
from core.payload import payload as button_payload


@dataclass(frozen=True)
class Button:
    label: str
    payload: str


@dataclass(frozen=True)
class Part:
    """One chat message of a ``chat.reply`` row: a channel's answer to a message it received, queued so
    its delivery is durable and rate-limited (WeCom). ``image`` / ``file`` are keys of the adapter's file
    store; ``edit_ref`` names an earlier message to update instead (the channel's reference)."""

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit_ref: str = ""
    image: str = ""
    image_name: str = ""
    file: str = ""
    file_name: str = ""


@dataclass(frozen=True)
class Attachment:
    """A stored file (its file-store key) that goes out before the message: a record's evidence (fault photos,
    receipts, scans), so whoever decides sees it above the card. ``name`` is what the file is called there."""

    key: str
    name: str = ""

    @property
    def is_pdf(self) -> bool:
        return self.key.lower().endswith(".pdf") or self.name.lower().endswith(".pdf")


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    parts: tuple[Part, ...] = ()     # chat.reply: the messages, in order (a sender that ignores them sends text)
    attachments: tuple[Attachment, ...] = ()   # sent first (images as an album, PDFs as files), then the text


#: the param a row's evidence travels in: ``[{"key": file-store key, "name": shown name}, ...]`` (``core.notify``)
ATTACHMENTS_PARAM = "attachments"


def attachments_of(params: Mapping[str, Any]) -> tuple[Attachment, ...]:
    """The row's evidence files; anything malformed is left out (a push is never lost over an attachment)."""
    found = params.get(ATTACHMENTS_PARAM) or []
    if not isinstance(found, list):
        return ()
    return tuple(Attachment(str(item["key"]), str(item.get("name") or "")) for item in found
                 if isinstance(item, dict) and isinstance(item.get("key"), str) and item["key"])


class UnknownTemplate(KeyError):
    """No template for this kind."""


def is_english(lang: str) -> bool:
    return lang.lower().startswith("en")


class Params:
    """The row's params as seen by one recipient: localized values picked, missing ones blank."""

    def __init__(self, values: Mapping[str, Any], lang: str) -> None:
        self.raw = values
        self.lang = lang
        self.en = is_english(lang)

    def __getitem__(self, key: str) -> Any:
        return self.pick(self.raw.get(key, ""))

    def get(self, key: str, default: Any = None) -> Any:
        return self.pick(self.raw[key]) if key in self.raw and self.raw[key] is not None else default

    def pick(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"zh", "en"}:
            return value["en"] if self.en else value["zh"]
        return value

    def t(self, zh: str, en: str, **extra: Any) -> str:
        """Format the template of this language with the params (picked) and ``extra``."""
        values = {k: self.pick(v) for k, v in self.raw.items()}
        values.update(extra)
        return (en if self.en else zh).format_map(_Blank(values))

    def btn(self, zh: str, en: str, action: str, *args: str | int) -> Button:
        return Button(en if self.en else zh, button_payload(action, *args))


class _Blank(dict[str, Any]):
    """format_map mapping whose missing keys read as blank (an old row missing a newer param)."""

    def __missing__(self, key: str) -> str:
        return ""


Renderer = Callable[[Params], Rendered]
_TEMPLATES: dict[str, Renderer] = {}


def template(*kinds: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        for kind in kinds:
            if kind in _TEMPLATES:
                raise ValueError(f"template defined twice: {kind}")
            _TEMPLATES[kind] = fn
        return fn
    return register


def simple(kind: str, zh: str, en: str, buttons: Callable[[Params], list[list[Button]]] | None = None) -> None:
    """A template that is one text (and optional buttons)."""
    def render(p: Params) -> Rendered:
        rows = buttons(p) if buttons is not None else []
        return Rendered(p.t(zh, en), tuple(tuple(r) for r in rows))
    template(kind)(render)


#: kinds whose text is rendered by a chat flow, not here: left as the flow wrote it (see the module docstring)
UNMASKED_KINDS = frozenset({"chat.reply", "staff.notice"})   # staff.notice: the words staff chose to send


def render(kind: str, params: Mapping[str, Any], lang: str) -> Rendered:
    try:
        renderer = _TEMPLATES[kind]
    except KeyError:
        raise UnknownTemplate(kind) from None
    rendered = renderer(Params(params, lang))
    attachments = rendered.attachments or attachments_of(params)
    if kind in UNMASKED_KINDS:
        return Rendered(rendered.text, rendered.buttons, rendered.parts, attachments)
    return Rendered(mask_text(rendered.text), rendered.buttons, rendered.parts, attachments)


def kinds() -> list[str]:
    return sorted(_TEMPLATES)


def known(kind: str) -> bool:
    """A template is registered for ``kind``."""
    return kind in _TEMPLATES


def _rows(*rows: list[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(r) for r in rows if r)
