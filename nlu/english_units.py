"""Sizes written with an English unit, in the Chinese unit catalogues write them with: "nvr 8ch" -> "nvr 8路",
"8 port poe switch" -> "8口 poe switch", "22 inch monitor" / '22" monitor' -> "22寸 monitor", "4mp bullet" ->
"400万 bullet", "4tb drives" -> "4t drives".

Catalogues of cameras, recorders, switches, screens and disks glue these sizes into their Chinese names
("守望8路录像机", "飞链8口PoE交换机", "22寸监视器", "星眸400万枪机", "监控硬盘4T"); a dealer writing English says the same
size with the English unit. ``nlu.normalize`` runs this over the message and the catalogue's keys alike, so one
spelling is compared with the other, and a catalogue written in English ("8 port switch") still matches itself.

Only a number with its unit right after it is respelled ("4 in wood", "ch" alone, "p" of "1P16A" stay as typed):
the units here have one meaning next to a number.
"""

from __future__ import annotations

import re

# "8ch", "16 ch", "8-channel", "4 channels": a recorder's channels
_CHANNELS = re.compile(r"(?<![\w.])(\d{1,2})\s?-?\s?(?:ch|channels?)(?![a-z0-9])")
# "8port", "8 port", "8-port", "24 ports": a switch's ports
_PORTS = re.compile(r"(?<![\w.])(\d{1,2})\s?-?\s?ports?(?![a-z0-9])")
# "22 inch", "22-inch", "10 inches", '32" monitor' (a quote right after the number, a word after it): a screen or
# a shower head across
_INCHES = re.compile(r"(?<![\w.])(\d{1,2}(?:\.\d)?)(?:\s?-?\s?inch(?:es)?(?![a-z0-9])|\"(?=\s?[a-z\u4e00-\u9fff]))")
# "4mp", "2 mp", "8MP": a camera's megapixels, 万 pixels in Chinese (4 MP = 400万)
_MEGAPIXELS = re.compile(r"(?<![\w.])(\d{1,2})\s?mp(?![a-z0-9])")
# "4tb", "2 tb": a disk's terabytes, written "4T" in Chinese names
_TERABYTES = re.compile(r"(?<![\w.])(\d{1,2})\s?tb(?![a-z0-9])")


def units_in_chinese(text: str) -> str:
    """``text`` (lower case) with English units after a number as the Chinese units catalogues glue to it."""
    if not re.search(r"\d\s?-?\s?[a-z\"]", text):
        return text
    text = _CHANNELS.sub(r"\1路", text)
    text = _PORTS.sub(r"\1口", text)
    text = _INCHES.sub(r"\1寸", text)
    text = _MEGAPIXELS.sub(lambda m: f"{int(m.group(1)) * 100}万", text)
    return _TERABYTES.sub(r"\1t", text)
