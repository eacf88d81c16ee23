"""core.banking: bank statement rows (Chinese/English headers, title and total rows, broken rows) and
matching rows to dealers (reference, account, name, ambiguity)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.tabular import read_table
from core.banking import (
    BankRow,
    Cell,
    DealerRef,
    MatchReason,
    match_row,
    normalise_name,
    parse_amount,
    parse_bank_rows,
    parse_payer_accounts,
)

CCB_EXPORT: list[list[Cell]] = [
    ["中国建设银行 账户明细查询", None, None, None, None, None],
    ["账号：6217000010001234", "查询区间：2026-11-01 至 2026-11-30", None, None, None, None],
    ["交易日期", "对方户名", "对方账号", "借方金额", "贷方金额", "摘要"],
    ["2026-11-03", "合肥新锐商贸有限公司", "6222 0210 0100 1234", "", "50,000.00", "货款 D0007"],
    ["2026-11-04", "房租", "", "8,000.00", "", "支出"],
    [None, None, None, None, None, None],
    ["2026/11/05", "芜湖顺达（贸易）有限公司", "", "", "￥1,234.5", "附言"],
    ["合计", None, None, "8,000.00", "51,234.50", None],
]


def test_bank_export_with_title_rows_outgoing_blank_and_total_rows() -> None:
    parsed = parse_bank_rows(CCB_EXPORT)
    assert parsed.errors == []
    assert [(r.row_number, r.paid_on, r.payer, r.amount) for r in parsed.rows] == [
        (4, date(2026, 11, 3), "合肥新锐商贸有限公司", Decimal("50000.00")),
        (7, date(2026, 11, 5), "芜湖顺达（贸易）有限公司", Decimal("1234.50")),
    ]
    assert parsed.rows[0].account == "6222021001001234"
    assert parsed.rows[0].reference == "货款 D0007"
    assert parsed.skipped == 3   # outgoing, blank, total


@pytest.mark.parametrize(("date_h", "payer_h", "amount_h", "ref_h"), [
    ("交易日期", "付款人", "金额", "附言"),
    ("日期", "付款方", "收入金额", "用途"),
    ("记账日期", "对方名称", "贷方金额", "交易流水号"),
    ("Date", "Payer", "Credit Amount", "Reference"),
    ("Transaction Date", "Payer Name", "Amount", "Memo"),
])
def test_each_header_variant(date_h: str, payer_h: str, amount_h: str, ref_h: str) -> None:
    parsed = parse_bank_rows([[date_h, payer_h, amount_h, ref_h], ["20261102", "X 有限公司", "100", "r1"]])
    assert parsed.errors == []
    assert parsed.rows[0].paid_on == date(2026, 11, 2)
    assert parsed.rows[0].amount == Decimal("100.00")
    assert parsed.rows[0].reference == "r1"


def test_gbk_csv_reads_through_the_shared_table_reader(tmp_path: Path) -> None:

    buffer = io.StringIO()
    csv.writer(buffer).writerows([[c if c is not None else "" for c in line] for line in CCB_EXPORT])
    path = tmp_path / "h2bank_gbk.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    table = read_table(path)
    parsed = parse_bank_rows([table.header, *table.rows])
    assert [r.payer for r in parsed.rows] == ["合肥新锐商贸有限公司", "芜湖顺达（贸易）有限公司"]


def test_broken_rows_are_reported_in_both_languages_and_the_rest_kept() -> None:
    parsed = parse_bank_rows([
        ["交易日期", "付款人", "金额"],
        ["昨天", "甲公司", "100"],
        ["2026-11-02", "乙公司", "一百"],
        ["2026-11-02", "", "100"],
        ["2026-11-03", "丙公司", "300"],
    ])
    assert [r.payer for r in parsed.rows] == ["丙公司"]
    assert [e.row_number for e in parsed.errors] == [2, 3, 4]
    assert "昨天" in parsed.errors[0].zh and "date" in parsed.errors[0].en
    assert "一百" in parsed.errors[1].zh and "amount" in parsed.errors[1].en


def test_no_header_is_one_error() -> None:
    parsed = parse_bank_rows([["a", "b"], ["1", "2"]])
    assert parsed.rows == [] and len(parsed.errors) == 1 and parsed.errors[0].row_number == 0


def test_negative_amounts_in_a_signed_column_are_outgoing() -> None:
    parsed = parse_bank_rows([["日期", "付款人", "金额"], ["2026-11-02", "甲", "-100"], ["2026-11-02", "乙", "100"]])
    assert [r.payer for r in parsed.rows] == ["乙"] and parsed.errors == []


def test_identical_rows_get_different_keys_and_the_same_keys_in_another_file() -> None:
    lines = [["日期", "付款人", "金额"], ["2026-11-02", "甲", "100"], ["2026-11-02", "甲", "100"]]
    first = parse_bank_rows(lines)
    second = parse_bank_rows([["Title"], *lines, ["2026-11-03", "乙", "5"]])
    assert len({r.key for r in first.rows}) == 2
    assert [r.key for r in second.rows][:2] == [r.key for r in first.rows]


def test_amounts() -> None:
    assert parse_amount("¥1,234,567.8") == Decimal("1234567.80")
    assert parse_amount("RMB 100") == Decimal("100.00")
    assert parse_amount("-") is None


DEALERS = [
    DealerRef(7, "D0007", "合肥新锐商贸有限公司", ("6222021001001234",)),
    DealerRef(8, "D0008", "芜湖顺达贸易有限公司"),
    DealerRef(9, "D0009", "南京远航有限公司", ("6228480012345678",)),
    DealerRef(10, "D0010", "南京远航有限责任公司", ("6228480012345678",)),
]


def _row(payer: str, reference: str = "", account: str = "") -> BankRow:
    return BankRow(2, date(2026, 11, 2), payer, Decimal("1.00"), reference, account)


def test_match_by_dealer_code_in_the_reference() -> None:
    match = match_row(_row("某某个人", "货款 d0008"), DEALERS)
    assert match is not None and (match.dealer_id, match.reason) == (8, MatchReason.REFERENCE_DEALER_CODE)


def test_match_by_order_number_in_the_reference() -> None:
    match = match_row(_row("某某个人", "so202611260007 货款"), DEALERS, {"SO-20261126-0007": 9})
    assert match is not None and (match.dealer_id, match.reason) == (9, MatchReason.REFERENCE_ORDER)


def test_match_by_payer_account() -> None:
    match = match_row(_row("张三", account="6222021001001234"), DEALERS)
    assert match is not None and (match.dealer_id, match.reason) == (7, MatchReason.ACCOUNT)


def test_match_by_normalised_name() -> None:
    match = match_row(_row("芜湖顺达（贸易） 有限公司"), DEALERS)
    assert match is not None and (match.dealer_id, match.reason) == (8, MatchReason.NAME)


def test_ambiguity_is_no_match() -> None:
    assert match_row(_row("南京远航"), DEALERS) is None                          # two names normalise alike
    assert match_row(_row("张三", account="6228480012345678"), DEALERS) is None  # account of two dealers
    assert match_row(_row("张三", "D0007 D0008"), DEALERS) is None                # two codes
    assert match_row(_row("完全不认识的公司"), DEALERS) is None


def test_helpers() -> None:
    assert normalise_name("合肥新锐（商贸） 有限公司") == "合肥新锐商贸"
    assert parse_payer_accounts("6222 0210 0100 1234，6228-4800-1234; 12") == ("6222021001001234", "622848001234")
