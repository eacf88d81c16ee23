"""Quality feedback (质量反馈) from dealers and the quality department's corrective work and figures.

- submit: a dealer user (QUALITY_REPORT) for its own dealer; the SKU must exist, linked after-sales
  tickets must be the same dealer's;
- corrective status: new -> investigating -> action_planned -> done | no_action, by QUALITY_HANDLE
  (an investigation may also end directly in no_action);
- figures: defect counts by SKU x defect category x month with totals and the top defects, as a pure
  function (``summarize_defects``) and a use case reading from the unit of work (``defect_summary``);
- every corrective-status change tells the reporting dealer (outbox); ``record_corrective_action``
  applies one action to every open report of a product / defect (/ batch) and tells each reporter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core import authz, notify
from core.auditing import record, snapshot
from core.clock import Clock
from core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.quality import CorrectiveStatus, QualityFeedback
from core.users import Actor, Permission

S = CorrectiveStatus
CORRECTIVE_TRANSITIONS: dict[CorrectiveStatus, frozenset[CorrectiveStatus]] = {
    S.NEW: frozenset({S.INVESTIGATING}),
    S.INVESTIGATING: frozenset({S.ACTION_PLANNED, S.NO_ACTION}),
    S.ACTION_PLANNED: frozenset({S.DONE, S.NO_ACTION}),
    S.DONE: frozenset(),
    S.NO_ACTION: frozenset(),
}
# Moving here needs a note saying what will be done, or why nothing will.
NOTE_REQUIRED: frozenset[CorrectiveStatus] = frozenset({S.ACTION_PLANNED, S.NO_ACTION})

CORRECTIVE_STATUS_LABELS: dict[CorrectiveStatus, tuple[str, str]] = {
    S.NEW: ("新反馈", "New"),
    S.INVESTIGATING: ("调查中", "Investigating"),
    S.ACTION_PLANNED: ("已制定措施", "Action planned"),
    S.DONE: ("已完成整改", "Done"),
    S.NO_ACTION: ("无需整改", "No action"),
}

MAX_PHOTOS = 20
MAX_TEXT = 2000


@dataclass(frozen=True)
class SubmitQualityFeedback:
    dealer_id: int
    sku: str
    defect_category: str               # 外观 / 功能 / 包装 / 噪音 ...
    count: int                         # defective units
    description: str = ""
    batch: str | None = None           # production batch / lot printed on the unit
    photos: list[str] = field(default_factory=list)            # file refs
    ticket_numbers: list[str] = field(default_factory=list)    # related after-sales tickets


async def submit_quality_feedback(uow: AbstractUnitOfWork, actor: Actor, cmd: SubmitQualityFeedback,
                                  clock: Clock) -> QualityFeedback:
    authz.require(actor, Permission.QUALITY_REPORT)
    authz.require_dealer_access(actor, cmd.dealer_id, str(cmd.dealer_id), all_permission=Permission.QUALITY_HANDLE)
    category = cmd.defect_category.strip()
    if not category:
        raise ValidationFailed(zh="请填写缺陷类别", en="Please give the defect category", reason="defect_category")
    if isinstance(cmd.count, bool) or cmd.count < 1:
        raise ValidationFailed(zh="不良数量至少为 1", en="The defective count must be at least 1",
                               reason="count")
    description = cmd.description.strip()
    if len(description) > MAX_TEXT:
        raise ValidationFailed(zh=f"描述不能超过 {MAX_TEXT} 字", en=f"The description is longer than {MAX_TEXT} "
                               "characters", reason="description")
    photos = [ref.strip() for ref in cmd.photos if ref and ref.strip()]
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(zh=f"照片最多 {MAX_PHOTOS} 张", en=f"At most {MAX_PHOTOS} photos", reason="photos")
    ticket_numbers = list(dict.fromkeys(n.strip() for n in cmd.ticket_numbers if n and n.strip()))
    sku = cmd.sku.strip()
    async with uow:
        if await uow.dealers.get(cmd.dealer_id) is None:
            raise NotFound(what=str(cmd.dealer_id))
        if not sku or await uow.products.get_by(sku=sku) is None:
            raise ValidationFailed(zh=f"产品 {sku} 不存在", en=f"Product {sku} does not exist", reason=sku)
        for number in ticket_numbers:
            ticket = await uow.tickets.get_by(number=number)
            # one answer for "missing" and "another dealer's": nothing leaks
            if ticket is None or ticket.dealer_id != cmd.dealer_id:
                raise ValidationFailed(zh=f"工单 {number} 不存在或不属于该经销商",
                                       en=f"Ticket {number} does not exist or belongs to another dealer",
                                       reason=number)
        now = clock.now()
        feedback = QualityFeedback(
            number=await uow.next_number("QF", clock.today()),
            dealer_id=cmd.dealer_id, sku=sku, defect_category=category, count=cmd.count,
            description=description, batch=(cmd.batch or "").strip() or None, photos=photos,
            ticket_numbers=ticket_numbers, created_by=actor.label, created_at=now, updated_at=now,
        )
        await uow.quality.add(feedback)
        await record(uow, actor, "quality.submit", "quality_feedback", feedback.number, clock,
                     after=snapshot(feedback))
        await notify.quality_submitted(uow, actor, feedback, clock)
        await uow.commit()
        return feedback


async def set_corrective_status(uow: AbstractUnitOfWork, actor: Actor, number: str, status: CorrectiveStatus,
                                clock: Clock, *, note: str = "") -> QualityFeedback:
    """Move the feedback along the corrective-action machine; the note replaces the previous one when given."""
    authz.require(actor, Permission.QUALITY_HANDLE)
    text = note.strip()
    if status in NOTE_REQUIRED and not text:
        zh_label, en_label = CORRECTIVE_STATUS_LABELS[status]
        raise ValidationFailed(zh=f"改为“{zh_label}”需要填写说明", en=f"A note is required for '{en_label}'",
                               reason="note")
    async with uow:
        feedback = await uow.quality.get_by(number=number.strip(), for_update=True)
        if feedback is None:
            raise NotFound(what=number)
        current = feedback.corrective_status
        if status not in CORRECTIVE_TRANSITIONS[current]:
            cur_zh, cur_en = CORRECTIVE_STATUS_LABELS[current]
            new_zh, new_en = CORRECTIVE_STATUS_LABELS[status]
            raise InvalidTransition(zh=f"质量反馈当前为“{cur_zh}”，不能改为“{new_zh}”",
                                    en=f"Cannot move quality feedback from '{cur_en}' to '{new_en}'",
                                    current=current.value, action=status.value)
        before = snapshot(feedback)
        feedback.corrective_status = status
        if text:
            feedback.corrective_note = text
        feedback.handled_by = actor.label
        feedback.updated_at = clock.now()
        await record(uow, actor, f"quality.{status.value}", "quality_feedback", feedback.number, clock,
                     before=before, after=snapshot(feedback))
        await _tell_reporter(uow, actor, feedback, clock)
        await uow.commit()
        return feedback


async def note_quality_feedback(uow: AbstractUnitOfWork, actor: Actor, number: str, note: str,
                                clock: Clock) -> QualityFeedback:
    """A finding logged on a report still open, its status kept ("怀疑电机绝缘不良，正在做拆机分析" while 调查中);
    the note replaces the previous one and shows as a step of the current status."""
    authz.require(actor, Permission.QUALITY_HANDLE)
    text = note.strip()
    if not text:
        raise ValidationFailed(zh="请填写说明", en="Please write the note", reason="note")
    async with uow:
        feedback = await uow.quality.get_by(number=number.strip(), for_update=True)
        if feedback is None:
            raise NotFound(what=number)
        if not CORRECTIVE_TRANSITIONS[feedback.corrective_status]:
            zh_label, en_label = CORRECTIVE_STATUS_LABELS[feedback.corrective_status]
            raise InvalidTransition(zh=f"质量反馈已是“{zh_label}”，不能再记说明",
                                    en=f"Quality feedback is '{en_label}': no more notes",
                                    current=feedback.corrective_status.value, action="note")
        before = snapshot(feedback)
        feedback.corrective_note = text
        feedback.handled_by = actor.label
        feedback.updated_at = clock.now()
        await record(uow, actor, "quality.note", "quality_feedback", feedback.number, clock,
                     before=before, after=snapshot(feedback))
        await uow.commit()
        return feedback


@dataclass(frozen=True)
class RecordCorrectiveAction:
    """One corrective action for every open report of a product's defect (optionally one batch)."""

    sku: str
    defect_category: str
    note: str                                   # what is done, told to the dealers
    batch: str | None = None
    status: CorrectiveStatus = CorrectiveStatus.ACTION_PLANNED


