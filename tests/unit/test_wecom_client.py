"""WeComClient and WeComSender behind ``httpx.MockTransport``: the token cache and its refresh, the
calls WeCom expects, how replies become texts and template cards, and the errors the worker sees."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.files import FileStore
from bot.wecom.client import InProcessTokenCache, WeComApiError, WeComClient
from bot.wecom.sender import MAX_TEXT_BYTES, WeComSender, card_layout, split_text
from notifications.errors import ChannelError, ChannelRateLimited
from notifications.templates import Button, Part, Rendered, render


class FakeWeCom:
    """Just enough of the API: tokens, message/send, media, update_template_card; records requests."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.tokens = 0
        self.valid: set[str] = set()
        self.answers: dict[str, list[dict[str, Any]]] = {}
        self.expires_in = 7200

    def answer_next(self, path: str, **body: Any) -> None:
        self.answers.setdefault(path, []).append(body)

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/cgi-bin/")
        params = dict(request.url.params)
        body = json.loads(request.content) if request.headers.get("content-type", "").startswith("application/json") \
            else {}
        self.requests.append((path, params, body))
        if self.answers.get(path):
            return httpx.Response(200, json=self.answers[path].pop(0))
        if path == "gettoken":
            self.tokens += 1
            token = f"T{self.tokens}"
            self.valid.add(token)
            return httpx.Response(200, json={"errcode": 0, "access_token": token, "expires_in": self.expires_in})
        if params.get("access_token") not in self.valid:
            return httpx.Response(200, json={"errcode": 40014, "errmsg": "invalid access_token"})
        if path == "media/upload":
            return httpx.Response(200, json={"errcode": 0, "media_id": "M1"})
        if path == "media/get":
            return httpx.Response(200, content=b"\xff\xd8jpeg", headers={
                "content-type": "image/jpeg", "content-disposition": 'attachment; filename="a%20b.jpg"'})
        if path == "message/send" and body.get("msgtype") == "template_card":
            return httpx.Response(200, json={"errcode": 0, "response_code": "RC1"})
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    def sent(self) -> list[dict[str, Any]]:
        return [body for path, _, body in self.requests if path == "message/send"]


def client_for(fake: FakeWeCom, *, now: Callable[[], float] | None = None) -> WeComClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake.handler))
    cache = InProcessTokenCache(now) if now else None
    return WeComClient("wwcorp", "secret", 1000002, "https://wecom.test", cache=cache, http=http)


# --- tokens ---------------------------------------------------------------------------------------------------

async def test_the_token_is_fetched_once_and_reused() -> None:
    fake = FakeWeCom()
    client = client_for(fake)
    await client.send_text("li", "一")
    await client.send_text("li", "二")
    assert fake.tokens == 1
    path, params, _ = fake.requests[0]
    assert (path, params) == ("gettoken", {"corpid": "wwcorp", "corpsecret": "secret"})
    assert [p["access_token"] for path, p, _ in fake.requests[1:]] == ["T1", "T1"]


async def test_the_token_is_refreshed_before_it_expires() -> None:
    fake = FakeWeCom()
    clock = [0.0]
    client = client_for(fake, now=lambda: clock[0])
    await client.send_text("li", "a")
    clock[0] = 7200 - 300 - 1                          # still inside the margin
    await client.send_text("li", "b")
    assert fake.tokens == 1
    clock[0] = 7200 - 300 + 1                          # 5 minutes before expiry: a new one
    await client.send_text("li", "c")
    assert fake.tokens == 2


@pytest.mark.parametrize("errcode", [40014, 42001, 42009])
async def test_a_refused_token_is_replaced_and_the_call_repeated_once(errcode: int) -> None:
    fake = FakeWeCom()
    client = client_for(fake)
    await client.send_text("li", "a")
    fake.answer_next("message/send", errcode=errcode, errmsg="expired")
    await client.send_text("li", "b")
    sends = [(p["access_token"], b["text"]["content"]) for path, p, b in fake.requests if path == "message/send"]
    assert sends == [("T1", "a"), ("T1", "b"), ("T2", "b")]
    assert fake.tokens == 2


