"""Finance answers disputed statements (对账异议) in chat.

``/disputes`` (or the button of the dispute's push, or finance's /today) lists the disputed statements
with the dealer's reason and the lines it named (``core.services.statements.list_open_disputes``). For
each: the statement with its Excel and PDF, **accept** (pick the account, then type the signed amount and
a word for the dealer: ``+500 11月8日收款少记``) or **explain** (type the answer). Either way
``answer_dispute`` rebuilds the statement, tells the dealer and asks for confirmation again. Only staff
holding ACCOUNT_POST; the use case checks again.
"""

from __future__ import annotations

from core.accounts import AccountKind, StatementStatus
from core.ledger import ACCOUNT_LABELS
from core.money import fmt_cny
from core.services.accounts import STATEMENT_STATUS_LABELS
from core.services.statements import (
    AnswerDispute,
    OpenDispute,
    answer_dispute,
    describe_adjustment,
    get_statement_by_id,
    get_statement_row,
    list_open_disputes,
)
from core.statements import describe_line
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.statement_words import read_adjustment

router = Router(name=__name__)

MAX_ANSWER = 1000

i18n.register({
    "stmt.finance_only": ("对账异议由财务处理。", "Statement disputes are handled by finance."),
    "stmt.none": ("✅ 没有待处理的对账异议。", "✅ No statement disputes waiting."),
    "stmt.head": ("🧾 待处理的对账异议（{n}）：", "🧾 Statement disputes waiting ({n}):"),
    "stmt.item": ("{code} {name} · {period} 对账单 · 期末 {closing}\n异议：{reason}",
                  "{code} {name} · {period} statement · closing {closing}\nDispute: {reason}"),
    "stmt.card": ("{code} {name} · {period} 对账单 · 期末 {closing}\n状态：{status}{due}",
                  "{code} {name} · {period} statement · closing {closing}\nStatus: {status}{due}"),
    "stmt.card.due": ("（{due} 前确认）", " (to confirm by {due})"),
    "stmt.btn.view": ("📎 对账单", "📎 Statement"),
    "stmt.btn.list": ("🧾 其余对账异议", "🧾 Other disputes"),
    "stmt.btn.accept": ("✅ 接受并调整", "✅ Accept with adjustment"),
    "stmt.btn.explain": ("💬 解释说明", "💬 Explain"),
    "stmt.pick_account": ("调整记入哪个账户？", "Which account does the adjustment go to?"),
    "stmt.ask_amount": ("请输入调整金额和给经销商的说明，正数补给经销商、负数扣回。\n例如：+500 11月8日收款少记 500",
                        "Type the amount and a word for the dealer; positive gives the dealer money, negative takes "
                        "it back.\nFor example: +500 payment of 8 Nov booked 500 short"),
    "stmt.bad_amount": ("没看懂金额。请以金额开头，例如：+500 11月8日收款少记 500",
                        "I could not read an amount. Start with it, for example: +500 payment booked short"),
    "stmt.need_words": ("请在金额后写一句给经销商的说明。", "Add a word for the dealer after the amount."),
    "stmt.ask_explain": ("请输入给经销商的解释（对账单不作调整）：",
                         "Type your explanation for the dealer (the statement stays as it is):"),
    "stmt.done_adjusted": ("✅ 已调整 {adjustment}，{period} 对账单已重新出具（期末 {closing}），经销商将收到答复并再次确认（截止 {due}）。",
                           "✅ Adjusted {adjustment}; the {period} statement is issued again (closing {closing}). The "
                           "dealer gets your answer and confirms again (by {due})."),
    "stmt.done_explained": ("✅ 已答复，{period} 对账单已重新发给经销商确认（截止 {due}）。",
                            "✅ Answered; the {period} statement went back to the dealer to confirm (by {due})."),
    "stmt.not_disputed": ("该对账单当前没有待处理的异议。", "That statement has no dispute waiting."),
})


def _finance(ctx: Ctx) -> list[Reply] | None:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if not ctx.is_staff or Permission.ACCOUNT_POST not in ctx.actor.permissions:
        return [Reply(text=ctx.t("stmt.finance_only"))]
    return None


def _statement_id(ctx: Ctx) -> int:
    raw = forms.arg(ctx, 0)
    return int(raw) if raw.isdigit() else 0


def _dispute_buttons(ctx: Ctx, statement_id: int) -> list[list[Button]]:
    return [[Button(ctx.t("stmt.btn.accept"), payload("stmt.acc", statement_id)),
             Button(ctx.t("stmt.btn.explain"), payload("stmt.exp", statement_id))],
            [Button(ctx.t("stmt.btn.view"), payload("stmt.view", statement_id))]]


def _item_text(ctx: Ctx, d: OpenDispute) -> str:
    lines = [ctx.t("stmt.item", code=d.dealer_code, name=d.dealer_name, period=d.period,
                   closing=fmt_cny(d.closing_balance), reason=d.reason)]
    lines += [f"• {describe_line(line, ctx.en)}" for line in d.lines]
    return "\n".join(lines)


@router.command("disputes")
@router.button("stmt.disputes")
async def disputes(ctx: Ctx) -> list[Reply]:
    refused = _finance(ctx)
    if refused is not None:
        return refused
    waiting = await list_open_disputes(ctx.uow(), ctx.actor, limit=10)
    if not waiting:
        return [Reply(text=ctx.t("stmt.none"), buttons=[[forms.menu_button(ctx)]])]
    return [Reply(text=ctx.t("stmt.head", n=len(waiting)))] + [
        Reply(text=_item_text(ctx, d), buttons=_dispute_buttons(ctx, d.statement_id)) for d in waiting]


