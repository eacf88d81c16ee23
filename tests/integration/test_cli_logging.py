"""bot.logging: JSON or console output, stdlib routed through structlog, personal data never logged."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from bot.logging import configure_logging, get_logger, mask_text
from bot.settings import Settings


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


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_json_logs_hide_personal_data_from_our_code_and_from_libraries(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(_env_file=None, log_json=True, log_level="INFO"))  # type: ignore[call-arg]

    get_logger("dms.test").info("dealer bound 13812345678", phone="13812345678", dealer="D0001",
                                contact={"name": "王伟", "contact_phone": "13900001111"},
                                note="身份证 110101199003071234")
    logging.getLogger("uvicorn.error").info("caller %s", "15011112222")
    logging.getLogger("dms.test").debug("not shown at INFO")

    lines = _json_lines(capsys.readouterr().err)
    assert len(lines) == 2
    ours, theirs = lines
    assert ours["event"] == "dealer bound 138****5678" and ours["phone"] == "***"
    assert ours["contact"] == {"name": "王伟", "contact_phone": "***"}
    assert ours["note"] == "身份证 110101********1234" and ours["dealer"] == "D0001" and ours["level"] == "info"
    assert theirs["event"] == "caller 150****2222" and theirs["logger"] == "uvicorn.error"
    assert "13812345678" not in json.dumps(lines, ensure_ascii=False)


def test_console_renderer_and_level(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(_env_file=None, log_json=False, log_level="WARNING"))  # type: ignore[call-arg]

    get_logger("dms.test").info("quiet")
    get_logger("dms.test").warning("stock low", sku="AP300")

    err = capsys.readouterr().err
    assert "quiet" not in err
    assert "stock low" in err and "sku=AP300" in err and not err.lstrip().startswith("{")


def test_mask_text_leaves_order_numbers_and_amounts_alone() -> None:
    assert mask_text("SO-20261126-0007 ¥12999.00 13812345678") == "SO-20261126-0007 ¥12999.00 138****5678"


def test_a_level_left_on_uvicorns_logger_does_not_hide_its_lines(capsys: pytest.CaptureFixture[str]) -> None:
    """uvicorn.Config(log_level="warning") (benches, tests) sets a level on uvicorn.error; ours must rule."""
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    configure_logging(Settings(_env_file=None, log_json=True, log_level="INFO"))  # type: ignore[call-arg]
    logging.getLogger("uvicorn.error").info("started for %s", "13712345678")
    lines = _json_lines(capsys.readouterr().err)
    assert [line["event"] for line in lines] == ["started for 137****5678"]
