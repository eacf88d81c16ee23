"""The understanding section of the settings: the parser policy and the optional LLM endpoint
(``bot.settings.Settings`` is made of this and the other layers' sections, same environment variable names)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, SecretStr

if TYPE_CHECKING:
    from nlu.llm import LlmConfig


class LlmSection(BaseModel):
    """The offline parser always works; an LLM only when an endpoint and a model are set."""

    nlu_policy: Literal["offline", "llm_first", "llm_on_low_confidence"] = Field(
        default="offline",
        description="offline: never call an LLM; llm_first: every message; llm_on_low_confidence: when unsure")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    llm_model: str | None = Field(default=None, description="model name at that endpoint")
    llm_api_key: SecretStr | None = Field(default=None, description="API key of the endpoint (if it needs one)")
    llm_timeout_seconds: float = Field(default=3.0, gt=0, description="after this the offline result is used")
    llm_structured_method: Literal["function_calling", "json_mode"] = Field(
        default="function_calling", description="how the endpoint returns structured output")

    def llm_config(self) -> LlmConfig | None:
        """``nlu.llm.LlmConfig`` from the ``LLM_*`` settings, or None when no endpoint and model are set."""
        if not self.llm_base_url or not self.llm_model:
            return None
        from nlu.llm import LlmConfig  # the parser stack, loaded only where an LLM is configured

        key = self.llm_api_key.get_secret_value() if self.llm_api_key else ""
        return LlmConfig(base_url=self.llm_base_url, model=self.llm_model, api_key=key,
                         timeout=self.llm_timeout_seconds, method=self.llm_structured_method)