async def test_a_token_refused_twice_is_an_error_not_a_loop() -> None:
    fake = FakeWeCom()
    client = client_for(fake)
    fake.answer_next("message/send", errcode=40014)
    fake.answer_next("message/send", errcode=40014)
    with pytest.raises(WeComApiError) as exc:
        await client.send_text("li", "a")
    assert exc.value.errcode == 40014 and fake.tokens == 2


async def test_bad_credentials_and_broken_answers_are_api_errors() -> None:
    fake = FakeWeCom()
    fake.answer_next("gettoken", errcode=40001, errmsg="invalid credential")
    client = client_for(fake)
    with pytest.raises(WeComApiError, match="40001"):
        await client.send_text("li", "a")

    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="bad gateway")

    other = WeComClient("c", "s", 1, "https://wecom.test", http=httpx.AsyncClient(transport=httpx.MockTransport(broken)))
    with pytest.raises(WeComApiError) as exc:
        await other.send_text("li", "a")
    assert exc.value.errcode == -502 and not exc.value.permanent


async def test_message_send_bodies_and_media() -> None:
    fake = FakeWeCom()
    client = client_for(fake)
    await client.send_markdown("li", "**订单**")
    media_id = await client.upload_media("file", b"%PDF", "对账单.pdf")
    await client.send_file("li", media_id)
    code = await client.send_template_card("li", {"card_type": "button_interaction"})
    media = await client.download_media("MEDIA")
    await client.update_template_card(["li"], "RC1", replace_name="已通过")
    bodies = fake.sent()
    assert bodies[0] == {"touser": "li", "msgtype": "markdown", "agentid": 1000002, "markdown": {"content": "**订单**"},
                         "safe": 0, "enable_duplicate_check": 0}
    assert bodies[1]["file"] == {"media_id": "M1"} and code == "RC1"
    assert (media.data, media.file_name) == (b"\xff\xd8jpeg", "a b.jpg")
    [(_, params, _)] = [r for r in fake.requests if r[0] == "media/upload"]
    assert params["type"] == "file"
    [(_, _, update)] = [r for r in fake.requests if r[0] == "message/update_template_card"]
    assert update == {"userids": ["li"], "agentid": 1000002, "response_code": "RC1",
                      "button": {"replace_name": "已通过"}}


async def test_an_invalid_user_in_an_ok_answer_is_an_error() -> None:
    fake = FakeWeCom()
    fake.answer_next("gettoken", errcode=0, access_token="T9", expires_in=7200)
    fake.valid.add("T9")
    fake.answer_next("message/send", errcode=0, invaliduser="ghost")
    with pytest.raises(WeComApiError) as exc:
        await client_for(fake).send_text("ghost", "a")
    assert exc.value.permanent


# --- the sender ------------------------------------------------------------------------------------------------

def test_long_texts_are_split_at_line_ends_within_2048_bytes() -> None:
    text = "\n".join(f"第{i}行：空气净化器AP300 两台，¥3,998.00" for i in range(200))
    pieces = split_text(text)
    assert len(pieces) > 1 and all(len(p.encode()) <= MAX_TEXT_BYTES for p in pieces)
    assert "\n".join(pieces) == text
    one_line = "长" * 1500                                     # 4500 bytes, no line end
    assert "".join(split_text(one_line)) == one_line and all(len(p.encode()) <= 2048 for p in split_text(one_line))
    assert split_text("") == []


def test_card_layout() -> None:
    assert card_layout("确认下单？\nAP300 × 2\n合计 ¥3,998.00") == ("确认下单？", "AP300 × 2\n合计 ¥3,998.00", False)
    long_first = "您好，李老板！请选择要办理的业务，或直接输入，例如“AP300 来二十台”。"
    assert card_layout(long_first) == ("", long_first, False)
    title, sub, as_text = card_layout("标题\n" + "很长" * 100)
    assert (title, sub, as_text) == ("标题", "", True)


