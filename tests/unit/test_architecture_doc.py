"""docs/architecture.md matches the code: every path it names exists, every arrow of its diagram is a real import."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PACKAGES = ("bot", "admin", "handlers", "notifications", "nlu", "storage", "analytics", "documents", "core")


def _imports(source: str, target: str) -> bool:
    pattern = re.compile(rf"^\s*(from|import) {target}(\.|\s)", re.M)
    return any(pattern.search(path.read_text(encoding="utf-8")) for path in (ROOT / source).rglob("*.py"))


def test_every_arrow_of_the_diagram_is_an_import_that_exists() -> None:
    arrows = re.findall(r"^\s*(\w+) --> (\w+)\s*$", DOC, re.M)
    assert len(arrows) >= 15
    missing = [f"{a} --> {b}" for a, b in arrows if not _imports(a, b)]
    assert missing == []


def test_no_arrow_runs_up_into_a_layer_that_imports_it() -> None:
    arrows = set(re.findall(r"^\s*(\w+) --> (\w+)\s*$", DOC, re.M))
    assert not any((b, a) in arrows for a, b in arrows)
    assert not any(a == "core" for a, _ in arrows)


def test_every_path_named_exists() -> None:
    roots = "|".join(PACKAGES)
    named = set(re.findall(rf"`((?:{roots})/[\w/.]*)`", DOC))
    named |= {f"{p}/" for p in PACKAGES}
    assert len(named) > 20
    missing = sorted(p for p in named if not (ROOT / p.rstrip("/")).exists())
    assert missing == []