async def record_corrective_action(uow: AbstractUnitOfWork, actor: Actor, cmd: RecordCorrectiveAction,
                                   clock: Clock) -> list[QualityFeedback]:
    """Move every matching report still open to ``cmd.status`` (a report still new or under investigation
    may go straight there) and tell each reporting dealer; reports already closed are left alone.
    ValidationFailed when nothing matches."""
    authz.require(actor, Permission.QUALITY_HANDLE)
    text = cmd.note.strip()
    if cmd.status not in (S.ACTION_PLANNED, S.DONE, S.NO_ACTION) or not text:
        raise ValidationFailed(zh="请填写整改措施", en="Please describe the corrective action", reason="note")
    filters: dict[str, Any] = {"sku": cmd.sku.strip(), "defect_category": cmd.defect_category.strip()}
    if cmd.batch:
        filters["batch"] = cmd.batch.strip()
    async with uow:
        changed: list[QualityFeedback] = []
        for feedback in await uow.quality.list(order_by="id", **filters):
            path = _path(feedback.corrective_status, cmd.status)
            if path is None:
                continue
            before = snapshot(feedback)
            feedback.corrective_status = cmd.status
            feedback.corrective_note = text
            feedback.handled_by = actor.label
            feedback.updated_at = clock.now()
            await record(uow, actor, f"quality.{cmd.status.value}", "quality_feedback", feedback.number, clock,
                         before=before, after=snapshot(feedback))
            await _tell_reporter(uow, actor, feedback, clock)
            changed.append(feedback)
        if not changed:
            raise ValidationFailed(zh="没有可处理的质量反馈", en="No open quality report matches", reason="none")
        await uow.commit()
        return changed


