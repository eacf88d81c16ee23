"""The dealer asking why the order cannot go in (QA s27 P22): "为啥不能下单", "怎么提交不了", "why can't I order".

With a cart open the answer is the cart's checks (a suspended account: why, and whom to ask), never "已回到主菜单".
"""

from __future__ import annotations

import re

_WHY_BLOCKED = re.compile(
    r"(?:为啥|为什么|为何|咋|怎么|怎么回事|啥原因|什么原因)\s*(?:我|我们)?\s*(?:还是|又|就)?\s*"
    r"(?:不能|不让|没法|没办法|无法|不可以|下不了|提交不了|订不了)\s*(?:下单|提交|订货|下|订|交)?"
    r"|(?:下单|提交|订货|下不了单)\s*(?:不了|不成|失败|不行)\s*(?:了)?\s*(?:为啥|为什么|咋回事|怎么回事)?"
    r"|why\s+(?:can'?t|cannot|can not)\s+(?:i|we)\s+(?:order|submit)",
    re.IGNORECASE)


def why_cannot_order(text: str) -> bool:
    """True when ``text`` asks why ordering (the submission) is refused."""
    return bool(_WHY_BLOCKED.search(text.strip())) and len(text.strip()) <= 40
