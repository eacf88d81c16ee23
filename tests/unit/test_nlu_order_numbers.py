"""Order and ticket numbers as dealers write them: Chinese digits, dashes inside the date, spaces, a slash, a short
serial after SO-, full-width dashes; without SO/AS/QF the words before tell a ticket (售后 -> AS, 质量/反馈 -> QF).
Dates and counts are never read as numbers of orders."""

from __future__ import annotations

import pytest

from nlu.analysis import find_order_no
from nlu.normalize import normalize


@pytest.mark.parametrize(("text", "expected"), [
    ("订单号 SO 二零二六一一二五 零三三一 查下状态", "SO-20261125-0331"),
    ("把那个二零二六一一二八零一四零的单子取消了", "SO-20261128-0140"),
    ("SO-2026-12-03-0002 什么时候能到", "SO-20261203-0002"),
    ("SO 2026 1201 0009 取消", "SO-20261201-0009"),
    ("SO-二〇二六一一二八-〇〇〇二 撤销", "SO-20261128-0002"),
    ("so-20261202-18 到了没", "SO-20261202-0018"),
    ("order 20261120/0101 物流 update?", "SO-20261120-0101"),
    ("AS－2026－11－30－0021 进度查一下", "AS-20261130-0021"),
    ("whats happening with qf 2026 12 02 0001", "QF-20261202-0001"),
    ("售后单20261201-0033 什么时候上门", "AS-20261201-0033"),
    ("质量反馈 20261129-0007 有结果了吗", "QF-20261129-0007"),
])
def test_an_order_number_written_loosely_is_read(text: str, expected: str) -> None:
    found = find_order_no(normalize(text))
    assert found is not None and found[0] == expected


@pytest.mark.parametrize("text", ["2026-12-05 送 10台", "20261205 要10台", "AP300 来20台 12月10号到",
                                  "2026 12 05 10台"])
def test_a_date_or_a_count_is_no_order_number(text: str) -> None:
    assert find_order_no(normalize(text)) is None
