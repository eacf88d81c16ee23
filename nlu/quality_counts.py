"""How many units a dealer's quality report says have the problem, from its opening words and the parser's reading.
"这批DH20有好几台外壳裂了，批号2411": the parser reads 2411 as DH20's quantity, but it is the batch; "好几台" is no
count (asked). The units written with their measure word ("5台") win; the parser's quantity is taken only when it is
no part of the batch written."""

from __future__ import annotations

from nlu.defects import batch_in_text, units_in_text


def units_reported(text: str, parsed_qty: int | None) -> int | None:
    """The units the words say (None: to be asked)."""
    if (units := units_in_text(text)) is not None:
        return units
    if parsed_qty is None:
        return None
    batch = batch_in_text(text)
    return None if batch is not None and str(parsed_qty) in batch else parsed_qty
