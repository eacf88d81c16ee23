"""The customer's address and phone written into a repair request: taken out of the problem's words
(nlu.repair_contact)."""

from __future__ import annotations

import pytest

from nlu.repair_contact import address_in_text, split_contact


@pytest.mark.parametrize(("text", "address"), [
    ("地址是浦东新区张江路88号 电话13800138000 王师傅", "浦东新区张江路88号"),
    ("除湿机不出水了，地址：上海市闵行区七莘路1808号3栋502，客户姓王", "上海市闵行区七莘路1808号3栋502"),
    ("客户家住浦东新区张江路88号，机器一开就跳闸", "浦东新区张江路88号"),
    ("上门地址 杭州市西湖区文三路90号东部软件园2号楼", "杭州市西湖区文三路90号东部软件园2号楼"),
    ("住在万科城3栋1201 王阿姨 13912345678", "万科城3栋1201"),
    ("地址是浦东新区张江路88号电话13800138000", "浦东新区张江路88号"),
])
def test_the_address_is_found(text: str, address: str) -> None:
    assert address_in_text(text) == address


@pytest.mark.parametrize("text", [
    "客户家的除湿机不出水", "开机后有异响，显示E3", "水箱满了灯一直亮", "这批DH20有5台外壳开裂", "路上摔了一下 外壳裂了",
    "送货地址不对", "地址我晚点发你",
])
def test_no_address_where_there_is_none(text: str) -> None:
    assert address_in_text(text) is None


def test_the_problem_is_what_is_left() -> None:
    said = split_contact("客户家的除湿机不出水了，地址是浦东新区张江路88号 电话13800138000 王师傅")
    assert said.address == "浦东新区张江路88号" and said.phone == "13800138000" and said.name == "王师傅"
    assert said.problem == "客户家的除湿机不出水了"
    only = split_contact("地址是浦东新区张江路88号 电话13800138000 王师傅")
    assert only.problem == "" and only.address == "浦东新区张江路88号"
    plain = split_contact("开机后有异响，显示E3")
    assert plain.problem == "开机后有异响，显示E3" and plain.address is None and plain.phone is None
    glued = split_contact("DH20不除湿 客户王女士13912345678 住在万科城3栋1201")
    assert glued.problem == "DH20不除湿" and glued.name == "王女士" and glued.address == "万科城3栋1201"


@pytest.mark.parametrize(("text", "name"), [("王姐 13912345678", "王姐"), ("客户李总，电话13800138000", "李总"),
                                            ("陈老师 13800138000", "陈老师")])
def test_a_surname_with_a_familiar_title_is_the_customer(text: str, name: str) -> None:
    assert split_contact(text).name == name


@pytest.mark.parametrize(("text", "name", "address", "problem"), [
    ("hello, my customer AP500 shows E3 error after 2 weeks, customer Mr Chen 13800001111, address 88 Zhangjiang Rd "
     "Shanghai. not urgent", "Mr Chen", "88 Zhangjiang Rd Shanghai", "hello my customer AP500 shows E3 error after 2 "
                                                                     "weeks. not urgent"),
    ("customer name is Li Na, phone 13912345678, address: Room 502, 88 Zhangjiang Road, Pudong", "Li Na",
     "Room 502, 88 Zhangjiang Road, Pudong", ""),
    ("AP300 makes noise, customer: Wang Wei lives at 12 Century Ave, Pudong", "Wang Wei", "12 Century Ave, Pudong",
     "AP300 makes noise"),
    ("the DH20 leaks water at 5 Huaihai Rd Shanghai, Mrs. Zhou 13800138000", "Mrs Zhou", "5 Huaihai Rd Shanghai",
     "the DH20 leaks water"),
])
def test_the_english_customer_and_address(text: str, name: str, address: str, problem: str) -> None:
    """QA s28 #13: the English forms, as the Chinese ones are read."""
    said = split_contact(text)
    assert (said.name, said.address, said.problem) == (name, address, problem)


@pytest.mark.parametrize("text", ["my customer says the screen is dark", "address later, customer will call",
                                  "use this", "done", "AP300 开机有异响. 客户急用"])
def test_no_english_customer_or_address_where_there_is_none(text: str) -> None:
    said = split_contact(text)
    assert said.name is None and said.address is None
