"""Texts shown in chat, zh-CN first, English second. Flows add their own keys with ``register``."""

from __future__ import annotations

from typing import Any

from nlu.nonsense import wordlike

_TEXTS: dict[str, tuple[str, str]] = {}


def register(texts: dict[str, tuple[str, str]]) -> None:
    """Add a flow's texts; a key defined twice is a programming error."""
    for key, pair in texts.items():
        if key in _TEXTS and _TEXTS[key] != pair:
            raise ValueError(f"text key defined twice: {key}")
        _TEXTS[key] = pair


def is_english(lang: str) -> bool:
    return lang.lower().startswith("en")


def t(lang: str, key: str, **params: Any) -> str:
    """The text for ``key`` in ``lang`` (zh-CN unless the language starts with "en")."""
    zh, en = _TEXTS[key]
    template = en if is_english(lang) else zh
    return template.format(**params) if params else template


def pick(lang: str, zh: str, en: str) -> str:
    return en if is_english(lang) else zh


register({
    "error.generic": ("抱歉，系统出了点问题，请稍后再试。您的消息没有丢失。",
                      "Sorry, something went wrong on our side. Please try again shortly; nothing was lost."),
    "error.button_stale": ("这个按钮已失效，请重新打开菜单。", "This button has expired. Please open the menu again."),
    "error.too_long": ("消息太长了（最多 {limit} 字），请分几条发送。",
                       "That message is too long (at most {limit} characters). Please split it."),
    "error.denied_staff": ("{reason}\n这项工作不在您的岗位权限内；/today 看您的待办，/help 看您能做的事。",
                           "{reason}\nThis is not part of your role; /today shows what waits for you, /help what you can do."),
    "error.flood": ("您发得太快了，请稍等几秒再试。", "You are sending messages too fast; please wait a few seconds."),
    "cancelled": ("已取消。", "Cancelled."),
    "cancel.cart_ask": ("购物车里还有 {n} 个商品。要放弃购物车吗？", "There are {n} item(s) in the cart. Drop the cart?"),
    "nothing_to_cancel": ("当前没有进行中的操作。", "There is nothing to cancel."),
    "lang.switched": ("已切换为中文。", "Switched to English."),
})


# words Chinese speakers type as they are ("hi", "ok", "thx"): alone they tell no language
_EVERYONES_WORDS = frozenset({"hi", "hello", "hey", "ok", "okay", "okk", "okok", "k", "yes", "yeah", "yep", "no", "nope",
                              "thanks", "thank", "you", "thx", "tks", "ty", "bye", "byebye", "good", "nice", "cool",
                              "sorry", "sry", "haha", "hahaha", "hh", "lol", "wow", "oh", "hmm", "emm", "en", "pls",
                              "please", "morning", "hello?", "hi~"})


def written_language(text: str) -> str | None:
    """The language a message is written in: "zh-CN" when it has Chinese characters, "en" when it is words
    in Latin letters only, None when it says nothing (a number, a code, an emoji, a button, or only words
    everyone types: "hi", "ok", "thanks")."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "zh-CN"
    words = [w.strip(".,!?'\"~～！？。，") for w in text.split()]
    words = [w for w in words if w.isalpha() and w.isascii() and not w.isupper()]   # "KQZXPW" is a code, not English
    if all(w.lower() in _EVERYONES_WORDS for w in words):
        return None
    words = [w for w in words if wordlike(w.lower())]          # "asdfghjkl" typed in a Chinese chat is no English
    if sum(len(w) for w in words) >= 3:
        return "en"
    return None


# A chat remembers the language it is written in as "<kept>" or, after one message in another language,
# "<kept>><last>" ("zh-CN>en"): one English phrase in a Chinese chat ("export excel", "whats my credit limit") is
# answered in English, and what follows it at once ("ok", a button) too, but the chat stays Chinese (a new
# session's menu, a command) until a second message in a row is English.
def kept_language(stored: str) -> str:
    """The chat's settled written language ("" before any)."""
    return stored.split(">", 1)[0]


def last_language(stored: str) -> str:
    """The language of the chat's last message that told one ("" before any)."""
    return stored.rsplit(">", 1)[-1]


def after_written(stored: str, written: str) -> str:
    """What the chat remembers after a message written in ``written``: the second in a row settles it."""
    kept = kept_language(stored)
    if not kept or written == kept or last_language(stored) == written:
        return written
    return f"{kept}>{written}"

