"""FAQ (常见问题): answers from the knowledge base, and questions handed to staff and answered back.

- The menu lists the first knowledge-base entries; typed questions (intents FAQ and CHITCHAT_OTHER)
  go to ``Deps.faq`` (an ``nlu.faq.FaqAnswerer``; default: offline BM25 retrieval), which answers from
  the entries in the database and names the entry it used.
- Nothing relevant: the bot says so and offers "转人工". The question waits in the dialog data under
  a random key the button carries; pressing it creates one ``StaffQuestion`` (the key makes a double
  tap one question) and ``ask_staff`` queues a notice to the staff holding DEALER_WRITE (the outbox).
- Staff press "✍️ 回复" (``faq.ans|<id>``), type the answer (state ``faq.answer``); it goes back to the
  chat that asked (queued by ``answer_staff_question``), and staff get "📚 存入知识库" (``faq.save|<id>``): one tap
  makes the question and answer a knowledge-base entry (a second tap changes nothing).
Payload ids are never trusted: the use cases check the permission and the state.
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from core.errors import Conflict
from core.faq import FaqEntry, QuestionStatus
from core.services.faq import (
    ANSWERERS,
    AnswerStaffQuestion,
    AskStaff,
    SaveAnswerToKnowledgeBase,
    answer_staff_question,
    ask_staff,
    may_answer,
    save_answer_to_knowledge_base,
)
from handlers import i18n
from handlers.catalogue import chat_catalogue
from handlers.context import Ctx
from handlers.flows import aftersales, forms
from handlers.flows.menu import require_bound
from handlers.flows.staff_words import staff_help
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, StepLeft, payload
from nlu.desk_answer import DeskWords, desk_words_in_answer
from nlu.faq import (
    FaqAnswer,
    FaqAnswerer,
    RetrievalFaqAnswerer,
    how_to_question,
    question_parts,
    without_words,
)
from nlu.schema import Intent

router = Router(name=__name__)

MENU_QUESTIONS = 8
MAX_QUESTION = 500
ANSWER_STATE = "faq.answer"
_QUESTION_STARTS = ("怎么", "如何", "请问", "为什么", "能不能", "可不可以", "是否", "how", "what", "why", "when", "where",
                    "can ", "do ", "does ", "is ", "are ")


i18n.register({
    "faq.menu": ("❓ 常见问题：点选问题，或直接输入您想问的。", "❓ FAQ: tap a question, or type your own."),
    "faq.menu_empty": ("知识库暂时是空的，请直接输入您的问题。", "The knowledge base is empty; just type your question."),
    "faq.source": ("📖 来源：{source}", "📖 Source: {source}"),
    "faq.return_asked": ("怎么退货？", "How do I return goods?"),
    "faq.unknown": ("抱歉，知识库里没有找到相关的答案。需要转给人工客服吗？",
                    "Sorry, I found nothing about that in our knowledge base. Shall I forward it to our staff?"),
    "faq.not_understood": ("抱歉，我没太明白。可以换个说法、看看常见问题，或转给人工客服。",
                           "Sorry, I did not understand. Try other words, see the FAQ, or ask our staff."),
    "faq.part_answer": ("❓ {question}\n{answer}", "❓ {question}\n{answer}"),
    "faq.part_unknown": ("❓ {question}\n知识库里没有找到这个问题的答案，可以单独再问一次，转给人工客服。",
                         "❓ {question}\nNothing in our knowledge base about this; ask it on its own to forward it "
                         "to our staff."),
    "faq.btn.forward": ("🙋 转人工", "🙋 Ask staff"),
    "faq.btn.more": ("❓ 更多问题", "❓ More questions"),
    "faq.forwarded": ("已转给人工客服，答复会发到这里。", "Forwarded to our staff; the answer will come here."),
    "faq.already_forwarded": ("这个问题已经转给人工客服了。", "That question was already forwarded."),
    "faq.nothing_to_forward": ("请先输入您的问题。", "Please type your question first."),
    "faq.unbound_user": ("未绑定用户 {name}，{channel}:{chat}", "unbound user {name}, {channel}:{chat}"),
    "faq.answer_ask": ("请输入给 {who} 的答复：\n“{question}”", "Type your answer to {who}:\n\"{question}\""),
    "faq.answered_by": ("该问题已由 {who} 答复。", "{who} already answered it."),
    "faq.answer_sent": ("✅ 答复已发送给 {who}。", "✅ Answer sent to {who}."),
    "faq.answer_empty": ("请输入文字答复。", "Please type the answer as text."),
    "faq.answer_lookup": ("“{text}”没有发给 {who}：看起来是单号，已为您查询。要答复这个问题请点“✍️ 回复”。",
                          "\"{text}\" was not sent to {who}: it looks like a number, so it is looked up. To answer the "
                          "question tap \"✍️ Reply\"."),
    "faq.answer_command": ("“{text}”看起来是订单台指令，还没有发给 {who}。要把它作为答复发给对方吗？也可以直接输入新的答复。",
                           "\"{text}\" looks like a desk command; it was not sent to {who}. Send it as the answer? Or "
                           "type another answer."),
    "faq.btn.send_as_answer": ("📤 作为答复发送", "📤 Send as the answer"),
    "faq.btn.answer": ("✍️ 回复", "✍️ Reply"),
    "faq.btn.save": ("📚 存入知识库", "📚 Save to the knowledge base"),
    "faq.btn.order": ("📄 订单详情", "📄 Order details"),
    "faq.forwarded_desk": ("已转给订单台（{number}），答复会发到这里。",
                           "Forwarded to the order desk ({number}); the answer will come here."),
    "faq.saved": ("📚 已存入知识库：{question}", "📚 Saved to the knowledge base: {question}"),
    "faq.staff_only": ("只有渠道经理可以答复问题。", "Only channel managers can answer questions."),
    "faq.desk_only": ("这是关于订单的问题，由订单台答复。", "This question is about an order: the order desk answers it."),
})


@lru_cache(maxsize=1)
def _offline() -> RetrievalFaqAnswerer:
    return RetrievalFaqAnswerer()


def answerer(ctx: Ctx) -> FaqAnswerer:
    return ctx.deps.faq or _offline()


async def _entries(ctx: Ctx) -> list[FaqEntry]:
    async with ctx.uow() as uow:
        return await uow.faq_entries.list(active=True, order_by="id")


def _answer_reply(ctx: Ctx, found: FaqAnswer) -> Reply:
    text = f"{found.text}\n\n{ctx.t('faq.source', source=found.source)}"
    return Reply(text=text, buttons=[[Button(ctx.t("faq.btn.more"), payload("faq.menu")), forms.menu_button(ctx)]])


@router.button("faq.menu")
@router.command("faq")
async def menu(ctx: Ctx) -> list[Reply]:
    entries = (await _entries(ctx))[:MENU_QUESTIONS]
    if not entries:
        return [Reply(text=ctx.t("faq.menu_empty"), buttons=[[forms.menu_button(ctx)]])]
    rows = [[Button(e.question(ctx.lang)[:40], payload("faq.q", e.id or 0))] for e in entries]
    return [Reply(text=ctx.t("faq.menu"), buttons=rows + [[forms.menu_button(ctx)]])]


@router.button("faq.q")
async def question_button(ctx: Ctx) -> list[Reply]:
    raw = forms.arg(ctx, 0)
    entry = None
    if raw.isdigit() and len(raw) < 12:
        async with ctx.uow() as uow:
            entry = await uow.faq_entries.get(int(raw))
    if entry is None or not entry.active:
        return [Reply(text=ctx.t("error.button_stale"))]
    return [_answer_reply(ctx, FaqAnswer(text=entry.answer(ctx.lang), source=entry.question(ctx.lang), score=1.0,
                                         entry_id=entry.id))]


async def knowledge_answer(ctx: Ctx, question: str) -> Reply | None:
    """The knowledge base's answer to a how-to question ("怎么下单", "how do I return goods"), when it has one."""
    asked = how_to_question(question)        # "在这里怎么下单": how to order, here = this bot
    if asked is None:
        return None
    question = asked
    found = await answerer(ctx).answer(question, ctx.lang, await _entries(ctx))
    return _answer_reply(ctx, found) if found is not None else None


