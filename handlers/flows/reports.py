"""Reports in chat: "本月销售怎么样" / ``/report`` answers with a short summary and a chart.

- staff (REPORT_READ_ALL, or ORDER_READ_ALL / SELLOUT_READ_ALL for their part) get the maker's sales
  (orders) by default, with buttons for sell-out, regions, products, dealers, frequency, targets, the
  period, an Excel export, and (REPORT_READ_ALL) the production-planning forecast;
- a dealer gets its own figures only (the use cases pin the filter to its dealer): its sell-out with its
  purchases, products, regions it sold into, and replenishment suggestions. Target and rebate questions
  ("离年度目标还差多少") go to the contract view of ``handlers.flows.account``.

Buttons carry ``1|rpt|<kind>|<period>[|<region>|<sku>]``; nothing in them is trusted: the use cases check
the actor again. Typed questions reach the same views (region, product and period slots of the parser,
plus a few cue words). Charts are drawn by ``analytics.charts`` in a worker thread.
"""

from __future__ import annotations

import asyncio
import re

from core.dealers import Dealer
from core.errors import DomainError
from core.money import fmt_cny
from core.reports import PERIOD_LABELS, PeriodPreset, Report, ReportKind, summary_lines
from core.services.reports import ReportQuery, production_plan, replenishment, report_scope, run_report
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import account, forms, orders, sellout_chase
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.numbers import parse_int
from nlu.schema import Intent
from nlu.staff_commands import dealer_code_in, dealer_words_in_sales_question

router = Router(name=__name__)

KINDS: dict[str, ReportKind] = {
    "os": ReportKind.ORDER_SUMMARY, "op": ReportKind.ORDER_PRODUCTS, "of": ReportKind.ORDER_FREQUENCY,
    "ss": ReportKind.SELLOUT_SUMMARY, "sr": ReportKind.SELLOUT_REGIONS, "sp": ReportKind.SELLOUT_PRODUCTS,
    "sd": ReportKind.SELLOUT_DEALERS, "tg": ReportKind.TARGETS,
}
CODES = {kind: code for code, kind in KINDS.items()}
PERIODS: dict[str, PeriodPreset] = {"m": PeriodPreset.MONTH, "lm": PeriodPreset.LAST_MONTH,
                                    "q": PeriodPreset.QUARTER, "y": PeriodPreset.YEAR, "12": PeriodPreset.LAST_12_MONTHS}
PERIOD_CODES = {p: c for c, p in PERIODS.items()}
# views that compare dealers: no button for them on one dealer's figures
_ALL_DEALERS = frozenset({ReportKind.SELLOUT_DEALERS, ReportKind.TARGETS, ReportKind.ORDER_FREQUENCY})
SLOT_PERIODS = {"this_month": PeriodPreset.MONTH, "last_month": PeriodPreset.LAST_MONTH,
                "this_quarter": PeriodPreset.QUARTER, "this_year": PeriodPreset.YEAR}
TARGET_WORDS = ("目标", "完成率", "达成", "返利", "返点", "kpi", "target", "rebate", "任务", "差多少")
# "哪个经销商完成率最低", "哪个经销商卖得最差" (the parser's ``ranking`` slot "lowest"): a ranking from the bottom
# (ordered so in the query, before its row limit); its buttons carry the kind's code with a "-" ("tg-", "sd-")
RANKINGS = frozenset({ReportKind.TARGETS, ReportKind.SELLOUT_DEALERS, ReportKind.SELLOUT_PRODUCTS,
                      ReportKind.ORDER_PRODUCTS, ReportKind.SELLOUT_REGIONS})
