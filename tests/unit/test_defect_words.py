"""nlu.defects: the kind of defect, the batch and the units a dealer's words give, and what is no batch."""

from __future__ import annotations

import pytest

from nlu.defects import batch_in_text, defect_kinds, is_batch_answer, units_in_text


@pytest.mark.parametrize(("words", "kinds"), [
    ("外壳有划痕", ["外观"]),
    ("插上电没反应", ["功能"]),
    ("晚上嗡嗡的响", ["噪音"]),
    ("纸箱压坏了好几个", ["功能", "包装"]),           # 坏 is a fault word too: two kinds, the dealer is asked
    ("到货就不制冷，外壳还有裂纹", ["外观", "功能"]),
    ("won't power on", ["功能"]),
    ("有股怪味", []),
])
def test_defect_kinds(words: str, kinds: list[str]) -> None:
    assert defect_kinds(words) == kinds


@pytest.mark.parametrize(("words", "batch"), [
    ("三台噪音大 批号B2411-07", "B2411-07"),
    ("生产批次：2611A，外壳开裂", "2611A"),
    ("lot no. XK-2207 all leaking", "XK-2207"),
    ("都是上周那批的", None),
    ("批次不清楚", None),
])
def test_batch_in_text(words: str, batch: str | None) -> None:
    assert batch_in_text(words) == batch


@pytest.mark.parametrize(("words", "units"), [
    ("到了三台噪音特别大", 3),
    ("有5个漏水", 5),
    ("two units, no: 2 units broken", 2),
    ("上周那批有问题", None),                       # 批 counts no units
    ("先到3台后到5台都坏了", None),                   # two counts: the form asks
])
def test_units_in_text(words: str, units: int | None) -> None:
    assert units_in_text(words) == units


@pytest.mark.parametrize(("answer", "is_batch"), [
    ("B2411-07", True),
    ("批号是B2411-07", True),
    ("十一月那批", True),
    ("外壳裂了好几道，而且插电以后完全不制冷", False),
    ("这批DH20有五台到货就不制冷外壳还有裂纹都是上周那批的", False),
    ("the units we got last week are all broken", False),
    ("上次那批，批号2411A", True),
])
def test_is_batch_answer(answer: str, is_batch: bool) -> None:
    assert is_batch_answer(answer) is is_batch
