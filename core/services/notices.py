"""Notices staff send to dealers (公告, "给华东区的经销商发个通知：…"): marketing (CAMPAIGN_WRITE) and channel managers
(DEALER_WRITE) tell the active dealers of some regions and/or tiers, or named dealers, or all of them.

``notice_audience`` says who a notice would reach (the chat shows it before anything is sent); ``send_notice`` stages
one push per user of each of those dealers (the outbox delivers them, rate-limited per chat), once per ``key``
whatever the taps, and audits it (``notice.send``: the dealers, the words, the audience). Regions and tiers narrow
together, as a campaign's targets do (``core.services.campaigns.is_target``).
"""

from __future__ import annotations

from dataclasses import dataclass

from core import notify
from core.auditing import record
from core.clock import Clock
from core.dealers import Dealer, DealerStatus
from core.errors import PermissionDenied, ValidationFailed
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission

SENDERS = frozenset({Permission.CAMPAIGN_WRITE, Permission.DEALER_WRITE})
MAX_NOTICE = 1000            # characters of one notice


@dataclass(frozen=True)
class Audience:
    """Who a notice is for: dealers in ``regions`` (any) and of ``tiers`` (any), plus ``dealer_ids``; nothing
    given: every active dealer."""

    regions: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    dealer_ids: tuple[int, ...] = ()

    def takes(self, dealer: Dealer) -> bool:
        if not (self.regions or self.tiers or self.dealer_ids):
            return True
        if dealer.id is not None and dealer.id in self.dealer_ids:
            return True
        if not (self.regions or self.tiers):
            return False
        return (not self.regions or dealer.region in self.regions) and (not self.tiers or dealer.tier in self.tiers)


def require_sender(actor: Actor) -> None:
    if not SENDERS & actor.permissions:
        raise PermissionDenied()


async def notice_audience(uow: AbstractUnitOfWork, actor: Actor, audience: Audience) -> list[Dealer]:
    """The active dealers the notice would reach, by code."""
    require_sender(actor)
    async with uow:
        dealers = await uow.dealers.list(status=DealerStatus.ACTIVE, order_by="code")
    return [d for d in dealers if audience.takes(d)]


def notice_text(text: str) -> str:
    words = (text or "").strip()
    if not words:
        raise ValidationFailed(zh="请写上通知的内容", en="Please write what the notice says", reason="text")
    if len(words) > MAX_NOTICE:
        raise ValidationFailed(zh=f"通知不能超过 {MAX_NOTICE} 字", en=f"A notice is at most {MAX_NOTICE} characters",
                               reason="text")
    return words


async def send_notice(uow: AbstractUnitOfWork, actor: Actor, audience: Audience, text: str, key: str,
                      clock: Clock) -> int:
    """Tell every user of the audience's dealers ``text``; the number of dealers. ``key`` (the chat's form nonce, an
    API request key) makes a second send of the same notice stage nothing."""
    require_sender(actor)
    words = notice_text(text)
    async with uow:
        dealers = [d for d in await uow.dealers.list(status=DealerStatus.ACTIVE, order_by="code")
                   if d.id is not None and audience.takes(d)]
        if not dealers:
            raise ValidationFailed(zh="没有符合条件的在营经销商", en="No active dealer fits", reason="audience")
        notice = notify.Notice("staff.notice", Category.SYSTEM, {"text": words, "sender": actor.greeting_name})
        for dealer in dealers:
            assert dealer.id is not None
            await notify.tell_dealer(uow, dealer.id, notice, f"notice:{key}", clock)
        await record(uow, actor, "notice.send", "notice", key[:60], clock,
                     after={"dealers": [d.code for d in dealers], "regions": list(audience.regions),
                            "tiers": list(audience.tiers), "text": words})
        await uow.commit()
    return len(dealers)
