"""Leave-one-set-out figures for the intent classifier: how the parser does on a development set's catalogue and
writer when that set is left out of training (what a blind set measures, but on data we may tune on).

    .venv/bin/python bench/nlu_cv.py [--sets dev3,dev7] [--C 16] [--cue-weight 0.25]

For each development set (nlu/data/dev*/): the classifier is trained on every training file but that set's, then
the whole offline parser is evaluated on the set with its own catalogue (today 2026-12-04). Prints intent accuracy
and exact items per set, then the mean over the sets and the pooled figure. Blind sets and the held-out split are
never read here: choose classifier settings with this, then report held-out and blind (bench/parser.py).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nlu.classifier as classifier  # noqa: E402
from nlu.evaluation import evaluate, read_catalogue_csv, read_set  # noqa: E402
from nlu.offline import OfflineParser  # noqa: E402

TODAY = date(2026, 12, 4)


def _load(part: object, cat: object) -> tuple[list, list]:  # type: ignore[type-arg]
    return (read_set(Path(str(part)).read_text("utf-8").splitlines()),
            read_catalogue_csv(Path(str(cat)).read_text("utf-8")))


async def fold(name: str, files: list[tuple[object, object]], factory: object) -> tuple[int, int, int, int]:
    left = [(part, cat) for part, cat in files if cat is None or Path(str(cat)).parent.name != name]
    held = [(part, cat) for part, cat in files if cat is not None and Path(str(cat)).parent.name == name]
    classifier.training_files = lambda: left        # type: ignore[assignment]
    classifier.IntentClassifier = factory           # type: ignore[assignment]
    classifier.default_classifier.cache_clear()
    total = correct = items_total = items_right = 0
    for part, cat in held:
        rows, catalogue = _load(part, cat)
        report = await evaluate(OfflineParser(), rows, catalogue, TODAY)
        total += report.total
        correct += report.correct
        items_total += report.slot_total["items"]
        items_right += report.slot_correct["items"]
    return total, correct, items_total, items_right


async def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--sets", default="")
    args.add_argument("--C", type=float, default=None)
    args.add_argument("--cue-weight", type=float, default=None)
    opts = args.parse_args()
    original = classifier.IntentClassifier
    kwargs = {k: v for k, v in (("C", opts.C), ("cue_weight", opts.cue_weight)) if v is not None}
    factory = partial(original, **kwargs)
    files = classifier.training_files()
    names = sorted({Path(str(cat)).parent.name for _, cat in files if cat is not None})
    if opts.sets:
        names = [n for n in names if n in opts.sets.split(",")]
    sums = [0, 0, 0, 0]
    rates = []
    for name in names:
        t, c, it, ir = await fold(name, files, factory)
        sums = [a + b for a, b in zip(sums, (t, c, it, ir), strict=True)]
        rates.append((c / t, ir / it if it else 0.0))
        print(f"{name:<6} intent {c / t:6.1%} ({c}/{t})  items {ir / it if it else 0:6.1%} ({ir}/{it})", flush=True)
    t, c, it, ir = sums
    print(f"mean   intent {sum(r[0] for r in rates) / len(rates):6.1%}  items {sum(r[1] for r in rates) / len(rates):6.1%}")
    print(f"pooled intent {c / t:6.1%} ({c}/{t})  items {ir / it:6.1%} ({ir}/{it})  {kwargs}")


if __name__ == "__main__":
    asyncio.run(main())
