"""Handlers read no words of their own: a regex or a word list over what the user typed belongs in ``nlu/``, the
handler calls it (STYLE.md: "handlers do NO text parsing"). Read from the source, as import-linter reads imports:

- every ``re.compile/search/match/fullmatch/findall/finditer/sub/subn/split`` call in ``handlers/``;
- every route shape written in a handler module: ``@router.staff_pattern(...)`` given a literal, or a constant the
  module defines itself, and ``@router.staff_phrase(...)`` given literal words (shapes and words from ``nlu/``,
  ``staff_pattern(TODAY_ASKED)``, pass).

Each is named by its module and the top-level name it sits in (``("handlers/flows/payments.py", "OVERDUE")``).
``NOT_WORDS`` lists those that read no user's words (a reason each); ``STILL_TO_MOVE`` the ones found when this
test came (review of session 26), to move into ``nlu/`` one by one: a new one fails here, and a moved one must
be struck from the list (the list only shrinks).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RE_CALLS = frozenset({"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"})

NOT_WORDS: dict[tuple[str, str], str] = {
    ("handlers/messages.py", "_SURROGATE"): "lone UTF-16 surrogates replaced in every inbound field: code units",
    ("handlers/messages.py", "_TOKEN"): "where a long reply may be cut for a platform's limit: our text",
    ("handlers/router.py", "Router"): "compiles the shapes nlu/ hands the router (staff_pattern)",
    ("handlers/router.py", "_LABEL_NOISE"): "a button's label typed back, emoji and punctuation dropped to compare "
                                            "it with the labels shown: no words read",
}

#: (module, top-level name) -> how many there; strike an entry when its words move to nlu/
STILL_TO_MOVE: dict[tuple[str, str], int] = {
    ("handlers/flows/campaigns.py", "@staff_overview"): 1,
    ("handlers/flows/campaigns.py", "_CAMPAIGN_FILLER"): 1,
    ("handlers/flows/campaigns.py", "_MATERIAL_ASK"): 1,
    ("handlers/flows/campaigns.py", "_named_campaign"): 1,
    ("handlers/flows/campaigns.py", "campaign_list"): 1,
    ("handlers/flows/campaigns.py", "launch_asked"): 2,
    ("handlers/flows/campaigns.py", "who_joined"): 2,
    ("handlers/flows/campaigns.py", "who_not_joined"): 2,
    ("handlers/flows/cart_edits.py", "_has_words"): 2,
    ("handlers/flows/cart_edits.py", "qty_typed"): 1,
    ("handlers/flows/sellout.py", "_COUNT_SAID"): 1,
    ("handlers/flows/sellout.py", "_NOT_A_PLACE"): 1,
    ("handlers/flows/sellout.py", "_PROVINCE_CITY"): 1,
    ("handlers/flows/sellout.py", "_QTY_WITH_UNIT"): 1,
    ("handlers/flows/sellout.py", "_SPLIT"): 1,
    ("handlers/flows/sellout.py", "_START_OVER"): 1,
    ("handlers/flows/sellout.py", "_TOTAL"): 1,
    ("handlers/flows/sellout.py", "_UNIT_PRICE"): 1,
    ("handlers/flows/sellout.py", "_sales_of"): 1,
    ("handlers/flows/sellout.py", "parse_line"): 4,
    ("handlers/flows/subdealers.py", "_CODE"): 1,
    ("handlers/flows/subdealers.py", "_MONEY"): 1,
    ("handlers/flows/subdealers.py", "_ORDERS"): 1,
    ("handlers/flows/subdealers.py", "_PARENT_WORDS"): 1,
    ("handlers/flows/subdealers.py", "_PLACE"): 1,
    ("handlers/flows/subdealers.py", "_SALES"): 1,
    ("handlers/flows/subdealers.py", "_STOCK"): 1,
    ("handlers/flows/subdealers.py", "_SUB_WORDS"): 1,
    ("handlers/flows/subdealers.py", "_mentions"): 1,
    ("handlers/flows/subdealers.py", "_order_for"): 1,
    ("handlers/flows/thresholds.py", "_resolve"): 1,
    ("handlers/flows/transfers.py", "_end"): 3,
}


def _route_reads_words(decorator: ast.expr, own_names: set[str]) -> bool:
    """``@router.staff_pattern(<a literal or a constant of this module>)``, ``@router.staff_phrase("待审批", ...)``."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return False
    args = [*decorator.args, *(k.value for k in decorator.keywords)]
    if decorator.func.attr == "staff_pattern":
        shape = decorator.args[0] if decorator.args else None
        return isinstance(shape, ast.Constant | ast.JoinedStr | ast.BinOp) or (
            isinstance(shape, ast.Name) and shape.id in own_names)
    if decorator.func.attr == "staff_phrase":
        return any(isinstance(a, ast.Constant | ast.Tuple | ast.List | ast.Set) for a in args)
    return False


def words_read(source: str) -> Counter[str]:
    """The top-level names of a module under which it reads words (see the module docstring), how many times each."""
    tree = ast.parse(source)
    own = {t.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
           for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)}
    found: Counter[str] = Counter()
    for node in tree.body:
        owner = getattr(node, "name", None)
        if owner is None and isinstance(node, ast.Assign | ast.AnnAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            owner = target.id if isinstance(target, ast.Name) else "<module>"
        owner = owner or "<module>"
        for decorator in getattr(node, "decorator_list", []):
            if _route_reads_words(decorator, own):
                found[f"@{owner}"] += 1
        for sub in ast.walk(node):
            if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in RE_CALLS
                    and isinstance(sub.func.value, ast.Name) and sub.func.value.id == "re"):
                found[owner] += 1
    return found


def handlers_reading_words() -> dict[tuple[str, str], int]:
    return {(path.relative_to(ROOT).as_posix(), owner): n
            for path in sorted((ROOT / "handlers").rglob("*.py"))
            for owner, n in words_read(path.read_text("utf-8")).items()}


def test_no_handler_reads_words_of_its_own() -> None:
    found = handlers_reading_words()
    new = {key: n for key, n in found.items()
           if key not in NOT_WORDS and n > STILL_TO_MOVE.get(key, 0)}
    assert not new, ("regexes or word lists over the user's text in handlers/ (move them into nlu/ and call them; "
                     f"or, if they read no user's words, add them to NOT_WORDS with the reason): {new}")


def test_the_lists_name_only_what_is_still_there() -> None:
    found = handlers_reading_words()
    gone = {key: n for key, n in STILL_TO_MOVE.items() if found.get(key, 0) < n}
    assert not gone, f"moved to nlu/ (strike them from STILL_TO_MOVE, or lower their count): {gone}"
    assert all(key in found for key in NOT_WORDS), [key for key in NOT_WORDS if key not in found]


def test_the_reader_finds_regexes_and_route_shapes() -> None:
    source = '''
import re
OVERDUE = r"逾期"
_AMOUNT = re.compile(r"\\d+")


@router.staff_pattern(OVERDUE)
@router.staff_phrase("待审批", anywhere=("要审批的",))
async def asked(ctx):
    return re.search(r"x", ctx.inbound.text), re.sub("a", "b", "c")


@router.staff_pattern(TODAY_ASKED)            # a shape from nlu/
@router.staff_phrase(*TODAY_PHRASES)
async def today(ctx):
    return [m for m in ctx.inbound.text.split()]
'''
    assert words_read(source) == Counter({"_AMOUNT": 1, "@asked": 2, "asked": 2})
