"""No module of ours over 800 lines (tests and migrations aside): past that a reader no longer finds a thing in
one step, and the file wants splitting along its seams (issue 17: admin/views.py, notifications/templates.py,
storage/orm.py and bench/load.py were split that way)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 800
SKIPPED = {"tests", "migrations", ".venv", "node_modules", "var", "build", "dist"}


def sources(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.py") if not SKIPPED & set(p.relative_to(root).parts[:-1])]


def test_no_module_is_over_800_lines() -> None:
    files = sources(ROOT)
    assert len(files) > 200 and ROOT / "storage" / "orm.py" in files          # it did read the tree
    long = {str(p.relative_to(ROOT)): n for p in files if (n := len(p.read_text("utf-8").splitlines())) > LIMIT}
    assert not long, f"modules over {LIMIT} lines (split them along their seams): {long}"


def test_the_walk_skips_tests_and_migrations(tmp_path: Path) -> None:
    for folder in ("core", "tests", "storage/migrations/versions"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "x.py").write_text("\n" * (LIMIT + 1))
    assert sources(tmp_path) == [tmp_path / "core" / "x.py"]
