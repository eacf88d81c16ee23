"""Knowledge-base files: Markdown or CSV -> ``core.services.faq.NewFaqEntry`` (``dms faq import``).

Markdown: each entry starts with ``## `` and the Chinese question; then lines ``Q-en:`` (English
question), ``Tags:`` (comma separated), ``Also:`` (other ways to ask, ``|`` separated), ``A:`` and
``A-en:`` (answers; lines after them continue them). See ``nlu/data/faq_demo.md``.

CSV (UTF-8, a header row): ``question_zh, answer_zh, question_en, answer_en, tags, variants`` (tags
separated by ``,``/``;``/``，``, variants by ``|``).

Errors name the line: ``ValueError("line 12: ...")``.
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from pathlib import Path

from core.clock import Clock
from core.ports import AbstractUnitOfWork
from core.services.faq import FaqImportSummary, ImportFaqEntries, NewFaqEntry, import_faq_entries
from core.users import Actor

_FIELDS = {"q-en": "question_en", "tags": "tags", "also": "variants", "a": "answer_zh", "a-en": "answer_en"}
_FIELD_LINE = re.compile(r"^(q-en|tags|also|a|a-en)\s*[:：]\s?(.*)$", re.IGNORECASE)


def _split(value: str, seps: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(seps, value) if p.strip())


def _entry(fields: dict[str, str], line: int) -> NewFaqEntry:
    if not fields.get("question_zh") or not fields.get("answer_zh"):
        raise ValueError(f"line {line}: an entry needs a question (## ...) and an answer (A: ...)")
    return NewFaqEntry(question_zh=fields["question_zh"].strip(), answer_zh=fields["answer_zh"].strip(),
                       question_en=fields.get("question_en", "").strip(), answer_en=fields.get("answer_en", "").strip(),
                       tags=_split(fields.get("tags", ""), r"[,;，；、]"), variants=_split(fields.get("variants", ""), r"\|"))


def parse_markdown(text: str) -> list[NewFaqEntry]:
    entries: list[NewFaqEntry] = []
    fields: dict[str, str] | None = None
    start = 0
    current = ""
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line.startswith("## "):
            if fields is not None:
                entries.append(_entry(fields, start))
            fields, start, current = {"question_zh": line[3:].strip()}, n, ""
            continue
        if fields is None or not line.strip() or line.lstrip().startswith("<!--"):
            current = "" if not line.strip() else current
            continue
        m = _FIELD_LINE.match(line)
        if m:
            current = _FIELDS[m.group(1).lower()]
            fields[current] = m.group(2).strip()
        elif current in ("answer_zh", "answer_en"):
            fields[current] += "\n" + line.strip()
        else:
            raise ValueError(f"line {n}: expected Q-en:, Tags:, Also:, A: or A-en:, got {line[:40]!r}")
    if fields is not None:
        entries.append(_entry(fields, start))
    return entries


def parse_csv(text: str) -> list[NewFaqEntry]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"question_zh", "answer_zh"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"line 1: missing columns {', '.join(sorted(missing))}")
    return [_entry({k: v or "" for k, v in row.items() if k}, n) for n, row in enumerate(reader, 2)]


def parse_file(path: Path) -> list[NewFaqEntry]:
    text = path.read_text("utf-8")
    return parse_csv(text) if path.suffix.lower() == ".csv" else parse_markdown(text)


def demo_entries() -> list[NewFaqEntry]:
    return parse_markdown(resources.files("nlu").joinpath("data", "faq_demo.md").read_text("utf-8"))


async def seed_demo_knowledge_base(uow: AbstractUnitOfWork, clock: Clock) -> FaqImportSummary:
    """The demo knowledge base (payment, invoices, delivery, warranty, returns, registering, contacts ...)."""
    return await import_faq_entries(uow, Actor.system(), ImportFaqEntries(demo_entries(), source="demo"), clock)