async def _without_products(ctx: Ctx, question: str) -> str:
    """The question with the products it names taken out: a policy asked about a product ("除湿机保修多久",
    "AP300 能开专票吗") is the policy's question, and the knowledge base does not name the catalogue."""
    slots = ctx.parsed.slots if ctx.parsed is not None else None
    if slots is None:
        return question
    words = [*slots.unknown_words, *(u.word for u in slots.unresolved)]
    named = {slots.product, *(i.sku for i in slots.items)} - {None}
    if named:
        words += [w for e in await chat_catalogue(ctx) if e.sku in named for w in (e.sku, e.name, *e.aliases)]
    return without_words(question, words)


def _looks_like_question(ctx: Ctx, text: str) -> bool:
    if ctx.parsed is not None and ctx.parsed.intent == Intent.FAQ:
        return True
    lower = text.lower()
    return lower.endswith(("?", "？", "吗", "呢", "么")) or lower.startswith(_QUESTION_STARTS)


async def typed_answer(ctx: Ctx) -> Reply | None:
    """The knowledge base's answer to the message typed (``ctx.parsed`` read), else None: also asked aside while a
    cart is open ("付款方式有哪些" with AP300 in it), where a miss leaves the cart's own reply."""
    question = ctx.inbound.text.strip()
    found = await answerer(ctx).answer(question, ctx.lang, await _entries(ctx)) if question else None
    if found is None and (general := await _without_products(ctx, question)) != question:
        found = await answerer(ctx).answer(general, ctx.lang, await _entries(ctx))   # "除湿机保修多久": the warranty
    if found is None and ctx.parsed is not None and ctx.parsed.slots.topic == "return":
        # "AP300退2台可以吗": goods going back (the parser says so), answered by the return policy
        found = await answerer(ctx).answer(ctx.t("faq.return_asked"), ctx.lang, await _entries(ctx))
    if (parts := question_parts(question)) and (each := await _each_answered(ctx, parts, whole=found)) is not None:
        return each
    return _answer_reply(ctx, found) if found is not None else None


