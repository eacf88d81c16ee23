"""Outbox templates: ``kind`` + ``params`` -> the text and buttons a recipient sees, in their language.

Rows are rendered when they are delivered, not when they are written, so each recipient reads the
language its chat chose (``/lang``) and a template fixed later fixes the queued rows too. A param
``{"zh": ..., "en": ...}`` is picked per language; the rest are plain JSON values written by the use
case or the check that queued the row (``core.notify``, ``notifications.checks``).

Buttons carry the chat flows' payloads (``1|action|arg...``, at most 64 bytes: ``core.payload``, the
one codec the chat flows use too). The flows re-check every payload on arrival, so a button here grants nothing by itself.

An unknown kind raises ``UnknownTemplate``: the worker marks the row dead (a bug, not a retry).

Pushes never show a full mobile or ID number: ``render`` masks them in the finished text
(``core.masking.mask_text``: ``138****8000``), whatever param carried them (a description, a comment, a
reason). ``chat.reply`` rows are the exception: they are a flow's own replies, already masked by the flow,
and may be the answer to an audited "Show full number" (``handlers.flows.privacy``).

The machinery is ``notifications.rendering``; the templates of each kind are in ``notifications.kinds_business``
and ``notifications.kinds_scheduled``, registered when this module is imported.
"""

from __future__ import annotations

import notifications.kinds_business  # noqa: F401  (registers its templates)
import notifications.kinds_scheduled  # noqa: F401  (registers its templates)
from notifications.rendering import (
    Attachment,
    Button,
    Part,
    Rendered,
    UnknownTemplate,
    is_english,
    kinds,
    render,
)

__all__ = ["Attachment", "Button", "Part", "Rendered", "UnknownTemplate", "is_english", "kinds", "render"]
