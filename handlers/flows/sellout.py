"""Sell-out reporting (销量上报) in chat: typed lines or the Excel template sent back.

Typed, one sale per line, either compact ``型号 数量 金额 [省 市] [客户类型]`` (``AP300 3 7797``)
or loose (``AP300 卖了3台 单价2599 杭州 零售``); a leading date (``2026-11-25``) or 今天/昨天 sets
the sale date, else today. The amount is the line total; ``单价`` (unit price) is multiplied by
the quantity. Files: the template (``so.tpl``) is an .xlsx with the header
``date,sku,qty,amount,province,city,customer_type``; an uploaded .xlsx or .csv with that header
(Chinese headers 日期/型号/数量/金额/省份/城市/客户类型 also work) is read through ``Deps.read_file``.

Either way the rows are checked here first and shown as a summary (valid rows, totals, per-row
problems); only after the confirm button (carrying the form's nonce) does
``core.services.sellout.record_sellout`` store the valid ones, once.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from core.money import fmt_cny
from core.products import Product
from core.services.sellout import CUSTOMER_TYPE_ALIASES, SellOutRow, record_sellout
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import PARKED_SELLOUT, Ctx, parked_sellout
from handlers.flows import forms
from handlers.flows.sellout_rows import MAX_ROWS, _parse_qty, _problem, check_row, parse_file, template_bytes
from handlers.flows.sellout_view import PREVIEW_ROWS, problem_lines, row_text, total_qty
from handlers.flows.stepform import Form
from handlers.messages import Button, InboundKind, Reply
from handlers.router import READ_ONLY_INTENTS, Router, StepLeft, parse_payload, payload
from handlers.tables import FileUnreadable
from handlers.tables import Reason as Problem
from nlu.normalize import normalize
from nlu.products import ProductIndex, product_index
from nlu.replies import is_confirmation
from nlu.sale_words import (
    SaleDay,
    corrected_qty,
    drop_joining_words,
    dropped_line,
    find_sale_day,
    redate_said,
)
from nlu.schema import LOW_CONFIDENCE, CatalogueEntry, EditOp, Intent

router = Router(name=__name__)

TEMPLATE_NAME = "sellout_template.xlsx"
MAX_FILE_BYTES = 2 * 1024 * 1024
# another job typed in the middle of a report: offered (the report is left only on its button)
_OTHER_JOBS = frozenset({Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK})
# another request typed in the middle of a report ("AP300还有货吗", "转了2万还没到账 帮我看看"): the report is parked,
# the request handled as if no form were open
_LEAVES = READ_ONLY_INTENTS | {Intent.CANCEL_ORDER}



i18n.register({
    "so.prompt": (
        "📈 销量上报\n请每行发送一条销售记录：\n型号 数量 金额 [省 市] [客户类型]\n例如：\nAP300 3 5997\n"
        "DH20 1 1599 浙江 杭州 工程\n也可以说：AP300 卖了3台 单价1999 杭州 零售\n"
        "金额为该行总额（写“单价”则按单价×数量）；日期默认今天，可在行首写 2026-11-25 或“昨天”。\n"
        "客户类型：零售/工程/电商/分销（默认零售）。\n数据多时请点“下载模板”，填好后把 Excel 文件发回来。",
        "📈 Report sales\nSend one sale per line:\nmodel qty amount [province city] [customer type]\nFor example:\n"
        "AP300 3 5997\nDH20 1 1599 Zhejiang Hangzhou project\nOr: AP300 sold 3 unit price 1999 Hangzhou retail\n"
        "The amount is the line total (with \"unit price\" it is price x qty); the date is today unless a line "
        "starts with 2026-11-25.\nCustomer type: retail/project/online/subdealer (default retail).\n"
        "Many rows? Tap \"Template\", fill it in and send the Excel file back."),
    "so.title": ("销量上报", "sales report"),
    "so.btn.template": ("📥 下载模板", "📥 Template"),
    "so.btn.again": ("✏️ 重新填写", "✏️ Start over"),
    "so.template": ("这是销量上报模板：第一张表每行一条记录，日期格式 2026-11-25，客户类型填 零售/工程/电商/分销。"
                    "填好后直接把文件发回本对话。",
                    "Here is the template: one sale per row on the first sheet, dates like 2026-11-25, customer "
                    "type retail/project/online/subdealer. Send the file back to this chat when done."),
    "so.elsewhere": ("这条不像销售记录。销量上报还没提交：可以接着发销售记录；要办这件事请点下面的按钮（当前上报会保留）。",
                     "That is no sales line. The sales report is not sent yet: go on with its lines, or tap below "
                     "for that (the report is kept for later)."),
    "so.no_rows": ("没有识别到销售记录。", "No sales lines were recognised."),
    "so.appended": ("已追加 {n} 行，本次上报共 {total} 行。", "Added {n} lines; the report now has {total}."),
    "so.removed": ("已删除 {n} 行。", "Removed {n} lines."),
    "so.corrected": ("已把 {sku} 的数量从 {before} 改为 {qty}，金额 {amount}。",
                     "{sku}: the quantity is now {qty} (was {before}), the amount {amount}."),
    "so.correct_which": ("报告里没有唯一的一行 {sku}，没有改动。请说明改哪一行，或删掉后重新发送。",
                         "There is no single {sku} line in the report; nothing changed. Say which line, or remove "
                         "it and send it again."),
    "so.parked": ("📌 您的销量上报（{n} 行）已保留，还没提交。要接着填，点“📈 继续上报”，或在主菜单点“📈 销量上报”。",
                  "📌 Your sales report ({n} line(s)) is kept, not sent yet. To go on, tap \"📈 Continue the report\", "
                  "or \"📈 Report sales\" in the main menu."),
    "so.parked_empty": ("已退出销量上报。要上报销量，点“📈 继续上报”，或在主菜单点“📈 销量上报”。",
                        "The sales report is left. To report sales, tap \"📈 Continue the report\", or \"📈 Report "
                        "sales\" in the main menu."),
    "so.btn.resume": ("📈 继续上报", "📈 Continue the report"),
    "so.resumed": ("接着填您保留的销量上报：", "Your kept sales report, to go on with:"),
    "so.file_replaces": ("注意：文件中的记录替换了之前输入的 {n} 行。", "Note: the file's lines replace the {n} lines "
                         "typed before."),
    "so.summary": ("请确认销量上报：\n有效 {rows} 行，合计 {qty}，金额 {amount}",
                   "Please check the report:\n{rows} valid row(s), {qty}, {amount} in total"),
    "so.more_rows": ("……另有 {n} 行", "... and {n} more row(s)"),
    "so.errors": ("⚠️ 以下 {n} 行有问题，改好前不会记录（会一直列在这里）：",
                  "⚠️ These {n} row(s) have problems and are not recorded until corrected (they stay listed here):"),
    "so.more_errors": ("……另有 {n} 个问题", "... and {n} more problem(s)"),
    "so.fix_and_resend": ("请修改后重新发送。", "Please correct them and send again."),
    "so.recorded": ("✅ 已上报 {n} 行销量。", "✅ {n} sales row(s) recorded."),
    "so.left_out": ("以下 {n} 行有问题，没有上报；需要的话改好后再报一次：",
                    "These {n} row(s) had problems and were not recorded; report them again once corrected:"),
    "so.already": ("这批销量已经上报过了（{n} 行）。", "This report was already recorded ({n} row(s))."),
    "so.use_buttons": ("请点“确认提交”，或点“重新填写”。", "Please tap Submit, or Start over."),
    "so.file_unsupported": ("当前渠道暂不支持读取文件，请用文字发送。",
                            "Files cannot be read on this channel; please type the lines instead."),
    "so.file_too_big": ("文件太大（最多 2 MB），请分批上报。", "The file is too big (2 MB at most); please split it."),
    "so.file_broken": ("文件无法读取：{reason}\n请使用“下载模板”得到的表格，填好后重新发送。没有记录任何数据。",
                       "The file could not be read: {reason}\nPlease use the template and send it again. "
                       "Nothing was recorded."),
    "so.row": ("第 {line} 行：{reason}", "Row {line}: {reason}"),
    "so.repeated": ("⚠️ 这条和已记下的一样，像是重复发送，没有追加：", "⚠️ This is the same as lines already in the "
                    "report, as if sent twice; not added:"),
    "so.repeat_ask": ("如果确实又卖了一批，请点下面的按钮追加；不是的话不用管。",
                      "If it really is another sale, tap below to add it; otherwise nothing to do."),
    "so.btn.add_again": ("➕ 是又卖了一批，追加", "➕ Another sale, add it"),
    "so.which_day": ("📅 具体是哪天卖的？（{first}~{last}）请回复日期，例如“12月5号”或“上周五”；说好日期后才能提交。",
                     "📅 Which day were these sold ({first} to {last})? Reply with the date, e.g. \"Dec 5\" or \"last "
                     "Friday\"; the report can be sent once the day is said."),
    "so.redated": ("已把 {n} 行的销售日期改为 {day}。", "The sale date of {n} line(s) is now {day}."),
    "so.future_day": ("销售日期 {day} 晚于今天，日期没有改。", "The sale date {day} is in the future; no date changed."),
    "so.which_product": ("请点下面的按钮选是哪个产品，或点“不报这行”。",
                         "Tap the product it is below, or leave the line out."),
    "so.btn.drop": ("✖ 第 {line} 行不报", "✖ Leave out row {line}"),
    "so.dropped": ("第 {line} 行不报了。", "Row {line} is left out."),
    "so.no_line": ("没有第 {line} 行，没有改动。", "There is no row {line}; nothing changed."),
    "so.stale": ("这个按钮已过期，请看最新的销量上报汇总。", "That button is out of date; see the latest report summary."),
})


# --- typed lines ----------------------------------------------------------------------------------

_PER = r"(?:台|个|件|套|箱|只|支|盒|包|瓶|袋|桶|卷|条)"
# "单价1999", "每台1699", "2599一台", "1699元/台": the price of one (QA s27 #16: were "缺少金额")
_UNIT_PRICE = re.compile(r"(?:单价|unit price|@|每" + _PER + r")\s*[:：=]?\s*[¥￥]?\s*(\d+(?:\.\d{1,2})?)\s*(?:元|块钱?)?"
                         r"|[¥￥]?(\d+(?:\.\d{1,2})?)\s*(?:元|块钱?)?\s*(?:一|每|/)" + _PER + r"(?![\d\u4e00-\u9fff])",
                         re.IGNORECASE)
_TOTAL = re.compile(r"(?:金额|总价|总额|合计|共计|总共|一共|共|amount|total)\s*[:：=]?\s*[¥￥]?\s*(\d+(?:\.\d{1,2})?)\s*(?:元|块钱?)?"
                    r"|(\d+(?:\.\d{1,2})?)\s*(?:元|块钱?)(?![\u4e00-\u9fff]{0,1}\d)", re.IGNORECASE)
_QTY_WITH_UNIT = re.compile(
    r"(?:卖了|卖出|售出|销售|sold)?\s*(\d+|[零〇一二两三四五六七八九十百千]+)\s*(?:台|箱|件|个|套|支|盒|包|卷|捆|根|条|只|双|桶|袋|瓶|pcs|units?)"
    r"(?![a-z])",
    re.IGNORECASE)
_FILLER = frozenset({"卖了", "卖出", "售出", "销售", "sold", "元", "共", "，", ","})
_SPLIT = re.compile(r"[\s,，;；、]+")
# words around a sale that are no place: the heading, the period ("上报销量", "这个月", "上周")
_NOT_A_PLACE = re.compile(r"(?:上报|报一下|报|汇报)?(?:销量|销售|出货|数据)|上报|报数|(?:这个?|本|上个?|下个?)(?:月|周|礼拜|星期)"
                          r"|今天|昨天|前天|最近|this|last|week|month|sales|report|单价|价格")
_PROVINCE_CITY = re.compile(r"^(.{2,8}?)(?:省|自治区)(.{2,8}?)市?$")


_NO_MODEL = Problem("没有找到产品型号", "no product model found")


def _index(products: list[Product]) -> ProductIndex:
    """The one product matcher (``nlu.products``) over the active products, built once per report."""
    return product_index([CatalogueEntry(sku=p.sku, name=p.name, aliases=list(p.aliases), unit=p.unit, category=p.category or "")
                          for p in products])


def parse_line(text: str, line: int, products: list[Product], today: date,
               index: ProductIndex | None = None) -> dict[str, Any] | Problem | None:
    """One typed line -> draft row / problem; None for a line that is not a sale (a heading like "上报销量")."""
    index = index or _index(products)
    rest = normalize(text)
    raw: dict[str, str] = {}
    day = find_sale_day(rest, today)
    if day is not None:       # "上周" (a week): its last day until the dealer says which (``days``)
        raw["date"] = day.last.isoformat()
        rest = rest[:day.start] + " " + rest[day.end:]
    rest = drop_joining_words(rest)
    if (named := index.best(rest)) is not None and named.sku is not None:
        raw["sku"] = named.sku
        rest = rest[:named.start] + " " + rest[named.end:]
    unit_price: str | None = None
    if m := _UNIT_PRICE.search(rest):
        unit_price = m.group(1) or m.group(2)
        rest = rest[:m.start()] + " " + rest[m.end():]
    if m := _TOTAL.search(rest):
        raw["amount"] = m.group(1) or m.group(2)       # "金额200", "200元", "200块"
        rest = rest[:m.start()] + " " + rest[m.end():]
    if m := _QTY_WITH_UNIT.search(rest):
        raw["qty"] = m.group(1)
        rest = rest[:m.start()] + " " + rest[m.end():]
    places: list[str] = []
    for token in (t for t in _SPLIT.split(rest) if t and t not in _FILLER):
        glued = next((a for a in CUSTOMER_TYPE_ALIASES if len(token) > len(a) and token.endswith(a)
                      and re.search(r"[\u4e00-\u9fff]", a)), None)
        if glued is not None and "customer_type" not in raw:       # "杭州零售": the city, then the kind of sale
            raw["customer_type"], token = glued, token[:-len(glued)]
        if token in CUSTOMER_TYPE_ALIASES or token.lower() in CUSTOMER_TYPE_ALIASES:
            raw["customer_type"] = token
        elif re.fullmatch(r"-?[¥￥]?-?\d+(?:\.\d+)?元?", token):
            if "qty" not in raw:
                raw["qty"] = token
            elif "amount" not in raw:
                raw["amount"] = token
            else:
                return _problem(f"多余的数字：{token}", f"unexpected number: {token}")
        elif "sku" not in raw and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-_.]*", token):
            raw["sku"] = token.upper()              # looks like a model: reported as unknown below
        elif not _NOT_A_PLACE.fullmatch(token):
            places.append(token)
    if "sku" not in raw:
        if not re.search(r"\d", text):
            return None
        return _NO_MODEL
    if len(places) >= 2:
        raw["province"], raw["city"] = places[0].removesuffix("省"), places[1].removesuffix("市")
    elif places:
        m = _PROVINCE_CITY.match(places[0])
        if m:
            raw["province"], raw["city"] = m.group(1), m.group(2)
        else:
            raw["city"] = places[0].removesuffix("市")
    if "qty" not in raw:
        return _problem("缺少数量", "the quantity is missing")
    if "amount" not in raw:
        if unit_price is None:
            return _problem("缺少金额（总额或“单价”）", "the amount is missing (a total, or \"unit price\")")
        qty = _parse_qty(raw["qty"])
        if isinstance(qty, Problem):
            return qty
        raw["amount"] = str(Decimal(unit_price) * qty)
    skus = {p.sku.casefold(): p.sku for p in products}
    row = check_row(raw, line, skus, today)
    if isinstance(row, dict) and day is not None:
        row["dated"] = True
        if day.vague:
            row["days"] = _days(day)
    return row


def _days(day: SaleDay) -> str:
    return f"{day.first.isoformat()}/{day.last.isoformat()}"


def parse_text(text: str, products: list[Product], today: date, *,
               before: str = "") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Typed lines -> rows and open lines (``_open``: a problem kept until solved); ``before``: the words of the sale
    reported last (a line that names its product by a variant alone, "7号卖了150个", is read after them)."""
    rows: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    index = _index(products)
    lines = [_dated(part, line, today) for line in text.splitlines() if line.strip() for part in _sales_of(line, index)]
    for n, line in enumerate(lines[:MAX_ROWS], start=1):
        result = parse_line(line, n, products, today, index)
        if isinstance(result, Problem) and before and (named := _continued(before, line, index)) is not None:
            # "三层5号卖了200个 200元" then "7号卖了150个 105元": the 7号 of the series said on the line before
            result = parse_line(line.replace(named[0], named[1], 1), n, products, today, index)
        before = line
        if result is None:
            continue
        if isinstance(result, Problem):
            said = normalize(line)
            day = find_sale_day(said, today)
            skus = sorted({s for m in index.find(said) for s in m.skus})
            if len(skus) > 1 and result == _NO_MODEL:     # "滤网卖了20个": a word of several products
                result = _problem("这个名字对应几个产品，请选是哪个", "several products go by that name; pick one")
            problems.append(_open(n, result, text=line, skus=skus,
                                  day=_days(day) if day and day.vague else day.last.isoformat() if day else ""))
        else:
            rows.append(result)
    return rows, problems


