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

import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl

from core.errors import ValidationFailed
from core.money import fmt_cny, money
from core.products import Product
from core.sellout import CustomerType
from core.services.sellout import CUSTOMER_TYPE_ALIASES, SellOutRow, record_sellout
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import PARKED_SELLOUT, Ctx
from handlers.flows import forms
from handlers.flows.stepform import Form
from handlers.messages import Button, InboundKind, Reply
from handlers.router import READ_ONLY_INTENTS, Router, StepLeft, payload
from handlers.tables import FileUnreadable, read_table
from handlers.tables import Reason as Problem
from nlu.normalize import normalize
from nlu.numbers import parse_int
from nlu.products import ProductIndex, product_index
from nlu.replies import is_confirmation
from nlu.schema import LOW_CONFIDENCE, CatalogueEntry, EditOp, Intent

router = Router(name=__name__)

TEMPLATE_HEADER = ("date", "sku", "qty", "amount", "province", "city", "customer_type")
TEMPLATE_NAME = "sellout_template.xlsx"
MAX_ROWS = 1000
MAX_FILE_BYTES = 2 * 1024 * 1024
PREVIEW_ROWS = 10
PREVIEW_ERRORS = 15
# another job typed in the middle of a report: offered (the report is left only on its button)
_OTHER_JOBS = frozenset({Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK})
# another request typed in the middle of a report ("AP300还有货吗", "转了2万还没到账 帮我看看"): the report is parked,
# the request handled as if no form were open
_LEAVES = READ_ONLY_INTENTS | {Intent.CANCEL_ORDER}

CUSTOMER_TYPE_LABELS: dict[CustomerType, tuple[str, str]] = {
    CustomerType.RETAIL: ("零售", "retail"), CustomerType.PROJECT: ("工程", "project"),
    CustomerType.ONLINE: ("电商", "online"), CustomerType.SUBDEALER: ("分销", "sub-dealer"),
}

HEADER_ALIASES: dict[str, frozenset[str]] = {
    "date": frozenset({"date", "日期", "销售日期", "sold_on"}),
    "sku": frozenset({"sku", "型号", "产品型号", "产品", "product"}),
    "qty": frozenset({"qty", "数量", "quantity", "台数"}),
    "amount": frozenset({"amount", "金额", "销售额", "总额", "总金额"}),
    "province": frozenset({"province", "省份", "省"}),
    "city": frozenset({"city", "城市", "市"}),
    "customer_type": frozenset({"customer_type", "客户类型", "类型", "customer type"}),
}
REQUIRED_COLUMNS = ("sku", "qty", "amount")

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
    "so.errors": ("⚠️ 以下 {n} 行有问题，不会记录：", "⚠️ These {n} row(s) have problems and will not be recorded:"),
    "so.more_errors": ("……另有 {n} 个问题", "... and {n} more problem(s)"),
    "so.fix_and_resend": ("请修改后重新发送。", "Please correct them and send again."),
    "so.recorded": ("✅ 已上报 {n} 行销量。", "✅ {n} sales row(s) recorded."),
    "so.already": ("这批销量已经上报过了（{n} 行）。", "This report was already recorded ({n} row(s))."),
    "so.use_buttons": ("请点“确认提交”，或点“重新填写”。", "Please tap Submit, or Start over."),
    "so.file_unsupported": ("当前渠道暂不支持读取文件，请用文字发送。",
                            "Files cannot be read on this channel; please type the lines instead."),
    "so.file_too_big": ("文件太大（最多 2 MB），请分批上报。", "The file is too big (2 MB at most); please split it."),
    "so.file_broken": ("文件无法读取：{reason}\n请使用“下载模板”得到的表格，填好后重新发送。没有记录任何数据。",
                       "The file could not be read: {reason}\nPlease use the template and send it again. "
                       "Nothing was recorded."),
    "so.row": ("第 {line} 行：{reason}", "Row {line}: {reason}"),
})


# --- checking one row (typed or from a file) ---------------------------------------------------------

def _problem(zh: str, en: str) -> Problem:
    return Problem(zh, en)


