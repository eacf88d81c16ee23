"""The callback URL, ``/wecom/callback`` on the web app (set it as the app's 接收消息 URL in WeCom).

- ``GET``: URL verification: check ``msg_signature`` over ``echostr``, answer its plaintext.
- ``POST``: an encrypted message or event: check, decrypt, hand it to the background pipeline and
  answer an empty 200 ("success" is not needed; an empty body tells WeCom not to wait for a passive
  reply) at once, well within WeCom's five seconds.

Refused with a 4xx and a log line, never a crash: a timestamp more than ``max_age`` seconds from
now (403), a wrong signature (403), a message for another corp (receiveid, 403), a (timestamp, nonce)
pair seen before (409), a body that is not WeCom's XML or not decryptable (400). The nonce is only
remembered once the signature holds, so nobody can burn a nonce WeCom is about to use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response

from bot.wecom.crypto import BadCiphertext, BadReceiveId, BadSignature, WeComCryptoError
from bot.wecom.inbound import MalformedXml, parse_xml

if TYPE_CHECKING:
    from bot.wecom.channel import WeComChannel

log = logging.getLogger(__name__)

CALLBACK_PATH = "/wecom/callback"
MAX_BODY_BYTES = 256 * 1024


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def check_fresh(timestamp: str, max_age: float, now: Callable[[], float]) -> None:
    try:
        sent = int(timestamp)
    except ValueError:
        raise Refused(400, "timestamp is not a number") from None
    if abs(now() - sent) > max_age:
        raise Refused(403, "stale timestamp")


def callback_router(channel: WeComChannel, *, now: Callable[[], float] = time.time) -> APIRouter:
    router = APIRouter()

    async def checked(request: Request, encrypted: str) -> str:
        """The plaintext of ``encrypted`` when the request is WeCom's; raises ``Refused``."""
        q = request.query_params
        signature, timestamp, nonce = q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", "")
        if not (signature and timestamp and nonce and encrypted):
            raise Refused(400, "missing msg_signature, timestamp, nonce or ciphertext")
        check_fresh(timestamp, channel.max_age, now)
        try:
            channel.crypto.check_signature(signature, timestamp, nonce, encrypted)
            plain = channel.crypto.decrypt(encrypted)
        except BadSignature:
            raise Refused(403, "wrong signature") from None
        except BadReceiveId:
            raise Refused(403, "wrong receiveid") from None
        except (BadCiphertext, WeComCryptoError) as exc:
            raise Refused(400, f"cannot decrypt: {exc}") from None
        if not await channel.nonces.first_use(timestamp, nonce):
            raise Refused(409, "replayed nonce")
        return plain

    def refused(request: Request, exc: Refused) -> Response:
        log.warning("wecom callback refused", extra={"reason": exc.reason, "status": exc.status,
                                                     "client": _client(request), "method": request.method})
        return Response(status_code=exc.status)

    @router.get(CALLBACK_PATH, include_in_schema=False)
    async def verify(request: Request) -> Response:
        try:
            plain = await checked(request, request.query_params.get("echostr", ""))
        except Refused as exc:
            return refused(request, exc)
        log.info("wecom callback URL verified", extra={"client": _client(request)})
        return Response(content=plain, media_type="text/plain")

    @router.post(CALLBACK_PATH, include_in_schema=False)
    async def receive(request: Request) -> Response:
        try:
            body = await request.body()
            if len(body) > MAX_BODY_BYTES:
                raise Refused(413, "body too large")
            try:
                envelope = parse_xml(body)
            except MalformedXml as exc:
                raise Refused(400, f"malformed XML: {exc}") from None
            plain = await checked(request, envelope.get("Encrypt", ""))
            try:
                fields = parse_xml(plain)
            except MalformedXml as exc:
                raise Refused(400, f"malformed inner XML: {exc}") from None
        except Refused as exc:
            return refused(request, exc)
        channel.updates.submit(fields)
        return Response(status_code=200)

    return router