def _open(line: int, problem: Problem, *, text: str = "", skus: list[str] | None = None, day: str = "") -> dict[str, Any]:
    """A line that could not be read (JSON-safe, kept in the dialog until solved): its words, the problem, the
    products it may name (several: offered as a choice), the day said on it ("2026-12-05", a week "first/last")."""
    return {"line": line, "text": text, "zh": problem.zh, "en": problem.en, "skus": skus or [], "day": day}


def _dated(part: str, line: str, today: date) -> str:
    """A sale split from a typed line that said its day once ("昨天卖了AP300 5台…，DH12 2台…"): the day for it too."""
    if part == line or find_sale_day(normalize(part), today) is not None:
        return part
    said = normalize(line)
    day = find_sale_day(said, today)
    return f"{said[day.start:day.end]} {part}" if day else part


_COUNT_SAID = re.compile(r"\d|[一二两三四五六七八九十百廿卅]")


def _split_at_products(part: str, index: ProductIndex) -> list[str]:
    """"卖了AP300 五台 DH20两台": one part per product that comes after a count of the one before it."""
    text = normalize(part)
    found = sorted((m.start, m.end) for m in index.find(text) if m.skus)
    cuts = [b[0] for a, b in zip(found, found[1:], strict=False) if b[0] >= a[1] and _COUNT_SAID.search(text[a[1]:b[0]])]
    if not cuts:
        return [part]
    bounds = [0, *cuts, len(text)]
    return [text[x:y] for x, y in zip(bounds, bounds[1:], strict=False) if text[x:y].strip()]


