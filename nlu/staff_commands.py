"""What a staff member types as a command, in words: a typed result, or None when it is no staff command.

Read before the dealer parser, for staff only (``handlers.flows.staff_words``); nothing here acts: the
handler shows the same confirm card the buttons lead to.

- a number alone, or with words around it ("SO-20261204-0001", "看看 QF-20261203-0001", "AS20261204 0001"):
  ``OPEN`` that record's card. Kinds by prefix: SO order, AS after-sales ticket, QF quality report, FY expense
  claim, FR refund/adjustment request, CR credit request; a statement as ``ST-D0007-2026-11`` or
  "D0007 2026-11 对账单";
- a dealer's statement in words, by code or name, with a month or none ("D0003 11月对账单", "嘉禾家电上个月的对账单
  发我看下", "杭州嘉禾 对账单"): ``OPEN`` of kind ``STATEMENT`` with no number, the dealer words and the month words
  (``statement_month`` reads them; none: the dealer's latest);
- "把合肥新锐那单批了", "批一下 SO-…", "SO-… 通过": ``APPROVE`` (the number, or the dealer words);
  "驳回 SO-…", "合肥新锐那单不批": ``REJECT``, with the reason when one is typed with it ("SO-… 驳回 价格不对",
  "驳回SO-…，原因：重复下单"): the handler asks to confirm it instead of asking for one;
- "SO-20261204-0001 发货 德邦 DP123456": ``SHIP`` with the carrier and tracking number when given;
  "SO-… 配货": ``ALLOCATE``;
- "AS-… 修好了", "AS-… 已解决", "AS-… fixed": ``RESOLVE`` (not "还没修好", "修好了吗": those stay ``OPEN``);
  "AS-… 受理": ``ACCEPT``; "AS-… 开始处理": ``START``; with a ticket on screen the same words alone:
  ``ticket_step_said`` (the resolution said with "修好了 换了浮子开关");
- "给杭州嘉禾开个售后单", "帮 D0012 建个工单": ``NEW_TICKET`` for the dealer words;
- a dealer code alone ("D0008", "查下 D0008"): ``OPEN`` the dealer's card (kind ``DEALER``);
- ``parse_queue_filter("合肥新锐 超时")``: the words after a queue command ("/tickets 合肥新锐"): dealer words and
  a status word (超时 -> ``late``, 待受理 -> ``open``, 调查中 -> ``investigating`` ...).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from nlu.decision_words import decision_said, order_named, this_shipped
from nlu.granted_qty import granted_qty


class StaffVerb(StrEnum):
    OPEN = "open"
    APPROVE = "approve"
    REJECT = "reject"
    SHIP = "ship"
    ALLOCATE = "allocate"
    NEW_TICKET = "new_ticket"
    RESOLVE = "resolve"
    ACCEPT = "accept"        # a ticket taken on ("AS-… 受理")
    START = "start"          # a ticket's work begun ("AS-… 开始处理")


class RefKind(StrEnum):
    ORDER = "order"
    TICKET = "ticket"
    QUALITY = "quality"
    CLAIM = "claim"
    FINANCE = "finance"
    CREDIT = "credit"
    STATEMENT = "statement"
    DEALER = "dealer"


PREFIXES: dict[str, RefKind] = {"SO": RefKind.ORDER, "AS": RefKind.TICKET, "QF": RefKind.QUALITY,
                                "FY": RefKind.CLAIM, "FR": RefKind.FINANCE, "CR": RefKind.CREDIT}


@dataclass(frozen=True)
class StaffCommand:
    verb: StaffVerb
    kind: RefKind | None = None
    number: str | None = None        # normalized: SO-20261204-0001; a statement: ST-D0007-2026-11
    dealer: str | None = None        # dealer words as typed ("合肥新锐", "D0012")
    carrier: str | None = None
    tracking: str | None = None
    reason: str | None = None        # REJECT: the words typed with it ("SO-… 驳回 价格不对" -> "价格不对")
    when: str | None = None          # a statement's month as typed ("11月", "上个月"): see ``statement_month``
    amount: Decimal | None = None    # the order's amount said with the dealer ("德润那单6048的通过")
    # APPROVE / REJECT of no number and no dealer: the record just shown ("这单批了吧", "没问题 审过", "驳回 金额太大"),
    # or the waiting order whose number ends in ``tail`` ("0011没问题 审过")
    this: bool = False
    tail: str | None = None


@dataclass(frozen=True)
class QueueFilterWords:
    dealer: str | None = None
    status: str | None = None
    new: bool = False           # "有新工单没", "新增的质量反馈": the ones just come in


CARRIERS = ("顺丰", "德邦", "京东物流", "京东", "中通", "圆通", "申通", "韵达", "极兔", "EMS", "跨越", "安能", "百世")
_NUMBER = re.compile(r"(?<![A-Za-z])(SO|AS|QF|FY|FR|CR)[-_ ]?(\d{8})[-_ ]?(\d{4})(?!\d)", re.IGNORECASE)
_STATEMENT = re.compile(r"ST[-_ ]?(D\d{4})[-_ ]?(\d{4})[-_ ]?(\d{2})(?!\d)", re.IGNORECASE)
_STATEMENT_WORDS = re.compile(r"(D\d{4})\s*的?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*月?\s*的?\s*(?:对账单|账单)",
                              re.IGNORECASE)
# "D0003 11月对账单", "嘉禾家电上个月的对账单发我看下", "查下杭州嘉禾的对账单": the dealer words, the month words
_MONTH_WORDS = r"(?:上上个?月|上个?月|本月|这个月|当月|\d{4}\s*[-年/.]\s*\d{1,2}\s*月?份?|\d{1,2}\s*月份?)"
_STATEMENT_ASK = re.compile(r"^(?:查一?下|查查|看看|看一?下|发一?下|打开|把)?\s*(?P<who>[^\s，,。?？]{2,30}?|D\d{4,6})\s*的?\s*"
                            rf"(?P<when>{_MONTH_WORDS})?\s*的?\s*(?:对账单|账单)"
                            r"\s*(?:发我看?一?下|发我|发一?下|看看|看一?下|呢|吗|给我)?\s*[?？。!！]?$", re.IGNORECASE)
_APPROVE = re.compile(r"(批了|批准|批一下|批掉|给批|批吧|审批通过|审核通过|通过|同意|审过|过审|审核过|approve)", re.IGNORECASE)
_REJECT = re.compile(r"(驳回|拒绝|不批|打回|reject)", re.IGNORECASE)
_SHIP = re.compile(r"(发货|发了|发出|ship)", re.IGNORECASE)
_ALLOCATE = re.compile(r"(配货|配一下|分配仓库|分仓|安排配货|allocate)", re.IGNORECASE)
# what else "这单批了吧", "0011没问题 审过", "ok approve it" say besides the approve word: nothing of the order itself
_THIS_WORDS = re.compile(r"(?:订单|单号)?尾号(?:是|为)?|那一?单|订单|单号|这一?单|这张单?|这个单子?|这笔单?|这个|此单|该单|它|没问题|没毛病|可以的?|行的?|好的?|就|先|给|帮我|"
                         r"我看|看了|看过了?|也|一下|吧|了|啊|呀|呗|的|\b(?:ok|okay|this|one|order|it|please|fine)\b",
                         re.IGNORECASE)
# "这单驳回 金额太大", "0011 驳回，原因：重复下单", "不批 请分两批下单": the reject word first (after "this order"), the
# reason after it; a question ("驳回的订单有哪些") is none
_THIS_REJECT = re.compile(r"^(?:(?P<tail>\d{4})\s*(?:那单|这单|号)?|这一?单|这张单?|这个单子?|这笔单?|这个|此单|该单)?\s*"
                          r"(?:驳回|不批|打回|拒绝|reject)(?:掉|了|吧|它|this)*(?P<rest>.*)$", re.IGNORECASE)
# "0001没问题", "0001 可以", "0001 ok": said of an order's number end alone, its approval (a confirm follows)
_FINE = re.compile(r"没问题|没毛病|可以|\b(?:ok|okay|fine|lgtm)\b", re.IGNORECASE)
_QUESTION = re.compile(r"[?？吗么]|哪些|多少|几[个单张笔]|什么|怎么|有没有|\b(?:which|how|what)\b", re.IGNORECASE)
_TAIL = re.compile(r"(?<![\d\-A-Za-z])(\d{4})(?!\d)")
# "AS-… 修好了", "已经处理好了", "搞定", "fixed": the ticket's problem is solved (a question or a "not" before it:
# no; "还没修好", "修好了吗", "not fixed yet")
_FIXED = re.compile(r"修好|修复|修完|换好|解决|处理好|处理完|弄好|搞好|搞定|完工|完成|好了|"
                    r"\b(?:fixed|resolved|repaired|solved|sorted|done)\b", re.IGNORECASE)
_NOT_FIXED = re.compile(r"没|未|不|吗|么|[?？]|\bnot\b|n't|\bno\b|\byet\b|\bif\b|\bwhen\b", re.IGNORECASE)
# "AS-… 受理", "AS-… 开始处理", "接单", "在修了": a ticket taken on, its work begun (a question or a "not": no)
_ACCEPT_SAID = re.compile(r"^(?:我|我们)?(?:先|已经?|已)?(?:受理|接单|接了|接下|接手|accept(?:ed)?|take it)(?:了|吧|一下)?$",
                          re.IGNORECASE)
_START_SAID = re.compile(r"^(?:我|我们)?(?:已经?|已|现在)?(?:开始|着手|在|正在)(?:处理|维修|修|弄|搞|跟进)(?:了|吧|中|一下)?$"
                         r"|^处理中$|^(?:start(?:ed)?|in progress|working on it)$", re.IGNORECASE)
# with a ticket on screen: "完成", "修好了 换了浮子开关", "搞定了，客户确认正常": its problem solved, the words its
# result; the state word leads (not "好了，明天上门"), the first clause has no "not" nor the message a question
_FIXED_LEAD = re.compile(r"^(?:我|我们)?(?:已经?|已|都)?(?:修好|修复|修完|换好|解决|处理好|处理完|弄好|搞好|搞定|完工|完成|"
                         r"fixed|resolved|repaired|solved|done)(?:了|啦|喽|咯|好了)?", re.IGNORECASE)
_SAID_FILLER = re.compile(r"[\s,，。.!！~～、:：;；]+")


def _ticket_step(words: str) -> StaffVerb | None:
    said = _SAID_FILLER.sub("", words)
    if _ACCEPT_SAID.match(said):
        return StaffVerb.ACCEPT
    if _START_SAID.match(said):
        return StaffVerb.START
    return None


@dataclass(frozen=True)
class TicketStep:
    """A ticket's next state said in words while its card is on screen."""
    verb: StaffVerb                  # ACCEPT, START or RESOLVE
    note: str | None = None          # RESOLVE: the words, when more than the state word ("修好了 换了浮子开关")


