"""Suggestions ("您是不是要…") do not depend on Python's hash seed: products that share as many character pairs with
an unknown word are taken in catalogue order, so one message gets the same suggestions in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
from nlu.products import ProductIndex
from nlu.schema import CatalogueEntry
names = ["晴野灯带12米", "川晴灯带10米", "绿川灯带8米", "晴野吸顶灯", "川晴筒灯", "绿川射灯"]
index = ProductIndex([CatalogueEntry(sku=f"LT-{n}", name=name) for n, name in enumerate(names)], {})
print(json.dumps([index._sharing("绿川晴野"), index.suggest(["绿川晴野灯"], limit=3)]))
"""


def _probe(seed: str) -> list[object]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def test_the_same_suggestions_under_every_hash_seed() -> None:
    seen = [_probe(seed) for seed in ("0", "1", "2", "3")]
    assert all(s == seen[0] for s in seen), seen
    sharing = seen[0][0]
    assert isinstance(sharing, list) and len(sharing) > 2
