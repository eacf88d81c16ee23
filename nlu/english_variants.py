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
    "米黄": ("beige",), "米白": ("ivory", "off white", "cream white", "cream"), "枪灰": ("gun grey", "gunmetal", "gun gray"),
    "香槟金": ("champagne", "champagne gold"), "玫瑰金": ("rose gold",), "透明": ("clear",),
    # wood colours of boards, floors and edge bands
    "胡桃": ("walnut",), "黑胡桃": ("black walnut",), "橡": ("oak",), "灰橡": ("grey oak", "gray oak"),
    "浅橡": ("light oak",), "白橡": ("white oak",), "烟熏橡": ("smoked oak",), "烟熏": ("smoked",),
    "柚木": ("teak",), "樱桃": ("cherry",), "枫木": ("maple",), "原木": ("natural",), "暖白": ("warm white",),
    # finishes
    "哑光": ("matte", "matt"), "亮光": ("gloss", "glossy"), "拉丝": ("brushed",), "镀铬": ("chrome",),
    "铬": ("chrome",),
    # how a hinge sits on the cabinet side
    "全盖": ("full overlay", "full"), "半盖": ("half overlay", "half"), "内嵌": ("inset",),
}
#: the colours of the vocabulary (said with 色 after them too: "黑色")
COLOURS = frozenset({"黑", "白", "灰", "红", "蓝", "绿", "黄", "青", "品红", "洋红", "银", "金", "粉", "棕", "紫", "橙",
                     "米黄", "米白", "枪灰", "香槟金", "玫瑰金"})


def is_colour(word: str) -> bool:
    """A colour in Chinese ("黑", "黑色") or English ("black", "blk")."""
    word = word.strip()
    word = CHINESE_OF.get(word, word)
    return word in COLOURS or (word.endswith("色") and word[:-1] in COLOURS)


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


def _english_of(run: str) -> tuple[str, list[str]] | None:
    """What of ``run`` stays Chinese (a series or kind word of two characters or more before its variant words:
    "墙吸" of "墙吸银"; nothing when the run is all variant words) and the English spellings of the rest, or None
    when it does not end in variant words."""
    for cut in (0, *range(2, len(run))):
        words = _words_of(run[cut:])
        if words is not None:
            return run[:cut], [" ".join(said) for said in product(*(VARIANT_WORDS[w] for w in words))]
    return None


def english_spellings(alias: str) -> set[str]:
    """The English spellings of a normalized ``alias`` whose Chinese ends in variant words ("qx黑" -> "qx black",
    "qx blk"; "jh全盖" -> "jh full overlay", "jh full"; "墙吸银" -> "墙吸 silver", as dealers mix the two), none when a
    Chinese run of it has other words at its end or the alias is one variant word alone ("黑色": no product's name).
    Each run's variant words become their English words, spaced from what is around them."""
    runs = list(_CJK_RUN.finditer(alias))
    read = [_english_of(run.group(0)) or (run.group(0), [""]) for run in runs]     # "飞翼" of "飞翼xl粉" stays
    if not any(english for _, (english, *_) in read):
        return set()          # no variant word to say in English ("墨隼黑标容": 标容 ends it)
    if not re.search(r"[a-z0-9]", alias) and not any(stays for stays, _ in read):
        return set()          # an alias all in Chinese variant words ("黑色") names no product by them
    out: set[str] = set()
    for picked in islice(product(*(english for _, english in read)), _MOST):
        spelled, pos = [], 0
        for run, (stays, _), english in zip(runs, read, picked, strict=True):
            spelled += [alias[pos:run.start()], f"{stays} {english} " if english else stays]
            pos = run.end()
        spelled.append(alias[pos:])
        out.add(" ".join("".join(spelled).split()))
    return out


# the colour letters of product codes ("TY-LH-BK43", "YS-SM15-GY") -> the Chinese colours they may stand for
_COLOUR_CODES: dict[str, tuple[str, ...]] = {
    "bk": ("黑",), "blk": ("黑",), "wh": ("白",), "wt": ("白",), "wht": ("白",), "gy": ("灰",), "gr": ("灰", "绿"),
    "gry": ("灰",), "br": ("棕",), "bn": ("棕",), "pk": ("粉",), "bl": ("蓝", "黑"), "bu": ("蓝",), "rd": ("红",),
    "gd": ("金",), "sv": ("银",), "yl": ("黄",), "yw": ("黄",), "gn": ("绿",), "or": ("橙",), "pu": ("紫",),
}


def coded_spellings(code: str, name: str) -> set[str]:
    """A product code whose colour letters are said as the colour ("lh-bk43" -> "lh black 43", and "black lh 43"
    when the colour ends the code: "sm15-gy" -> "sm15 grey", "grey sm15"): only for the colour the product's
    ``name`` has (normalized both)."""
    segments = [re.findall(r"[a-z]+|\d+(?:\.\d+)?", seg) for seg in re.split(r"[-\s]+", code) if seg]
    colours = [(k, j, c) for k, seg in enumerate(segments) for j, t in enumerate(seg)
               for c in _COLOUR_CODES.get(t, ()) if c in name]
    if len(colours) != 1:
        return set()
    k, j, colour = colours[0]
    if not any(len(t) >= 2 or t[0].isdigit() for n, seg in enumerate(segments) for i, t in enumerate(seg)
               if (n, i) != (k, j)):
        return set()          # "bk-l": a colour and a size letter are no one product's code
    out: set[str] = set()
    for english in VARIANT_WORDS[colour]:
        said = [seg if n != k else [*seg[:j], f" {english} ", *seg[j + 1:]] for n, seg in enumerate(segments)]
        out.add(" ".join(" ".join("".join(seg) for seg in said).split()))
        if (k, j) == (len(segments) - 1, len(segments[-1]) - 1):
            out.add(" ".join([english, *("".join(seg) for seg in said[:-1]), "".join(said[-1][:-1])]).strip())
    return out
