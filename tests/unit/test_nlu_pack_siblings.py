"""A pack size said alone with its count after a counted line (``nlu.pack_siblings``): "云啡 250g 10 1kg 4" is the
same coffee in its 1 kg bag, not a word naming every 1 kg product of the catalogue; a size the product does not
come in stays named back, and so does a size only an alias in other units says ("20kg" is no pack of "20斤").

A catalogue of its own (coffee beans), so the rule is tested apart from any labelled set. The reading is given as
``nlu.items`` leaves it (the size named back with every product of that size), so the rule is tested on its own.
"""

from __future__ import annotations

from nlu.items import ItemResult
from nlu.pack_siblings import pack_siblings
from nlu.product_words import Mention, Strength
from nlu.products import ProductIndex
from nlu.schema import CartEdit, CatalogueEntry, EditOp, Unresolved

CATALOGUE = [
    CatalogueEntry(sku="YF-M250", name="咖福 云啡中焙咖啡豆 250g", aliases=["中焙250g"], unit="袋", category="咖啡豆"),
    CatalogueEntry(sku="YF-M1K", name="咖福 云啡中焙咖啡豆 1kg", aliases=["中焙1kg", "云啡中焙2斤"], unit="袋",
                   category="咖啡豆"),
    CatalogueEntry(sku="YF-D250", name="咖福 云啡深焙咖啡豆 250g", aliases=["深焙250g"], unit="袋", category="咖啡豆"),
    CatalogueEntry(sku="TG-1K", name="咖福 甜谷细砂糖 1kg", aliases=["细砂糖1kg"], unit="袋", category="糖"),
    CatalogueEntry(sku="NF-1K", name="咖福 牧场全脂奶粉 1kg", aliases=["奶粉1kg"], unit="袋", category="奶粉"),
]
INDEX = ProductIndex(CATALOGUE)


def read(size: str, skus: tuple[str, ...], strength: Strength = Strength.NAME) -> ItemResult:
    """"云啡 250g 10 <size> 4" as the plain reading leaves it: the first line, the size named back."""
    first = Mention(3, 7, ("YF-M250",), Strength.NAME, "250g")
    said = Mention(11, 11 + len(size), skus, strength, size)
    result = ItemResult(items={"YF-M250": 10}, edits=[CartEdit(op=EditOp.ADD, sku="YF-M250", qty=10)],
                        unknown=[size], unresolved=[Unresolved(word=size, qty=4, candidates=list(skus))])
    pack_siblings(result, [first, said], INDEX.variant_table, INDEX.entries)
    return result


def test_a_pack_size_after_a_line_is_that_product_in_that_pack() -> None:
    result = read("1kg", ("YF-M1K", "TG-1K", "NF-1K"))
    assert result.items == {"YF-M250": 10, "YF-M1K": 4}
    assert result.unresolved == []
    assert result.unknown == []


def test_a_size_the_product_lacks_stays_named_back() -> None:
    result = read("500g", ())
    assert result.items == {"YF-M250": 10}
    assert [u.word for u in result.unresolved] == ["500g"]


def test_a_size_said_only_in_other_units_is_no_pack_of_it() -> None:
    result = read("2kg", (), Strength.UNKNOWN)         # "云啡中焙2斤" is 1 kg: not a 2 kg bag
    assert result.items == {"YF-M250": 10}
    assert [u.word for u in result.unresolved] == ["2kg"]