CUES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("补货", "备货建议", "该进多少", "replenish", "restock"), "replenish"),
    (("预测", "生产计划", "排产", "forecast", "production"), "forecast"),
    (("地区", "区域", "大区", "各区", "分区", "省份", "各省", "城市", "region", "province"), "sr"),
    (("经销商排名", "经销商排行", "哪家", "哪个经销商", "哪些经销商", "哪位经销商", "经销商谁", "谁卖得",
      "dealer ranking", "dealers", "which dealer", "best dealer", "top dealer"), "sd"),
    (("频次", "多久", "frequency"), "of"),
    (("产品", "型号", "排行", "卖得最好", "product"), "products"),
    (("动销", "终端", "零售", "sell-out", "sellout"), "ss"),
)
EXPORT_WORDS = ("excel", "导出", "表格", "xlsx", "报表发我", "发我一份")

i18n.register({
    "rpt.not_ready": ("报表服务尚未启用，请联系管理员。", "Reports are not set up yet; please ask the administrator."),
    "rpt.head": ("📊 {title}（{period}）", "📊 {title} ({period})"),
    "rpt.filters": ("筛选：{filters}", "Filters: {filters}"),
    "rpt.no_data": ("这段时间还没有数据。", "No figures for this period yet."),
    "rpt.dealer_purchases": ("本期进货：{amount}（{orders} 单）", "Purchases this period: {amount} ({orders} orders)"),
    "rpt.which_dealer": ("您说的是哪一家经销商？", "Which dealer do you mean?"),
    "rpt.btn.orders": ("🧾 订单", "🧾 Orders"),
    "rpt.btn.sellout": ("📈 动销", "📈 Sell-out"),
    "rpt.btn.regions": ("🗺 地区", "🗺 Regions"),
    "rpt.btn.products": ("📦 产品", "📦 Products"),
    "rpt.btn.dealers": ("🏪 经销商", "🏪 Dealers"),
    "rpt.btn.frequency": ("🔁 订货频次", "🔁 Frequency"),
    "rpt.btn.targets": ("🎯 目标达成", "🎯 Targets"),
    "rpt.btn.excel": ("📥 导出 Excel", "📥 Excel"),
    "rpt.btn.forecast": ("🔮 需求预测", "🔮 Forecast"),
    "rpt.btn.replenish": ("🛒 补货建议", "🛒 Restock advice"),
    "rpt.excel": ("📥 {title}（{period}）Excel 报表", "📥 {title} ({period}) as Excel"),
    "rpt.plan.head": ("🔮 未来3个月需求预测 vs 成品库存（{method}）", "🔮 Next 3 months' forecast vs stock ({method})"),
    "rpt.plan.row": ("• {sku}：需求 {demand}，可用 {available}{gap}", "• {sku}: demand {demand}, available {available}{gap}"),
    "rpt.plan.gap": ("，缺口 {n} ⚠️", ", short {n} ⚠️"),
    "rpt.plan.none": ("没有可预测的产品。", "No products to forecast."),
    "rpt.rep.head": ("🛒 补货建议（按预测动销，交货期+补货周期 {days} 天）", "🛒 Restock advice (forecast sell-out over {days} days)"),
    "rpt.rep.row": ("• {sku}：预计需要 {demand}，库存 {stock} → 建议订 {n}",
                    "• {sku}: expected {demand}, in stock {stock} → order {n}"),
    "rpt.rep.ok": ("• {sku}：库存 {stock} 够用（预计 {demand}）", "• {sku}: stock {stock} is enough (expected {demand})"),
    "rpt.rep.none": ("还没有足够的动销数据来给出补货建议，请先上报销量。",
                     "Not enough reported sales for advice yet; please report your sales first."),
    "rpt.rep.order": ("🛒 按建议下单", "🛒 Order the suggestion"),
})


def _ready(ctx: Ctx) -> list[Reply] | None:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if ctx.deps.reports is None:
        return [Reply(text=ctx.t("rpt.not_ready"))]
    return None


def _may(ctx: Ctx, kind: ReportKind) -> bool:
    try:
        report_scope(ctx.actor, kind)
    except DomainError:
        return False
    return True