def _parse_date(text: str, today: date) -> date | Problem:
    value = text.strip()
    if not value or value in ("今天", "today"):
        return today
    if value in ("昨天", "yesterday"):
        return today - timedelta(days=1)
    value = value.split("T")[0].split(" ")[0]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if day > today:
            return _problem(f"销售日期 {day} 晚于今天", f"sale date {day} is in the future")
        return day
    return _problem(f"日期格式错误：{text}", f"bad date: {text}")


def _parse_qty(text: str) -> int | Problem:
    raw = text.strip()
    value: int | None
    try:
        number = Decimal(raw)
        value = int(number) if number.is_finite() and number == number.to_integral_value() else None
    except InvalidOperation:
        value = parse_int(raw)
    if value is None or value <= 0:
        return _problem(f"数量须为正整数：{text or '空'}", f"quantity must be a whole number above 0: {text or 'empty'}")
    return value


def _parse_amount(text: str) -> Decimal | Problem:
    raw = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").removesuffix("元")
    try:
        value = money(Decimal(raw))
    except (InvalidOperation, ValidationFailed):
        return _problem(f"金额格式错误：{text or '空'}", f"bad amount: {text or 'empty'}")
    if value < 0:
        return _problem(f"金额不能为负：{text}", f"amount must not be negative: {text}")
    return value


def _parse_customer_type(text: str) -> CustomerType | Problem:
    raw = text.strip()
    if not raw:
        return CustomerType.RETAIL
    found = CUSTOMER_TYPE_ALIASES.get(raw) or CUSTOMER_TYPE_ALIASES.get(raw.lower())
    if found is None:
        return _problem(f"客户类型未知：{raw}（零售/工程/电商/分销）",
                        f"unknown customer type: {raw} (retail/project/online/subdealer)")
    return found


def check_row(raw: dict[str, str], line: int, skus: dict[str, str], today: date) -> dict[str, Any] | Problem:
    """A JSON-safe draft row, or the first problem with it. ``skus`` maps casefolded SKU -> SKU."""
    sku = skus.get(raw.get("sku", "").strip().casefold())
    if sku is None:
        shown = raw.get("sku", "").strip()
        return _problem(f"未知产品：{shown or '空'}", f"unknown product: {shown or 'empty'}")
    sold_on = _parse_date(raw.get("date", ""), today)
    qty = _parse_qty(raw.get("qty", ""))
    amount = _parse_amount(raw.get("amount", ""))
    customer_type = _parse_customer_type(raw.get("customer_type", ""))
    for value in (sold_on, qty, amount, customer_type):
        if isinstance(value, Problem):
            return value
    assert isinstance(sold_on, date) and isinstance(qty, int) and isinstance(amount, Decimal)
    assert isinstance(customer_type, CustomerType)
    return {"line": line, "sold_on": sold_on.isoformat(), "sku": sku, "qty": qty, "amount": str(amount),
            "province": raw.get("province", "").strip(), "city": raw.get("city", "").strip(),
            "customer_type": customer_type.value}


# --- typed lines ----------------------------------------------------------------------------------

_DATE_IN_TEXT = re.compile(r"(20\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|今天|昨天)")
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
    if m := _DATE_IN_TEXT.search(rest):
        raw["date"] = m.group(1).replace("年", "-").replace("月", "-").replace("日", "")
        rest = rest[:m.start()] + " " + rest[m.end():]
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
        return _problem("没有找到产品型号", "no product model found")
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
    return check_row(raw, line, skus, today)


def parse_text(text: str, products: list[Product], today: date, *,
               before: str = "") -> tuple[list[dict[str, Any]], list[tuple[int, Problem]]]:
    """Typed lines -> rows and problems; ``before``: the words of the sale reported last (a line that names its
    product by a variant alone, "7号卖了150个", is read after them)."""
    rows: list[dict[str, Any]] = []
    problems: list[tuple[int, Problem]] = []
    index = _index(products)
    lines = [_dated(part, line) for line in text.splitlines() if line.strip() for part in _sales_of(line, index)]
    for n, line in enumerate(lines[:MAX_ROWS], start=1):
        result = parse_line(line, n, products, today, index)
        if isinstance(result, Problem) and before and (named := _continued(before, line, index)) is not None:
            # "三层5号卖了200个 200元" then "7号卖了150个 105元": the 7号 of the series said on the line before
            result = parse_line(line.replace(named[0], named[1], 1), n, products, today, index)
        before = line
        if result is None:
            continue
        if isinstance(result, Problem):
            problems.append((n, result))
        else:
            rows.append(result)
    return rows, problems


