"""FAQ in chat: answers from the knowledge base with their source, hand-over to staff, the staff answer
back to the asker, and saving it into the knowledge base with one tap."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from core.faq import FaqEntry, QuestionStatus
from core.users import Role
from handlers.router import payload
from nlu.faq import FaqAnswer
from tests.chat import ChatWorld, buttons, texts


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.knowledge_base()
    dealer = await w.dealer(name="成都瑞丰电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("800", Role.CHANNEL_MANAGER, username="wang")
    await w.user("801", Role.CHANNEL_MANAGER, username="zhao")
    await w.user("900", Role.FINANCE, username="qian")
    return w


@pytest.mark.parametrize(("question", "source"), [
    ("怎么下单", "怎么下单"), ("多久发货", "发货时间"), ("我要退货", "退换货政策"), ("售后多久能处理", "售后时效"),
    ("营业执照快过期了怎么办", "资质到期怎么办"), ("保修几年？", "产品保修期多久？"), ("可以开专票吗", "怎么开发票"),
    ("客服电话多少", "怎么联系厂家？"), ("运费谁出", "最低起订量和运费怎么算？"),
])
async def test_typed_question_is_answered_from_the_knowledge_base(question: str, source: str) -> None:
    w = await world()
    replies = await w.say("100", question)
    assert f"来源：{source}" in texts(replies)


async def test_english_question_gets_the_english_answer() -> None:
    w = await world()
    await w.say("100", "/lang en")
    answer = texts(await w.say("100", "What is the return policy?"))
    assert "Within 7 days of delivery" in answer and "Source: What is the return policy?" in answer


async def test_menu_lists_entries_from_the_database_and_answers_them() -> None:
    w = await world()
    menu = await w.press("300", payload("faq.menu"))               # unbound users may read the FAQ
    first = await _entry(w, "怎么下单")
    assert buttons(menu)["怎么下单"] == payload("faq.q", first.id or 0)
    answer = await w.press("300", payload("faq.q", first.id or 0))
    assert "型号 + 数量" in texts(answer) and "来源：怎么下单" in texts(answer)
    assert "按钮已失效" in texts(await w.press("300", payload("faq.q", "999")))
    assert "按钮已失效" in texts(await w.press("300", payload("faq.q", "x' OR 1=1")))


@pytest.mark.parametrize(("text", "staff"), [("今天天气怎么样", "🙋 转人工"), ("你是谁", "🙋 转人工"),
                                             ("嗯嗯", "🙋 转人工"), ("tell me a joke", "🙋 Ask staff")])
async def test_nothing_relevant_says_so_and_offers_staff(text: str, staff: str) -> None:
    w = await world()
    replies = await w.say("100", text)
    assert "来源" not in texts(replies) and "Source" not in texts(replies)
    assert staff in buttons(replies)          # in the language the question was written in


async def test_unanswered_question_goes_to_staff_and_the_answer_comes_back() -> None:
    w = await world()
    replies = await w.say("100", "你们的产品能出口到越南吗？")
    assert "没有找到相关的答案" in texts(replies)
    forward = buttons(replies)["🙋 转人工"]
    w.forget_pushes()
    forwarded = await w.press("100", forward)
    assert "已转给人工客服" in texts(forwarded)
    assert not [r for r in forwarded if r.chat_id]                    # staff hear of it through the outbox
    pushes = await w.all_pushed()
    assert sorted(r.chat_id for r in pushes) == ["800", "801"]          # channel managers, not finance
    assert "你们的产品能出口到越南吗？" in pushes[0].text and "成都瑞丰电器有限公司" in pushes[0].text
    # a double tap (or a re-delivered press) is one question, pushed once
    again = await w.press("100", forward)
    assert "已经转给人工" in texts(again) and not await w.all_pushed()
    assert len(w.uow.staff_questions.rows) == 1

    answer_button = buttons([pushes[0]])["✍️ 回复"]
    prompt = await w.press("800", answer_button)
    assert "请输入给" in texts(prompt)
    sent = await w.say("800", "可以，东南亚出口请联系国际业务部 021-5555-0000。")
    assert "答复已发送" in texts(sent)
    to_dealer = await w.pushed("100")
    assert len(to_dealer) == 1 and "国际业务部" in to_dealer[0].text and "能出口到越南" in to_dealer[0].text
    question = w.uow.staff_questions.rows[0]
    assert question.status == QuestionStatus.ANSWERED and question.answered_by == "wang"

    # the second manager is told who answered first
    late = await w.press("801", answer_button)
    assert "已由 wang 答复" in texts(late)

    save = buttons(sent)["📚 存入知识库"]
    saved = await w.press("800", save)
    assert "已存入知识库" in texts(saved)
    assert "已存入知识库" in texts(await w.press("800", save))        # one tap, one entry
    added = [e for e in w.uow.faq_entries.rows if e.source == "staff:wang"]
    assert len(added) == 1 and "国际业务部" in added[0].answer_zh
    assert [a.action for a in w.uow.audit.rows if a.action.startswith("faq.")][-3:] == [
        "faq.ask_staff", "faq.answer", "faq.save_answer"]
    # and the bot now answers it from the knowledge base
    assert "来源：你们的产品能出口到越南吗？" in texts(await w.say("100", "产品可以出口越南吗"))


async def test_dealers_and_other_staff_cannot_answer_or_save() -> None:
    w = await world()
    replies = await w.say("100", "你们的产品能出口到越南吗？")
    w.forget_pushes()
    await w.press("100", buttons(replies)["🙋 转人工"])
    pushes = await w.all_pushed()
    qid = w.uow.staff_questions.rows[0].id
    assert "只有渠道经理" in texts(await w.press("100", payload("faq.ans", qid or 0)))     # the dealer itself
    assert "只有渠道经理" in texts(await w.press("900", payload("faq.ans", qid or 0)))     # finance
    assert "没有权限" in texts(await w.press("900", payload("faq.save", qid or 0)))
    assert "问题尚未答复" in texts(await w.press("800", payload("faq.save", qid or 0)))
    assert pushes and w.uow.staff_questions.rows[0].status == QuestionStatus.OPEN


async def test_forward_needs_the_current_question() -> None:
    w = await world()
    assert "请先输入您的问题" in texts(await w.press("301", payload("faq.fwd", "deadbeef")))
    replies = await w.say("100", "嗯嗯")
    assert "没太明白" in texts(replies)
    assert "请先输入您的问题" in texts(await w.press("100", payload("faq.fwd", "forged")))
    assert not w.uow.staff_questions.rows


async def test_unbound_visitor_question_names_the_chat() -> None:
    w = await world()
    replies = await w.say("555", "你们周六上班吗？")
    w.forget_pushes()
    await w.press("555", buttons(replies)["🙋 转人工"])
    pushes = await w.all_pushed()
    assert pushes and "未绑定用户" in pushes[0].text and "telegram:555" in pushes[0].text


async def test_configured_answerer_is_used_with_the_entries() -> None:
    seen: list[int] = []

    class Fixed:
        async def answer(self, question: str, lang: str, entries: Sequence[FaqEntry]) -> FaqAnswer | None:
            seen.append(len(entries))
            return FaqAnswer(text=f"答：{question}", source="知识库", score=0.9)

    w = await world()
    w.service.deps.faq = Fixed()
    replies = await w.say("300", "保修几年？")
    assert "答：保修几年？" in texts(replies) and "来源：知识库" in texts(replies)
    assert seen == [len(w.uow.faq_entries.rows)]


async def _entry(w: ChatWorld, question: str) -> FaqEntry:
    return next(e for e in w.uow.faq_entries.rows if e.question_zh == question)


@pytest.mark.parametrize("text", ["怎么下单", "这个机器人怎么下单", "在这里怎么下单"])
async def test_a_how_to_question_read_as_help_is_answered_from_the_knowledge_base(text: str) -> None:
    """Writers label "在这里怎么下单" help and "怎么下单" faq; either way the dealer gets the knowledge base's
    answer to how ordering works, and the menu."""
    w = await world()
    replies = await w.say("100", text)
    assert "来源：怎么下单" in texts(replies), texts(replies)


@pytest.mark.parametrize("text", ["帮助", "你能干啥", "what can this bot do?", "怎么用 教一下", "/help"])
async def test_asking_what_the_bot_does_shows_the_commands(text: str) -> None:
    w = await world()
    replies = await w.say("100", text)
    assert "/orders" in texts(replies) and "来源" not in texts(replies), texts(replies)


@pytest.mark.parametrize("said", ["常见问题", "看看常见问题", "FAQ"])
async def test_the_menu_entry_typed_lists_the_questions(said: str) -> None:
    """The main menu's ❓ 常见问题 typed as words (was: the dealer's after-sales tickets, "没有找到与您说的相符的
    工单或反馈", or a search of the knowledge base for the words themselves)."""
    w = await world()
    replies = await w.say("100", said)
    assert "怎么下单" in buttons(replies) and "工单" not in texts(replies)


@pytest.mark.parametrize(("question", "source"), [
    ("除湿机保修多久", "产品保修期多久？"), ("AP300 保修几年", "产品保修期多久？"), ("净化器多久发货", "发货时间"),
])
async def test_a_policy_asked_about_a_product_is_the_policy_question(question: str, source: str) -> None:
    w = await world()
    await w.catalogue()
    replies = await w.say("100", question)
    assert f"来源：{source}" in texts(replies), texts(replies)


@pytest.mark.parametrize(("said", "answered", "missing"), [
    ("保修几年啊 滤芯多久换一次", "❓ 产品保修期多久？\n整机保修 2 年", "❓ 滤芯多久换一次\n知识库里没有找到"),
    ("运费谁出？客服电话多少", "❓ 最低起订量和运费怎么算？", "❓ 怎么联系厂家？"),
])
async def test_two_questions_in_one_message_are_each_answered(said: str, answered: str, missing: str) -> None:
    """QA s28 #18: "保修几年啊 滤芯多久换一次" answered neither ("知识库里没有找到") although "保修几年" alone is
    answered. Now each question found is answered and one not found is named."""
    w = await world()
    shown = texts(await w.say("100", said))
    assert answered in shown and missing in shown
