"""nlu.transfers: the shapes of transfer and sharing messages, and the messages it must leave to the parser."""

from __future__ import annotations

import pytest

from nlu.transfers import ShareWish, TransferText, parse_transfer


@pytest.mark.parametrize(("text", "kind", "product", "qty", "source", "destination"), [
    ("从杭州仓调 20 台 AP300 到上海仓", "move", "ap300", 20, "杭州仓", "上海仓"),
    ("从华东仓调二十台AP300去华北仓", "move", "ap300", 20, "华东仓", "华北仓"),
    ("把华东仓的20台AP300调到华北仓", "move", "ap300", 20, "华东仓", "华北仓"),
    ("帮我从华北仓调30台DH20回华东仓", "move", "dh20", 30, "华北仓", "华东仓"),
    ("move 20 AP300 from WH-SH to WH-TJ", "move", "ap300", 20, "wh-sh", "wh-tj"),
    ("我多了 10 台 DH20 想调给别人", "surplus", "dh20", 10, "", ""),
    ("I have 10 extra DH20", "surplus", "dh20", 10, "", ""),
    ("申请调拨 DH20 5台", "ask", "dh20", 5, "", ""),
    ("哪里有DH20可以调", "ask", "dh20", None, "", ""),
    ("帮我调5台DH20", "ask", "dh20", 5, "", ""),
])
def test_shapes(text: str, kind: str, product: str, qty: int | None, source: str, destination: str) -> None:
    said = parse_transfer(text)
    assert said is not None
    assert (said.kind, said.product_text, said.qty, said.source, said.destination) == (
        kind, product, qty, source, destination)


def test_a_return_to_the_maker_and_statuses() -> None:
    said = parse_transfer("DH20 退回厂家 5台")
    assert said is not None and said.kind == "surplus" and said.to_maker and said.qty == 5
    for text in ("我的调拨", "调拨进度", "my transfers", "调拨"):
        assert parse_transfer(text) == TransferText("status"), text
    assert parse_transfer("DB-20261205-0001") == TransferText("status", number="DB-20261205-0001")


def test_sharing_wishes() -> None:
    assert parse_transfer("共享库存") == TransferText("share", share=ShareWish(region=True, maker=True))
    said = parse_transfer("我的库存给同区域经销商看")
    assert said is not None and said.share == ShareWish(region=True)
    said = parse_transfer("共享DH20的库存给同区域，显示我的名字")
    assert said is not None and said.product_text == "dh20" and said.share.show_name is True
    assert parse_transfer("停止共享") == TransferText("share", share=ShareWish(off=True))
    said = parse_transfer("share my stock with dealers of my network, hide my name")
    assert said is not None and said.share.network and said.share.show_name is False and said.product_text == ""


@pytest.mark.parametrize("text", ["AP300有货吗", "订10台AP300", "DH20 低于5台提醒我", "我要退货", "把价格调到100",
                                  "单价调10个点", "这个月的对账单给我看看", "SO-20261126-0001 到哪了", "你好",
                                  "AP300 多少钱", "来20台DH20，送到上海仓"])
def test_other_messages_are_left_to_the_parser(text: str) -> None:
    assert parse_transfer(text) is None


def test_found_trying_the_chat() -> None:
    """Messages typed in the console chat that first went to the order parser."""
    said = parse_transfer("who nearby has DH20")
    assert said is not None and (said.kind, said.product_text) == ("ask", "dh20")
    said = parse_transfer("我想把多余的WP400退回去")          # no quantity: the chat asks for it
    assert said is not None and (said.kind, said.product_text, said.qty, said.to_maker) == (
        "surplus", "wp400", None, True)
    said = parse_transfer("I have 5 spare AP300, send them back to the maker")
    assert said is not None and (said.product_text, said.qty, said.to_maker) == ("ap300", 5, True)
    said = parse_transfer("我不想让别人看到我的库存")
    assert said is not None and said.kind == "share" and said.share.off
    for text in ("库存共享设置", "查看共享设置", "sharing settings"):
        assert parse_transfer(text) == TransferText("share", share=ShareWish(show=True)), text
