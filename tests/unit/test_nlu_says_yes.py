"""``nlu.replies.says_yes``: a yes to the one thing a card asks, in either language, with its verb or its button's
label; never a "not", a bare verb, or a yes followed by another request. ``says_no``: a bare no ("不", "算了", "no
thanks"), never a decision ("不通过") or a no followed by another request."""

from __future__ import annotations

import pytest

from nlu.replies import says_no, says_yes


@pytest.mark.parametrize("text", ["是的", "确定", "对", "ok", "OK!", "yes", "Yes, cancel it.", "yes cancel it", "是的 不要了",
                                  "好的，取消吧", "对 取消这单", "确认取消", "嗯嗯", "sure, go ahead", "yes please",
                                  "yes, drop the cart"])
def test_yes(text: str) -> None:
    assert says_yes(text)


@pytest.mark.parametrize("text", ["不", "no", "取消", "是的 不要取消", "好的 再来5台AP300", "不取消", "是的这个", "先不要",
                                  "确定吗？"])
def test_not_yes(text: str) -> None:
    assert not says_yes(text)


def test_a_yes_and_the_buttons_own_label() -> None:
    assert says_yes("对 放弃购物车", ("🗑 放弃购物车",))
    assert not says_yes("对 查看购物车", ("🗑 放弃购物车",))


@pytest.mark.parametrize("text", ["不", "不用了", "算了", "取消", "先不了", "算了 不要了", "no", "No.", "nope", "no thanks",
                                  "不了，谢谢", "cancel", "never mind"])
def test_no(text: str) -> None:
    assert says_no(text) and not says_yes(text)


@pytest.mark.parametrize("text", ["不通过", "不 驳回吧", "好的", "是", "不合适 价格太高", "算了吧 改成5台", "no problem"])
def test_not_no(text: str) -> None:
    assert not says_no(text)