async def _each_answered(ctx: Ctx, parts: list[str], *, whole: FaqAnswer | None) -> Reply | None:
    """Several questions in one message ("保修几年啊 滤芯多久换一次"): each one the knowledge base answers, and the ones
    it does not named (QA s28 #18: neither was answered). None when no question is answered, or when the whole
    message was answered (``whole``) and its questions do not find two answers."""
    entries = await _entries(ctx)
    found = [(part, await answerer(ctx).answer(part, ctx.lang, entries)) for part in parts]
    distinct = {f.entry_id for _, f in found if f is not None}
    if not distinct or (whole is not None and len(distinct) < 2):
        return None
    blocks, seen = [], set()
    for part, answer in found:
        if answer is None:
            blocks.append(ctx.t("faq.part_unknown", question=part))
        elif answer.entry_id not in seen:
            seen.add(answer.entry_id)
            blocks.append(ctx.t("faq.part_answer", question=answer.source, answer=answer.text))
    return Reply(text="\n\n".join(blocks),
                 buttons=[[Button(ctx.t("faq.btn.more"), payload("faq.menu")), forms.menu_button(ctx)]])


@router.intent(Intent.FAQ, Intent.CHITCHAT_OTHER)
async def typed_question(ctx: Ctx) -> list[Reply]:
    if ctx.parsed is not None and ctx.parsed.slots.topic == "menu":     # "常见问题": the list, as the menu's button
        return await menu(ctx)
    question = ctx.inbound.text.strip()
    if (known := await typed_answer(ctx)) is not None:
        return [known]
    if ctx.is_staff:              # staff are told what they can type, never offered "转人工" to themselves
        return await staff_help(ctx)
    if question and (answering := await aftersales.offer_as_answer(ctx, text=question)) is not None:
        return answering          # after-sales asked this dealer something: this may be its answer
    return offer_forward(ctx, question, ctx.t("faq.unknown" if _looks_like_question(ctx, question)
                                              else "faq.not_understood"))