def ticket_step_said(text: str) -> TicketStep | None:
    """"受理", "开始处理", "完成", "修好了 换了浮子开关" typed under a ticket's card: the step it asks for; None for
    anything else ("已联系客户，明天上门" is a note, "修好了吗" a question)."""
    text = _clean(text)
    if not text or len(text) > 200 or find_number(text) is not None:
        return None
    if (step := _ticket_step(text)) is not None:
        return TicketStep(step)
    m = _FIXED_LEAD.match(text)
    first = re.split(r"[\s,，。;；!！]", text, maxsplit=1)[0]
    if m is None or _NOT_FIXED.search(first) or re.search(r"[?？]|[吗么]\s*$", text):
        return None
    rest = _SAID_FILLER.sub("", text[m.end():])
    return TicketStep(StaffVerb.RESOLVE, text[:500] if len(rest) >= 2 else None)


_NEW_TICKET = re.compile(r"(?:给|帮|替|为)\s*(?P<who>.+?)\s*(?:开|建|新建|创建|提|录)\s*(?:一)?(?:个|张|条)?\s*"
                         r"(?:售后单|售后工单|工单|售后)")
_NEW_TICKET_BARE = re.compile(r"(?:开|建|新建|创建)\s*(?:一)?(?:个|张)?\s*(?:售后单|售后工单)\s*(?:给|for)?\s*(?P<who>.*)$")
# "把合肥新锐那单批了", "合肥新锐的单子批一下", "批一下合肥新锐的订单"
_DEALER_ORDER = re.compile(r"(?:把|将)?\s*(?P<who>[^\s，,。]{2,20}?)\s*(?:那单|那张单|那个单|的单子|的订单|的单|那笔单)")
_TRACKING = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{0,4}\d[A-Za-z0-9-]{5,40})(?![A-Za-z0-9])")
# "D0008", "查下 D0008", "D0008 的情况": the dealer's card
# "D0012", "看下D0012的资料", "审批D0022的入驻" (its application card, with the decision buttons)
_DEALER_CODE = re.compile(r"^(?:查一?下|查查|看看|看一?下|打开|open|show|审批|审核|批一?下|处理一?下)?\s*(D\d{4,6})\s*"
                          r"(?:的?(?:情况|资料|信息|档案|卡片|入驻申请|入驻|加盟申请|加盟|申请))?\s*(?:吧|一下)?\s*[?？]?$",
                          re.IGNORECASE)