def _path(current: CorrectiveStatus, target: CorrectiveStatus) -> list[CorrectiveStatus] | None:
    if target in CORRECTIVE_TRANSITIONS[current]:
        return [target]
    if current == S.NEW and target in CORRECTIVE_TRANSITIONS[S.INVESTIGATING]:
        return [S.INVESTIGATING, target]
    if current == S.NEW and target == S.DONE:
        return [S.INVESTIGATING, S.ACTION_PLANNED, S.DONE]
    if current == S.INVESTIGATING and target == S.DONE:
        return [S.ACTION_PLANNED, S.DONE]
    return None


async def _tell_reporter(uow: AbstractUnitOfWork, actor: Actor, feedback: QualityFeedback, clock: Clock) -> None:
    """The dealer who reported hears of each step, with the note (its key: the number and the status)."""
    product = await uow.products.get_by(sku=feedback.sku)
    zh, en = CORRECTIVE_STATUS_LABELS[feedback.corrective_status]
    await notify.tell_dealer(uow, feedback.dealer_id, notify.Notice(
        "quality.corrective", Category.TICKET,
        {"number": feedback.number, "product": product.name if product is not None else feedback.sku,
         "category": feedback.defect_category, "status": notify.localized(zh, en),
         "note": feedback.corrective_note}),
        f"{feedback.number}:{feedback.corrective_status.value}", clock, exclude=actor)


async def get_quality_feedback(uow: AbstractUnitOfWork, actor: Actor, number: str) -> QualityFeedback:
    _require_reader(actor)
    async with uow:
        return await _visible_feedback(uow, actor, number)


async def _visible_feedback(uow: AbstractUnitOfWork, actor: Actor, number: str) -> QualityFeedback:
    """The report ``number`` if ``actor`` may see it (its dealer, or quality staff), else NotFound; inside an open
    unit of work."""
    feedback = await uow.quality.get_by(number=number.strip())
    if feedback is None or not authz.can_see_dealer(actor, feedback.dealer_id,
                                                    all_permission=Permission.QUALITY_HANDLE):
        raise NotFound(what=number)
    return feedback


@dataclass(frozen=True)
class QualityStep:
    """One step of a report's corrective work as its dealer is told of it: filed, or moved to a status."""

    at: datetime
    status: CorrectiveStatus
    note: str = ""          # the note given with this step (what will be done, or why nothing will)


async def quality_feedback_history(uow: AbstractUnitOfWork, actor: Actor, number: str) -> list[QualityStep]:
    """The report's steps, oldest first, read from the audit entries its use cases write (``quality.submit``,
    ``quality.<status>``): the report itself keeps only its current status and note. Who acted stays out."""
    _require_reader(actor)
    async with uow:
        feedback = await _visible_feedback(uow, actor, number)
        entries = await uow.audit.list(entity="quality_feedback", entity_id=feedback.number, order_by="at")
    statuses = {s.value: s for s in CorrectiveStatus}
    steps: list[QualityStep] = []
    for entry in entries:
        action = entry.action.removeprefix("quality.")
        if action == "submit":
            steps.append(QualityStep(at=entry.at, status=CorrectiveStatus.NEW))
        elif action == "note" and str(entry.after.get("corrective_status") or "") in statuses:
            steps.append(QualityStep(at=entry.at, status=statuses[str(entry.after["corrective_status"])],
                                     note=str(entry.after.get("corrective_note") or "")))
        elif action in statuses:
            note = str(entry.after.get("corrective_note") or "")
            changed = note != str(entry.before.get("corrective_note") or "")
            steps.append(QualityStep(at=entry.at, status=statuses[action], note=note if changed else ""))
    return steps


