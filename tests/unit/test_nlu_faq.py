"""FAQ retrieval (BM25 over jieba tokens, with a relevance gate), knowledge-base files, the use cases."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.faq import FaqEntry
from core.services.faq import (
    AnswerStaffQuestion,
    AskStaff,
    ImportFaqEntries,
    NewFaqEntry,
    SaveAnswerToKnowledgeBase,
    answer_staff_question,
    ask_staff,
    import_faq_entries,
    save_answer_to_knowledge_base,
)
from core.users import Actor, Role
from nlu.faq import RetrievalFaqAnswerer, tokens
from nlu.kb_import import demo_entries, parse_csv, parse_markdown
from tests.factories import fixed_clock, staff
from tests.fakes import FakeUnitOfWork

ENTRIES = [FaqEntry(question_zh=e.question_zh, answer_zh=e.answer_zh, question_en=e.question_en,
                    answer_en=e.answer_en, tags=list(e.tags), variants=list(e.variants), id=n)
           for n, e in enumerate(demo_entries(), 1)]


@pytest.mark.parametrize(("question", "source"), [
    ("多久发货", "发货时间"), ("我要退货", "退换货政策"), ("对账单有问题怎么办", "对账单"), ("可以开专票吗", "怎么开发票"),
    ("保修几年？", "产品保修期多久？"), ("我想加盟", "怎么成为经销商？"), ("客服电话", "怎么联系厂家？"),
    ("How do I pay?", "怎么付款"), ("What is the return policy?", "退换货政策"),
    ("how long does delivery take", "发货时间"), ("warranty是几年", "产品保修期多久？"),
])
async def test_relevant_entry_is_found(question: str, source: str) -> None:
    found = await RetrievalFaqAnswerer().answer(question, "zh-CN", ENTRIES)
    assert found is not None and found.source == source and found.entry_id is not None


@pytest.mark.parametrize("question", ["今天天气怎么样", "你是谁", "嗯嗯", "tell me a joke", "", "今天股市怎么样",
                                      "你们老板是谁", "AP300多少钱"])
async def test_nothing_relevant_means_no_answer(question: str) -> None:
    assert await RetrievalFaqAnswerer().answer(question, "zh-CN", ENTRIES) is None


async def test_answer_in_the_asked_language_and_inactive_entries_are_skipped() -> None:
    found = await RetrievalFaqAnswerer().answer("保修几年", "en", ENTRIES)
    assert found is not None and found.text.startswith("The unit is under warranty")
    hidden = [FaqEntry(question_zh=e.question_zh, answer_zh=e.answer_zh, tags=e.tags, variants=e.variants,
                       active="保修" not in e.question_zh, id=e.id) for e in ENTRIES]
    assert await RetrievalFaqAnswerer().answer("保修几年", "zh-CN", hidden) is None


def test_jieba_is_quiet_and_tokens_mix_languages() -> None:
    err = io.StringIO()
    handler = logging.StreamHandler(err)
    logging.getLogger().addHandler(handler)
    old, sys.stderr = sys.stderr, err
    try:
        words = tokens("AP300的warranty保修几年")
    finally:
        sys.stderr = old
        logging.getLogger().removeHandler(handler)
    assert "warranty" in words and "保修" in words and "ap300" in words
    assert err.getvalue() == ""


def test_markdown_and_csv_knowledge_base_files() -> None:
    md = parse_markdown("# KB\n\n## 保修几年？\nQ-en: Warranty?\nTags: 保修, warranty\nAlso: 质保多久 | how long\n"
                        "A: 整机两年。\n压缩机三年。\nA-en: Two years.\n\n## 运费谁出\nA: 满5000包邮\n")
    assert [e.question_zh for e in md] == ["保修几年？", "运费谁出"]
    assert md[0].answer_zh == "整机两年。\n压缩机三年。" and md[0].tags == ("保修", "warranty")
    assert md[0].variants == ("质保多久", "how long") and md[0].answer_en == "Two years."
    with pytest.raises(ValueError, match="line 1: an entry needs"):
        parse_markdown("## 没有答案的问题\nQ-en: no answer\n")
    with pytest.raises(ValueError, match="line 3"):
        parse_markdown("## 问题\nQ-en: Question\nnonsense line\nA: 答\n")
    csv = parse_csv("\ufeffquestion_zh,answer_zh,question_en,answer_en,tags,variants\n"
                    "发票怎么开,月结专票,Invoice?,Monthly VAT invoice,发票;invoice,开票|专票\n")
    assert csv[0].tags == ("发票", "invoice") and csv[0].variants == ("开票", "专票")
    with pytest.raises(ValueError, match="line 1: missing columns"):
        parse_csv("q,a\n1,2\n")
    assert len(demo_entries()) >= 15


async def test_import_is_idempotent_and_audited() -> None:
    uow, clock = FakeUnitOfWork(), fixed_clock()
    admin = staff(Role.CHANNEL_MANAGER, name="wang")
    first = await import_faq_entries(uow, admin, ImportFaqEntries(demo_entries()), clock)
    assert len(first.created) == len(demo_entries()) and uow.commits == 1
    again = await import_faq_entries(uow, admin, ImportFaqEntries(demo_entries()), clock)
    assert again.created == [] and again.updated == [] and uow.commits == 1
    changed = [NewFaqEntry(question_zh="怎么下单 ", answer_zh="新的答案")]
    third = await import_faq_entries(uow, admin, ImportFaqEntries(changed), clock)
    assert third.updated == ["怎么下单"] and any(a.action == "faq.update" for a in uow.audit.rows)
    with pytest.raises(PermissionDenied):
        await import_faq_entries(uow, staff(Role.FINANCE), ImportFaqEntries(changed), clock)
    with pytest.raises(ValidationFailed):
        await import_faq_entries(uow, admin, ImportFaqEntries([NewFaqEntry(question_zh="问", answer_zh=" ")]), clock)


async def test_staff_question_lifecycle() -> None:
    uow, clock = FakeUnitOfWork(), fixed_clock()
    visitor = Actor.anonymous()
    cmd = AskStaff(channel="telegram", chat_id="55", question="周六上班吗？", request_key="k1", asked_by="")
    question, created = await ask_staff(uow, visitor, cmd, clock)
    assert created and question.dealer_id is None
    same, created_again = await ask_staff(uow, visitor, cmd, clock)
    assert same.id == question.id and not created_again and len(uow.staff_questions.rows) == 1
    manager = staff(Role.CHANNEL_MANAGER, name="wang")
    with pytest.raises(ValidationFailed):
        await save_answer_to_knowledge_base(uow, manager, SaveAnswerToKnowledgeBase(question.id or 0), clock)
    with pytest.raises(PermissionDenied):
        await answer_staff_question(uow, staff(Role.FINANCE), AnswerStaffQuestion(question.id or 0, "上"), clock)
    await answer_staff_question(uow, manager, AnswerStaffQuestion(question.id or 0, "周六上午上班。"), clock)
    with pytest.raises(Conflict, match="wang"):
        await answer_staff_question(uow, staff(Role.ADMIN, name="li"), AnswerStaffQuestion(question.id or 0, "x"), clock)
    entry = await save_answer_to_knowledge_base(uow, manager, SaveAnswerToKnowledgeBase(question.id or 0), clock)
    again = await save_answer_to_knowledge_base(uow, manager, SaveAnswerToKnowledgeBase(question.id or 0), clock)
    assert entry.id == again.id and len(uow.faq_entries.rows) == 1 and entry.answer_zh == "周六上午上班。"


@pytest.mark.parametrize(("question", "source"), [
    ("侬好，迭个保修几年啊", "产品保修期多久？"), ("发货一般要几天撒", "发货时间"), ("保修几年嘛", "产品保修期多久？"),
    ("你好 发货要几天噻", "发货时间"), ("保修期多久咧", "产品保修期多久？"), ("老板，发货要几天嘞", "发货时间"),
    ("发货要几天哈", "发货时间"),
])
async def test_dialect_openers_and_particles_do_not_hide_the_answer(question: str, source: str) -> None:
    found = await RetrievalFaqAnswerer().answer(question, "zh-CN", ENTRIES)
    assert found is not None and found.source == source
