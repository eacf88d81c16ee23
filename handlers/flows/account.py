"""Contract, money and performance (合同与账户) for dealer users.

- the current contract: period, targets, rebate tiers, marketing duties; per target the progress bar
  (``▓▓▓▓▓░░░░░ 52%``), the pace against the time elapsed, the rebate earned so far and what the
  current pace would earn by the end (core.services.contracts.contract_execution);
- balances of the money accounts (core.services.accounts.get_balances); one account by name ("返利还有多少":
  slot ``account`` rebate / prepayment / deposit / credit) with a button to all of them;
- the dealer's own profile ("我是什么等级的经销商", "我归哪个区", "我的上级是谁": topic ``profile``): code,
  name, tier, region, parent dealer, credit limit, status (core.services.dealers.dealer_profile);
- the latest monthly statement with Confirm / Dispute (the dispute asks for the reason); only the
  dealer owner holds STATEMENT_CONFIRM, so a clerk is told politely to ask the owner;
- qualification documents expiring within 30 days (or already expired), with their dates.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.accounts import (
    PAYMENT_METHOD_LABELS,
    AccountKind,
    LedgerEntry,
    PaymentMethod,
    Statement,
    StatementStatus,
)
from core.contract_rules import ContractExecution, TargetExecution, accrued_rebate, behind_pace, rebate_rate
from core.contracts import (
    CONTRACT_STATUS_LABELS,
    Contract,
    ContractStatus,
    RebateTier,
    SalesTarget,
    TargetMetric,
    scope_name,
)
from core.dealer_states import STATUS_LABELS as DEALER_STATUS_LABELS
from core.dealer_states import tier_label
from core.dealers import DealerStatus
from core.errors import PermissionDenied
from core.ledger import ACCOUNT_LABELS
from core.money import fmt_cny, money
from core.services.accounts import (
    STATEMENT_STATUS_LABELS,
    AccountOverview,
    ConfirmStatement,
    DisputeStatement,
    confirm_statement,
    dealer_credit_debt,
    dispute_statement,
    get_balances,
    get_statement,
)
from core.services.contracts import contract_execution, list_contracts
from core.services.dealers import dealer_profile
from core.services.payments import RECENT_PAYMENT_DAYS, recent_payments
from core.services.qualifications import ExpiringQualification, expiring
from core.statements import describe_line, match_lines, rebate_entries, section_lines
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import collections, contracts, credit_ask, faq, forms, statements
from handlers.flows.forms import progress_bar
from handlers.flows.payments import debt_line
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.schema import Intent
from nlu.staff_commands import dealer_code_in
from nlu.statement_words import StatementAnswer, statement_answer, statement_month_asked

router = Router(name=__name__)

EXPIRY_WINDOW_DAYS = 30
ACCOUNTS = frozenset(a.value for a in AccountKind)     # the parser's ``account`` slot names one of these
STATEMENT_LINES = 8
MAX_REASON = 500
# words that mean the monthly statement ("对账单", "账不对", "帐对不上", "上月对账单")
STATEMENT_WORDS = ("对账", "statement", "账不对", "帐不对", "对不上", "账单", "帐单", "月的账", "月的帐")

# Which contract counts as "current" when a dealer has several.
_CURRENT_ORDER = (ContractStatus.ACTIVE, ContractStatus.SIGNED, ContractStatus.SENT, ContractStatus.EXPIRED)

i18n.register({
    "acct.title": ("📄 合同与账户", "📄 Contract & account"),
    "acct.btn.contract": ("📄 合同与目标", "📄 Contract & targets"),
    "acct.btn.balance": ("💰 账户余额", "💰 Balances"),
    "acct.btn.statement": ("🧾 对账单", "🧾 Statement"),
    "acct.btn.docs": ("📑 资质到期", "📑 Expiring documents"),
    "acct.btn.sign": ("✍️ 合同签署", "✍️ Sign & signed copies"),
    "acct.btn.rebates": ("💴 返利对账", "💴 Rebates"),
    "acct.btn.confirm": ("✅ 确认无误", "✅ Confirm"),
    "acct.btn.dispute": ("❗ 提出异议", "❗ Dispute"),
    "acct.no_contract": ("暂无合同。如有疑问请联系您的渠道经理。", "There is no contract yet. Ask your channel manager."),
    "acct.contract.head": ("📄 合同 {number}（v{version}，{status}）\n期限：{start} 至 {end}",
                           "📄 Contract {number} (v{version}, {status})\nTerm: {start} to {end}"),
    "acct.tiers": ("返利政策：{tiers}", "Rebate tiers: {tiers}"),
    "acct.tier": ("完成 {at} 返 {rate}", "{rate} from {at}"),
    "acct.no_tiers": ("返利政策：无", "Rebate tiers: none"),
    "acct.duties": ("市场义务：{duties}", "Marketing duties: {duties}"),
    "acct.progress.head": ("目标完成情况（截至 {day}）：", "Progress against targets (as of {day}):"),
    "acct.target": ("• {period} {group} {metric}目标 {value}", "• {period} {group} {metric} target {value}"),
    "acct.bar": ("  {bar} {pct}%　已完成 {actual}", "  {bar} {pct}%  done {actual}"),
    "acct.gap": ("，还差 {gap}", ", {gap} to go"),
    "acct.pace": ("  时间进度 {elapsed}% · {verdict}", "  time elapsed {elapsed}% · {verdict}"),
    "acct.pace.not_started": ("尚未开始", "not started yet"),
    "acct.pace.behind": ("⚠️ 落后于时间进度", "⚠️ behind schedule"),
    "acct.pace.ahead": ("领先时间进度", "ahead of schedule"),
    "acct.pace.on_track": ("与时间进度基本持平", "on track"),
    "acct.rebate": ("  当前返利 {rate} ≈ {amount}；按当前进度预计 {projected}",
                    "  rebate now {rate} ≈ {amount}; at this pace {projected}"),
    "acct.sellout": ("  终端销量（上报）{amount} / {qty}", "  sell-out reported {amount} / {qty}"),
    "acct.no_targets": ("合同未设销售目标。", "The contract sets no sales targets."),
    "acct.metric.amount": ("金额", "amount"),
    "acct.metric.quantity": ("数量", "quantity"),
    "acct.group.all": ("全部产品", "all products"),
    "acct.period.year": ("{year} 全年", "{year} full year"),
    "acct.period.quarter": ("{year} 第{q}季度", "{year} Q{q}"),
    "acct.units": ("{n} 台", "{n} units"),
    "acct.balance": ("💰 账户余额\n预存款：{prepayment}\n返利：{rebate}\n保证金：{deposit}\n"
                     "信用额度：{limit}（已用 {used}，可用 {available}）",
                     "💰 Balances\nPrepayment: {prepayment}\nRebate: {rebate}\nDeposit: {deposit}\n"
                     "Credit: {limit} (used {used}, available {available})"),
    "acct.staff.balance": ("{dealer}\n", "{dealer}\n"),
    "acct.staff.not_yours": ("您无权查看 {code} 的账户。", "You may not see {code}'s accounts."),
    "acct.staff.no_dealer": ("没有找到经销商 {code}。", "No dealer {code}."),
    "acct.no_statement": ("暂无对账单。财务每月初出具上月对账单。",
                          "No statement yet. Finance issues last month's statement early each month."),
    "acct.no_statement.dispute": ("还没有 {period} 的对账单（财务每月初出具上月对账单，出具后可在这里核对、提出异议）。"
                                  "您说的账目问题可以现在转给工作人员核对，答复会发到这里：",
                                  "There is no statement for {period} yet (finance issues last month's early each month; "
                                  "you can check and dispute it here then). Your question can go to our staff now to "
                                  "be checked; the answer will come here:"),
    "acct.no_statement.that_month": ("该月", "that month"),
    "acct.statement": ("🧾 对账单 {period}（{status}）\n期初余额：{opening}\n本期订单：{orders}\n本期收款：{payments}\n"
                       "本期返利：{rebates}\n期末余额：{closing}",
                       "🧾 Statement {period} ({status})\nOpening balance: {opening}\nOrders: {orders}\n"
                       "Payments: {payments}\nRebates: {rebates}\nClosing balance: {closing}"),
    "acct.statement.lines": ("明细：", "Movements:"),
    "acct.statement.more": ("……共 {n} 条，完整明细见附件 Excel 和 PDF", "... {n} in all; the Excel and PDF files have them all"),
    "acct.statement.due": ("请于 {due} 前确认或提出异议，逾期未提出异议视为确认。",
                           "Please confirm or dispute it by {due}; without a dispute by then it counts as confirmed."),
    "acct.statement.account": ("{label}：期初 {opening} → 期末 {closing}（本期 {n} 笔）",
                               "{label}: opening {opening} -> closing {closing} ({n} entries)"),
    "acct.statement.extra": ("本期订单 {orders} 笔 · 返利流水 {rebates} 笔 · 费用核销 {claims} 笔",
                             "This month: {orders} order(s) · {rebates} rebate entries · {claims} expense claim(s)"),
    "acct.statement.answer": ("财务答复：{answer}", "Finance's answer: {answer}"),
    "acct.statement.trading": ("（以上余额为预存款、返利、信用额度合计；保证金单列）各账户：",
                               "(the balances above add prepayment, rebate and credit; the deposit is apart) By account:"),
    "acct.statement.lines_named": ("您指出的明细：", "The lines you named:"),
    "acct.statement.file_xlsx": ("📊 {period} 对账单 Excel", "📊 {period} statement, Excel"),
    "acct.statement.file_pdf": ("📄 {period} 对账单 PDF", "📄 {period} statement, PDF"),
    "acct.statement.hint_confirm": ("核对无误请点“✅ 确认无误”。", "If it is right, tap \"✅ Confirm\"."),
    "acct.statement.dispute_reason": ("异议原因：{reason}", "Reason given: {reason}"),
    "acct.statement.ask": ("请核对后确认，或提出异议。", "Please check it, then confirm or dispute."),
    "acct.owner_only": ("对账单只能由贵司负责人确认或提出异议，请联系负责人处理。",
                        "Only your company's owner can confirm or dispute a statement; please ask them."),
    "acct.confirmed": ("✅ 已确认 {period} 对账单。", "✅ The {period} statement is confirmed."),
    "acct.dispute.ask": ("请说明对 {period} 对账单的异议：哪一笔（日期、金额或单号）、应为多少。\n"
                         "例如：11月8日收款 55000 应为 50000",
                         "What is wrong with the {period} statement: which line (date, amount or reference) and "
                         "what it should be?\nFor example: payment of 8 Nov 55000 should be 50000"),
    "acct.disputed": ("已提交异议，财务核对后会答复您，并请您再次确认。",
                      "Dispute sent. Finance will check it, answer you and ask you to confirm again."),
    "acct.disputed.none_named": ("未能对应到具体明细，财务会按您的说明核对。",
                                 "No single line matched your words; finance will check what you wrote."),
    "acct.docs.none": ("✅ {days} 天内没有到期的资质文件。", "✅ No documents expire within {days} days."),
    "acct.docs.head": ("📑 资质到期提醒（{days} 天内）：", "📑 Documents expiring within {days} days:"),
    "acct.docs.left": ("• {label} {number}：{date} 到期（还剩 {days} 天）", "• {label} {number}: expires {date} ({days} days left)"),
    "acct.docs.today": ("• {label} {number}：今天（{date}）到期", "• {label} {number}: expires today ({date})"),
    "acct.docs.expired": ("• {label} {number}：已于 {date} 过期", "• {label} {number}: expired on {date}"),
    "acct.docs.renew": ("请尽快把新证件发给渠道经理更新。", "Please send the renewed documents to your channel manager."),
    "acct.overview.docs": ("⚠️ {n} 份资质 {days} 天内到期或已过期", "⚠️ {n} document(s) expire within {days} days"),
    "acct.overview.statement": ("🧾 {period} 对账单{status}", "🧾 {period} statement: {status}"),
    "acct.overview.money": ("💰 预存款 {prepayment} · 返利 {rebate} · 可用额度 {available}",
                            "💰 Prepayment {prepayment} · rebate {rebate} · credit available {available}"),
    "acct.pay.found": ("✅ {amount} 已到账：{day} 记入{account}。", "✅ {amount} has arrived: booked on {day} to {account}."),
    "acct.pay.missing": ("还没有查到 {amount} 的到账记录。财务核对银行流水后入账，入账时会通知您；入账到预存款的回款先冲抵"
                         "已用的信用额度，可用额度和余额随之更新（“账户余额”里可查）。转账已超过一个工作日的话，"
                         "可以把转账回单发给财务核对。",
                         "No payment of {amount} is booked yet. Finance books a transfer once the bank shows it, and you "
                         "are told then; a payment into prepayment first repays credit used, and your available credit "
                         "and balances show it from then on (see \"Balances\"). If it was sent more than a working day "
                         "ago, send the bank slip to finance."),
    "acct.pay.head": ("近 {days} 天的到账记录：", "Payments received in the last {days} days:"),
    "acct.pay.line": ("• {day} {amount} → {account}{method}{ref}", "• {day} {amount} → {account}{method}{ref}"),
    "acct.pay.none": ("近 {days} 天没有到账记录。", "No payments received in the last {days} days."),
    "acct.one.prepayment": ("💰 预存款余额：{amount}", "💰 Prepayment balance: {amount}"),
    "acct.one.rebate": ("💴 返利余额：{amount}", "💴 Rebate balance: {amount}"),
    "acct.one.deposit": ("🔒 保证金：{amount}", "🔒 Deposit: {amount}"),
    "acct.one.credit": ("💳 信用额度：可用 {available}（额度 {limit}，已用 {used}）",
                        "💳 Credit: {available} available (limit {limit}, used {used})"),
    "acct.debt": ("💳 截至今天的信用欠款（已用额度未还）：{owed}", "💳 Credit owed as of today (used, not paid back): {owed}"),
    "acct.debt.in_terms": ("都还在账期（{days} 天）内，没有逾期。", "All of it is within the terms ({days} days): none is overdue."),
    "acct.debt.none": ("您目前没有信用欠款。", "You owe nothing on credit."),
    "acct.btn.all_balances": ("💰 全部账户余额", "💰 All balances"),
    "acct.temporary_credit": ("含临时额度 {amount}，有效期至 {until}（到期后自动恢复原额度）",
                              "including temporary credit of {amount} until {until} (it lapses by itself after)"),
    "acct.btn.overview": ("📄 合同与账户", "📄 Contract & account"),
    "acct.btn.profile": ("🏢 我的资料", "🏢 My profile"),
    "acct.btn.payments": ("💳 到账记录", "💳 Payments received"),
    "acct.profile": ("🏢 经销商资料\n编号：{code}\n名称：{name}\n等级：{tier}\n区域：{region}（{province} {city}）\n"
                     "上级经销商：{parent}\n信用额度：{credit}\n状态：{status}",
                     "🏢 Dealer profile\nCode: {code}\nName: {name}\nLevel: {tier}\n"
                     "Region: {region} ({province} {city})\nParent dealer: {parent}\nCredit limit: {credit}\n"
                     "Status: {status}"),
    "acct.profile.no_parent": ("无（直接向厂家进货）", "none (buys from the maker directly)"),
    "acct.profile.subs": ("下级经销商：{subs}\n（可查看其订单、库存和动销，可代其下单；资金账户按合同约定）",
                          "Sub-dealers: {subs}\n(you see their orders, stock and sell-out and may order for them; "
                          "their money accounts only as your contract says)"),
    "acct.profile.reason": ("暂停原因：{reason}", "Suspended because: {reason}"),
    "acct.btn.subs": ("👥 下级经销商的订单、库存、动销", "👥 Sub-dealers' orders, stock, sell-out"),
})


def _menu_rows(ctx: Ctx) -> list[list[Button]]:
    return [[Button(ctx.t("acct.btn.contract"), payload("acct.contract")),
             Button(ctx.t("acct.btn.balance"), payload("acct.balance"))],
            [Button(ctx.t("acct.btn.statement"), payload("acct.stmt")),
             Button(ctx.t("acct.btn.docs"), payload("acct.docs"))],
            [Button(ctx.t("acct.btn.sign"), payload("ctr.list")),
             Button(ctx.t("acct.btn.rebates"), payload("ctr.rebate"))],
            [Button(ctx.t("acct.btn.profile"), payload("acct.profile")),
             Button(ctx.t("acct.btn.payments"), payload("acct.payments"))],
            [forms.menu_button(ctx)]]


def _dealer_id(ctx: Ctx) -> int:
    assert ctx.actor.dealer_id is not None  # forms.require_dealer ran
    return ctx.actor.dealer_id


# --- entry points ----------------------------------------------------------------------------------

@router.button("acct.menu")
@router.command("account")
async def menu(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    lines = [ctx.t("acct.title")]
    contract = await _current_contract(ctx)
    if contract is None:
        lines.append(ctx.t("acct.no_contract"))
    else:
        lines.append(_contract_head(ctx, contract))
        execution = await contract_execution(ctx.uow(), ctx.actor, contract.id or 0, ctx.deps.clock)
        for t in execution.targets[:1]:
            lines.append(_target_line(ctx, t.target))
            lines.append(_bar_line(ctx, t))
    overview = await get_balances(ctx.uow(), ctx.actor, _dealer_id(ctx), ctx.deps.clock)
    b = overview.balances
    lines.append(ctx.t("acct.overview.money", prepayment=fmt_cny(b.prepayment), rebate=fmt_cny(b.rebate),
                       available=fmt_cny(overview.credit_available)))
    statement = await _latest_statement(ctx)
    if statement is not None:
        lines.append(ctx.t("acct.overview.statement", period=statement.period,
                           status=_statement_status(ctx, statement.status)))
    docs = await _expiring_docs(ctx)
    if docs:
        lines.append(ctx.t("acct.overview.docs", n=len(docs), days=EXPIRY_WINDOW_DAYS))
    return [Reply(text="\n".join(lines), buttons=_menu_rows(ctx))]


# SALES_QUERY goes to handlers.flows.reports, which hands target and rebate questions back here
@router.intent(Intent.CONTRACT_QUERY)
async def account_intent(ctx: Ctx) -> list[Reply]:
    slots = ctx.parsed.slots if ctx.parsed else None
    if (named := await _named_dealer_answer(ctx)) is not None:
        return named
    if slots is not None and slots.topic == "profile":
        return await profile(ctx)
    if slots is not None and slots.topic == "payments":
        if ctx.is_staff:        # "回款情况怎么样 逾期多少": every dealer's payments and overdue credit
            return await collections.overview(ctx)
        return await payments_received(ctx, slots.amount)
    if slots is not None and slots.topic == "debt" and ctx.is_dealer:
        return await debt(ctx)
    if slots is not None and slots.account in ACCOUNTS:
        return await one_account(ctx, AccountKind(slots.account))
    text = ctx.inbound.text.lower()
    if any(w in text for w in ("返利", "返点", "rebate")) and not any(
            w in text for w in ("目标", "政策", "档", "target", "polic", "tier")):
        return await one_account(ctx, AccountKind.REBATE)
    if any(w in text for w in ("余额", "balance", "额度", "预存款")):
        return await balance(ctx)
    if any(w in text for w in STATEMENT_WORDS):
        if ctx.is_staff and Permission.ACCOUNT_POST in ctx.actor.permissions:
            return await statements.disputes(ctx)
        return await statement(ctx)
    if any(w in text for w in ("资质", "到期", "执照", "licence", "license", "expir")):
        return await documents(ctx)
    if (figures := await forms.staff_sales_question(ctx)) is not None:
        return figures      # staff have no contract of their own: "动销最少的经销商" asks about the dealers
    return await contract(ctx)


# --- contract and performance ------------------------------------------------------------------------

async def _current_contract(ctx: Ctx, dealer_id: int | None = None) -> Contract | None:
    contracts = await list_contracts(ctx.uow(), ctx.actor, dealer_id=dealer_id if dealer_id is not None else _dealer_id(ctx))
    for status in _CURRENT_ORDER:
        found = next((c for c in contracts if c.status == status), None)
        if found is not None:
            return found
    return contracts[0] if contracts else None


def _contract_head(ctx: Ctx, contract: Contract) -> str:
    zh, en = CONTRACT_STATUS_LABELS[contract.status]
    return ctx.t("acct.contract.head", number=contract.number, version=contract.version, status=ctx.pick(zh, en),
                 start=contract.starts_on.isoformat(), end=contract.ends_on.isoformat())


def _percent(ratio: Decimal) -> str:
    return format((ratio * 100).quantize(Decimal("0.01")).normalize(), "f") + "%"


def _whole_percent(ratio: Decimal) -> int:
    return int((ratio * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _period_label(ctx: Ctx, period: str) -> str:
    if len(period) == 4:
        return ctx.t("acct.period.year", year=period)
    if "-Q" in period.upper():
        year, q = period.upper().split("-Q")
        return ctx.t("acct.period.quarter", year=year, q=q)
    return period


def _target_value(ctx: Ctx, metric: TargetMetric, value: Decimal) -> str:
    return fmt_cny(value) if metric == TargetMetric.AMOUNT else ctx.t("acct.units", n=int(value))


def _target_line(ctx: Ctx, target: SalesTarget) -> str:
    return ctx.t("acct.target", period=_period_label(ctx, target.period),
                 group=scope_name(target.product_group, ctx.lang) or ctx.t("acct.group.all"),
                 metric=ctx.t(f"acct.metric.{target.metric.value}"),
                 value=_target_value(ctx, target.metric, target.value))


def _bar_line(ctx: Ctx, t: TargetExecution) -> str:
    line = ctx.t("acct.bar", bar=progress_bar(t.achievement), pct=_whole_percent(t.achievement),
                 actual=_target_value(ctx, t.target.metric, t.actual))
    gap = t.target.value - t.actual
    if gap > 0:      # "离年度目标还差多少": the difference itself, not left to work out
        line += ctx.t("acct.gap", gap=_target_value(ctx, t.target.metric, gap))
    return line


def _pace_line(ctx: Ctx, t: TargetExecution) -> str:
    if t.pace is None:
        verdict = ctx.t("acct.pace.not_started")
    elif behind_pace(t.pace):
        verdict = ctx.t("acct.pace.behind")
    elif t.pace >= Decimal("1.10"):
        verdict = ctx.t("acct.pace.ahead")
    else:
        verdict = ctx.t("acct.pace.on_track")
    return ctx.t("acct.pace", elapsed=_whole_percent(t.elapsed_share), verdict=verdict)


def projected_rebate(t: TargetExecution, tiers: list[RebateTier]) -> Decimal:
    """The rebate at the end of the target's window if sales keep the pace they have now."""
    if t.elapsed_share <= 0:
        return money(0)
    projected_amount = t.actual_amount / t.elapsed_share
    return accrued_rebate(rebate_rate(tiers, t.pace or Decimal(0)), projected_amount)


