"""Follow-up of the dealer's own after-sales tickets and quality reports (``ticket_status``).

- a number (``AS-20261204-0001``, ``QF-20261204-0001``), typed alone or in a sentence, or handed over by the
  orders flow: that ticket / report with its timeline (handlers.flows.aftersales.ticket_detail,
  handlers.flows.quality.feedback_detail: the customer's name and phone stay masked); a number the dealer
  does not own answers exactly like one that does not exist;
- "我的工单" / "我的反馈" (topic ``list``, or the ``fu.list`` button): open ones and the latest closed, both kinds,
  a button to open each (core.services.followups.dealer_follow_ups);
- "我反馈的滤网异味问题处理得怎么样了": the dealer's tickets and reports that fit the product and the words
  (core.services.followups.matching_follow_ups): one fits -> it is shown, several -> a list, none -> the list
  of the latest, saying nothing fitted.
"""

from __future__ import annotations

from datetime import timedelta

from core.aftersales import TicketStatus
from core.errors import NotFound
from core.masking import mask_text
from core.services.followups import (
    FollowUp,
    FollowUpKind,
    dealer_follow_ups,
    follow_up_kind,
    matching_follow_ups,
    search_terms,
)
from core.ticket_states import TICKET_STATUS_LABELS
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import aftersales, forms, quality, staff_counts
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.dates import find_past_period
from nlu.latest_asked import latest_asked
from nlu.schema import Intent
from nlu.staff_commands import count_asked

router = Router(name=__name__)

LIST_SIZE = 10
COUNT_DAYS = 30          # "AP300报修了多少次" with no days said: the last 30
MATCHES = 5

i18n.register({
    "fu.list.title": ("您的售后工单和质量反馈（进行中 {open} 个）：", "Your after-sales tickets and quality reports "
                      "({open} open):"),
    "fu.list.empty": ("您还没有售后工单或质量反馈。", "You have no after-sales tickets or quality reports yet."),
    "fu.matches": ("与您说的相符的工单/反馈有 {n} 个：", "{n} tickets / reports fit what you wrote:"),
    "fu.one_match": ("与您说的相符的是：", "This is the one that fits:"),
    "fu.no_match": ("没有找到与您说的相符的工单或反馈。以下是您最近的：",
                    "No ticket or report fits what you wrote. Here are your latest:"),
    "fu.not_found": ("没有找到您的{kind} {number}，请核对编号。", "None of your {kind}s is {number}; please check "
                     "the number."),
    "fu.kind.ticket": ("售后工单", "after-sales ticket"),
    "fu.kind.quality": ("质量反馈", "quality report"),
    "fu.tag.ticket": ("售后", "after-sales"),
    "fu.tag.quality": ("质量", "quality"),
    "fu.row": ("• {number}（{tag}）· {status} · {day} · {desc}", "• {number} ({tag}) · {status} · {day} · {desc}"),
    "fu.open_mark": ("⏳", "⏳"),
})