def _sales_of(line: str, index: ProductIndex) -> list[str]:
    """One typed line holding several sales ("3层5号卖了200个200元，3层7号150个105元", "AP300 五台 DH20两台"): one
    part per sale, split where a comma is followed by a product, or where a product follows the count of another;
    a line of one sale as it is."""
    parts = [p for p in re.split(r"[，,；;]", line) if p.strip()]
    if len(parts) < 2 or sum(1 for p in parts if index.find(normalize(p))) < 2:
        split = _split_at_products(line, index)
        return split if len(split) > 1 else [line]
    out: list[str] = []
    for part in parts:
        if out and not index.find(normalize(part)):
            out[-1] += "，" + part        # a place or a customer type after a sale belongs to it
        else:
            out.append(part)
    return out


def _continued(before: str, line: str, index: ProductIndex) -> tuple[str, str] | None:
    """A product said on ``line`` by its variant alone ("7号"), read with the line before: (its words, the SKU)
    when the matcher names one product there."""
    joined = normalize(before) + " "
    said = normalize(line)
    for m in index.find(joined + said):
        if m.start >= len(joined) and m.sku is not None:
            return said[m.start - len(joined):m.end - len(joined)], m.sku
    return None


# --- the conversation ------------------------------------------------------------------------------

def _prompt(ctx: Ctx) -> Reply:
    return Reply(text=ctx.t("so.prompt"), buttons=[[Button(ctx.t("so.btn.template"), payload("so.tpl"))],
                                                   forms.cancel_row(ctx, "so")])