def _default_kind(ctx: Ctx) -> ReportKind:
    if ctx.is_dealer or not _may(ctx, ReportKind.ORDER_SUMMARY):
        return ReportKind.SELLOUT_SUMMARY
    return ReportKind.ORDER_SUMMARY


def _button(ctx: Ctx, key: str, action: str, *args: str) -> Button:
    return Button(ctx.t(key), payload(action, *args))


def _view_args(kind: ReportKind, period: PeriodPreset, region: str, sku: str, lowest: bool = False,
               dealer: str = "") -> list[str]:
    args = [CODES[kind] + ("-" if lowest and kind in RANKINGS else ""), PERIOD_CODES[period]]
    if region or sku or dealer:
        args += [region, sku]
    if dealer:          # one dealer's figures ("D0003动销怎么样"): its code, checked again when pressed
        args.append(dealer)
    return args


def _buttons(ctx: Ctx, report: Report, period: PeriodPreset, region: str, sku: str,
             dealer: str = "") -> list[list[Button]]:
    def view(key: str, kind: ReportKind) -> Button | None:
        if kind == report.kind or not _may(ctx, kind) or (dealer and kind in _ALL_DEALERS):
            return None
        return _button(ctx, key, "rpt", *_view_args(kind, period, region, sku, dealer=dealer))

    views = [view("rpt.btn.orders", ReportKind.ORDER_SUMMARY), view("rpt.btn.sellout", ReportKind.SELLOUT_SUMMARY),
             view("rpt.btn.regions", ReportKind.SELLOUT_REGIONS),
             view("rpt.btn.products", ReportKind.SELLOUT_PRODUCTS if report.kind.is_sellout
                  else ReportKind.ORDER_PRODUCTS)]
    if not ctx.is_dealer:
        views += [view("rpt.btn.dealers", ReportKind.SELLOUT_DEALERS),
                  view("rpt.btn.frequency", ReportKind.ORDER_FREQUENCY),
                  view("rpt.btn.targets", ReportKind.TARGETS)]
    shown = [b for b in views if b is not None]
    rows = [shown[i:i + 3] for i in range(0, len(shown), 3)]
    periods = [Button(ctx.pick(*PERIOD_LABELS[p]) + (" ✓" if p == period else ""),
                      payload("rpt", *_view_args(report.kind, p, region, sku, report.lowest_first, dealer)))
               for p in PeriodPreset]
    rows += [periods[:3], periods[3:]]
    extra = [_button(ctx, "rpt.btn.excel", "rpt.x",
                     *_view_args(report.kind, period, region, sku, report.lowest_first, dealer))]
    if ctx.is_dealer:
        extra.append(_button(ctx, "rpt.btn.replenish", "rpt.rep"))
    elif Permission.REPORT_READ_ALL in ctx.actor.permissions:
        extra.append(_button(ctx, "rpt.btn.forecast", "rpt.fc"))
    rows.append(extra)
    return rows


async def _named_dealer(ctx: Ctx, code: str) -> Dealer | None:
    """The dealer of ``code`` as staff name it in a report ("D0003动销怎么样"); None when there is none."""
    if not code or ctx.is_dealer:
        return None
    found = [d for d in await forms.dealers_by_words(ctx, code, limit=2) if d.code.upper() == code.upper()]
    return found[0] if len(found) == 1 and found[0].id is not None else None


async def _report(ctx: Ctx, kind: ReportKind, period: PeriodPreset, region: str = "", sku: str = "",
                  lowest: bool = False, dealer: Dealer | None = None, limit: int = 10) -> Report:
    assert ctx.deps.reports is not None
    query = ReportQuery(kind, period, region=region or None, sku=sku or None, limit=limit, lowest_first=lowest,
                        dealer_id=dealer.id if dealer is not None else None)
    return await run_report(ctx.uow(), ctx.deps.reports, ctx.actor, query, ctx.deps.clock)