_FILLER = re.compile(r"^(?:把|将|给|帮|看看|看下|查一下|查查|打开|open|show)\s*")

STATUS_WORDS: dict[str, str] = {
    "超时": "late", "逾期": "late", "late": "late", "overdue": "late",
    "待受理": "open", "新工单": "open", "未受理": "open",
    "已受理": "accepted", "处理中": "in_progress", "待补充": "waiting_dealer",
    "新反馈": "new", "待调查": "new", "调查中": "investigating", "已定措施": "action_planned", "措施已定": "action_planned",
    "待审批": "pending", "待批": "pending", "要批": "pending", "没批": "pending", "未批": "pending", "要审批": "pending", "待发货": "approved", "已批准": "approved",
    "待生产": "in_production", "生产中": "in_production",
}


# "双十二都有谁参加了", "换新季哪些经销商报名了", "复购季参加的经销商": who is in a campaign (marketing's question)
CAMPAIGN_JOINERS = (r"(?:都?有?谁|都?有哪些(?:经销商|家)?|哪些经销商|哪几家|哪些家|几家|多少家)\s*(?:参加|参与|报名|报了名)了?"
                    r"|(?:参加|参与|报名)(?:了)?的(?:经销商|有哪些|有谁|名单)|(?:参加|参与|报名)(?:名单|情况)")


# "哪些经销商还没报名冬季活动", "谁没参加双十二", "没报名的名单", "who hasn't joined": the target dealers not in it
CAMPAIGN_NOT_JOINED = (r"(?:都?有?谁|都?有哪些(?:经销商|家)?|哪些经销商|哪几家|哪些家|哪家|几家|多少家)\s*(?:还)?\s*"
                       r"(?:没有?|未|没)\s*(?:参加|参与|报名)(?!.{0,3}(?:动销|销量|库存))|(?:还)?(?:没有?|未)(?:参加|参与|报名)的(?:经销商|有哪些|有谁|名单)"
                       r"|who (?:hasn'?t|has not|haven'?t|have not|didn'?t|did not) (?:yet )?(?:join|sign)")


