"""Idempotency-Key on POST /api/v1/sellout over HTTP, on SQLite and PostgreSQL: a retried batch is stored
once and answered with the first response; the same key with another body is refused; concurrent
duplicates write once."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.conftest import Web, add_dealer, add_product, api_key, bearer

URL = "/api/v1/sellout"


def row(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {"dealer": "D0001", "date": "2026-11-20", "sku": "AP300", "qty": 2,
                               "amount": "3998.00", "province": "浙江", "city": "杭州", "customer_type": "retail"}
    base.update(overrides)
    return base


async def _setup(web: Web) -> str:
    await add_dealer(web, "D0001", "杭州华信电器有限公司")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    return await api_key(web, "sellout:write", "sellout:read", name="erp")


async def _lines(web: Web) -> list[tuple[str, int, str]]:
    async with web.uow() as uow:
        return [(ln.sku, ln.qty, str(ln.amount)) for ln in await uow.sellout.list(order_by="id")]


async def test_a_retry_replays_the_first_response_and_writes_nothing(web_any: Web) -> None:
    key = await _setup(web_any)
    batch = [row(), row(qty=1, amount="1999.00"), row(sku="NOPE")]
    first = await web_any.client.post(URL, json=batch, headers=bearer(key, **{"Idempotency-Key": "erp-0001"}))
    assert first.status_code == 207, first.text
    assert first.json()["accepted"] == 2 and "Idempotent-Replayed" not in first.headers

    # the same key and body again (keys reordered, quoted as a structured-field string): the stored answer
    reordered = [dict(reversed(list(r.items()))) for r in batch]
    for again in (batch, reordered):
        for sent_key in ("erp-0001", '"erp-0001"'):
            retry = await web_any.client.post(URL, json=again, headers=bearer(key, **{"Idempotency-Key": sent_key}))
            assert retry.status_code == 207
            assert retry.json() == first.json()
            assert retry.headers["Idempotent-Replayed"] == "true"
    assert await _lines(web_any) == [("AP300", 2, "3998.00"), ("AP300", 1, "1999.00")]
    async with web_any.uow() as uow:
        assert await uow.audit.count(action="sellout.record") == 1
        [stored] = await uow.idempotency_records.list()
    assert (stored.key, stored.endpoint, stored.status_code) == ("erp-0001", "POST /api/v1/sellout", 207)

    # a new key is a new request; no key at all is never deduplicated
    other = await web_any.client.post(URL, json=[row()], headers=bearer(key, **{"Idempotency-Key": "erp-0002"}))
    assert other.status_code == 200 and "Idempotent-Replayed" not in other.headers
    for _ in range(2):
        assert (await web_any.client.post(URL, json=[row(qty=7)], headers=bearer(key))).status_code == 200
    assert [qty for _, qty, _ in await _lines(web_any)] == [2, 1, 2, 7, 7]


async def test_the_same_key_with_another_body_is_refused(web_any: Web) -> None:
    key = await _setup(web_any)
    headers = bearer(key, **{"Idempotency-Key": "erp-0001"})
    assert (await web_any.client.post(URL, json=[row()], headers=headers)).status_code == 200

    refused = await web_any.client.post(URL, json=[row(qty=3)], headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"] == "idempotency_key_reused"
    assert "幂等键 erp-0001 已用于另一个请求" in refused.json()["message"]
    assert refused.json()["message_en"].startswith("The Idempotency-Key erp-0001 was already used for a different")
    english = await web_any.client.post(URL, json=[row(qty=3)], headers={**headers, "Accept-Language": "en"})
    assert english.status_code == 422 and english.json()["message"] == english.json()["message_en"]
    assert await _lines(web_any) == [("AP300", 2, "3998.00")]


async def test_keys_belong_to_their_api_key(web_any: Web) -> None:
    first_key = await _setup(web_any)
    second_key = await api_key(web_any, "sellout:write", name="crm")
    for key in (first_key, second_key):
        response = await web_any.client.post(URL, json=[row()], headers=bearer(key, **{"Idempotency-Key": "k-1"}))
        assert response.status_code == 200 and "Idempotent-Replayed" not in response.headers
    assert len(await _lines(web_any)) == 2


async def test_concurrent_duplicates_write_once(web_any: Web) -> None:
    key = await _setup(web_any)
    batch = [row(), row(qty=5, amount="9995.00"), row(date="2026-11-21", qty=1, amount="1999.00")]
    headers = bearer(key, **{"Idempotency-Key": "5d7c2b1e-retry-storm"})
    responses = await asyncio.gather(*(web_any.client.post(URL, json=batch, headers=headers) for _ in range(5)))

    assert [r.status_code for r in responses] == [200] * 5, [r.text for r in responses]
    assert all(r.json() == {"accepted": 3, "errors": []} for r in responses)
    assert sorted(r.headers.get("Idempotent-Replayed", "") for r in responses) == ["", "true", "true", "true", "true"]
    assert await _lines(web_any) == [("AP300", 2, "3998.00"), ("AP300", 5, "9995.00"), ("AP300", 1, "1999.00")]
    async with web_any.uow() as uow:
        assert await uow.idempotency_records.count() == 1
        assert await uow.audit.count(action="sellout.record") == 1


@pytest.mark.parametrize("bad", ["", " ", "x" * 256, "naïve", "tab\there"])
async def test_malformed_keys_are_refused(web: Web, bad: str) -> None:
    key = await _setup(web)
    response = await web.client.post(URL, json=[row()],
                                     headers={**bearer(key), "Idempotency-Key": bad.encode("utf-8")})  # type: ignore[dict-item]
    assert response.status_code == 422, response.text
    assert await _lines(web) == []


async def test_the_header_is_documented(web: Web) -> None:
    schema = (await web.client.get("/openapi.json")).json()
    post = schema["paths"]["/api/v1/sellout"]["post"]
    [header] = [p for p in post["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and header["required"] is False
    assert header["schema"]["anyOf"][0]["maxLength"] == 255
    assert "Idempotent-Replayed" in post["responses"]["200"]["headers"]
    assert post["responses"]["409"]["description"].startswith("a request with the same Idempotency-Key")
