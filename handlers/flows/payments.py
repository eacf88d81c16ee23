"""Finance books money in chat (ACCOUNT_POST only): a dealer's payment, reversals, refund/adjustment approvals.

- ``/pay`` or ``/payment`` (button ``pay.new``; typed 记一笔回款 / 记回款 / 登记回款): a guided form. Dealer (code or part of
  the name; the match is confirmed with its balances shown), account (预存款 / 保证金), amount ("5万" works),
  method (银行转账 / 承兑汇票 / 现金), reference (skippable), day paid (今天 by default; 昨天 / 12月1日 /
  2026-12-01), the receipt photo (optional; the file-store key the channel adapter stored it under), then a summary with 确认入账 / 取消.
  Booked only on 确认入账, through core.services.payments.record_payment with ``source="chat:<form nonce>"``:
  a double tap books once (the form remembers it and the ledger's unique source holds under a race).
- ``pay.ledger|<dealer id>|<offset>`` (typed "合肥新锐的流水", "D0007 余额"): the dealer's recent entries a page at a time, with 冲销 on the ones that
  may be reversed (``pay.rev|<entry id>``, then the reason; core.services.payments.reverse_entry), and for finance
  ``adj.new|<dealer id>``: a refund or adjustment (kind, account, amount, reason) through request_adjustment.
- ``/fin_requests`` (``fin.fr.list|<offset>``): refunds and adjustments waiting for a second person; ✅ / ❌
  only on the ones the reader may decide (never the requester's own; the use case checks again).
  (These two live in ``handlers.flows.adjustments``.)
- "哪些经销商超信用了", "哪些经销商欠款逾期了" / "账龄", "本月回款多少": the account readers' questions.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

from core.accounts import PAYMENT_METHOD_LABELS, AccountKind, PaymentMethod
from core.ledger import ACCOUNT_LABELS, ENTRY_LABELS, OVERDUE_BUCKETS, CreditDebt
from core.money import ZERO, fmt_cny
from core.services.accounts import (
    AccountOverview,
    credit_standings,
    dealer_credit_debt,
    get_balances,
    list_entries,
    overdue_credit,
    payments_received,
)
from core.services.dealers import get_dealer
from core.services.payments import (
    MAX_REASON,
    MAX_REFERENCE,
    NOT_REVERSIBLE,
    RecordPayment,
    credit_repayment_of,
    earlier_payment_with_reference,
    record_payment,
    reverse_entry,
    same_reference_said,
)
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.finance import offset_arg, page_of, page_where, pager_row, remember_pages
from handlers.flows.leaving import another_request, leave
from handlers.flows.menu import require_bound
from handlers.messages import Answer, Button, Reply
from handlers.router import Router, payload
from nlu.dates import find_past_period, parse_date
from nlu.numbers import read_amount
from nlu.payment_lead_words import ON_ACCOUNT, PAY_LED
from nlu.payment_words import (
    BOOK_WORDS,
    CREDIT_FULL,
    LEDGER_ASKED,
    OVERDUE,
    PAY_WORDS,
    QUICK,
    RECEIVED,
    YES_WORDS,
    LedgerQuestion,
    amount_alone,
    ledger_question,
    ledger_who,
    payment_said,
    received_when,
)

router = Router(name=__name__)

MAX_DEALER_CHOICES = 6
MAX_LIST = 20
ACCOUNTS = (AccountKind.PREPAYMENT, AccountKind.DEPOSIT)

i18n.register({
    "pay.staff_only": ("此功能仅限财务人员使用。", "This is for finance staff."),
    "pay.readers_only": ("此功能仅限可查看经销商账户的同事使用。", "This is for staff who read dealer accounts."),
    "pay.btn.new": ("💵 记一笔回款", "💵 Record a payment"),
    "pay.ask.dealer": ("记一笔回款：请输入经销商编码或名称（例如 D0001 或 合肥新锐）：",
                       "Record a payment: which dealer? Type its code or part of its name (e.g. D0001):"),
    "pay.dealer.none": ("没有找到经销商“{text}”，请重新输入编码或名称：",
                        "No dealer matches \"{text}\". Type its code or name again:"),
    "pay.dealer.many": ("找到多家经销商，请选择：", "Several dealers match; choose one:"),
    "pay.dealer.shown": ("{dealer}\n{balances}\n是这家吗？", "{dealer}\n{balances}\nIs this the dealer?"),
    "pay.balances": ("预存款 {prepayment}｜保证金 {deposit}｜返利 {rebate}｜已用信用 {credit_used} / 额度 {limit}",
                     "Prepayment {prepayment} | Deposit {deposit} | Rebate {rebate} | "
                     "Credit used {credit_used} of {limit}"),
    "pay.dealer.amount": ("回款金额：{amount}", "Amount paid: {amount}"),
    "pay.btn.yes": ("✅ 是这家", "✅ Yes"),
    "pay.btn.other": ("🔁 换一家", "🔁 Another dealer"),
    "pay.kept": ("（回款登记还没完成，接着下面这一步即可；不需要了请点“取消”。）",
                 "(The payment is not booked yet: go on with the step below, or tap Cancel.)"),
    "pay.ask.account": ("记入哪个账户？", "Into which account?"),
    "pay.a_payment": ("回款登记", "payment"),
    "pay.dropped": ("上一笔 {dealer} {amount} 没有入账，已放弃；现在登记这一笔：",
                    "The earlier payment ({dealer} {amount}) was not booked and is dropped; now this one:"),
    "pay.ask.amount": ("金额多少（元）？例如 50000 或 5万：", "How much (CNY)? e.g. 50000:"),
    "pay.bad.amount": ("请输入大于 0 的金额，例如 50000 或 5万。", "Please type an amount above zero, e.g. 50000."),
    "pay.ask.method": ("付款方式？", "How was it paid?"),
    "pay.ask.reference": ("银行流水号、汇票号或收据号？（没有请点“跳过”）",
                          "Bank reference, bill or receipt number? (tap Skip if none)"),
    "pay.bad.reference": ("参考号最长 {n} 个字符，请重新输入。", "The reference is {n} characters at most."),
    "pay.ask.date": ("哪天付的款？点“今天”，或输入 昨天 / 12月1日 / 2026-12-01：",
                     "Which day was it paid? Tap Today, or type yesterday / 2026-12-01:"),
    "pay.btn.today": ("今天", "Today"),
    "pay.btn.yesterday": ("昨天", "Yesterday"),
    "pay.bad.date": ("没看懂日期（也不能晚于今天），请按 2026-12-01 的格式输入。",
                     "Please type a day not after today, as 2026-12-01."),
    "pay.ask.receipt": ("请发送回单照片或扫描件（可选），没有请点“跳过”。",
                        "Send the receipt photo or scan (optional), or tap Skip."),
    "pay.receipt.kept": ("已收到回单。", "Receipt received."),
    "pay.confirm": ("请确认入账：\n经销商：{dealer}\n账户：{account}\n金额：{amount}\n方式：{method}\n"
                    "参考号：{reference}\n付款日期：{paid_on}\n回单：{receipt}",
                    "Please confirm the payment:\nDealer: {dealer}\nAccount: {account}\nAmount: {amount}\n"
                    "Method: {method}\nReference: {reference}\nPaid on: {paid_on}\nReceipt: {receipt}"),
    "pay.confirm.repay": ("💡 经销商已用信用 {used}：本笔先冲抵信用欠款 {repay}，余下 {rest} 记入预存款；"
                          "入账后可用信用额度为 {available}。",
                          "💡 The dealer has used {used} of credit: this payment first repays {repay} of it and "
                          "the remaining {rest} goes into prepayment; available credit afterwards: {available}."),
    "pay.receipt.yes": ("已附", "attached"),
    "pay.receipt.no": ("无", "none"),
    "pay.btn.ok": ("✅ 确认入账", "✅ Book it"),
    "pay.btn.ok_again": ("⚠️ 是另一笔款，仍然入账", "⚠️ Another payment: book it anyway"),
    "pay.confirm.same_ref": ("⚠️ 注意：{said}。同一笔款不能记两次；如确是另一笔款项，点“是另一笔款，仍然入账”。",
                             "⚠️ Note: {said}. One payment is booked once; if this is another payment, tap "
                             "\"Another payment: book it anyway\"."),
    "pay.booked": ("✅ 已入账：{dealer} {account} +{amount}（流水 #{id}）。\n{balances}",
                   "✅ Booked: {dealer} {account} +{amount} (entry #{id}).\n{balances}"),
    "pay.booked.repaid": ("其中 {repaid} 已冲抵信用欠款，经销商可用信用额度现为 {available}。",
                          "{repaid} of it repaid credit used; the dealer's available credit is now {available}."),
    "pay.btn.ledger": ("📒 流水", "📒 Ledger"),
    "adj.btn.new": ("🧾 退款/调账", "🧾 Refund / adjustment"),
    "pay.ledger.head": ("📒 {dealer} 的流水（{where}）：\n{balances}", "📒 Ledger of {dealer} ({where}):\n{balances}"),
    "pay.ledger.unknown": ("没有找到经销商“{text}”。", "No dealer matches \"{text}\"."),
    "pay.credit_full.head": ("信用额度用到 90% 以上的经销商（{n} 家，最满的在前）：",
                             "Dealers using 90% or more of their credit limit ({n}, fullest first):"),
    "pay.credit_full.line": ("{mark} {code} {name}：已用 {used} / 额度 {limit}（{pct}）",
                             "{mark} {code} {name}: used {used} of {limit} ({pct})"),
    "pay.received.head": ("{when}（{start} 至 {end}）回款 {total}，共 {n} 笔。", "{when} ({start} to {end}): {total} received, {n} payment(s)."),
    "pay.received.top": ("按经销商：", "By dealer:"),
    "pay.received.line": ("· {code} {name}：{amount}", "· {code} {name}: {amount}"),
    "pay.overdue.head": ("信用欠款逾期的经销商（账期 {days} 天，{n} 家，逾期最多的在前）：合计逾期 {total}\n{buckets}",
                         "Dealers with credit overdue (terms {days} days; {n}, most overdue first): {total} in all\n"
                         "{buckets}"),
    "pay.overdue.buckets": ("逾期 1-30 天 {b0} · 31-60 天 {b1} · 61-90 天 {b2} · 90 天以上 {b3}",
                            "overdue 1-30 days {b0} · 31-60 {b1} · 61-90 {b2} · over 90 {b3}"),
    "pay.overdue.line": ("⚠️ {code} {name}：逾期 {overdue} / 欠款 {owed}（最早 {day} {ref}，超期 {late} 天）",
                         "⚠️ {code} {name}: overdue {overdue} of {owed} owed (oldest {day} {ref}, {late} days late)"),
    "pay.overdue.none": ("没有经销商的信用欠款逾期（账期 {days} 天）。",
                         "No dealer owes credit past its terms ({days} days)."),
    "pay.debt": ("信用欠款 {owed}，其中逾期 {overdue}（账期 {days} 天，最早 {day} {ref}，超期 {late} 天）",
                 "Credit owed {owed}, {overdue} of it overdue (terms {days} days; oldest {day} {ref}, {late} days late)"),
    "pay.credit_full.none": ("没有经销商的信用额度用到 90% 以上。", "No dealer uses 90% or more of its credit limit."),
    "pay.ledger.none": ("{dealer} 还没有流水。", "{dealer} has no ledger entries yet."),
    "pay.ledger.line": ("#{id} {day} {kind} {account} {signed} {ref}", "#{id} {day} {kind} {account} {signed} {ref}"),
    "pay.btn.reverse": ("↩️ 冲销 #{id}", "↩️ Reverse #{id}"),
    "pay.rev.ask": ("冲销流水 #{id}：请说明原因（冲销会记一笔金额相反的流水，原流水不改）：",
                    "Reverse entry #{id}: why? (an entry of the opposite amount is booked; the original stays)"),
    "pay.rev.done": ("↩️ 已冲销流水 #{original}（冲销流水 #{id}，{signed}）。",
                     "↩️ Entry #{original} reversed (by entry #{id}, {signed})."),
    "fin.fr.none": ("没有待审批的退款/调账申请。", "No refund or adjustment awaits approval."),
    "fin.fr.head": ("🧾 待审批的退款/调账（{where}）：", "🧾 Refunds and adjustments awaiting approval ({where}):"),
    "fin.fr.own": ("（您提交的申请，须由另一位财务人员审批）", "(your own request: another person decides it)"),
    "fin.fr.ok": ("✅ 批准", "✅ Approve"),
    "fin.fr.no": ("❌ 驳回", "❌ Reject"),
    "fin.fr.reason": ("请输入驳回这笔申请的原因：", "Why is this request rejected?"),
    "fin.fr.decided": ("申请 {number}：{status}。", "Request {number}: {status}."),
})


def _refused(ctx: Ctx, permission: Permission = Permission.ACCOUNT_POST) -> list[Reply] | None:
    """None for bound staff holding ``permission`` (ACCOUNT_POST: finance; ACCOUNT_READ_ALL: reading a ledger)."""
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if not ctx.is_staff or permission not in ctx.actor.permissions:
        return [Reply(text=ctx.t("pay.staff_only" if permission == Permission.ACCOUNT_POST else "pay.readers_only"))]
    return None


def _int_arg(ctx: Ctx, index: int = 0) -> int:
    raw = forms.arg(ctx, index)
    return int(raw) if raw.isdigit() else 0


def _cancel(ctx: Ctx) -> list[Button]:
    return forms.cancel_row(ctx, "pay")


def balances_line(ctx: Ctx, overview: AccountOverview) -> str:
    b = overview.balances
    return ctx.t("pay.balances", prepayment=fmt_cny(b.prepayment), deposit=fmt_cny(b.deposit),
                 rebate=fmt_cny(b.rebate), credit_used=fmt_cny(-b.credit), limit=fmt_cny(overview.credit_limit))


def _account_name(ctx: Ctx, account: AccountKind) -> str:
    return ctx.pick(*ACCOUNT_LABELS[account])


# --- the payment form ------------------------------------------------------------------------------

@router.command("pay", "payment")
@router.button("pay.new")
@router.staff_phrase(anywhere=tuple(PAY_WORDS))
async def new_payment(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    ctx.go("pay.dealer", nonce=forms.new_nonce())
    return [Reply(text=ctx.t("pay.ask.dealer"), buttons=[_cancel(ctx)])]


@router.button("pay.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


async def _show_dealer(ctx: Ctx, dealer_id: int, label: str) -> list[Reply]:
    overview = await get_balances(ctx.uow(), ctx.actor, dealer_id, ctx.deps.clock)
    forms.step(ctx, "pay.dealer", dealer_id=dealer_id, dealer=label)
    said = ctx.dialog.data.get("amount")
    if said:                                   # "合肥新锐打了5万": say what will be booked
        label += "\n" + ctx.t("pay.dealer.amount", amount=fmt_cny(Decimal(said)))
    return [Reply(text=ctx.t("pay.dealer.shown", dealer=label, balances=balances_line(ctx, overview)),
                  buttons=[[Button(ctx.t("pay.btn.yes"), payload("pay.dealer", dealer_id)),
                            Button(ctx.t("pay.btn.other"), payload("pay.new"))], _cancel(ctx)])]


@router.staff_pattern(QUICK)
@router.staff_pattern(PAY_LED)      # "记一笔回款 D0007 3万" (was: "您是想报修/售后吗？")
async def quick_payment(ctx: Ctx) -> list[Reply]:
    """"合肥新锐打了5万": the form with the dealer looked up and the amount taken (asked again when unreadable)."""
    if (refused := _refused(ctx)) is not None:
        return refused
    said = payment_said(ctx.inbound.text)
    amount = read_amount(said.amount) if said else None
    method = said.method.value if said and said.method else None
    account = said.account.value if said and said.account else None
    reference = said.reference if said else None
    day = _day_paid(said.day, ctx.deps.clock.today()) if said and said.day else None
    ctx.go("pay.dealer", nonce=forms.new_nonce(), **({"amount": str(amount)} if amount else {}),
           **({"method": method} if method else {}), **({"said_account": account} if account else {}),
           **({"reference": reference} if reference else {}), **({"said_day": day.isoformat()} if day else {}))
    return await _find_dealer(ctx, said.who if said else "")


# the steps after the dealer: a whole payment line typed at one of them is another payment, not this step's answer
_LATER_STEPS = frozenset({"pay.account", "pay.amount", "pay.method", "pay.reference", "pay.date", "pay.receipt",
                          "pay.confirm"})


@router.text_hook_anywhere
async def another_payment(ctx: Ctx) -> list[Reply] | None:
    """"嘉禾转来两万货款" typed while an earlier payment waits at a later step (the clerk moved on without booking
    it): the earlier one is dropped, saying which, and the form starts for the new line (was: the line taken as
    the step's answer and the earlier payment kept going, its next answers landing one step off)."""
    if not ctx.is_staff or ctx.dialog.state not in _LATER_STEPS or payment_said(forms.text_of(ctx)) is None:
        return None
    d = ctx.dialog.data
    amount = fmt_cny(Decimal(str(d["amount"]))) if d.get("amount") else ""
    dropped = Reply(text=ctx.t("pay.dropped", dealer=str(d.get("dealer") or ""), amount=amount))
    ctx.idle()
    return [dropped, *await quick_payment(ctx)]


@router.state("pay.dealer")
async def dealer_typed(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    text = forms.text_of(ctx)
    if ctx.dialog.data.get("dealer_id") and text.lower() in YES_WORDS:   # the shown dealer, confirmed in words
        ctx.args = [str(ctx.dialog.data["dealer_id"])]
        return await dealer_confirmed(ctx)
    if payment_said(text) is not None:     # "合肥新锐打了5万" again: a fresh form with that amount
        return await quick_payment(ctx)
    shown = ctx.dialog.data.get("dealer_id")
    if shown and amount_alone(text) and (amount := read_amount(text)) is not None and amount > 0:
        # "30万" under the dealer shown (was: "没有找到经销商“30万”"): the amount of this payment, the dealer kept
        ctx.dialog.data["amount"] = str(amount)
        return await _show_dealer(ctx, int(shown), str(ctx.dialog.data.get("dealer") or ""))
    if (aside := await _asked_aside(ctx, text)) is not None:
        return aside
    await _left_for(ctx)         # "D0003有争议 说11月少算了一笔返利": no dealer's name, that dispute
    return await _find_dealer(ctx, text)


async def _left_for(ctx: Ctx) -> None:
    """Another request typed where the payment asks for its dealer, account, amount, method or day, or at its summary
    ("D0001对账单", "D0003有争议 说11月少算了一笔返利"): the payment is left and the request done (was: the same
    question again, or the words searched as a dealer)."""
    if await another_request(ctx):
        raise leave(ctx, ctx.t("pay.a_payment"))


async def _asked_aside(ctx: Ctx, text: str, again: list[Reply] | None = None) -> list[Reply] | None:
    """A ledger question typed at the dealer step ("合肥新锐欠多少钱", "本月回款多少", "哪些经销商超信用了"):
    answered, then the step asked again with what the form holds (it was searched as the payment's dealer);
    at a later step (``again``: its question) that step's question after the answer."""
    asked = ledger_question(text)
    if asked is None:
        return None
    answer = {LedgerQuestion.LEDGER: ledger_asked, LedgerQuestion.RECEIVED: received,
              LedgerQuestion.CREDIT_FULL: credit_full, LedgerQuestion.OVERDUE: credit_overdue}[asked]
    state, data, args = ctx.dialog.state, copy.deepcopy(ctx.dialog.data), list(ctx.args)
    try:
        replies = await answer(ctx)
    finally:     # whatever the answer did to the dialog, the payment stays where it was
        ctx.dialog.state, ctx.dialog.data, ctx.args = state, data, args
    kept = Reply(text=ctx.t("pay.kept"))
    if again is not None:
        return [*replies, kept, *again]
    dealer_id = data.get("dealer_id")
    if dealer_id:
        return [*replies, kept, *await _show_dealer(ctx, int(dealer_id), str(data.get("dealer") or ""))]
    named = ledger_who(text) if asked is LedgerQuestion.LEDGER else None
    if named is not None:        # "D0007 的余额" with no dealer chosen yet: that dealer is offered for the payment
        return [*replies, kept, *await _find_dealer(ctx, named)]
    return [*replies, kept, Reply(text=ctx.t("pay.ask.dealer"), buttons=[_cancel(ctx)])]


async def _find_dealer(ctx: Ctx, text: str) -> list[Reply]:
    found = await forms.dealers_by_words(ctx, text, MAX_DEALER_CHOICES + 1)
    if not found:
        return [Reply(text=ctx.t("pay.dealer.none", text=forms.clip(text, 20)), buttons=[_cancel(ctx)])]
    if len(found) == 1:
        return await _show_dealer(ctx, found[0].id or 0, f"{found[0].code} {found[0].name}")
    rows = [[Button(forms.clip(f"{d.code} {d.name}", 30), payload("pay.pick", d.id or 0))]
            for d in found[:MAX_DEALER_CHOICES]]
    return [Reply(text=ctx.t("pay.dealer.many"), buttons=rows + [_cancel(ctx)])]


@router.button("pay.pick")
async def dealer_picked(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    if not ctx.dialog.state.startswith("pay."):
        return await new_payment(ctx)
    dealer = await get_dealer(ctx.uow(), ctx.actor, _int_arg(ctx))
    return await _show_dealer(ctx, dealer.id or 0, f"{dealer.code} {dealer.name}")


@router.button("pay.dealer")
async def dealer_confirmed(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    if ctx.dialog.state != "pay.dealer" or ctx.dialog.data.get("dealer_id") != _int_arg(ctx):
        return await new_payment(ctx)
    forms.step(ctx, "pay.account")
    if said := ctx.dialog.data.get("said_account"):          # "…，记预存款": the account said with the payment
        ctx.args = [str(said)]
        return await account_chosen(ctx)
    return [Reply(text=ctx.t("pay.ask.account"),
                  buttons=[[Button(_account_name(ctx, a), payload("pay.acct", a.value)) for a in ACCOUNTS],
                           _cancel(ctx)])]


@router.button("pay.acct")
async def account_chosen(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    account = forms.arg(ctx, 0)
    if ctx.dialog.state != "pay.account" or account not in {a.value for a in ACCOUNTS}:
        return await new_payment(ctx)
    ctx.dialog.data["account"] = account
    return await _ask_next(ctx)


async def _ask_next(ctx: Ctx) -> list[Reply]:
    """The first thing the form does not hold yet, asked: what the opening line said ("记一笔回款 德润 3万 流水号
    HX20261208001": the amount and the reference; "工行转账", "昨天") is never asked again (QA s28 #23; was: the
    reference asked again unless the method was said too, the day always)."""
    d = ctx.dialog.data
    if not d.get("amount"):
        forms.step(ctx, "pay.amount")
        return [Reply(text=ctx.t("pay.ask.amount"), buttons=[_cancel(ctx)])]
    if not d.get("method"):
        forms.step(ctx, "pay.method")
        return [Reply(text=ctx.t("pay.ask.method"), buttons=_method_buttons(ctx))]
    if "reference" not in d:
        forms.step(ctx, "pay.reference")
        return [Reply(text=ctx.t("pay.ask.reference"),
                      buttons=[[Button(ctx.t("form.skip"), payload("pay.skip"))] + _cancel(ctx)])]
    forms.step(ctx, "pay.date")
    if said_day := d.pop("said_day", None):
        return await _paid_on(ctx, date.fromisoformat(str(said_day)))
    return _ask_date(ctx)


@router.state("pay.account")
async def account_typed(ctx: Ctx) -> list[Reply]:
    text = forms.text_of(ctx)
    for account in ACCOUNTS:
        if text and text in ACCOUNT_LABELS[account][0] + ACCOUNT_LABELS[account][1].lower():
            ctx.args = [account.value]
            return await account_chosen(ctx)
    ask = [Reply(text=ctx.t("pay.ask.account"),
                 buttons=[[Button(_account_name(ctx, a), payload("pay.acct", a.value)) for a in ACCOUNTS], _cancel(ctx)])]
    if (aside := await _asked_aside(ctx, text, again=ask)) is not None:     # "杭州嘉禾的余额": answered, asked again
        return aside
    await _left_for(ctx)
    return ask


def _method_name(ctx: Ctx, method: PaymentMethod) -> str:
    zh, en = PAYMENT_METHOD_LABELS[method]
    return ctx.pick(zh, en.capitalize())


def _method_buttons(ctx: Ctx) -> list[list[Button]]:
    return [[Button(_method_name(ctx, m), payload("pay.method", m.value)) for m in PaymentMethod], _cancel(ctx)]


@router.state("pay.amount")
async def amount_typed(ctx: Ctx) -> list[Reply]:
    amount = read_amount(forms.text_of(ctx))
    if amount is None or amount <= 0:
        bad = [Reply(text=ctx.t("pay.bad.amount"), buttons=[_cancel(ctx)])]
        aside = await _asked_aside(ctx, forms.text_of(ctx), again=[Reply(text=ctx.t("pay.ask.amount"),
                                                                          buttons=[_cancel(ctx)])])
        if aside is None:
            await _left_for(ctx)
        return aside or bad
    ctx.dialog.data["amount"] = str(amount)
    return await _ask_next(ctx)


@router.state("pay.method")
async def method_typed(ctx: Ctx) -> list[Reply]:
    text = forms.text_of(ctx).lower()
    for method, (zh, en) in PAYMENT_METHOD_LABELS.items():
        if text and (text in zh or text in en or zh in text):
            ctx.args = [method.value]
            return await method_chosen(ctx)
    ask = [Reply(text=ctx.t("pay.ask.method"), buttons=_method_buttons(ctx))]
    if (aside := await _asked_aside(ctx, forms.text_of(ctx), again=ask)) is not None:
        return aside
    await _left_for(ctx)
    return ask


@router.button("pay.method")
async def method_chosen(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    method = forms.arg(ctx, 0)
    if ctx.dialog.state != "pay.method" or method not in {m.value for m in PaymentMethod}:
        return await new_payment(ctx)
    ctx.dialog.data["method"] = method
    return await _ask_next(ctx)


def _ask_date(ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("pay.ask.date"),
                  buttons=[[Button(ctx.t("pay.btn.today"), payload("pay.day", 0)),
                            Button(ctx.t("pay.btn.yesterday"), payload("pay.day", 1))], _cancel(ctx)])]


@router.state("pay.reference")
async def reference_typed(ctx: Ctx) -> list[Reply]:
    text = forms.text_of(ctx)
    if not text or forms.is_skip(text):
        text = ""
    if len(text) > MAX_REFERENCE:
        return [Reply(text=ctx.t("pay.bad.reference", n=MAX_REFERENCE), buttons=[_cancel(ctx)])]
    ctx.dialog.data["reference"] = text
    return await _ask_next(ctx)


async def _paid_on(ctx: Ctx, paid_on: date) -> list[Reply]:
    if paid_on > ctx.deps.clock.today():
        return [Reply(text=ctx.t("pay.bad.date"))] + _ask_date(ctx)
    forms.step(ctx, "pay.receipt", paid_on=paid_on.isoformat())
    return [Reply(text=ctx.t("pay.ask.receipt"),
                  buttons=[[Button(ctx.t("form.skip"), payload("pay.skip"))] + _cancel(ctx)])]


@router.button("pay.day")
async def day_chosen(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    if ctx.dialog.state != "pay.date":
        return await new_payment(ctx)
    return await _paid_on(ctx, ctx.deps.clock.today() - timedelta(days=min(_int_arg(ctx), 1)))


def _day_paid(text: str, today: date) -> date | None:
    """A day in the past as finance writes it: 昨天, 前天, 12月1日 (this year's, not next), 3天前, 2026-12-01."""
    period = find_past_period(text, today)
    if period is not None and period.first == period.last:
        return period.first
    return parse_date(text, today) if period is None else None


@router.state("pay.date")
async def date_typed(ctx: Ctx) -> list[Reply]:
    paid_on = _day_paid(forms.text_of(ctx), ctx.deps.clock.today())
    if paid_on is None:
        await _left_for(ctx)
        return [Reply(text=ctx.t("pay.bad.date"))] + _ask_date(ctx)
    return await _paid_on(ctx, paid_on)


@router.button("pay.skip")
async def skip(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    if ctx.dialog.state == "pay.reference":
        ctx.dialog.data["reference"] = ""
        return await _ask_next(ctx)
    if ctx.dialog.state == "pay.receipt":
        return await _summary(ctx)
    return await new_payment(ctx)


@router.state("pay.receipt")
async def receipt_sent(ctx: Ctx) -> list[Reply]:
    if forms.is_photo(ctx):
        # the channel adapter already put the photo/document in the file store: its ref is the key
        ctx.dialog.data["receipt"] = ctx.inbound.file_refs[0]
        return [Reply(text=ctx.t("pay.receipt.kept"))] + await _summary(ctx)
    if forms.is_skip(forms.text_of(ctx)) or forms.is_done(forms.text_of(ctx)):
        return await _summary(ctx)
    return [Reply(text=ctx.t("pay.ask.receipt"),
                  buttons=[[Button(ctx.t("form.skip"), payload("pay.skip"))] + _cancel(ctx)])]


async def _summary(ctx: Ctx) -> list[Reply]:
    d = ctx.dialog.data
    forms.step(ctx, "pay.confirm")
    account, amount = AccountKind(d["account"]), Decimal(d["amount"])
    text = ctx.t("pay.confirm", dealer=d["dealer"], account=_account_name(ctx, account),
                 amount=fmt_cny(amount), method=_method_name(ctx, PaymentMethod(d["method"])),
                 reference=d.get("reference") or "-", paid_on=d["paid_on"],
                 receipt=ctx.t("pay.receipt.yes" if d.get("receipt") else "pay.receipt.no"))
    # where the money goes: a prepayment payment repays the credit the dealer owes first (core says how much)
    overview = await get_balances(ctx.uow(), ctx.actor, int(d["dealer_id"]), ctx.deps.clock)
    repay = credit_repayment_of(amount, account, overview.balances.credit)
    if repay > ZERO:
        text += "\n" + ctx.t("pay.confirm.repay", used=fmt_cny(-overview.balances.credit), repay=fmt_cny(repay),
                             rest=fmt_cny(amount - repay),
                             available=fmt_cny(max(overview.credit_limit + overview.balances.credit + repay, ZERO)))
    # the same bank slip / bill / receipt booked before: said, and booking again is a separate, explicit choice
    earlier = await earlier_payment_with_reference(ctx.uow(), ctx.actor, int(d["dealer_id"]), str(d.get("reference") or ""))
    d["same_ref"] = earlier.id if earlier is not None else None
    if earlier is not None:
        zh, en = same_reference_said(earlier)
        text += "\n" + ctx.t("pay.confirm.same_ref", said=en if ctx.en else zh)
        return [Reply(text=text, buttons=[[Button(ctx.t("pay.btn.ok_again"), payload("pay.ok", d["nonce"]))],
                                          _cancel(ctx)])]
    # "确认", "好的", "可以" typed: booked (a reference booked before takes the explicit button above)
    return [Reply(text=text, buttons=[[Button(ctx.t("pay.btn.ok"), payload("pay.ok", d["nonce"]), Answer.YES)],
                                      forms.cancel_row(ctx, "pay", Answer.NO)])]


@router.state("pay.confirm")
async def confirm_typed(ctx: Ctx) -> list[Reply]:
    # typed words never book a payment whose reference is booked already: that takes the explicit button
    if forms.text_of(ctx).lower() in BOOK_WORDS and not ctx.dialog.data.get("same_ref"):
        ctx.args = [str(ctx.dialog.data.get("nonce") or "")]
        return await book(ctx)
    await _left_for(ctx)
    return await _summary(ctx)


@router.button("pay.ok")
async def book(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    nonce = forms.arg(ctx, 0)
    done = forms.submitted_ref(ctx, nonce)
    if done is None and not forms.form_is(ctx, "pay.confirm", nonce):
        return [Reply(text=ctx.t("error.button_stale"))]
    d = ctx.dialog.data if done is None else {}
    if done is not None:             # a second tap: the entry already booked, nothing new
        dealer_id, entry_id = (int(x) for x in done.split(":"))
        entries = [e for e in await list_entries(ctx.uow(), ctx.actor, dealer_id, limit=50) if e.id == entry_id]
        if not entries:
            return [Reply(text=ctx.t("error.button_stale"))]
        entry, label = entries[0], str(ctx.dialog.data["submitted"].get("dealer") or dealer_id)
        repaid = ZERO
    else:
        # what of it repays credit used (core's rule), said with the booking
        before = await get_balances(ctx.uow(), ctx.actor, int(d["dealer_id"]), ctx.deps.clock)
        repaid = credit_repayment_of(Decimal(d["amount"]), AccountKind(d["account"]), before.balances.credit)
        entry = await record_payment(ctx.uow(), ctx.actor, RecordPayment(
            int(d["dealer_id"]), AccountKind(d["account"]), Decimal(d["amount"]), PaymentMethod(d["method"]),
            str(d.get("reference") or ""), date.fromisoformat(d["paid_on"]), attachment=str(d.get("receipt") or ""),
            source=f"chat:{nonce}", same_reference_ok=bool(d.get("same_ref"))), ctx.deps.clock)
        label = str(d["dealer"])
        forms.remember_submitted(ctx, nonce, f"{entry.dealer_id}:{entry.id}")
        ctx.dialog.data["submitted"]["dealer"] = label
    overview = await get_balances(ctx.uow(), ctx.actor, entry.dealer_id, ctx.deps.clock)
    text = ctx.t("pay.booked", dealer=label, account=_account_name(ctx, entry.account),
                 amount=fmt_cny(entry.amount), id=entry.id, balances=balances_line(ctx, overview))
    if repaid > ZERO:
        text += "\n" + ctx.t("pay.booked.repaid", repaid=fmt_cny(repaid), available=fmt_cny(overview.credit_available))
    return [Reply(text=text,
                  buttons=[[Button(ctx.t("pay.btn.ledger"), payload("pay.ledger", entry.dealer_id, 0)),
                            Button(ctx.t("pay.btn.new"), payload("pay.new"))], [forms.menu_button(ctx)]])]


# --- the dealer's ledger and reversals ---------------------------------------------------------------

LEDGER_DEPTH = 100       # the newest entries a chat page walks through


@router.staff_pattern(LEDGER_ASKED)
@router.staff_pattern(ON_ACCOUNT)   # "合肥新锐账上还有多少钱" (was: the month's order report)
async def ledger_asked(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx, Permission.ACCOUNT_READ_ALL)) is not None:
        return refused
    who = ledger_who(ctx.inbound.text) or ""
    found = await forms.dealers_by_words(ctx, who, MAX_DEALER_CHOICES + 1)
    if len(found) == 1:
        ctx.args = [str(found[0].id), "0"]
        return await ledger(ctx)
    if not found:
        return [Reply(text=ctx.t("pay.ledger.unknown", text=forms.clip(who, 20)))]
    rows = [[Button(forms.clip(f"{d.code} {d.name}", 30), payload("pay.ledger", d.id or 0, 0))]
            for d in found[:MAX_DEALER_CHOICES]]
    return [Reply(text=ctx.t("pay.dealer.many"), buttons=rows)]


_WHEN_LABELS = {"today": ("今天", "Today"), "yesterday": ("昨天", "Yesterday"), "week": ("本周", "This week"),
                "month": ("本月", "This month"), "last_month": ("上个月", "Last month")}


@router.staff_pattern(RECEIVED)
async def received(ctx: Ctx) -> list[Reply]:
    """"本月回款多少", "今天到账多少", "上个月回款多少": money received in that period, by dealer."""
    if (refused := _refused(ctx, Permission.ACCOUNT_READ_ALL)) is not None:
        return refused
    when = received_when(ctx.inbound.text)
    today = ctx.deps.clock.today()
    start, end = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "week": (today - timedelta(days=today.weekday()), today),
        "month": (today.replace(day=1), today),
        "last_month": ((today.replace(day=1) - timedelta(days=1)).replace(day=1), today.replace(day=1) - timedelta(days=1)),
    }[when]
    got = await payments_received(ctx.uow(), ctx.actor, ctx.deps.clock, start, end)
    lines = [ctx.t("pay.received.head", when=ctx.pick(*_WHEN_LABELS[when]), start=start.isoformat(),
                   end=end.isoformat(), total=fmt_cny(got.total), n=got.count)]
    if got.by_dealer:
        lines.append(ctx.t("pay.received.top"))
        lines.extend(ctx.t("pay.received.line", code=c, name=n, amount=fmt_cny(a)) for c, n, a in got.by_dealer[:10])
    return [Reply(text="\n".join(lines))]




@router.staff_pattern(CREDIT_FULL)
async def credit_full(ctx: Ctx) -> list[Reply]:
    """"哪些经销商超信用了": dealers at 90% or more of their credit limit, the fullest first, each to its ledger."""
    if (refused := _refused(ctx, Permission.ACCOUNT_READ_ALL)) is not None:
        return refused
    rows = await credit_standings(ctx.uow(), ctx.actor, ctx.deps.clock)
    if not rows:
        return [Reply(text=ctx.t("pay.credit_full.none"))]
    lines = [ctx.t("pay.credit_full.head", n=len(rows))]
    for c in rows[:MAX_LIST]:
        pct = f"{(c.used / c.limit * 100):.0f}%" if c.limit else "—"
        lines.append(ctx.t("pay.credit_full.line", mark="⚠️" if c.over else "·", code=c.code, name=c.name,
                           used=fmt_cny(c.used), limit=fmt_cny(c.limit), pct=pct))
    buttons = [[Button(forms.clip(f"📒 {c.code} {c.name}", 30), payload("pay.ledger", c.dealer_id, 0))]
               for c in rows[:MAX_DEALER_CHOICES]]
    return [Reply(text="\n".join(lines), buttons=buttons)]




@router.staff_pattern(OVERDUE)
async def credit_overdue(ctx: Ctx) -> list[Reply]:
    """"哪些经销商欠款逾期了", "账龄": dealers owing credit past the terms (setting CREDIT_DAYS), the most overdue
    first, with the overdue amount by age, each to its ledger."""
    if (refused := _refused(ctx, Permission.ACCOUNT_READ_ALL)) is not None:
        return refused
    days = ctx.deps.credit_days
    rows = await overdue_credit(ctx.uow(), ctx.actor, ctx.deps.clock, days)
    if not rows:
        return [Reply(text=ctx.t("pay.overdue.none", days=days))]
    sums = [sum((r.debt.buckets[i] for r in rows), ZERO) for i in range(len(OVERDUE_BUCKETS))]
    lines = [ctx.t("pay.overdue.head", days=days, n=len(rows), total=fmt_cny(sum((r.debt.overdue for r in rows), ZERO)),
                   buckets=ctx.t("pay.overdue.buckets", **{f"b{i}": fmt_cny(v) for i, v in enumerate(sums)}))]
    for r in rows[:MAX_LIST]:
        lines.append(ctx.t("pay.overdue.line", code=r.code, name=r.name, overdue=fmt_cny(r.debt.overdue),
                           owed=fmt_cny(r.debt.outstanding), day=_day(r.debt.oldest_day), ref=r.debt.oldest_ref,
                           late=r.debt.oldest_late_days))
    buttons = [[Button(forms.clip(f"📒 {r.code} {r.name}", 30), payload("pay.ledger", r.dealer_id, 0))]
               for r in rows[:MAX_DEALER_CHOICES]]
    return [Reply(text="\n".join(lines), buttons=buttons)]


def _day(day: date | None) -> str:
    return day.strftime("%m-%d") if day else "-"


def debt_line(ctx: Ctx, debt: CreditDebt) -> str:
    """"信用欠款 ¥X，其中逾期 ¥Y（…）" when some credit owed is past the terms, else ""."""
    if debt.overdue <= ZERO:
        return ""
    return ctx.t("pay.debt", owed=fmt_cny(debt.outstanding), overdue=fmt_cny(debt.overdue), days=ctx.deps.credit_days,
                 day=_day(debt.oldest_day), ref=debt.oldest_ref, late=debt.oldest_late_days)


@router.button("pay.ledger")
async def ledger(ctx: Ctx) -> list[Reply]:
    """Staff who read accounts see it; 冲销 only for finance."""
    if (refused := _refused(ctx, Permission.ACCOUNT_READ_ALL)) is not None:
        return refused
    dealer_id = _int_arg(ctx)
    dealer = await get_dealer(ctx.uow(), ctx.actor, dealer_id)
    entries = await list_entries(ctx.uow(), ctx.actor, dealer_id, limit=LEDGER_DEPTH)
    overview = await get_balances(ctx.uow(), ctx.actor, dealer_id, ctx.deps.clock)
    label = f"{dealer.code} {dealer.name}"
    if not entries:
        return [Reply(text=ctx.t("pay.ledger.none", dealer=label), buttons=[[forms.menu_button(ctx)]])]
    offset = offset_arg(ctx, 1)
    shown = page_of(entries, offset)
    offset = entries.index(shown[0])
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    lines, rows = [], []
    for e in shown:
        day = (e.paid_on or (e.created_at.astimezone(ctx.deps.clock.tz).date() if e.created_at else None))
        lines.append(ctx.t("pay.ledger.line", id=e.id, day=day.isoformat() if day else "-",
                           kind=ctx.pick(*ENTRY_LABELS.get(e.kind, (str(e.kind), str(e.kind)))),
                           account=_account_name(ctx, e.account),
                           signed=("+" if e.amount > 0 else "-") + fmt_cny(abs(e.amount)), ref=e.ref or ""))
        if e.kind not in NOT_REVERSIBLE and e.id not in reversed_ids and Permission.ACCOUNT_POST in ctx.actor.permissions:
            rows.append(Button(ctx.t("pay.btn.reverse", id=e.id), payload("pay.rev", e.id or 0)))
    if Permission.ACCOUNT_POST in ctx.actor.permissions:
        rows.append(Button(ctx.t("adj.btn.new"), payload("adj.new", dealer_id)))
    head = ctx.t("pay.ledger.head", dealer=label, where=page_where(ctx, offset, len(shown), len(entries)),
                 balances=balances_line(ctx, overview))
    if overview.balances.credit < ZERO and (owed := debt_line(ctx, await dealer_credit_debt(
            ctx.uow(), ctx.actor, dealer_id, ctx.deps.clock, ctx.deps.credit_days))):
        head += "\n⚠️ " + owed
    buttons = [rows[i:i + 2] for i in range(0, len(rows), 2)]
    pager = pager_row(ctx, "pay.ledger", offset, len(entries))
    pager = [Button(b.label, payload("pay.ledger", dealer_id, b.payload.rsplit("|", 1)[1])) for b in pager]
    remember_pages(ctx, prev=pager[0].payload if offset > 0 else "",
                   next=pager[-1].payload if offset + len(shown) < len(entries) else "")
    return [Reply(text=head + "\n" + "\n".join(lines), buttons=buttons + [pager or [forms.menu_button(ctx)]])]


@router.button("pay.rev")
async def reverse_asked(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    entry_id = _int_arg(ctx)
    ctx.go("pay.rev.reason", entry_id=entry_id)
    return [Reply(text=ctx.t("pay.rev.ask", id=entry_id), buttons=[_cancel(ctx)])]


@router.state("pay.rev.reason")
async def reverse_reason(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    reason = forms.text_of(ctx)[:MAX_REASON]
    if not reason:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[_cancel(ctx)])]
    entry_id = int(ctx.dialog.data.get("entry_id") or 0)
    ctx.idle()
    entry = await reverse_entry(ctx.uow(), ctx.actor, entry_id, reason, ctx.deps.clock)
    return [Reply(text=ctx.t("pay.rev.done", original=entry_id, id=entry.id,
                             signed=("+" if entry.amount > 0 else "-") + fmt_cny(abs(entry.amount))),
                  buttons=[[Button(ctx.t("pay.btn.ledger"), payload("pay.ledger", entry.dealer_id, 0)),
                            forms.menu_button(ctx)]])]
