"""Finance staff's payment and ledger words (``handlers.flows.payments``): a payment said in one line ("合肥新锐打了5万，
工行转账 流水号 ICBC20261207001，记预存款"), an amount typed alone, a yes typed instead of a tap, and the ledger
questions ("合肥新锐的流水", "本月回款多少", "哪些经销商超信用了", "哪些经销商欠款逾期了").

The handlers route on the shapes here and take what was said from the functions; they read no words themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from core.accounts import AccountKind, PaymentMethod
from nlu.payment_lead_words import HOW_MUCH_LEFT, ON_ACCOUNT, PAY_LED

PAY_WORDS = frozenset({"记一笔回款", "记回款", "登记回款", "录回款", "录入回款", "记收款", "登记收款", "回款登记",
                       "记一笔收款", "record a payment", "record payment"})
# "合肥新锐打了5万", "D0007 转来 50000 元货款": who paid and how much, in one message
QUICK = (r"^(?:给|帮|收到)?\s*(?P<who>[^\d\s，,。]{2,30}?|[A-Za-z]\d{3,6})\s*(?:刚刚?|刚才|今天|昨天)?\s*(?:打了|打过来了?|打来了?|打款|转了|转来了?|转账|"
         r"汇了|汇来了?|汇款|回款|回了|付了|付款|交了|到账了?|到了|进账|入账|收到了?|的?货款)\s*(?:的?(?:货款|回款|款))?\s*"
         r"(?P<amount>\d[\d,.]*\s*(?:万|千|k|w)?|[零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟廿]+)\s*(?:元|块钱?)?"
         r"\s*(?:的?(?:回款|货款|款))?"
         # a note after it, as clerks type one: "，工行转账", "承兑", "现金"
         # or with the bank's reference and the account: "工行转账 流水号 ICBC20261207001，记预存款"
         r"(?:\s*[，,;；、]?\s*(?P<note>[^。;；]{1,80}?))?[。.!！]?$")
# an amount typed alone ("30万", "50000", "5w元", "三万")
_AMOUNT_ONLY = re.compile(r"[¥￥]?\s*(?:\d[\d,.]*\s*(?:万|千|k|w)?|[零〇一二两三四五六七八九十百千万]+)\s*(?:元|块钱?)?", re.IGNORECASE)
# the bank's reference said in the note ("流水号 ICBC20261207001", "流水 2026120700123")
_REFERENCE_SAID = re.compile(r"(?:流水号?|交易号|凭证号|回单号|ref(?:erence)?)\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9\-]{3,40})",
                             re.IGNORECASE)
# the account the money goes to ("记预存款", "进保证金")
_ACCOUNT_SAID = ((AccountKind.DEPOSIT, re.compile(r"保证金|deposit", re.IGNORECASE)),
                 (AccountKind.PREPAYMENT, re.compile(r"预存|预付|货款账户|prepay", re.IGNORECASE)))
# the way it was paid, said in the note ("工行转账", "电汇", "银承")
_METHOD_SAID = ((PaymentMethod.ACCEPTANCE_BILL, re.compile(r"承兑|汇票|银承|商承")),
                (PaymentMethod.CASH, re.compile(r"现金")),
                (PaymentMethod.BANK_TRANSFER, re.compile(r"转账|电汇|网银|汇款|银行|工行|建行|农行|中行|交行|招行|对公")))
# typed instead of tapping ✅ 是这家 / ✅ 确认入账 (a clerk at a keyboard types 是 or 确认)
YES_WORDS = frozenset({"是", "是的", "对", "对的", "没错", "是这家", "就是这家", "好", "好的", "嗯", "ok", "yes", "y",
                       "确认", "确定", "没问题", "confirm"})
BOOK_WORDS = YES_WORDS | {"确认入账", "入账", "book it"}


@dataclass(frozen=True)
class PaymentSaid:
    """A payment said in one line: who paid, the amount as said ("5万"), and what the note after it says."""

    who: str
    amount: str
    method: PaymentMethod | None = None
    account: AccountKind | None = None
    reference: str | None = None
    day: str | None = None           # the words of the day paid, when said ("昨天", "12月6日"): ``nlu.dates`` reads them


# the day paid said in the line ("德润昨天打了3万", "…，12月6号到账"), the reference's characters left out
_DAY_SAID = re.compile(r"前天|昨天|今天|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?")


def payment_said(text: str) -> PaymentSaid | None:
    """"合肥新锐打了5万，工行转账": who paid, how much and, from the note, how (transfer), to which account and the
    bank's reference; None when the line is not a payment."""
    m = re.search(QUICK, text.strip(), re.IGNORECASE) or re.search(PAY_LED, text.strip(), re.IGNORECASE)
    if m is None:
        return None
    note = m.group("note") or ""
    reference = _REFERENCE_SAID.search(note)
    day = _DAY_SAID.search(_REFERENCE_SAID.sub(" ", text.replace(m.group("amount"), " ", 1)))
    return PaymentSaid(who=m.group("who").strip(), amount=m.group("amount").replace(" ", ""),
                       method=next((k for k, said in _METHOD_SAID if said.search(note)), None),
                       account=next((k for k, said in _ACCOUNT_SAID if said.search(note)), None),
                       reference=reference.group(1) if reference else None, day=day.group(0) if day else None)


