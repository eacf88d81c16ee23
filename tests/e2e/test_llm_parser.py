"""The LLM parser and FAQ answerer over real HTTP against a local OpenAI-compatible stand-in
(ChatOpenAI with ``use_responses_api=False``; ``function_calling`` and ``json_mode``): proposals are
validated, and a timeout, an HTTP error or garbage output falls back to the offline result."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from core.faq import FaqEntry
from nlu.classifier import LOW_CONFIDENCE
from nlu.kb_import import demo_entries
from nlu.llm import LlmConfig, LlmFaqAnswerer, LlmParser, build_chat_model, build_parser
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent
from tests.e2e.openai_standin import OpenAIStandIn

TODAY = date(2026, 11, 26)
CATALOGUE = [
    CatalogueEntry(sku="AP300", name="空气净化器 AP300", aliases=["净化器300"], unit="台"),
    CatalogueEntry(sku="AP500", name="空气净化器 AP500 Pro", aliases=["净化器500"], unit="台"),
    CatalogueEntry(sku="DH20", name="除湿机 DH20 20升", aliases=["除湿机20"], unit="台"),
    CatalogueEntry(sku="FL-AP300", name="AP300 HEPA 复合滤网（10片/箱）", aliases=["300滤网"], unit="箱"),
]


@pytest.fixture
async def standin() -> AsyncIterator[OpenAIStandIn]:
    async with OpenAIStandIn() as server:
        yield server


def parser(standin: OpenAIStandIn, method: str = "function_calling", timeout: float = 3.0,
           policy: str = "llm_first") -> LlmParser:
    config = LlmConfig(base_url=standin.base_url, model="local-model", api_key="test", timeout=timeout,
                       method=method)  # type: ignore[arg-type]
    return LlmParser(build_chat_model(config), method=config.method, timeout=timeout, policy=policy)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["function_calling", "json_mode"])
async def test_structured_output_over_http(standin: OpenAIStandIn, method: str) -> None:
    standin.reply = lambda body: {"intent": "place_order", "confidence": 0.92,
                                  "items": [{"sku": "AP500", "qty": 8}], "delivery_date": "2026-12-02"}
    result = await parser(standin, method).parse("那个新款净化器给我整八台，下礼拜三前到", catalogue=CATALOGUE, today=TODAY)
    assert result.intent == Intent.PLACE_ORDER and result.confidence == 0.92
    assert [(i.sku, i.qty) for i in result.slots.items] == [("AP500", 8)]
    assert result.slots.delivery_date == date(2026, 12, 2)
    body = standin.requests[-1]
    assert body["model"] == "local-model"
    if method == "function_calling":
        assert body["tools"][0]["function"]["name"] == "LlmProposal"
    else:
        assert body.get("response_format") == {"type": "json_object"} and "tools" not in body
    assert standin.user_text() == "那个新款净化器给我整八台，下礼拜三前到"
    # only the likely products go into the prompt, and today's date for relative dates
    system = standin.system_text()
    assert "AP500" in system and "2026-11-26" in system


async def test_only_top_candidates_go_into_the_prompt(standin: OpenAIStandIn) -> None:
    big = CATALOGUE + [CatalogueEntry(sku=f"X{n:03d}", name=f"配件 {n}", aliases=[]) for n in range(200)]
    await parser(standin).parse("AP300 来二十台", catalogue=big, today=TODAY)
    system = standin.system_text()
    assert "AP300" in system and system.count("\n- ") <= 8


async def test_invalid_skus_and_quantities_are_dropped(standin: OpenAIStandIn) -> None:
    standin.reply = lambda body: {"intent": "place_order", "confidence": 0.9,
                                  "items": [{"sku": "AP999", "qty": 5}, {"sku": "dh20", "qty": 3},
                                            {"sku": "AP300", "qty": 0}, {"sku": "AP500", "qty": 10_000_000}],
                                  "product": "NOPE", "order_no": "SO-1; DROP TABLE orders", "delivery_date": "2020-01-01"}
    result = await parser(standin).parse("DH20 三台", catalogue=CATALOGUE, today=TODAY)
    assert [(i.sku, i.qty) for i in result.slots.items] == [("DH20", 3)]
    assert result.slots.product is None and result.slots.order_no is None and result.slots.delivery_date is None


async def test_timeout_falls_back_to_offline(standin: OpenAIStandIn) -> None:
    standin.mode, standin.delay = "slow", 3.0
    p = parser(standin, timeout=0.5)
    started = time.monotonic()
    result = await p.parse("AP300 来二十台 下周三到", catalogue=CATALOGUE, today=TODAY)
    assert time.monotonic() - started < 2.0
    assert p.last_error == "timeout"
    assert result == OfflineParser().parse_sync("AP300 来二十台 下周三到", catalogue=CATALOGUE, today=TODAY)
    assert [(i.sku, i.qty) for i in result.slots.items] == [("AP300", 20)]


@pytest.mark.parametrize("mode", ["garbage", "wrong_shape", "http_500"])
@pytest.mark.parametrize("method", ["function_calling", "json_mode"])
async def test_garbage_or_errors_fall_back_to_offline(standin: OpenAIStandIn, mode: str, method: str) -> None:
    standin.mode = mode
    p = parser(standin, method)
    result = await p.parse("SO-20261120-0003 到哪了", catalogue=CATALOGUE, today=TODAY)
    assert p.last_error is not None
    assert result.intent == Intent.ORDER_STATUS and result.slots.order_no == "SO-20261120-0003"


async def test_low_confidence_policy_asks_only_when_unsure(standin: OpenAIStandIn) -> None:
    standin.reply = lambda body: {"intent": "faq", "confidence": 0.8}
    p = parser(standin, policy="llm_on_low_confidence")
    sure = await p.parse("AP300 来二十台", catalogue=CATALOGUE, today=TODAY)
    assert sure.intent == Intent.PLACE_ORDER and not standin.requests
    unsure = "你们这个怎么搞的"
    assert OfflineParser().parse_sync(unsure, catalogue=CATALOGUE, today=TODAY).confidence < LOW_CONFIDENCE
    assert (await p.parse(unsure, catalogue=CATALOGUE, today=TODAY)).intent == Intent.FAQ
    assert len(standin.requests) == 1


async def test_build_parser_without_a_model_is_offline() -> None:
    assert isinstance(build_parser("llm_first", None), OfflineParser)
    assert isinstance(build_parser("offline", LlmConfig(base_url="http://127.0.0.1:9/v1", model="m")), OfflineParser)


def _entries() -> list[FaqEntry]:
    return [FaqEntry(question_zh=e.question_zh, answer_zh=e.answer_zh, question_en=e.question_en,
                     answer_en=e.answer_en, tags=list(e.tags), variants=list(e.variants), id=n)
            for n, e in enumerate(demo_entries(), 1)]


async def test_faq_answer_is_grounded_in_retrieved_entries(standin: OpenAIStandIn) -> None:
    entries = _entries()
    warranty = next(e for e in entries if "保修" in e.question_zh)

    def reply(body: dict[str, Any]) -> dict[str, Any]:
        return {"answer": "整机保修两年，压缩机和电机三年。", "entry_id": warranty.id}

    standin.reply = reply
    answerer = LlmFaqAnswerer(build_chat_model(LlmConfig(base_url=standin.base_url, model="m")))
    found = await answerer.answer("机器保修几年啊", "zh-CN", entries)
    assert found is not None and found.text == "整机保修两年，压缩机和电机三年。"
    assert found.source == warranty.question_zh and found.entry_id == warranty.id
    system = standin.system_text()
    assert f"[entry {warranty.id}]" in system and "ONLY the entries" in system

    # an entry id that was not retrieved is not trusted: the retrieved entry's own answer is used
    standin.reply = lambda body: {"answer": "我们免费送您一台新机器！", "entry_id": 9999}
    found = await answerer.answer("机器保修几年啊", "zh-CN", entries)
    assert found is not None and found.text == warranty.answer_zh

    # nothing relevant retrieved: no model call, no answer (the chat hands the question to staff)
    before = len(standin.requests)
    assert await answerer.answer("今天天气怎么样", "zh-CN", entries) is None
    assert len(standin.requests) == before

    standin.mode = "http_500"
    found = await answerer.answer("机器保修几年啊", "zh-CN", entries)
    assert found is not None and found.text == warranty.answer_zh