# "复购季发布", "把复购季推给经销商", "发布复购季活动", "复购季可以上线了": launch a planned campaign (a confirm first)
CAMPAIGN_LAUNCH = (r"^(?:把|将)?\s*(?:发布|上线|推送|启动|开始)?\s*[^\s，,。]{2,30}?\s*(?:活动)?\s*"
                   r"(?:发布|上线|推送|启动|推给(?:经销商|大家|所有经销商|各家)?|发给(?:经销商|大家|所有经销商|各家)|"
                   r"可以发布了|可以上线了|发出去)(?:吧|一下|了)?[。!！]?$|^(?:发布|上线|推送|启动)\s*[^\s，,。]{2,30}$")

# the launch words, left out before the campaign's name is compared ("把复购季推给经销商" -> "复购季")
CAMPAIGN_LAUNCH_WORDS = r"把|将|发布|上线|推送|启动|开始|推给|发给|经销商|大家|所有|各家|可以|发出去|吧|一下|了"


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


_CODE_ANYWHERE = re.compile(r"(?<![A-Za-z0-9])(D\d{4,6})(?!\d)", re.IGNORECASE)


def dealer_code_in(text: str) -> str | None:
    """A dealer code written among other words ("D0002 的余额", "d0007那家"), upper-cased; None when there is none."""
    m = _CODE_ANYWHERE.search(_clean(text))
    return m.group(1).upper() if m else None


# "帮D0002下个单 AP500 10台", "给金鼎订一单 AP300 20台", "替合肥新锐下单": the dealer an order is placed for
_ORDER_FOR = re.compile(r"^(?:请)?(?:帮|给|替|为|代)\s*(?P<who>D\d{4,6}|[^\s\d，,。:：]{2,12}?)\s*(?:下|订|落|报|开|做)\s*"
                        r"(?:个|一个|一|张|一张|笔|一笔)?\s*(?:单子?|订单)", re.IGNORECASE)


def dealer_ordered_for(text: str) -> str | None:
    """The dealer a staff member places an order for, as typed with the order ("帮D0002下个单 AP500 10台" ->
    "D0002", "给金鼎订一单…" -> "金鼎"); a dealer code anywhere in it otherwise; None when none is said."""
    text = _clean(text)
    m = _ORDER_FOR.match(text)
    if m is not None:
        return m.group("who").upper() if _CODE_ANYWHERE.fullmatch(m.group("who")) else m.group("who")
    return dealer_code_in(text)


# "嘉禾这个月卖得怎么样", "杭州嘉禾上个月动销多少", "新锐的业绩咋样": the words naming one dealer in a sales question
_SALES_OF = re.compile(
    r"^(?:查一?下|看一?下|看看)?\s*(?P<who>[^\s，,。?？\d]{2,12}?)\s*的?\s*"
    r"(?:这个?月|本月|上个?月|今年|本季度?|这季度|上季度|最近|这周|本周)?\s*的?\s*"
    r"(?:卖得?(?:怎么样|咋样|如何|好不好|多少|怎样)|(?:动销|销量|销售|业绩|进货)(?:怎么样|咋样|如何|多少|情况)?)"
    r"(?:啊|呢|呀)?\s*[?？]?$")
# "德润最近咋样", "嘉禾这个月情况如何": how a dealer is doing lately, no sales word (a time word is needed: "AP300
# 咋样" is no dealer's question)
_LATELY_OF = re.compile(
    r"^(?:查一?下|看一?下|看看)?\s*(?P<who>[^\s，,。?？\d]{2,12}?)\s*的?\s*"
    r"(?:最近|近来|近期|这阵子|这段时间|这个?月|本月)\s*(?:的?(?:情况|表现))?\s*"
    r"(?:怎么样|咋样|如何|怎样|还行吗|好吗)了?(?:啊|呢|呀)?\s*[?？]?$")
_NOT_A_DEALER = re.compile(r"^(?:你|您|我|我们|咱们|俺们|大家|整体|总体|全部|所有|各家|经销商|哪些?|哪个|哪家|谁|产品|这个|那个|"
                           r"华东|华南|华北|华中|西南|西北|东北|全国|今天|本月|这个月|上个?月|今年|生意|市场|行情|销售|公司|业务)")


def dealer_words_in_sales_question(text: str) -> str | None:
    """The dealer a staff member names by words in a sales question ("嘉禾这个月卖得怎么样" -> "嘉禾"); None for no
    such question, or words that name no dealer (regions, "我们", "哪些经销商"). A code is ``dealer_code_in``."""
    m = _SALES_OF.match(_clean(text)) or _LATELY_OF.match(_clean(text))
    if m is None or _NOT_A_DEALER.match(m.group("who")):
        return None
    return m.group("who")