# "前十", "前20名", "top 10": how many of the ranking to list (the summary's five otherwise)
_TOP_SAID = re.compile(r"前\s*(\d{1,3}|[一二三四五六七八九十百]{1,4})\s*(?:名|位|家|个)?|top\s*(\d{1,2})", re.IGNORECASE)
DEFAULT_TOP, MAX_TOP = 5, 20


def _top_said(text: str) -> int:
    m = _TOP_SAID.search(text)
    n = parse_int(m.group(1) or m.group(2)) if m else None
    return max(1, min(MAX_TOP, n)) if n else DEFAULT_TOP


async def show(ctx: Ctx, kind: ReportKind, period: PeriodPreset, region: str = "", sku: str = "",
               lowest: bool = False, dealer_code: str = "", *, excel: bool = False,
               top: int = DEFAULT_TOP) -> list[Reply]:
    dealer = await _named_dealer(ctx, dealer_code)
    if dealer_code and dealer is None and not ctx.is_dealer:
        return [Reply(text=ctx.t("acct.staff.no_dealer", code=dealer_code))]
    if dealer is not None and kind in _ALL_DEALERS:
        kind = ReportKind.SELLOUT_SUMMARY
    report = await _report(ctx, kind, period, region, sku, lowest, dealer, limit=max(10, top))
    title, label = report.title(ctx.lang), ctx.pick(*PERIOD_LABELS[period])
    lines = [ctx.t("rpt.head", title=title, period=label)]
    named = f"{dealer.code} {dealer.name}" if dealer is not None else ""
    if region or sku or named:
        lines.append(ctx.t("rpt.filters", filters=" · ".join(v for v in (named, region, sku) if v)))
    empty = report.totals.count == 0 and not report.targets
    lines += [ctx.t("rpt.no_data")] if empty else summary_lines(report, ctx.lang, top=top)
    if (ctx.is_dealer or dealer is not None) and kind == ReportKind.SELLOUT_SUMMARY:
        bought = await _report(ctx, ReportKind.ORDER_PRODUCTS, period, region, sku, dealer=dealer)
        lines.append(ctx.t("rpt.dealer_purchases", amount=fmt_cny(bought.totals.amount), orders=bought.totals.count))
    from analytics.charts import report_chart

    image = None if empty else await asyncio.to_thread(report_chart, report, ctx.lang)
    replies = [Reply(text="\n".join(lines), image=image, image_name=f"report-{CODES[kind]}.png" if image else "",
                     buttons=_buttons(ctx, report, period, region, sku, named.split(" ")[0]))]
    if excel:
        replies.append(await _excel(ctx, report, label))
    return replies


async def _excel(ctx: Ctx, report: Report, label: str) -> Reply:
    from analytics.export import report_workbook

    data = await asyncio.to_thread(report_workbook, report, ctx.lang)
    name = f"{CODES[report.kind]}-{report.filter.start:%Y%m%d}-{report.filter.end:%Y%m%d}.xlsx"
    return Reply(text=ctx.t("rpt.excel", title=report.title(ctx.lang), period=label), file=data, file_name=name)


def _args(ctx: Ctx) -> tuple[ReportKind, PeriodPreset, str, str, bool, str]:
    """The view a button names; a malformed one falls back to the default view (it is never trusted anyway)."""
    args = ctx.args + ["", "", "", "", ""]
    kind = KINDS.get(args[0].removesuffix("-")) or _default_kind(ctx)
    lowest = args[0].endswith("-") and kind in RANKINGS
    period = PERIODS.get(args[1], PeriodPreset.MONTH)
    return kind, period, args[2][:16], args[3][:32], lowest, args[4][:12]


# --- entry points -----------------------------------------------------------------------------------

@router.command("report", "reports")
@router.button("rpt.menu")
async def menu(ctx: Ctx) -> list[Reply]:
    refused = _ready(ctx)
    if refused is not None:
        return refused
    return await show(ctx, _default_kind(ctx), PeriodPreset.MONTH)


@router.button("rpt")
async def view(ctx: Ctx) -> list[Reply]:
    refused = _ready(ctx)
    if refused is not None:
        return refused
    return await show(ctx, *_args(ctx))


