"""No import cycle between two modules of ours, counting the imports inside functions.

A function-level import hides a cycle from Python (it runs late) but not from the reader: the two modules
still need each other. The test reads every module's source (``ast``), takes each ``import`` and
``from ... import`` wherever it stands (type-only imports under ``if TYPE_CHECKING:`` excepted: they never
run), and looks for strongly connected groups of modules. import-linter's ``acyclic_siblings`` contract
(pyproject.toml) says the same per package; this test also covers bot/ and admin/.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "storage", "nlu", "handlers", "bot", "notifications", "admin", "analytics", "documents")



def module_files(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if "migrations" in parts or ".venv" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                    isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
                for child in node.body:
                    skipped.update(id(n) for n in ast.walk(child))
    return skipped


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that ``name`` is or lies in (``core.money.fmt_cny`` -> ``core.money``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ours that ``name`` imports, at any depth of its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(t for a in node.names if (t := _owner(a.name, modules)))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                target = f"{source}.{alias.name}"      # "from handlers.flows import forms" names a module
                owner = target if target in modules else _owner(source, modules)
                if owner:
                    found.add(owner)
    found.discard(name)
    return found


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    modules = module_files(root, packages)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of two or more modules that import each other, directly or around (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_import_cycle_between_our_modules() -> None:
    graph = import_graph(ROOT)
    assert len(graph) > 200 and "handlers.flows.ordering" in graph     # it did read the tree
    found = cycles(graph)          # none allowed (admin.views <-> admin.contracts and bot.cli's were the last)
    assert not found, "import cycles (imports inside functions count):\n" + "\n".join(
        " <-> ".join(g) + "\n    " + "\n    ".join(f"{m} -> {sorted(graph[m] & set(g))}" for m in g) for g in found)


def test_the_walk_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    pkg = tmp_path / "core"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from core import b\n")
    (pkg / "b.py").write_text("def f():\n    from core.a import thing\n    return thing\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core import a\n")
    (pkg / "d.py").write_text("from . import c\nimport core.a\n")
    graph = import_graph(tmp_path, ("core",))
    assert graph["core.b"] == {"core.a"}
    assert graph["core.c"] == set()                     # type-only
    assert graph["core.d"] == {"core.c", "core.a"}
    assert cycles(graph) == [["core.a", "core.b"]]