def offer_forward(ctx: Ctx, question: str, text: str) -> list[Reply]:
    """``text`` over 🙋 转人工: one tap hands ``question`` to staff (``forward``), its answer coming back here."""
    ctx.idle()
    key = secrets.token_hex(8)
    if question:
        ctx.dialog.data = {"faq_question": question[:MAX_QUESTION], "faq_key": key}
    rows = [[Button(ctx.t("faq.btn.forward"), payload("faq.fwd", key))],
            [Button(ctx.t("faq.btn.more"), payload("faq.menu")), forms.menu_button(ctx)]]
    return [Reply(text=text, buttons=rows)]


@router.button("faq.fwd")
async def forward(ctx: Ctx) -> list[Reply]:
    key = forms.arg(ctx, 0)
    data = ctx.dialog.data
    question = data.get("faq_question")
    if not question or not key or data.get("faq_key") != key:
        if key and key in (data.get("faq_forwarded_keys") or []):
            return [Reply(text=ctx.t("faq.already_forwarded"), buttons=[[forms.menu_button(ctx)]])]
        return [Reply(text=ctx.t("faq.nothing_to_forward"), buttons=[[forms.menu_button(ctx)]])]
    asked_by = await _asker_label(ctx) or _unbound_label(ctx, "zh-CN")
    staff_question, created = await ask_staff(ctx.uow(), ctx.actor, AskStaff(
        channel=ctx.inbound.channel, chat_id=ctx.inbound.chat_id, question=str(question), request_key=key,
        asked_by=asked_by, language=ctx.lang, about_order=str(data.get("faq_order") or "")), ctx.deps.clock)
    ctx.dialog.data = {"faq_forwarded_keys": [key]}
    if not created:
        return [Reply(text=ctx.t("faq.already_forwarded"), buttons=[[forms.menu_button(ctx)]])]
    if staff_question.about_order:
        return [Reply(text=ctx.t("faq.forwarded_desk", number=staff_question.about_order),
                      buttons=[[forms.menu_button(ctx)]])]
    return [Reply(text=ctx.t("faq.forwarded"), buttons=[[forms.menu_button(ctx)]])]


async def asker_label(ctx: Ctx) -> str:
    """Who asked, as staff see it: the dealer and person, or the chat of a visitor not bound yet."""
    return await _asker_label(ctx) or _unbound_label(ctx, "zh-CN")


async def _asker_label(ctx: Ctx) -> str:
    """Who asked, for a bound user ("上海华信电器有限公司（D0001）· li"); empty for an unbound chat."""
    if ctx.is_dealer and ctx.actor.dealer_id is not None:
        async with ctx.uow() as uow:
            dealer = await uow.dealers.get(ctx.actor.dealer_id)
        return f"{dealer.name}（{dealer.code}）· {ctx.actor.name}" if dealer else ctx.actor.name
    return ctx.actor.name if ctx.bound else ""


def _unbound_label(ctx: Ctx, lang: str) -> str:
    inbound = ctx.inbound
    return i18n.t(lang, "faq.unbound_user", name=inbound.display_name or "-", channel=inbound.channel,
                  chat=inbound.chat_id)


# --- staff: answer, then save to the knowledge base ------------------------------------------------

