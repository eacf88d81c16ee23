"""The labelled message files bundled in ``nlu/data/``: reading them and knowing which may be trained on.

Training data: ``train.jsonl`` (written against the demo catalogue) and each development set ``dev*/`` (its own
``catalogue.csv``). Never trained on: the held-out split ``test.jsonl`` and every blind set ``blind*/``; a training
message written the same way as a held-out one is left out too (``held_out_texts``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from nlu.schema import Intent


@dataclass(frozen=True)
class Example:
    text: str
    intent: Intent
    slots: dict[str, Any]


def read_examples(lines: Iterable[str]) -> list[Example]:
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            out.append(Example(text=str(raw["text"]), intent=Intent(raw["intent"]), slots=dict(raw.get("slots") or {})))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {n}: {exc}") from exc
    return out


def bundled_examples(name: str = "train") -> list[Example]:
    text = resources.files("nlu").joinpath("data", f"{name}.jsonl").read_text("utf-8")
    return read_examples(text.splitlines())


def training_files() -> list[tuple[Any, Any]]:
    """(labelled file, its catalogue) for every set the classifier trains on: the training split with the demo
    catalogue (``nlu/data/train.jsonl``, catalogue None), and each development set (``nlu/data/dev*/``: a
    ``*.jsonl`` with the ``catalogue.csv`` of another product line, so the model learns how dealers write, not
    one catalogue's words). Never the held-out split and never a blind set (``nlu/data/blind*/``)."""
    data = resources.files("nlu").joinpath("data")
    out: list[tuple[Any, Any]] = [(data.joinpath("train.jsonl"), None)]
    for folder in sorted((f for f in data.iterdir() if f.is_dir() and f.name.startswith("dev")), key=lambda f: f.name):
        catalogue = folder.joinpath("catalogue.csv")
        if catalogue.is_file() and folder.joinpath("README.md").is_file():     # a set being written has none yet
            out += [(part, catalogue) for part in sorted((f for f in folder.iterdir() if f.name.endswith(".jsonl")),
                                                         key=lambda f: f.name)]
    return out


def text_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def held_out_texts() -> set[str]:
    """The messages of the held-out split and the blind set (letters and digits only, lower case): a training
    message written the same way by another writer ("在吗", "my tickets") is left out of training, so the
    figures on those sets are on messages the model has not seen."""
    data = resources.files("nlu").joinpath("data")
    out: set[str] = set()
    for held in [data.joinpath("test.jsonl"), *blind_files()]:
        if held.is_file():
            out |= {text_key(e.text) for e in read_examples(held.read_text("utf-8").splitlines())}
    return out


def blind_files() -> list[Any]:
    """The labelled files of every blind set (``nlu/data/blind*/``), oldest first."""
    data = resources.files("nlu").joinpath("data")
    folders = sorted((f for f in data.iterdir() if f.is_dir() and f.name.startswith("blind")
                      and f.joinpath("README.md").is_file()), key=lambda f: f.name)     # written to the end
    return [part for folder in folders for part in sorted((f for f in folder.iterdir() if f.name.endswith(".jsonl")),
                                                          key=lambda f: f.name)]
