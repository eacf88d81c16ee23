"""How many of a product one order line may hold (``line_limit``), who may set it, and quantities written in
boxes, dozens or pieces turned into the product's own unit (``to_product_units``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import NotWholePacks, ValidationFailed
from core.products import (
    DEFAULT_LINE_CAP_PACKS,
    LINE_QTY_CEILING,
    check_line_quantities,
    line_limit,
    to_product_units,
)
from tests.factories import make_product

PURIFIER = make_product("AP300", unit="台")                                   # sold by the piece, 1 a box
FILTER_PIECES = make_product("FL-1", unit="片", pack_size=10)                 # sold by the piece, 10 a box
FILTER_BOXES = make_product("FL-AP300", name="AP300 滤网（10片/箱）", unit="箱", pack_size=10)   # sold by the box


def test_default_is_a_thousand_packs() -> None:
    assert DEFAULT_LINE_CAP_PACKS == 1000
    assert line_limit(PURIFIER) == 1000
    assert line_limit(FILTER_PIECES) == 10_000
    assert line_limit(FILTER_BOXES) == 10_000


def test_default_never_above_the_ceiling() -> None:
    assert line_limit(make_product(pack_size=500)) == LINE_QTY_CEILING == 99_999


def test_own_value_wins_over_the_default() -> None:
    assert line_limit(make_product(max_line_qty=50)) == 50
    assert line_limit(make_product(pack_size=10, max_line_qty=20_000)) == 20_000


def test_own_value_is_still_held_to_the_ceiling() -> None:
    """A value written around the checks (straight into the table) does not lift the ceiling."""
    assert line_limit(make_product(max_line_qty=10**9)) == LINE_QTY_CEILING


@given(pack=st.integers(min_value=1, max_value=10**6), own=st.none() | st.integers(min_value=1, max_value=10**9))
def test_limit_is_always_between_one_and_the_ceiling(pack: int, own: int | None) -> None:
    assert 1 <= line_limit(make_product(pack_size=pack, max_line_qty=own)) <= LINE_QTY_CEILING


def test_setting_checks() -> None:
    check_line_quantities(1, None)
    check_line_quantities(5, 5)
    check_line_quantities(LINE_QTY_CEILING, LINE_QTY_CEILING)
    for moq, own in ((1, 0), (1, -1), (1, LINE_QTY_CEILING + 1), (1, True), (0, None), (LINE_QTY_CEILING + 1, None)):
        with pytest.raises(ValidationFailed):
            check_line_quantities(moq, own)
    with pytest.raises(ValidationFailed) as below_moq:
        check_line_quantities(5, 4, sku="AP300")
    assert below_moq.value.message("zh").startswith("AP300: 单行上限须为 5 到 99999 之间的整数（不低于起订量）")
    assert "MOQ" in below_moq.value.message("en")


def test_default_is_never_below_the_moq() -> None:
    """A line of the MOQ is always possible without setting anything."""
    assert line_limit(make_product(moq=5000)) == 5000
    assert line_limit(make_product(moq=5000, max_line_qty=6000)) == 6000


def test_own_unit_or_no_unit_is_kept() -> None:
    assert to_product_units(PURIFIER, 20, "台") == 20
    assert to_product_units(PURIFIER, 20, None) == 20
    assert to_product_units(PURIFIER, 20, "") == 20
    assert to_product_units(PURIFIER, 20, "个") == 20            # another counter word: the same count
    assert to_product_units(FILTER_BOXES, 5, " 箱 ") == 5


def test_boxes_of_a_product_sold_by_the_piece() -> None:
    assert to_product_units(FILTER_PIECES, 5, "箱") == 50
    for word in ("box", "Boxes", "carton", "CTN", "ctns"):
        assert to_product_units(FILTER_PIECES, 2, word) == 20
    assert to_product_units(PURIFIER, 3, "箱") == 3               # pack size 1: one a box


def test_dozens() -> None:
    assert to_product_units(PURIFIER, 1, "打") == 12
    assert to_product_units(FILTER_PIECES, 2, "dozen") == 24
    assert to_product_units(make_product(unit="箱", pack_size=12), 3, "打") == 3


def test_pieces_of_a_product_sold_by_the_box_make_whole_boxes_or_are_refused() -> None:
    assert to_product_units(FILTER_BOXES, 20, "片") == 2
    assert to_product_units(FILTER_BOXES, 30, "pcs") == 3
    with pytest.raises(NotWholePacks) as refused:
        to_product_units(FILTER_BOXES, 25, "片")
    assert refused.value.message("zh") == "AP300 滤网（10片/箱） 按箱销售（每箱 10 件），25片 不是整箱"
    assert "25片" in refused.value.message("en") and refused.value.code == "not_whole_packs"
    with pytest.raises(NotWholePacks):
        to_product_units(FILTER_BOXES, 1, "打")                   # 12 pieces: not whole boxes of 10


def test_only_converts_never_clamps() -> None:
    """Out-of-range results come back as they are: refusing them is the quote's job."""
    assert to_product_units(FILTER_PIECES, 99_999_999, "箱") == 999_999_990
    assert to_product_units(FILTER_PIECES, -5, "箱") == -50
