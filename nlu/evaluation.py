"""Scores of a parser on a labelled set (``dms nlu eval``, ``bench/parser.py``, the held-out test).

A line of the set: ``{"text": ..., "intent": ..., "slots": {...}, "kind": ...}`` (products as SKUs; ``kind``
optional: what makes the message hard, e.g. dialect, pinyin_typo, correction). Slot exact match is counted
for ``items`` (as a SKU -> quantity map), ``order_no`` and ``product`` over the lines whose gold slots name
that key (an explicit empty list / null counts: "nothing to find" must find nothing). Figures are also
given per kind, so a set written by someone else shows where understanding breaks.

A set can come with its own catalogue (``read_catalogue_csv``: the products import format, ``sku, name,
aliases (;-separated), unit, ...``), so it runs without touching the database.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nlu.schema import LOW_CONFIDENCE, CatalogueEntry, Intent, IntentParser, ParseResult

SLOT_KEYS = ("items", "order_no", "product")


@dataclass(frozen=True)
class Labelled:
    line: int
    text: str
    intent: Intent
    slots: dict[str, Any]
    kind: str = ""


class MalformedSet(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line


def read_set(lines: Iterable[str]) -> list[Labelled]:
    out = []
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise MalformedSet(n, f"not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise MalformedSet(n, 'needs {"text": ..., "intent": ..., "slots": {...}}')
        try:
            intent = Intent(str(row.get("intent")))
        except ValueError:
            raise MalformedSet(n, f"unknown intent {row.get('intent')!r}") from None
        slots = row.get("slots", {})
        if not isinstance(slots, dict):
            raise MalformedSet(n, "slots must be an object")
        items = slots.get("items", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("sku"), str)
                                                  and isinstance(i.get("qty"), int) for i in items):
            raise MalformedSet(n, 'items must be a list of {"sku": str, "qty": int}')
        out.append(Labelled(n, row["text"], intent, slots, str(row.get("kind") or "")))
    return out


def read_catalogue_csv(text: str) -> list[CatalogueEntry]:
    """Products from a CSV in the products import format (header ``sku,name,aliases,...``; aliases ``;``-separated;
    Chinese headers 编码/名称/别名/单位 accepted), for evaluating a set without a database."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    names = {"编码": "sku", "产品编码": "sku", "型号": "sku", "名称": "name", "产品名称": "name", "别名": "aliases",
             "单位": "unit", "启用": "active", "品类": "category", "类别": "category"}
    out = []
    for n, raw in enumerate(reader, 2):
        row = {names.get((k or "").strip(), (k or "").strip().lower()): (v or "").strip() for k, v in raw.items()}
        if not row.get("sku") or not row.get("name"):
            raise MalformedSet(n, "a product needs sku and name")
        if row.get("active", "true").lower() in ("false", "0", "no", "否"):
            continue
        aliases = [a.strip() for a in row.get("aliases", "").replace("；", ";").split(";") if a.strip()]
        out.append(CatalogueEntry(sku=row["sku"], name=row["name"], aliases=aliases, unit=row.get("unit", ""),
                                   category=row.get("category", "")))
    return out


def _gold(key: str, slots: dict[str, Any]) -> Any:
    value = slots.get(key)
    if key == "items":
        return {i["sku"]: i["qty"] for i in value or []}
    return value or None


