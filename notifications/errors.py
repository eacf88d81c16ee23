"""What a channel sender raises when a push did not go out (the outbox worker decides what next).

Tree::

    ChannelError                 the message was not delivered
    │                            permanent=False: try again later (network, 5xx), with backoff
    │                            permanent=True:  never will be (chat not found, bot blocked, bad request)
    └── ChannelRateLimited       the channel said "too many requests" (Telegram 429): wait ``retry_after``
                                 seconds before sending anything more on that channel; not an attempt

Senders live in ``bot/`` (they wrap the channel libraries); they raise these instead of their
library's exceptions so ``notifications`` stays free of aiogram and HTTP clients.
"""

from __future__ import annotations


class ChannelError(Exception):
    def __init__(self, message: str = "", *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class ChannelRateLimited(ChannelError):
    def __init__(self, retry_after: float, message: str = "") -> None:
        super().__init__(message or f"rate limited: retry after {retry_after} s", permanent=False)
        self.retry_after = float(retry_after)
