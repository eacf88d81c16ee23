"""English for the Chinese words that tell a series' products apart: colours ("黑" -> black, blk), finishes,
hinge overlays ("全盖" -> full overlay), as dealers write them for a catalogue whose aliases say them in Chinese.

"QX black 50" means the product with the alias "QX黑", "210X yel 2" the one of "210X黄", "JH full 200" the one of
"JH全盖". ``english_spellings`` gives an alias the spellings a dealer writing English uses for it: every Chinese
word of it that this vocabulary knows said in English ("QX黑" -> "qx black", "qx blk"); an alias with Chinese left
that the vocabulary does not know whole ("墨隼黑标容") gets none. The vocabulary is the trade's general words across
product lines (written from general knowledge and the usual shop-floor shorthands, not from any labelled message).
"""

from __future__ import annotations

import re
from itertools import islice, product

#: a Chinese variant word -> its English spellings, the usual one first
VARIANT_WORDS: dict[str, tuple[str, ...]] = {
    # colours, with the shorthands of order sheets and labels
    "黑": ("black", "blk"), "白": ("white", "wht"), "灰": ("grey", "gray", "gry"), "红": ("red",),
    "蓝": ("blue", "blu"), "绿": ("green", "grn"), "黄": ("yellow", "yel", "ylw"), "青": ("cyan", "cyn"),
    "品红": ("magenta", "mag"), "洋红": ("magenta", "mag"), "银": ("silver", "slv"), "金": ("gold", "gld"),
    "粉": ("pink",), "棕": ("brown",), "紫": ("purple",), "橙": ("orange",),
    "米黄": ("beige",), "米白": ("ivory", "off white"), "枪灰": ("gun grey", "gunmetal", "gun gray"),
    "香槟金": ("champagne", "champagne gold"), "玫瑰金": ("rose gold",), "透明": ("clear",),
    # finishes
    "哑光": ("matte", "matt"), "亮光": ("gloss", "glossy"), "拉丝": ("brushed",), "镀铬": ("chrome",),
    "铬": ("chrome",),
    # how a hinge sits on the cabinet side
    "全盖": ("full overlay", "full"), "半盖": ("half overlay", "half"), "内嵌": ("inset",),
}
#: an English spelling (its words also written together: "gun grey", "gungrey") -> the Chinese word it stands for
CHINESE_OF: dict[str, str] = {}
for chinese, spellings in VARIANT_WORDS.items():
    for said in spellings:
        CHINESE_OF.setdefault(said, chinese)
        CHINESE_OF.setdefault(said.replace(" ", ""), chinese)
# a colour may be written with 色 after it ("黑色")
_COLOUR_SUFFIX = "色"
_LONGEST = max(map(len, VARIANT_WORDS))
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
#: at most this many English spellings of one alias (a word with several spellings multiplies them)
_MOST = 12


def _words_of(run: str) -> list[str] | None:
    """``run`` (Chinese characters) as vocabulary words, longest first from the left (a 色 after a word is part of
    it), or None when a part of it is no word of the vocabulary."""
    out: list[str] = []
    i = 0
    while i < len(run):
        word = next((run[i:i + n] for n in range(min(_LONGEST, len(run) - i), 0, -1) if run[i:i + n] in VARIANT_WORDS),
                    None)
        if word is None:
            return None
        out.append(word)
        i += len(word)
        if run.startswith(_COLOUR_SUFFIX, i):
            i += 1
    return out


def english_spellings(alias: str) -> set[str]:
    """The English spellings of a normalized ``alias`` whose Chinese is all variant words ("qx黑" -> "qx black",
    "qx blk"; "jh全盖" -> "jh full overlay", "jh full"), none when it has no Chinese or Chinese the vocabulary
    does not know. Each Chinese run becomes its English words, spaced from what is around it."""
    runs = list(_CJK_RUN.finditer(alias))
    if not runs or not re.search(r"[a-z0-9]", alias):
        return set()          # an alias all in Chinese is a name, not a code with its variant
    choices: list[list[str]] = []
    for run in runs:
        words = _words_of(run.group(0))
        if words is None:
            return set()
        choices.append([" ".join(said) for said in product(*(VARIANT_WORDS[w] for w in words))])
    out: set[str] = set()
    for picked in islice(product(*choices), _MOST):
        spelled, pos = [], 0
        for run, english in zip(runs, picked, strict=True):
            spelled += [alias[pos:run.start()], f" {english} "]
            pos = run.end()
        spelled.append(alias[pos:])
        out.add(" ".join("".join(spelled).split()))
    return out
