"""Every development set against its own catalogue, one line each: what a parser change does to the sets it may
learn from. The blind sets are not read here (bench/parser.py reports them).

    .venv/bin/python bench/devsets.py [dev27 dev28 ...]

Prints intent accuracy, exact order items, exact product (the one product a question or a problem names) and the
order messages read as some of their lines with nothing named back ("dropped": the trust failure of issue 13) per
set, and their totals. The classifier trains on these sets, so their intent figures flatter; the items and product
figures come from the rules and are what a rule change moves.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlu.evaluation import evaluate, read_catalogue_csv, read_set  # noqa: E402
from nlu.offline import OfflineParser  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "nlu" / "data"
TODAY = date(2026, 12, 4)


async def main(names: list[str]) -> None:
    folders = sorted((p for p in DATA.glob("dev*") if (p / "catalogue.csv").exists() and list(p.glob("*.jsonl"))),
                     key=lambda p: int(p.name[3:] or 1))
    if names:
        folders = [f for f in folders if f.name in names]
    parser = OfflineParser()
    right_items = all_items = right_products = all_products = dropped = lined = 0
    print(f"{'set':8}{'messages':>10}{'intent':>9}{'items':>9}{'of':>6}{'product':>9}{'of':>6}{'dropped':>9}")
    for folder in folders:
        catalogue = read_catalogue_csv((folder / "catalogue.csv").read_text("utf-8"))
        rows = [m for f in sorted(folder.glob("*.jsonl")) for m in read_set(f.read_text("utf-8").splitlines())]
        report = await evaluate(parser, rows, catalogue, TODAY)
        n = sum(1 for r in rows if "items" in r.slots)
        right = round(report.slot_accuracy("items") * n)
        right_items += right
        all_items += n
        p = report.slot_total["product"]
        right_products += report.slot_correct["product"]
        all_products += p
        dropped += report.dropped
        lined += report.lined
        print(f"{folder.name:8}{report.total:>10}{report.accuracy:>9.1%}{report.slot_accuracy('items'):>9.1%}{n:>6}"
              f"{report.slot_accuracy('product'):>9.1%}{p:>6}{report.dropped_silently:>9.1%}")
    print(f"{'all':8}{'':>10}{'':>9}{right_items / max(all_items, 1):>9.1%}{all_items:>6}"
          f"{right_products / max(all_products, 1):>9.1%}{all_products:>6}{dropped / max(lined, 1):>9.1%}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
