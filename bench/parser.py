"""Offline NLU figures: held-out and blind accuracy side by side, slot exact match, latency per message.

    .venv/bin/python bench/parser.py [--rounds 5]

Two sets, never trained on: the held-out split nlu/data/test.jsonl (written here, with the demo catalogue,
bot/demo/world.py) and the blind set nlu/data/blind/ (written by someone who never saw the parser, with a
catalogue of its own: another product line). A change that raises one and lowers the other is not done.
Latency is measured per parse() call after one warm-up (the classifier trains at first use), over every
utterance of both splits, ``--rounds`` times; then with a 2,000-product catalogue (the blind set's
products plus generated ones) over the blind messages.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.demo import CATALOGUE  # noqa: E402
from nlu.evaluation import evaluate, read_catalogue_csv, read_set  # noqa: E402
from nlu.offline import OfflineParser  # noqa: E402
from nlu.schema import CatalogueEntry  # noqa: E402

TODAY = date(2026, 11, 26)
BLIND_TODAY = date(2026, 12, 4)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def latencies(parser: OfflineParser, texts: list[str], catalogue: list[CatalogueEntry], rounds: int) -> list[float]:
    parser.parse_sync(texts[0], catalogue=catalogue, today=TODAY)          # warm-up: trains, builds the index
    out = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            parser.parse_sync(text, catalogue=catalogue, today=TODAY)
            out.append((time.perf_counter() - started) * 1000)
    return out


async def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--rounds", type=int, default=5)
    rounds = args.parse_args().rounds
    catalogue = [CatalogueEntry(sku=p.sku, name=p.name, aliases=list(p.aliases), unit=p.unit) for p in CATALOGUE]
    data = resources.files("nlu").joinpath("data")
    test = read_set(data.joinpath("test.jsonl").read_text("utf-8").splitlines())
    train = read_set(data.joinpath("train.jsonl").read_text("utf-8").splitlines())
    parser = OfflineParser()
    started = time.perf_counter()
    parser.parse_sync("你好", catalogue=catalogue, today=TODAY)
    from nlu.classifier import training_texts

    print(f"first parse (trains the classifier on {len(training_texts()[0])} messages: train.jsonl and the "
          f"development sets): {time.perf_counter() - started:.2f} s")
    report = await evaluate(parser, test, catalogue, TODAY)
    blinds = []
    for folder in sorted((f for f in data.iterdir() if f.is_dir() and f.name.startswith("blind")
                          and f.joinpath("README.md").is_file()),
                         key=lambda f: (int(f.name[5:].rstrip("b") or 1), f.name)):      # blind, blind2, ..., blind10
        rows = [r for part in sorted(folder.iterdir(), key=lambda f: f.name) if part.name.endswith(".jsonl")
                for r in read_set(part.read_text("utf-8").splitlines())]
        products = read_catalogue_csv(folder.joinpath("catalogue.csv").read_text("utf-8"))
        blinds.append((folder.name, rows, products, await evaluate(parser, rows, products, BLIND_TODAY)))
    columns = [("held-out", report)] + [(name, r) for name, _, _, r in blinds]
    print(f"{'':34}" + "".join(f"{name:>10}" for name, _ in columns))
    print(f"{'messages':34}" + "".join(f"{r.total:>10}" for _, r in columns))
    print(f"{'intent accuracy':34}" + "".join(f"{r.accuracy:>10.1%}" for _, r in columns))
    for key in ("items", "order_no", "product"):
        print(f"{'slot exact match ' + key:34}" + "".join(f"{r.slot_accuracy(key):>10.1%}" for _, r in columns))
    print(f"{'order lines dropped without a word':34}" + "".join(f"{r.dropped_silently:>10.1%}" for _, r in columns))
    print(f"(train.jsonl: {len(train)} of them; per kind and intent: dms nlu eval nlu/data/blind/blind.jsonl "
          f"--catalogue nlu/data/blind/catalogue.csv --today {BLIND_TODAY})")
    blind, blind_catalogue = blinds[0][1], blinds[0][2]
    texts = [r.text for r in train + test]
    small = latencies(parser, texts, catalogue, rounds)
    print(f"offline latency, demo catalogue ({len(catalogue)} products), {len(small)} parses: "
          f"p50 {statistics.median(small):.2f} ms, p95 {p95(small):.2f} ms, max {max(small):.2f} ms")
    big = blind_catalogue + [CatalogueEntry(sku=f"XB{n:04d}", name=f"配件套装 {n} 型", aliases=[f"配件{n}"], unit="套")
                             for n in range(2000 - len(blind_catalogue))]
    large = latencies(parser, [r.text for r in blind], big, 1)
    print(f"offline latency, {len(big)} products, {len(large)} parses: "
          f"p50 {statistics.median(large):.2f} ms, p95 {p95(large):.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
