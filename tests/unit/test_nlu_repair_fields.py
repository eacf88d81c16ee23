"""``nlu.repair_fields``: a message saying only the urgency, a line that is only the customer's name and phone."""

from __future__ import annotations

import pytest

from nlu.repair_fields import CustomerLine, customer_line, urgency_only


@pytest.mark.parametrize(("text", "want"), [
    ("挺急的", "urgent"), ("很急", "urgent"), ("客户说挺急的", "urgent"), ("不急", "low"), ("不着急", "low"),
    ("有点急", "high"), ("not urgent", "low"), ("it's urgent!", "urgent"), ("no rush", "low"),
    ("不出水了 挺急的", None), ("急停按钮坏了", None), ("一般", None), ("not so urgent", None), ("王先生", None),
])
def test_urgency_only(text: str, want: str | None) -> None:
    assert urgency_only(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("客户王先生 13900001111", CustomerLine("王先生", "13900001111")),
    ("李姐 13700002222", CustomerLine("李姐", "13700002222")),
    ("Mr Chen 13911112222", CustomerLine("Mr Chen", "13911112222")),
    ("张三 13900001111", CustomerLine("张三", "13900001111")),
    ("Li Na 13800138000", CustomerLine("Li Na", "13800138000")),
    ("不出水 13900001111", None), ("不着急 13900001111", None), ("开机就E3 重启没用", None),
    ("客户李姐 13700002222 地址南京市鼓楼区中山路1号", None),
])
def test_customer_line(text: str, want: CustomerLine | None) -> None:
    assert customer_line(text) == want