def _dated(part: str, line: str) -> str:
    """A sale split from a typed line that said its day once ("昨天卖了AP300 5台…，DH12 2台…"): the day for it too."""
    if part == line or _DATE_IN_TEXT.search(normalize(part)):
        return part
    day = _DATE_IN_TEXT.search(normalize(line))
    return f"{day.group(1)} {part}" if day else part


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


# --- files ---------------------------------------------------------------------------------------

def template_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "sellout"
    ws.append(list(TEMPLATE_HEADER))
    for column, width in zip("ABCDEFG", (12, 12, 8, 12, 10, 10, 14), strict=True):
        ws.column_dimensions[column].width = width
    notes = wb.create_sheet("说明")
    for row in (("列", "说明", "示例"),
                ("date", "销售日期 YYYY-MM-DD", "2026-11-25"),
                ("sku", "产品型号", "AP300"),
                ("qty", "数量（正整数）", "3"),
                ("amount", "该行销售总额（元）", "5997.00"),
                ("province", "省份（可空：默认贵司所在省）", "浙江"),
                ("city", "城市（可空：默认贵司所在市）", "杭州"),
                ("customer_type", "零售/工程/电商/分销（可空：零售）", "零售")):
        notes.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse_file(data: bytes, file_name: str, products: list[Product], today: date
               ) -> tuple[list[dict[str, Any]], list[tuple[int, Problem]]]:
    """Rows of an uploaded sheet; raises FileUnreadable when the file itself is unusable."""
    table = read_table(data, file_name, sheet="sellout")
    start = next((i for i, row in enumerate(table) if any(row)), None)
    if start is None:
        raise FileUnreadable(_problem("表格里没有数据行", "the sheet has no data rows"))
    columns: dict[str, int] = {}
    for index, title in enumerate(table[start]):
        key = title.strip().lower()
        for field_name, aliases in HEADER_ALIASES.items():
            if key in aliases and field_name not in columns:
                columns[field_name] = index
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FileUnreadable(_problem(f"缺少列：{', '.join(missing)}（表头应为 {','.join(TEMPLATE_HEADER)}）",
                                      f"missing column(s): {', '.join(missing)} (the header is "
                                      f"{','.join(TEMPLATE_HEADER)})"))
    body = [(start + 2 + i, row) for i, row in enumerate(table[start + 1:]) if any(c.strip() for c in row)]
    if not body:
        raise FileUnreadable(_problem("表格里没有数据行", "the sheet has no data rows"))
    if len(body) > MAX_ROWS:
        raise FileUnreadable(_problem(f"超过 {MAX_ROWS} 行，请分批上报", f"more than {MAX_ROWS} rows; please split it"))
    skus = {p.sku.casefold(): p.sku for p in products}
    rows: list[dict[str, Any]] = []
    problems: list[tuple[int, Problem]] = []
    for line, row in body:
        raw = {name: (row[i] if i < len(row) else "") for name, i in columns.items()}
        result = check_row(raw, line, skus, today)
        if isinstance(result, Problem):
            problems.append((line, result))
        else:
            rows.append(result)
    return rows, problems


# --- the conversation ------------------------------------------------------------------------------

def _prompt(ctx: Ctx) -> Reply:
    return Reply(text=ctx.t("so.prompt"), buttons=[[Button(ctx.t("so.btn.template"), payload("so.tpl"))],
                                                   forms.cancel_row(ctx, "so")])


