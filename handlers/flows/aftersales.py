"""Conversation flow: aftersales (to be filled in)."""

from __future__ import annotations

from handlers.router import Router

router = Router(name=__name__)
