"""Schemathesis against the app's own OpenAPI schema, in-process (ASGI), on a seeded SQLite database.

Every operation of /api/v1 gets generated requests (valid and invalid) with a key holding all scopes; every
response must be a non-5xx answer that conforms to the documented status codes, content type and schema.
Bounded (``max_examples``) and derandomized so the run is the same every time and stays well under a minute.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.mutations import render_mutations
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from admin.app import create_app
from bot.settings import Settings
from core.clock import Clock
from core.ports import AbstractUnitOfWork
from core.users import API_SCOPES
from storage.encryption import configure_encryption
from storage.engine import build_engine, build_session_factory
from storage.migrate import upgrade
from storage.uow import SqlAlchemyUnitOfWork
from tests.e2e.conftest import (
    ENCRYPTION_KEYS,
    NOW,
    Web,
    add_dealer,
    add_order,
    add_product,
    add_warehouse,
    api_key,
)

MAX_EXAMPLES = 25


async def _seed(web: Web) -> str:
    own = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    await add_dealer(web, "D0002", "南京宏达商贸有限公司", city="南京", province="江苏")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_warehouse(web, "WH-SH", {"AP300": 50})
    await add_order(web, "SO-20261126-0001", own, [("AP300", 2, "1999.00")])
    return await api_key(web, *API_SCOPES, name="fuzz")


class _Database:
    """The unit of work factory the app uses, set by the ``fuzz_key`` fixture once the database is seeded.

    The schema (and so the app) must exist when the module is collected; the database only when it runs."""

    factory: Callable[[], AbstractUnitOfWork] | None = None

    def __call__(self) -> AbstractUnitOfWork:
        assert self.factory is not None, "the fuzz_key fixture sets up the database"
        return self.factory()


DATABASE = _Database()
CLOCK = Clock.fixed(NOW)
APP = create_app(Settings(secret_key="fuzz-secret-key-0123456789abcdef", _env_file=None), DATABASE, clock=CLOCK)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def fuzz_key(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Seeds a SQLite file, points the app at it, and returns a key with every scope."""
    url = f"sqlite+aiosqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'fuzz.sqlite3'}"
    asyncio.run(upgrade(url))
    configure_encryption(ENCRYPTION_KEYS)

    async def seed() -> str:
        engine = build_engine(url)
        factory = build_session_factory(engine)
        web = Web("sqlite", None, engine, lambda: SqlAlchemyUnitOfWork(factory), CLOCK)  # type: ignore[arg-type]
        try:
            return await _seed(web)
        finally:
            await engine.dispose()

    key = asyncio.run(seed())
    factory = build_session_factory(build_engine(url))
    DATABASE.factory = lambda: SqlAlchemyUnitOfWork(factory)
    return key


def _negation_undone_on_the_wire(case: schemathesis.Case) -> bool:
    """Negative cases that reach the app as valid requests, so accepting them is right:

    - a query parameter "mutated" to another JSON type (object, null) still arrives as a string, which the
      schema allows (seen with ``?warehouse=%1C`` for an object);
    - a mutated ``Authorization`` header is replaced by the key this test sends (seen with an extra query
      property that serialized to nothing plus a removed header: ``?limit=2&offset=61``)."""
    data = case.meta.phase.data if case.meta is not None else None
    description = getattr(data, "description", None) or ""
    # several mutations are described one by one, not in ``description``
    mutations = [str(m) for m in getattr(data, "mutations", None) or []]
    try:
        mutations += list(render_mutations(getattr(data, "mutations", None) or []))
    except Exception:  # noqa: BLE001 - rendering is only a hint; the description still counts
        pass
    text = "\n".join([description, *mutations])
    return "violates `type`" in text and "query" in text or "Authorization" in text


def _line_limit_below_moq(case: schemathesis.Case) -> bool:
    body = case.body if isinstance(case.body, dict) else {}
    limit, moq = body.get("max_line_qty"), body.get("moq", 1)
    numbers = (isinstance(v, int | float) and not isinstance(v, bool) for v in (limit, moq))   # 3.0 counts too
    return case.operation.path == "/api/v1/products/{sku}" and all(numbers) and float(limit) < float(moq)


def _payment_refused_by_rule(case: schemathesis.Case, response: Any) -> bool:
    if case.operation.path != "/api/v1/payments" or response.status_code != 422:
        return False
    body = response.json()
    return body.get("error") == "validation_failed" and any(
        words in body.get("message_en", "") for words in ("must be above zero", "is in the future"))


def _order_refused_by_rule(case: schemathesis.Case, response: Any) -> bool:
    """POST /api/v1/orders or /api/v1/transfers with a body the schema allows that the checks on the data refuse
    (an unknown product, the MOQ, a delivery day already past, the dealer's documents; a transfer from a place to
    itself, more than the source holds): 422 without a field ``detail``."""
    if case.operation.path not in ("/api/v1/orders", "/api/v1/transfers") or case.operation.method.upper() != "POST" \
            or response.status_code != 422:
        return False
    return response.json().get("detail") is None


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case, fuzz_key: str) -> None:
    batch = case.operation.method.upper() == "POST" and case.operation.path.endswith("/sellout")
    # A sell-out batch whose rows fit the schema is checked row by row: rows the rules refuse come back in
    # ``errors`` with 207 while the good ones are stored (every row accounted for, below); a row that does not
    # fit the schema refuses the whole batch with 422 like any other body, so negative data is checked there too.
    excluded = [negative_data_rejection] if _negation_undone_on_the_wire(case) else []
    headers = {"Authorization": f"Bearer {fuzz_key}"}
    response = case.call(headers=headers)
    if _payment_refused_by_rule(case, response):
        # an amount of 0 or a payment date after today: the schema cannot say "above zero" of a string, nor "today"
        excluded.append(positive_data_acceptance)
    if (batch or case.operation.path == "/api/v1/payments") and response.status_code == 422 \
            and response.json().get("error") == "idempotency_key_reused":
        # the fuzzer sent an Idempotency-Key again with another body: refused by design (stateful, not schema)
        excluded.append(positive_data_acceptance)
    if _order_refused_by_rule(case, response):
        # pricing and the order checks run on the data (the schema cannot say "a product that exists", "today")
        excluded.append(positive_data_acceptance)
    if _line_limit_below_moq(case) and response.status_code == 422:
        # two fields that fit alone but not together (nothing could be ordered); the schema cannot say it
        excluded.append(positive_data_acceptance)
    case.validate_response(response, headers=headers, excluded_checks=excluded)
    assert response.status_code < 500
    if batch and response.status_code in (200, 207) and isinstance(case.body, list):
        result = response.json()
        assert result["accepted"] + len(result["errors"]) == len(case.body), result
        assert all(0 <= e["row"] < len(case.body) for e in result["errors"])


