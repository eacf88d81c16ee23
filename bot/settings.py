"""Settings from the environment (and ``.env``), one section per concern.

Every setting and its default is documented in ``.env.example``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


class Settings(BaseSettings):
    model_config = _ENV

    # where data lives
    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/dms.sqlite3",
        description="SQLAlchemy async URL; postgresql+asyncpg://user@host/db for production",
    )
    database_pool_size: int = Field(default=20, ge=1, description="PostgreSQL: connections each process keeps")
    database_max_overflow: int = Field(
        default=30, ge=0, description="PostgreSQL: extra connections under load; every process's pool size + "
                                      "overflow together must stay under the server's max_connections")
    redis_url: str | None = Field(default=None, description="redis://127.0.0.1:6379/0; empty: in-process")
    data_dir: Path = Field(default=Path("./var"), description="uploaded photos, documents, exports")

    # locale
    timezone: str = "Asia/Shanghai"
    default_language: str = "zh-CN"

    # web (admin + API)
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    secret_key: SecretStr = Field(
        default=SecretStr("dev-insecure-change-me"),
        description="signs admin sessions and CSRF tokens; set a long random value in production",
    )
    # personal data (phones, ID numbers, end-customer names) is encrypted with this Fernet key;
    # several keys separated by commas: the first encrypts, all decrypt (key rotation)
    data_encryption_keys: SecretStr = Field(
        default=SecretStr("ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE="),
        description="comma-separated Fernet keys; generate with `dms keygen`",
    )

    # business rules
    rebate_max_share: str = "0.30"
    # refunds and manual adjustments above this (absolute, CNY) wait for a second person (core.services.payments)
    finance_approval_threshold: Decimal = Field(
        default=Decimal("10000.00"), ge=0, decimal_places=2,
        validation_alias=AliasChoices("DMS_FINANCE_APPROVAL_THRESHOLD", "FINANCE_APPROVAL_THRESHOLD"),
        description="refunds/adjustments above this amount need a second person's approval")
    invite_ttl_hours: int = 72
    # suspending a dealer (admin form, chat): its open orders not yet shipped go on (keep) or wait on hold for
    # review, the order desk told, until it is reinstated (hold)
    suspension_open_orders: Literal["keep", "hold"] = Field(
        default="keep", description="keep: a suspended dealer's open orders go on; hold: held for review until "
                                    "reinstated")

    # logging
    log_level: str = "INFO"
    log_json: bool = False

    # demo data on first start of `dms run`
    demo_data_on_empty: bool = True

    # first start of `dms run`: the password of the default `admin` user; empty: a random one, printed once
    admin_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DMS_ADMIN_PASSWORD", "ADMIN_PASSWORD"),
        description="password of the default admin created on first start; empty: random, printed once",
    )

    # Telegram (bot/telegram): no token, no Telegram; polling needs nothing else, a webhook needs the secret
    telegram_bot_token: SecretStr | None = Field(default=None, description="token from @BotFather; empty: off")
    telegram_api_base: str = Field(
        default="https://api.telegram.org",
        description="Bot API server; a local stand-in or a self-hosted Bot API server in tests",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        description="checked against X-Telegram-Bot-Api-Secret-Token on POST /telegram/webhook; required there",
    )
    telegram_mode: Literal["polling", "webhook"] = Field(
        default="polling", description="polling: `dms run` fetches updates; webhook: Telegram posts them to us")
    chat_flood_per_minute: int = Field(
        default=20, ge=1, description="messages per chat per minute before the bot asks the sender to slow down")

    # WeCom 企业微信 (bot/wecom): a self-built app; the channel is on when all five values are set
    wecom_corp_id: str | None = Field(default=None, description="企业ID (My Company > Company Info)")
    wecom_agent_id: int | None = Field(default=None, description="the self-built app's AgentId")
    wecom_secret: SecretStr | None = Field(default=None, description="the app's Secret (for gettoken)")
    wecom_token: SecretStr | None = Field(default=None, description="Token of the app's 接收消息 (callback) settings")
    wecom_encoding_aes_key: SecretStr | None = Field(
        default=None, description="EncodingAESKey (43 characters) of the app's callback settings")
    wecom_api_base: str = Field(default="https://qyapi.weixin.qq.com",
                                description="WeCom server API; a private deployment or a local stand-in in tests")

    catalogue_cache_seconds: float = Field(
        default=15.0, ge=0, description="the chat parses against the product catalogue cached this long per process; "
                                        "0 reads it for every message")

    # understanding dealers (nlu/): the offline parser always works; an LLM only when configured
    nlu_policy: Literal["offline", "llm_first", "llm_on_low_confidence"] = Field(
        default="offline",
        description="offline: never call an LLM; llm_first: every message; llm_on_low_confidence: when unsure")
    # WeCom mode 2 (bot/wecom/aibot.py): an AI bot (智能机器人) over a WebSocket long connection, no public address
    wecom_bot_id: str | None = Field(default=None, description="the AI bot's BotID (智能机器人 > API 模式: 长连接)")
    wecom_bot_secret: SecretStr | None = Field(default=None, description="the AI bot's Secret")
    wecom_bot_ws_url: str = Field(default="wss://openws.work.weixin.qq.com", description="the long connection's "
                                  "address; a local stand-in in tests")
    wecom_bot_heartbeat_seconds: float = Field(default=30.0, gt=0, description="ping interval of the connection")
    # voice notes (bot/voice.py): an OpenAI-compatible transcription endpoint, or a local sherpa-onnx model
    stt_base_url: str | None = Field(default=None, description="OpenAI-compatible base URL for /audio/transcriptions "
                                     "(FunASR, faster-whisper-server, vLLM, a cloud), e.g. http://127.0.0.1:8000/v1")
    stt_api_key: SecretStr | None = Field(default=None, description="API key of that endpoint (if it needs one)")
    stt_model: str = Field(default="whisper-1", description="model name at that endpoint")
    stt_language: str = Field(default="zh", description="language hint sent with each note (ISO 639-1, e.g. zh); "
                              "auto: none, the service detects it")
    stt_parallel: int = Field(default=3, ge=1, le=16, description="pieces of one long note sent to that endpoint at "
                              "once (each piece is at most 30 s)")
    stt_model_dir: str | None = Field(default=None, description="a sherpa-onnx model directory (Paraformer, SenseVoice "
                                      "or a transducer); used when STT_BASE_URL is not set; needs "
                                      "`pip install 'dms[voice]'` (sherpa-onnx)")
    stt_model_kind: Literal["auto", "paraformer", "sense_voice", "transducer"] = Field(
        default="auto", description="the kind of model in STT_MODEL_DIR; auto: a transducer by its encoder/decoder/"
                                    "joiner files, SenseVoice by 'sense' in the directory's name, else Paraformer")
    stt_max_seconds: float = Field(default=300.0, gt=0, le=1800, description="longer voice notes are refused")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    llm_model: str | None = Field(default=None, description="model name at that endpoint")
    llm_api_key: SecretStr | None = Field(default=None, description="API key of the endpoint (if it needs one)")
    llm_timeout_seconds: float = Field(default=3.0, gt=0, description="after this the offline result is used")
    llm_structured_method: Literal["function_calling", "json_mode"] = Field(
        default="function_calling", description="how the endpoint returns structured output")

    # notifications (notifications/): the outbox worker and the scheduled checks
    notify_in_run: bool = Field(default=True, description="`dms run` also runs the scheduler and one worker")
    notify_quiet_hours: str = Field(default="22:00-08:00",
                                    description="business time when only urgent pushes go out; empty: none")
    notify_max_attempts: int = Field(default=8, ge=1, description="failed sends before a message is dead")
    notify_backoff_seconds: float = Field(default=30.0, gt=0, description="first retry delay, doubled each time")
    notify_batch_size: int = Field(default=50, ge=1, description="rows a worker claims at once")
    notify_concurrency: int = Field(default=32, ge=1, description="sends a worker has in flight")
    notify_poll_seconds: float = Field(default=1.0, gt=0, description="how often an idle worker looks again")
    notify_stale_seconds: float = Field(default=300.0, gt=0,
                                        description="a row left 'sending' this long belonged to a dead worker")
    notify_telegram_per_second: int = Field(default=30, ge=1, description="Telegram: messages per second per bot")
    notify_telegram_chat_per_second: int = Field(default=1, ge=1, description="Telegram: per chat per second")
    notify_telegram_group_per_minute: int = Field(default=20, ge=1, description="Telegram: per group per minute")
    notify_wecom_per_minute: int = Field(default=10000, ge=1, description="WeCom: calls per minute per app")
    notify_wecom_member_per_minute: int = Field(default=30, ge=1, description="WeCom: per member per minute")
    notify_rate_margin: float = Field(default=0.02, ge=0, description="limit windows this much longer (jitter)")
    notify_redis_prefix: str = Field(default="dms:rl:", description="Redis key prefix of the shared rate limits")
    notify_leader_lock: str = Field(default="dms-scheduler", description="name of the scheduler's leader lock")
    notify_leader_poll_seconds: float = Field(default=2.0, gt=0,
                                              description="how often a waiting scheduler tries to take over")
    notify_qualification_days: str = Field(default="30,7,1", description="days before expiry to remind")
    notify_contract_days: str = Field(default="30,7", description="days before a contract ends to remind")
    notify_deviation_margin: str = Field(default="0.15",
                                         description="achievement behind elapsed time by more than this: alert")
    notify_escalate_after_hours: int = Field(default=24, ge=1, description="SLA breach to management after this")
    notify_daily_cap: int = Field(default=8, ge=0,
                                  description="non-urgent pushes a person gets a day; the rest in one digest; 0: no cap")
    notify_digest_lines: int = Field(default=5, ge=1, description="items listed in a digest before '……还有 M 条'")
    notify_cron_qualification_expiry: str = "0 9 * * *"
    notify_cron_contract_expiry: str = "5 9 * * *"
    notify_cron_contract_deviation: str = "0 10 * * mon"
    notify_cron_stock_levels: str = "30 8-20/2 * * *"
    notify_cron_sla_breaches: str = "*/10 * * * *"
    notify_cron_campaign_launches: str = "10 9 * * *"
    notify_cron_daily_digest: str = "30 8 * * *"
    notify_cron_weekly_performance: str = "0 9 * * mon"
    notify_cron_housekeeping: str = "15 3 * * *"
    notify_cron_statements: str = "20 9 * * *"
    notify_cron_credit_lapses: str = "40 9 * * *"
    # monthly statements (core.statements.StatementPolicy): issued by the `statements` check, confirmed in chat
    statement_issue_day: int = Field(default=3, ge=1, le=28, description="day of the month last month's statements go out")
    statement_confirm_days: int = Field(default=10, ge=1, description="days the dealer has to confirm or dispute")
    statement_remind_days: int = Field(default=3, ge=0, description="reminder this many days before the deadline")
    statement_auto_confirm: bool = Field(default=True,
                                         description="not disputed by the deadline: confirmed by the system")

    @property
    def telegram_token(self) -> str | None:
        """The bot token, or None when Telegram is off (unset or blank)."""
        token = self.telegram_bot_token.get_secret_value().strip() if self.telegram_bot_token else ""
        return token or None

    @property
    def wecom_bot_enabled(self) -> bool:
        """True when the AI bot's id and secret are set (WeCom mode 2, the long connection)."""
        return bool((self.wecom_bot_id or "").strip() and self.wecom_bot_secret is not None
                    and self.wecom_bot_secret.get_secret_value().strip())

    @property
    def wecom_enabled(self) -> bool:
        """True when every value the WeCom channel needs is set (and not blank)."""
        secrets = (self.wecom_secret, self.wecom_token, self.wecom_encoding_aes_key)
        return bool((self.wecom_corp_id or "").strip() and self.wecom_agent_id is not None
                    and all(s is not None and s.get_secret_value().strip() for s in secrets))

    @property
    def encryption_keys(self) -> list[str]:
        return [k.strip() for k in self.data_encryption_keys.get_secret_value().split(",") if k.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
