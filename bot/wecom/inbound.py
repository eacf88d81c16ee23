"""WeCom callback XML -> ``handlers.messages.Inbound``: the inbound half of the WeCom adapter.

What it decides is about WeCom only, never about the business:

- ``text``: a command ("/start CODE"), a binding code on its own or after "绑定" (WeCom has no
  deep links, so a code typed as it was printed binds too), or plain text;
- ``image``: downloaded with ``media/get`` into the same ``FileStore`` as Telegram's photos;
- ``voice``: a VOICE inbound: WeCom's ``Recognition`` text when it gives one, else the AMR file (heard by the
  conversation, ``handlers.voice``);
- ``location``: latitude, longitude and the place's label;
- event ``click`` (the app's menu): a key that is a button payload ("1|orders.list") presses that
  button, "/menu" style keys are commands; event ``template_card_event`` (a card button): the
  button's payload (``EventKey``), with ``ResponseCode`` as the message reference for updating the card;
- event ``subscribe``: the menu (as "/start"); other events (entering the app, location reports) and
  messages of another agent are ignored; video, links and the rest get a short notice.

Exactly once: ``Inbound.update_id`` is the ``MsgId``; events have none, so their key is built from
the sender, the creation time and the event's key/task id, which WeCom repeats when it re-delivers.
"""

from __future__ import annotations

import hashlib
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

from bot.files import FileStore
from bot.wecom.client import WeComApiError, WeComClient
from handlers import i18n
from handlers.messages import Inbound, InboundKind

log = logging.getLogger(__name__)

CHANNEL = "wecom"
MAX_XML_BYTES = 256 * 1024

i18n.register({
    "wecom.unsupported": ("暂时只能识别文字、图片、语音（转文字）和位置。",
                          "I can read text, pictures, voice (as text) and locations only."),
    "wecom.file_failed": ("图片没有收到，请重新发送。", "I could not receive that picture; please send it again."),
})


class MalformedXml(ValueError):
    """Not the XML WeCom sends (or XML with a DTD, which WeCom never sends)."""