@router.button("rpt.x")
async def export(ctx: Ctx) -> list[Reply]:
    refused = _ready(ctx)
    if refused is not None:
        return refused
    kind, period, region, sku, lowest, code = _args(ctx)
    dealer = await _named_dealer(ctx, code)
    report = await _report(ctx, kind, period, region, sku, lowest, dealer)
    return [await _excel(ctx, report, ctx.pick(*PERIOD_LABELS[period]))]


@router.intent(Intent.SALES_QUERY)
async def sales_query(ctx: Ctx) -> list[Reply]:
    """Typed questions: period, region and product from the parser, the view from cue words."""
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if ctx.parsed is not None and ctx.parsed.slots.topic == "count":
        return await orders.order_counts_reply(ctx)      # "这周下了多少单": a count of orders, not a sales report
    text = ctx.inbound.text.lower()
    if (ctx.is_dealer or dealer_code_in(text) is not None) and any(w in text for w in TARGET_WORDS):
        return await account.account_intent(ctx)     # a dealer's own, or staff naming one ("D0001今年目标完成多少了")
    refused = _ready(ctx)
    if refused is not None:
        return refused
    slots = ctx.parsed.slots if ctx.parsed is not None else None
    period = SLOT_PERIODS.get(slots.period or "", PeriodPreset.MONTH) if slots else PeriodPreset.MONTH
    region = (slots.region or "") if slots and not ctx.is_dealer else ""
    sku = (slots.product or "") if slots else ""
    if ctx.is_dealer and slots is not None and slots.topic == "own_rank":
        return await sellout_chase.own_place(ctx, period)          # "我在区域里排第几": its place, nobody else's
    if ctx.is_staff and slots is not None and slots.topic == "not_reported":
        return await sellout_chase.silent(      # "哪几家还没报动销": who to chase
            ctx, period, region, _button(ctx, "rpt.btn.dealers", "rpt", "sd-", PERIOD_CODES[period]))
    cue = next((c for words, c in CUES if any(w in text for w in words)), "")
    ranking = slots.ranking if slots else None
    if cue in ("", "ss") and not ctx.is_dealer and any(w in text for w in ("经销商", "dealer")) and ranking:
        cue = "sd"      # "动销最少的经销商", "卖得最多的经销商": the dealers ranked, not the month's overview
    if cue == "replenish":
        return await replenish(ctx)
    if cue == "forecast" and not ctx.is_dealer:
        return await forecast(ctx)
    if any(w in text for w in TARGET_WORDS) and _may(ctx, ReportKind.TARGETS):
        kind = ReportKind.TARGETS
    elif cue == "products":
        kind = ReportKind.ORDER_PRODUCTS if _default_kind(ctx).is_orders else ReportKind.SELLOUT_PRODUCTS
    elif cue in KINDS and not (ctx.is_dealer and cue in ("sd", "of")):
        kind = KINDS[cue]
    else:
        kind = _default_kind(ctx)
    if not _may(ctx, kind):
        kind = _default_kind(ctx)
    lowest = kind in RANKINGS and ranking == "lowest"
    code = (dealer_code_in(text) or "") if ctx.is_staff else ""     # "D0003动销怎么样": that dealer's figures
    if ctx.is_staff and not code and (words := dealer_words_in_sales_question(ctx.inbound.text)) is not None:
        named = await forms.dealers_by_words(ctx, words, limit=6)   # "嘉禾这个月卖得怎么样": that dealer's, by name
        if len(named) > 1:
            return _which_dealer(ctx, named, kind, period, region, sku)
        code = named[0].code if named else ""
    if code and kind in _ALL_DEALERS:
        kind = ReportKind.SELLOUT_SUMMARY if kind.is_sellout else _default_kind(ctx)
    return await show(ctx, kind, period, region, sku, lowest, code, excel=any(w in text for w in EXPORT_WORDS),
                      top=_top_said(text))


