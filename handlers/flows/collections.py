"""Money in and money late, for staff who read every dealer's accounts (management, finance, order desk, channel
managers): "回款情况怎么样 逾期多少", "上个月回款情况". The payments received in the period said (this month unless
another is said: ``core.reports.period_said``) with the largest payers, and the credit owed past its terms
(setting CREDIT_DAYS) with the most overdue dealers, each to its ledger. The figures are the finance use cases'
(``core.services.accounts.payments_received``, ``overdue_credit``); a dealer asking the same words gets its own
payments (``handlers.flows.account``).
"""

from __future__ import annotations

from core.errors import DomainError
from core.money import ZERO, fmt_cny
from core.reports import PeriodPreset, period_label, period_range, period_said
from core.services.accounts import overdue_credit, payments_received
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.messages import Button, Reply
from handlers.router import payload

TOP = 5

i18n.register({
    "coll.received": ("💰 {period}（{start} 至 {end}）回款 {total}，共 {n} 笔。",
                      "💰 {period} ({start} to {end}): {total} received, {n} payment(s)."),
    "coll.top": ("回款最多：", "Largest payers:"),
    "coll.line": ("· {code} {name}：{amount}", "· {code} {name}: {amount}"),
    "coll.overdue": ("⚠️ 信用欠款逾期 {total}（{n} 家，账期 {days} 天；今天为止）", "⚠️ Credit overdue {total} ({n} dealer(s), "
                     "terms {days} days; as of today)"),
    "coll.overdue.line": ("· {code} {name}：逾期 {overdue}，超期 {late} 天", "· {code} {name}: {overdue} overdue, {late} days late"),
    "coll.overdue.none": ("✅ 没有经销商的信用欠款逾期（账期 {days} 天）。", "✅ No dealer owes credit past its terms ({days} days)."),
    "coll.period_unknown": ("没有听懂时间段“{words}”，请说本月、上月、本季度、今年、11月等。",
                            "I did not understand the period \"{words}\"; say this month, last month, this quarter, "
                            "this year, November ..."),
})


def may_read(ctx: Ctx) -> bool:
    return ctx.is_staff and Permission.ACCOUNT_READ_ALL in ctx.actor.permissions


async def overview(ctx: Ctx) -> list[Reply]:
    """Payments received in the period asked and the credit overdue today."""
    if not may_read(ctx):
        return [Reply(text=ctx.t("pay.readers_only"))]
    slots = ctx.parsed.slots if ctx.parsed is not None else None
    period = period_said(slots.period if slots is not None else None)
    if period is None and slots is not None and (slots.period or slots.period_said):
        return [Reply(text=ctx.t("coll.period_unknown", words=(slots.period_said or slots.period or "")[:24]))]
    period = period or PeriodPreset.MONTH.value
    try:
        start, end = period_range(period, ctx.deps.clock.today())
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    got = await payments_received(ctx.uow(), ctx.actor, ctx.deps.clock, start, end)
    late = await overdue_credit(ctx.uow(), ctx.actor, ctx.deps.clock, ctx.deps.credit_days)
    lines = [ctx.t("coll.received", period=period_label(period, ctx.lang), start=start.isoformat(),
                   end=end.isoformat(), total=fmt_cny(got.total), n=got.count)]
    if got.by_dealer:
        lines.append(ctx.t("coll.top"))
        lines += [ctx.t("coll.line", code=c, name=n, amount=fmt_cny(a)) for c, n, a in got.by_dealer[:TOP]]
    days = ctx.deps.credit_days
    if late:
        lines.append(ctx.t("coll.overdue", total=fmt_cny(sum((r.debt.overdue for r in late), ZERO)), n=len(late),
                           days=days))
        lines += [ctx.t("coll.overdue.line", code=r.code, name=r.name, overdue=fmt_cny(r.debt.overdue),
                        late=r.debt.oldest_late_days) for r in late[:TOP]]
    else:
        lines.append(ctx.t("coll.overdue.none", days=days))
    buttons = [[Button(forms.clip(f"📒 {r.code} {r.name}", 30), payload("pay.ledger", r.dealer_id, 0))]
               for r in late[:3]]
    return [Reply(text="\n".join(lines), buttons=[*buttons, [forms.menu_button(ctx)]])]
