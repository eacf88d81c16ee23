"""The WeCom channel as one object, built from ``Settings`` by ``bot.bootstrap`` when every
``WECOM_*`` setting is there: the crypto, the API client (token shared through Redis when
``REDIS_URL`` is set), the callback pipeline and the outbox worker's sender."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.files import FileStore
from bot.telegram.flood import FloodLimiter
from bot.wecom.client import InProcessTokenCache, RedisTokenCache, TokenCache, WeComClient
from bot.wecom.crypto import WeComCrypto
from bot.wecom.fallback import FallbackNonceGuard, FallbackTokenCache
from bot.wecom.inbound import WeComInbound
from bot.wecom.processor import Conversation, ReplyQueue, WeComUpdates
from bot.wecom.replay import InProcessNonceGuard, NonceGuard, RedisNonceGuard
from bot.wecom.sender import WeComSender
from core.clock import Clock
from core.ports import AbstractOutboxStore

MAX_AGE_SECONDS = 300.0
"""A callback whose timestamp is further from now than this is refused (and nonces are kept twice as long)."""


@dataclass(frozen=True)
class WeComConfig:
    corp_id: str
    agent_id: int
    secret: str
    token: str
    encoding_aes_key: str
    api_base: str = "https://qyapi.weixin.qq.com"


@dataclass
class WeComChannel:
    crypto: WeComCrypto
    client: WeComClient
    updates: WeComUpdates
    sender: WeComSender
    nonces: NonceGuard
    max_age: float = MAX_AGE_SECONDS
    redis: Any = None

    async def aclose(self) -> None:
        await self.updates.drain()
        await self.client.aclose()
        if self.redis is not None:
            await self.redis.aclose()


def build_wecom_channel(config: WeComConfig, conversation: Conversation, files: FileStore,
                        outbox: AbstractOutboxStore, clock: Clock, *, redis_url: str | None = None,
                        flood_per_minute: int = 20, default_language: str = "zh-CN",
                        max_age: float = MAX_AGE_SECONDS) -> WeComChannel:
    redis: Any = None
    cache: TokenCache
    nonces: NonceGuard
    if redis_url:
        from redis.asyncio import Redis
        from redis.exceptions import RedisError

        redis = Redis.from_url(redis_url)
        errors = (RedisError, OSError)
        cache = FallbackTokenCache(RedisTokenCache(redis), errors=errors)
        nonces = FallbackNonceGuard(RedisNonceGuard(redis, max_age), InProcessNonceGuard(max_age), errors=errors)
    else:
        cache, nonces = InProcessTokenCache(), InProcessNonceGuard(max_age)
    crypto = WeComCrypto(config.token, config.encoding_aes_key, config.corp_id)
    client = WeComClient(config.corp_id, config.secret, config.agent_id, config.api_base, cache=cache)
    updates = WeComUpdates(conversation, WeComInbound(client, files, agent_id=config.agent_id),
                           ReplyQueue(outbox, files, clock), FloodLimiter(flood_per_minute),
                           default_language=default_language)
    return WeComChannel(crypto=crypto, client=client, updates=updates, sender=WeComSender(client, files),
                        nonces=nonces, max_age=max_age, redis=redis)
