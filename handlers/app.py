"""Builds the conversation processor with every flow."""

from __future__ import annotations

from handlers.context import Deps
from handlers.flows import all_routers
from handlers.service import ConversationService


def build_conversation(deps: Deps) -> ConversationService:
    return ConversationService(deps, all_routers())
