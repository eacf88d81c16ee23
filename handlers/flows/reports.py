"""Reports in chat: "本月销售怎么样" / ``/report`` answers with a short summary and a chart.

- staff (REPORT_READ_ALL, or ORDER_READ_ALL / SELLOUT_READ_ALL for their part) get the maker's sales
  (orders) by default, with buttons for sell-out, regions, products, dealers, frequency, targets, the
  period, an Excel export, and (REPORT_READ_ALL) the production-planning forecast;
- a dealer gets its own figures only (the use cases pin the filter to its dealer): its sell-out with its
  purchases, products, regions it sold into, and replenishment suggestions. Target and rebate questions
  ("离年度目标还差多少") go to the contract view of ``handlers.flows.account``.

Buttons carry ``1|rpt|<kind>|<period>[|<region>|<sku>]``, the period a short code of a preset ("m", "y") or a
code that carries its dates ("2026Q3", "2025", "202611": ``core.reports.period_range``); nothing in them is
trusted: the use cases check the actor again. Typed questions reach the same views (region, product, period,
comparison, split and measure slots of the parser, plus a few cue words). A period said that the parser did not
understand is said back, never answered with another period. A question that names no period or measure ("按大区
看看", "跟去年比呢") follows the report shown just before (``FOLLOW_MINUTES``): its period and measure are kept,
only the view changes. Charts are drawn by ``analytics.charts`` in a worker thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import Any

from core.dealers import Dealer
from core.errors import DomainError, ValidationFailed
from core.money import fmt_cny
from core.reports import (
    Dimension,
    PeriodPreset,
    Report,
    ReportKind,
    is_period,
    period_label,
    period_said,
    split_trend,
    summary_lines,
)
from core.services.reports import ReportQuery, production_plan, replenishment, report_scope, run_report
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import account, followups, forms, orders, sellout_chase, target_gaps
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.report_periods import top_said
from nlu.schema import Intent
from nlu.staff_commands import dealer_code_in, dealer_words_in_sales_question, repairs_counted

router = Router(name=__name__)

KINDS: dict[str, ReportKind] = {
    "os": ReportKind.ORDER_SUMMARY, "op": ReportKind.ORDER_PRODUCTS, "of": ReportKind.ORDER_FREQUENCY,
    "or": ReportKind.ORDER_REGIONS, "od": ReportKind.ORDER_DEALERS,
    "ss": ReportKind.SELLOUT_SUMMARY, "sr": ReportKind.SELLOUT_REGIONS, "sp": ReportKind.SELLOUT_PRODUCTS,
    "sd": ReportKind.SELLOUT_DEALERS, "tg": ReportKind.TARGETS,
}
CODES = {kind: code for code, kind in KINDS.items()}
# a regions view grouped otherwise than its kind's default (sell-out by province, orders by the dealers' region)
AREA_CODES: dict[str, tuple[ReportKind, Dimension]] = {
    "sg": (ReportKind.SELLOUT_REGIONS, Dimension.REGION), "sc": (ReportKind.SELLOUT_REGIONS, Dimension.CITY),
    "ov": (ReportKind.ORDER_REGIONS, Dimension.PROVINCE), "oc": (ReportKind.ORDER_REGIONS, Dimension.CITY)}
AREAS = {"region": Dimension.REGION, "province": Dimension.PROVINCE, "city": Dimension.CITY}
PERIODS: dict[str, PeriodPreset] = {"m": PeriodPreset.MONTH, "lm": PeriodPreset.LAST_MONTH,
                                    "q": PeriodPreset.QUARTER, "y": PeriodPreset.YEAR, "12": PeriodPreset.LAST_12_MONTHS}
PERIOD_CODES: dict[str, str] = {p.value: c for c, p in PERIODS.items()}
BUTTON_PERIODS = tuple(PERIODS.values())        # the period buttons under a report
FOLLOW_MINUTES = 30     # how long a report shown is what "按大区看看" / "跟去年比呢" follows
# views that compare dealers: no button for them on one dealer's figures
_ALL_DEALERS = frozenset({ReportKind.SELLOUT_DEALERS, ReportKind.ORDER_DEALERS, ReportKind.TARGETS,
                          ReportKind.ORDER_FREQUENCY})
TARGET_WORDS = ("目标", "完成率", "达成", "返利", "返点", "kpi", "target", "rebate", "任务", "差多少")
# "哪个经销商完成率最低", "哪个经销商卖得最差" (the parser's ``ranking`` slot "lowest"): a ranking from the bottom
# (ordered so in the query, before its row limit); its buttons carry the kind's code with a "-" ("tg-", "sd-")
RANKINGS = frozenset({ReportKind.TARGETS, ReportKind.SELLOUT_DEALERS, ReportKind.SELLOUT_PRODUCTS,
                      ReportKind.ORDER_PRODUCTS, ReportKind.SELLOUT_REGIONS, ReportKind.ORDER_DEALERS,
                      ReportKind.ORDER_REGIONS})
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
    # a target is met over its contract's window (a year, a quarter), not the period asked: the day it is measured to
    "rpt.targets_as_of": ("截至 {end}，按各合同目标期累计", "to {end}, over each contract target's own window"),
    "rpt.filters": ("筛选：{filters}", "Filters: {filters}"),
    "rpt.no_data": ("这段时间还没有数据。", "No figures for this period yet."),
    "rpt.dealer_purchases": ("本期进货：{amount}（{orders} 单）", "Purchases this period: {amount} ({orders} orders)"),
    "rpt.which_dealer": ("您说的是哪一家经销商？", "Which dealer do you mean?"),
    "rpt.period_unknown": ("没有听懂时间段“{words}”。可以说：今天、昨天、本周、上周、本月、上月、11月、本季度、上季度、Q1～Q4、"
                           "今年、去年、近12个月，或点下面的按钮：",
                           "I did not understand the period \"{words}\". Say today, yesterday, this/last week, this/last "
                           "month, November, this/last quarter, Q1-Q4, this/last year, last 12 months, or tap:"),
    "rpt.split.quarter": ("按季度：", "By quarter:"),
    "rpt.split.month": ("按月：", "By month:"),
    "rpt.split.row": ("• {label} {amount} · {count} {unit}", "• {label} {amount} · {count} {unit}"),
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
    "rpt.plan.one": ("🔮 {sku} {name}：{when} 预测需求 {demand}，当前可用库存 {available}（{method}）",
                     "🔮 {sku} {name}: forecast demand {demand} for {when}, available stock {available} ({method})"),
    "rpt.plan.enough": ("，库存够用。", "; stock covers it."),
    "rpt.plan.none": ("没有可预测的产品。", "No products to forecast."),
    "rpt.rep.head": ("🛒 补货建议（按预测动销，交货期+补货周期 {days} 天）", "🛒 Restock advice (forecast sell-out over {days} days)"),
    "rpt.rep.row": ("• {sku}：预计需要 {demand}，库存 {stock} → 建议订 {n}",
                    "• {sku}: expected {demand}, in stock {stock} → order {n}"),
    "rpt.rep.ok": ("• {sku}：库存 {stock} 够用（预计 {demand}）", "• {sku}: stock {stock} is enough (expected {demand})"),
    "rpt.rep.none": ("还没有足够的动销数据来给出补货建议，请先上报销量。",
                     "Not enough reported sales for advice yet; please report your sales first."),
    "rpt.rep.no_sku": ("{sku} 还没有足够的动销数据来预测，请先上报它的销量。",
                       "Not enough sell-out of {sku} yet to forecast it; report its sales first."),
    "rpt.btn.rep_all": ("🛒 全部产品的补货建议", "🛒 Advice for every product"),
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


def default_kind(ctx: Ctx) -> ReportKind:
    """The report a person gets when none is named (another flow showing one dealer's figures)."""
    return _default_kind(ctx)


def _button(ctx: Ctx, key: str, action: str, *args: str) -> Button:
    return Button(ctx.t(key), payload(action, *args))


@dataclass(frozen=True)
class View:
    """One report as a button or a remembered question names it."""

    kind: ReportKind
    period: str = PeriodPreset.MONTH.value          # a preset's value or a code (``core.reports.period_range``)
    region: str = ""
    sku: str = ""
    lowest: bool = False
    dealer: str = ""                                # one dealer's figures: its code
    dimension: Dimension | None = None              # a regions view grouped otherwise than by default

    def args(self) -> list[str]:
        code = next((c for c, (k, d) in AREA_CODES.items() if k == self.kind and d == self.dimension),
                    CODES[self.kind])
        args = [code + ("-" if self.lowest and self.kind in RANKINGS else ""),
                PERIOD_CODES.get(self.period, self.period)]
        if self.region or self.sku or self.dealer:
            args += [self.region, self.sku]
        if self.dealer:     # one dealer's figures ("D0003动销怎么样"): its code, checked again when pressed
            args.append(self.dealer)
        return args

    def to(self, kind: ReportKind, **changes: Any) -> View:
        return replace(self, kind=kind, lowest=False, dimension=None, **changes)


def _buttons(ctx: Ctx, report: Report, here: View) -> list[list[Button]]:
    def view(key: str, kind: ReportKind) -> Button | None:
        if kind == report.kind or not _may(ctx, kind) or (here.dealer and kind in _ALL_DEALERS):
            return None
        return _button(ctx, key, "rpt", *here.to(kind).args())

    orders = report.kind.is_orders and not ctx.is_dealer
    views = [view("rpt.btn.orders", ReportKind.ORDER_SUMMARY), view("rpt.btn.sellout", ReportKind.SELLOUT_SUMMARY),
             view("rpt.btn.regions", ReportKind.ORDER_REGIONS if orders else ReportKind.SELLOUT_REGIONS),
             view("rpt.btn.products", ReportKind.SELLOUT_PRODUCTS if report.kind.is_sellout
                  else ReportKind.ORDER_PRODUCTS)]
    if not ctx.is_dealer:
        views += [view("rpt.btn.dealers", ReportKind.ORDER_DEALERS if orders else ReportKind.SELLOUT_DEALERS),
                  view("rpt.btn.frequency", ReportKind.ORDER_FREQUENCY),
                  view("rpt.btn.targets", ReportKind.TARGETS)]
    shown = [b for b in views if b is not None]
    rows = [shown[i:i + 3] for i in range(0, len(shown), 3)]
    rows += _period_rows(ctx, here)
    extra = [_button(ctx, "rpt.btn.excel", "rpt.x", *here.args())]
    if ctx.is_dealer:
        extra.append(_button(ctx, "rpt.btn.replenish", "rpt.rep"))
    elif Permission.REPORT_READ_ALL in ctx.actor.permissions:
        extra.append(_button(ctx, "rpt.btn.forecast", "rpt.fc"))
    rows.append(extra)
    return rows


def _period_rows(ctx: Ctx, here: View) -> list[list[Button]]:
    periods = [Button(period_label(p, ctx.lang) + (" ✓" if p.value == here.period else ""),
                      payload("rpt", *replace(here, period=p.value).args()))
               for p in BUTTON_PERIODS]
    return [periods[:3], periods[3:]]


async def _named_dealer(ctx: Ctx, code: str) -> Dealer | None:
    """The dealer of ``code`` as staff name it in a report ("D0003动销怎么样"); None when there is none."""
    if not code or ctx.is_dealer:
        return None
    found = [d for d in await forms.dealers_by_words(ctx, code, limit=2) if d.code.upper() == code.upper()]
    return found[0] if len(found) == 1 and found[0].id is not None else None


async def _report(ctx: Ctx, view: View, dealer: Dealer | None = None, limit: int = 10) -> Report:
    assert ctx.deps.reports is not None
    query = ReportQuery(view.kind, view.period, region=view.region or None, sku=view.sku or None, limit=limit,
                        lowest_first=view.lowest, dealer_id=dealer.id if dealer is not None else None,
                        dimension=view.dimension)
    return await run_report(ctx.uow(), ctx.deps.reports, ctx.actor, query, ctx.deps.clock)


DEFAULT_TOP, MAX_TOP = 5, 20


def _top_said(text: str) -> int:
    """How many of the ranking to list ("前十", "top 10"; ``nlu.report_periods.top_said``), the summary's five
    otherwise."""
    n = top_said(text)
    return max(1, min(MAX_TOP, n)) if n else DEFAULT_TOP


async def show(ctx: Ctx, view: View, *, excel: bool = False, top: int = DEFAULT_TOP,
               split: str | None = None) -> list[Reply]:
    dealer = await _named_dealer(ctx, view.dealer)
    if view.dealer and dealer is None and not ctx.is_dealer:
        return [Reply(text=ctx.t("acct.staff.no_dealer", code=view.dealer))]
    if dealer is not None and view.kind in _ALL_DEALERS:
        view = view.to(ReportKind.SELLOUT_SUMMARY)
    try:
        report = await _report(ctx, view, dealer, limit=max(10, top))
    except ValidationFailed as exc:     # a period still to come, a code that names none: said, nothing else shown
        return [Reply(text=exc.message(ctx.lang), buttons=_period_rows(ctx, view))]
    title, label = report.title(ctx.lang), period_label(view.period, ctx.lang)
    if view.kind == ReportKind.TARGETS:      # "目标达成（本月）" read as this month's target (was: the year's to date)
        label = ctx.t("rpt.targets_as_of", end=report.filter.end.isoformat())
    lines = [ctx.t("rpt.head", title=title, period=label)]
    named = f"{dealer.code} {dealer.name}" if dealer is not None else ""
    if region_or_sku := [v for v in (named, view.region, view.sku) if v]:
        lines.append(ctx.t("rpt.filters", filters=" · ".join(region_or_sku)))
    empty = report.totals.count == 0 and not report.targets
    lines += [ctx.t("rpt.no_data")] if empty else summary_lines(report, ctx.lang, top=top)
    if split in ("quarter", "month") and report.trend and not empty:
        lines += _split_lines(ctx, report, split)
    if (ctx.is_dealer or dealer is not None) and view.kind == ReportKind.SELLOUT_SUMMARY:
        bought = await _report(ctx, view.to(ReportKind.ORDER_PRODUCTS), dealer)
        lines.append(ctx.t("rpt.dealer_purchases", amount=fmt_cny(bought.totals.amount), orders=bought.totals.count))
    from analytics.charts import report_chart

    image = None if empty else await asyncio.to_thread(report_chart, report, ctx.lang)
    here = replace(view, dealer=named.split(" ")[0])
    _remember(ctx, here)
    replies = [Reply(text="\n".join(lines), image=image, image_name=f"report-{CODES[view.kind]}.png" if image else "",
                     buttons=_buttons(ctx, report, here))]
    if excel:
        replies.append(await _excel(ctx, report, label))
    return replies


def _split_lines(ctx: Ctx, report: Report, split: str) -> list[str]:
    """"各季度" / "每个月": the period's quarters or months with their amount and count."""
    unit = ctx.pick("单", "orders") if report.kind.is_orders else ctx.pick("行", "lines")
    return [ctx.t(f"rpt.split.{split}")] + [
        ctx.t("rpt.split.row", label=part.label, amount=fmt_cny(part.amount), count=part.count, unit=unit)
        for part in split_trend(report, split, ctx.lang)]


def _remember(ctx: Ctx, view: View) -> None:
    """The report just shown, for a question that follows it ("按大区看看", "跟去年比呢"); not inside a form."""
    if ctx.dialog.state:
        return
    minute = int(ctx.deps.clock.now().timestamp() // 60)
    kept = ctx.dialog.data.get("report")
    args = view.args()
    if not isinstance(kept, dict) or kept.get("view") != args or minute - int(kept.get("at", 0)) >= 10:
        ctx.dialog.data["report"] = {"view": args, "at": minute}


def _followed(ctx: Ctx) -> View | None:
    """The report shown in the last ``FOLLOW_MINUTES`` minutes, if any."""
    kept = ctx.dialog.data.get("report")
    if not isinstance(kept, dict) or not isinstance(kept.get("view"), list):
        return None
    if int(ctx.deps.clock.now().timestamp() // 60) - int(kept.get("at", 0)) > FOLLOW_MINUTES:
        return None
    return _view_of(ctx, [str(a) for a in kept["view"]])


async def _excel(ctx: Ctx, report: Report, label: str) -> Reply:
    from analytics.export import report_workbook

    data = await asyncio.to_thread(report_workbook, report, ctx.lang)
    name = f"{CODES[report.kind]}-{report.filter.start:%Y%m%d}-{report.filter.end:%Y%m%d}.xlsx"
    return Reply(text=ctx.t("rpt.excel", title=report.title(ctx.lang), period=label), file=data, file_name=name)


def _period_of(arg: str) -> str | None:
    """A period as a button carries it (a preset's short code, a preset, a code with its dates), else None."""
    preset = PERIODS.get(arg)
    if preset is not None:
        return preset.value
    return arg if arg and len(arg) <= 16 and is_period(arg) else None


def _view_of(ctx: Ctx, raw: list[str]) -> View | None:
    """The view a button names; None when its period is none (never trusted anyway: the use cases check)."""
    args = raw + ["", "", "", "", ""]
    code = args[0].removesuffix("-")
    kind, dimension = AREA_CODES.get(code, (KINDS.get(code) or _default_kind(ctx), None))
    period = _period_of(args[1]) if args[1] else PeriodPreset.MONTH.value
    if period is None:
        return None
    return View(kind, period, args[2][:16], args[3][:32], args[0].endswith("-") and kind in RANKINGS, args[4][:12],
                dimension)


def _bad_period(ctx: Ctx, words: str, view: View) -> list[Reply]:
    return [Reply(text=ctx.t("rpt.period_unknown", words=words[:24]), buttons=_period_rows(ctx, view))]


# --- entry points -----------------------------------------------------------------------------------

@router.command("report", "reports")
@router.button("rpt.menu")
async def menu(ctx: Ctx) -> list[Reply]:
    refused = _ready(ctx)
    if refused is not None:
        return refused
    return await show(ctx, View(_default_kind(ctx)))


@router.button("rpt")
async def view(ctx: Ctx) -> list[Reply]:
    refused = _ready(ctx)
    if refused is not None:
        return refused
    pressed = _view_of(ctx, ctx.args)
    if pressed is None:
        return _bad_period(ctx, ctx.args[1] if len(ctx.args) > 1 else "", View(_default_kind(ctx)))
    return await show(ctx, pressed)


@router.button("rpt.x")
async def export(ctx: Ctx) -> list[Reply]:
    refused = _ready(ctx)
    if refused is not None:
        return refused
    pressed = _view_of(ctx, ctx.args)
    if pressed is None:
        return _bad_period(ctx, ctx.args[1] if len(ctx.args) > 1 else "", View(_default_kind(ctx)))
    return await _export_file(ctx, pressed)


async def _export_file(ctx: Ctx, view: View) -> list[Reply]:
    dealer = await _named_dealer(ctx, view.dealer)
    try:
        report = await _report(ctx, view, dealer)
    except ValidationFailed as exc:
        return [Reply(text=exc.message(ctx.lang))]
    return [await _excel(ctx, report, period_label(view.period, ctx.lang))]


def _measured(kind: ReportKind, measure: str) -> ReportKind:
    """The same view of the other measure (orders <-> sell-out), when there is one."""
    twins = {ReportKind.ORDER_SUMMARY: ReportKind.SELLOUT_SUMMARY, ReportKind.ORDER_REGIONS: ReportKind.SELLOUT_REGIONS,
             ReportKind.ORDER_PRODUCTS: ReportKind.SELLOUT_PRODUCTS, ReportKind.ORDER_DEALERS: ReportKind.SELLOUT_DEALERS}
    if measure == "orders":
        return next((o for o, s in twins.items() if s == kind), kind)
    return twins.get(kind, kind) if measure == "sellout" else kind


@router.intent(Intent.SALES_QUERY)
async def sales_query(ctx: Ctx) -> list[Reply]:
    """Typed questions: period, region and product from the parser, the view from cue words."""
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if ctx.parsed is not None and ctx.parsed.slots.topic == "count":
        return await orders.order_counts_reply(ctx)      # "这周下了多少单": a count of orders, not a sales report
    if ctx.is_staff and repairs_counted(ctx.inbound.text):
        return await followups.ticket_status_intent(ctx)  # "这个月AP300报修了多少次": the tickets counted
    text = ctx.inbound.text.lower()
    if (ctx.is_dealer or dealer_code_in(text) is not None) and any(w in text for w in TARGET_WORDS):
        return await account.account_intent(ctx)     # a dealer's own, or staff naming one ("D0001今年目标完成多少了")
    refused = _ready(ctx)
    if refused is not None:
        return refused
    slots = ctx.parsed.slots if ctx.parsed is not None else None
    before = _followed(ctx)
    if slots is not None and slots.topic == "export":     # "导出excel": the report on screen (else the default)
        return await (_export_file(ctx, before) if before else show(ctx, View(_default_kind(ctx)), excel=True))
    if slots is not None and slots.topic == "forecast":   # "下个月AP300要备多少货": a forecast, not past figures
        if ctx.is_dealer:           # "AP300下个月大概能卖多少": that product's line, not every product's
            return await _replenish(ctx, slots.product or "")
        return await _forecast(ctx, slots.product or "", slots.period or "")
    said_period = period_said(slots.period if slots is not None else None)
    if said_period is None and slots is not None and (slots.period or slots.period_said):
        return _bad_period(ctx, slots.period_said or slots.period or "", before or View(_default_kind(ctx)))
    period = said_period or (before.period if before is not None else PeriodPreset.MONTH.value)
    region = (slots.region or "") if slots and not ctx.is_dealer else ""
    sku = (slots.product or "") if slots else ""
    if ctx.is_dealer and slots is not None and slots.topic == "own_rank":
        return await sellout_chase.own_place(ctx, period)          # "我在区域里排第几": its place, nobody else's
    if ctx.is_staff and slots is not None and slots.topic == "not_reported":
        return await sellout_chase.silent(      # "哪几家还没报动销": who to chase
            ctx, period, region, _button(ctx, "rpt.btn.dealers", "rpt", "sd-", PERIOD_CODES.get(period, period)))
    if ctx.is_staff and slots is not None and slots.topic == "below_target" and _may(ctx, ReportKind.TARGETS):
        return await target_gaps.under_target(      # "哪些经销商没完成目标": the dealers under target, lowest first
            ctx, period, region, _button(ctx, "rpt.btn.targets", "rpt", *View(ReportKind.TARGETS, period, region,
                                                                              lowest=True).args()))
    cue = next((c for words, c in CUES if any(w in text for w in words)), "")
    ranking = slots.ranking if slots else None
    if cue in ("", "ss") and not ctx.is_dealer and any(w in text for w in ("经销商", "dealer")) and ranking:
        cue = "sd"      # "动销最少的经销商", "卖得最多的经销商": the dealers ranked, not the month's overview
    if cue == "replenish":
        return await replenish(ctx)
    if cue == "forecast" and not ctx.is_dealer:
        return await forecast(ctx)
    split = slots.split if slots else None
    if split in AREAS:
        cue = "sr"
    if before is not None and slots is not None and slots.topic == "follow_up" and not split and not slots.compare:
        return await show(ctx, replace(before, period=period))     # "上个月呢": the report just shown, for then
    if any(w in text for w in TARGET_WORDS) and _may(ctx, ReportKind.TARGETS):
        kind = ReportKind.TARGETS
    elif cue == "products":
        kind = ReportKind.ORDER_PRODUCTS if _default_kind(ctx).is_orders else ReportKind.SELLOUT_PRODUCTS
    elif cue in KINDS and not (ctx.is_dealer and cue in ("sd", "of")):
        kind = KINDS[cue]
    else:
        kind = _default_kind(ctx)
    # the measure said, else the one of the report just shown (a follow-up changes the view, not what is counted)
    measure = (slots.measure if slots else None) or (
        ("orders" if before.kind.is_orders else "sellout" if before.kind.is_sellout else None) if before else None)
    if measure and not ctx.is_dealer and cue != "ss":
        kind = _measured(kind, measure)
    if not _may(ctx, kind):
        kind = _default_kind(ctx)
    lowest = kind in RANKINGS and ranking == "lowest"
    code = (dealer_code_in(text) or "") if ctx.is_staff else ""     # "D0003动销怎么样": that dealer's figures
    if ctx.is_staff and not code and (words := dealer_words_in_sales_question(ctx.inbound.text)) is not None:
        named = await forms.dealers_by_words(ctx, words, limit=6)   # "嘉禾这个月卖得怎么样": that dealer's, by name
        if len(named) > 1:
            return _which_dealer(ctx, named, View(kind, period, region, sku))
        code = named[0].code if named else ""
    if code and kind in _ALL_DEALERS:
        kind = ReportKind.SELLOUT_SUMMARY if kind.is_sellout else _default_kind(ctx)
    dimension = AREAS.get(split or "") if kind in (ReportKind.ORDER_REGIONS, ReportKind.SELLOUT_REGIONS) else None
    return await show(ctx, View(kind, period, region, sku, lowest, code, dimension),
                      excel=any(w in text for w in EXPORT_WORDS), top=_top_said(text), split=split)


def _which_dealer(ctx: Ctx, named: list[Dealer], asked: View) -> list[Reply]:
    """Several dealers fit the words: a button each, to that dealer's figures."""
    kind = ReportKind.SELLOUT_SUMMARY if asked.kind.is_sellout or asked.kind in _ALL_DEALERS else asked.kind
    return [Reply(text=ctx.t("rpt.which_dealer"), buttons=[
        [Button(f"{d.code} {d.name}", payload("rpt", *replace(asked, kind=kind, dealer=d.code).args()))]
        for d in named] + [[forms.menu_button(ctx)]])]


# --- forecasts --------------------------------------------------------------------------------------

@router.button("rpt.fc")
async def forecast(ctx: Ctx) -> list[Reply]:
    """Production planning for staff with REPORT_READ_ALL: next 3 months' demand per SKU vs maker stock."""
    return await _forecast(ctx)


async def _forecast(ctx: Ctx, sku: str = "", period: str = "") -> list[Reply]:
    """The plan; with ``sku`` ("下个月AP300要备多少货") that product's line first, for the month said when the
    forecast covers it (``period`` a parser code, "202701")."""
    refused = _ready(ctx)
    if refused is not None:
        return refused
    assert ctx.deps.reports is not None
    plan = await production_plan(ctx.uow(), ctx.deps.reports, ctx.actor, ctx.deps.clock,
                                 forecaster=ctx.deps.forecaster)
    if not plan:
        return [Reply(text=ctx.t("rpt.plan.none"))]
    asked = next((r for r in plan if r.sku == sku), None)
    if asked is not None:
        month = f"{period[:4]}-{period[4:]}" if len(period) == 6 and period.isdigit() else ""
        i = asked.months.index(month) if month in asked.months else -1
        demand = asked.demand[i] if i >= 0 else asked.total
        when = month if i >= 0 else ctx.pick(f"未来3个月（{asked.months[0]}～{asked.months[-1]}）",
                                            f"the next 3 months ({asked.months[0]} to {asked.months[-1]})")
        short = max(0, demand - asked.available)
        return [Reply(text=ctx.t("rpt.plan.one", sku=asked.sku, name=asked.name, when=when, demand=demand,
                                 available=asked.available, method=asked.method)
                      + (ctx.t("rpt.plan.gap", n=short) if short else ctx.t("rpt.plan.enough")),
                      buttons=[[_button(ctx, "rpt.btn.forecast", "rpt.fc"), _button(ctx, "rpt.btn.orders", "rpt.menu")]])]
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
    return await _replenish(ctx)


async def _replenish(ctx: Ctx, sku: str = "") -> list[Reply]:
    """The restock advice; with ``sku`` (a product named: "AP300 forecast") that product's line alone, every
    product's a tap away."""
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
    if sku:
        one = next((a for a in advice if a.sku == sku), None)
        key = "rpt.rep.row" if one is not None and one.suggested else "rpt.rep.ok"
        text = "\n".join([ctx.t("rpt.rep.head", days=advice[0].cover_days),
                          ctx.t(key, sku=one.sku, demand=one.demand, stock=one.stock, n=one.suggested)]
                         ) if one is not None else ctx.t("rpt.rep.no_sku", sku=sku)
        if one is not None and one.suggested:
            text += "\n" + ctx.pick(f"可直接回复：{one.sku} {one.suggested}", f"You can reply: {one.sku} {one.suggested}")
        return [Reply(text=text, buttons=[[_button(ctx, "rpt.btn.rep_all", "rpt.rep")],
                                          [_button(ctx, "rpt.btn.sellout", "rpt", "ss", "m")]])]
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
