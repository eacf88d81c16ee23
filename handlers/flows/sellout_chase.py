"""A channel manager chasing sell-out reports: "哪几家还没报动销" lists the active dealers with no sell-out in the
period (this month unless another is said, a region when one is said), and "📣 提醒他们上报" tells them to report
(``core.services.sellout_chase``). Reached from ``handlers.flows.reports`` (the parser's topic ``not_reported``).

Buttons: ``sc.remind|<period>|<region>``; the use case checks the actor again and reads the list again.
"""

from __future__ import annotations

from core.errors import DomainError, PermissionDenied
from core.money import fmt_cny
from core.reports import PeriodPreset, is_period, period_label
from core.services.sellout_chase import dealers_without_sellout, own_rank, remind_sellout
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

SHOWN = 30

i18n.register({
    "sc.head": ("📋 {start} 至 {end} 还没有上报动销的经销商：{n} 家（共 {active} 家在营）",
                "📋 Dealers with no sell-out reported from {start} to {end}: {n} (of {active} active)"),
    "sc.head.region": ("📋 {region} {start} 至 {end} 还没有上报动销的经销商：{n} 家（共 {active} 家在营）",
                       "📋 {region}: dealers with no sell-out reported from {start} to {end}: {n} (of {active} active)"),
    "sc.line": ("• {code} {name}", "• {code} {name}"),
    "sc.more": ("……还有 {n} 家", "... and {n} more"),
    "sc.none": ("✅ {start} 至 {end} 所有在营经销商都已上报动销。", "✅ Every active dealer has reported sell-out from {start} to {end}."),
    "sc.btn.remind": ("📣 提醒他们上报", "📣 Remind them"),
    "sc.told": ("📣 已提醒 {n} 家经销商上报 {start} 至 {end} 的动销。", "📣 {n} dealers were asked to report their sell-out "
                "from {start} to {end}."),
    "sc.rank": ("🏅 {period}（{start} 至 {end}）您的动销 {amount}，在{region} {of} 家经销商中排第 {rank}。",
                "🏅 {period} ({start} to {end}): your sell-out is {amount}, number {rank} of {of} dealers in {region}."),
    "sc.rank.none": ("🏅 {period}（{start} 至 {end}）您还没有上报动销，在{region} {of} 家经销商中暂列第 {rank}。上报后即可看到名次。",
                     "🏅 {period} ({start} to {end}): no sell-out reported yet, so you are number {rank} of {of} dealers in "
                     "{region} for now. Report your sales to see your place."),
    "sc.btn.report": ("📈 销量上报", "📈 Report sales"),
    "sc.told.none": ("没有需要提醒的经销商（都已上报，或今天已提醒过）。",
                     "Nobody to remind (all have reported, or were reminded today)."),
})


async def silent(ctx: Ctx, period: PeriodPreset | str, region: str, ranking: Button) -> list[Reply]:
    """The list, with the reminder button when there is anyone to remind (and ``ranking``: the dealers' sell-out
    ranking of the same period, from ``handlers.flows.reports``)."""
    assert ctx.deps.reports is not None
    try:
        found = await dealers_without_sellout(ctx.deps.reports, ctx.actor, ctx.deps.clock, period=period,
                                              region=region or None)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    dates = {"start": f"{found.start:%m-%d}", "end": f"{found.end:%m-%d}"}
    if not found.dealers:
        return [Reply(text=ctx.t("sc.none", **dates), buttons=[[forms.menu_button(ctx)]])]
    head = ctx.t("sc.head.region" if region else "sc.head", region=region, n=len(found.dealers), active=found.active,
                 **dates)
    lines = [head, *(ctx.t("sc.line", code=d.code, name=d.name) for d in found.dealers[:SHOWN])]
    if len(found.dealers) > SHOWN:
        lines.append(ctx.t("sc.more", n=len(found.dealers) - SHOWN))
    return [Reply(text="\n".join(lines), buttons=[
        [Button(ctx.t("sc.btn.remind"), payload("sc.remind", str(period), region)),
         ranking],
        [forms.menu_button(ctx)]])]


async def own_place(ctx: Ctx, period: PeriodPreset | str) -> list[Reply]:
    """A dealer's own place by sell-out among its region's active dealers (``core.services.sellout_chase.own_rank``)."""
    assert ctx.deps.reports is not None
    try:
        place = await own_rank(ctx.uow(), ctx.deps.reports, ctx.actor, ctx.deps.clock, period=period)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    params = {"period": period_label(period, ctx.lang), "start": f"{place.start:%m-%d}", "end": f"{place.end:%m-%d}",
              "region": place.region or ctx.pick("全国", "the country"), "of": place.of, "rank": place.rank,
              "amount": fmt_cny(place.amount)}
    key = "sc.rank" if place.amount > 0 else "sc.rank.none"
    return [Reply(text=ctx.t(key, **params), buttons=[[Button(ctx.t("sc.btn.report"), payload("so.new")),
                                                        forms.menu_button(ctx)]])]


@router.button("sc.remind")
async def remind(ctx: Ctx) -> list[Reply]:
    if ctx.deps.reports is None or not ctx.is_staff:
        return [Reply(text=PermissionDenied().message(ctx.lang))]
    args = ctx.args
    period: PeriodPreset | str = args[0] if args and is_period(args[0]) else PeriodPreset.MONTH
    region = args[1] if len(args) > 1 else ""
    try:
        found, told = await remind_sellout(ctx.uow(), ctx.deps.reports, ctx.actor, ctx.deps.clock, period=period,
                                    region=region or None)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    if not told:
        return [Reply(text=ctx.t("sc.told.none"))]
    return [Reply(text=ctx.t("sc.told", n=told, start=f"{found.start:%m-%d}", end=f"{found.end:%m-%d}"))]
