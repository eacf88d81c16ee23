"""FAQ (常见问题): a menu of the top questions, answers to typed questions, hand-over to staff.

Typed questions (intents FAQ and CHITCHAT_OTHER) go to ``Deps.faq`` (a ``nlu.faq.FaqAnswerer``), or to
the bundled offline ``FuzzyFaqAnswerer`` when none is configured. Without an answer the user is
offered to forward the question: the question waits in the idle dialog's data until the
"转人工" button sends it to staff holding DEALER_WRITE (the channel managers).
"""

from __future__ import annotations

from functools import lru_cache

from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.messages import Button, Reply
from handlers.notify import chat_language, staff_chats
from handlers.router import Router, payload
from nlu.faq import FaqAnswer, FaqAnswerer, FuzzyFaqAnswerer
from nlu.schema import Intent

router = Router(name=__name__)

MENU_QUESTIONS = 8
MAX_QUESTION = 500

i18n.register({
    "faq.menu": ("❓ 常见问题：点选问题，或直接输入您想问的。", "❓ FAQ: tap a question, or type your own."),
    "faq.source": ("📖 来源：{source}", "📖 Source: {source}"),
    "faq.unknown": ("抱歉，这个问题我暂时答不上来。需要转给人工客服吗？",
                    "Sorry, I don't know the answer to that. Shall I forward it to our staff?"),
    "faq.not_understood": ("抱歉，我没太明白。可以换个说法、看看常见问题，或转给人工客服。",
                           "Sorry, I did not understand. Try other words, see the FAQ, or ask our staff."),
    "faq.btn.forward": ("🙋 转人工", "🙋 Ask staff"),
    "faq.btn.more": ("❓ 更多问题", "❓ More questions"),
    "faq.forwarded": ("已转给人工客服，我们会尽快联系您。", "Forwarded to our staff; they will get back to you soon."),
    "faq.already_forwarded": ("这个问题已经转给人工客服了。", "That question was already forwarded."),
    "faq.nothing_to_forward": ("请先输入您的问题。", "Please type your question first."),
    "faq.staff_question": ("🙋 用户提问（{who}）：\n{question}\n请联系对方答复。",
                           "🙋 Question from {who}:\n{question}\nPlease get back to them."),
    "faq.unbound_user": ("未绑定用户 {name}，{channel}:{chat}", "unbound user {name}, {channel}:{chat}"),
})


@lru_cache(maxsize=1)
def _bundled() -> FuzzyFaqAnswerer:
    return FuzzyFaqAnswerer()


def answerer(ctx: Ctx) -> FaqAnswerer:
    return ctx.deps.faq or _bundled()


def _answer_reply(ctx: Ctx, found: FaqAnswer) -> Reply:
    text = f"{found.text}\n\n{ctx.t('faq.source', source=found.source)}"
    return Reply(text=text, buttons=[[Button(ctx.t("faq.btn.more"), payload("faq.menu")), forms.menu_button(ctx)]])


@router.button("faq.menu")
@router.command("faq")
async def menu(ctx: Ctx) -> list[Reply]:
    questions = _bundled().top_questions(ctx.lang, MENU_QUESTIONS)
    rows = [[Button(title, payload("faq.q", entry_id))] for entry_id, title in questions]
    return [Reply(text=ctx.t("faq.menu"), buttons=rows + [[forms.menu_button(ctx)]])]


@router.button("faq.q")
async def question_button(ctx: Ctx) -> list[Reply]:
    entry = _bundled().entry(forms.arg(ctx, 0))
    if entry is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    return [_answer_reply(ctx, entry.to_answer(ctx.lang))]


@router.intent(Intent.FAQ, Intent.CHITCHAT_OTHER)
async def typed_question(ctx: Ctx) -> list[Reply]:
    question = ctx.inbound.text.strip()
    found = await answerer(ctx).answer(question, ctx.lang) if question else None
    if found is not None:
        return [_answer_reply(ctx, found)]
    ctx.dialog.state = ""
    ctx.dialog.data = {"faq_question": question[:MAX_QUESTION]} if question else {}
    is_question = ctx.parsed is not None and ctx.parsed.intent == Intent.FAQ
    rows = [[Button(ctx.t("faq.btn.forward"), payload("faq.fwd"))],
            [Button(ctx.t("faq.btn.more"), payload("faq.menu")), forms.menu_button(ctx)]]
    return [Reply(text=ctx.t("faq.unknown" if is_question else "faq.not_understood"), buttons=rows)]


@router.button("faq.fwd")
async def forward(ctx: Ctx) -> list[Reply]:
    question = ctx.dialog.data.get("faq_question")
    if not question:
        key = "faq.already_forwarded" if ctx.dialog.data.get("faq_forwarded") else "faq.nothing_to_forward"
        return [Reply(text=ctx.t(key), buttons=[[forms.menu_button(ctx)]])]
    dealer_label = await _dealer_label(ctx)
    async with ctx.uow() as uow:
        chats = await staff_chats(uow, Permission.DEALER_WRITE)
        languages = [await chat_language(uow, channel, chat_id, ctx.deps.default_language)
                     for channel, chat_id in chats]
    ctx.outbox.extend(Reply(text=i18n.t(lang, "faq.staff_question", who=dealer_label or _unbound_label(ctx, lang),
                                        question=question),
                            channel=channel, chat_id=chat_id)
                      for (channel, chat_id), lang in zip(chats, languages, strict=True))
    ctx.dialog.data = {"faq_forwarded": True}
    return [Reply(text=ctx.t("faq.forwarded"), buttons=[[forms.menu_button(ctx)]])]


async def _dealer_label(ctx: Ctx) -> str:
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
