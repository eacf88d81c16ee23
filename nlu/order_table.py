"""An order list as rows: a spreadsheet the dealer sends (any sensible layout) or the lines of a photographed
list. Which columns say the product and the quantity, and each row as an order line with how sure we are.

Rows go through the same product matcher and quantity parser as typed text (``nlu.products``,
``nlu.numbers``, ``nlu.analysis``), so the dealer's own words (aliases) count in a file as in a chat message.

- With a header row (型号/产品/SKU/编码…, 数量/qty…, in Chinese or English, found in the first rows, also below a title
  or under merged cells): the product from the code column, else the name column; the quantity from its column
  ("20", "20台", "二十").
- Without one (or for a photo's lines): each row read as a typed line ("1  AP300  空气净化器  20 台").
- Total rows (合计/总计/小计/Total) and blank rows are skipped; a row with a product and no quantity (or 0) is an
  order-form row not ordered this time: skipped and counted, not a problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from nlu.analysis import analyze
from nlu.normalize import normalize
from nlu.numbers import typed_quantity
from nlu.product_words import Mention, Strength
from nlu.products import ProductIndex, product_index
from nlu.schema import CatalogueEntry

#: how sure a line's product is, by how it was named (a code or full name: sure; a near miss: check it)
SURE = {Strength.EXACT: 1.0, Strength.NAME: 0.8, Strength.FUZZY: 0.6, Strength.CATEGORY: 0.3, Strength.UNKNOWN: 0.0}
#: below this a line is marked for the dealer to check
DOUBTFUL_BELOW = 0.8
HEADER_SCAN_ROWS = 20

_CODE_WORDS = ("型号", "编码", "编号", "sku", "货号", "物料", "代码", "model", "code", "partno", "itemno", "part#", "item#")
_NAME_WORDS = ("名称", "品名", "产品", "商品", "货品", "品项", "product", "item", "description", "name", "goods")
_QTY_WORDS = ("数量", "件数", "台数", "箱数", "订量", "qty", "quantity", "pcs", "数")
_UNIT_WORDS = ("单位", "unit", "uom")
_NOT_QTY = ("单价", "金额", "价格", "price", "amount", "总价", "小计", "库存", "stock", "已发", "序号")
_TOTAL = re.compile(r"^\s*(?:合\s*计|总\s*计|小\s*计|总数|total|sum|grand\s*total)\b", re.IGNORECASE)
_SERIAL = re.compile(r"^\s*(?:no\.?\s*)?\d{1,3}\s*(?P<mark>(?:\.(?!\d)|[、)）:：])\s*|\s+)(?=\S)", re.IGNORECASE)
_STANDALONE_NUMBER = re.compile(r"(?<![A-Za-z0-9.\-])\d+(?![A-Za-z0-9.\-])|[一二两三四五六七八九十百千]+\s*[台个箱件套只包瓶袋桶卷盒]")
_BRACKETS = re.compile(r"[（(\[【].*?[)）\]】]")


class Problem:
    """Why a row is not an order line (the reason's code; the chat words it)."""
    UNKNOWN_PRODUCT = "unknown_product"      # no product of the catalogue (candidates may be suggested)
    SEVERAL_PRODUCTS = "several_products"    # words several products share ("净化器")
    BAD_QUANTITY = "bad_quantity"            # "2.5", "-3", "若干"
    NO_PRODUCT = "no_product"                # a quantity with no product words


@dataclass(frozen=True)
class TableLine:
    row: int                         # 1-based row of the sheet (or line of the photo)
    text: str                        # the row as written, cells joined (for messages)
    sku: str | None = None
    qty: int | None = None
    sure: float = 0.0                # 0-1: how sure the product is (``SURE``), times a photo's OCR score
    problem: str = ""                # "" or a ``Problem`` code
    word: str = ""                   # the product words as written
    candidates: tuple[str, ...] = ()  # SKUs it may mean (unknown or shared words)

    @property
    def doubtful(self) -> bool:
        return not self.problem and self.sure < DOUBTFUL_BELOW


@dataclass
class OrderTable:
    lines: list[TableLine] = field(default_factory=list)       # order lines and problem rows, in row order
    header_row: int | None = None                               # 1-based; None: read as typed lines
    columns: dict[str, int] = field(default_factory=dict)      # "code" / "name" / "qty" / "unit" -> 0-based
    skipped_empty: int = 0                                      # products listed with no quantity (not ordered)
    totals: int = 0                                             # total rows ignored

    @property
    def taken(self) -> list[TableLine]:
        return [line for line in self.lines if not line.problem]

    @property
    def problems(self) -> list[TableLine]:
        return [line for line in self.lines if line.problem]


def _header_key(cell: str) -> str:
    return re.sub(r"[\s:：*＊#_\-./]", "", _BRACKETS.sub("", cell.lower())) or re.sub(r"\s", "", cell.lower())


def header_columns(row: Sequence[str]) -> dict[str, int]:
    """The product (code, name), quantity and unit columns a header row names (empty when it names none)."""
    columns: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = _header_key(cell)
        if not key or len(key) > 16:
            continue
        if any(w in key for w in _NOT_QTY):
            if "code" not in columns and any(w in key for w in ("型号", "编码")):
                columns["code"] = i
            continue
        if "qty" not in columns and any(key == w or key.startswith(w) or (len(w) > 1 and w in key)
                                        for w in _QTY_WORDS):
            columns["qty"] = i
        elif "unit" not in columns and key in _UNIT_WORDS:
            columns["unit"] = i
        elif "code" not in columns and any(w in key for w in _CODE_WORDS):
            columns["code"] = i
        elif any(w in key for w in _NAME_WORDS):       # "Item" and "Description": both may name the product
            columns["name" if "name" not in columns else f"name{sum(k.startswith('name') for k in columns) + 1}"] = i
    return columns if "qty" in columns and ("code" in columns or "name" in columns) else {}


def _best(index: ProductIndex, text: str) -> Mention | None:
    found = index.find(normalize(text))
    named = [m for m in found if m.skus]
    return max(named, key=lambda m: (m.sku is not None, m.strength, m.end - m.start)) if named else None


def _product(index: ProductIndex, cells: list[str]) -> tuple[str | None, float, str, tuple[str, ...]]:
    """(sku, sure, word, candidates) from the product cells, code first; sku None when no one product."""
    shared: tuple[str, tuple[str, ...]] | None = None
    for cell in cells:
        if not cell.strip():
            continue
        m = _best(index, cell)
        if m is not None and m.sku is not None:
            return m.sku, SURE[m.strength], cell.strip(), ()
        if m is not None and shared is None:
            shared = (cell.strip(), m.skus)
    if shared is not None:
        return None, 0.0, shared[0], shared[1][:5]
    words = [c.strip() for c in cells if c.strip()]
    near = tuple(sku for sku, _ in index.suggest(words, 3)) if words else ()
    return None, 0.0, " ".join(words), near


def _header_line(index: ProductIndex, n: int, row: list[str], columns: dict[str, int]) -> TableLine | None:
    def cell(name: str) -> str:
        i = columns.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    text = " ".join(c.strip() for c in row if c.strip())
    product_cells = [cell("code"), *(cell(k) for k in sorted(columns) if k.startswith("name"))]
    raw_qty = cell("qty")
    if not any(product_cells):
        return None if not raw_qty else TableLine(n, text, problem=Problem.NO_PRODUCT, word=raw_qty)
    sku, sure, word, candidates = _product(index, product_cells)
    qty = typed_quantity(raw_qty + cell("unit")) if raw_qty else None
    if qty is None and raw_qty:
        qty = typed_quantity(raw_qty)
    if raw_qty and qty is None and raw_qty.strip() not in ("0", "-", "—", "/"):
        return TableLine(n, text, sku, None, sure, Problem.BAD_QUANTITY, word, candidates)
    if not qty:
        return None                  # listed, not ordered this time (counted by the caller)
    if sku is None:
        problem = Problem.SEVERAL_PRODUCTS if candidates and sure == 0.0 and _shared(index, word) else \
            Problem.UNKNOWN_PRODUCT
        return TableLine(n, text, None, qty, 0.0, problem, word, candidates)
    return TableLine(n, text, sku, qty, sure, "", word)


def _shared(index: ProductIndex, word: str) -> bool:
    m = _best(index, word)
    return m is not None and m.sku is None and len(m.skus) > 1


def typed_line(index: ProductIndex, n: int, text: str, today: date) -> TableLine | None:
    """A row read as a typed order line ("AP300 20台", "1 AP300 空气净化器 20 台"); None for a row that names no
    product and no quantity (a title, a date line)."""
    line = text.strip()
    serial = _SERIAL.match(line)
    # "1、AP300 20台", "2. DH20 十台": a row number; "1 AP300 20台" too when a count follows, but "20 AP300" is a count
    if serial and (serial.group("mark").strip() or _STANDALONE_NUMBER.search(line, serial.end())):
        line = line[serial.end():]
    if not line:
        return None
    a = analyze(line, index, today)
    items = a.items.items
    named = [m for m in a.mentions if m.skus]
    if len(items) == 1:
        sku, qty = next(iter(items.items()))
        strength = max((m.strength for m in named if sku in m.skus), default=Strength.FUZZY)
        return TableLine(n, text.strip(), sku, qty, SURE[strength], "", line)
    if len(items) > 1:            # one row, two products: each is a line of its own
        return TableLine(n, text.strip(), problem=Problem.SEVERAL_PRODUCTS, word=line,
                         candidates=tuple(items)[:5])
    if a.items.rejected or a.items.negative:
        return TableLine(n, text.strip(), problem=Problem.BAD_QUANTITY, word=line)
    if a.items.unresolved:
        u = a.items.unresolved[0]
        return TableLine(n, text.strip(), None, u.qty, 0.0, Problem.SEVERAL_PRODUCTS if u.generic else
                         Problem.UNKNOWN_PRODUCT, u.word, tuple(u.candidates)[:5])
    if named or a.unknown or a.codes:
        word = (a.unknown or [c.word for c in a.codes] or [named[0].word])[0]
        count = typed_quantity(line.replace(word, " ")) if word else None
        near = tuple(sku for sku, _ in index.suggest([word], 3)) if word else ()
        if count is None:
            return None           # a product named without a count: not an order line (a heading, a note)
        return TableLine(n, text.strip(), None, count, 0.0, Problem.UNKNOWN_PRODUCT, word, near)
    return None


def read_order_table(rows: Sequence[Sequence[str]], catalogue: Sequence[CatalogueEntry], today: date,
                     dealer_aliases: dict[str, str] | None = None) -> OrderTable:
    """The order lines of a table's ``rows`` (cells as text)."""
    index = product_index(catalogue, dealer_aliases)
    table = OrderTable()
    start = 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = header_columns([str(c) for c in row])
        if columns:
            table.header_row, table.columns, start = i + 1, columns, i + 1
            break
    for i in range(start, len(rows)):
        row = [str(c) for c in rows[i]]
        text = " ".join(c.strip() for c in row if c.strip())
        if not text:
            continue
        if any(_TOTAL.match(c) for c in row if c.strip()):
            table.totals += 1
            continue
        if table.columns:
            line = _header_line(index, i + 1, row, table.columns)
            if line is None and any(row[j].strip() for k, j in table.columns.items()
                                    if k.startswith(("code", "name")) and j < len(row)):
                table.skipped_empty += 1
        else:
            line = typed_line(index, i + 1, text, today)
        if line is not None:
            table.lines.append(line)
    return table


def read_order_lines(lines: Sequence[tuple[str, float]], catalogue: Sequence[CatalogueEntry], today: date,
                     dealer_aliases: dict[str, str] | None = None) -> list[TableLine]:
    """Lines of text with how sure their reading is (a photo's rows with the OCR score) as order lines; each
    line's ``sure`` is the product's times the reading's. Lines that say nothing about an order are left out."""
    index = product_index(catalogue, dealer_aliases)
    codes = _glued_codes(catalogue)
    out = []
    for n, (text, score) in enumerate(lines, start=1):
        if _TOTAL.match(text):
            continue
        line = typed_line(index, n, _respaced(text, codes), today)
        if line is not None:
            out.append(replace(line, sure=round(line.sure * max(0.0, min(score, 1.0)), 3)))
    return out


def _glued_codes(catalogue: Sequence[CatalogueEntry]) -> re.Pattern[str] | None:
    words = {e.sku for e in catalogue} | {a for e in catalogue for a in e.aliases}
    codes = sorted({w for w in words if re.fullmatch(r"[A-Za-z0-9\-]*[A-Za-z][A-Za-z0-9\-]*\d[A-Za-z0-9\-]*|"
                                                      r"[A-Za-z0-9\-]*\d[A-Za-z0-9\-]*[A-Za-z][A-Za-z0-9\-]*", w)},
                   key=len, reverse=True)
    if not codes:
        return None
    return re.compile("|".join(re.escape(c) for c in codes), re.IGNORECASE)


def _respaced(text: str, codes: re.Pattern[str] | None) -> str:
    """OCR drops the spaces of a printed line ("AP30012台", "1AP300滤网二箱", "AP500Pro8台"): a catalogue code (a
    SKU or alias of letters and digits) with a digit right after it (a count) or right before it (a row number)
    gets its spaces back; a dot between a code and a count is a speck."""
    if codes is None:
        return text
    out, last = [], 0
    for m in codes.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before.isascii() and before.isalpha() or after.isascii() and after.isalpha():
            continue                  # inside a longer code ("XAP300", "AP300X"): not this product's code
        out.append(text[last:m.start()])
        dot = after == "." and text[m.end() + 1:m.end() + 2].isdigit()     # "AP300.6台": a speck read as a dot
        out.append((" " if before.isdigit() else "") + m.group(0) + (" " if after.isdigit() or dot else ""))
        last = m.end() + (1 if dot else 0)
    out.append(text[last:])
    return "".join(out)