def amount_alone(text: str) -> bool:
    """"30万", "50000", "5w元", "三万": an amount typed alone."""
    return _AMOUNT_ONLY.fullmatch(text.strip()) is not None


# --- ledger questions ------------------------------------------------------------------------------------

# "合肥新锐的流水", "D0007 余额", "看看合肥新锐的账": a dealer's ledger with its balances
LEDGER_ASKED = (r"^(?:看看|看一下|查一下|查查)?\s*(?!我|还|有|剩|逾期|超期)(?P<who>[^\d\s，,。]{2,30}?|[A-Za-z]\d{3,6})\s*(?:的)?\s*"
                r"(?:流水|账户|余额|账|台账|往来|欠款|欠账|欠多少钱?|欠了多少钱?|还欠多少钱?|信用额度|信用|额度)(?:明细)?"
                r"(?:还?剩|用了)?"
                r"(?:是?多少钱?|有多少|还有多少)?[?？。吗]?$")


def ledger_who(text: str) -> str | None:
    """"合肥新锐的流水" -> "合肥新锐": the dealer whose ledger is asked for, else None."""
    m = re.search(LEDGER_ASKED, text.strip(), re.IGNORECASE) or re.search(ON_ACCOUNT, text.strip(), re.IGNORECASE)
    return (re.sub(HOW_MUCH_LEFT, "", m.group("who").strip()) or m.group("who")).strip() if m else None


RECEIVED = (r"^(?P<when>本月|这个月|这月|上个月|上月|今天|今日|昨天|本周|这周|这星期|这个星期)?的?(?:回款|到账|收款|进账)了?"
            r"(?:一共|总共|合计)?(?:有)?(?:多少|几笔)钱?[?？]?$")
_WHEN: dict[str, str] = {"今天": "today", "今日": "today", "昨天": "yesterday", "本周": "week", "这周": "week", "这星期": "week",
         "这个星期": "week", "上个月": "last_month", "上月": "last_month"}


def received_when(text: str) -> str:
    """The days of "本月回款多少", "今天到账多少": ``today``, ``yesterday``, ``week``, ``last_month``, else ``month``."""
    m = re.match(RECEIVED, text.strip())
    return _WHEN.get(m.group("when") or "", "month") if m else "month"


CREDIT_FULL = (r"^(?:看看|查一下|查查)?\s*(?:(?:哪些|哪几家|有哪些|有谁|谁|哪家)(?:经销商|客户|家)?的?(?:信用|额度|信用额度)?"
               r"(?:已经|快|快要)?(?:超|超过|超出|用完|用满|爆)了?(?:信用|额度|信用额度)?了?|"
               r"超了?(?:信用|额度|信用额度)的(?:经销商|客户)?(?:有哪些|有谁)?|(?:信用|额度)(?:快)?(?:用完|用满|超了)的(?:经销商|客户)?|"
               r"which dealers? (?:are )?(?:over|above) (?:their )?credit(?: limit)?)[?？。]?$")


OVERDUE = (r"^(?:看看|看一下|查一下|查查)?\s*(?:(?:哪些|哪几家|有哪些|有谁|谁|哪家)(?:经销商|客户|家)?的?"
           r"(?:欠款|货款|应收|信用|账款|款)?(?:已经)?(?:超期|逾期|过期|超账期|到期没还|没按时还)了?(?:的?欠款|没还|未还)?|"
           r"(?:信用)?(?:欠款|货款|应收账?款?|信用|账款)?(?:超期|逾期|超账期)(?:欠款|未还|没还|应收|账款)?"
           r"(?:的?(?:经销商|客户))?的?(?:有哪些|有谁|情况|明细|列表|有多少|多少)?|"
           r"(?:应收)?账龄(?:分析|表|情况|报表)?|"
           r"(?:which|who)\b.{0,30}\boverdue.*|overdue(?: credit| payments?| dealers?| list| debts?)?)[?？。]?"
           r"(?:[，, ]\s*(?:风险|金额|多少|最多|最久|严重|排名|有哪些|都有谁).{0,16})?$")     # "…，风险大的有哪些"


class LedgerQuestion(StrEnum):
    """What a ledger question asks for (``ledger_question``)."""

    LEDGER = "ledger"                # a dealer's ledger ("合肥新锐的流水")
    RECEIVED = "received"            # money received in some days ("本月回款多少")
    CREDIT_FULL = "credit_full"      # dealers at their credit limit ("哪些经销商超信用了")
    OVERDUE = "overdue"              # dealers owing past the terms ("哪些经销商欠款逾期了", "账龄")


_QUESTIONS = ((LEDGER_ASKED, LedgerQuestion.LEDGER), (ON_ACCOUNT, LedgerQuestion.LEDGER), (RECEIVED, LedgerQuestion.RECEIVED),
              (CREDIT_FULL, LedgerQuestion.CREDIT_FULL), (OVERDUE, LedgerQuestion.OVERDUE))


def ledger_question(text: str) -> LedgerQuestion | None:
    """Which ledger question ``text`` is (the first shape that fits), else None."""
    return next((kind for shape, kind in _QUESTIONS if re.search(shape, text, re.IGNORECASE)), None)