def words_besides_number(text: str) -> str:
    """What was typed with a record's number ("AS-… 换过主板了 可以结单" -> "换过主板了 可以结单"): offered as the
    record's result or note."""
    return _NUMBER.sub(" ", text).strip(" ，,。:：")


def find_number(text: str) -> tuple[RefKind, str] | None:
    """The first record number in ``text``, normalized (``so20261204 0001`` -> ``SO-20261204-0001``)."""
    text = _clean(text)
    m = _STATEMENT.search(text) or _STATEMENT_WORDS.search(text)
    if m:
        return RefKind.STATEMENT, f"ST-{m.group(1).upper()}-{m.group(2)}-{int(m.group(3)):02d}"
    m = _NUMBER.search(text)
    if m:
        return PREFIXES[m.group(1).upper()], f"{m.group(1).upper()}-{m.group(2)}-{m.group(3)}"
    return None


_REASON_LEAD = re.compile(r"^(?:[\s,，。:：;；、.!！-]|原因是?|理由是?|因为|由于|because|reason|的话)+", re.IGNORECASE)


def _reason(rest: str) -> str | None:
    """The words around the reject word once the number is out: "驳回 价格不对" -> "价格不对"; none: None."""
    words = _REJECT.sub(" ", rest, count=1)
    words = re.sub(r"^\s*(?:请|帮我|给我|把|将|这单|这个单子?|订单)?\s*", "", words)
    words = _REASON_LEAD.sub("", words.strip()).strip(" ,，。;；")
    words = re.sub(r"^(?:掉|了|吧|一下|去|回去)+(?=[\s,，。:：]|$)", "", words).strip(" ,，。:：;；")
    words = _REASON_LEAD.sub("", words).strip()
    return words[:200] if len(words) >= 2 else None


def _carrier(text: str) -> str | None:
    for name in CARRIERS:
        if name.lower() in text.lower():
            return "京东物流" if name == "京东" else name
    return None


def parse_staff_command(text: str) -> StaffCommand | None:
    """A staff command in ``text``, or None (then the dealer parser reads it)."""
    text = _clean(text)
    if not text or len(text) > 200:
        return None
    found = find_number(text)
    if found is not None:
        kind, number = found
        rest = (_STATEMENT.sub(" ", _NUMBER.sub(" ", text)))
        if kind == RefKind.ORDER and _SHIP.search(rest):
            carrier = _carrier(rest)
            tracking = next((t for t in _TRACKING.findall(rest)), None)
            return StaffCommand(StaffVerb.SHIP, kind, number, carrier=carrier, tracking=tracking)
        if kind == RefKind.ORDER and _ALLOCATE.search(rest):
            return StaffCommand(StaffVerb.ALLOCATE, kind, number)
        if kind == RefKind.TICKET and _FIXED.search(rest) and not _NOT_FIXED.search(rest):
            return StaffCommand(StaffVerb.RESOLVE, kind, number)
        if kind == RefKind.TICKET and (step := _ticket_step(rest)) is not None:
            return StaffCommand(step, kind, number)
        if kind == RefKind.ORDER and (decided := decision_said(rest, order_named=True)) is not None:
            # "SO-… ok", "SO-… 先别批 价格不对" (was: the card only; "SO-… 不通过" an approval)
            return StaffCommand(StaffVerb.APPROVE if decided.approve else StaffVerb.REJECT, kind, number,
                                reason=decided.reason)
        if _REJECT.search(rest):
            return StaffCommand(StaffVerb.REJECT, kind, number, reason=_reason(rest))
        if _APPROVE.search(rest):
            return StaffCommand(StaffVerb.APPROVE, kind, number)
        return StaffCommand(StaffVerb.OPEN, kind, number)
    asked = _STATEMENT_ASK.match(text)
    if asked and not re.fullmatch(_MONTH_WORDS + r"|我的?|我们的?|我司的?", asked.group("who")):
        return StaffCommand(StaffVerb.OPEN, RefKind.STATEMENT, dealer=asked.group("who"),
                            when=re.sub(r"\s+", "", asked.group("when") or "") or None)
    code = _DEALER_CODE.match(text)
    if code:
        return StaffCommand(StaffVerb.OPEN, RefKind.DEALER, code.group(1).upper(), dealer=code.group(1).upper())
    m = _NEW_TICKET.search(text) or _NEW_TICKET_BARE.search(text)
    if m:
        who = m.group("who").strip(" ，,。的") or None
        return StaffCommand(StaffVerb.NEW_TICKET, RefKind.TICKET, dealer=who)
    if (decided := decision_said(text)) is not None:
        # "0002没啥问题 批了吧", "0004先别批 价格不对", "这单可以 发吧" (was: 代客下单, a price answer, the help)
        return StaffCommand(StaffVerb.APPROVE if decided.approve else StaffVerb.REJECT,
                            RefKind.ORDER if decided.tail else None, reason=decided.reason, this=True, tail=decided.tail)
    if (shipped := this_shipped(text)) is not None:
        # "这单发货 顺丰 SF998877" under an order's card (was: every order listed)
        return StaffCommand(StaffVerb.SHIP, RefKind.ORDER, carrier=_carrier(shipped),
                            tracking=next((t for t in _TRACKING.findall(shipped)), None), this=True)
    if (named := order_named(text)) is not None:
        # "0002", "20261206-0002": that order's card (was: 代客下单 started, "12" the greeting menu)
        return StaffCommand(StaffVerb.OPEN, RefKind.ORDER, named.number, tail=named.tail)
    verb = StaffVerb.REJECT if _REJECT.search(text) else StaffVerb.APPROVE if _APPROVE.search(text) else None
    if verb is None and _TAIL.search(text) and _FINE.search(text):
        verb = StaffVerb.APPROVE     # "0001没问题": the waiting order ending 0001 is fine (never an order to place)
    if verb is not None and (this := _this_record(text, verb)) is not None:
        return this
    if verb is not None:
        m = _DEALER_ORDER.search(_REJECT.sub(" ", _APPROVE.sub(" ", _FILLER.sub("", text))))
        if m:
            who = _FILLER.sub("", m.group("who")).strip(" ，,。") or None
            if who:
                said = _AMOUNT_SAID.search(text)
                return StaffCommand(verb, RefKind.ORDER, dealer=who,
                                    amount=Decimal(said.group(1).replace(",", "")) if said else None)
    return None


