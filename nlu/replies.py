"""Short answers to the bot's own question, read the same way in every form.

- ``is_confirmation``: "确认", "提交", "好的 确认", "没问题 提交吧", "ok", "confirm" under a summary waiting for its
  ✅ button: the button pressed;
- ``is_keep``: "就用这个", "用这个", "对 就这样", "可以" at a step that offers what was said before ("问题描述：…
  点“使用此描述”"): that text kept, never stored as the answer;
- ``says_yes``: "是的", "确定", "yes", "ok", "yes cancel it", "是的 不要了", "对 放弃购物车" under a card asking one thing
  (its confirming button): that button pressed (``handlers.service``), whatever the card;
- ``says_no``: "不", "算了", "取消", "先不了", "no" under such a card: its declining button pressed (nothing done).
"""

from __future__ import annotations

import re

from nlu.normalize import normalize

_END = " .!?~,。！？~～"
_OK = r"(?:好的?|ok|okay|嗯+|行|可以|没问题|对|对的|没错|是的|yes)"
_CONFIRM = re.compile(
    rf"(?:{_OK}[,， ]*)?(?:(?:确认|确定)(?:提交|无误|一下)?|提交(?:吧|一下|审批|申请)?|送审|{_OK}|confirm|submit|send it)"
    r"(?:吧|了|啊|哈|的)?", re.IGNORECASE)
_KEEP = re.compile(
    rf"(?:{_OK}[,， ]*)?(?:就|直接)?(?:用|使用)?(?:这个|这样|上面的?|那个|原来的?|此|该|这句话?|那句话?)(?:描述|吧|就行|就可以|就好|可以)?"
    rf"|{_OK}|就这样|keep it|use (?:it|this|that)", re.IGNORECASE)


_LEAD_SYMBOLS = re.compile(r"^[^\w\u4e00-\u9fff]+")     # "✅ 确认提交", "✔ 使用此描述": a button's label typed or pasted


def _said(text: str) -> str:
    return _LEAD_SYMBOLS.sub("", normalize(text)).strip(_END)


def is_confirmation(text: str) -> bool:
    return bool(_CONFIRM.fullmatch(_said(text)))


# "确认", "确认下单", "提交订单", "confirm order": a cart's Confirm typed (after the order went in: no second order)
_ORDER_CONFIRM = re.compile(r"(?:(?:确认|确定)(?:一下)?(?:下单|提交|订单|无误)?|提交订单|下单吧?|confirm(?: (?:the )?order)?|"
                            r"place (?:the )?order)(?:吧|了|啊)?", re.IGNORECASE)


def confirms_order(text: str) -> bool:
    """A cart's Confirm said in words ("确认", "确认下单"), not a bare "ok" (that thanks as much as it confirms)."""
    return bool(_ORDER_CONFIRM.fullmatch(_said(text)))


# a yes to the question a card asks, then (optional) what it says yes to: the card's own verb, "do it", its button's
# label. Never 提交 or 送审 (a yes to a cancel is no submit) and nothing with a "not" ("是的 不要取消" is no yes).
_YES_LEAD = (r"(?:是的?|是啊|对的?|对啊|对呀|嗯+|好的?|好吧|好啊|行|可以|没问题|没错|当然|确定|确认|要的?|"
             r"yes|yeah|yep|yup|sure|ok|okay|of course|right|please|y)")
_YES_TAIL = (r"(?:(?:确认|确定|就|直接|帮我|给我)?(?:取消|清空|放弃|删除?|删掉|去掉|不要|不需要|不用)(?:吧|掉|了|它)*"
             r"(?:(?:这个|那个|这|那)?(?:订单|单子?|购物车)|它)?(?:吧|了)*|"
             r"就这样|就这么办|照办|办吧|弄吧|(?:please )?(?:cancel|drop|clear|empty|delete|remove)(?: (?:it|them|that|"
             r"this|the (?:order|cart))| all)*(?: please)?|do it|go ahead|please|confirmed?|i(?:'m| am) sure)")
_YES = re.compile(rf"{_YES_LEAD}(?:[,， ]*{_YES_LEAD})*(?:[,， ]*(?P<tail>.+))?", re.IGNORECASE)
_YES_ONLY_TAIL = re.compile(_YES_TAIL, re.IGNORECASE)
_LABEL_NOISE = re.compile(r"[^\w\u4e00-\u9fff]+")


def _label(text: str) -> str:
    return _LABEL_NOISE.sub("", normalize(text))


