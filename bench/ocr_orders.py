"""Photos of order lists -> order lines: how many lines come out exactly (product and quantity).

    .venv/bin/python bench/ocr_orders.py [--lists 60] [--seed 7] [--rotate 4] [--blur 1.2] [--noise 0.04]

Each list is rendered here (``tests/order_images.py``): 3-12 lines of the demo catalogue (``bot.demo.world``)
printed with a CJK font in five ways dealers write them ("1. AP300 空气净化器 AP300 20台", "AP300 x 12",
"2、除湿机 DH20 20升 十二台", ...), turned up to ``--rotate`` degrees, blurred, speckled and saved as JPEG.
Then the product's own path: RapidOCR (``bot.ocr``) -> rows (``nlu.ocr_rows``) -> lines (``nlu.order_table``)
with the demo catalogue. A line is exact when its product and quantity are both right; a wrong product or
quantity taken as sure (not marked for the dealer to check) is counted apart: that is the dangerous kind.

Last line: ``ocr lists=N line_exact=… sure_wrong=… s_per_photo=…``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.demo.world import CATALOGUE  # noqa: E402
from bot.ocr import RapidOcrReader  # noqa: E402
from nlu.ocr_rows import group_rows  # noqa: E402
from nlu.order_table import read_order_lines  # noqa: E402
from nlu.schema import CatalogueEntry  # noqa: E402
from tests.order_images import Product, order_picture  # noqa: E402


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rotate", type=float, default=4.0, help="at most this many degrees either way")
    parser.add_argument("--blur", type=float, default=1.2, help="Gaussian blur radius, at most")
    parser.add_argument("--noise", type=float, default=0.04, help="share of pixels speckled")
    parser.add_argument("--misses", action="store_true", help="print the OCR rows of the lists with a miss")
    args = parser.parse_args()
    catalogue = [CatalogueEntry(sku=p.sku, name=p.name, aliases=list(p.aliases), category=p.category, unit=p.unit)
                 for p in CATALOGUE]
    products = [Product(p.sku, p.name, p.unit) for p in CATALOGUE]
    reader = RapidOcrReader()
    rng = random.Random(args.seed)
    today = date(2026, 12, 5)
    lines_total = exact = sure_wrong = marked = missing = 0
    seconds: list[float] = []
    for _ in range(args.lists):
        picture = order_picture(rng, products, rotate=rng.uniform(-args.rotate, args.rotate),
                                blur=rng.uniform(0.3, args.blur), noise=args.noise)
        started = time.perf_counter()
        rows = group_rows(await reader(picture.png))
        lines = read_order_lines([(r.text, r.score) for r in rows], catalogue, today)
        seconds.append(time.perf_counter() - started)
        read = [(line.sku, line.qty, line.doubtful or bool(line.problem)) for line in lines]
        got = {(sku, qty) for sku, qty, _ in read}
        if args.misses and any(t not in got for t in picture.truth):
            print("printed:", picture.lines, "\n   read:", [r.text for r in rows], "\n  lines:", read)
        for sku, qty in picture.truth:
            lines_total += 1
            hit = next((r for r in read if r[0] == sku), None)
            if hit is None:
                missing += 1
                continue
            read.remove(hit)
            if hit[1] == qty:
                exact += 1
            elif hit[2]:
                marked += 1
            else:
                sure_wrong += 1
        sure_wrong += sum(1 for r in read if r[0] and not r[2])     # a product read that the list does not have
    print(f"lists {args.lists}, lines {lines_total}: exact {exact}, wrong but marked to check {marked}, "
          f"wrong and taken as sure {sure_wrong}, missing {missing}")
    print(f"seconds per photo (OCR + rows + lines): p50 {statistics.median(seconds):.2f}, "
          f"max {max(seconds):.2f} (first photo loads the models)")
    print(f"ocr lists={args.lists} line_exact={exact / lines_total:.1%} sure_wrong={sure_wrong / lines_total:.1%} "
          f"s_per_photo={statistics.median(seconds):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
