"""What every ``dms`` command shares: the app for one command, async bodies, user errors as messages."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime
from typing import Any, TypeVar

import typer

from bot.settings import Settings
from core.errors import DomainError
from core.users import Actor

T = TypeVar("T")


CLI_ACTOR = Actor.system()


# --- plumbing --------------------------------------------------------------------------------------


def fail(zh: str, en: str, code: int = 1) -> typer.Exit:
    typer.echo(f"错误：{zh}（{en}）", err=True)
    return typer.Exit(code)


def _database_error(exc: Exception) -> typer.Exit:
    text = str(getattr(exc, "orig", exc)).lower()
    if "no such table" in text or "does not exist" in text and "relation" in text:
        return fail("数据库尚未初始化，请先运行 `dms migrate`",
                    "the database has no tables yet; run `dms migrate` first")
    first = str(getattr(exc, "orig", exc)).splitlines()[0] if str(exc) else type(exc).__name__
    return fail(f"数据库错误：{first}", f"database error: {first}")


def loop_factory(choice: str = "auto") -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop a command runs on: uvloop for "auto" where it is installed (on Windows it is not), asyncio's
    own for "asyncio" (None: ``asyncio.Runner``'s default). "uvloop" where it is missing is an error said plainly."""
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        if choice == "uvloop":
            raise fail("EVENT_LOOP=uvloop，但没有安装 uvloop", "EVENT_LOOP=uvloop, but uvloop is not installed") from None
        return None
    return uvloop.new_event_loop


def _loop_setting() -> str:
    try:
        return Settings().event_loop
    except ValueError:          # settings that do not validate: the command itself says what is wrong
        return "auto"


def run_async(fn: Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., T]:
    """Run an async command body; turn user errors into a message and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

        try:
            with asyncio.Runner(loop_factory=loop_factory(_loop_setting())) as runner:
                return runner.run(fn(*args, **kwargs))
        except DomainError as exc:
            raise fail(exc.message("zh"), exc.message("en")) from None
        except (OperationalError, ProgrammingError) as exc:
            raise _database_error(exc) from None
        except DBAPIError as exc:
            raise _database_error(exc) from None
        except (ConnectionError, OSError) as exc:
            raise fail(f"无法连接或读写：{exc}", f"cannot connect or read/write: {exc}") from None

    return wrapper


async def with_app(body: Callable[[Any], Awaitable[T]]) -> T:
    from bot.bootstrap import bootstrap

    application = bootstrap(Settings())
    try:
        return await body(application)
    finally:
        await application.aclose()


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise fail(f"{option} 日期格式应为 YYYY-MM-DD：{value}", f"{option} must be a YYYY-MM-DD date: {value}",
                   code=2) from None


# --- run / migrate / demo data ----------------------------------------------------------------------