def says_yes(text: str, labels: tuple[str, ...] = ()) -> bool:
    """A yes to the one thing a card asks ("确认取消订单…吗？" [确认取消] [不取消]): "是的", "确定", "ok", "yes cancel it",
    "是的 不要了", or a yes and the confirming button's label (``labels``: "对 放弃购物车"). Not a bare verb ("取消" is
    the chat's cancel word) and nothing more than the yes and its verb: "好的 再来5台AP300" says more than yes."""
    said = _said(text)
    found = _YES.fullmatch(said)
    if found is None:
        return False
    tail = (found.group("tail") or "").strip(_END)
    if not tail:
        return True
    if _YES_ONLY_TAIL.fullmatch(tail):
        return True
    plain = _label(tail)
    return bool(plain) and any(plain == _label(label) for label in labels)


# a no to the question a card asks ("确认通过？" [✅ 通过] [取消]): a bare no, never with what else to do ("不 驳回吧",
# "不通过" say more than no: they are read as ever)
_NO_WORD = (r"(?:不|不要|不用|不了|不行|不对|不是|否|别|先不|先不要|先别|先不用|暂时不|暂不|算了|取消|不确认|"
            r"no|nope|nah|cancel|never ?mind|not now|not yet)")
_NO = re.compile(rf"{_NO_WORD}(?:吧|了|啦|啊|呢|的)*(?:[,， ]*{_NO_WORD}(?:吧|了|啦|啊|呢|的)*)*(?:[,， ]*(?:谢谢|thanks?))?",
                 re.IGNORECASE)


def says_no(text: str) -> bool:
    """A no to the one thing a card asks: "不", "算了", "取消", "不用了", "先不了", "no", "no thanks"; not "不通过" or
    "不 驳回吧" (a decision, not a no to this card)."""
    return bool(_NO.fullmatch(_said(text)))


def is_keep(text: str) -> bool:
    return bool(_KEEP.fullmatch(_said(text)))


# "done", "next", "完成", "下一步": a form's own button typed (QA s28 #13: "done" was stored as the address)
_CONTROL = re.compile(r"(?:all )?done|finish(?:ed)?|next(?: step)?|continue|go on|that'?s (?:it|all)|submit it|"
                      r"完成|好了|就这些|下一步|继续|提交|确认|取消|cancel", re.IGNORECASE)


def is_form_control(text: str) -> bool:
    """"use this", "done", "ok", "就用这个", "完成": an answer to the form's buttons ("✔ Use this", "✅ Done"), never
    a value such as a customer's name or an address."""
    said = _said(text)
    return bool(_CONTROL.fullmatch(said) or _KEEP.fullmatch(said) or _CONFIRM.fullmatch(said))


# "批号是B2411-07", "批次：B2411-07", "生产批号为 B2411-07", "lot no. B2411-07", "batch# 2411": the number, without
# the words that say what it is (stored and counted per batch, so "批号是B2411-07" and "B2411-07" are one batch)
_BATCH_LEAD = re.compile(r"^(?:生产)?(?:批号|批次号?|批次编号)(?:是|为)?\s*[:：#]?\s*|"
                         r"^(?:lot|batch)(?:\s*(?:no\.?|number|#))?\s*(?:is\s+)?[:：#]?\s*", re.IGNORECASE)


def batch_number(text: str) -> str:
    """The batch (lot) number said at a form's batch step, its lead words left out ("批号是B2411-07" -> "B2411-07")."""
    said = text.strip().strip(" .。,，!！")
    return _BATCH_LEAD.sub("", said, count=1).strip() or said


# a question, whatever it asks: a question mark, a particle asking ("吗", "呢" at the end, "…了没"), or a question word
_QUESTION = re.compile(
    r"[?？]|吗|[呢没]$|了没有?|没有?[?？]?$|多少|几[个台天单件次号]|哪[些个里儿天]|什么|啥|怎么|咋|如何|有没有|是不是|是否|能不能|"
    r"可不可以|\b(?:how|what|when|where|which|why|is there|do i|did|does)\b", re.IGNORECASE)


def is_question(text: str) -> bool:
    """"我那单审了没", "信用额度还剩多少", "预存款呢": the words ask something (typed into a form, they are no answer to
    its question when they read as a question the chat can answer aside)."""
    return bool(_QUESTION.search(re.sub(r"[\s.!~,。！～]+$", "", normalize(text))))
