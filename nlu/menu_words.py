"""The main menu asked for in words (QA s27 P21): "主菜单", "回到主菜单", "返回菜单", "menu". That is the 🏠 主菜单 button
pressed (the menu, a draft offered back, an open cart said to be kept), never the list of /commands (that is for
"帮助", "/help").
"""

from __future__ import annotations

import re

_MENU = re.compile(
    r"^(?:🏠\s*)?(?:请|帮我)?(?:回到|回|返回|退回|退到|去|打开|显示|给我)?\s*(?:主菜单|菜单|首页|主页|主界面)"
    r"(?:吧|呢|啊)?[。.!！]?$"
    r"|^(?:back\s+to\s+(?:the\s+)?)?(?:main\s+)?menu[.!]?$",
    re.IGNORECASE)


def menu_asked(text: str) -> bool:
    """True when ``text`` asks for the main menu and nothing else."""
    return bool(_MENU.match(text.strip()))