def _this_record(text: str, verb: StaffVerb) -> StaffCommand | None:
    """"这单批了吧", "批了", "没问题 审过", "0011没问题 审过": approve the record just shown (or the order whose number
    ends so); "这单驳回 金额太大", "0011 驳回": reject it, the reason typed with it kept. None: more is said
    (a dealer, a question: "通过率怎么样", "驳回的订单有哪些")."""
    if verb == StaffVerb.REJECT:
        m = _THIS_REJECT.match(text)
        if m is None or _QUESTION.search(text):
            return None
        reason = _reason(m.group("rest"))
        return StaffCommand(StaffVerb.REJECT, RefKind.ORDER if m.group("tail") else None, reason=reason,
                            this=True, tail=m.group("tail"))
    tails = _TAIL.findall(text)
    left = _THIS_WORDS.sub(" ", _APPROVE.sub(" ", _TAIL.sub(" ", text)))
    if len(tails) > 1 or re.sub(r"[\s,，。.!！~～:：、]+", "", left):
        return None
    return StaffCommand(StaffVerb.APPROVE, RefKind.ORDER if tails else None, this=True, tail=tails[0] if tails else None)


# an order's amount said with its dealer: "德润那单6048的", "6048元那单", "¥6,048的单"
_AMOUNT_SAID = re.compile(r"(?<![\d\-])[¥￥]?\s?(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{3,}(?:\.\d{1,2})?)\s*(?:元|块)?(?![\d\-])")


def statement_month(words: str | None, today: date) -> str | None:
    """The month ``words`` name as a statement's period "YYYY-MM" ("11月" the last November, "上个月", "2026-10"),
    never one after this month; None for no words or none read."""
    if not words:
        return None
    if m := re.fullmatch(r"(\d{4})[-年/.](\d{1,2})月?份?", words):
        year, month = int(m.group(1)), int(m.group(2))
    elif words in ("本月", "这个月", "当月"):
        year, month = today.year, today.month
    else:
        back = 2 if words.startswith("上上") else 1 if words.startswith("上") else 0
        if back:
            first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
            if back == 2:
                first = (first - timedelta(days=1)).replace(day=1)
            year, month = first.year, first.month
        elif m := re.fullmatch(r"(\d{1,2})月份?", words):
            month = int(m.group(1))
            year = today.year if month <= today.month else today.year - 1
        else:
            return None
    if not 1 <= month <= 12 or (year, month) > (today.year, today.month):
        return None
    return f"{year}-{month:02d}"


# "这周新增几个工单", "超时的有几个", "上个月AP300报修了多少次": a count asked for, not the list
_COUNT_ASKED = re.compile(r"几(?:个|条|单|件|次|张|笔)|多少(?:个|条|单|件|次|张|笔)?|数量|总数|how many|number of",
                          re.IGNORECASE)
# "有新工单没", "新增几条", "新来的反馈": what came in lately (and a question's trailing 没/吗 with it)
_NEW_SAID = re.compile(r"(?:有没有|有)?(?:新增加?|新来|新进|新报|新提交|新收到|新)(?:的)?")
_QUESTION_TAIL = re.compile(r"没有?|吗|么|呢|嘛")


# "#8", "#4 驳回 宣传单页库存不够了", "物料申请#6 发货": a material request by its number (as its list shows it)
HASH_REF = r"^(?:物料申请|物料|申请)?\s*#\s*(?P<id>\d{1,7})(?!\d)\s*(?P<rest>.{0,200})$"
# "金鼎那个样机的申请同意了", "把德润的海报申请驳回": a dealer's material request decided in words
MATERIAL_DECISION = (r"^(?:把|将)?\s*(?P<who>[^\s，,。#\d]{2,12}?)\s*(?:那个|那份|那张|的)\s*(?P<what>[^\s，,。]{0,12}?)\s*"
                     r"的?\s*(?:物料)?申请\s*(?:给他们?|给)?\s*(?P<verb>同意|批准|通过|批了|批一下|驳回|拒绝|不批)")