def _rebate_line(ctx: Ctx, t: TargetExecution, tiers: list[RebateTier]) -> str:
    return ctx.t("acct.rebate", rate=_percent(t.rebate_rate), amount=fmt_cny(t.accrued_rebate),
                 projected=fmt_cny(projected_rebate(t, tiers)))


def _contract_text(ctx: Ctx, contract: Contract, execution: ContractExecution) -> str:
    lines = [_contract_head(ctx, contract)]
    if contract.rebate_tiers:
        tiers = ctx.pick("；", "; ").join(ctx.t("acct.tier", at=_percent(t.min_achievement), rate=_percent(t.rate))
                                         for t in sorted(contract.rebate_tiers, key=lambda t: t.min_achievement))
        lines.append(ctx.t("acct.tiers", tiers=tiers))
    else:
        lines.append(ctx.t("acct.no_tiers"))
    if contract.marketing_duties:
        lines.append(ctx.t("acct.duties", duties=ctx.pick("；", "; ").join(contract.marketing_duties)))
    if not execution.targets:
        lines.append(ctx.t("acct.no_targets"))
        return "\n".join(lines)
    lines.append(ctx.t("acct.progress.head", day=execution.as_of.isoformat()))
    for t in execution.targets:
        lines += [_target_line(ctx, t.target), _bar_line(ctx, t), _pace_line(ctx, t),
                  _rebate_line(ctx, t, contract.rebate_tiers),
                  ctx.t("acct.sellout", amount=fmt_cny(t.sell_out_amount),
                        qty=ctx.t("acct.units", n=t.sell_out_quantity))]
    return "\n".join(lines)


