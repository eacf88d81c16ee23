"""Offline NLU figures: held-out accuracy, slot exact match, latency per message.

    .venv/bin/python bench/parser.py [--rounds 5]

Uses the demo catalogue (bot/demo_data.py, the one the labelled set was written against) and the
held-out split nlu/data/test.jsonl, which the classifier never trains on. Latency is measured per
parse() call after one warm-up (the classifier trains at first use), over every utterance of both
splits, ``--rounds`` times; then once more with a 2,000-product catalogue to show it scales.
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

from bot.demo_data import CATALOGUE  # noqa: E402
from nlu.evaluation import evaluate, read_set  # noqa: E402
from nlu.offline import OfflineParser  # noqa: E402
from nlu.schema import CatalogueEntry  # noqa: E402

TODAY = date(2026, 11, 26)


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
    print(f"first parse (trains the classifier on {len(train)} utterances): {time.perf_counter() - started:.2f} s")
    report = await evaluate(parser, test, catalogue, TODAY)
    print(f"held-out set: {report.total} utterances (train: {len(train)})")
    for line in report.lines()[:5]:
        print(line)
    texts = [r.text for r in train + test]
    small = latencies(parser, texts, catalogue, rounds)
    print(f"offline latency, demo catalogue ({len(catalogue)} products), {len(small)} parses: "
          f"p50 {statistics.median(small):.2f} ms, p95 {p95(small):.2f} ms, max {max(small):.2f} ms")
    big = catalogue + [CatalogueEntry(sku=f"XB{n:04d}", name=f"配件套装 {n} 型", aliases=[f"配件{n}"], unit="套")
                       for n in range(2000)]
    large = latencies(parser, texts, big, 1)
    print(f"offline latency, {len(big)} products, {len(large)} parses: "
          f"p50 {statistics.median(large):.2f} ms, p95 {p95(large):.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