def _got(key: str, result: ParseResult) -> Any:
    if key == "items":
        return {i.sku: i.qty for i in result.slots.items}
    return getattr(result.slots, key)


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    slot_total: Counter[str] = field(default_factory=Counter)
    slot_correct: Counter[str] = field(default_factory=Counter)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    gold_counts: Counter[str] = field(default_factory=Counter)
    predicted_counts: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    low_total: int = 0
    low_correct: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)
    kind_total: Counter[str] = field(default_factory=Counter)
    kind_correct: Counter[str] = field(default_factory=Counter)      # intent and every labelled slot right
    kind_intent: Counter[str] = field(default_factory=Counter)       # intent right
    # messages with order lines labelled, and those read as some of their lines, not all, while nothing is named
    # back (no unresolved word, no refused count) and no other product stands in: a line dropped without a word
    lined: int = 0
    dropped: int = 0

    @property
    def dropped_silently(self) -> float:
        return self.dropped / self.lined if self.lined else 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def slot_accuracy(self, key: str) -> float:
        return self.slot_correct[key] / self.slot_total[key] if self.slot_total[key] else 0.0

    def p95_ms(self) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]

    def lines(self) -> list[str]:
        out = [f"intent accuracy: {self.accuracy:.1%} ({self.correct}/{self.total})"]
        for key in SLOT_KEYS:
            out.append(f"slot exact match {key}: {self.slot_accuracy(key):.1%} "
                       f"({self.slot_correct[key]}/{self.slot_total[key]})")
        high_total = self.total - self.low_total
        out.append(f"confidence >= {LOW_CONFIDENCE}: {high_total} messages, "
                   f"{(self.correct - self.low_correct) / high_total if high_total else 0:.1%} right; "
                   f"below: {self.low_total}, {self.low_correct / self.low_total if self.low_total else 0:.1%} right")
        out.append(f"order lines dropped without a word: {self.dropped_silently:.1%} ({self.dropped}/{self.lined} "
                   f"messages with order lines)")
        if self.latencies_ms:
            out.append(f"latency p50 {sorted(self.latencies_ms)[len(self.latencies_ms) // 2]:.2f} ms, "
                       f"p95 {self.p95_ms():.2f} ms")
        out.append("per intent (precision / recall / n):")
        for intent in Intent:
            name = intent.value
            n = self.gold_counts[name]
            if not n and not self.predicted_counts[name]:
                continue
            precision = self.hits[name] / self.predicted_counts[name] if self.predicted_counts[name] else 0.0
            recall = self.hits[name] / n if n else 0.0
            out.append(f"  {name:<17} {precision:6.1%} {recall:6.1%} {n:4d}")
        if self.kind_total:
            out.append("per kind (intent right / intent and slots right / n):")
            for kind in sorted(self.kind_total, key=lambda k: (-self.kind_total[k], k)):
                n = self.kind_total[kind]
                out.append(f"  {kind:<17} {self.kind_intent[kind] / n:6.1%} {self.kind_correct[kind] / n:6.1%} {n:4d}")
        if self.confusions:
            out.append("confusions (gold -> predicted: count):")
            out.extend(f"  {g} -> {p}: {c}" for (g, p), c in self.confusions.most_common())
        return out


async def evaluate(parser: IntentParser, rows: Sequence[Labelled], catalogue: list[CatalogueEntry],
                   today: date) -> Report:
    report = Report()
    for row in rows:
        started = time.perf_counter()
        result = await parser.parse(row.text, catalogue=catalogue, today=today)
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        report.total += 1
        gold, got = row.intent.value, result.intent.value
        report.gold_counts[gold] += 1
        report.predicted_counts[got] += 1
        right = gold == got
        if right:
            report.correct += 1
            report.hits[gold] += 1
        else:
            report.confusions[(gold, got)] += 1
            report.mistakes.append(f"{gold} -> {got} ({result.confidence:.2f}): {row.text}")
        if result.confidence < LOW_CONFIDENCE:
            report.low_total += 1
            report.low_correct += right
        all_right = right
        for key in SLOT_KEYS:
            if key in row.slots:
                report.slot_total[key] += 1
                if _gold(key, row.slots) == _got(key, result):
                    report.slot_correct[key] += 1
                else:
                    all_right = False
                    report.mistakes.append(f"slot {key}: {_gold(key, row.slots)} != {_got(key, result)}: {row.text}")
        gold_items = _gold("items", row.slots) if "items" in row.slots else {}
        if gold_items:
            report.lined += 1
            got_items = _got("items", result)
            said = result.slots
            named_back = bool(said.unresolved or said.unknown_words or said.rejected_quantities
                              or said.negative_quantities)
            # nothing read at all is said ("没认出要订的产品"); a reading short of a line is shown as if whole
            if not named_back and got_items and set(got_items) < set(gold_items):
                report.dropped += 1
        if row.kind:
            report.kind_total[row.kind] += 1
            report.kind_intent[row.kind] += right
            report.kind_correct[row.kind] += all_right
    return report
