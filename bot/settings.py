"""Settings from the environment (and ``.env``), one section per concern.

``Settings`` is the one object read from the environment; it is made of sections, each declared next to the code
that reads it: ``storage.config`` (database, privacy), ``admin.config`` (web), ``nlu.config`` (understanding and
the LLM), ``notifications.config`` (the outbox, the checks, statements) and, here, Telegram, WeCom, the WeCom AI
bot and voice notes. A factory takes its own section (``create_app(settings.web, ...)``), not the whole object;
the environment variable of a field is its name in upper case, as ``.env.example`` lists them, and flat keyword
arguments (``Settings(database_url=...)``) still work.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from admin.config import WebSection
from nlu.config import LlmSection
from notifications.config import NotifySection, StatementSection
from storage.config import DatabaseSection, PrivacySection

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


class TelegramSection(BaseModel):
    """Telegram (bot/telegram): no token, no Telegram; polling needs nothing else, a webhook needs the secret."""

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

    @property
    def telegram_token(self) -> str | None:
        """The bot token, or None when Telegram is off (unset or blank)."""
        token = self.telegram_bot_token.get_secret_value().strip() if self.telegram_bot_token else ""
        return token or None


class WeComSection(BaseModel):
    """WeCom 企业微信 (bot/wecom), a self-built app: the channel is on when all five values are set."""

    wecom_corp_id: str | None = Field(default=None, description="企业ID (My Company > Company Info)")
    wecom_agent_id: int | None = Field(default=None, description="the self-built app's AgentId")
    wecom_secret: SecretStr | None = Field(default=None, description="the app's Secret (for gettoken)")
    wecom_token: SecretStr | None = Field(default=None, description="Token of the app's 接收消息 (callback) settings")
    wecom_encoding_aes_key: SecretStr | None = Field(
        default=None, description="EncodingAESKey (43 characters) of the app's callback settings")
    wecom_api_base: str = Field(default="https://qyapi.weixin.qq.com",
                                description="WeCom server API; a private deployment or a local stand-in in tests")

    @property
    def wecom_enabled(self) -> bool:
        """True when every value the WeCom channel needs is set (and not blank)."""
        secrets = (self.wecom_secret, self.wecom_token, self.wecom_encoding_aes_key)
        return bool((self.wecom_corp_id or "").strip() and self.wecom_agent_id is not None
                    and all(s is not None and s.get_secret_value().strip() for s in secrets))


class WeComBotSection(BaseModel):
    """WeCom mode 2 (bot/wecom/aibot.py): an AI bot (智能机器人) over a WebSocket long connection."""

    wecom_bot_id: str | None = Field(default=None, description="the AI bot's BotID (智能机器人 > API 模式: 长连接)")
    wecom_bot_secret: SecretStr | None = Field(default=None, description="the AI bot's Secret")
    wecom_bot_ws_url: str = Field(default="wss://openws.work.weixin.qq.com", description="the long connection's "
                                  "address; a local stand-in in tests")
    wecom_bot_heartbeat_seconds: float = Field(default=30.0, gt=0, description="ping interval of the connection")

    @property
    def wecom_bot_enabled(self) -> bool:
        """True when the AI bot's id and secret are set (WeCom mode 2, the long connection)."""
        return bool((self.wecom_bot_id or "").strip() and self.wecom_bot_secret is not None
                    and self.wecom_bot_secret.get_secret_value().strip())


class VoiceSection(BaseModel):
    """Voice notes (bot/voice.py): an OpenAI-compatible transcription endpoint, or a local sherpa-onnx model."""

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




class Settings(BaseSettings, DatabaseSection, PrivacySection, WebSection, TelegramSection, WeComSection,
               WeComBotSection, VoiceSection, LlmSection, NotifySection):
    """Every section, read from the environment; what belongs to no one layer (locale, business rules, logging,
    the first start) is declared here."""

    model_config = _ENV

    # locale
    timezone: str = "Asia/Shanghai"
    default_language: str = "zh-CN"

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
    # credit terms (账期): days a dealer has to repay credit it used; older is overdue ("哪些经销商欠款逾期了")
    credit_days: int = Field(default=30, ge=1, le=365, description="days to repay credit used before it is overdue")

    # logging
    log_level: str = "INFO"
    log_json: bool = False

    # the event loop of every `dms` command: uvloop (libuv; uvicorn[standard] installs it) serves the same updates with
    # less CPU than asyncio's own loop (bench/webhook.py --loop); asyncio where uvloop is missing or unwanted
    event_loop: Literal["auto", "uvloop", "asyncio"] = Field(
        default="auto", description="auto: uvloop where installed, else asyncio's own loop")

    # demo data on first start of `dms run`
    demo_data_on_empty: bool = True

    # first start of `dms run`: the password of the default `admin` user; empty: a random one, printed once
    admin_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DMS_ADMIN_PASSWORD", "ADMIN_PASSWORD"),
        description="password of the default admin created on first start; empty: random, printed once",
    )

    work_concurrency: int = Field(
        default=16, ge=0, description="chat updates and REST API requests handled at once per process, the rest waiting "
                                     "their turn in arrival order (under load: short waits for all instead of long "
                                     "ones for some); 0 = no limit")
    catalogue_cache_seconds: float = Field(
        default=15.0, ge=0, description="the chat parses against the product catalogue cached this long per process; "
                                        "0 reads it for every message")

    # each section, for a factory that takes only its own
    @property
    def database(self) -> DatabaseSection:
        return self

    @property
    def privacy(self) -> PrivacySection:
        return self

    @property
    def web(self) -> WebSection:
        return self

    @property
    def telegram(self) -> TelegramSection:
        return self

    @property
    def wecom(self) -> WeComSection:
        return self

    @property
    def wecom_bot(self) -> WeComBotSection:
        return self

    @property
    def voice(self) -> VoiceSection:
        return self

    @property
    def llm(self) -> LlmSection:
        return self

    @property
    def notify(self) -> NotifySection:
        return self

    @property
    def statements(self) -> StatementSection:
        return self

@lru_cache
def get_settings() -> Settings:
    return Settings()
