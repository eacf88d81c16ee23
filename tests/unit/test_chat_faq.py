"""FAQ in chat: the menu of questions, typed questions, the offline matcher, forwarding to staff."""

from __future__ import annotations

import pytest

from core.users import Role
from handlers.router import payload
from nlu.faq import FaqAnswer, FuzzyFaqAnswerer, bundled_entries, load_entries
from tests.chat import ChatWorld, buttons, texts


@pytest.mark.parametrize(("question", "entry"), [
    ("怎么下单", "order"), ("多久发货", "delivery"), ("我要退货", "returns"), ("对账单有问题怎么办", "statement"),
    ("营业执照快过期了", "qualification"), ("售后多久能处理", "aftersales_sla"), ("可以开专票吗", "invoice"),
    ("What is the return policy?", "returns"), ("How do I pay?", "payment"),
])
async def test_offline_answerer_finds_the_entry(question: str, entry: str) -> None:
    found = FuzzyFaqAnswerer().best(question)
    assert found is not None and found[0].id == entry


@pytest.mark.parametrize("question", ["今天天气怎么样", "你是谁", "嗯嗯", "tell me a joke", ""])
async def test_offline_answerer_says_nothing_when_unsure(question: str) -> None:
    assert await FuzzyFaqAnswerer().answer(question, "zh-CN") is None


async def test_bundled_file_has_bilingual_entries() -> None:
    entries = bundled_entries()
    assert 10 <= len(entries) <= 15
    assert all(e.answer_zh and e.answer_en and e.questions_zh and e.questions_en for e in entries)
    assert len({e.id for e in entries}) == len(entries)
    custom = load_entries('{"entries": [{"id": "x", "questions_zh": ["保修几年"], "questions_en": ["Warranty?"], '
                          '"keywords": ["保修"], "answer_zh": "整机保修三年", "answer_en": "Three years."}]}')
    answer = await FuzzyFaqAnswerer(custom).answer("保修期是几年", "en")
    assert answer is not None and answer.text == "Three years." and answer.source == "Warranty?"


async def test_menu_lists_questions_and_answers_them() -> None:
    w = ChatWorld()
    menu = await w.press("300", payload("faq.menu"))               # unbound users may read the FAQ
    assert buttons(menu)["怎么下单"] == payload("faq.q", "order")
    answer = await w.press("300", payload("faq.q", "order"))
    assert "型号 + 数量" in texts(answer) and "来源：怎么下单" in texts(answer)
    assert "按钮已失效" in texts(await w.press("300", payload("faq.q", "nope")))


async def test_typed_question_is_answered_in_the_chat_language() -> None:
    w = ChatWorld()
    dealer = await w.dealer()
    await w.user("100", Role.DEALER_OWNER, dealer)
    assert "7 天内" in texts(await w.say("100", "退货政策是什么？"))
    await w.say("100", "/lang en")
    assert "company bank transfer" in texts(await w.say("100", "How do I pay?"))


async def test_unknown_question_is_forwarded_to_channel_managers_once() -> None:
    w = ChatWorld()
    dealer = await w.dealer(name="成都瑞丰电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("800", Role.CHANNEL_MANAGER, username="wang")
    await w.user("900", Role.FINANCE, username="qian")
    replies = await w.say("100", "你们明年还招代理商吗？")
    assert "答不上来" in texts(replies)
    forwarded = await w.press("100", buttons(replies)["🙋 转人工"])
    assert "已转给人工客服" in texts(forwarded)
    pushes = [r for r in forwarded if r.chat_id]
    assert [r.chat_id for r in pushes] == ["800"]
    assert "你们明年还招代理商吗？" in pushes[0].text and "成都瑞丰电器有限公司" in pushes[0].text
    again = await w.press("100", payload("faq.fwd"))
    assert "已经转给人工" in texts(again) and not [r for r in again if r.chat_id]


async def test_chitchat_not_understood_offers_help() -> None:
    w = ChatWorld()
    replies = await w.say("300", "嗯嗯")
    assert "没太明白" in texts(replies) and "🙋 转人工" in buttons(replies)
    assert "请先输入您的问题" in texts(await w.press("301", payload("faq.fwd")))


async def test_configured_answerer_is_used() -> None:
    class Fixed:
        async def answer(self, question: str, lang: str) -> FaqAnswer | None:
            return FaqAnswer(text=f"答：{question}", source="知识库", score=0.9)

    w = ChatWorld()
    w.service.deps.faq = Fixed()
    replies = await w.say("300", "保修几年？")
    assert "答：保修几年？" in texts(replies) and "来源：知识库" in texts(replies)
