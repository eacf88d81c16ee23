"""Where each update's milliseconds go in ``bench/webhook.py``, from a py-spy recording of it.

    .venv/bin/py-spy record -r 250 --format speedscope -o /tmp/webhook.json -- \\
        .venv/bin/python bench/webhook.py --skip-sqlite
    .venv/bin/python bench/spy_summary.py /tmp/webhook.json [--rate 250] [--stock-updates 1000] [--confirm-pairs 1000]

py-spy samples the bench process from outside (it slows it little) and writes the samples in time order
(speedscope's "sampled" profile of the main thread). This script cuts out each phase of dms on PostgreSQL
(stock query: from the first sample of its ``stock_query`` loop to the first of ``confirm_order``; confirm
order: from there to the app's shutdown) and the echo bot's stock phase, and sorts every sample of a phase into
one area by the frames on its stack: the database (SQLAlchemy's synchronous side runs in greenlets, whose
stacks py-spy shows apart; the awaiting side under the conversation), the parser, the rest of the conversation,
the reply sent to Telegram (aiogram's client), the web server, the webhook route, the stand-in playing Telegram
and the users, and the idle loop. A share times the phase's wall time per update gives milliseconds per update
(for the confirm phase, per cart + confirm pair: the bench makes a fresh cart before each confirm).

Printed: one table per phase (share, ms per update), then the dms functions with most samples below them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = str(Path(__file__).resolve().parent.parent)
RATE_DEFAULT = 250.0

Rule = tuple[str, Callable[[str], bool]]
AREAS: list[Rule] = [
    ("database (SQLAlchemy greenlet side)",
     lambda t: "run_forever" not in t and ("sqlalchemy" in t or "asyncpg" in t)),
    ("idle", lambda t: not t.strip()),
    ("parser (nlu)", lambda t: "parse_message" in t),
    ("database (awaited by the conversation)",
     lambda t: "ConversationService" in t and ("sqlalchemy" in t or "asyncpg" in t or "storage/driver" in t)),
    ("conversation, the rest", lambda t: "ConversationService" in t),
    ("reply to Telegram (aiogram client)", lambda t: "TelegramSender" in t or "aiogram/client" in t),
    ("update pipeline (serializer, processor)", lambda t: "TelegramUpdates.process" in t or "ChatSerializer" in t),
    ("webhook route (secret, JSON, Update model)", lambda t: "telegram_webhook" in t),
    ("web server (uvicorn, FastAPI)", lambda t: "uvicorn" in t or "starlette" in t or "fastapi" in t),
    ("stand-in (Telegram and the users)",
     lambda t: "telegram_standin" in t or "aiohttp/web" in t or "bench/webhook.py" in t),
    ("event loop, sockets", lambda t: "asyncio" in t or "aiohttp" in t),
    ("other", lambda t: True),
]


def _stack_text(frames: list[dict[str, Any]], sample: Sequence[int]) -> str:
    return ";".join(f"{frames[f]['name']} {frames[f].get('file', '')}" for f in sample)


def _has(frames: list[dict[str, Any]], sample: Sequence[int], name: str) -> bool:
    return any(name in frames[f]["name"] for f in sample)


def _first(frames: list[dict[str, Any]], samples: list[list[int]], start: int, *names: str) -> int:
    for i in range(start, len(samples)):
        if all(_has(frames, samples[i], n) for n in names):
            return i
    raise SystemExit(f"no sample with {' and '.join(names)} after #{start}: is this a recording of bench/webhook.py?")


def phases(frames: list[dict[str, Any]], samples: list[list[int]]) -> dict[str, tuple[int, int]]:
    echo = _first(frames, samples, 0, "bench_echo")
    echo_stock = _first(frames, samples, echo, "stock_query")
    echo_end = _first(frames, samples, echo_stock, "bench_echo", "confirm")
    dms = _first(frames, samples, echo_end, "bench_dms")
    stock = _first(frames, samples, dms, "stock_query")
    confirm = _first(frames, samples, stock, "confirm_order")
    end = next((i for i in range(confirm, len(samples)) if _has(frames, samples[i], "aclose")), len(samples))
    if any(_has(frames, s, "seed") for s in samples[end:]):
        raise SystemExit("two dms phases in the recording: record bench/webhook.py with --skip-sqlite")
    return {"echo bot, stock query": (echo_stock, echo_end), "dms + PostgreSQL, stock query": (stock, confirm),
            "dms + PostgreSQL, cart + confirm": (confirm, end)}


def summary(frames: list[dict[str, Any]], window: list[list[int]], per_update_ms: float) -> list[str]:
    areas: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    for sample in window:
        text = _stack_text(frames, sample)
        areas[next(name for name, rule in AREAS if rule(text))] += 1
        mine = {f"{frames[f]['name']} ({frames[f]['file'].replace(ROOT + '/', '')})" for f in sample
                if frames[f].get("file", "").startswith(ROOT) and "/.venv/" not in frames[f]["file"]
                and "/bench/" not in frames[f]["file"] and "/tests/" not in frames[f]["file"]}
        ours.update(mine)
    n = max(len(window), 1)
    lines = [f"  {count / n:6.1%}  {count / n * per_update_ms:6.2f} ms  {name}" for name, count in areas.most_common()]
    lines.append("  dms functions (samples with them on the stack; the greenlet side is not under them):")
    lines += [f"  {count / n:6.1%}  {count / n * per_update_ms:6.2f} ms  {name}" for name, count in ours.most_common(12)]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording", type=Path, help="py-spy record --format speedscope output of bench/webhook.py")
    parser.add_argument("--rate", type=float, default=RATE_DEFAULT, help="py-spy's -r (samples per second)")
    parser.add_argument("--stock-updates", type=int, default=1000, help="updates of each stock phase (chats x rounds)")
    parser.add_argument("--confirm-pairs", type=int, default=1000, help="carts confirmed (chats x confirm rounds)")
    args = parser.parse_args(argv)
    data = json.loads(args.recording.read_text("utf-8"))
    frames = data["shared"]["frames"]
    samples = data["profiles"][0]["samples"]
    for name, (start, end) in phases(frames, samples).items():
        count = args.confirm_pairs if "confirm" in name else args.stock_updates
        seconds = (end - start) / args.rate
        per = seconds * 1000 / count
        unit = "pair" if "confirm" in name else "update"
        print(f"{name}: {end - start} samples, {seconds:.1f} s, {per:.2f} ms per {unit} (wall, under py-spy)")
        print("\n".join(summary(frames, samples[start:end], per)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
