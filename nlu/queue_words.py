"""Staff naming their work queues in words (``handlers.flows.staff_queues``): the day's list ("今天有什么要处理的",
"我的待办"), a queue named with its status and dealer words ("有哪些售后单超时了", "合肥新锐的工单"), a queue
command typed without its slash ("qf 调查中"), a status's count ("超时的有几个").

The handlers route on the shapes here and take what they need from the functions; they read no words themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.services.queues import Queue
from nlu.dealer_asked import names_no_dealer
from nlu.staff_commands import STATUS_COUNT, STATUS_WORDS

# --- the day's list ---------------------------------------------------------------------------------------

#: whole messages asking for the day's list (a form step open takes them as its answer)
TODAY_PHRASES = ("今天", "待办", "待处理", "today",
                 # "今天有啥", "有啥事不": the day's list in a few words (啥 folds to 什么)
                 "今天有什么", "今天有什么事情", "今天干什么", "今天做什么", "今天忙什么", "有什么事", "有什么事不",
                 "有什么事没", "anything for me", "anything for me today", "anything today")
#: whole messages asking for the day's list that no form step takes as its answer
TODAY_ANYWHERE = ("今天有什么要处理的", "今天有什么要处理", "今天要处理什么", "今天有啥事", "我的待办",
                  "what's waiting", "what is waiting")
#: "现在有什么要我批的", "还有几个要处理": what waits for the person, asked in a sentence
TODAY_ASKED = (r"^(?:早|早上好|你好|hi|hello)?[\s,，!！]*(?:今天|现在|目前|手上)?(?:还)?(?:有)?(?:什么|啥|哪些|多少|几)"
               r"(?:事|事情|单子?|东西|活|个|件|笔)?"
               r"(?:要|需要|等着?|待)?我?(?:处理|批|审批|审核|审|看|办|做|跟进)(?:的)?(?:事|单子?)?(?:吗|呢|啊)?[?？]?$")
#: "今天的待办", "今日待办事项有哪些", "我的待办清单": the day's list named with 的 and a noun after it
TODAY_NAMED = (r"^(?:今天|今日|今儿|我|我今天)?的?(?:待办|待处理|待审批)(?:的)?(?:事项|事情|事|工作|任务|清单|列表|单子?)?"
               r"(?:有哪些|是什么|有什么|呢|吗)?[?？。]?$")


#: "今天工单多不多": the open tickets queue
TICKETS_ASKED = (r"^(?:今天|现在|目前|手上)?的?(?:工单|售后单|售后工单)(?:多不多|有多少|有几个|有几单|多少|几个|几单)"
                 r"(?:个|单|张)?(?:啊|呢|吗)?[?？]?$")
#: "待答复咨询", "经销商有问题要回吗", "有咨询要回复没": the questions dealers handed to staff (QA s28 #21; was: "我没有
#:听懂" in a new chat, where no button of that name was on screen)
_ANSWER = r"(?:答复|回复|回答|回)"
_ASKED = r"(?:咨询|问题|提问|留言)"
QUESTIONS_ASKED = (rf"^(?:看看|看一下|看下|查一下|打开)?\s*(?:待|要|需要|未|没)?{_ANSWER}的?(?:经销商)?的?{_ASKED}"
                   r"(?:列表|清单)?(?:有哪些|有几个|有多少|呢)?[?？]?$"
                   r"|^(?:现在|目前|今天)?(?:经销商|客户)?(?:那边)?(?:有没有|有)?(?:新的?)?"
                   rf"{_ASKED}(?:要|需要|等着?|待)我?{_ANSWER}(?:的)?(?:吗|没|不|么|呢)?[?？]?$"
                   rf"|^(?:经销商)?转人工的?{_ASKED}(?:列表|清单)?$"
                   # "有新咨询吗", "经销商有新的咨询没": the questions come in, asked after (QA: was not understood)
                   r"|^(?:现在|目前|今天)?(?:经销商|客户)?(?:那边)?(?:有没有|有)(?:新的?)?(?:咨询|提问|留言)"
                   r"(?:吗|没|不|么|呢)?[?？]?$")
#: "资质快到期的有哪些", "哪些授权书要到期了": the documents coming due
EXPIRING_ASKED = (r"^[^\d]{0,12}(?:(?:资质|证照|证件|授权书|营业执照)[^\d]{0,6}(?:快到期|要到期|即将到期|到期|过期)"
                  r"|(?:快到期|要到期|即将到期|到期|过期)[^\d]{0,4}(?:资质|证照|证件|授权书|营业执照))[^\d]{0,8}$")


# the words before the documents in a question about them: "嘉禾的资质快过期了吗" -> "嘉禾"
_EXPIRY_OF = re.compile(r"^(?:请|帮我|麻烦)?(?:查一?下|看一?下|看看|问一?下)?\s*(?P<who>[^\d\s，,。?？]{2,16}?)\s*(?:那边|这家|那家)?"
                        r"\s*的?\s*(?:所有|全部)?的?(?:资质|证照|证件|授权书|营业执照|经营许可证)")
# words before the documents that name no dealer: the time, "有没有", "快到期的"
_NOT_WHO = re.compile(r"待审|最近|近期|目前|现在|今天|本月|这个?月|下个?月|这周|有没有|是不是|到期|过期|所有|全部|哪")


def dealer_words_in_expiry(text: str) -> str | None:
    """The words naming the one dealer whose documents coming due are asked about ("嘉禾的资质快过期了吗" -> "嘉禾",
    "杭州嘉禾家电营业执照到期了没"), else None ("资质快到期的有哪些", "哪些经销商的授权书要到期了")."""
    m = _EXPIRY_OF.match(" ".join(text.split()))
    if m is None:
        return None
    who = m.group("who")
    if _NOT_WHO.search(who) or names_no_dealer(who):
        return None
    return who


def past_asked(text: str) -> bool:
    """"过期的资质": the documents past their date asked for too, not only those coming due."""
    return "过期" in text


# --- a queue named in words ----------------------------------------------------------------------------------

_QUEUE_NAMED = (r"(?P<queue>售后单|售后工单|工单|报修单|质量反馈|质量问题单|质量问题|反馈单|物料申请|活动执行报告|活动报告"
                r"|资质|入驻申请|经销商申请|加盟申请)")
_QUEUE_OF = {"物料申请": Queue.MATERIALS, "活动执行报告": Queue.REPORTS, "活动报告": Queue.REPORTS,
             "资质": Queue.DOCUMENTS, "入驻申请": Queue.APPLICATIONS, "经销商申请": Queue.APPLICATIONS,
             "加盟申请": Queue.APPLICATIONS, "售后单": Queue.TICKETS, "售后工单": Queue.TICKETS, "工单": Queue.TICKETS,
             "报修单": Queue.TICKETS}
#: "有哪些售后单超时了", "合肥新锐的工单", "调查中的质量反馈": a queue named in words, with the status and dealer words
#: around it (no record number: a number opens that record; "给杭州嘉禾开个售后单" opens a new one)
QUEUE_ASKED = (rf"^(?!.*(?:as|so|qf)[-_ ]?\d)(?!.*(?:开|建|创建|新建|录|提交|填))(?P<before>[^\d]{{0,24}}?){_QUEUE_NAMED}"
               r"(?P<after>[^\d]{0,16})$")
_QUEUE_FILLER = re.compile(r"有哪些|有没有|有什么|都有哪些|哪些|什么|还有|看看|看一下|看下|列一下|列出|查一下|查查|给我|"
                           r"我的|现在|目前|今天|这周|本周|这个月|本月|最近|近期|手上|一下|列表|清单|多不多|有多少|多少|"
                           r"有几个|有几条|有几单|几个|几条|几单|快到期|要到期|到期|过期|待审核|要审核|审核|"
                           r"[了吗呢啊的?？!！。,，\s]")


@dataclass(frozen=True)
class QueueNamed:
    queue: Queue
    words: str              # the status and dealer words around the queue's name, lower case, fillers dropped


def named_queue(text: str, period_said: str = "") -> QueueNamed | None:
    """The queue named in ``text`` ("合肥新锐的工单" -> tickets, "合肥新锐") and the words around it, without
    ``period_said`` (the days said, "上周": no dealer's name); None when no queue is named."""
    m = re.search(rf"^(?P<before>.*?){_QUEUE_NAMED}(?P<after>.*)$", text.strip(), re.IGNORECASE)
    if m is None:
        return None
    words = f"{m.group('before')} {m.group('after')}".lower()
    if period_said:
        words = words.replace(period_said, " ")
    return QueueNamed(_QUEUE_OF.get(m.group("queue"), Queue.QUALITY), " ".join(_QUEUE_FILLER.sub(" ", words).split()))


def command_asked(names: Iterable[str]) -> str:
    """The shape of a queue command typed without its slash ("qf 调查中", "tickets 超时"; the longest name tried
    first), not when a record number is said."""
    alternatives = "|".join(sorted(names, key=len, reverse=True))
    return rf"^(?!.*(?:as|so|qf)[-_ ]?\d)(?P<command>{alternatives})(?![a-z0-9_-])(?P<rest>.{{0,30}})$"


def command_words(text: str) -> tuple[str, str] | None:
    """A queue command typed without its slash ("QF看下调查中的"): its name in lower case and the words after it,
    fillers dropped ("qf", "调查中")."""
    m = re.match(r"^(?P<command>[a-z_]+)(?P<rest>.*)$", text.strip(), re.IGNORECASE)
    if m is None:
        return None
    return m.group("command").lower(), " ".join(_QUEUE_FILLER.sub(" ", m.group("rest")).split())


def status_counted(text: str) -> str | None:
    """"超时的有几个": the status whose count is asked for (a value of ``STATUS_WORDS``), else None."""
    m = re.match(STATUS_COUNT, text.strip())
    return STATUS_WORDS[m.group("status")] if m else None
