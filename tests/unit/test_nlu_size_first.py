"""A size said before the kind's words, the English way ("50 #6 carp hooks and 30 #8") names the product the
catalogue calls "carp hook #6", and the bare sizes after it are that kind's; a bare number is never taken for one."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

# fishing hooks: two kinds in the same numbered sizes
HOOKS = [CatalogueEntry(sku=f"YG-{code}{n}", name=f"渔钩 {kind}钩 {n}号", aliases=[f"{kind}钩{n}号", f"{english} hook #{n}"],
                        unit="包", category="鱼钩")
         for code, kind, english in (("CP", "鲤鱼", "carp"), ("SE", "海", "sea")) for n in (6, 8, 10)]


@pytest.mark.parametrize(("text", "want"), [
    ("need 50 #6 carp hooks and 30 #8", {"YG-CP6": 50, "YG-CP8": 30}),
    ("this week we moved 120 #10 sea hooks", {"YG-SE10": 120}),
])
async def test_a_size_before_the_kinds_words_names_that_kind(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, HOOKS) == want
