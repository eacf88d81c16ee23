"""core.migration + core.services.migration: row validation (pure) and the upsert use cases on the in-memory unit of work."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from core.clock import Clock
from core.dealers import DealerStatus
from core.errors import PermissionDenied
from core.inventory import StockLevel, Warehouse
from core.migration import (
    EmptyFile,
    ImportKind,
    MissingColumns,
    RowError,
    normalize_header,
    validate_dealers,
    validate_orders,
    validate_products,
    validate_stock,
)
from core.products import Product
from core.services.migration import import_dealers, import_products, import_stock, import_table
from core.uscc import make_uscc
from core.users import Actor, ActorKind, Role
from tests.fakes import FakeUnitOfWork

CLOCK = Clock.fixed(datetime(2026, 11, 26, 10, 0))
SYSTEM = Actor.system()
PRODUCT_HEADER = ["sku", "name", "aliases", "category", "unit", "list_price"]
DEALER_HEADER = ["code", "name", "uscc", "province", "city", "region", "tier", "parent_code",
                 "credit_limit", "contact_name", "contact_phone", "contact_role", "status"]


def product_rows() -> list[list[str | None]]:
    return [
        ["AP300", "空气净化器 AP300", "净化器300;AP-300", "空气净化器", "台", "1299.00"],
        ["DH20", "除湿机 DH20", "", "除湿机", "台", "1899"],
        ["FL-AP300", "AP300 滤网", "滤网300", "滤网耗材", "箱", "¥1,080.5"],
    ]


# --- validation ------------------------------------------------------------------------------------


def test_valid_products_become_records_with_decimal_prices_and_split_aliases() -> None:
    result = validate_products(PRODUCT_HEADER, product_rows())

    assert result.errors == []
    assert [r.sku for r in result.records] == ["AP300", "DH20", "FL-AP300"]
    assert result.records[0].aliases == ("净化器300", "AP-300")
    assert result.records[1].aliases == ()
    assert result.records[2].list_price == Decimal("1080.50")
    assert [r.row for r in result.records] == [2, 3, 4]
    assert result.records[0].pack_size == 1 and result.records[0].active is True


def test_bad_product_rows_are_reported_with_spreadsheet_row_numbers_and_both_languages() -> None:
    rows = product_rows() + [
        ["", "无编码", "", "净水器", "台", "999"],                 # row 5: empty sku
        ["WP500", "净水器 WP500", "", "净水器", "台", "-1"],      # row 6: negative price
        ["WP600", "净水器 WP600", "", "净水器", "台", "12.345"],  # row 7: 3 decimals
        ["WP700", "净水器 WP700", "", "净水器", "", "abc"],       # row 8: no unit and bad price
    ]
    result = validate_products(PRODUCT_HEADER, rows)

    assert [r.sku for r in result.records] == ["AP300", "DH20", "FL-AP300"]
    assert [e.row for e in result.errors] == [5, 6, 7, 8]
    assert "sku 不能为空" in result.errors[0].zh and "sku must not be empty" in result.errors[0].en
    assert "不能为负数" in result.errors[1].zh
    assert "more than 2 decimals" in result.errors[2].en
    assert "unit" in result.errors[3].en and "list_price" in result.errors[3].en
    assert str(result.errors[0]).startswith("第 5 行：")
    assert "(row 5:" in str(result.errors[0]).replace("（", "(")


def test_float_cells_are_refused_as_money() -> None:
    result = validate_products(PRODUCT_HEADER, [["AP300", "净化器", "", "空气净化器", "台", 1299.5]])

    assert result.records == []
    assert result.errors[0].row == 2
    assert "float" in result.errors[0].en


def test_missing_required_column_fails_the_whole_file() -> None:
    with pytest.raises(MissingColumns) as info:
        validate_products(["sku", "name", "aliases", "category", "unit"], [["AP300", "x", "", "c", "台"]])

    assert "list_price" in info.value.message("zh")
    assert "list_price" in info.value.message("en")
    assert "缺少" in info.value.message("zh")


def test_empty_header_is_an_empty_file() -> None:
    with pytest.raises(EmptyFile):
        validate_products([], [])


def test_duplicate_sku_in_the_file_is_reported_against_the_first_row() -> None:
    rows = product_rows() + [["ap300", "重复", "", "空气净化器", "台", "1"]]
    result = validate_products(PRODUCT_HEADER, rows)

    assert len(result.records) == 3
    assert result.errors == [RowError(5, "ap300 与第 2 行重复", "ap300 duplicates row 2")]


def test_blank_rows_are_skipped_but_counted_in_row_numbers() -> None:
    rows = [product_rows()[0], [None, "", "  "], product_rows()[1][:4] + ["", "x"]]
    result = validate_products(PRODUCT_HEADER, rows)

    assert result.rows_read == 2
    assert result.errors[0].row == 4


def test_headers_are_normalized_bom_case_and_chinese() -> None:
    assert normalize_header("\ufeffSKU ") == "sku"
    assert normalize_header("List Price") == "list_price"
    assert normalize_header("统一社会信用代码") == "uscc"
    header = ["产品编码", "产品名称", "别名", "品类", "单位", "指导价", "起订量"]
    result = validate_products(header, [["AP300", "净化器", "", "空气净化器", "台", "10", "5"]])
    assert result.records[0].moq == 5


def test_products_max_line_qty_column_optional_with_chinese_headers() -> None:
    header = [*PRODUCT_HEADER, "moq", "max_line_qty"]
    rows = [["AP300", "净化器", "", "空气净化器", "台", "10", "1", "200"],
            ["DH20", "除湿机", "", "除湿机", "台", "10", "1", ""],
            ["DH50", "除湿机", "", "除湿机", "台", "10", "5", "4"],
            ["DH60", "除湿机", "", "除湿机", "台", "10", "1", "0"],
            ["DH70", "除湿机", "", "除湿机", "台", "10", "1", "100000"],
            ["DH80", "除湿机", "", "除湿机", "台", "10", "1", "2.5"],
            ["DH90", "除湿机", "", "除湿机", "台", "10", "100000", ""]]          # no line could hold the MOQ
    result = validate_products(header, rows)
    assert [(r.sku, r.max_line_qty) for r in result.records] == [("AP300", 200), ("DH20", None)]
    assert [e.row for e in result.errors] == [4, 5, 6, 7, 8]
    assert "起订量" in result.errors[0].zh and "MOQ" in result.errors[0].en
    assert "whole number" in result.errors[3].en
    assert result.records[1].fields()["max_line_qty"] is None      # the column there, the cell empty: default
    for alias in ("单行上限", "每单上限"):
        chinese = validate_products([*PRODUCT_HEADER, alias], [["AP300", "净化器", "", "空气净化器", "台", "10", "50"]])
        assert chinese.records[0].max_line_qty == 50
    assert "max_line_qty" not in validate_products(PRODUCT_HEADER, product_rows()).records[0].fields()


def test_historical_order_lines_refuse_absurd_quantities() -> None:
    header = ["order_number", "order_date", "dealer_code", "status", "sku", "qty", "unit_price"]
    result = validate_orders(header, [["SO-1", "2026-01-05", "D0001", "closed", "AP300", "99999", "1999"],
                                      ["SO-2", "2026-01-05", "D0001", "closed", "AP300", "99999999", "1999"]])
    assert [r.number for r in result.records] == ["SO-1"]
    assert [e.row for e in result.errors] == [3] and "at most 99999" in result.errors[0].en


def test_dealer_rows_validate_uscc_phone_status_and_parent() -> None:
    good = make_uscc(1001)
    rows = [
        ["D0001", "上海浦东家电有限公司", good.lower(), "上海", "上海", "华东", "a", "", "200000",
         "王伟", "138 1234 5678", "老板", "active"],
        ["D0002", "杭州小店", good[:-1] + ("0" if good[-1] != "0" else "1"), "浙江", "杭州", "华东", "B",
         "", "", "", "", "", ""],
        ["D0003", "南京分销", make_uscc(1003), "江苏", "南京", "华东", "C", "D0003", "0", "李", "123",
         "", "闹着玩"],
        ["D0004", "苏州分销", make_uscc(1004), "江苏", "苏州", "华东", "C", "D0001", "", "", "", "", "合作中"],
    ]
    result = validate_dealers(DEALER_HEADER, rows)

    assert [r.code for r in result.records] == ["D0001", "D0004"]
    first = result.records[0]
    assert first.uscc == good and first.tier == "A" and first.contact_phone == "13812345678"
    assert first.credit_limit == Decimal("200000.00") and first.status == DealerStatus.ACTIVE
    assert result.records[1].status == DealerStatus.ACTIVE and result.records[1].parent_code == "D0001"
    assert [e.row for e in result.errors] == [3, 4]
    assert "校验位" in result.errors[0].zh
    assert "parent_code" in result.errors[1].en and "phone" in result.errors[1].en
    assert "unknown status" in result.errors[1].en


def test_stock_rows_need_whole_non_negative_quantities() -> None:
    result = validate_stock(["warehouse", "sku", "on_hand"],
                            [["WH-SH", "AP300", "120"], ["WH-SH", "DH20", "-3"], ["WH-SH", "DH20", "2.5"],
                             ["wh-sh", "ap300", "1"]])

    assert [(r.warehouse, r.sku, r.on_hand) for r in result.records] == [("WH-SH", "AP300", 120)]
    assert [e.row for e in result.errors] == [3, 4, 5]
    assert "duplicates row 2" in result.errors[2].en


# --- use cases -------------------------------------------------------------------------------------


async def test_import_products_creates_then_reimport_changes_nothing() -> None:
    uow = FakeUnitOfWork()
    first = await import_products(uow, SYSTEM, CLOCK, validate_products(PRODUCT_HEADER, product_rows()))

    assert (first.created, first.updated, first.unchanged, first.committed) == (3, 0, 0, True)
    stored = {p.sku: p for p in uow.products.rows}
    assert stored["AP300"].aliases == ["净化器300", "AP-300"]
    assert stored["FL-AP300"].list_price == Decimal("1080.50")
    audits = len(uow.audit.rows)
    assert audits == 3 and uow.audit.rows[0].action == "product.import"

    again = await import_products(uow, SYSTEM, CLOCK, validate_products(PRODUCT_HEADER, product_rows()))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert len(uow.products.rows) == 3
    assert len(uow.audit.rows) == audits


async def test_import_products_updates_changed_fields_and_audits_before_after() -> None:
    uow = FakeUnitOfWork()
    await uow.products.add(Product(sku="AP300", name="旧名", category="空气净化器", unit="台",
                                   list_price=Decimal("999.00")))
    await uow.commit()

    report = await import_products(uow, SYSTEM, CLOCK, validate_products(PRODUCT_HEADER, product_rows()[:1]))

    assert (report.created, report.updated) == (0, 1)
    product = uow.products.rows[0]
    assert product.name == "空气净化器 AP300" and product.list_price == Decimal("1299.00")
    entry = uow.audit.rows[-1]
    assert entry.before["list_price"] == "999.00" and entry.after["list_price"] == "1299.00"
    assert entry.actor == "system"


async def test_import_sets_max_line_qty_and_a_file_without_the_column_leaves_it() -> None:
    uow = FakeUnitOfWork()
    header = [*PRODUCT_HEADER, "单行上限"]
    with_limit = [[*row, "300"] for row in product_rows()[:1]]
    await import_products(uow, SYSTEM, CLOCK, validate_products(header, with_limit))
    assert uow.products.rows[0].max_line_qty == 300 and uow.audit.rows[-1].after["max_line_qty"] == 300
    report = await import_products(uow, SYSTEM, CLOCK, validate_products(PRODUCT_HEADER, product_rows()[:1]))
    assert report.unchanged == 1 and uow.products.rows[0].max_line_qty == 300
    cleared = [[*row, ""] for row in product_rows()[:1]]
    report = await import_products(uow, SYSTEM, CLOCK, validate_products(header, cleared))
    assert report.updated == 1 and uow.products.rows[0].max_line_qty is None


async def test_strict_import_with_a_bad_row_writes_nothing() -> None:
    uow = FakeUnitOfWork()
    rows = product_rows() + [["BAD", "", "", "x", "台", "1"]]
    report = await import_table(uow, SYSTEM, CLOCK, ImportKind.PRODUCTS, PRODUCT_HEADER, rows, strict=True)

    assert report.committed is False
    assert report.bad_rows == 1
    assert uow.products.rows == [] and uow.commits == 0
    assert report.summary("zh").startswith("未导入任何数据")


async def test_lenient_import_keeps_good_rows() -> None:
    uow = FakeUnitOfWork()
    rows = product_rows() + [["BAD", "", "", "x", "台", "1"]]
    report = await import_table(uow, SYSTEM, CLOCK, "products", PRODUCT_HEADER, rows)

    assert report.committed is True and report.created == 3 and report.bad_rows == 1
    assert sorted(p.sku for p in uow.products.rows) == ["AP300", "DH20", "FL-AP300"]
    assert "新增 3" in report.summary() and "3 created" in report.summary("en")


async def test_dealer_import_resolves_parent_listed_later_and_is_idempotent() -> None:
    uow = FakeUnitOfWork()
    rows = [
        ["D0002", "苏州分销", make_uscc(1002), "江苏", "苏州", "华东", "C", "D0001", "", "", "", "", ""],
        ["D0001", "上海总代", make_uscc(1001), "上海", "上海", "华东", "A", "", "500000", "王伟",
         "13812345678", "老板", "active"],
    ]
    report = await import_dealers(uow, SYSTEM, CLOCK, validate_dealers(DEALER_HEADER, rows))

    assert (report.created, report.errors) == (2, [])
    by_code = {d.code: d for d in uow.dealers.rows}
    assert by_code["D0002"].parent_id == by_code["D0001"].id
    assert by_code["D0002"].status == DealerStatus.PROSPECT
    assert by_code["D0001"].contacts[0].phone == "13812345678"
    assert all("13812345678" not in str(a.after) for a in uow.audit.rows)   # no personal data in audit

    again = await import_dealers(uow, SYSTEM, CLOCK, validate_dealers(DEALER_HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert len(by_code["D0001"].contacts) == 1


async def test_dealer_import_reports_unknown_parent() -> None:
    uow = FakeUnitOfWork()
    rows = [["D0002", "苏州分销", make_uscc(1002), "江苏", "苏州", "华东", "C", "D9999", "", "", "", "", ""]]
    report = await import_dealers(uow, SYSTEM, CLOCK, validate_dealers(DEALER_HEADER, rows))

    assert report.errors[0].row == 2 and "D9999" in report.errors[0].zh
    assert report.created == 0


async def test_stock_import_sets_on_hand_and_reports_unknown_warehouse_or_sku() -> None:
    uow = FakeUnitOfWork()
    wh = await uow.warehouses.add(Warehouse(code="WH-SH", name="华东仓", region="华东"))
    await uow.products.add(Product(sku="AP300", name="AP300", category="c", unit="台", list_price=Decimal("1")))
    await uow.products.add(Product(sku="DH20", name="DH20", category="c", unit="台", list_price=Decimal("1")))
    await uow.stock.add(StockLevel(warehouse_id=wh.id or 0, sku="DH20", on_hand=10, reserved=4))
    await uow.commit()
    header = ["warehouse", "sku", "on_hand"]
    rows = [["WH-SH", "AP300", "50"], ["华东仓", "DH20", "3"], ["WH-XX", "AP300", "1"], ["WH-SH", "NOPE", "1"]]

    report = await import_stock(uow, SYSTEM, CLOCK, validate_stock(header, rows))

    assert report.created == 1 and report.updated == 0
    assert [e.row for e in report.errors] == [3, 4, 5]
    assert "reserved" in report.errors[0].en
    assert "WH-XX" in report.errors[1].zh and "NOPE" in report.errors[2].en
    levels = {s.sku: s.on_hand for s in uow.stock.rows}
    assert levels == {"DH20": 10, "AP300": 50}


async def test_import_needs_permission() -> None:
    clerk = Actor(kind=ActorKind.DEALER, user_id=1, name="li", role=Role.DEALER_CLERK, dealer_id=1)
    with pytest.raises(PermissionDenied):
        await import_products(FakeUnitOfWork(), clerk, CLOCK, validate_products(PRODUCT_HEADER, product_rows()))


async def test_dealer_rows_whose_parent_is_refused_are_refused_too_and_nothing_of_them_is_stored() -> None:
    uow = FakeUnitOfWork()
    rows = [
        ["D0001", "上海总代", make_uscc(1001), "上海", "上海", "华东", "A", "D9999", "", "", "", "", ""],
        ["D0002", "苏州分销", make_uscc(1002), "江苏", "苏州", "华东", "C", "D0001", "", "", "", "", ""],
        ["D0003", "南京分销", make_uscc(1003), "江苏", "南京", "华东", "C", "", "", "", "", "", ""],
    ]
    report = await import_dealers(uow, SYSTEM, CLOCK, validate_dealers(DEALER_HEADER, rows))

    assert sorted(e.row for e in report.errors) == [2, 3]
    assert [d.code for d in uow.dealers.rows] == ["D0003"]


async def test_dealer_uscc_used_by_another_dealer_is_refused() -> None:
    uow = FakeUnitOfWork()
    rows = [["D0001", "上海总代", make_uscc(1001), "上海", "上海", "华东", "A", "", "", "", "", "", ""]]
    await import_dealers(uow, SYSTEM, CLOCK, validate_dealers(DEALER_HEADER, rows))
    rows[0][0] = "D0009"

    report = await import_dealers(uow, SYSTEM, CLOCK, validate_dealers(DEALER_HEADER, rows))

    assert report.created == 0 and "D0001" in report.errors[0].zh
    assert len(uow.dealers.rows) == 1
