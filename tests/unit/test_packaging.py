"""The installed package (a wheel, as in the container image) carries every data file the product reads.

The checkout runs from an editable install, which finds any file in the source tree; a wheel holds only what
pyproject's package-data lists. The parser's training sets (.jsonl) and the FAQ demo (.md) were missing from it,
so an image built from the wheel would have had no intent classifier."""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = {".py", ".pyi", ".pyc"}


def _tracked(folder: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line]


def test_every_data_file_in_the_packages_is_in_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = config["package-data"]["*"]
    packages = [p.rstrip("*") for p in config["packages"]["find"]["include"]]
    missing = [path for package in packages for path in _tracked(package)
               if Path(path).suffix not in CODE and "/_build/" not in path
               and not any(fnmatch.fnmatch(Path(path).name, pattern) for pattern in patterns)]
    assert missing == []
    assert any(fnmatch.fnmatch("train.jsonl", p) for p in patterns)      # the classifier's training data
