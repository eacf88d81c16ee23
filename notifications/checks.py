"""Scheduled checks: find what somebody must hear about, and queue it once.

Each check reads through the core use cases (as the system actor), builds outbox rows keyed by the
condition (``qual.expiring:{document}:7d``, ``stock.low_dealer:dealer:{id}:{sku}:low:{day}`` ...,
then ``:u{user}`` per recipient), drops the keys already in the outbox, folds the rest into digests
(``notifications.digests``: one message per person and kind with a list, a daily cap per person) and
hands digests and items to ``AbstractOutboxStore.enqueue_many``, which skips keys already queued. A check
that runs twice, or on two machines at once, therefore queues nothing the second time; each returns the
number of messages it queued for delivery (items folded into a digest are not counted).

The conditions and how often they may repeat:

- ``qualification_expiry``: approved documents not yet renewed, 30 / 7 / 1 days before they expire
  (the nearest stage reached; one notice per stage) and once when expired (ordering is blocked by
  ``core.onboarding.ordering_block_reason`` until a renewal is approved). The dealer's users hear of
  every stage; channel managers (DEALER_REVIEW) of the last stages and the expiry.
- ``contract_expiry``: active contracts without a successor, 30 / 7 days before they end; the dealer and
  the people who write contracts.
  ``contract_renewal_days`` before the end it proposes the renewal to the channel managers, once per
  contract (``contract.renewal_due``; several fold into one list with a "起草续签" button per contract):
  the draft is made only when a person presses it (``renew_contract``), never by the check itself.
- ``contract_deviation``: a running target whose achievement is behind the share of time elapsed by
  more than ``deviation_margin`` (after ``deviation_min_elapsed`` of the period): at most once a month
  per target, to the dealer and the channel managers.
- ``stock_levels``: thresholds crossed (``core.services.inventory.stock_alerts``), at most once a day per
  place, product and direction. Maker warehouses: the staff who manage stock, with a suggested reorder
  quantity (up to the high mark, else twice the low mark, at least the MOQ) and, when another warehouse has
  it above its own minimum, a one-tap transfer from there (``thr.move``, confirmed in chat). Dealer stock: the dealer,
  with a suggested quantity (up to the high mark, or the forecast sell-out over the lead time when a report
  store is given and that is more) and a one-tap "order this" button.
- ``sla_breaches``: open tickets past their SLA, once per due time, to their handler (or everyone who
  handles tickets); escalated to management once ``escalate_after_hours`` later. Urgent.
- ``campaign_launches``: a launched campaign running today, once, to its target dealers (the same keys
  as the launch itself, so a campaign launched on its first day is not announced twice).
- ``daily_digest``: what waits for each staff member today (nothing waiting: no message).
- ``weekly_performance``: last week's orders, reported sales and contract progress, per dealer.
- ``credit_lapses``: temporary credit whose last day is ``core.services.credit.LAPSE_WARNING_DAYS`` away, and
  temporary credit that lapsed yesterday: the dealer's users, once per stage (the limit itself needs no job:
  ``Dealer.effective_credit_limit`` stops counting it after its last day).
- ``ticket_confirmations``: resolved tickets whose dealer answered neither 已解决 nor 还没解决 within
  ``ticket_confirm_days`` (``NOTIFY_TICKET_CONFIRM_DAYS``, 7) are closed (``core.services.aftersales.close_unconfirmed``:
  audited, the dealer told). Returns the number closed.
- ``statements``: from ``StatementPolicy.issue_day`` of a month on, last month's statement for every active
  dealer with something to state, once (a statement already there is left alone); the reminder
  ``remind_days`` before a deadline, once per issue; past the deadline an undisputed statement counts as
  confirmed (``auto_confirm``). Returns the number of statements issued, reminded and confirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from core.accounts import StatementStatus
from core.aftersales import Ticket
from core.campaigns import RequestStatus
from core.clock import Clock
from core.contracts import Contract, ContractStatus, TargetMetric
from core.dealers import DOCUMENT_LABELS, DealerStatus, ReviewStatus
from core.forecast_rules import Forecaster
from core.inventory import ThresholdScope
from core.masking import mask_text
from core.money import fmt_cny, money
from core.notify import (
    Notice,
    campaign_notice,
    dealer_label,
    dealer_users,
    localized,
    messages_for,
    staff_users,
    user_for_label,
)
from core.onboarding import REQUIRED_DOCUMENTS
from core.orders import OrderStatus
from core.outbox import Category, OutboxMessage, OutboxStatus
from core.ports import AbstractOutboxStore, AbstractReportStore, AbstractUnitOfWork
from core.quality import CorrectiveStatus
from core.services.aftersales import close_unconfirmed, sla_breaches
from core.services.campaigns import is_running, is_target
from core.services.contract_docs import RENEWING as RENEWAL_STATUSES
from core.services.contract_docs import counts_as_renewal
from core.services.contracts import contract_execution
from core.services.credit import temporary_credit_check
from core.services.housekeeping import prune
from core.services.inventory import stock_alerts
from core.services.qualifications import expiring
from core.services.reports import replenishment
from core.services.statements import IssueStatements, confirm_overdue, issue_statements, remind_due
from core.services.thresholds import refill_quantity, transfer_source
from core.statements import StatementPolicy, previous_period
from core.ticket_states import ACTIVE_STATUSES, CONFIRM_DAYS, PRIORITY_LABELS
from core.users import Actor, Permission, Role
from notifications.digests import DigestSettings, fold

log = logging.getLogger(__name__)

SYSTEM = Actor.system()
RENEWING = (ContractStatus.SENT, ContractStatus.SIGNED, ContractStatus.ACTIVE)
COUNTED = (OrderStatus.SUBMITTED, OrderStatus.APPROVED, OrderStatus.ALLOCATED, OrderStatus.IN_PRODUCTION,
           OrderStatus.SHIPPED, OrderStatus.RECEIVED, OrderStatus.CLOSED)


@dataclass(frozen=True)
class CheckSettings:
    qualification_stages: tuple[int, ...] = (30, 7, 1)
    qualification_staff_stages: tuple[int, ...] = (7, 1)
    contract_stages: tuple[int, ...] = (30, 7)
    contract_renewal_days: int | None = 30           # propose the renewal this many days before the end
    deviation_margin: Decimal = Decimal("0.15")      # achievement this far behind the time elapsed
    deviation_min_elapsed: Decimal = Decimal("0.20")  # not before a fifth of the period has passed
    escalate_after_hours: int = 24
    ticket_confirm_days: int = CONFIRM_DAYS           # a resolved ticket unanswered this long is closed
    statements: StatementPolicy = StatementPolicy()
    digest: DigestSettings = field(default_factory=DigestSettings)
    morning: time = time(8, 0)      # when quiet hours end: a digest held over the daily cap goes out then


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('1'))}%"


def _stage(days_left: int, stages: Sequence[int]) -> int | None:
    """The nearest stage reached (7 when 5 days are left of 30/7/1), None when none is yet."""
    reached = [s for s in stages if days_left <= s]
    return min(reached) if reached else None


class Checks:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], store: AbstractOutboxStore, clock: Clock,
                 settings: CheckSettings | None = None, *, reports: AbstractReportStore | None = None,
                 forecaster: Forecaster | None = None) -> None:
        self.uow_factory = uow_factory
        self.store = store
        self.clock = clock
        self.settings = settings or CheckSettings()
        # with a report store, a dealer's low-stock suggestion covers its forecast sell-out over the lead
        # time (core.services.reports.replenishment) when that asks for more than refilling to the threshold
        self.reports = reports
        self.forecaster = forecaster

    async def _forecast_suggestions(self, dealer_ids: set[int]) -> dict[tuple[int, str], int]:
        if self.reports is None:
            return {}
        out: dict[tuple[int, str], int] = {}
        for dealer_id in sorted(dealer_ids):
            try:
                advice = await replenishment(self.uow_factory(), self.reports, SYSTEM, dealer_id, self.clock,
                                             forecaster=self.forecaster)
            except Exception:  # a forecast must never stop the alert itself
                log.exception("restock forecast failed", extra={"dealer_id": dealer_id})
                continue
            out.update({(dealer_id, a.sku): a.suggested for a in advice})
        return out

    def all(self) -> dict[str, Callable[[], Awaitable[int]]]:
        """Every check by name (the scheduler's job ids and ``dms scheduler --run-now``)."""
        return {"qualification_expiry": self.qualification_expiry, "contract_expiry": self.contract_expiry,
                "contract_deviation": self.contract_deviation, "stock_levels": self.stock_levels,
                "sla_breaches": self.sla_breaches, "campaign_launches": self.campaign_launches,
                "daily_digest": self.daily_digest, "weekly_performance": self.weekly_performance,
                "housekeeping": self.housekeeping, "statements": self.statements,
                "credit_lapses": self.credit_lapses, "ticket_confirmations": self.ticket_confirmations}

    async def run(self, name: str) -> int:
        queued = await self.all()[name]()
        log.info("check.done", extra={"check": name, "queued": queued})
        return queued

    async def _queue(self, messages: list[OutboxMessage]) -> int:
        """Queue what is new in ``messages``, folded into digests (``notifications.digests``); the number of
        messages queued for delivery."""
        if not messages:
            return 0
        now, today = self.clock.now(), self.clock.today()
        async with self.uow_factory() as uow:
            new = await self._not_queued(uow, messages)
            sent_today = await self._sent_today(uow, {m.user_id for m in new if m.user_id is not None}, today)
        if not new:
            return 0
        tomorrow = datetime.combine(today + timedelta(days=1), self.settings.morning, tzinfo=self.clock.tz)
        plan = fold(new, now=now, day=today.isoformat(), sent_today=sent_today, settings=self.settings.digest,
                    hold_until=tomorrow)
        inserted = await self.store.enqueue_many(plan.all)
        return max(0, inserted - len(plan.folded))

    async def _not_queued(self, uow: AbstractUnitOfWork, messages: list[OutboxMessage]) -> list[OutboxMessage]:
        """The messages whose ``dedup_key`` is not in the outbox yet (told, or folded into a digest, before)."""
        keys = sorted({m.dedup_key for m in messages})
        seen: set[str] = set()
        for start in range(0, len(keys), 400):
            seen |= {r.dedup_key for r in await uow.outbox.list(dedup_key__in=keys[start:start + 400])}
        fresh: dict[str, OutboxMessage] = {}
        for m in messages:
            if m.dedup_key not in seen:
                fresh.setdefault(m.dedup_key, m)
        return list(fresh.values())

    async def _sent_today(self, uow: AbstractUnitOfWork, user_ids: set[int], today: date) -> dict[int, int]:
        """Non-urgent pushes queued for each person since midnight (business time): what the daily cap counts."""
        if not user_ids or self.settings.digest.daily_cap is None:
            return {}
        midnight = datetime.combine(today, time.min, tzinfo=self.clock.tz)
        counts: dict[int, int] = {}
        for row in await uow.outbox.list(user_id__in=sorted(user_ids), created_at__gte=midnight, urgent=False):
            if row.status != OutboxStatus.FOLDED and row.user_id is not None:
                counts[row.user_id] = counts.get(row.user_id, 0) + 1
        return counts

    # --- temporary credit ----------------------------------------------------------------------------
    async def credit_lapses(self) -> int:
        """Temporary credit ending in a few days, or lapsed yesterday: the dealer is told (once per stage)."""
        return await temporary_credit_check(self.uow_factory(), self.clock)

    async def ticket_confirmations(self) -> int:
        """Resolved tickets nobody answered "问题解决了吗？" for within ``ticket_confirm_days``: closed, the dealer
        told (each once: a closed ticket is not resolved any more). The number closed."""
        closed = await close_unconfirmed(self.uow_factory, SYSTEM, self.clock, self.settings.ticket_confirm_days)
        if closed:
            log.info("tickets.auto_closed", extra={"numbers": closed})
        return len(closed)

    # --- housekeeping ------------------------------------------------------------------------------
    async def housekeeping(self) -> int:
        """Old delivery receipts and expired idempotency records go (``core.services.housekeeping``); sends nothing."""
        pruned = await prune(self.uow_factory(), self.clock)
        log.info("housekeeping", extra={"receipts": pruned.receipts, "idempotency_records": pruned.idempotency_records})
        return 0

    # --- monthly statements --------------------------------------------------------------------------
    async def statements(self) -> int:
        policy, today = self.settings.statements, self.clock.today()
        done = 0
        if today.day >= policy.issue_day:
            outcome = await issue_statements(self.uow_factory, SYSTEM, IssueStatements(
                period=previous_period(today), confirm_days=policy.confirm_days), self.clock)
            done += len(outcome.issued)
        done += await remind_due(self.uow_factory(), self.clock, policy)
        if policy.auto_confirm:
            done += await confirm_overdue(self.uow_factory(), self.clock)
        return done

    # --- qualifications ----------------------------------------------------------------------------
    async def qualification_expiry(self) -> int:
        s, now, today = self.settings, self.clock.now(), self.clock.today()
        docs = await expiring(self.uow_factory(), SYSTEM, max(s.qualification_stages), today, include_expired=True)
        messages: list[OutboxMessage] = []
        async with self.uow_factory() as uow:
            reviewers = await staff_users(uow, Permission.DEALER_REVIEW)
            for found in docs:
                doc, dealer = found.qualification, found.dealer
                assert dealer.id is not None and doc.expires_on is not None
                # another approved document of the same kind that lasts longer makes this one history
                newer = await uow.qualifications.count(dealer_id=dealer.id, doc_type=doc.doc_type,
                                                       status=ReviewStatus.APPROVED, expires_on__gt=doc.expires_on)
                if newer:
                    continue
                params = {"doc": localized(*DOCUMENT_LABELS[doc.doc_type]), "number": doc.number,
                          "date": doc.expires_on.isoformat(), "days": found.days_left,
                          "dealer": f"{dealer.code} {dealer.name}", "code": dealer.code,
                          "blocks": doc.doc_type in REQUIRED_DOCUMENTS}
                users = await dealer_users(uow, dealer.id)
                if found.days_left < 0:
                    key = f"{doc.id}:expired"
                    messages += messages_for(users, Notice("qual.expired", Category.QUALIFICATION, params), key, now)
                    messages += messages_for(reviewers, Notice("qual.expired_staff", Category.QUALIFICATION, params),
                                             key, now)
                    continue
                stage = _stage(found.days_left, s.qualification_stages)
                if stage is None:
                    continue
                key = f"{doc.id}:{stage}d"
                messages += messages_for(users, Notice("qual.expiring", Category.QUALIFICATION, params), key, now)
                if stage in s.qualification_staff_stages:
                    messages += messages_for(reviewers, Notice("qual.expiring_staff", Category.QUALIFICATION,
                                                               params), key, now)
        return await self._queue(messages)

    # --- contracts ---------------------------------------------------------------------------------
    async def _renewals_due(self, uow: AbstractUnitOfWork, today: date) -> list[Contract]:
        """Active contracts within ``contract_renewal_days`` of their end with nothing that stands for their
        renewal (``counts_as_renewal``: sent, signed, active, or a draft with targets) and a dealer still open:
        what ``renew_contract`` would draft when a person asks."""
        days = self.settings.contract_renewal_days
        if days is None:
            return []
        ending = await uow.contracts.list(status=ContractStatus.ACTIVE, ends_on__gte=today,
                                          ends_on__lte=today + timedelta(days=days), order_by="id")
        due: list[Contract] = []
        for contract in ending:
            later = await uow.contracts.list(dealer_id=contract.dealer_id, status__in=list(RENEWAL_STATUSES),
                                             starts_on__gt=contract.ends_on)
            dealer = await uow.dealers.get(contract.dealer_id)
            if any(counts_as_renewal(c) for c in later) or dealer is None or dealer.status == DealerStatus.TERMINATED:
                continue
            due.append(contract)
        return due

    async def contract_expiry(self) -> int:
        s, now, today = self.settings, self.clock.now(), self.clock.today()
        horizon = today + timedelta(days=max(s.contract_stages))
        messages: list[OutboxMessage] = []
        async with self.uow_factory() as uow:
            managers = (await staff_users(uow, roles=[Role.CHANNEL_MANAGER])
                        or await staff_users(uow, Permission.CONTRACT_WRITE))
            for contract in await self._renewals_due(uow, today):
                params = {"number": contract.number, "date": contract.ends_on.isoformat(),
                          "days": (contract.ends_on - today).days,
                          "dealer": await dealer_label(uow, contract.dealer_id), "id": contract.id}
                messages += messages_for(managers, Notice("contract.renewal_due", Category.CONTRACT, params),
                                         f"{contract.id}", now)
            # a manager offered the renewal (now or before) is not also told the contract ends (the offer says so),
            # until the last stage: the final reminder goes to every writer
            proposed = {(m.params["id"], m.user_id) for m in messages}
            writers = await staff_users(uow, Permission.CONTRACT_WRITE)
            ending = await uow.contracts.list(status=ContractStatus.ACTIVE, ends_on__gte=today, ends_on__lte=horizon)
            for contract in ending:
                successors = await uow.contracts.count(dealer_id=contract.dealer_id, status__in=list(RENEWING),
                                                       ends_on__gt=contract.ends_on)
                stage = _stage((contract.ends_on - today).days, s.contract_stages)
                if successors or stage is None:
                    continue
                params = {"number": contract.number, "date": contract.ends_on.isoformat(),
                          "days": (contract.ends_on - today).days,
                          "dealer": await dealer_label(uow, contract.dealer_id)}
                key = f"{contract.id}:{stage}d"
                messages += messages_for(await dealer_users(uow, contract.dealer_id),
                                         Notice("contract.expiring", Category.CONTRACT, params), key, now)
                last = stage == min(s.contract_stages)
                messages += messages_for([w for w in writers if last or (contract.id, w) not in proposed],
                                         Notice("contract.expiring_staff", Category.CONTRACT, params), key, now)
        return await self._queue(messages)

    async def contract_deviation(self) -> int:
        s, now, today = self.settings, self.clock.now(), self.clock.today()
        async with self.uow_factory() as uow:
            contracts: list[Contract] = await uow.contracts.list(status=ContractStatus.ACTIVE)
            managers = await staff_users(uow, Permission.CONTRACT_WRITE)
        messages: list[OutboxMessage] = []
        for contract in contracts:
            assert contract.id is not None
            execution = await contract_execution(self.uow_factory(), SYSTEM, contract.id, self.clock)
            async with self.uow_factory() as uow:
                users = await dealer_users(uow, contract.dealer_id)
                label = await dealer_label(uow, contract.dealer_id)
            for n, target in enumerate(execution.targets):
                if not target.starts_on <= today <= target.ends_on or target.elapsed_share < s.deviation_min_elapsed:
                    continue
                if target.elapsed_share - target.achievement <= s.deviation_margin:
                    continue
                amount = target.target.metric == TargetMetric.AMOUNT
                params = {"number": contract.number, "dealer": label, "period": target.target.period,
                          "group": f" · {target.target.product_group}" if target.target.product_group else "",
                          "achieved": _pct(target.achievement), "elapsed": _pct(target.elapsed_share),
                          "margin": _pct(s.deviation_margin),
                          "actual": fmt_cny(target.actual) if amount else str(target.actual),
                          "target": fmt_cny(target.target.value) if amount else str(target.target.value)}
                key = f"{contract.id}:{n}:{today:%Y-%m}"
                messages += messages_for(users, Notice("contract.behind", Category.CONTRACT, params), key, now)
                messages += messages_for(managers, Notice("contract.behind_staff", Category.CONTRACT, params),
                                         key, now)
        return await self._queue(messages)

    # --- stock -------------------------------------------------------------------------------------
    async def stock_levels(self) -> int:
        now, today = self.clock.now(), self.clock.today()
        alerts = await stock_alerts(self.uow_factory(), SYSTEM)
        forecast = await self._forecast_suggestions(
            {a.scope_id for a in alerts if a.scope == ThresholdScope.DEALER and a.kind == "low"})
        messages: list[OutboxMessage] = []
        async with self.uow_factory() as uow:
            keepers = await staff_users(uow, Permission.STOCK_WRITE)
            for alert in alerts:
                key = f"{alert.scope.value}:{alert.scope_id}:{alert.sku}:{alert.kind}:{today.isoformat()}"
                product = await uow.products.get_by(sku=alert.sku)
                refill = refill_quantity(alert.qty, alert.low, alert.high, product.moq if product else 1)
                if alert.scope == ThresholdScope.WAREHOUSE:
                    warehouse = await uow.warehouses.get(alert.scope_id)
                    params = {"warehouse": warehouse.code if warehouse else str(alert.scope_id), "sku": alert.sku,
                              "qty": alert.qty, "low": alert.low, "high": alert.high, "suggest": refill,
                              "unit": product.unit if product else ""}
                    source = await transfer_source(uow, alert.scope_id, alert.sku, refill) \
                        if alert.kind == "low" else None
                    if source is not None:      # another warehouse has it to spare: a one-tap transfer too
                        params.update({"from": source.code, "from_id": source.warehouse_id, "to_id": alert.scope_id,
                                       "move": source.qty})
                    kind = "stock.low_warehouse" if alert.kind == "low" else "stock.high_warehouse"
                    messages += messages_for(keepers, Notice(kind, Category.STOCK, params), key, now)
                    continue
                suggest = refill_quantity(alert.qty, alert.low, alert.high, product.moq if product else 1,
                                          forecast.get((alert.scope_id, alert.sku), 0))
                params = {"sku": alert.sku, "name": product.name if product else alert.sku, "qty": alert.qty,
                          "low": alert.low, "high": alert.high, "suggest": suggest,
                          "unit": product.unit if product else ""}
                kind = "stock.low_dealer" if alert.kind == "low" else "stock.high_dealer"
                messages += messages_for(await dealer_users(uow, alert.scope_id), Notice(kind, Category.STOCK, params),
                                         key, now)
        return await self._queue(messages)

    # --- after-sales -------------------------------------------------------------------------------
    async def sla_breaches(self) -> int:
        now = self.clock.now()
        late: list[Ticket] = await sla_breaches(self.uow_factory(), SYSTEM, now)
        messages: list[OutboxMessage] = []
        async with self.uow_factory() as uow:
            handlers = await staff_users(uow, Permission.TICKET_HANDLE)
            bosses = (await staff_users(uow, roles=[Role.MANAGEMENT])
                      or await staff_users(uow, roles=[Role.ADMIN]))
            for ticket in late:
                assert ticket.sla_due_at is not None
                due = ticket.sla_due_at.astimezone(self.clock.tz)
                assignee = await user_for_label(uow, ticket.assignee)
                handler = await uow.users.get(assignee) if assignee is not None else None
                params = {"number": ticket.number, "dealer": await dealer_label(uow, ticket.dealer_id),
                          "due": due.strftime("%Y-%m-%d %H:%M"), "priority": localized(*PRIORITY_LABELS[ticket.priority]),
                          "desc": mask_text(ticket.description)[:200],     # the outbox row keeps no number
                          "assignee": handler.display_name if handler is not None else (ticket.assignee or "-")}
                key = f"{ticket.number}:{ticket.sla_due_at.isoformat()}"
                messages += messages_for([assignee] if assignee is not None else handlers,
                                         Notice("ticket.sla_breach", Category.TICKET, params, urgent=True), key, now)
                hours = int((now - ticket.sla_due_at).total_seconds() // 3600)
                if hours >= self.settings.escalate_after_hours:
                    messages += messages_for(bosses, Notice("ticket.sla_escalation", Category.TICKET,
                                                            params | {"hours": hours}, urgent=True), key, now)
        return await self._queue(messages)

    # --- campaigns ---------------------------------------------------------------------------------
    async def campaign_launches(self) -> int:
        now, today = self.clock.now(), self.clock.today()
        messages: list[OutboxMessage] = []
        async with self.uow_factory() as uow:
            running = [c for c in await uow.campaigns.list(starts_on__lte=today, ends_on__gte=today)
                       if is_running(c, today)]
            if running:
                dealers = await uow.dealers.list(status=DealerStatus.ACTIVE)
            for campaign in running:
                for dealer in dealers:
                    if dealer.id is not None and is_target(campaign, dealer):
                        messages += messages_for(await dealer_users(uow, dealer.id), campaign_notice(campaign),
                                                 f"{campaign.id}", now)
        return await self._queue(messages)

    # --- digests -----------------------------------------------------------------------------------
    async def daily_digest(self) -> int:
        now, today = self.clock.now(), self.clock.today()
        messages: list[OutboxMessage] = []
        async with self.uow_factory() as uow:
            staff = await uow.users.list(role__in=[r for r in Role if r.is_staff], active=True)
            counts = await self._waiting(uow, now, today)
            for user in staff:
                perms = user.to_actor().permissions
                items = [[name, counts[name]] for name, permission in _DIGEST_ITEMS
                         if permission in perms and counts.get(name)]
                if items and user.id is not None:
                    messages += messages_for([user.id], Notice("digest.daily", Category.DIGEST,
                                                               {"date": today.isoformat(), "items": items}),
                                             today.isoformat(), now)
        return await self._queue(messages)

    async def _waiting(self, uow: AbstractUnitOfWork, now: datetime, today: date) -> dict[str, int]:
        active = sorted(ACTIVE_STATUSES)
        return {
            "approve": await uow.orders.count(status=OrderStatus.SUBMITTED),
            "allocate": await uow.orders.count(status__in=[OrderStatus.APPROVED, OrderStatus.IN_PRODUCTION]),
            "ship": await uow.orders.count(status=OrderStatus.ALLOCATED),
            "tickets": await uow.tickets.count(status__in=active),
            "late": await uow.tickets.count(status__in=active, sla_due_at__lt=now),
            "applications": await uow.dealers.count(status=DealerStatus.UNDER_REVIEW),
            "quals": await uow.qualifications.count(status=ReviewStatus.PENDING),
            "expiring": await uow.qualifications.count(status=ReviewStatus.APPROVED, expires_on__gte=today,
                                                       expires_on__lte=today + timedelta(days=7)),
            "materials": await uow.material_requests.count(status=RequestStatus.PENDING),
            "quality": await uow.quality.count(corrective_status=CorrectiveStatus.NEW),
            "disputes": await uow.statements.count(status=StatementStatus.DISPUTED),
        }

    async def weekly_performance(self) -> int:
        now, today = self.clock.now(), self.clock.today()
        end = today - timedelta(days=today.weekday() + 1)        # last Sunday
        start = end - timedelta(days=6)
        year, week, _ = start.isocalendar()
        tz = self.clock.tz
        messages: list[OutboxMessage] = []
        async with self.uow_factory() as uow:
            dealers = await uow.dealers.list(status=DealerStatus.ACTIVE)
            contracts = {c.dealer_id: c for c in await uow.contracts.list(status=ContractStatus.ACTIVE)}
        for dealer in dealers:
            assert dealer.id is not None
            async with self.uow_factory() as uow:
                users = await dealer_users(uow, dealer.id)
                if not users:
                    continue
                orders = await uow.orders.list(
                    dealer_id=dealer.id, status__in=list(COUNTED),
                    created_at__gte=datetime.combine(start, time.min, tzinfo=tz),
                    created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
                sold = await uow.sellout.list(dealer_id=dealer.id, sold_on__gte=start, sold_on__lte=end)
            targets = []
            contract = contracts.get(dealer.id)
            if contract is not None and contract.id is not None:
                execution = await contract_execution(self.uow_factory(), SYSTEM, contract.id, self.clock)
                targets = [{"period": t.target.period, "achieved": _pct(t.achievement), "elapsed": _pct(t.elapsed_share)}
                           for t in execution.targets if t.starts_on <= today <= t.ends_on]
            params = {"dealer": dealer.name, "start": start.isoformat(), "end": end.isoformat(),
                      "orders": len(orders), "ordered": fmt_cny(money(sum((o.total for o in orders), Decimal("0")))),
                      "sold_qty": sum(s.qty for s in sold),
                      "sold": fmt_cny(money(sum((s.amount for s in sold), Decimal("0")))), "targets": targets}
            messages += messages_for(users, Notice("performance.weekly", Category.PERFORMANCE, params),
                                     f"{dealer.id}:{year}-W{week:02d}", now)
        return await self._queue(messages)


_DIGEST_ITEMS: tuple[tuple[str, Permission], ...] = (
    ("approve", Permission.ORDER_APPROVE), ("allocate", Permission.ORDER_ALLOCATE), ("ship", Permission.ORDER_SHIP),
    ("tickets", Permission.TICKET_HANDLE), ("late", Permission.TICKET_HANDLE),
    ("applications", Permission.DEALER_REVIEW), ("quals", Permission.DEALER_REVIEW),
    ("expiring", Permission.DEALER_REVIEW), ("materials", Permission.MATERIAL_APPROVE),
    ("quality", Permission.QUALITY_HANDLE), ("disputes", Permission.ACCOUNT_POST),
)