async def list_quality_feedback(
    uow: AbstractUnitOfWork,
    actor: Actor,
    *,
    status: CorrectiveStatus | None = None,
    sku: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[QualityFeedback]:
    """Newest first; a dealer sees only its own."""
    _require_reader(actor)
    scope = authz.dealer_scope(actor, all_permission=Permission.QUALITY_HANDLE)
    filters: dict[str, Any] = {}
    if scope is not None:
        filters["dealer_id"] = scope
    if status is not None:
        filters["corrective_status"] = status
    if sku:
        filters["sku"] = sku
    async with uow:
        return await uow.quality.list(order_by="created_at", desc=True, limit=limit, offset=offset, **filters)


# --- figures for the quality department -------------------------------------------------------------

@dataclass(frozen=True)
class DefectCount:
    sku: str
    defect_category: str
    month: str                 # "2026-11", in business time
    units: int                 # defective units reported (sum of counts)
    reports: int               # number of feedback records


@dataclass(frozen=True)
class DefectSummary:
    rows: list[DefectCount]                    # sku, category, month ascending
    top_defects: list[tuple[str, str, int]]    # (sku, category, units), most units first
    units_by_sku: dict[str, int]
    units_by_category: dict[str, int]
    units_by_month: dict[str, int]
    total_units: int
    total_reports: int
    units_by_batch: dict[str, int] = field(default_factory=dict)              # "-" for reports without one
    trend_by_sku: dict[str, dict[str, int]] = field(default_factory=dict)     # sku -> month -> units
    reports_by_status: dict[str, int] = field(default_factory=dict)           # corrective status now -> reports


def summarize_defects(feedback: Iterable[QualityFeedback], tz: ZoneInfo, *, top: int = 10) -> DefectSummary:
    """Count defective units by SKU x defect category x month (month of submission in ``tz``).

    Ties in the top list are broken by SKU then category so the order is stable.
    """
    units: Counter[tuple[str, str, str]] = Counter()
    reports: Counter[tuple[str, str, str]] = Counter()
    by_batch: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for item in feedback:
        if item.created_at is None:
            continue
        by_batch[item.batch or "-"] += item.count
        by_status[item.corrective_status.value] += 1
        month = item.created_at.astimezone(tz).strftime("%Y-%m")
        key = (item.sku, item.defect_category, month)
        units[key] += item.count
        reports[key] += 1
    rows = [DefectCount(sku, cat, month, units[(sku, cat, month)], reports[(sku, cat, month)])
            for sku, cat, month in sorted(units)]
    pairs: Counter[tuple[str, str]] = Counter()
    by_sku: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    for row in rows:
        pairs[(row.sku, row.defect_category)] += row.units
        by_sku[row.sku] += row.units
        by_category[row.defect_category] += row.units
        by_month[row.month] += row.units
    ranked = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:max(top, 0)]
    return DefectSummary(
        rows=rows,
        top_defects=[(sku, cat, n) for (sku, cat), n in ranked],
        units_by_sku=dict(sorted(by_sku.items())),
        units_by_category=dict(sorted(by_category.items())),
        units_by_month=dict(sorted(by_month.items())),
        total_units=sum(units.values()),
        total_reports=sum(reports.values()),
        units_by_batch=dict(sorted(by_batch.items(), key=lambda kv: (-kv[1], kv[0]))),
        trend_by_sku={sku: {r.month: sum(x.units for x in rows if x.sku == sku and x.month == r.month)
                            for r in rows if r.sku == sku} for sku in sorted(by_sku)},
        reports_by_status=dict(by_status),
    )


async def defect_summary(
    uow: AbstractUnitOfWork,
    actor: Actor,
    clock: Clock,
    *,
    since: date | None = None,
    until: date | None = None,
    sku: str | None = None,
    top: int = 10,
) -> DefectSummary:
    """Figures over feedback submitted between ``since`` and ``until`` (business dates, both included)."""
    if not {Permission.QUALITY_HANDLE, Permission.REPORT_READ_ALL} & actor.permissions:
        raise PermissionDenied()
    filters: dict[str, Any] = {}
    if since is not None:
        filters["created_at__gte"] = datetime.combine(since, time.min, tzinfo=clock.tz)
    if until is not None:
        filters["created_at__lt"] = datetime.combine(until, time.min, tzinfo=clock.tz) + timedelta(days=1)
    if sku:
        filters["sku"] = sku
    async with uow:
        items = await uow.quality.list(**filters)
    return summarize_defects(items, clock.tz, top=top)


def _require_reader(actor: Actor) -> None:
    if not {Permission.QUALITY_REPORT, Permission.QUALITY_HANDLE} & actor.permissions:
        raise PermissionDenied()