START_OVER = "again"      # ``so.new|again`` (✏️ 重新填写): the report shown dropped, not taken up again


@router.button("so.new")
@router.command("sellout")
async def new(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    if forms.arg(ctx, 0) == START_OVER:
        ctx.dialog.data.pop(PARKED_SELLOUT, None)
    elif (kept := _take_up(ctx)) is not None:       # a report left for another request: shown again, to go on with
        return _summary(ctx, *kept, await forms.active_products(ctx), lead=[ctx.t("so.resumed")])
    ctx.go("so.input")
    return [_prompt(ctx)]


def _take_up(ctx: Ctx) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """The report parked when the dealer left it for another request (``Ctx.go``, ``_park``) made the one in
    progress again: its lines read and those waiting for an answer; None when there is none."""
    parked = ctx.dialog.data.get(PARKED_SELLOUT)
    if ctx.dialog.state.startswith("so.") or not isinstance(parked, dict):
        return None
    rows = [r for r in parked.get("rows") or [] if isinstance(r, dict)]
    opened = [o for o in parked.get("open") or [] if isinstance(o, dict)]
    said = [s for s in parked.get("said") or [] if isinstance(s, str)]
    if not rows and not opened:
        return None
    if rows:
        ctx.go("so.confirm", nonce=forms.new_nonce(), rows=rows, open=opened, said=said)
    else:
        ctx.go("so.input", open=opened, said=said)
    return rows, opened


def _parked(ctx: Ctx) -> int:
    """The report in progress parked (its lines read and those waiting for an answer), the dialog idle; how many
    lines it has."""
    report = parked_sellout(ctx.dialog.data) if ctx.dialog.state.startswith("so.") else {}
    ctx.idle()
    if report.get("rows") or report.get("open"):
        ctx.dialog.data[PARKED_SELLOUT] = report
    return len(report.get("rows") or []) + len(report.get("open") or [])


def _resume_row(ctx: Ctx) -> list[Button]:
    return [Button(ctx.t("so.btn.resume"), payload("so.new"))]


def _park(ctx: Ctx) -> StepLeft:
    """Another request typed in the middle of a report: the report parked (its lines kept), the dialog idle, the
    request handled by the service after the notice saying so and how to go back."""
    n = _parked(ctx)
    notice = ctx.t("so.parked", n=n) if n else ctx.t("so.parked_empty")
    return StepLeft([], after=[Reply(text=notice, buttons=[_resume_row(ctx)])])


@router.left("so")
def left(ctx: Ctx) -> list[Reply]:
    """A main-menu button tapped (or its label typed) in the middle of a report: the report parked like for a typed
    request, and the dealer told so after the button's answer (was: its lines dropped without a word). The menu's
    own "📈 销量上报" takes it up again at once: nothing to tell."""
    n = _parked(ctx)
    if not n or (parse_payload(ctx.inbound.payload) or ("",))[0] == "so.new":
        return []
    return [Reply(text=ctx.t("so.parked", n=n), buttons=[_resume_row(ctx)])]


@router.intent(Intent.REPORT_SALES)
async def report_sales_intent(ctx: Ctx) -> list[Reply]:
    if (figures := await forms.staff_sales_question(ctx)) is not None:
        return figures      # staff report no sell-out of their own: a question about the dealers' sell-out
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    kept = _take_up(ctx)
    if kept is None:
        ctx.go("so.input")
    products = await forms.active_products(ctx)
    rows, problems = parse_text(ctx.inbound.text, products, ctx.deps.clock.today())
    if kept and not rows and not problems:        # "上报销量" after the report was left: the report again
        return _summary(ctx, *kept, products, lead=[ctx.t("so.resumed")])
    if kept:         # a sales line typed after the report was left for another request: added to it
        return _added(ctx, kept[0], rows, problems, products, said=ctx.inbound.text)
    if not rows and not problems:
        return [_prompt(ctx)]
    return _summary(ctx, rows, problems, products, said=ctx.inbound.text)


@router.button("so.tpl")
async def template(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    if _take_up(ctx) is None and not ctx.dialog.state.startswith("so."):
        ctx.go("so.input")
    return [Reply(text=ctx.t("so.template"), file=template_bytes(), file_name=TEMPLATE_NAME,
                  buttons=[forms.cancel_row(ctx, "so")])]


@router.button("so.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


# "重新填写", "重填", "重新报", "start over": the rows shown dropped, the report asked again
_START_OVER = re.compile(r"(?:✏️\s*)?(?:重新填写?|重填|重新报一?下?|重新来|从头来|start over|redo)", re.IGNORECASE)


@router.state("so")
async def answer(ctx: Ctx) -> list[Reply]:
    is_file = ctx.inbound.kind == InboundKind.DOCUMENT and bool(ctx.inbound.file_refs)
    if ctx.dialog.state == "so.confirm" and not is_file and not forms.text_of(ctx):
        return [Reply(text=ctx.t("so.use_buttons"))]
    # at the summary, new lines or a new file replace the rows shown
    products = await forms.active_products(ctx)
    today = ctx.deps.clock.today()
    if is_file:
        if ctx.deps.read_file is None:
            return [Reply(text=ctx.t("so.file_unsupported"))]
        data = await ctx.deps.read_file(ctx.inbound.file_refs[0])
        if len(data) > MAX_FILE_BYTES:
            return [Reply(text=ctx.t("so.file_too_big"))]
        try:
            rows, unread = parse_file(data, ctx.inbound.file_name, products, today)
        except FileUnreadable as exc:
            ctx.go("so.input")
            reason = ctx.pick(exc.problem.zh, exc.problem.en)
            return [Reply(text=ctx.t("so.file_broken", reason=reason),
                          buttons=[[Button(ctx.t("so.btn.template"), payload("so.tpl"))], forms.cancel_row(ctx, "so")])]
        earlier_rows = list(ctx.dialog.data.get("rows") or []) if ctx.dialog.state == "so.confirm" else []
        lead = [ctx.t("so.file_replaces", n=len(earlier_rows))] if earlier_rows else []
        return _summary(ctx, rows, [_open(n, p) for n, p in unread], products, lead=lead)
    text = forms.text_of(ctx)
    if not text:
        return [_prompt(ctx)]
    earlier: list[dict[str, Any]] = list(ctx.dialog.data.get("rows") or []) if ctx.dialog.state == "so.confirm" else []
    if ctx.dialog.state == "so.confirm" and is_confirmation(text):    # "确认提交", "好的 提交" typed under the summary
        if any(r.get("days") for r in earlier):                         # the day is still to say: asked again
            return _summary(ctx, earlier, _opened(ctx), products)
        ctx.args = [str(ctx.dialog.data.get("nonce", ""))]
        return await FORM.confirm(ctx)
    if ctx.dialog.state == "so.confirm" and _START_OVER.fullmatch(text.strip(" 。.!！")):
        return await new(ctx)                                          # "重新填写": the rows shown are dropped
    if earlier and (day := redate_said(normalize(text), today)) is not None:
        return _redated(ctx, earlier, day, text, products)    # "日期不对 都是12月5号卖的": the lines' day changed
    if (number := dropped_line(normalize(text))) is not None and (earlier or _opened(ctx)):
        return _without_line(ctx, earlier, number, products)  # "第4行不要了" (was: "这条不像销售记录", 质量反馈 offered)
    if earlier and (qty := corrected_qty(normalize(text))) is not None:
        # "DH20 不是3台是5台": that line's count (was: read as another DH20 line, "缺少金额" or added twice)
        return _corrected(ctx, earlier, qty, text, products)
    if earlier:      # "不要AP300那行", "DH20删掉": lines taken back from the report in progress
        edits = (await parse_message(ctx)).slots.edits
        dropped = {e.sku for e in edits if e.op == EditOp.REMOVE and e.sku}
        if dropped and all(e.op == EditOp.REMOVE for e in edits):
            kept = [r for r in earlier if r["sku"] not in dropped]
            opened = [o for o in _opened(ctx) if not dropped & set(o["skus"])]
            return _summary(ctx, kept, opened, products, lead=[ctx.t("so.removed", n=len(earlier) - len(kept))])
    # "7号卖了150个" after a report of 三层5号: the 7号 of the series said last
    last = next((p for p in products if earlier and p.sku == earlier[-1].get("sku")), None)
    rows, problems = parse_text(text, products, today, before=last.name if last else "")
    if not rows:
        parsed = await parse_message(ctx)
        if parsed.intent in _LEAVES and not parsed.slots.items and (not problems or parsed.confidence >= LOW_CONFIDENCE):
            # "返利还有多少钱", "AP300还有货吗", "转了2万还没到账 帮我看看" in the middle of a report: the report parked,
            # the question answered (was: "第 2 行：没有找到产品型号", a question read as a bad sales line)
            raise _park(ctx)
        if parsed.intent in _OTHER_JOBS and parsed.confidence >= 0.5:
            # "滤网有股怪味 好几个客户说了": a complaint, not a sales line missing its quantity; the way there
            key, action = forms.ELSEWHERE[parsed.intent]
            return [Reply(text=ctx.t("so.elsewhere"), buttons=[[Button(ctx.t(key), payload(action))],
                                                               forms.cancel_row(ctx, "so")])]
        if not problems:
            return [Reply(text=ctx.t("so.no_rows")), _prompt(ctx)]
    if earlier:                   # a second message adds lines to the report in progress, never replaces them
        return _added(ctx, earlier, rows, problems, products, said=text)
    return _summary(ctx, rows, [*_opened(ctx), *problems], products, said=text)


def _opened(ctx: Ctx) -> list[dict[str, Any]]:
    """The lines of the report in progress not read yet, kept until solved or dropped."""
    return [o for o in ctx.dialog.data.get("open") or [] if isinstance(o, dict)] if ctx.dialog.state.startswith("so.") else []


def _said_before(ctx: Ctx, text: str) -> bool:
    """The same message as one whose lines are in the report already (a double send)."""
    return bool(text.strip()) and " ".join(normalize(text).split()) in (ctx.dialog.data.get("said") or [])


def _added(ctx: Ctx, earlier: list[dict[str, Any]], rows: list[dict[str, Any]], problems: list[dict[str, Any]],
           products: list[Product], *, said: str = "", repeat_checked: bool = False) -> list[Reply]:
    opened = _opened(ctx)
    if rows and not repeat_checked and _said_before(ctx, said):
        # the same sale(s) again (a double send): asked, not added (was: "合计 24 台" with no word)
        units = {p.sku: p.unit for p in products if p.unit}
        lead = [ctx.t("so.repeated"), *(row_text(ctx, r, units) for r in rows)]
        replies = _summary(ctx, earlier, opened, products, lead=lead)
        ctx.dialog.data["repeat"] = rows
        again = Button(ctx.t("so.btn.add_again"), payload("so.dup", str(ctx.dialog.data.get("nonce", ""))))
        return [*replies, Reply(text=ctx.t("so.repeat_ask"), buttons=[[again]])]
    offset = max((int(r.get("line", 0)) for r in [*earlier, *opened]), default=0)
    for r in rows:
        r["line"] = int(r.get("line", 0)) + offset
        solved = next((o for o in opened if r["sku"] in o["skus"]), None)
        if solved is not None:          # "DH20 5台 1299一台" after "DH20 5台" (no amount): that line, now read
            opened.remove(solved)
            if not r.get("dated") and solved.get("day"):        # on the day said with it ("上周")
                _set_day(r, solved["day"])
    for o in list(problems):
        o["line"] = int(o["line"]) + offset
        kept = next((k for k in opened if len(k["skus"]) == 1 and k["skus"][0] in o["skus"]), None)
        if kept is not None and len(o["skus"]) > 1:   # "滤网 20个 每个89" after 滤网 was picked as FL-AP300: that one
            read = _read_as(ctx, o["text"], kept["skus"][0], int(kept["line"]), products)
            if isinstance(read, dict):
                problems.remove(o)
                opened.remove(kept)
                if not read.get("dated") and kept.get("day"):
                    _set_day(read, kept["day"])
                rows.append(read)
    return _summary(ctx, earlier + rows, opened + problems, products, said=said,
                    lead=[ctx.t("so.appended", n=len(rows), total=len(earlier) + len(rows))])


def _without_line(ctx: Ctx, earlier: list[dict[str, Any]], number: int, products: list[Product]) -> list[Reply]:
    """The line shown as "第 N 行" (a problem) left out; with none of that number, the N-th sale listed."""
    opened = _opened(ctx)
    kept = [o for o in opened if int(o["line"]) != number]
    if len(kept) == len(opened):
        if not 1 <= number <= len(earlier):
            return _summary(ctx, earlier, opened, products, lead=[ctx.t("so.no_line", line=number)])
        earlier = earlier[:number - 1] + earlier[number:]
    return _summary(ctx, earlier, kept, products, lead=[ctx.t("so.dropped", line=number)])


def _corrected(ctx: Ctx, earlier: list[dict[str, Any]], qty: int, text: str, products: list[Product]) -> list[Reply]:
    """The count of the line the message names (the only line when it names none) set to ``qty``; its amount the one
    said with it ("共7995", "单价1599"), else the line's unit price times the new count. Several lines of that product:
    which one is asked, nothing changed."""
    said = normalize(text)
    named = {s for m in _index(products).find(said) for s in m.skus}
    lines = [r for r in earlier if r["sku"] in named] if named else earlier
    if len(lines) != 1:
        shown = named and ", ".join(sorted(named)) or ctx.pick("哪一行", "which line")
        return _summary(ctx, earlier, _opened(ctx), products, lead=[ctx.t("so.correct_which", sku=shown)])
    row = lines[0]
    before = int(row["qty"])
    unit, total = _UNIT_PRICE.search(said), _TOTAL.search(said)
    if unit is not None:
        amount = Decimal(unit.group(1) or unit.group(2)) * qty
    elif total is not None:
        amount = Decimal(total.group(1) or total.group(2))
    else:
        amount = Decimal(row["amount"]) * qty / before
    row["qty"], row["amount"] = qty, str(amount.quantize(Decimal("0.01")))
    return _summary(ctx, earlier, _opened(ctx), products, lead=[ctx.t(
        "so.corrected", sku=row["sku"], before=before, qty=qty, amount=fmt_cny(Decimal(row["amount"])))])


def _set_day(row: dict[str, Any], day: str) -> None:
    """``day``: one day "2026-12-05", or a stretch "2026-11-30/2026-12-06" still to be said."""
    first, _, last = day.partition("/")
    row["sold_on"] = last or first
    row.pop("days", None)
    if last:
        row["days"] = day


def _redated(ctx: Ctx, earlier: list[dict[str, Any]], day: SaleDay, text: str, products: list[Product]) -> list[Reply]:
    """"日期不对 都是12月5号卖的", "上周五" (answering which day of 上周): the day of the lines; those of the products it
    names when it names some ("AP300是12月3号卖的"), else all."""
    if day.last > ctx.deps.clock.today():
        return _summary(ctx, earlier, _opened(ctx), products,
                        lead=[ctx.t("so.future_day", day=day.last.isoformat())])
    named = {s for m in _index(products).find(normalize(text)) for s in m.skus}
    value = _days(day) if day.vague else day.last.isoformat()
    changed = 0
    for r in earlier:
        if not named or r["sku"] in named:
            _set_day(r, value)
            changed += 1
    opened = _opened(ctx)
    for o in opened:
        if not named or named & set(o["skus"]):
            o["day"] = value
    shown = f"{day.first.isoformat()[5:]}~{day.last.isoformat()[5:]}" if day.vague else day.last.isoformat()[5:]
    return _summary(ctx, earlier, opened, products, lead=[ctx.t("so.redated", n=changed, day=shown)])


@router.button("so.dup")
async def add_again(ctx: Ctx) -> list[Reply]:
    """"➕ 是又卖了一批": the repeated lines added after all."""
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    repeat = ctx.dialog.data.get("repeat") if ctx.dialog.state == "so.confirm" else None
    if not isinstance(repeat, list) or forms.arg(ctx, 0) != ctx.dialog.data.get("nonce"):
        return [Reply(text=ctx.t("so.stale"))]
    products = await forms.active_products(ctx)
    return _added(ctx, list(ctx.dialog.data.get("rows") or []), repeat, [], products, repeat_checked=True)


@router.button("so.pick")
async def pick(ctx: Ctx) -> list[Reply]:
    """The product of a line that named several ("滤网卖了20个": which 滤网): the line read again with it."""
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    opened = _opened(ctx)
    line, sku = forms.arg(ctx, 0), forms.arg(ctx, 1)
    found = next((o for o in opened if str(o["line"]) == line and sku in o["skus"]), None)
    if found is None:
        return [Reply(text=ctx.t("so.stale"))]
    products = await forms.active_products(ctx)
    opened.remove(found)
    day = found.get("day") or ""
    result = _read_as(ctx, found["text"], sku, int(found["line"]), products)
    words = _named(found["text"], sku, products)
    rows = list(ctx.dialog.data.get("rows") or []) if ctx.dialog.state == "so.confirm" else []
    if isinstance(result, dict):
        if day and not result.get("dated"):
            _set_day(result, day)
        rows.append(result)
    else:
        problem = result or _NO_MODEL
        opened.append(_open(int(found["line"]), problem, text=words, skus=[sku], day=day))
    return _summary(ctx, rows, sorted(opened, key=lambda o: int(o["line"])), products)


def _named(text: str, sku: str, products: list[Product]) -> str:
    """A line's words with the word of several products ("滤网") replaced by the one meant."""
    said = normalize(text)
    several = next((m for m in _index(products).find(said) if sku in m.skus), None)
    return said[:several.start] + f" {sku} " + said[several.end:] if several else f"{said} {sku}"


def _read_as(ctx: Ctx, text: str, sku: str, line: int, products: list[Product]) -> dict[str, Any] | Problem | None:
    """A line read again with ``sku`` for its word of several products."""
    return parse_line(_named(text, sku, products), line, products, ctx.deps.clock.today(), _index(products))


@router.button("so.drop")
async def drop(ctx: Ctx) -> list[Reply]:
    """"✖ 这行不报": a line not read, left out of the report."""
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    opened = _opened(ctx)
    kept = [o for o in opened if str(o["line"]) != forms.arg(ctx, 0)]
    rows = list(ctx.dialog.data.get("rows") or []) if ctx.dialog.state == "so.confirm" else []
    return _summary(ctx, rows, kept, await forms.active_products(ctx),
                    lead=[ctx.t("so.dropped", line=forms.arg(ctx, 0))] if len(kept) < len(opened) else [])


def _choice_rows(ctx: Ctx, opened: list[dict[str, Any]], products: list[Product]) -> list[list[Button]]:
    """The first line naming several products: one button each, and one to leave the line out."""
    names = {p.sku: p.name for p in products}
    for o in opened:
        if len(o["skus"]) > 1:
            rows = [[Button(f"{names.get(s, s)}（{s}）", payload("so.pick", str(o["line"]), s))] for s in o["skus"][:5]]
            return [*rows, [Button(ctx.t("so.btn.drop", line=o["line"]), payload("so.drop", str(o["line"])))]]
    return []


def _summary(ctx: Ctx, rows: list[dict[str, Any]], problems: list[dict[str, Any]], products: list[Product], *,
             lead: list[str] | None = None, said: str = "") -> list[Reply]:
    """The report so far; ``said``: the message whose lines it adds (remembered: sent again, it is asked about)."""
    again = [Button(ctx.t("so.btn.again"), payload("so.new", START_OVER)), *forms.cancel_row(ctx, "so")]
    choices = _choice_rows(ctx, problems, products)
    heard = list(ctx.dialog.data.get("said") or []) if ctx.dialog.state.startswith("so.") else []
    if said.strip():
        heard = [*heard, " ".join(normalize(said).split())][-20:]
    if not rows:
        ctx.go("so.input", open=problems, said=heard)
        lines = [*(lead or []), ctx.t("so.no_rows"), *problem_lines(ctx, problems), ctx.t("so.fix_and_resend")]
        return [Reply(text="\n".join(lines), buttons=[*choices, again])]
    nonce = forms.new_nonce()
    ctx.go("so.confirm", nonce=nonce, rows=rows, open=problems, said=heard)
    units = {p.sku: p.unit for p in products if p.unit}
    total = sum((Decimal(r["amount"]) for r in rows), Decimal("0"))
    lines = [*(lead or []), ctx.t("so.summary", rows=len(rows), qty=total_qty(ctx, rows, units), amount=fmt_cny(total))]
    lines += [row_text(ctx, r, units) for r in rows[:PREVIEW_ROWS]]
    if len(rows) > PREVIEW_ROWS:
        lines.append(ctx.t("so.more_rows", n=len(rows) - PREVIEW_ROWS))
    if problems:
        lines += problem_lines(ctx, problems)
        if choices:
            lines.append(ctx.t("so.which_product"))
    undated = next((str(r["days"]) for r in rows if r.get("days")), None)
    if undated:          # "上周": which day is the dealer's to say; no submit until then
        first, _, last = undated.partition("/")
        lines.append(ctx.t("so.which_day", first=first[5:], last=last[5:]))
        return [Reply(text="\n".join(lines), buttons=[*choices, again])]
    return [Reply(text="\n".join(lines), buttons=[*choices, [Button(ctx.t("form.submit"), payload("so.ok", nonce))],
                                                  again])]


async def _submit(ctx: Ctx) -> tuple[str | None, list[Reply]]:
    assert ctx.actor.dealer_id is not None  # the form's guard: require_dealer
    rows: list[dict[str, Any]] = list(ctx.dialog.data.get("rows") or [])
    report = await record_sellout(ctx.uow(), ctx.actor, ctx.actor.dealer_id, [
        SellOutRow(sold_on=r["sold_on"], sku=r["sku"], qty=int(r["qty"]), amount=Decimal(r["amount"]),
                   province=r.get("province", ""), city=r.get("city", ""), customer_type=r["customer_type"])
        for r in rows], ctx.deps.clock)
    lines = [ctx.t("so.recorded", n=report.accepted)]
    if report.errors:
        # the use case numbers the rows it was given; show the user's own line numbers
        problems = [_open(int(rows[e.index]["line"]), _problem(e.zh.split("：", 1)[-1], e.en.split(": ", 1)[-1]))
                    for e in report.errors]
        lines += problem_lines(ctx, problems)
    if opened := _opened(ctx):    # the lines never read (was: gone at the submit without a word)
        left_out = problem_lines(ctx, opened)
        lines += [ctx.t("so.left_out", n=len(opened)), *left_out[1:]]
    return str(report.accepted), [Reply(text="\n".join(lines), buttons=[[forms.menu_button(ctx)]])]


async def _resubmitted(ctx: Ctx, accepted: str) -> list[Reply]:
    return [Reply(text=ctx.t("so.already", n=accepted), buttons=[[forms.menu_button(ctx)]])]


# The rows are one free-form answer (typed lines or a file, read above); the form gives the submit button.
async def _shown(ctx: Ctx) -> list[Reply]:
    """The report in progress shown again (▶ 继续填写 under the notice /menu gives of it)."""
    rows = list(ctx.dialog.data.get("rows") or []) if ctx.dialog.state == "so.confirm" else []
    return _summary(ctx, rows, _opened(ctx), await forms.active_products(ctx))


FORM = Form(prefix="so", steps=(), summary=None, submit=_submit, resubmitted=_resubmitted, title="so.title",
            shown=_shown)
FORM.register(router)