def _which_dealer(ctx: Ctx, named: list[Dealer], kind: ReportKind, period: PeriodPreset, region: str,
                  sku: str) -> list[Reply]:
    """Several dealers fit the words: a button each, to that dealer's figures."""
    kind = ReportKind.SELLOUT_SUMMARY if kind.is_sellout or kind in _ALL_DEALERS else kind
    return [Reply(text=ctx.t("rpt.which_dealer"), buttons=[
        [Button(f"{d.code} {d.name}", payload("rpt", *_view_args(kind, period, region, sku, dealer=d.code)))]
        for d in named] + [[forms.menu_button(ctx)]])]


# --- forecasts --------------------------------------------------------------------------------------

@router.button("rpt.fc")
async def forecast(ctx: Ctx) -> list[Reply]:
    """Production planning for staff with REPORT_READ_ALL: next 3 months' demand per SKU vs maker stock."""
    refused = _ready(ctx)
    if refused is not None:
        return refused
    assert ctx.deps.reports is not None
    plan = await production_plan(ctx.uow(), ctx.deps.reports, ctx.actor, ctx.deps.clock,
                                 forecaster=ctx.deps.forecaster)
    if not plan:
        return [Reply(text=ctx.t("rpt.plan.none"))]
    lines = [ctx.t("rpt.plan.head", method=plan[0].method)]
    for row in plan[:8]:
        gap = ctx.t("rpt.plan.gap", n=row.shortfall) if row.shortfall else ""
        lines.append(ctx.t("rpt.plan.row", sku=row.sku, demand=row.total, available=row.available, gap=gap))
    from analytics.charts import production_chart
    from analytics.export import production_workbook

    title = ctx.pick("未来3个月预测需求 vs 可用库存", "Forecast demand (3 months) vs available stock")
    image = await asyncio.to_thread(production_chart, [r.sku for r in plan], [r.total for r in plan],
                                    [r.available for r in plan], title, ctx.lang)
    data = await asyncio.to_thread(production_workbook, plan, ctx.lang)
    return [Reply(text="\n".join(lines), image=image, image_name="production-plan.png",
                  buttons=[[_button(ctx, "rpt.btn.orders", "rpt.menu")]]),
            Reply(text=ctx.t("rpt.excel", title=title, period=", ".join(plan[0].months)), file=data,
                  file_name=f"production-plan-{plan[0].months[0]}.xlsx")]


@router.button("rpt.rep")
async def replenish(ctx: Ctx) -> list[Reply]:
    """A dealer's restock advice from its forecast sell-out, its stock and the lead time."""
    refused = _ready(ctx)
    if refused is not None:
        return refused
    if not ctx.is_dealer or ctx.actor.dealer_id is None:
        return await menu(ctx)
    assert ctx.deps.reports is not None
    advice = await replenishment(ctx.uow(), ctx.deps.reports, ctx.actor, ctx.actor.dealer_id, ctx.deps.clock,
                                 forecaster=ctx.deps.forecaster)
    if not advice:
        return [Reply(text=ctx.t("rpt.rep.none"))]
    lines = [ctx.t("rpt.rep.head", days=advice[0].cover_days)]
    for a in advice[:10]:
        key = "rpt.rep.row" if a.suggested else "rpt.rep.ok"
        lines.append(ctx.t(key, sku=a.sku, demand=a.demand, stock=a.stock, n=a.suggested))
    buttons = [[_button(ctx, "rpt.btn.sellout", "rpt", "ss", "m")]]
    wanted = [a for a in advice if a.suggested][:3]
    if wanted:
        text = " ".join(f"{a.sku} {a.suggested}" for a in wanted)
        buttons.insert(0, [Button(ctx.t("rpt.rep.order"), payload("order.new"))])
        lines.append(ctx.pick(f"可直接回复：{text}", f"You can reply: {text}"))
    return [Reply(text="\n".join(lines), buttons=buttons)]
