"""The storage sections of the settings (``bot.settings.Settings`` is made of these and the other layers'
sections; the environment variable names are the field names in upper case, as ``.env.example`` lists them)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr


class DatabaseSection(BaseModel):
    """Where data lives: the database, Redis, the file store."""

    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/dms.sqlite3",
        description="SQLAlchemy async URL; postgresql+asyncpg://user@host/db for production",
    )
    database_pool_size: int = Field(default=40, ge=1, description="PostgreSQL: connections each process keeps")
    database_max_overflow: int = Field(
        default=10, ge=0, description="PostgreSQL: extra connections under load; every process's pool size + "
                                      "overflow together must stay under the server's max_connections")
    redis_url: str | None = Field(default=None, description="redis://127.0.0.1:6379/0; empty: in-process")
    data_dir: Path = Field(default=Path("./var"), description="uploaded photos, documents, exports")


class PrivacySection(BaseModel):
    """The keys personal data is encrypted with at rest."""

    # personal data (phones, ID numbers, end-customer names) is encrypted with this Fernet key;
    # several keys separated by commas: the first encrypts, all decrypt (key rotation)
    data_encryption_keys: SecretStr = Field(
        default=SecretStr("ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE="),
        description="comma-separated Fernet keys; generate with `dms keygen`",
    )

    @property
    def encryption_keys(self) -> list[str]:
        return [k.strip() for k in self.data_encryption_keys.get_secret_value().split(",") if k.strip()]