# "把金鼎的海报批了", "德润那个样机驳回": a material named (no "申请" said), the dealer's words before it
_MATERIAL_WORDS = r"海报|样机|展架|易拉宝|宣传单页?|宣传册|宣传页|折页|画册|物料|礼品|赠品|堆头|灯箱|台卡|门头|展台|展柜|KT板|吊旗|贴纸|POP"
MATERIAL_NAMED = (r"^(?:把|将)?\s*(?P<who>[^\s，,。#\d]{2,12}?)\s*(?:那个|那份|那张|那批|的)\s*"
                  rf"(?P<what>[^\s，,。\d]{{0,6}}?(?:{_MATERIAL_WORDS}))\s*(?:的?(?:物料)?申请)?\s*(?:给他们?|给)?\s*"
                  r"(?P<verb>同意|批准|通过|批了|批一下|批掉|批吧|驳回|拒绝|不批)(?:了|吧|掉|一下)?[。!！]?$")
_NOT_MATERIAL = re.compile(r"入驻|加盟|资质|额度|授信|退款|调账|核销|报销|费用")


@dataclass(frozen=True)
class RecordCommand:
    """A numbered record of a list acted on in words: "#4 驳回 …" (REJECT with the reason), "#6 发货", "#8"."""
    ref: int
    verb: StaffVerb
    reason: str | None = None
    qty: int | None = None          # "#8 批准 但是只给20套": fewer granted than asked (``nlu.granted_qty``)


def parse_hash_command(text: str) -> RecordCommand | None:
    m = re.match(HASH_REF, _clean(text), re.IGNORECASE)
    if m is None:
        return None
    rest, ref = m.group("rest"), int(m.group("id"))
    if _REJECT.search(rest):
        return RecordCommand(ref, StaffVerb.REJECT, _reason(rest))
    if _SHIP.search(rest):
        return RecordCommand(ref, StaffVerb.SHIP)
    if _APPROVE.search(rest):
        return RecordCommand(ref, StaffVerb.APPROVE, qty=granted_qty(rest))
    return RecordCommand(ref, StaffVerb.OPEN)


@dataclass(frozen=True)
class MaterialDecision:
    dealer: str                     # the dealer's words ("金鼎")
    what: str                       # the material's words, maybe none ("样机")
    verb: StaffVerb                 # APPROVE or REJECT


def parse_material_decision(text: str) -> MaterialDecision | None:
    """"金鼎那个样机的申请同意了", "把金鼎的海报批了": whose request, of what, approved or rejected; None for other applications
    ("D0022的入驻申请", "额度申请")."""
    text = _clean(text)
    m = re.match(MATERIAL_DECISION, text) or re.match(MATERIAL_NAMED, text)
    if m is None or _NOT_MATERIAL.search(text):
        return None
    verb = StaffVerb.REJECT if _REJECT.search(m.group("verb")) else StaffVerb.APPROVE
    return MaterialDecision(_FILLER.sub("", m.group("who")), m.group("what").strip("的"), verb)


# "这批货发给了哪些经销商", "这个批次都卖给谁了": where the product of the report at hand went
SHIPPED_TO = (r"^(?:那|这)?(?:批货?|批次|个批次|款|个产品|些货)?.{0,8}?(?:都|又)?(?:发给|发到|发往|卖给|给了|去了|流向|进了)了?\s*"
              r"(?:哪些|哪几家|哪家|哪里|哪儿|谁)(?:经销商|客户|店|家)?(?:了|呢|啊)?[?？]?$")


# "超时的有几个", "待受理的还有多少": a status's count, the queue left to the person's job
STATUS_COUNT = (r"^(?:现在|目前|当前)?(?:还)?(?P<status>超时|逾期|待受理|未受理|已受理|处理中|新反馈|待调查|调查中|待审批|待批|"
                r"没批|待发货)了?的?(?:还|一共|总共)?(?:有)?(?:几个|几条|几单|几张|多少个?|多少条|多少单)了?(?:啊|呢)?[?？]?$")


# "还有几单没审", "待审的单子有几个", "没批的订单还有多少", "还有几单没发货", "how many orders pending approval": how many
# orders wait at a step now (was: a stock check, or the day's figures); ``orders_waiting_asked`` names the step
_WAIT_STEP = "审批|审核|审|批|配货|发货"
_WAIT_COUNT = r"(?:几|多少)\s*(?:个|张|笔)?\s*(?:单子?|订单)"
ORDERS_WAITING = (
    rf"^(?:现在|目前|当前)?(?:还)?(?:有)?\s*{_WAIT_COUNT}\s*(?:还)?\s*(?:没有?|未|待|要|需要|等着?|等待)\s*(?P<a>{_WAIT_STEP})"
    r"(?:的)?(?:啊|呢|吗|呀)?\s*[?？]?$"
    rf"|^(?:现在|目前|当前)?(?:还)?(?:没有?|未|待|要|需要|等着?|等待)\s*(?P<b>{_WAIT_STEP})(?:了)?的?\s*(?:订单|单子?)\s*"
    r"(?:还|一共|总共|现在)?(?:有)?\s*(?:几个|几单|几张|几笔|多少个?|多少单|多少张|多少笔)(?:了)?(?:啊|呢|吗|呀)?\s*[?？]?$"
    r"|^how many (?:sales )?orders? (?:are |is )?(?:still )?(?:left )?(?:pending|waiting|awaiting|to|needing|need|in)"
    r"(?: for| to be| to get)?\s*(?P<en>approval|approve|approved|approving|review|allocation|allocate|allocated|"
    r"shipment|ship|shipped|shipping)(?: now)?\s*\??$")
