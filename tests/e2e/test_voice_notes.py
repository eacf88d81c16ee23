"""Voice notes over real HTTP: Mandarin made by espeak-ng, encoded as Telegram (OGG/Opus) and WeCom (AMR) send it,
decoded and cut by bot.voice, transcribed by a local OpenAI-compatible stand-in that checks the request format,
said back ("我听到的是：…") and handled as typed text; a note longer than a piece goes as several requests; with no
speech service the dealer is asked to type; a broken note or a failing service gets a clear answer; through
sherpa-onnx only when a model directory is given (STT_MODEL_DIR)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
import pytest_asyncio

from bot.voice import HttpTranscriber, Listener, SherpaTranscriber, decode_pcm, split_pieces, wav_bytes
from core.aliases import DealerAlias
from core.users import Role
from handlers.messages import InboundKind
from tests.chat import ChatWorld, buttons, texts
from tests.e2e.stt_standin import SttStandIn
from tests.e2e.telegram_standin import (
    BotWorld,
    TelegramStandIn,
    add_dealer,
    invite,
    seed_catalogue,
    start_bot,
)
from tests.e2e.wecom_standin import WeComStandIn, WeComWorld, start_wecom
from tests.voice_notes import encoded, silence, spoken

DEALER = 1001


@pytest_asyncio.fixture
async def stt() -> AsyncIterator[SttStandIn]:
    async with SttStandIn(api_key="stt-key") as standin:
        yield standin


def listener(stt: SttStandIn, **kw: float) -> Listener:
    """The listener ``dms run`` builds from STT_BASE_URL, pointed at the stand-in."""
    return Listener(HttpTranscriber(stt.base_url, model="whisper-1", api_key="stt-key"), **kw)


@pytest.mark.parametrize("container", ["ogg", "amr"])
async def test_a_note_in_each_channels_format_reaches_the_service_as_16k_wav(stt: SttStandIn, container: str) -> None:
    note = encoded(spoken("AP300 来二十台"), container)
    stt.transcripts = ["AP300来二十台"]
    heard = await listener(stt)(note, ["AP300", "空气净化器AP300"])
    assert (heard.text, heard.problem) == ("AP300来二十台", "")
    [request] = stt.requests
    assert stt.refused == [] and request.model == "whisper-1" and request.language == "zh"
    assert "AP300" in request.prompt and 1.0 < request.seconds < 4.0
    stt.language, stt.transcripts = "", ["AP300 twenty units"]           # STT_LANGUAGE=auto: no language sent
    auto = Listener(HttpTranscriber(stt.base_url, model="whisper-1", api_key="stt-key", language="auto"))
    assert (await auto(note, [])).text == "AP300 twenty units" and stt.refused == []


async def test_a_long_note_goes_in_pieces_cut_in_pauses_at_once_and_the_texts_are_joined_in_order(
        stt: SttStandIn) -> None:
    said = spoken("AP300 来二十台，滤网来五箱，除湿机DH20要三台，下周三之前送到，谢谢")
    repeats = int(np.ceil(62 * 16_000 / (said.size + 0.8 * 16_000)))
    pcm = np.concatenate([said, silence(0.8)] * repeats)               # just over a minute (WeCom's longest)
    assert 60 < pcm.size / 16_000 < 75
    note = encoded(pcm, "amr")
    pieces = [hashlib.sha256(wav_bytes(p)).hexdigest() for p in split_pieces(decode_pcm(note))]
    assert len(pieces) == 3
    stt.by_audio = dict(zip(pieces, ["AP300来二十台，", "滤网来五箱，", "下周三之前送到"], strict=True))
    stt.delays = {pieces[0]: 0.6}                       # the first piece answers last
    heard = await listener(stt)(note, [])
    assert len(stt.requests) == 3 and all(r.seconds <= 30.0 for r in stt.requests)
    assert stt.most_at_once >= 2                        # sent at once, not one after another
    assert abs(sum(r.seconds for r in stt.requests) - pcm.size / 16_000) < 0.2
    assert heard.text == "AP300来二十台，滤网来五箱，下周三之前送到" and heard.problem == ""
    one_at_a_time = SttStandIn(api_key="stt-key")
    async with one_at_a_time:
        one_at_a_time.by_audio = stt.by_audio
        slow = Listener(HttpTranscriber(one_at_a_time.base_url, model="whisper-1", api_key="stt-key", parallel=1))
        assert (await slow(note, [])).text == heard.text and one_at_a_time.most_at_once == 1


async def test_too_long_broken_silent_and_failing(stt: SttStandIn) -> None:
    hear = listener(stt, max_seconds=20)
    long_note = encoded(np.concatenate([spoken("AP300 来二十台"), silence(25)]), "ogg")
    too_long = await hear(long_note, [])
    assert (too_long.problem, too_long.limit) == ("too_long", 20)
    assert (await hear(b"OggS not really audio", [])).problem == "unreadable"
    assert (await hear(encoded(silence(2), "ogg"), [])).problem == "unclear"
    hello = encoded(spoken("你好"), "ogg")
    stt.fail_next, stt.transcripts = 1, ["你好"]                 # busy once: sent again, heard
    assert (await hear(hello, [])).text == "你好" and stt.fail_next == 0
    stt.fail_next = 2                                            # busy twice: the dealer is told
    assert (await hear(hello, [])).problem == "failed"
    assert stt.refused == []
    gone = Listener(HttpTranscriber("http://127.0.0.1:9/v1", model="whisper-1"))   # nothing listens there
    assert (await gone(hello, [])).problem == "failed"


async def test_in_the_chat_a_note_is_said_back_then_ordered_and_without_a_service_the_dealer_is_asked_to_type(
        stt: SttStandIn) -> None:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer()
    await w.prepay(dealer)
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.order(dealer, [("DH20", 2)])                       # its latest order: DH20
    await w.uow.dealer_aliases.add(DealerAlias(dealer_id=dealer.id, word="小白", sku="AP300"))  # type: ignore[arg-type]
    await w.uow.commit()
    note = encoded(spoken("AP300 来二十台"), "amr")

    async def send_note(wecom_text: str = "") -> list:   # type: ignore[type-arg]
        ref = w._stored(note)
        return await w.send(w._inbound("100", InboundKind.VOICE, file_refs=(ref,), text=wecom_text))

    off = texts(await send_note())
    assert "暂时听不了语音，请打字或发图片" in off
    w.service.deps.hear = listener(stt)
    stt.transcripts = ["AP300来二十台"]
    replies = await send_note()
    assert replies[0].text == "🎤 我听到的是：AP300来二十台"
    assert "空气净化器AP300（AP300）20台" in texts(replies)
    assert any("order.confirm" in p for p in buttons(replies).values())
    assert await w.uow.orders.count() == 1                    # said back and priced; ordered only on the button
    # the hints, likeliest first: its own word, its latest order's product, then the catalogue (each once)
    assert stt.requests[0].prompt == "小白，DH20，除湿机DH20，AP300，空气净化器AP300，F300，AP300 滤网"
    recognised = await send_note(wecom_text="我的订单")         # WeCom recognised it already: no request
    assert recognised[0].text == "🎤 我听到的是：我的订单" and len(stt.requests) == 1
    w.service.deps.hear = listener(stt, max_seconds=20)         # STT_MAX_SECONDS=20: the answer says 20
    note = encoded(np.concatenate([spoken("AP300 来二十台"), silence(25)]), "ogg")
    assert texts(await send_note()) == "语音太长（最长 20 秒），请分段说或直接打字。"
    assert texts(await w.send(w._inbound("100", InboundKind.VOICE))) == "没有听清这段语音，请再说一遍或直接打字。"


@pytest_asyncio.fixture
async def bot(tmp_path: Path, stt: SttStandIn) -> AsyncIterator[BotWorld]:
    from bot.bootstrap import warm_up

    await warm_up()
    async with TelegramStandIn() as standin:
        w = await start_bot(tmp_path, standin, mode="webhook", stt_base_url=stt.base_url, stt_api_key="stt-key")
        try:
            await seed_catalogue(w)
            yield w
        finally:
            await w.stop()


async def test_a_telegram_voice_note_orders_after_the_confirm(bot: BotWorld, stt: SttStandIn) -> None:
    await add_dealer(bot, "D0201", "苏州吴中家电")
    assert "绑定成功" in (await bot.say(DEALER, f"/start {await invite(bot, dealer='D0201')}"))[0].text
    stt.transcripts = ["AP300来二十台"]
    replies = await bot.voice(DEALER, encoded(spoken("AP300 来二十台"), "ogg"), 2, at_least=2)
    assert replies[0].text == "🎤 我听到的是：AP300来二十台"
    assert "空气净化器AP300（AP300）20台" in replies[1].text
    assert bot.standin.calls_of("getFile") and stt.refused == []
    [typing] = bot.standin.calls_of("sendChatAction")            # "typing…" while it is heard, before the answer
    assert typing.params["action"] == "typing" and typing.status == 200
    calls = bot.standin.calls
    said_back = next(i for i, c in enumerate(calls) if c.method == "sendMessage" and "我听到的是" in str(c.params))
    assert calls.index(typing) < said_back
    done = await bot.press(DEALER, "确认下单")
    assert "已提交" in done[0].text
    broken = await bot.voice(DEALER, b"OggS\x00 broken", 1)
    assert "这段语音打不开" in broken[0].text
    assert "AP300" in (await bot.say(DEALER, "AP300 有货吗"))[0].text
    assert len(bot.standin.calls_of("sendChatAction")) == 2       # the broken note's too; typed text shows none


@pytest_asyncio.fixture
async def wecom(tmp_path: Path, stt: SttStandIn) -> AsyncIterator[WeComWorld]:
    from bot.bootstrap import warm_up

    await warm_up()
    async with WeComStandIn() as standin:
        w = await start_wecom(tmp_path, standin, stt_base_url=stt.base_url, stt_api_key="stt-key")
        try:
            await seed_catalogue(w)  # type: ignore[arg-type]
            yield w
        finally:
            await w.stop()


async def test_a_wecom_voice_without_recognition_is_fetched_heard_and_ordered_after_the_confirm(
        wecom: WeComWorld, stt: SttStandIn) -> None:
    s, member = wecom.standin, "ZhangLaoBan"
    await add_dealer(wecom, "D0301", "无锡新吴家电")  # type: ignore[arg-type]
    code = await invite(wecom, dealer="D0301")  # type: ignore[arg-type]
    assert "绑定成功" in (await wecom.say(member, f"绑定 {code}", at_least=2))[0].shown
    stt.transcripts = ["AP300来二十台"]
    since = s.count(member)
    assert await wecom.users.voice(member, data=encoded(spoken("AP300 来二十台"), "amr")) == 200
    replies = await s.replies(member, since, at_least=2)
    assert replies[0].shown == "🎤 我听到的是：AP300来二十台", [m.shown for m in replies]
    assert "空气净化器AP300（AP300）20台" in replies[1].shown
    [request] = stt.requests
    assert stt.refused == [] and "AP300" in request.prompt and 1.0 < request.seconds < 4.0
    assert len(s.calls_of("media/get")) == 1
    async with wecom.uow() as uow:
        assert await uow.orders.count() == 0                # heard and priced; ordered only on the button
    done = await wecom.press(member, "确认下单")
    assert "已提交" in "\n".join(m.shown for m in done)
    since = s.count(member)
    assert await wecom.users.voice(member, data=b"#!AMR\n broken") == 200
    assert "这段语音打不开" in "\n".join(m.shown for m in await s.replies(member, since))
    assert "AP300" in "\n".join(m.shown for m in await wecom.say(member, "AP300 有货吗"))   # still running
    assert len(stt.requests) == 1


@pytest.mark.skipif(not os.environ.get("STT_MODEL_DIR"), reason="set STT_MODEL_DIR to a sherpa-onnx Paraformer "
                    "directory (model.int8.onnx, tokens.txt) to run speech recognition on this machine")
async def test_sherpa_onnx_hears_mandarin_when_a_model_is_given() -> None:
    pytest.importorskip("sherpa_onnx", reason="pip install sherpa-onnx")
    hear = Listener(SherpaTranscriber(Path(os.environ["STT_MODEL_DIR"])))
    heard = await hear(encoded(spoken("来二十台"), "amr"), [])
    assert heard.problem == "" and ("二十" in heard.text or "20" in heard.text), heard
