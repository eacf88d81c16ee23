"""Typing that says nothing: a run of keys ("asdfghjkl", "asdkjh qwe 啊啊啊"). A chat answers it "not understood"
rather than looking its letters up as a product ("DH12/DH20/DH50?") or taking it for English."""

from __future__ import annotations

import re

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_CONSONANT_RUN = re.compile(r"[^aeiouy]{5,}")
_VOWEL = re.compile(r"[aeiouy]")
_TOKENS = re.compile(r"[^\s,，.。!！?？~～;；、]+")
# sounds, not words: "啊啊啊", "呃", "哈哈"
_SOUNDS = frozenset("啊阿呀哦噢喔嗯恩呃额唉哎诶欸哈嘿嘻呵吧")


def wordlike(word: str) -> bool:
    """Could the lowercase Latin ``word`` be a word (a vowel, no five consonants in a row, not four keys of a
    keyboard row in order)?"""
    if not _VOWEL.search(word) or _CONSONANT_RUN.search(word):
        return False
    return not any(row[i:i + 4] in word for row in _KEYBOARD_ROWS for i in range(len(row) - 3))


def _noise(token: str) -> bool:
    """A token that is no word: letters that are no word, a sound ("啊啊啊"), one key held down ("jjjj")."""
    if len(set(token)) == 1 and len(token) >= 3:
        return True
    if all(ch in _SOUNDS for ch in token):
        return True
    return _keys(token)


def _keys(token: str) -> bool:
    """Five letters or more that are no word ("asdkjh", "sdfsdf"); shorter ones may be a code or a short form
    ("dh", "thx")."""
    return token.isascii() and token.isalpha() and len(token) >= 5 and not wordlike(token.lower())


def is_keyboard_mash(text: str) -> bool:
    """"asdkjh qwe 啊啊啊", "sdfsdf jjjj": every token noise, or at most three letters beside one that is noise
    and no word; nothing with a digit (a code, "AP300") or a Chinese word."""
    tokens = _TOKENS.findall(text.strip())
    if not tokens or any(ch.isdigit() for t in tokens for ch in t):
        return False
    if not any(_keys(t) for t in tokens) and not any(len(set(t)) == 1 and len(t) >= 3 for t in tokens):
        return False
    return all(_noise(t) or (t.isascii() and t.isalpha() and len(t) <= 3) for t in tokens)
