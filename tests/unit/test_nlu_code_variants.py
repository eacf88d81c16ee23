"""A product code's head said with the product's colour in place of the code's letters: "LM20 walnut" and
"LM20 米白" for the doors coded LM20-HT and LM20-MB (the letters are the maker's own shorthand, never read; the
name says the colour). A catalogue of its own (doors of an invented maker, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.code_variants import head_variant_keys
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="YL-LM20-HT", name="云岭实木复合门 LM20 胡桃", aliases=["LM20-HT"], unit="樘", category="木门"),
    CatalogueEntry(sku="YL-LM20-MB", name="云岭实木复合门 LM20 米白", aliases=["LM20-MB"], unit="樘", category="木门"),
    CatalogueEntry(sku="YL-LM30-HT", name="云岭实木复合门 LM30 胡桃", aliases=["LM30-HT"], unit="樘", category="木门"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("LM20 walnut 3樘", {"YL-LM20-HT": 3}),
    ("LM20 米白 2樘 LM30 胡桃 1樘", {"YL-LM20-MB": 2, "YL-LM30-HT": 1}),
    ("need 4 LM20 cream", {"YL-LM20-MB": 4}),
])
def test_a_code_head_and_the_colour_name_the_product(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_only_the_words_telling_siblings_apart_are_keys() -> None:
    keys = head_variant_keys(CATALOGUE)
    assert keys["lm20 胡桃"] == {"YL-LM20-HT"} and keys["lm20 cream"] == {"YL-LM20-MB"}
    assert not any(k.startswith("lm20") and "实木" in k for k in keys)
