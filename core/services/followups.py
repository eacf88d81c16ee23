"""A dealer's own after-sales tickets (AS-YYYYMMDD-NNNN) and quality reports (QF-YYYYMMDD-NNNN) side by side,
for the questions dealers ask about them: "我的工单", "我的反馈", "我反馈的滤网异味问题处理得怎么样了".

One number or the other opens through ``core.services.aftersales.get_ticket`` /
``core.services.quality.get_quality_feedback``; this module lists and searches both kinds at once.

Who may read: a dealer user its own dealer's (another dealer's id answers NotFound); staff the tickets of any
dealer with TICKET_HANDLE and its reports with QUALITY_HANDLE (each kind the actor may read, at least one).

Search: the product named, and the words of the question found in a description (Chinese by pairs of
characters, other words whole), after the words every follow-up question uses ("反馈", "处理得怎么样了") are
taken out. A fit needs the product, or two of the question's pairs (one when it has only one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from core.aftersales import Ticket, TicketStatus
from core.authz import can_see_dealer
from core.errors import NotFound, PermissionDenied
from core.ports import AbstractUnitOfWork
from core.quality import CorrectiveStatus, QualityFeedback
from core.ticket_states import ACTIVE_STATUSES
from core.users import Actor, ActorKind, Permission

SCAN = 200                 # tickets and reports of each kind looked through, newest first
OPEN_QUALITY: frozenset[CorrectiveStatus] = frozenset(
    {CorrectiveStatus.NEW, CorrectiveStatus.INVESTIGATING, CorrectiveStatus.ACTION_PLANNED})

_NUMBER = re.compile(r"^(AS|QF)-\d{8}-\d{4}$", re.IGNORECASE)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+")
# words of follow-up questions (and of most descriptions) that say nothing about which ticket is meant
_FILLER = ("我反馈的", "我报修的", "我提交的", "我们", "我的", "反馈", "报修", "售后", "工单", "质量", "问题", "处理",
           "怎么样", "怎样", "进展", "进度", "情况", "结果", "现在", "那个", "这个", "之前", "上次", "一下", "还没",
           "客户", "请问",
           # how it is going ("报修的那个修好了吗"): asked of any ticket, no words of its problem
           "修好了没", "修好了吗", "修好没", "修好", "修完", "弄好", "搞定", "解决", "好了", "了吗", "了没", "没有", "吗", "呢",
           "的", "what", "about", "the", "my", "is", "of", "status", "ticket", "report", "feedback",
           "problem", "issue", "how", "with", "any", "news", "on")


class FollowUpKind(StrEnum):
    TICKET = "ticket"        # after-sales ticket, AS-
    QUALITY = "quality"      # quality report, QF-


@dataclass(frozen=True)
class FollowUp:
    kind: FollowUpKind
    number: str
    sku: str | None
    description: str
    status: TicketStatus | CorrectiveStatus
    is_open: bool             # still owed a resolution / corrective work still going on
    created_at: datetime | None
    updated_at: datetime | None


def follow_up_kind(number: str) -> FollowUpKind | None:
    """Which kind a number names (``AS-20261204-0001`` a ticket, ``QF-...`` a quality report), else None."""
    text = number.strip()
    if not _NUMBER.match(text):
        return None
    return FollowUpKind.TICKET if text[:2].upper() == "AS" else FollowUpKind.QUALITY


def search_terms(text: str) -> set[str]:
    """The words of ``text`` a search compares: pairs of Chinese characters, other words whole (lower case)."""
    folded = text.lower()
    for filler in _FILLER:
        if not filler.isascii():
            folded = folded.replace(filler, " ")
    terms: set[str] = set()
    for run in _CJK_RUN.findall(folded):
        terms.update(run[i:i + 2] for i in range(len(run) - 1))
    terms.update(w for w in _WORD.findall(folded) if len(w) >= 2 and w not in _FILLER)
    return terms


async def dealer_follow_ups(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, *,
                            limit: int = 10) -> list[FollowUp]:
    """The dealer's tickets and reports still open (newest first), then the latest closed ones; ``limit`` in all."""
    items = await _load(uow, actor, dealer_id)
    items.sort(key=lambda f: (f.is_open, _when(f)), reverse=True)
    return items[:max(limit, 0)]


async def matching_follow_ups(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, *, sku: str | None = None,
                              text: str = "", limit: int = 5) -> list[FollowUp]:
    """The dealer's tickets and reports that fit the product and the words of ``text``, best first (newer first
    among equals); [] when none fits or the question names neither a product nor a word to look for."""
    wanted = search_terms(text)
    if not sku and not wanted:
        return []
    scored: list[tuple[int, FollowUp]] = []
    needed = min(2, len(wanted))
    for item in await _load(uow, actor, dealer_id):
        common = len(wanted & search_terms(item.description))
        same_product = bool(sku) and item.sku == sku
        if same_product or (needed and common >= needed):
            scored.append((common + (2 if same_product else 0), item))
    scored.sort(key=lambda pair: (pair[0], _when(pair[1])), reverse=True)
    return [item for _, item in scored[:max(limit, 0)]]


# --- internals -------------------------------------------------------------------------------------

def _when(item: FollowUp) -> datetime:
    return item.created_at or datetime.min.replace(tzinfo=UTC)  # undated rows (never in practice) last


def _ticket(t: Ticket) -> FollowUp:
    return FollowUp(kind=FollowUpKind.TICKET, number=t.number, sku=t.sku, description=t.description, status=t.status,
                    is_open=t.status in ACTIVE_STATUSES, created_at=t.created_at, updated_at=t.updated_at)


def _report(q: QualityFeedback) -> FollowUp:
    return FollowUp(kind=FollowUpKind.QUALITY, number=q.number, sku=q.sku, description=q.description,
                    status=q.corrective_status, is_open=q.corrective_status in OPEN_QUALITY,
                    created_at=q.created_at, updated_at=q.updated_at)


def _may_read(actor: Actor, dealer_id: int, own: Permission, handle: Permission) -> bool:
    if actor.kind == ActorKind.SYSTEM:
        return True
    return bool({own, handle} & actor.permissions) and can_see_dealer(actor, dealer_id, all_permission=handle)


async def _load(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> list[FollowUp]:
    if actor.kind == ActorKind.DEALER and actor.dealer_id != dealer_id:
        raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
    tickets = _may_read(actor, dealer_id, Permission.TICKET_CREATE, Permission.TICKET_HANDLE)
    reports = _may_read(actor, dealer_id, Permission.QUALITY_REPORT, Permission.QUALITY_HANDLE)
    if not (tickets or reports):
        raise PermissionDenied()
    async with uow:
        items = [_ticket(t) for t in await uow.tickets.list(dealer_id=dealer_id, order_by="created_at", desc=True,
                                                             limit=SCAN)] if tickets else []
        items += [_report(q) for q in await uow.quality.list(dealer_id=dealer_id, order_by="created_at", desc=True,
                                                            limit=SCAN)] if reports else []
    return items
