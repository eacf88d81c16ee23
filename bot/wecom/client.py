"""The WeCom server API as far as dms uses it (httpx, JSON; ``WECOM_API_BASE`` for a private deployment).

- ``gettoken`` with the corp id and the app's secret. The token is cached (in this process, or in
  Redis so every process shares it: ``TokenCache``) and fetched again ``refresh_margin`` seconds
  before it expires, and at once when WeCom says it is invalid or expired (errcode 40014, 42001,
  42009): the call is then repeated once with the new token.
- ``message/send``: text, markdown, image and file (after ``media/upload``), template cards.
- ``message/update_template_card``: a card's buttons replaced by the decision, or a new card.
- ``media/get``: photos users send us.

Errors: ``WeComApiError`` (``errcode`` != 0, or an HTTP/network failure with ``errcode`` -1 / the
HTTP status); the sender turns them into ``notifications.errors``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote

import httpx

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://qyapi.weixin.qq.com"
TOKEN_ERRORS = frozenset({40014, 42001, 42009})
"""invalid access_token, access_token expired, (suite/provider) token expired: fetch a new one and retry."""
RATE_LIMIT_ERRORS = frozenset({45009, 45033, 45011})
"""API frequency over the limit, too many concurrent calls, rate limited per user."""
PERMANENT_ERRORS = frozenset({40003, 40008, 40058, 44004, 45002, 60111, 81013, 82001, 40007})
"""Never works on a retry: bad user id, bad message type or parameter, empty or too long content, user not
found or not visible to the app, media id invalid."""


class WeComApiError(Exception):
    def __init__(self, errcode: int, errmsg: str = "", *, method: str = "") -> None:
        super().__init__(f"WeCom {method}: {errcode} {errmsg}".strip())
        self.errcode = errcode
        self.errmsg = errmsg
        self.method = method

    @property
    def token_error(self) -> bool:
        return self.errcode in TOKEN_ERRORS

    @property
    def rate_limited(self) -> bool:
        return self.errcode in RATE_LIMIT_ERRORS

    @property
    def permanent(self) -> bool:
        return self.errcode in PERMANENT_ERRORS


# --- the token cache ------------------------------------------------------------------------------------

class TokenCache(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, token: str, ttl: float) -> None: ...

    async def forget(self, key: str, token: str) -> None:
        """Drop ``token`` if it is still the cached one (another process may have stored a newer one)."""


class InProcessTokenCache:
    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._tokens: dict[str, tuple[str, float]] = {}

    async def get(self, key: str) -> str | None:
        item = self._tokens.get(key)
        if item is None or item[1] <= self._now():
            return None
        return item[0]

    async def set(self, key: str, token: str, ttl: float) -> None:
        self._tokens[key] = (token, self._now() + ttl)

    async def forget(self, key: str, token: str) -> None:
        if self._tokens.get(key, ("", 0.0))[0] == token:
            del self._tokens[key]


_FORGET = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisTokenCache:
    """The token in Redis (``REDIS_URL``): every process of dms uses the same one."""

    def __init__(self, client: Any, *, prefix: str = "dms:wecom:token:") -> None:
        self.client = client                 # redis.asyncio.Redis
        self.prefix = prefix
        self._forget = client.register_script(_FORGET)

    async def get(self, key: str) -> str | None:
        value = await self.client.get(self.prefix + key)
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    async def set(self, key: str, token: str, ttl: float) -> None:
        await self.client.set(self.prefix + key, token, px=max(int(ttl * 1000), 1))

    async def forget(self, key: str, token: str) -> None:
        await self._forget(keys=[self.prefix + key], args=[token])


# --- the client ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Media:
    data: bytes
    file_name: str
    content_type: str


_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)


class WeComClient:
    """One self-built app (corp id, agent id, secret) at ``api_base``."""

    def __init__(self, corp_id: str, secret: str, agent_id: int, api_base: str = DEFAULT_API_BASE, *,
                 cache: TokenCache | None = None, http: httpx.AsyncClient | None = None,
                 refresh_margin: float = 300.0, timeout: float = 10.0) -> None:
        self.corp_id = corp_id
        self.secret = secret
        self.agent_id = agent_id
        self.api_base = api_base.rstrip("/")
        self.cache: TokenCache = cache or InProcessTokenCache()
        self.http = http or httpx.AsyncClient(timeout=timeout)
        self.refresh_margin = refresh_margin
        self._lock = asyncio.Lock()
        self.token_fetches = 0

    @property
    def _cache_key(self) -> str:
        return f"{self.corp_id}:{self.agent_id}"

    async def aclose(self) -> None:
        await self.http.aclose()

    # --- token -------------------------------------------------------------------------------------------
    async def token(self, *, stale: str | None = None) -> str:
        """The access token; ``stale``: WeCom refused that one, so fetch another unless a newer one is cached."""
        if stale is not None:
            await self.cache.forget(self._cache_key, stale)
        cached = await self.cache.get(self._cache_key)
        if cached is not None:
            return cached
        async with self._lock:          # one fetch at a time in this process; the others reuse its result
            cached = await self.cache.get(self._cache_key)
            if cached is not None:
                return cached
            body = await self._request("GET", "/cgi-bin/gettoken", "gettoken",
                                       params={"corpid": self.corp_id, "corpsecret": self.secret})
            token = str(body.get("access_token") or "")
            if not token:
                raise WeComApiError(-1, "gettoken answered without a token", method="gettoken")
            expires_in = float(body.get("expires_in") or 7200)
            self.token_fetches += 1
            await self.cache.set(self._cache_key, token, max(expires_in - self.refresh_margin, expires_in / 2))
            log.info("wecom.token_fetched", extra={"expires_in": expires_in})
            return token

    async def call(self, http_method: str, path: str, *, json_body: dict[str, Any] | None = None,
                   params: dict[str, Any] | None = None, files: dict[str, Any] | None = None) -> dict[str, Any]:
        """One API call with the token; a token WeCom refuses is replaced and the call repeated once."""
        name = path.rsplit("/cgi-bin/", 1)[-1]
        token = await self.token()
        try:
            return await self._request(http_method, path, name, params={**(params or {}), "access_token": token},
                                       json_body=json_body, files=files)
        except WeComApiError as exc:
            if not exc.token_error:
                raise
            log.info("wecom.token_refused", extra={"errcode": exc.errcode, "method": name})
            token = await self.token(stale=token)
            return await self._request(http_method, path, name, params={**(params or {}), "access_token": token},
                                       json_body=json_body, files=files)

    async def _request(self, http_method: str, path: str, name: str, *, params: dict[str, Any],
                       json_body: dict[str, Any] | None = None, files: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            content = json.dumps(json_body, ensure_ascii=False).encode() if json_body is not None else None
            headers = {"Content-Type": "application/json; charset=utf-8"} if content is not None else None
            response = await self.http.request(http_method, self.api_base + path, params=params, content=content,
                                               headers=headers, files=files)
        except httpx.HTTPError as exc:
            raise WeComApiError(-1, f"network: {exc!r}", method=name) from exc
        if response.status_code >= 400:
            raise WeComApiError(-response.status_code, f"HTTP {response.status_code}", method=name)
        try:
            body = response.json()
        except ValueError:
            raise WeComApiError(-1, "answer is not JSON", method=name) from None
        if not isinstance(body, dict):
            raise WeComApiError(-1, "answer is not an object", method=name)
        errcode = int(body.get("errcode") or 0)
        if errcode != 0:
            raise WeComApiError(errcode, str(body.get("errmsg") or ""), method=name)
        return body

    # --- sending -----------------------------------------------------------------------------------------
    async def send(self, touser: str, msgtype: str, content: dict[str, Any]) -> dict[str, Any]:
        """``message/send`` to one member; WeCom answers 0 with ``invaliduser`` when it cannot deliver."""
        body = await self.call("POST", "/cgi-bin/message/send", json_body={
            "touser": touser, "msgtype": msgtype, "agentid": self.agent_id, msgtype: content,
            "safe": 0, "enable_duplicate_check": 0})
        if body.get("invaliduser") and touser in str(body["invaliduser"]).split("|"):
            raise WeComApiError(81013, f"invalid user {touser}", method="message/send")
        return body

    async def send_text(self, touser: str, text: str) -> dict[str, Any]:
        return await self.send(touser, "text", {"content": text})

    async def send_markdown(self, touser: str, markdown: str) -> dict[str, Any]:
        return await self.send(touser, "markdown", {"content": markdown})

    async def send_image(self, touser: str, media_id: str) -> dict[str, Any]:
        return await self.send(touser, "image", {"media_id": media_id})

    async def send_file(self, touser: str, media_id: str) -> dict[str, Any]:
        return await self.send(touser, "file", {"media_id": media_id})

    async def send_template_card(self, touser: str, card: dict[str, Any]) -> str:
        """Send a template card; the ``response_code`` WeCom gives for updating it later ("" if none)."""
        body = await self.send(touser, "template_card", card)
        return str(body.get("response_code") or "")

    async def update_template_card(self, userids: list[str], response_code: str, *, replace_name: str | None = None,
                                   card: dict[str, Any] | None = None) -> None:
        """Replace the card's buttons by ``replace_name`` (greyed out), or the whole card by ``card``."""
        body: dict[str, Any] = {"userids": userids, "agentid": self.agent_id, "response_code": response_code}
        if card is not None:
            body["template_card"] = card
        else:
            body["button"] = {"replace_name": replace_name or ""}
        await self.call("POST", "/cgi-bin/message/update_template_card", json_body=body)

    # --- media -------------------------------------------------------------------------------------------
    async def upload_media(self, kind: str, data: bytes, file_name: str) -> str:
        """``media/upload`` (kind image, voice, video or file); the media id (valid three days)."""
        body = await self.call("POST", "/cgi-bin/media/upload", params={"type": kind},
                               files={"media": (file_name, data, "application/octet-stream")})
        media_id = str(body.get("media_id") or "")
        if not media_id:
            raise WeComApiError(-1, "media/upload answered without a media_id", method="media/upload")
        return media_id

    async def download_media(self, media_id: str, *, max_bytes: int = 20 * 1024 * 1024) -> Media:
        """``media/get``: the bytes of a file a user sent (WeCom answers JSON only on errors)."""
        for attempt in range(2):
            token = await self.token()
            try:
                response = await self.http.get(self.api_base + "/cgi-bin/media/get",
                                               params={"access_token": token, "media_id": media_id})
            except httpx.HTTPError as exc:
                raise WeComApiError(-1, f"network: {exc!r}", method="media/get") from exc
            if response.status_code >= 400:
                raise WeComApiError(-response.status_code, f"HTTP {response.status_code}", method="media/get")
            content_type = response.headers.get("content-type", "")
            if "json" in content_type or "text/plain" in content_type:
                try:
                    body = response.json()
                except ValueError:
                    body = {"errcode": -1, "errmsg": "unexpected text answer"}
                exc2 = WeComApiError(int(body.get("errcode") or -1), str(body.get("errmsg") or ""), method="media/get")
                if exc2.token_error and attempt == 0:
                    await self.token(stale=token)
                    continue
                raise exc2
            if len(response.content) > max_bytes:
                raise WeComApiError(-413, "media too large", method="media/get")
            match = _FILENAME.search(response.headers.get("content-disposition", ""))
            name = unquote(match.group(1)) if match else media_id
            return Media(response.content, name, content_type)
        raise WeComApiError(-1, "media/get failed", method="media/get")  # pragma: no cover - loop always returns