@router.button("acct.contract")
async def contract(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    current = await _current_contract(ctx)
    if current is None or current.id is None:
        return [Reply(text=ctx.t("acct.no_contract"), buttons=_menu_rows(ctx))]
    execution = await contract_execution(ctx.uow(), ctx.actor, current.id, ctx.deps.clock)
    return [Reply(text=_contract_text(ctx, current, execution), buttons=_menu_rows(ctx))]


# --- money ----------------------------------------------------------------------------------------

@router.button("acct.balance")
async def balance(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    overview = await get_balances(ctx.uow(), ctx.actor, _dealer_id(ctx), ctx.deps.clock)
    return [Reply(text=_balances_text(ctx, overview) + await _overdue(ctx, overview), buttons=_menu_rows(ctx))]


async def _overdue(ctx: Ctx, overview: AccountOverview) -> str:
    """"\n⚠️ 信用欠款 ¥X，其中逾期 ¥Y（…）" when credit used is past the terms (setting CREDIT_DAYS), else ""."""
    if overview.balances.credit >= 0:
        return ""
    owed = debt_line(ctx, await dealer_credit_debt(ctx.uow(), ctx.actor, overview.dealer_id, ctx.deps.clock,
                                                   ctx.deps.credit_days))
    return "\n⚠️ " + owed if owed else ""


async def debt(ctx: Ctx) -> list[Reply]:
    """"上个月欠款还有多少没还": the credit used and not paid back as of today, and how much of it is past the terms."""
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    owed = await dealer_credit_debt(ctx.uow(), ctx.actor, _dealer_id(ctx), ctx.deps.clock, ctx.deps.credit_days)
    if owed.outstanding <= 0:
        text = ctx.t("acct.debt.none")
    else:
        text = ctx.t("acct.debt", owed=fmt_cny(owed.outstanding)) + "\n" + (
            debt_line(ctx, owed) or ctx.t("acct.debt.in_terms", days=ctx.deps.credit_days))
    return [Reply(text=text, buttons=[[Button(ctx.t("acct.btn.all_balances"), payload("acct.balance")),
                                       Button(ctx.t("acct.btn.overview"), payload("acct.menu"))],
                                      [forms.menu_button(ctx)]])]


def _balances_text(ctx: Ctx, overview: AccountOverview) -> str:
    b = overview.balances
    return ctx.t("acct.balance", prepayment=fmt_cny(b.prepayment), rebate=fmt_cny(b.rebate),
                 deposit=fmt_cny(b.deposit), limit=fmt_cny(overview.credit_limit), used=fmt_cny(-b.credit),
                 available=fmt_cny(overview.credit_available)) + _temporary_credit(ctx, overview)


# a question about a target and how far it is met, not about money ("D0001今年目标完成多少了")
_TARGET_ASKED = ("目标", "完成率", "完成多少", "达成", "任务", "差多少", "kpi", "target")


async def _named_dealer_answer(ctx: Ctx) -> list[Reply] | None:
    """Staff asking about one dealer by its code: its contract's targets and how far they are met ("D0001今年目标完成多少
    了"), else its balances ("D0001返利多少", "D0007 余额"); when the speaker may read them (a channel manager their own
    dealers, finance all; the rule is core's), else why not. None when the speaker is no staff or names no dealer code."""
    code = dealer_code_in(ctx.inbound.text) if ctx.is_staff and ctx.inbound.kind == InboundKind.TEXT else None
    if code is None:
        return None
    found = [d for d in await forms.dealers_by_words(ctx, code, limit=2) if d.code.upper() == code]
    dealer = found[0] if len(found) == 1 else None
    if dealer is None or dealer.id is None:
        return [Reply(text=ctx.t("acct.staff.no_dealer", code=code))]
    head = ctx.t("acct.staff.balance", dealer=f"{dealer.code} {dealer.name}")
    try:
        if any(w in ctx.inbound.text.lower() for w in _TARGET_ASKED):
            current = await _current_contract(ctx, dealer.id)
            if current is None or current.id is None:
                return [Reply(text=head + ctx.t("acct.no_contract"))]
            execution = await contract_execution(ctx.uow(), ctx.actor, current.id, ctx.deps.clock)
            return [Reply(text=head + _contract_text(ctx, current, execution))]
        overview = await get_balances(ctx.uow(), ctx.actor, dealer.id, ctx.deps.clock)
    except PermissionDenied:
        return [Reply(text=ctx.t("acct.staff.not_yours", code=code))]
    return [Reply(text=head + _balances_text(ctx, overview) + await _overdue(ctx, overview))]


def _temporary_credit(ctx: Ctx, overview: AccountOverview) -> str:
    """"\n含临时额度 ¥50,000.00，有效期至 2026-12-31" while temporary credit is in force, else ""."""
    if not overview.temporary_credit or overview.temporary_credit_until is None:
        return ""
    return "\n" + ctx.t("acct.temporary_credit", amount=fmt_cny(overview.temporary_credit),
                        until=overview.temporary_credit_until.isoformat())


async def one_account(ctx: Ctx, account: AccountKind) -> list[Reply]:
    """"预存款还有多少": just that account, with the way to all of them. The rebate account ("返利还有多少")
    is answered with what is accruing and when it settles too (handlers.flows.contracts.rebates)."""
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    if account == AccountKind.REBATE:
        return await contracts.rebates(ctx)
    overview = await get_balances(ctx.uow(), ctx.actor, _dealer_id(ctx), ctx.deps.clock)
    b = overview.balances
    if account == AccountKind.CREDIT:
        text = ctx.t("acct.one.credit", available=fmt_cny(overview.credit_available),
                     limit=fmt_cny(overview.credit_limit), used=fmt_cny(-b.credit)) + _temporary_credit(ctx, overview) \
            + await _overdue(ctx, overview)
    else:
        text = ctx.t(f"acct.one.{account.value}", amount=fmt_cny(b.of(account)))
    ask = [[credit_ask.ask_button(ctx)]] if account == AccountKind.CREDIT else []   # the way to more credit
    return [Reply(text=text, buttons=[[Button(ctx.t("acct.btn.all_balances"), payload("acct.balance")),
                                       Button(ctx.t("acct.btn.overview"), payload("acct.menu"))],
                                      *ask, [forms.menu_button(ctx)]])]


@router.button("acct.payments")
async def payments(ctx: Ctx) -> list[Reply]:
    return await payments_received(ctx)


async def payments_received(ctx: Ctx, asked: Decimal | None = None) -> list[Reply]:
    """"我昨天打的3万到账没", "最近的回款记录": the payments booked to the dealer's accounts lately, newest first; with a
    sum said, whether a payment of that sum is among them (finance books a transfer once the bank shows it, and the
    dealer is told then: ``payment.received``)."""
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    entries = await recent_payments(ctx.uow(), ctx.actor, _dealer_id(ctx), ctx.deps.clock)
    lines = []
    if asked is not None:
        found = next((e for e in entries if money(e.amount) == asked), None)
        lines.append(ctx.t("acct.pay.found", amount=fmt_cny(asked), day=_booked_on(ctx, found),
                           account=ctx.pick(*ACCOUNT_LABELS[found.account])) if found is not None
                     else ctx.t("acct.pay.missing", amount=fmt_cny(asked)))
    if entries:
        lines.append(ctx.t("acct.pay.head", days=RECENT_PAYMENT_DAYS))
        lines += [ctx.t("acct.pay.line", day=_booked_on(ctx, e), amount=fmt_cny(e.amount),
                        account=ctx.pick(*ACCOUNT_LABELS[e.account]), method=_method(ctx, e.method),
                        ref=f" · {e.ref}" if e.ref else "") for e in entries]
    else:
        lines.append(ctx.t("acct.pay.none", days=RECENT_PAYMENT_DAYS))
    return [Reply(text="\n".join(lines), buttons=[[Button(ctx.t("acct.btn.all_balances"), payload("acct.balance")),
                                                   Button(ctx.t("acct.btn.overview"), payload("acct.menu"))],
                                                  [forms.menu_button(ctx)]])]


def _booked_on(ctx: Ctx, entry: LedgerEntry | None) -> str:
    if entry is None:
        return ""
    day = entry.paid_on or (entry.created_at.astimezone(ctx.deps.clock.tz).date() if entry.created_at else None)
    return f"{day:%m-%d}" if day else "-"


def _method(ctx: Ctx, method: str) -> str:
    try:
        return " · " + ctx.pick(*PAYMENT_METHOD_LABELS[PaymentMethod(method)])
    except ValueError:
        return ""


@router.button("acct.profile")
async def profile(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    p = await dealer_profile(ctx.uow(), ctx.actor, _dealer_id(ctx))
    parent = f"{p.parent_code} {p.parent_name}" if p.parent_code else ctx.t("acct.profile.no_parent")
    zh, en = DEALER_STATUS_LABELS[p.status]
    text = ctx.t("acct.profile", code=p.code, name=p.name, tier=tier_label(p.tier, ctx.lang), region=p.region,
                 province=p.province, city=p.city, parent=parent, credit=fmt_cny(p.credit_limit),
                 status=ctx.pick(zh, en))
    if p.status_reason and p.status == DealerStatus.SUSPENDED:
        text += "\n" + ctx.t("acct.profile.reason", reason=p.status_reason)
    rows = _menu_rows(ctx)
    if p.sub_dealers:
        text += "\n" + ctx.t("acct.profile.subs", subs=ctx.pick("、", ", ").join(f"{c} {n}" for c, n in p.sub_dealers))
        rows.insert(0, [Button(ctx.t("acct.btn.subs"), payload("sub.list"))])     # handlers.flows.subdealers
    return [Reply(text=text, buttons=rows)]


def _statement_status(ctx: Ctx, status: StatementStatus) -> str:
    zh, en = STATEMENT_STATUS_LABELS[status]
    return ctx.pick(zh, en)


def _asked_period(ctx: Ctx) -> str | None:
    """The month the dealer names ("11月的对账单", "上月对账单"), else None (the latest)."""
    slots = ctx.parsed.slots if ctx.parsed else None
    return statement_month_asked(ctx.inbound.text, ctx.deps.clock.today(),
                                 last_month=slots is not None and slots.period == "last_month")


async def _latest_statement(ctx: Ctx, period: str | None = None) -> Statement | None:
    async with ctx.uow() as uow:
        if period:
            latest = await uow.statements.list(dealer_id=_dealer_id(ctx), period=period, limit=1)
        else:
            latest = await uow.statements.list(dealer_id=_dealer_id(ctx), order_by="period_start", desc=True, limit=1)
    if not latest:
        return None
    # read again through the use case: it is the one that decides who may see it
    return await get_statement(ctx.uow(), ctx.actor, _dealer_id(ctx), latest[0].period)


def _statement_text(ctx: Ctx, s: Statement) -> str:
    lines = [ctx.t("acct.statement", period=s.period, status=_statement_status(ctx, s.status),
                   opening=fmt_cny(s.opening_balance), orders=fmt_cny(s.orders_total),
                   payments=fmt_cny(s.payments_total), rebates=fmt_cny(s.rebates_total),
                   closing=fmt_cny(s.closing_balance))]
    if s.accounts:
        lines.append(ctx.t("acct.statement.trading"))
    for section in s.accounts:
        lines.append(ctx.t("acct.statement.account", label=section["label_en" if ctx.en else "label_zh"],
                           opening=fmt_cny(Decimal(section["opening"])), closing=fmt_cny(Decimal(section["closing"])),
                           n=len(section["entries"])))
    if s.accounts:
        lines.append(ctx.t("acct.statement.extra", orders=len(section_lines(s, "order")),
                           rebates=len(rebate_entries(s)), claims=len(section_lines(s, "claim"))))
    shown = [item for item in s.lines if not s.accounts or item.get("type") == "entry"]
    if shown:
        lines.append(ctx.t("acct.statement.lines"))
        for item in shown[:STATEMENT_LINES]:
            label = item.get("label_en" if ctx.en else "label_zh", "")
            ref = f" {item['ref']}" if item.get("ref") else ""
            lines.append(f"{item.get('date', '')[5:]} {label}{ref} {fmt_cny(Decimal(item.get('amount') or '0'))}")
        if len(shown) > STATEMENT_LINES:
            lines.append(ctx.t("acct.statement.more", n=len(shown)))
    if s.status == StatementStatus.DISPUTED and s.dispute_reason:
        lines.append(ctx.t("acct.statement.dispute_reason", reason=s.dispute_reason))
    if s.answer:
        lines.append(ctx.t("acct.statement.answer", answer=s.answer))
    if s.status == StatementStatus.ISSUED:
        lines.append(ctx.t("acct.statement.due", due=s.due_on.isoformat()) if s.due_on
                     else ctx.t("acct.statement.ask"))
    return "\n".join(lines)


async def _statement_replies(ctx: Ctx, found: Statement, hint: str = "") -> list[Reply]:
    """The statement as text, then its Excel and PDF; the buttons on the last message."""
    from documents.statement_files import statement_pdf, statement_xlsx

    p = await dealer_profile(ctx.uow(), ctx.actor, _dealer_id(ctx))
    who, stem = f"{p.code} {p.name}", f"statement-{p.code}-{found.period}"
    rows: list[list[Button]] = []
    if found.status == StatementStatus.ISSUED:
        rows.append([Button(ctx.t("acct.btn.confirm"), payload("acct.st.ok", found.period)),
                     Button(ctx.t("acct.btn.dispute"), payload("acct.st.no", found.period))])
    text = _statement_text(ctx, found) + (f"\n{hint}" if hint else "")
    return [Reply(text=text),
            Reply(text=ctx.t("acct.statement.file_xlsx", period=found.period),
                  file=statement_xlsx(found, who, ctx.lang), file_name=f"{stem}.xlsx"),
            Reply(text=ctx.t("acct.statement.file_pdf", period=found.period),
                  file=statement_pdf(found, who, ctx.lang), file_name=f"{stem}.pdf", buttons=rows + _menu_rows(ctx))]


@router.button("acct.stmt", "acct.st.view")
async def statement(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    period = forms.arg(ctx, 0) if ctx.inbound.kind == InboundKind.BUTTON else _asked_period(ctx)
    found = await _latest_statement(ctx, period or None)
    disputing = ctx.inbound.kind == InboundKind.TEXT and statement_answer(ctx.inbound.text) is StatementAnswer.DISPUTE
    if found is None and period and ctx.inbound.kind != InboundKind.BUTTON and not disputing:
        found = await _latest_statement(ctx)       # "11月的" when only October's exists: the latest
    if found is None:
        if disputing:
            # "11月对账单不对 多扣了我2000块": no statement to dispute yet, the words handed to staff (QA s28 #14)
            return faq.offer_forward(ctx, ctx.inbound.text.strip(), ctx.t(
                "acct.no_statement.dispute", period=_asked_period(ctx) or ctx.t("acct.no_statement.that_month")))
        return [Reply(text=ctx.t("acct.no_statement"), buttons=_menu_rows(ctx))]
    hint = ""
    if found.status == StatementStatus.ISSUED and ctx.inbound.kind == InboundKind.TEXT:
        answer = statement_answer(ctx.inbound.text)
        if answer is StatementAnswer.CONFIRM:
            hint = ctx.t("acct.statement.hint_confirm")      # confirming takes the button, never a guess
        elif answer is StatementAnswer.DISPUTE:
            if Permission.STATEMENT_CONFIRM in ctx.actor.permissions:
                return await _dispute_from_text(ctx, found)
            hint = ctx.t("acct.owner_only")
    return await _statement_replies(ctx, found, hint)


async def _dispute_from_text(ctx: Ctx, found: Statement) -> list[Reply]:
    """"账不对，11月28日那笔 88108.02 应该是 80000": a message that names lines of the statement is the dispute;
    one that names none ("账不对") asks what is wrong."""
    if match_lines(found, ctx.inbound.text):
        return await _submit_dispute(ctx, found.period, ctx.inbound.text.strip()[:MAX_REASON])
    ctx.go("acct.dispute", period=found.period)
    return [Reply(text=ctx.t("acct.dispute.ask", period=found.period), buttons=[forms.cancel_row(ctx, "acct")])]


def _owner_only(ctx: Ctx) -> list[Reply] | None:
    """Answer politely before asking anything when the user may not decide statements."""
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    if Permission.STATEMENT_CONFIRM not in ctx.actor.permissions:
        return [Reply(text=ctx.t("acct.owner_only"), buttons=_menu_rows(ctx))]
    return None


@router.button("acct.st.ok")
async def confirm(ctx: Ctx) -> list[Reply]:
    refused = _owner_only(ctx)
    if refused is not None:
        return refused
    period = forms.arg(ctx, 0)
    await confirm_statement(ctx.uow(), ctx.actor, ConfirmStatement(dealer_id=_dealer_id(ctx), period=period),
                            ctx.deps.clock)
    return [Reply(text=ctx.t("acct.confirmed", period=period), buttons=_menu_rows(ctx))]


@router.button("acct.st.no")
async def dispute(ctx: Ctx) -> list[Reply]:
    refused = _owner_only(ctx)
    if refused is not None:
        return refused
    period = forms.arg(ctx, 0)
    await get_statement(ctx.uow(), ctx.actor, _dealer_id(ctx), period)    # NotFound before asking
    ctx.go("acct.dispute", period=period)
    return [Reply(text=ctx.t("acct.dispute.ask", period=period), buttons=[forms.cancel_row(ctx, "acct")])]


@router.button("acct.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


@router.state("acct.dispute")
async def dispute_reason(ctx: Ctx) -> list[Reply]:
    reason = forms.text_of(ctx)
    if not reason:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, "acct")])]
    if len(reason) > MAX_REASON:
        return [Reply(text=ctx.t("form.text_too_long", limit=MAX_REASON), buttons=[forms.cancel_row(ctx, "acct")])]
    return await _submit_dispute(ctx, str(ctx.dialog.data.get("period", "")), reason)


async def _submit_dispute(ctx: Ctx, period: str, reason: str) -> list[Reply]:
    disputed = await dispute_statement(ctx.uow(), ctx.actor, DisputeStatement(
        dealer_id=_dealer_id(ctx), period=period, reason=reason), ctx.deps.clock)
    ctx.idle()
    lines = [ctx.t("acct.disputed")]
    if disputed.dispute_lines:
        lines += [ctx.t("acct.statement.lines_named"),
                  *(f"• {describe_line(line, ctx.en)}" for line in disputed.dispute_lines)]
    else:
        lines.append(ctx.t("acct.disputed.none_named"))
    return [Reply(text="\n".join(lines), buttons=_menu_rows(ctx))]


# --- documents ------------------------------------------------------------------------------------

async def _expiring_docs(ctx: Ctx) -> list[ExpiringQualification]:
    return await expiring(ctx.uow(), ctx.actor, EXPIRY_WINDOW_DAYS, ctx.deps.clock.today(), include_expired=True)


@router.button("acct.docs")
async def documents(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    docs = await _expiring_docs(ctx)
    if not docs:
        return [Reply(text=ctx.t("acct.docs.none", days=EXPIRY_WINDOW_DAYS), buttons=_menu_rows(ctx))]
    lines = [ctx.t("acct.docs.head", days=EXPIRY_WINDOW_DAYS)]
    for d in docs:
        q = d.qualification
        label = d.label_en if ctx.en else d.label_zh
        day = q.expires_on.isoformat() if q.expires_on else "-"
        key = "acct.docs.expired" if d.days_left < 0 else ("acct.docs.today" if d.days_left == 0 else "acct.docs.left")
        lines.append(ctx.t(key, label=label, number=q.number, date=day, days=d.days_left))
    lines.append(ctx.t("acct.docs.renew"))
    return [Reply(text="\n".join(lines), buttons=_menu_rows(ctx))]
