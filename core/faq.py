"""The FAQ knowledge base and the questions the bot could not answer (handed to staff).

``FaqEntry`` is one question/answer pair in Chinese and English with tags, edited in the admin,
imported from Markdown or CSV (``dms faq import``), or saved from a staff answer with one tap.
``StaffQuestion`` is a dealer's (or an unbound visitor's) question the assistant found nothing for:
staff answer it in chat, the answer goes back to the chat it came from, and it can become an entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass
class FaqEntry:
    question_zh: str
    answer_zh: str
    question_en: str = ""
    answer_en: str = ""
    tags: list[str] = field(default_factory=list)
    # other ways people ask the same thing (either language); retrieval reads them too
    variants: list[str] = field(default_factory=list)
    active: bool = True
    source: str = ""               # "demo", "import:faq.md", "staff:wang" ...
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None

    def question(self, lang: str) -> str:
        return self.question_en if lang.lower().startswith("en") and self.question_en else self.question_zh

    def answer(self, lang: str) -> str:
        return self.answer_en if lang.lower().startswith("en") and self.answer_en else self.answer_zh


class QuestionStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


@dataclass
class StaffQuestion:
    """A question handed to staff. ``request_key`` makes a double tap on "ask staff" a no-op."""

    channel: str
    chat_id: str
    question: str
    request_key: str
    asked_by: str                  # who asked, for staff ("上海华信电器（D0001）· li" or a visitor's name)
    language: str = "zh-CN"        # the asker's chat language: the answer is relayed as written
    dealer_id: int | None = None
    status: QuestionStatus = QuestionStatus.OPEN
    answer: str = ""
    answered_by: str = ""
    answered_at: datetime | None = None
    faq_entry_id: int | None = None    # set once the answer was saved into the knowledge base
    about_order: str = ""              # an order's number: a change asked for once it was approved, for the order
                                       # desk (who answers it; never a knowledge-base entry)
    created_at: datetime | None = None
    id: int | None = None
