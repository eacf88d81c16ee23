"""Who has not reported sell-out yet, and a reminder to them: what a channel manager chases at the start of a month;
and a dealer's own place among its region's dealers ("我在区域里排第几"), its place only.

"哪几家还没报动销" lists the active dealers with no sell-out line sold in the period (this month by default),
and "📣 提醒上报" tells those dealers' users to report (one push per dealer, period and day: pressing it twice
tells nobody twice; a reminder the next day goes out again), audited.

The sell-out lines know only the dealers that sold, so the dealers come from the report store's labels of the
active dealers (``AbstractReportStore.dealer_labels``), less those in the period's dealer breakdown.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core import notify
from core.auditing import record
from core.clock import Clock
from core.errors import PermissionDenied
from core.money import ZERO
from core.outbox import Category
from core.ports import AbstractReportStore, AbstractUnitOfWork
from core.reports import Dimension, PeriodPreset, ReportFilter, ReportKind, period_range
from core.services.reports import ReportQuery, build_filter
from core.users import Actor, ActorKind

MAX_REMINDED = 200


@dataclass(frozen=True)
class SilentDealer:
    dealer_id: int
    code: str
    name: str


@dataclass(frozen=True)
class SilentDealers:
    start: date
    end: date
    dealers: tuple[SilentDealer, ...]
    active: int                  # active dealers in the scope asked about (region or all)


def _staff_only(actor: Actor) -> None:
    if actor.kind not in (ActorKind.STAFF, ActorKind.SYSTEM):
        raise PermissionDenied()


async def dealers_without_sellout(store: AbstractReportStore, actor: Actor, clock: Clock, *,
                                  period: PeriodPreset | str = PeriodPreset.MONTH,
                                  region: str | None = None) -> SilentDealers:
    """The active dealers (of ``region``, or all) with no sell-out sold in the period, by code. Staff who may
    read every dealer's sell-out (``core.services.reports.report_scope``); a dealer has no such question."""
    _staff_only(actor)
    f = build_filter(actor, ReportQuery(ReportKind.SELLOUT_DEALERS, period=period, region=region), clock)
    labels, sold = await asyncio.gather(store.dealer_labels(f, active_only=True),
                                        store.sellout_breakdown(f, Dimension.DEALER))
    seen = {s.key for s in sold}
    silent = sorted((SilentDealer(dealer_id, code, name) for dealer_id, (code, name) in labels.items()
                     if code not in seen), key=lambda d: d.code)
    return SilentDealers(f.start, f.end, tuple(silent), len(labels))


async def remind_sellout(uow: AbstractUnitOfWork, store: AbstractReportStore, actor: Actor, clock: Clock, *,
                         period: PeriodPreset | str = PeriodPreset.MONTH,
                         region: str | None = None) -> tuple[SilentDealers, int]:
    """Tell the users of each dealer still silent in the period to report its sell-out; returns the dealers and
    how many were told. Read again when pressed (one may have reported since the list was shown)."""
    found = await dealers_without_sellout(store, actor, clock, period=period, region=region)
    told = 0
    async with uow:
        for dealer in found.dealers[:MAX_REMINDED]:
            queued = await notify.tell_dealer(uow, dealer.dealer_id, notify.Notice(
                "sellout.reminder", Category.PERFORMANCE,
                {"start": found.start.isoformat(), "end": found.end.isoformat(), "by": actor.label}),
                f"{clock.today().isoformat()}:{found.start.isoformat()}:{dealer.dealer_id}", clock)
            told += bool(queued)
        await record(uow, actor, "sellout.remind", "sellout", None, clock,
                     after={"start": found.start.isoformat(), "end": found.end.isoformat(), "region": region,
                            "dealers": [d.code for d in found.dealers[:MAX_REMINDED]], "told": told})
        await uow.commit()
    return found, told


@dataclass(frozen=True)
class OwnRank:
    """A dealer's place by sell-out among the active dealers of its region: its own figures and its place only."""
    rank: int
    of: int
    amount: Decimal
    region: str
    start: date
    end: date


async def own_rank(uow: AbstractUnitOfWork, store: AbstractReportStore, actor: Actor, clock: Clock, *,
                   period: PeriodPreset | str = PeriodPreset.MONTH) -> OwnRank:
    """"我在区域里排第几", "where do I rank in my region": the dealer's place by sell-out amount in the period among
    the active dealers of its region (ties share the better place). No other dealer's name or figure leaves here."""
    if actor.kind != ActorKind.DEALER or actor.dealer_id is None:
        raise PermissionDenied()
    async with uow:
        dealer = await uow.dealers.get(actor.dealer_id)
    if dealer is None:
        raise PermissionDenied()
    start, end = period_range(period, clock.today())
    f = ReportFilter(start=start, end=end, region=dealer.region or None)
    labels, sold = await asyncio.gather(store.dealer_labels(f, active_only=True),
                                        store.sellout_breakdown(f, Dimension.DEALER))
    amounts = {s.key: s.amount for s in sold}
    mine = amounts.get(dealer.code, ZERO)
    codes = {code for code, _ in labels.values()} | {dealer.code}
    ahead = sum(1 for code in codes if amounts.get(code, ZERO) > mine)
    return OwnRank(ahead + 1, len(codes), mine, dealer.region or "", start, end)