def sender_for(fake: FakeWeCom, tmp_path: Path) -> tuple[WeComSender, FileStore]:
    files = FileStore(tmp_path / "files")
    return WeComSender(client_for(fake), files), files


async def test_buttons_become_cards_of_at_most_six(tmp_path: Path) -> None:
    fake = FakeWeCom()
    sender, _ = sender_for(fake, tmp_path)
    rows = tuple(tuple(Button(f"按钮{i}{j}", f"1|act|{i}{j}") for j in range(2)) for i in range(4))
    rows += ((Button("📱 分享手机号", "contact:request"), Button("重复", "1|act|00")),)
    await sender.send("li", Rendered("请选择：\n第二行", rows))
    cards = [b["template_card"] for b in fake.sent()]
    assert [len(c["button_list"]) for c in cards] == [6, 2]
    assert cards[0]["main_title"] == {"title": "请选择："} and cards[0]["sub_title_text"] == "第二行"
    assert cards[0]["button_list"][0] == {"text": "按钮00", "style": 1, "key": "1|act|00"}
    assert cards[1]["main_title"]["title"].endswith("(2/2)")
    assert cards[0]["task_id"] != cards[1]["task_id"]
    assert all(b["key"] != "contact:request" for c in cards for b in c["button_list"])


async def test_chat_reply_parts_go_out_in_order_with_edits_and_files(tmp_path: Path) -> None:
    fake = FakeWeCom()
    sender, files = sender_for(fake, tmp_path)
    key = await files.put(b"\x89PNG chart", "chart.png")
    rendered = render("chat.reply", {"replies": [
        {"text": "✅ 已审核通过 SO-20261126-0001\n审核人：张三", "buttons": [], "edit_ref": "RC7"},
        {"text": "图表", "buttons": [], "image": key, "image_name": "chart.png"},
        {"text": "下一步？", "buttons": [[{"label": "配货", "payload": "1|staff.alloc|SO-20261126-0001"}]]},
    ]}, "zh-CN")
    await sender.send("zhang", rendered)
    kinds = [(path, body.get("msgtype")) for path, _, body in fake.requests if path != "gettoken"]
    assert kinds == [("message/update_template_card", None), ("media/upload", None), ("message/send", "image"),
                     ("message/send", "text"), ("message/send", "template_card")]
    update = next(b for p, _, b in fake.requests if p == "message/update_template_card")
    assert update["button"] == {"replace_name": "✅ 已审核通过 SO-20261126-0001"} and update["response_code"] == "RC7"


async def test_a_failed_card_update_sends_a_new_message(tmp_path: Path) -> None:
    fake = FakeWeCom()
    sender, _ = sender_for(fake, tmp_path)
    fake.answer_next("gettoken", errcode=0, access_token="T5", expires_in=7200)
    fake.valid.add("T5")
    fake.answer_next("message/update_template_card", errcode=40092, errmsg="response_code used")
    await sender.send("zhang", Rendered("", parts=(Part(text="✅ 已驳回", edit_ref="RC-used"),)))
    assert [b["text"]["content"] for b in fake.sent()] == ["✅ 已驳回"]


async def test_errors_reach_the_worker_as_channel_errors(tmp_path: Path) -> None:
    fake = FakeWeCom()
    sender, _ = sender_for(fake, tmp_path)
    fake.answer_next("gettoken", errcode=0, access_token="T5", expires_in=7200)
    fake.valid.add("T5")
    fake.answer_next("message/send", errcode=45009, errmsg="api freq out of limit")
    with pytest.raises(ChannelRateLimited) as limited:
        await sender.send("li", Rendered("hi"))
    assert limited.value.retry_after == 60.0
    fake.answer_next("message/send", errcode=60111, errmsg="userid not found")
    with pytest.raises(ChannelError) as gone:
        await sender.send("ghost", Rendered("hi"))
    assert gone.value.permanent
    fake.answer_next("message/send", errcode=-1, errmsg="system busy")
    with pytest.raises(ChannelError) as busy:
        await sender.send("li", Rendered("hi"))
    assert not busy.value.permanent and not isinstance(busy.value, ChannelRateLimited)
