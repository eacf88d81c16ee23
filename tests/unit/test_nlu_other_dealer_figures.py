"""Which words name another company whose figures a dealer asks about: a name with a time, a 的 or a question
("上海金鼎最近卖了多少", "德润的库存", "金鼎卖得怎么样"), never words run into a figure's name ("共享库存", "调拨库存")
or a request to report ("报一下销量", "我要报销量": a sell-out report begun)."""

from __future__ import annotations

import pytest

from nlu.dealer_asked import other_dealer_figures_asked


@pytest.mark.parametrize(("text", "who"), [
    ("上海金鼎最近卖了多少", "上海金鼎"), ("金鼎这个月的销量", "金鼎"), ("德润的库存", "德润"), ("德润卖得怎么样", "德润"),
    ("共享库存", None), ("共享的库存", None), ("调拨库存", None), ("报一下销量", None), ("我要报销量", None),
    ("看下库存", None), ("帮我查下销量", None),
])
def test_the_company_asked_about(text: str, who: str | None) -> None:
    assert other_dealer_figures_asked(text) == who
