"""The dealer status machine and who may move it.

::

    prospect ──submit──> under_review ──approve──> active ──suspend──> suspended
       ^                     │                       ^                    │
       └─────send_back───────┘                       └─────reinstate──────┘

    any status except terminated ──terminate──> terminated (final)

Entering ``active`` (approve, reinstate) needs every required document approved and valid
(core.onboarding.checklist); otherwise a BusinessRuleViolation lists what is missing.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from core.dealers import Dealer, DealerStatus, Qualification
from core.errors import BusinessRuleViolation, InvalidTransition
from core.onboarding import ChecklistItem, checklist
from core.users import Permission

S = DealerStatus


class DealerAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    TERMINATE = "terminate"
    UPDATE = "update"


TRANSITIONS: dict[DealerAction, tuple[frozenset[DealerStatus], DealerStatus]] = {
    DealerAction.SUBMIT: (frozenset({S.PROSPECT}), S.UNDER_REVIEW),
    DealerAction.APPROVE: (frozenset({S.UNDER_REVIEW}), S.ACTIVE),
    DealerAction.SEND_BACK: (frozenset({S.UNDER_REVIEW}), S.PROSPECT),
    DealerAction.SUSPEND: (frozenset({S.ACTIVE}), S.SUSPENDED),
    DealerAction.REINSTATE: (frozenset({S.SUSPENDED}), S.ACTIVE),
    DealerAction.TERMINATE: (frozenset({S.PROSPECT, S.UNDER_REVIEW, S.ACTIVE, S.SUSPENDED}), S.TERMINATED),
}

ACTION_PERMISSION: dict[DealerAction, Permission] = {
    DealerAction.SUBMIT: Permission.DEALER_WRITE,
    DealerAction.APPROVE: Permission.DEALER_REVIEW,
    DealerAction.SEND_BACK: Permission.DEALER_REVIEW,
    DealerAction.SUSPEND: Permission.DEALER_REVIEW,
    DealerAction.REINSTATE: Permission.DEALER_REVIEW,
    DealerAction.TERMINATE: Permission.DEALER_REVIEW,
    DealerAction.UPDATE: Permission.DEALER_WRITE,
}

ACTIONS_NEEDING_REASON = frozenset({DealerAction.SEND_BACK, DealerAction.SUSPEND, DealerAction.TERMINATE})

STATUS_LABELS: dict[DealerStatus, tuple[str, str]] = {
    S.PROSPECT: ("待入驻", "prospect"),
    S.UNDER_REVIEW: ("审核中", "under review"),
    S.ACTIVE: ("合作中", "active"),
    S.SUSPENDED: ("已暂停", "suspended"),
    S.TERMINATED: ("已终止", "terminated"),
}

ACTION_LABELS: dict[DealerAction, tuple[str, str]] = {
    DealerAction.SUBMIT: ("提交审核", "submit for review"),
    DealerAction.APPROVE: ("审核通过", "approve onboarding"),
    DealerAction.SEND_BACK: ("退回修改", "send back"),
    DealerAction.SUSPEND: ("暂停合作", "suspend"),
    DealerAction.REINSTATE: ("恢复合作", "reinstate"),
    DealerAction.TERMINATE: ("终止合作", "terminate"),
    DealerAction.UPDATE: ("修改资料", "update"),
}

DEALER_TIERS: tuple[str, ...] = ("A", "B", "C", "一级", "二级", "三级")
"""Tiers the price lists key on."""


def tier_label(tier: str, lang: str = "zh") -> str:
    """A tier as a reader says it: ``B 级`` / ``tier B``; one written in Chinese (``一级``) as it is in Chinese."""
    if lang.lower().startswith("en"):
        return f"tier {tier}"
    return tier if not tier.isascii() else f"{tier} 级"


def transition_refused(current: DealerStatus, action: DealerAction) -> InvalidTransition:
    cur_zh, cur_en = STATUS_LABELS[current]
    act_zh, act_en = ACTION_LABELS[action]
    return InvalidTransition(
        zh=f"当前状态“{cur_zh}”不能执行“{act_zh}”",
        en=f"Cannot {act_en} while the dealer is {cur_en}",
        current=current.value,
        action=action.value,
    )


def next_status(current: DealerStatus, action: DealerAction) -> DealerStatus:
    """The status after ``action``; raises InvalidTransition when ``current`` does not allow it."""
    if action == DealerAction.UPDATE:
        if current == S.TERMINATED:
            raise transition_refused(current, action)
        return current
    allowed_from, target = TRANSITIONS[action]
    if current not in allowed_from:
        raise transition_refused(current, action)
    return target


def activation_blockers(qualifications: list[Qualification], today: date) -> list[ChecklistItem]:
    """Checklist lines that are not ok; empty when the dealer may become active."""
    return [item for item in checklist(qualifications, today) if not item.ok]


def require_activation_ready(dealer: Dealer, qualifications: list[Qualification], today: date) -> None:
    """Raise BusinessRuleViolation naming every missing, pending, rejected or expired document."""
    missing = activation_blockers(qualifications, today)
    if missing:
        zh = "；".join(item.zh for item in missing)
        en = "; ".join(item.en for item in missing)
        raise BusinessRuleViolation(
            zh=f"经销商 {dealer.code} 资质不齐，不能启用：{zh}",
            en=f"Dealer {dealer.code} cannot be activated, documents incomplete: {en}",
            reason=en,
            missing=[item.doc_type.value for item in missing],
        )
