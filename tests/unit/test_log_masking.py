"""Personal data never reaches a log line during real chat journeys: binding by a shared phone, an
after-sales message with an end customer's phone and ID number, and a crash whose exception text carries
the dealer's message (as LLM client errors do), at DEBUG, in JSON and console output."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import structlog

from bot.logging import configure_logging
from bot.settings import Settings
from core.dealers import Contact
from core.users import Role
from nlu.schema import CatalogueEntry, ParseResult
from tests.chat import ChatWorld, texts

PHONE, CUSTOMER_PHONE, ID_NUMBER = "13800138000", "13912345678", "110101199003074514"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        root.removeHandler(h)
    for h in handlers:
        root.addHandler(h)
    root.setLevel(level)
    structlog.reset_defaults()


class CrashingParser:
    """Fails the way client libraries do: the input is quoted in the exception message."""

    async def parse(self, text: str, *, catalogue: list[CatalogueEntry], today: date, **_: Any) -> ParseResult:
        raise RuntimeError(f"upstream refused the request for input {text!r}")


@pytest.mark.parametrize("json_logs", [True, False])
async def test_chat_journey_logs_no_phone_or_id_number(json_logs: bool, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(_env_file=None, log_json=json_logs, log_level="DEBUG"))  # type: ignore[call-arg]
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer()
    dealer.contacts.append(Contact(name="李老板", phone=PHONE, role="老板", dealer_id=dealer.id))
    await w.uow.commit()

    from handlers.messages import InboundKind
    bound = await w.send(w._inbound("100", InboundKind.CONTACT, phone=PHONE))
    assert "绑定成功" in texts(bound)
    await w.say("100", f"客户王小明 {CUSTOMER_PHONE} 身份证{ID_NUMBER} 家的除湿机不出水")
    await w.say("100", "/cancel")
    await w.user("200", Role.DEALER_OWNER, dealer)
    w.service.deps.parser = CrashingParser()
    crashed = await w.say("200", f"我的电话 {PHONE}，身份证 {ID_NUMBER}，AP300 来二十台")
    assert crashed                                             # the user still gets a polite answer

    err = capsys.readouterr().err
    assert "upstream refused" in err                           # the crash was logged, with its text ...
    for secret in (PHONE, CUSTOMER_PHONE, ID_NUMBER):          # ... but never the numbers
        assert secret not in err, secret
    assert "138****8000" in err and "110101********4514" in err