@router.intent(Intent.TICKET_STATUS)
async def ticket_status_intent(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    slots = ctx.parsed.slots if ctx.parsed else None
    if slots is not None and slots.order_no and follow_up_kind(slots.order_no) is not None:
        return await by_number(ctx, slots.order_no)
    if slots is not None and slots.product and Permission.QUALITY_HANDLE in ctx.actor.permissions \
            and quality.reads_defects(ctx):
        # quality staff follow no ticket of their own: "AP300的质量问题有几个" asks for that product's figures (was:
        # "for dealers only"); a dealer's wording without a product ("我反馈的问题…") stays the dealer's
        return await quality.defect_figures(ctx, slots.product)
    if ctx.is_staff and {Permission.TICKET_HANDLE, Permission.REPORT_READ_ALL} & ctx.actor.permissions \
            and count_asked(ctx.inbound.text):
        # "上个月AP300报修了多少次": the tickets filed then (of that product), counted; not a note on a ticket
        today = ctx.deps.clock.today()
        period = find_past_period(ctx.inbound.text.strip().lower(), today)
        first, last = (period.first, period.last) if period else (today - timedelta(days=COUNT_DAYS - 1), today)
        return await staff_counts.ticket_count(ctx, first, last, slots.product if slots is not None else None)
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    if slots is None or slots.topic == "list" or not (slots.product or search_terms(slots.description or "")):
        return await follow_up_list(ctx)
    return await _by_description(ctx, slots.product, slots.description or "")


async def by_number(ctx: Ctx, number: str) -> list[Reply]:
    """The ticket or report ``number`` names, if the actor may see it; else "not found" (the same for another
    dealer's number as for one that does not exist)."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    number = number.strip().upper()
    kind = follow_up_kind(number)
    if kind is None:
        raise NotFound(what=number)
    try:
        if kind == FollowUpKind.TICKET:
            return await aftersales.ticket_detail(ctx, number)
        return await quality.feedback_detail(ctx, number)
    except NotFound:
        return [Reply(text=ctx.t("fu.not_found", kind=ctx.t(f"fu.kind.{kind.value}"), number=number),
                      buttons=[[quality.follow_up_list_button(ctx), forms.menu_button(ctx)]])]


@router.button("fu.list")
async def follow_up_list(ctx: Ctx) -> list[Reply]:
    return await _latest(ctx)


async def _latest(ctx: Ctx, lead: str = "") -> list[Reply]:
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    assert ctx.actor.dealer_id is not None
    items = await dealer_follow_ups(ctx.uow(), ctx.actor, ctx.actor.dealer_id, limit=LIST_SIZE)
    if not items:
        return [Reply(text="\n".join(t for t in (lead, ctx.t("fu.list.empty")) if t),
                      buttons=[[Button(ctx.t("as.btn.new"), payload("as.new")),
                                Button(ctx.t("qf.title"), payload("qf.new"))], [forms.menu_button(ctx)]])]
    head = ctx.t("fu.list.title", open=sum(i.is_open for i in items))
    return [_listing(ctx, [t for t in (lead, head) if t], items)]


async def _by_description(ctx: Ctx, sku: str | None, text: str) -> list[Reply]:
    assert ctx.actor.dealer_id is not None
    found = await matching_follow_ups(ctx.uow(), ctx.actor, ctx.actor.dealer_id, sku=sku, text=text, limit=MATCHES)
    if not found and (kind := latest_asked(ctx.inbound.text)) is not None:
        # "上次报修的那台修好了没": no words of the problem, the latest of the kind said
        items = [i for i in await dealer_follow_ups(ctx.uow(), ctx.actor, ctx.actor.dealer_id, limit=LIST_SIZE)
                 if i.kind.value == kind]
        found = sorted(items, key=lambda i: i.created_at or i.updated_at or ctx.deps.clock.now(), reverse=True)[:1]
    if not found:
        return await _latest(ctx, lead=ctx.t("fu.no_match"))
    if len(found) == 1:
        replies = await by_number(ctx, found[0].number)
        replies[0].text = f"{ctx.t('fu.one_match')}\n{replies[0].text}"
        return replies
    return [_listing(ctx, [ctx.t("fu.matches", n=len(found))], found)]


def _status(ctx: Ctx, item: FollowUp) -> str:
    if isinstance(item.status, TicketStatus):
        zh, en = TICKET_STATUS_LABELS[item.status]
        return ctx.pick(zh, en)
    return quality.status_label(ctx, item.status)


def _listing(ctx: Ctx, head: list[str], items: list[FollowUp]) -> Reply:
    lines = list(head)
    rows: list[list[Button]] = []
    for item in items:
        status = _status(ctx, item)
        day = forms.local_time(ctx, item.created_at)[:10]
        lines.append(ctx.t("fu.row", number=item.number, tag=ctx.t(f"fu.tag.{item.kind.value}"), status=status,
                           day=day, desc=forms.clip(mask_text(item.description), 24) or "-"))
        action = "as.view" if item.kind == FollowUpKind.TICKET else "qf.view"
        mark = ctx.t("fu.open_mark") + " " if item.is_open else ""
        rows.append([Button(f"{mark}{item.number} · {status}", payload(action, item.number))])
    return Reply(text="\n".join(lines), buttons=rows + _footer(ctx))


def _footer(ctx: Ctx) -> list[list[Button]]:
    return [[Button(ctx.t("as.btn.new"), payload("as.new")), forms.menu_button(ctx)]]
