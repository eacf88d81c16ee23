"""Logging: structlog for our code, the standard library (uvicorn, SQLAlchemy, aiogram) routed through it.

``configure_logging(settings)`` picks a coloured console renderer or one JSON object per line
(``LOG_JSON=true``) at ``LOG_LEVEL``. Personal data never reaches a log: values under sensitive keys
(phone, id_number, password, api key, ...) are replaced, and mainland mobile numbers and 18-digit ID
numbers inside any logged text are masked (138****5678), whatever library logged them.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from structlog.typing import EventDict, Processor

from bot.settings import Settings

SENSITIVE_KEYS = frozenset({
    "phone", "contact_phone", "customer_phone", "customer_name", "id_number", "password", "password_hash",
    "secret", "secret_key", "token", "api_key", "key", "authorization", "code_plain", "data_encryption_keys",
})
REDACTED = "***"
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![\dA-Za-z])")


def mask_text(text: str) -> str:
    """Mask mobile numbers and resident ID numbers inside free text."""
    text = _ID_NUMBER.sub(r"\1********\2", text)
    return _MOBILE.sub(r"\1****\2", text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, MutableMapping):
        return {k: (REDACTED if str(k).lower() in SENSITIVE_KEYS else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def redact_personal_data(logger: Any, method_name: str, event_dict: EventDict) -> EventDict:
    """structlog processor: drop sensitive keys, mask numbers in text (event and values alike)."""
    event_dict.pop("color_message", None)     # uvicorn's ANSI copy of the message
    for key in list(event_dict):
        if key.lower() in SENSITIVE_KEYS:
            event_dict[key] = REDACTED
        elif key not in ("exc_info", "_record", "_from_structlog"):
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def _masking(renderer: Processor) -> Processor:
    """Mask the rendered line as a whole: tracebacks are formatted after the processors above ran, and an
    exception's message (or a client library's) often quotes the user's text."""

    def render(logger: Any, method_name: str, event_dict: EventDict) -> Any:
        out = renderer(logger, method_name, event_dict)
        return mask_text(out) if isinstance(out, str) else out

    return render


def _level(name: str) -> int:
    level = logging.getLevelName(name.upper())
    return level if isinstance(level, int) else logging.INFO


def configure_logging(settings: Settings) -> None:
    """Configure structlog and the root logger once per process (calling again reconfigures)."""
    level = _level(settings.log_level)
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_personal_data,
    ]
    renderer: Processor
    if settings.log_json:
        renderer = structlog.processors.JSONRenderer(ensure_ascii=False)
        shared.append(structlog.processors.format_exc_info)
    else:
        # plain tracebacks: rich's "show locals" would print personal data held in local variables
        renderer = structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty(),
                                                 exception_formatter=structlog.dev.plain_traceback)

    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared,
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,   # tests and `dms` subcommands reconfigure logging in one process
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *shared],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, _masking(renderer)],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn installs its own handlers; send its records through ours instead
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = True
        lg.setLevel(logging.NOTSET)   # a uvicorn.Config(log_level=...) may have set one; ours (the root's) rules
    logging.getLogger("sqlalchemy.engine").setLevel(max(level, logging.WARNING))
    logging.getLogger("aiosqlite").setLevel(max(level, logging.WARNING))
    logging.getLogger("alembic.runtime.plugins").setLevel(max(level, logging.WARNING))


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger
