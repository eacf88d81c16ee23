"""The web section of the settings: what the admin web and the API read (``bot.settings.Settings`` is made of
this and the other layers' sections, with the same environment variable names)."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr


class WebSection(BaseModel):
    """The web app (admin + API): where it listens and what signs its sessions."""

    web_host: str = "127.0.0.1"
    web_port: int = 8000
    secret_key: SecretStr = Field(
        default=SecretStr("dev-insecure-change-me"),
        description="signs admin sessions and CSRF tokens; set a long random value in production",
    )