@router.button("so.new")
@router.command("sellout")
async def new(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    if kept := _taken_up(ctx):       # a report left for another request: shown again, to go on with
        return _summary(ctx, kept, [], await forms.active_products(ctx), lead=[ctx.t("so.resumed")])
    ctx.go("so.input")
    return [_prompt(ctx)]


def _taken_up(ctx: Ctx) -> list[dict[str, Any]]:
    """The lines of the report parked when the dealer left it for another request (``Ctx.go``), else none."""
    parked = ctx.dialog.data.get(PARKED_SELLOUT)
    if ctx.dialog.state.startswith("so.") or not isinstance(parked, dict):
        return []
    return [r for r in parked.get("rows") or [] if isinstance(r, dict)]


def _park(ctx: Ctx) -> StepLeft:
    """Another request typed in the middle of a report: the report parked (its lines kept), the dialog idle, the
    request handled by the service after the notice saying so and how to go back."""
    rows = list(ctx.dialog.data.get("rows") or []) if ctx.dialog.state == "so.confirm" else []
    ctx.idle()
    if rows:
        ctx.dialog.data[PARKED_SELLOUT] = {"rows": rows}
    notice = ctx.t("so.parked", n=len(rows)) if rows else ctx.t("so.parked_empty")
    return StepLeft([], after=[Reply(text=notice, buttons=[[Button(ctx.t("so.btn.resume"), payload("so.new"))]])])


@router.intent(Intent.REPORT_SALES)
async def report_sales_intent(ctx: Ctx) -> list[Reply]:
    if (figures := await forms.staff_sales_question(ctx)) is not None:
        return figures      # staff report no sell-out of their own: a question about the dealers' sell-out
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    kept = _taken_up(ctx)
    ctx.go("so.input")
    products = await forms.active_products(ctx)
    rows, problems = parse_text(ctx.inbound.text, products, ctx.deps.clock.today())
    if kept and not rows and not problems:        # "上报销量" after the report was left: the report again
        return _summary(ctx, kept, [], products, lead=[ctx.t("so.resumed")])
    if kept:         # a sales line typed after the report was left for another request: added to it
        return _added(ctx, kept, rows, problems, products)
    if not rows and not problems:
        return [_prompt(ctx)]
    return _summary(ctx, rows, problems, products)


@router.button("so.tpl")
async def template(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    if kept := _taken_up(ctx):
        ctx.go("so.confirm", nonce=forms.new_nonce(), rows=kept)
    elif not ctx.dialog.state.startswith("so."):
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
            rows, problems = parse_file(data, ctx.inbound.file_name, products, today)
        except FileUnreadable as exc:
            ctx.go("so.input")
            reason = ctx.pick(exc.problem.zh, exc.problem.en)
            return [Reply(text=ctx.t("so.file_broken", reason=reason),
                          buttons=[[Button(ctx.t("so.btn.template"), payload("so.tpl"))], forms.cancel_row(ctx, "so")])]
        earlier_rows = list(ctx.dialog.data.get("rows") or []) if ctx.dialog.state == "so.confirm" else []
        lead = [ctx.t("so.file_replaces", n=len(earlier_rows))] if earlier_rows else []
        return _summary(ctx, rows, problems, products, lead=lead)
    text = forms.text_of(ctx)
    if not text:
        return [_prompt(ctx)]
    if ctx.dialog.state == "so.confirm" and is_confirmation(text):    # "确认提交", "好的 提交" typed under the summary
        ctx.args = [str(ctx.dialog.data.get("nonce", ""))]
        return await FORM.confirm(ctx)
    if ctx.dialog.state == "so.confirm" and _START_OVER.fullmatch(text.strip(" 。.!！")):
        return await new(ctx)                                          # "重新填写": the rows shown are dropped
    earlier: list[dict[str, Any]] = list(ctx.dialog.data.get("rows") or []) if ctx.dialog.state == "so.confirm" else []
    if earlier:      # "不要AP300那行", "DH20删掉": lines taken back from the report in progress
        edits = (await parse_message(ctx)).slots.edits
        dropped = {e.sku for e in edits if e.op == EditOp.REMOVE and e.sku}
        if dropped and all(e.op == EditOp.REMOVE for e in edits):
            kept = [r for r in earlier if r["sku"] not in dropped]
            return _summary(ctx, kept, [], products, lead=[ctx.t("so.removed", n=len(earlier) - len(kept))])
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
        return _added(ctx, earlier, rows, problems, products)
    return _summary(ctx, rows, problems, products)


def _added(ctx: Ctx, earlier: list[dict[str, Any]], rows: list[dict[str, Any]], problems: list[tuple[int, Problem]],
           products: list[Product]) -> list[Reply]:
    offset = max((int(r.get("line", 0)) for r in earlier), default=0)
    for r in rows:
        r["line"] = int(r.get("line", 0)) + offset
    problems = [(n + offset, p) for n, p in problems]
    return _summary(ctx, earlier + rows, problems, products, lead=[ctx.t("so.appended", n=len(rows),
                                                                 total=len(earlier) + len(rows))])


def _type_label(ctx: Ctx, value: str) -> str:
    zh, en = CUSTOMER_TYPE_LABELS[CustomerType(value)]
    return ctx.pick(zh, en)


def _row_text(ctx: Ctx, row: dict[str, Any], units: dict[str, str]) -> str:
    place = " ".join(p for p in (row.get("province"), row.get("city")) if p)
    parts = [row["sold_on"][5:], row["sku"], f"×{row['qty']}{units.get(row['sku'], '')}", fmt_cny(Decimal(row["amount"])), place,
             _type_label(ctx, row["customer_type"])]
    return "• " + " ".join(p for p in parts if p)


def _problem_lines(ctx: Ctx, problems: list[tuple[int, Problem]]) -> list[str]:
    lines = [ctx.t("so.errors", n=len(problems))]
    lines += [ctx.t("so.row", line=n, reason=ctx.pick(p.zh, p.en)) for n, p in problems[:PREVIEW_ERRORS]]
    if len(problems) > PREVIEW_ERRORS:
        lines.append(ctx.t("so.more_errors", n=len(problems) - PREVIEW_ERRORS))
    return lines


def _total_qty(ctx: Ctx, rows: list[dict[str, Any]], units: dict[str, str]) -> str:
    """"300 个、20 箱": the quantities summed per unit, in the order the units first come (a carton counted with
    bags is no total); "5 台（件）" only where a row's product has no unit."""
    totals: dict[str, int] = {}
    for r in rows:
        unit = units.get(r["sku"]) or ""
        totals[unit] = totals.get(unit, 0) + int(r["qty"])
    if "" in totals:
        return ctx.pick(f"{sum(totals.values())} 台（件）", f"{sum(totals.values())} unit(s)")
    return ctx.pick("、", ", ").join(f"{qty} {unit}" for unit, qty in totals.items())


def _summary(ctx: Ctx, rows: list[dict[str, Any]], problems: list[tuple[int, Problem]], products: list[Product], *,
             lead: list[str] | None = None) -> list[Reply]:
    again = [Button(ctx.t("so.btn.again"), payload("so.new")), *forms.cancel_row(ctx, "so")]
    if not rows:
        ctx.go("so.input")
        lines = [ctx.t("so.no_rows"), *_problem_lines(ctx, problems), ctx.t("so.fix_and_resend")]
        return [Reply(text="\n".join(lines), buttons=[again])]
    nonce = forms.new_nonce()
    ctx.go("so.confirm", nonce=nonce, rows=rows)
    units = {p.sku: p.unit for p in products if p.unit}
    total = sum((Decimal(r["amount"]) for r in rows), Decimal("0"))
    lines = [*(lead or []), ctx.t("so.summary", rows=len(rows), qty=_total_qty(ctx, rows, units), amount=fmt_cny(total))]
    lines += [_row_text(ctx, r, units) for r in rows[:PREVIEW_ROWS]]
    if len(rows) > PREVIEW_ROWS:
        lines.append(ctx.t("so.more_rows", n=len(rows) - PREVIEW_ROWS))
    if problems:
        lines += _problem_lines(ctx, problems)
    return [Reply(text="\n".join(lines), buttons=[[Button(ctx.t("form.submit"), payload("so.ok", nonce))], again])]


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
        problems = [(int(rows[e.index]["line"]), _problem(e.zh.split("：", 1)[-1], e.en.split(": ", 1)[-1]))
                    for e in report.errors]
        lines += _problem_lines(ctx, problems)
    return str(report.accepted), [Reply(text="\n".join(lines), buttons=[[forms.menu_button(ctx)]])]


async def _resubmitted(ctx: Ctx, accepted: str) -> list[Reply]:
    return [Reply(text=ctx.t("so.already", n=accepted), buttons=[[forms.menu_button(ctx)]])]


# The rows are one free-form answer (typed lines or a file, read above); the form gives the submit button.
FORM = Form(prefix="so", steps=(), summary=None, submit=_submit, resubmitted=_resubmitted)
FORM.register(router)