def _question_id(ctx: Ctx) -> int | None:
    raw = forms.arg(ctx, 0)
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@router.button("faq.ans")
async def answer_button(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not ANSWERERS & ctx.actor.permissions:
        return [Reply(text=ctx.t("faq.staff_only"))]
    qid = _question_id(ctx)
    async with ctx.uow() as uow:
        question = await uow.staff_questions.get(qid) if qid is not None else None
    if question is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    if not may_answer(ctx.actor, question):
        return [Reply(text=ctx.t("faq.desk_only" if question.about_order else "faq.staff_only"))]
    if question.status == QuestionStatus.ANSWERED:
        return [Reply(text=ctx.t("faq.answered_by", who=question.answered_by))]
    ctx.go(ANSWER_STATE, question_id=question.id, who=question.asked_by or question.chat_id)
    return [Reply(text=ctx.t("faq.answer_ask", who=question.asked_by or question.chat_id, question=question.question),
                  buttons=[[Button(ctx.t("form.cancel"), payload("faq.ans_stop"))]])]


@router.button("faq.ans_stop")
async def stop_answering(ctx: Ctx) -> list[Reply]:
    if ctx.dialog.state == ANSWER_STATE:
        ctx.idle()
    return [Reply(text=ctx.t("cancelled"), buttons=[[forms.menu_button(ctx)]])]


@router.state(ANSWER_STATE)
async def answer_text(ctx: Ctx) -> list[Reply]:
    text = ctx.inbound.text.strip() if ctx.inbound.kind == InboundKind.TEXT else ""
    if not text:
        return [Reply(text=ctx.t("faq.answer_empty"))]
    qid = int(ctx.dialog.data.get("question_id") or 0)
    said = desk_words_in_answer(text)
    if said is not None:       # "SO-…" alone, "SO-… 驳回": desk work, not words for the dealer (was: sent as the answer)
        who = str(ctx.dialog.data.get("who") or "")
        if said == DeskWords.LOOKUP:       # the step left, the number looked up; the question waits on
            raise StepLeft([Reply(text=ctx.t("faq.answer_lookup", text=forms.clip(text), who=who),
                                  buttons=[[Button(ctx.t("faq.btn.answer"), payload("faq.ans", qid))]])])
        ctx.go(ANSWER_STATE, question_id=qid, who=who, pending=text)
        return [Reply(text=ctx.t("faq.answer_command", text=forms.clip(text), who=who),
                      buttons=[[Button(ctx.t("faq.btn.send_as_answer"), payload("faq.ans_send", qid))],
                               [Button(ctx.t("form.cancel"), payload("faq.ans_stop"))]])]
    return await _send_answer(ctx, qid, text)


@router.button("faq.ans_send")
async def send_pending(ctx: Ctx) -> list[Reply]:
    """"📤 作为答复发送" under the desk-command question: the words held back are the answer after all."""
    pending = str(ctx.dialog.data.get("pending") or "")
    qid = int(ctx.dialog.data.get("question_id") or 0)
    if ctx.dialog.state != ANSWER_STATE or not pending or forms.arg(ctx, 0) != str(qid):
        return [Reply(text=ctx.t("error.button_stale"))]
    return await _send_answer(ctx, qid, pending)


async def _send_answer(ctx: Ctx, qid: int, text: str) -> list[Reply]:
    ctx.idle()
    try:
        question = await answer_staff_question(ctx.uow(), ctx.actor, AnswerStaffQuestion(question_id=qid, answer=text),
                                               ctx.deps.clock)
    except Conflict as exc:
        return [Reply(text=exc.message(ctx.lang))]
    sent = ctx.t("faq.answer_sent", who=question.asked_by or question.chat_id)
    if question.about_order:            # about one order: nothing for the knowledge base
        return [Reply(text=sent, buttons=[[Button(ctx.t("faq.btn.order"), payload("staff.order.detail",
                                                                                  question.about_order))]])]
    return [Reply(text=sent, buttons=[[Button(ctx.t("faq.btn.save"), payload("faq.save", question.id or 0))]])]


@router.button("faq.save")
async def save(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    qid = _question_id(ctx)
    if qid is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    entry = await save_answer_to_knowledge_base(ctx.uow(), ctx.actor, SaveAnswerToKnowledgeBase(question_id=qid),
                                                ctx.deps.clock)
    return [Reply(text=ctx.t("faq.saved", question=entry.question(ctx.lang)))]
