"""Receipt claims: a dealer's delivery found short or damaged, handed to the order desk as a question about the
order (``handlers.flows.receipt_claims`` opens it; ``core.services.faq`` answers it), and the desk's list of those
still open ("收货异常", "少货的单", "receipt claims"): which order, which dealer, which lines.

A claim's text is stored in Chinese, the records' language: ``claim_question`` writes it, ``claim_lines`` reads its
lines back ("AP300 少货 ×2；FL-AP500 破损 ×1", shown in the reader's language by ``core.notes.note_text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from core.errors import PermissionDenied
from core.faq import QuestionStatus
from core.ports import AbstractUnitOfWork
from core.services.faq import ANSWERERS, may_answer
from core.users import Actor

CLAIM_MARK = "📦 收货异常"      # how a claim's text begins: an open claim is known by it
NO_LINES = "（未说明产品和数量）"
MAX_CLAIMS = 200
_READ = re.compile(r"^📦 收货异常（请补发或理赔）\S+：(?P<lines>.*?)。经销商原话：(?P<said>.*)$", re.DOTALL)


def claim_question(number: str, lines: str, said: str) -> str:
    """The claim as the order desk reads it in its queue: the order, the lines ("；"-joined), the dealer's words."""
    return f"{CLAIM_MARK}（请补发或理赔）{number}：{lines or NO_LINES}。经销商原话：{said or '-'}"


def is_claim(question: str) -> bool:
    return question.startswith(CLAIM_MARK)


def claim_lines(question: str) -> tuple[str, str]:
    """(the lines, the dealer's words) of a claim's text; a text of another shape: ("", the text)."""
    read = _READ.match(question)
    return (read["lines"], read["said"]) if read else ("", question)


@dataclass(frozen=True)
class ReceiptClaim:
    """One open receipt claim: the question to answer (``question_id``), its order and dealer, its lines."""

    question_id: int
    order_number: str
    dealer_code: str
    dealer_name: str
    lines: str                  # "AP300 少货 ×2；FL-AP500 破损 ×1" (stored words; NO_LINES when none were said)
    said: str                   # the dealer's words as written
    asked_by: str
    asked_at: datetime | None


async def open_receipt_claims(uow: AbstractUnitOfWork, actor: Actor) -> list[ReceiptClaim]:
    """The receipt claims still waiting for an answer, oldest first, of those ``actor`` may answer (the order desk:
    whoever decides orders)."""
    if not ANSWERERS & actor.permissions:
        raise PermissionDenied()
    async with uow:
        waiting = [q for q in await uow.staff_questions.list(status=QuestionStatus.OPEN, order_by="id",
                                                             limit=MAX_CLAIMS)
                   if q.about_order and is_claim(q.question) and may_answer(actor, q)]
        ids = sorted({q.dealer_id for q in waiting if q.dealer_id is not None})
        dealers = {d.id: d for d in await uow.dealers.list(id__in=ids)} if ids else {}
    out = []
    for q in waiting:
        dealer = dealers.get(q.dealer_id) if q.dealer_id is not None else None
        lines, said = claim_lines(q.question)
        out.append(ReceiptClaim(question_id=q.id or 0, order_number=q.about_order,
                                dealer_code=dealer.code if dealer else "", dealer_name=dealer.name if dealer else "",
                                lines=lines, said=said, asked_by=q.asked_by, asked_at=q.created_at))
    return out
