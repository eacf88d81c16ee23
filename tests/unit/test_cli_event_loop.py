"""Every dms command runs on uvloop where it is installed, on asyncio's own loop when EVENT_LOOP=asyncio."""

from __future__ import annotations

import asyncio
import sys

import pytest
import typer

from bot.cli._runtime import loop_factory, run_async


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_a_command_runs_on_uvloop_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENT_LOOP", raising=False)
    assert run_async(_loop_module)().startswith("uvloop")


def test_event_loop_asyncio_runs_on_pythons_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENT_LOOP", "asyncio")
    assert run_async(_loop_module)().startswith("asyncio")


def test_without_uvloop_auto_falls_back_and_uvloop_is_refused_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)        # import uvloop raises ImportError
    assert loop_factory("auto") is None
    with pytest.raises(typer.Exit):
        loop_factory("uvloop")


def test_a_setting_that_does_not_validate_leaves_the_loop_to_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENT_LOOP", "tokio")
    assert run_async(_loop_module)().startswith("uvloop")
