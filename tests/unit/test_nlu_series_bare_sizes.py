"""One series said once, then its other sizes bare ("tomcat catheter 3.5fr 20 and 5fr 8", "mtb tyre 27.5 2 cartons
and 29 one carton"): each size is its own line of that series."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

# veterinary catheters sized in Fr (French gauge), and bicycle tyres in inches
CATHETERS = [CatalogueEntry(sku=f"CK-TC{fr.replace('.', '')}", name=f"宠康 公猫导尿管 {fr}Fr",
                            aliases=[f"公猫导尿管{fr}", f"tomcat catheter {fr}fr"], unit="根", category="导尿管")
             for fr in ("3", "3.5", "5")]
TYRES = [CatalogueEntry(sku=f"CC-MTB{size.replace('.', '')}", name=f"驰骋 山地车外胎 {size}",
                        aliases=[f"山地胎{size}", f"mtb tyre {size}"], unit="条", category="外胎")
         for size in ("26", "27.5", "29")]


@pytest.mark.parametrize(("text", "want"), [
    ("sold tomcat catheter 3.5fr 20 and 5fr 8", {"CK-TC35": 20, "CK-TC5": 8}),
    ("tomcat catheter 3fr 10pcs 3.5fr 10pcs 5fr 6", {"CK-TC3": 10, "CK-TC35": 10, "CK-TC5": 6}),
    ("mtb tyre 27.5 2 cartons and 29 one carton", {"CC-MTB275": 2, "CC-MTB29": 1}),
])
async def test_later_sizes_said_bare_are_lines_of_the_series(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, CATHETERS + TYRES) == want
