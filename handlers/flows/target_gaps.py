"""The dealers under their target: "哪些经销商没完成目标", "哪几家没达标" (the parser's topic ``below_target``) list
the dealers with an amount target whose sell-in is under 100 % of it, lowest first, with their achievement
(``core.reports.below_target`` over the target report); none under: said so. Reached from
``handlers.flows.reports`` (was: the target report's top five, the opposite of what was asked).

Who may see it is the target report's own check (``core.services.reports.run_report``).
"""

from __future__ import annotations

from core.errors import DomainError
from core.money import fmt_cny
from core.reports import PeriodPreset, ReportKind, below_target, percent
from core.services.reports import MAX_ROWS, ReportQuery, run_report
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.messages import Button, Reply

SHOWN = 20

i18n.register({
    "tgap.head": ("📉 未完成目标的经销商：{n} 家（共 {of} 家有目标；截至 {end}，按各合同目标期累计，从低到高）",
                  "📉 Dealers under target: {n} (of {of} with a target; to {end}, over each contract target's window, "
                  "lowest first)"),
    "tgap.line": ("• {name}: {achievement} ({actual} / {target})", "• {name}: {achievement} ({actual} / {target})"),
    "tgap.more": ("……还有 {n} 家", "... and {n} more"),
    "tgap.none": ("✅ 截至 {end}，{of} 家有目标的经销商都已完成目标。",
                  "✅ To {end}, all {of} dealers with a target have met it."),
})


async def under_target(ctx: Ctx, period: PeriodPreset | str, region: str, ranking: Button) -> list[Reply]:
    """The list (``ranking``: the whole target report, lowest first, from ``handlers.flows.reports``)."""
    assert ctx.deps.reports is not None
    query = ReportQuery(ReportKind.TARGETS, period, region=region or None, limit=MAX_ROWS, lowest_first=True)
    try:
        report = await run_report(ctx.uow(), ctx.deps.reports, ctx.actor, query, ctx.deps.clock)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    end, of = report.filter.end.isoformat(), len(report.targets)
    under = below_target(report.targets)
    if not under:
        return [Reply(text=ctx.t("tgap.none", end=end, of=of), buttons=[[ranking, forms.menu_button(ctx)]])]
    lines = [ctx.t("tgap.head", n=len(under), of=of, end=end)]
    lines += [ctx.t("tgap.line", name=r.name, achievement=percent(r.achievement), actual=fmt_cny(r.actual),
                    target=fmt_cny(r.target)) for r in under[:SHOWN]]
    if len(under) > SHOWN:
        lines.append(ctx.t("tgap.more", n=len(under) - SHOWN))
    return [Reply(text="\n".join(lines), buttons=[[ranking], [forms.menu_button(ctx)]])]