@router.button("stmt.view")
async def view(ctx: Ctx) -> list[Reply]:
    refused = _finance(ctx)
    if refused is not None:
        return refused
    from documents.statement_files import statement_pdf, statement_xlsx

    row = await get_statement_row(ctx.uow(), ctx.actor, _statement_id(ctx))
    statement = row.statement
    who, stem = f"{row.dealer_code} {row.dealer_name}", f"statement-{row.dealer_code}-{statement.period}"
    disputed = statement.status == StatementStatus.DISPUTED
    rows = _dispute_buttons(ctx, statement.id or 0)[:1] if disputed else []
    if disputed:
        head = ctx.t("stmt.item", code=row.dealer_code, name=row.dealer_name, period=statement.period,
                     closing=fmt_cny(statement.closing_balance), reason=statement.dispute_reason or "-")
    else:        # a statement nobody disputes: where it stands (was: "异议：-")
        head = ctx.t("stmt.card", code=row.dealer_code, name=row.dealer_name, period=statement.period,
                     closing=fmt_cny(statement.closing_balance),
                     status=ctx.pick(*STATEMENT_STATUS_LABELS[statement.status]),
                     due=ctx.t("stmt.card.due", due=statement.due_on.isoformat())
                     if statement.due_on and statement.status == StatementStatus.ISSUED else "")
    head += "".join(f"\n• {describe_line(line, ctx.en)}" for line in statement.dispute_lines if disputed)
    return [Reply(text=head),
            Reply(file=statement_xlsx(statement, who, ctx.lang), file_name=f"{stem}.xlsx"),
            Reply(file=statement_pdf(statement, who, ctx.lang), file_name=f"{stem}.pdf", buttons=rows)]


async def _disputed(ctx: Ctx, statement_id: int) -> bool:
    statement = await get_statement_by_id(ctx.uow(), ctx.actor, statement_id)
    return statement.status == StatementStatus.DISPUTED


@router.button("stmt.acc")
async def accept(ctx: Ctx) -> list[Reply]:
    refused = _finance(ctx)
    if refused is not None:
        return refused
    statement_id = _statement_id(ctx)
    if not await _disputed(ctx, statement_id):
        return [Reply(text=ctx.t("stmt.not_disputed"))]
    rows = [[Button(ctx.pick(zh, en), payload("stmt.acct", statement_id, account.value))
             for account, (zh, en) in ACCOUNT_LABELS.items()], forms.cancel_row(ctx, "stmt")]
    return [Reply(text=ctx.t("stmt.pick_account"), buttons=rows)]


@router.button("stmt.acct")
async def account_picked(ctx: Ctx) -> list[Reply]:
    refused = _finance(ctx)
    if refused is not None:
        return refused
    statement_id, account = _statement_id(ctx), forms.arg(ctx, 1)
    if account not in {a.value for a in AccountKind} or not await _disputed(ctx, statement_id):
        return [Reply(text=ctx.t("stmt.not_disputed"))]
    ctx.go("stmt.amount", statement=statement_id, account=account)
    return [Reply(text=ctx.t("stmt.ask_amount"), buttons=[forms.cancel_row(ctx, "stmt")])]


@router.button("stmt.exp")
async def explain(ctx: Ctx) -> list[Reply]:
    refused = _finance(ctx)
    if refused is not None:
        return refused
    statement_id = _statement_id(ctx)
    if not await _disputed(ctx, statement_id):
        return [Reply(text=ctx.t("stmt.not_disputed"))]
    ctx.go("stmt.explain", statement=statement_id)
    return [Reply(text=ctx.t("stmt.ask_explain"), buttons=[forms.cancel_row(ctx, "stmt")])]


@router.button("stmt.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


@router.state("stmt.amount")
async def amount_typed(ctx: Ctx) -> list[Reply]:
    refused = _finance(ctx)
    if refused is not None:
        return refused
    read = read_adjustment(forms.text_of(ctx))
    if read is None or read[0] == 0:
        return [Reply(text=ctx.t("stmt.bad_amount"), buttons=[forms.cancel_row(ctx, "stmt")])]
    amount, words = read
    if not words:
        return [Reply(text=ctx.t("stmt.need_words"), buttons=[forms.cancel_row(ctx, "stmt")])]
    account = AccountKind(str(ctx.dialog.data.get("account")))
    statement = await answer_dispute(ctx.uow(), ctx.actor, AnswerDispute(
        statement_id=int(ctx.dialog.data.get("statement") or 0), answer=words[:MAX_ANSWER], account=account,
        amount=amount), ctx.deps.clock)
    ctx.idle()
    zh, en = describe_adjustment(account, amount)
    return [Reply(text=ctx.t("stmt.done_adjusted", adjustment=ctx.pick(zh, en), period=statement.period,
                             closing=fmt_cny(statement.closing_balance),
                             due=statement.due_on.isoformat() if statement.due_on else "-"),
                  buttons=[[Button(ctx.t("stmt.btn.list"), payload("stmt.disputes"))]])]


@router.state("stmt.explain")
async def explanation_typed(ctx: Ctx) -> list[Reply]:
    refused = _finance(ctx)
    if refused is not None:
        return refused
    words = forms.text_of(ctx)
    if not words:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, "stmt")])]
    statement = await answer_dispute(ctx.uow(), ctx.actor, AnswerDispute(
        statement_id=int(ctx.dialog.data.get("statement") or 0), answer=words[:MAX_ANSWER]), ctx.deps.clock)
    ctx.idle()
    return [Reply(text=ctx.t("stmt.done_explained", period=statement.period,
                             due=statement.due_on.isoformat() if statement.due_on else "-"),
                  buttons=[[Button(ctx.t("stmt.btn.list"), payload("stmt.disputes"))]])]