def parse_xml(body: bytes | str) -> dict[str, str]:
    """The root's children as ``{tag: text}`` (nested elements flattened one level: ``SendLocationInfo`` ->
    its children's tags). DTDs and entities are refused before parsing (no entity expansion, ever)."""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > MAX_XML_BYTES:
        raise MalformedXml("body too large")
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise MalformedXml("DTDs are not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise MalformedXml(str(exc)) from None
    if root.tag != "xml":
        raise MalformedXml(f"root element is <{root.tag}>")
    fields: dict[str, str] = {}
    for child in root:
        if len(child):
            for grandchild in child:
                fields.setdefault(grandchild.tag, (grandchild.text or "").strip())
        else:
            fields[child.tag] = (child.text or "").strip()
    return fields


@dataclass(frozen=True)
class Translation:
    """What to do with one callback: ``inbound`` (hand it to the conversation), or ``notice`` (an i18n
    key to answer with), or neither (ignore; ``reason`` says why)."""

    key: str
    chat_id: str = ""
    inbound: Inbound | None = None
    notice: str = ""
    reason: str = ""

    @property
    def ignored(self) -> bool:
        return self.inbound is None and not self.notice


def text_inbound(common: Inbound, text: str) -> Inbound:
    """A typed WeCom message (either mode): a /command or text (an invite code typed as text is recognised by the
    conversation, ``handlers.flows.menu.typed_code``, as on every channel)."""
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1 and not stripped[1].isspace():
        command, args = split_command(stripped)
        return replace(common, kind=InboundKind.COMMAND, text=stripped, command=command, args=args)
    return replace(common, text=text)


def split_command(text: str) -> tuple[str, str]:
    """``"/start CODE"`` -> ``("start", "CODE")``."""
    head, _, args = text[1:].partition(" ")
    return head.lower(), args.strip()


def _is_payload(key: str) -> bool:
    return key.startswith("1|")


class WeComInbound:
    """Translates decrypted callback fields; downloads pictures with ``client`` into ``files``."""

    def __init__(self, client: WeComClient, files: FileStore, *, agent_id: int | None = None) -> None:
        self.client = client
        self.files = files
        self.agent_id = agent_id

    async def translate(self, fields: dict[str, str]) -> Translation:
        sender = fields.get("FromUserName", "")
        msg_type = fields.get("MsgType", "")
        event = fields.get("Event", "")
        key = self.delivery_key(fields)
        base = Translation(key=key, chat_id=sender)
        if not sender:
            return replace(base, reason="no sender")
        agent = fields.get("AgentID", "")
        if self.agent_id is not None and agent and agent != str(self.agent_id):
            return replace(base, reason=f"message for agent {agent}")
        common = Inbound(channel=CHANNEL, chat_id=sender, user_id=sender, kind=InboundKind.TEXT,
                         display_name=sender, update_id=key)
        if msg_type == "event":
            return self._event(base, common, event, fields)
        if msg_type == "text":
            return replace(base, inbound=self._text(common, fields.get("Content", "")))
        if msg_type == "voice":
            recognized = fields.get("Recognition", "").strip()
            if recognized:              # WeCom's own recognition (when the app has it on): said back, then handled
                return replace(base, inbound=replace(common, kind=InboundKind.VOICE, text=recognized))
            return await self._media(base, common, fields, InboundKind.VOICE, "amr")
        if msg_type == "image":
            return await self._image(base, common, fields)
        if msg_type == "location":
            try:
                latitude, longitude = float(fields["Location_X"]), float(fields["Location_Y"])
            except (KeyError, ValueError):
                return replace(base, notice="wecom.unsupported")
            return replace(base, inbound=replace(common, kind=InboundKind.LOCATION, latitude=latitude,
                                                 longitude=longitude, text=fields.get("Label", "")))
        return replace(base, notice="wecom.unsupported")

    @staticmethod
    def delivery_key(fields: dict[str, str]) -> str:
        """The exactly-once key: ``MsgId``, or for events sender + time + event + key/task."""
        msg_id = fields.get("MsgId", "")
        if msg_id:
            return msg_id[:100]
        parts = [fields.get(name, "") for name in ("FromUserName", "CreateTime", "Event", "TaskId", "EventKey")]
        key = "ev:" + ":".join(parts)
        # the receipt key column holds 128 characters; card keys may be long (WeCom allows 1024 bytes)
        return key if len(key) <= 100 else "ev:" + hashlib.sha256(key.encode()).hexdigest()

    # --- kinds -----------------------------------------------------------------------------------
    @staticmethod
    def _text(common: Inbound, text: str) -> Inbound:
        return text_inbound(common, text)

    def _event(self, base: Translation, common: Inbound, event: str, fields: dict[str, str]) -> Translation:
        event_key = fields.get("EventKey", "")
        if event == "template_card_event":
            if not event_key:
                return replace(base, reason="card event without a key")
            ref = fields.get("ResponseCode", "") or fields.get("TaskId", "")
            return replace(base, inbound=replace(common, kind=InboundKind.BUTTON, payload=event_key, message_ref=ref))
        if event == "click":
            if _is_payload(event_key):
                return replace(base, inbound=replace(common, kind=InboundKind.BUTTON, payload=event_key))
            command = event_key.lstrip("/").strip()
            if not command:
                return replace(base, reason="menu click without a key")
            name, args = split_command("/" + command)
            return replace(base, inbound=replace(common, kind=InboundKind.COMMAND, text="/" + command,
                                                 command=name, args=args))
        if event == "subscribe":
            return replace(base, inbound=replace(common, kind=InboundKind.COMMAND, text="/start", command="start"))
        return replace(base, reason=f"event {event or '?'} not handled")

    async def _image(self, base: Translation, common: Inbound, fields: dict[str, str]) -> Translation:
        return await self._media(base, common, fields, InboundKind.PHOTO, "jpg")

    async def _media(self, base: Translation, common: Inbound, fields: dict[str, str], kind: InboundKind,
                     suffix: str) -> Translation:
        media_id = fields.get("MediaId", "")
        if not media_id:
            return replace(base, notice="wecom.file_failed")
        try:
            media = await self.client.download_media(media_id)
        except WeComApiError as exc:
            log.warning("wecom media download failed", extra={"media_id": media_id, "error": str(exc)})
            return replace(base, notice="wecom.file_failed")
        if not media.data:
            return replace(base, notice="wecom.file_failed")
        name = media.file_name if "." in media.file_name else f"wecom_{media_id[:16]}.{suffix}"
        stored = await self.files.put(media.data, name)
        return replace(base, inbound=replace(common, kind=kind, file_refs=(stored,), file_name=name))