_STEP_OF = {"审批": "approval", "审核": "approval", "审": "approval", "批": "approval", "配货": "allocation",
            "发货": "shipment"}


def orders_waiting_asked(text: str) -> str | None:
    """The step a "how many orders wait" question names: "approval", "allocation" or "shipment"; else None."""
    m = re.match(ORDERS_WAITING, _clean(text), re.IGNORECASE)
    if m is None:
        return None
    if m.group("en"):
        en = m.group("en").lower()
        return "allocation" if en.startswith("alloc") else "shipment" if en.startswith("ship") else "approval"
    return _STEP_OF[m.group("a") or m.group("b")]


_ASKS = re.compile(r"[?？]|[吗呢么]\s*$|哪|多少|几(?:个|条|次|台|家|批)|怎么|什么|是否|有没有|要不要|能不能|\bhow\b|\bwhat\b|"
                   r"\bwhich\b|\bwho\b", re.IGNORECASE)


def asks_something(text: str) -> bool:
    """A question ("这批货发给了哪些经销商"), not a statement that could be a note ("已通知供应商更换密封圈")."""
    return bool(_ASKS.search(_clean(text)))


_STATS_ASKED = re.compile(r"统计|汇总|分析|报表|按产品|按型号|按经销商|按批次|按类别|按问题|statistics|summary", re.IGNORECASE)


def stats_asked(text: str) -> bool:
    """Figures asked for ("本季度质量问题按产品统计一下"), not a list filtered by the words."""
    return bool(_STATS_ASKED.search(_clean(text)))


def count_asked(text: str) -> bool:
    """A question asking how many ("这周新增几个工单", "超时的有几个"), not which."""
    return bool(_COUNT_ASKED.search(_clean(text)))


_REPAIRS = re.compile(r"报修|售后|工单|维修|返修|\brepairs?\b|\btickets?\b", re.IGNORECASE)


def repairs_counted(text: str) -> bool:
    """"上个月AP300报修了多少次", "这个月售后单有几个": how many repairs (tickets), whatever intent the words read as."""
    return count_asked(text) and bool(_REPAIRS.search(text))


# "今天还有啥要弄的", "手上还有什么活没干完", "今天要干啥", "还有啥要我弄的不": the day's list asked for in
# everyday words (the stricter shapes are ``handlers.flows.staff_queues.today``'s own)
TODAY_EVERYDAY = (r"^(?:早|早上好|你好|hi|hello)?[\s,，!！]*(?:今天|今儿|现在|目前|手上|手头|我)?(?:还)?(?:有)?(?:什么|啥|哪些)"
                  r"(?:事|事情|单子?|东西|活儿?|工作)?(?:要|需要|等着?|待|该|没|得)?我?(?:弄|干|搞|忙|做|办|处理|跟进)(?:完|好|掉)?(?:的)?"
                  r"(?:事|活儿?|单子?)?(?:不|没|吗|呢|啊|呀)?[?？]?$"
                  r"|^(?:今天|今儿|现在|接下来)?(?:还)?(?:要|该|得)(?:干|做|弄|忙|处理)(?:点)?(?:啥|什么)(?:呢|啊|呀)?[?？]?$")

# question words a queue's filter is not ("有啥新工单": new ones, no dealer "有啥新")
_ASK_FILLER = re.compile(r"有啥|有没有|有什么|有哪些|啥|什么|哪些|咋样|怎么样")


def parse_queue_filter(text: str) -> QueueFilterWords:
    """The words after a queue command: a status word (see ``STATUS_WORDS``), "new" words, the dealer words left."""
    words = _clean(text)
    status = None
    for word, value in sorted(STATUS_WORDS.items(), key=lambda kv: -len(kv[0])):
        if word in words.lower():
            status = value
            words = re.sub(re.escape(word), " ", words, flags=re.IGNORECASE)
            break
    words = re.sub(r"[的，,。]", " ", _ASK_FILLER.sub(" ", words))
    new = False
    kept = []
    for word in words.split():          # whole words only: "合肥新锐" is a dealer
        if _NEW_SAID.fullmatch(word):
            new = True
        elif not _QUESTION_TAIL.fullmatch(word):
            kept.append(word)
    return QueueFilterWords(dealer=" ".join(kept) or None, status=status, new=new)
