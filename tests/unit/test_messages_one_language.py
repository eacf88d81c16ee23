"""Every user-facing message has zh and en, chosen by the reader's language; none glues both into one string.

The rule (docs: STYLE "Do this, not that" 10): a message is a zh/en pair (``i18n.register`` keys, a
``DomainError``'s ``zh=`` / ``en=``, ``ValidationFailed.because(zh, en)``), or a note the system stores once in
Chinese and shows in the reader's language (``core.notes``). "金额不能为 0 / the amount must not be 0" makes an
English reader read Chinese and a Chinese reader read English.

The test reads the source (``ast``) of the packages whose text reaches users through a chosen language and fails on
a string literal (f-strings included; docstrings, being for developers, excepted) where Chinese is followed by
" / " and English words. Out of scope: admin/ pages and bot/ (the CLI and the Telegram command list), which speak
to staff in both languages at once by design.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "handlers", "notifications", "nlu", "storage", "analytics", "documents")
GLUED = re.compile(r"[\u4e00-\u9fff][^/\n]*?\s/\s+[A-Za-z]{2,}")


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def glued_strings(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, text) of each string literal that glues Chinese and English with " / "."""
    tree = ast.parse(source, filename)
    skip = _docstrings(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
            text = "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
                           for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            continue
        if GLUED.search(text):
            found.append((node.lineno, text))
    return found


def test_no_user_facing_string_glues_chinese_and_english() -> None:
    found: list[str] = []
    files = 0
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or "data" in path.relative_to(ROOT).parts[1:2]:
                continue
            files += 1
            found += [f"{path.relative_to(ROOT)}:{line}: {text[:80]!r}"
                      for line, text in glued_strings(path.read_text(encoding="utf-8"), str(path))]
    assert files > 150                                  # it did read the tree
    assert not found, "zh and en glued into one string (use a zh/en pair chosen by language):\n" + "\n".join(found)


def test_the_check_finds_a_glued_string_and_passes_pairs() -> None:
    source = '''
"""Module docstring: 金额 / amount is fine here."""
from core.errors import ValidationFailed

def f(sku: str) -> None:
    """订单 / order in a docstring is for developers."""
    raise ValidationFailed(reason="金额不能为 0 / the amount must not be 0")

def g(sku: str) -> None:
    raise ValidationFailed(reason=f"{sku}: 数量不能为负 / quantity must not be negative")

def h() -> None:
    raise ValidationFailed.because("金额不能为 0", "the amount must not be 0")

PAIR = ("驳回", "rejected")
PATH = "日期 2026/11/25"
'''
    assert [line for line, _ in glued_strings(source)] == [7, 10]
