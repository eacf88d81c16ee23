"""Settings by section: one object read from the environment, made of the sections each layer declares next to the
code that reads it; same environment variable names as .env.example lists, flat keyword arguments still work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from admin.config import WebSection
from bot.settings import Settings, TelegramSection, VoiceSection, WeComBotSection, WeComSection
from nlu.config import LlmSection
from notifications.config import NotifySection, StatementSection
from storage.config import DatabaseSection, PrivacySection

ROOT = Path(__file__).resolve().parents[2]
SECTIONS: dict[str, type] = {
    "database": DatabaseSection, "privacy": PrivacySection, "web": WebSection, "telegram": TelegramSection,
    "wecom": WeComSection, "wecom_bot": WeComBotSection, "voice": VoiceSection, "llm": LlmSection,
    "notify": NotifySection, "statements": StatementSection,
}
#: where each environment variable's field belongs, by the start of its name
OWNER = [("DATABASE_", "database"), ("REDIS_URL", "database"), ("DATA_DIR", "database"),
         ("DATA_ENCRYPTION_KEYS", "privacy"), ("WEB_", "web"), ("SECRET_KEY", "web"), ("TELEGRAM_", "telegram"),
         ("CHAT_FLOOD_", "telegram"), ("WECOM_BOT_", "wecom_bot"), ("WECOM_", "wecom"), ("STT_", "voice"),
         ("LLM_", "llm"), ("NLU_", "llm"), ("NOTIFY_", "notify"), ("STATEMENT_", "statements")]


def env_names() -> list[str]:
    text = (ROOT / ".env.example").read_text("utf-8")
    return re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.M)


def field_of(name: str) -> str:
    fields = Settings.model_fields
    for field, info in fields.items():
        alias = info.validation_alias
        if field.upper() == name or (alias is not None and name in getattr(alias, "choices", ())):
            return field
    raise AssertionError(f"{name} in .env.example is no setting")


def test_each_variable_of_env_example_is_a_field_of_its_section() -> None:
    names = env_names()
    assert len(names) >= 60 and "NOTIFY_BATCH_SIZE" in names        # it did read the file
    for name in names:
        field = field_of(name)
        owner = next((section for prefix, section in OWNER if name.startswith(prefix)), None)
        holders = [s for s, cls in SECTIONS.items() if field in cls.model_fields]
        if owner is None:
            assert not holders, f"{name}: a setting of no one layer, but declared in {holders}"
            continue
        assert owner in holders, f"{name} ({field}) should be in the {owner} section, is in {holders}"


def test_every_field_of_a_section_is_read_from_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_BATCH_SIZE", "7")
    monkeypatch.setenv("WEB_HOST", "0.0.0.0")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("NOTIFY_QUIET_HOURS", "23:00-07:30")
    monkeypatch.setenv("STATEMENT_CONFIRM_DAYS", "12")
    settings = Settings(_env_file=None)
    assert settings.notify.notify_batch_size == 7 and settings.web.web_host == "0.0.0.0"
    assert settings.database.database_pool_size == 3
    worker = settings.notify.worker_settings("en")
    assert (worker.batch_size, worker.quiet_start.hour, worker.quiet_end.minute) == (7, 23, 30)   # type: ignore[union-attr]
    assert settings.notify.check_settings().statements.confirm_days == 12
    assert settings.notify.check_settings().morning.hour == 7


def test_flat_keyword_arguments_still_work_and_sections_are_views_of_one_object() -> None:
    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite://", telegram_bot_token=" ", notify_daily_cap=0,
                        llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    assert settings.database.database_url == "sqlite+aiosqlite://"
    assert settings.telegram.telegram_token is None                       # blank: Telegram off
    assert settings.notify.check_settings().digest.daily_cap is None      # 0: no cap
    config = settings.llm.llm_config()
    assert config is not None and config.model == "m"
    assert Settings(_env_file=None).llm.llm_config() is None              # no endpoint: offline only
    for name, section in SECTIONS.items():
        assert isinstance(getattr(settings, name), section)
