"""The FAQ knowledge base and questions handed to staff.

- import / upsert entries (DEALER_WRITE: channel managers keep the knowledge base): an entry is the
  same entry when its Chinese question is the same (spaces and case ignored); unchanged entries are
  not written again, so a re-import changes nothing;
- ask staff: anyone who may chat (visitors too) hands over a question the assistant could not
  answer; ``request_key`` (a nonce of the chat) makes a double tap one question;
- answer: staff holding DEALER_WRITE; the first answer wins, a second one is refused with who answered;
- save to the knowledge base: the answered question becomes an entry with one tap; a second tap
  returns the same entry.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from core import authz, notify
from core.auditing import record, snapshot
from core.clock import Clock
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.faq import FaqEntry, QuestionStatus, StaffQuestion
from core.ports import AbstractUnitOfWork
from core.users import Actor, ActorKind, Permission

MAX_QUESTION = 500
MAX_ANSWER = 4000
ENTRY_FIELDS = ("question_zh", "question_en", "answer_zh", "answer_en", "tags", "variants", "active")


def question_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split()).rstrip("?？")


@dataclass(frozen=True)
class NewFaqEntry:
    question_zh: str
    answer_zh: str
    question_en: str = ""
    answer_en: str = ""
    tags: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportFaqEntries:
    entries: Sequence[NewFaqEntry]
    source: str = "import"


@dataclass
class FaqImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _check_entry(e: NewFaqEntry, n: int) -> None:
    if not e.question_zh.strip() or not e.answer_zh.strip():
        raise ValidationFailed(zh=f"第 {n} 条缺少中文问题或答案", en=f"entry {n} lacks the Chinese question or answer",
                               reason="entry")
    if len(e.answer_zh) > MAX_ANSWER or len(e.answer_en) > MAX_ANSWER:
        raise ValidationFailed(zh=f"第 {n} 条答案超过 {MAX_ANSWER} 字", en=f"entry {n}: answer too long",
                               reason="answer")


async def import_faq_entries(uow: AbstractUnitOfWork, actor: Actor, cmd: ImportFaqEntries,
                             clock: Clock) -> FaqImportSummary:
    authz.require(actor, Permission.DEALER_WRITE)
    for n, e in enumerate(cmd.entries, 1):
        _check_entry(e, n)
    summary = FaqImportSummary()
    async with uow:
        existing = {question_key(x.question_zh): x for x in await uow.faq_entries.list()}
        now = clock.now()
        for e in cmd.entries:
            values = {"question_zh": e.question_zh.strip(), "question_en": e.question_en.strip(),
                      "answer_zh": e.answer_zh.strip(), "answer_en": e.answer_en.strip(),
                      "tags": [t.strip() for t in e.tags if t.strip()],
                      "variants": [v.strip() for v in e.variants if v.strip()], "active": True}
            key = question_key(e.question_zh)
            found = existing.get(key)
            if found is None:
                entry = FaqEntry(**values, source=cmd.source, created_at=now, updated_at=now)  # type: ignore[arg-type]
                await uow.faq_entries.add(entry)
                existing[key] = entry
                await uow.flush()
                await record(uow, actor, "faq.create", "faq_entry", entry.id, clock,
                             after=snapshot(entry, ENTRY_FIELDS))
                summary.created.append(values["question_zh"])  # type: ignore[arg-type]
                continue
            before = snapshot(found, ENTRY_FIELDS)
            for name, value in values.items():
                setattr(found, name, value)
            after = snapshot(found, ENTRY_FIELDS)
            if after == before:
                summary.unchanged.append(found.question_zh)
                continue
            found.updated_at = now
            await record(uow, actor, "faq.update", "faq_entry", found.id, clock, before=before, after=after)
            summary.updated.append(found.question_zh)
        if summary.created or summary.updated:
            await uow.commit()
    return summary


@dataclass(frozen=True)
class AskStaff:
    channel: str
    chat_id: str
    question: str
    request_key: str
    asked_by: str
    language: str = "zh-CN"
    about_order: str = ""          # an approved order's number: the question goes to the order desk


ANSWERERS = frozenset({Permission.DEALER_WRITE, Permission.ORDER_APPROVE})
"""Who may answer some question handed to staff (``may_answer`` says which)."""


def may_answer(actor: Actor, question: StaffQuestion) -> bool:
    """Who keeps the FAQ answers questions (DEALER_WRITE); a question about an order, whoever decides orders."""
    needed = Permission.ORDER_APPROVE if question.about_order else Permission.DEALER_WRITE
    return needed in actor.permissions


async def ask_staff(uow: AbstractUnitOfWork, actor: Actor, cmd: AskStaff, clock: Clock) -> tuple[StaffQuestion, bool]:
    """(the question, True when it was created now); the same ``request_key`` again returns the first one."""
    text = cmd.question.strip()
    if not text:
        raise ValidationFailed(zh="请先输入您的问题", en="Please type your question first", reason="question")
    if not cmd.request_key:
        raise ValidationFailed(reason="request_key")
    async with uow:
        found = await uow.staff_questions.get_by(request_key=cmd.request_key)
        if found is not None:
            if (found.channel, found.chat_id) != (cmd.channel, cmd.chat_id):
                raise NotFound(what=cmd.request_key)
            return found, False
        question = StaffQuestion(
            channel=cmd.channel, chat_id=cmd.chat_id, question=text[:MAX_QUESTION], request_key=cmd.request_key,
            asked_by=cmd.asked_by[:200], language=cmd.language, about_order=cmd.about_order[:40],
            dealer_id=actor.dealer_id if actor.kind == ActorKind.DEALER else None, created_at=clock.now())
        await uow.staff_questions.add(question)
        await uow.flush()
        await record(uow, actor, "faq.ask_staff", "staff_question", question.id, clock,
                     after=snapshot(question, ("channel", "chat_id", "question", "dealer_id", "language",
                                               "about_order")))
        await notify.question_for_staff(uow, actor, question, clock)
        await uow.commit()
        return question, True


@dataclass(frozen=True)
class AnswerStaffQuestion:
    question_id: int
    answer: str


async def answer_staff_question(uow: AbstractUnitOfWork, actor: Actor, cmd: AnswerStaffQuestion,
                                 clock: Clock) -> StaffQuestion:
    if not ANSWERERS & actor.permissions:
        raise PermissionDenied()
    text = cmd.answer.strip()
    if not text or len(text) > MAX_ANSWER:
        raise ValidationFailed(zh=f"答复不能为空，最多 {MAX_ANSWER} 字", en=f"The answer must be 1-{MAX_ANSWER} characters",
                               reason="answer")
    async with uow:
        question = await uow.staff_questions.get(cmd.question_id, for_update=True)
        if question is None:
            raise NotFound(what=str(cmd.question_id))
        if not may_answer(actor, question):
            raise PermissionDenied()
        if question.status == QuestionStatus.ANSWERED:
            raise Conflict(zh=f"该问题已由 {question.answered_by} 答复", en=f"{question.answered_by} already answered it",
                           reason="answered")
        before = snapshot(question, ("status", "answer"))
        question.status = QuestionStatus.ANSWERED
        question.answer = text
        question.answered_by = actor.name or actor.label
        question.answered_at = clock.now()
        await record(uow, actor, "faq.answer", "staff_question", question.id, clock, before=before,
                     after=snapshot(question, ("status", "answer", "answered_by")))
        await notify.question_answered(uow, question, clock)
        await uow.commit()
        return question


@dataclass(frozen=True)
class SaveAnswerToKnowledgeBase:
    question_id: int


async def save_answer_to_knowledge_base(uow: AbstractUnitOfWork, actor: Actor, cmd: SaveAnswerToKnowledgeBase,
                                        clock: Clock) -> FaqEntry:
    """The answered question as a knowledge-base entry (in the language it was asked; the other
    language's fields repeat it until someone translates them in the admin)."""
    authz.require(actor, Permission.DEALER_WRITE)
    async with uow:
        question = await uow.staff_questions.get(cmd.question_id, for_update=True)
        if question is None:
            raise NotFound(what=str(cmd.question_id))
        if question.faq_entry_id is not None:
            entry = await uow.faq_entries.get(question.faq_entry_id)
            if entry is not None:
                return entry
        if question.status != QuestionStatus.ANSWERED:
            raise ValidationFailed(zh="问题尚未答复", en="The question has not been answered yet", reason="status")
        english = question.language.lower().startswith("en")
        now = clock.now()
        entry = FaqEntry(question_zh=question.question, answer_zh=question.answer,
                         question_en=question.question if english else "", answer_en=question.answer if english else "",
                         source=f"staff:{question.answered_by}", created_at=now, updated_at=now)
        await uow.faq_entries.add(entry)
        await uow.flush()
        question.faq_entry_id = entry.id
        await record(uow, actor, "faq.save_answer", "faq_entry", entry.id, clock,
                     after=snapshot(entry, ENTRY_FIELDS) | {"question_id": question.id})
        await uow.commit()
        return entry


async def own_questions(uow: AbstractUnitOfWork, actor: Actor, limit: int = 5) -> list[StaffQuestion]:
    """A dealer's own questions handed to staff, the newest first (with staff's answers): "订单台回复了吗". Anyone
    else: none."""
    if actor.kind != ActorKind.DEALER or actor.dealer_id is None:
        return []
    async with uow:
        return await uow.staff_questions.list(dealer_id=actor.dealer_id, order_by="id", desc=True, limit=limit)
