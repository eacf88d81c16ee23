""".env.example documents every setting with its default (bot/settings.py promises it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def _documented_names() -> set[str]:
    names = set()
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]+)=", line)
        if match:
            names.add(match.group(1))
    return names


def _env_names(field: str) -> set[str]:
    info = Settings.model_fields[field]
    alias = info.validation_alias
    choices = getattr(alias, "choices", None)
    if choices:
        return {str(c).upper() for c in choices}
    return {field.upper()}


def test_every_setting_is_documented() -> None:
    documented = _documented_names()

    missing = [field for field in Settings.model_fields if not (_env_names(field) & documented)]

    assert missing == []


def test_the_example_as_a_dotenv_gives_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for field in Settings.model_fields:
        for name in _env_names(field):
            monkeypatch.delenv(name, raising=False)
    env = tmp_path / ".env"
    env.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")

    from_example = Settings(_env_file=env)  # type: ignore[call-arg]
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]

    assert from_example.model_dump() == defaults.model_dump()
    assert from_example.encryption_keys == defaults.encryption_keys