# --- what the fuzzer found, pinned as regression tests ----------------------------------------------------

@pytest.mark.parametrize(("method", "url", "body"), [
    ("PUT", "/api/v1/products/AP300", {"name": "x", "category": "c", "unit": "台", "list_price": "1.00",
                                       "moq": 9223372036854775808}),           # was a 500 (INTEGER overflow)
    ("PUT", "/api/v1/products/AP300", {"name": "x", "category": "c", "unit": "台", "list_price": "1.00",
                                       "active": 0}),                           # 0 was taken for False
    ("PUT", "/api/v1/products/AP300", {"name": "x", "category": "c", "unit": "台", "list_price": "-1.00"}),
    ("PUT", "/api/v1/products/AP300", {"name": " ", "category": "c", "unit": "台", "list_price": "1.00"}),
    ("PUT", "/api/v1/stock/WH-SH/AP300", {"on_hand": False}),                   # false was taken for 0
    ("GET", "/api/v1/sellout?until=0", None),                                   # 0 was read as 1970-01-01
    ("POST", "/api/v1/payments", {"dealer": "D0001", "account": "deposit", "amount": "50000.00", "method": "cash",
                                  "paid_on": 0}),                               # in a body too
    ("GET", "/api/v1/orders?until=", None),                                     # empty was "no bound"
    ("GET", "/api/v1/orders?status=", None),
    ("GET", "/api/v1/stock?sku=AP300&sku=XX", None),                            # the last one silently won
    ("GET", "/api/v1/orders?dealr=D0002", None),                                # misspelt: listed everything
    ("GET", "/api/v1/stock?offset=9223372036854775808", None),                  # was a 500 (INTEGER overflow)
    ("PUT", "/api/v1/products/AP300", {"name": "x", "category": "c", "unit": "台",
                                       "list_price": "8610727988100854743060937900583444.4"}),
    ("PUT", "/api/v1/products/AP300", {"name": "x", "category": "c", "unit": "台", "list_price": 1000000000001.0}),
])
async def test_fuzz_findings_are_refused_with_422(web: Web, method: str, url: str, body: object) -> None:
    await add_warehouse(web, "WH-SH", {"AP300": 5})
    key = await api_key(web, *API_SCOPES)
    response = await web.client.request(method, url, json=body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "validation_failed"
    async with web.uow() as uow:
        assert await uow.products.count() == 0
        stock = await uow.stock.list()
    assert [s.on_hand for s in stock] == [5]


async def test_405_names_every_method_of_the_path(web: Web) -> None:
    response = await web.client.request("OPTIONS", "/api/v1/products/AP300")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PUT"


async def test_a_json_number_price_and_an_integral_float_quantity_are_accepted(web: Web) -> None:
    await add_warehouse(web, "WH-SH", {"AP300": 5})
    key = await api_key(web, *API_SCOPES)
    headers = {"Authorization": f"Bearer {key}"}
    product = await web.client.put("/api/v1/products/AP300", headers=headers, json={
        "name": "空气净化器", "category": "净化器", "unit": "台", "list_price": 1999.5, "moq": 2.0})
    assert product.status_code == 200, product.text
    assert (product.json()["list_price"], product.json()["moq"]) == ("1999.50", 2)
    stock = await web.client.put("/api/v1/stock/WH-SH/AP300", headers=headers, json={"on_hand": 3600.0})
    assert stock.status_code == 200 and stock.json()["on_hand"] == 3600


async def test_running_app_findings_extreme_dates_and_ids(web: Web) -> None:
    """Found by schemathesis against the running app (tests/e2e/schemathesis.toml): the first and last day a date
    can name were a 500 in the ledger (their midnight in UTC is no datetime), an id beyond BIGINT a 500."""
    await add_dealer(web, "D0001", "杭州华信电器有限公司")
    key = await api_key(web, *API_SCOPES)
    headers = {"Authorization": f"Bearer {key}"}
    for query in ("from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=9999-12-31"):
        ledger = await web.client.get(f"/api/v1/dealers/D0001/ledger?{query}", headers=headers)
        assert ledger.status_code == 200, (query, ledger.text)
        assert ledger.json()["total"] == 0
    receipt = await web.client.get(f"/api/v1/ledger/{2**63}/receipt", headers=headers)
    assert receipt.status_code == 422 and receipt.json()["detail"][0]["loc"] == ["path", "entry_id"]
    assert (await web.client.get(f"/api/v1/ledger/{2**63 - 1}/receipt", headers=headers)).status_code == 404
