"""nlu.order_table: which columns a header names, rows as order lines (header or typed), on a catalogue of its
own (tools and paint, not the demo catalogue)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.order_table import Problem, header_columns, read_order_table
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="DR-18V", name="锂电钻18V", aliases=["电钻"], category="电动工具", unit="台"),
    CatalogueEntry(sku="GR-100", name="角磨机100型", aliases=["角磨机"], category="电动工具", unit="台"),
    CatalogueEntry(sku="PT-5L-W", name="白色乳胶漆5L", aliases=[], category="涂料", unit="桶"),
    CatalogueEntry(sku="PT-5L-G", name="灰色乳胶漆5L", aliases=[], category="涂料", unit="桶"),
]
TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(("header", "expected"), [
    (["型号", "数量"], {"code": 0, "qty": 1}),
    (["序号", "产品型号", "产品名称", "订货数量（台）", "单位", "单价"], {"code": 1, "name": 2, "qty": 3, "unit": 4}),
    (["Item", "Description", "Qty", "UOM"], {"name": 0, "name2": 1, "qty": 2, "unit": 3}),
    (["物料编码", "品名", "要货数量", "金额"], {"code": 0, "name": 1, "qty": 2}),
    (["SKU", "Quantity"], {"code": 0, "qty": 1}),
    (["单价", "金额", "数量"], {}),                      # no product column: not a header
    (["上海华信 12月订货单", "", ""], {}),
])
def test_header_columns(header: list[str], expected: dict[str, int]) -> None:
    assert header_columns(header) == expected


def test_rows_under_a_header_with_title_totals_and_empty_quantities() -> None:
    rows = [["建材城五金店 订货单", "", ""], ["", "", ""], ["型号", "品名", "数量"], ["DR-18V", "锂电钻", "10"],
            ["", "角磨机", "五台"], ["PT-5L-W", "白色乳胶漆", ""], ["乳胶漆", "", "4"], ["XJ-77", "", "2"],
            ["GR-100", "", "1.5"], ["合计", "", "22"]]
    table = read_order_table(rows, CATALOGUE, TODAY)
    assert table.header_row == 3 and table.totals == 1 and table.skipped_empty == 1
    taken = [(line.row, line.sku, line.qty) for line in table.taken]
    assert taken == [(4, "DR-18V", 10), (5, "GR-100", 5)]
    problems = {line.row: (line.problem, set(line.candidates)) for line in table.problems}
    assert problems[7] == (Problem.SEVERAL_PRODUCTS, {"PT-5L-W", "PT-5L-G"})
    assert problems[8][0] == Problem.UNKNOWN_PRODUCT
    assert problems[9][0] == Problem.BAD_QUANTITY


def test_rows_without_a_header_read_as_typed_lines() -> None:
    rows = [["1、DR-18V 十台"], ["2. 角磨机 3台"], ["3 白色乳胶漆5L 6桶"], ["下周三前送到"], ["20 GR-100"]]
    table = read_order_table(rows, CATALOGUE, TODAY)
    assert table.header_row is None
    assert [(line.sku, line.qty) for line in table.taken] == [("DR-18V", 10), ("GR-100", 3), ("PT-5L-W", 6),
                                                                ("GR-100", 20)]


def test_a_dealers_own_word_counts_and_a_near_miss_is_doubtful() -> None:
    table = read_order_table([["型号", "数量"], ["小钻", "3"], ["DR-18", "2"]], CATALOGUE, TODAY,
                             dealer_aliases={"小钻": "DR-18V"})
    own, near = table.lines
    assert (own.sku, own.qty, own.doubtful) == ("DR-18V", 3, False)
    assert near.problem or near.doubtful                 # a near miss is never taken as sure
