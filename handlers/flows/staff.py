"""Staff side of the chat: approvals with buttons, the order desk, after-sales tickets, today's list.

Payloads (``handlers.router.payload``); every one is re-checked here (permission) and again by the
use case (permission, visibility, state), so a forged or stale button changes nothing::

    staff.order.approve|SO-…[|version]   staff.order.reject|SO-…[|version]   staff.order.detail|SO-…
    staff.dealer.approve|D0001           staff.dealer.reject|D0001           staff.dealer.detail|D0001
    staff.qual.approve|id                staff.qual.reject|id                staff.qual.detail|id
    staff.mat.approve|id                 staff.mat.reject|id                 staff.mat.detail|id
    staff.orders (/desk)   staff.alloc|SO-…   staff.alloc.wh|SO-…|warehouse id (0: automatic)
    staff.ship|SO-…        staff.ship.carrier|SO-…|carrier index
    staff.tickets          staff.ticket.<detail|accept|start|comment|resolve|reject|close|info>|AS-…
    staff.ticket.stats     staff.mat.dispatch|id
    staff.approvals (/approvals)   staff.today (/today)   staff.abort

A decision edits the prompt it was pressed on (``Reply.edit_ref``) to show who decided and when.
When somebody else decided first (the use case refuses: Conflict or InvalidTransition) the person is
told who and when instead of getting an error. Whatever concerns a dealer (or the next desk) is queued
by the use case itself in the outbox (``core.notify``), delivered to each chat in its language. Rejections, comments, resolutions and tracking numbers are
asked for as text (dialog states below); the prompt's message is remembered to edit it afterwards.

Personal data is shown masked (``core.masking``): a ticket's end customer (``张* 138****8000``), dealer
contacts' phones and ID numbers, and mobiles / ID numbers inside free text (descriptions, comments, reasons).
The ticket card carries "Show full number" for after-sales, the dealer card for reviewers
(``privacy.reveal.*``, handled and audited by ``handlers.flows.privacy``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.aftersales import Ticket, TicketStatus
from core.authz import require
from core.campaigns import MarketingMaterial, MaterialRequest, RequestStatus
from core.dealer_flow import STATUS_LABELS as DEALER_STATUS_LABELS
from core.dealer_flow import DealerAction, transition_refused
from core.dealers import DOCUMENT_LABELS, Contact, Dealer, DealerStatus, Qualification, ReviewStatus
from core.errors import Conflict, DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.expenses import ClaimStatus
from core.masking import mask_id_number, mask_name, mask_phone, mask_text
from core.money import fmt_cny
from core.onboarding import checklist
from core.order_flow import TRANSITIONS as ORDER_TRANSITIONS
from core.order_flow import OrderAction, approval_reason_text, status_label
from core.order_flow import allowed_actions as order_actions
from core.orders import Order, OrderStatus
from core.services import aftersales, materials, qualifications
from core.services import dealers as dealer_cases
from core.services import orders as order_cases
from core.services.credit import list_pending_credit_changes
from core.services.expenses import list_claims
from core.services.materials import REQUEST_STATUS_LABELS
from core.services.payments import list_finance_requests
from core.services.privacy import RevealKind
from core.services.queues import Queue, QueueItem, all_waiting, may_see
from core.services.rebates import list_pending_settlements
from core.ticket_flow import (
    ACTIVE_STATUSES,
    PRIORITY_LABELS,
    TICKET_STATUS_LABELS,
    TicketAction,
    invalid_transition,
    is_sla_breached,
)
from core.ticket_flow import TRANSITIONS as TICKET_TRANSITIONS
from core.ticket_flow import allowed_actions as ticket_actions
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.finance import offset_arg, page_of, page_where, pager_row, remember_pages
from handlers.flows.menu import require_bound
from handlers.flows.privacy import reveal_button
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

P = Permission

# Dialog states of this flow: each waits for one text.
REASON = "staff.reject_reason"        # data: kind (order|dealer|qual|mat|ticket), ref, version, prompt
TICKET_NOTE = "staff.ticket_note"     # data: action (comment|resolve), ref, prompt
SHIP_CARRIER = "staff.ship_carrier"   # data: ref, prompt ("other" carrier: its name)
SHIP_TRACKING = "staff.ship_tracking"  # data: ref, carrier, prompt
TEXT_STATES = (REASON, TICKET_NOTE, SHIP_CARRIER, SHIP_TRACKING)

MAX_REASON = 500
MAX_NOTE = 2000
LIST_LIMIT = 5          # items per screen of the approvals list (one message each)
QUEUE_MAX = 200         # items of one kind a list pages through
DESK_LIMIT = 10         # orders per column of the order desk / tickets in the ticket list
TOP_ITEMS = 3           # items named per line of /today
EXPIRY_DAYS = 7
PHOTOS_SHOWN = 3        # ticket photos sent as images with the card
STATS_DAYS = 90         # after-sales statistics window in chat

# Carriers offered as buttons: (stored name, English label). The last button is "other" (typed).
CARRIERS: tuple[tuple[str, str], ...] = (("顺丰", "SF Express"), ("德邦", "Deppon"), ("京东物流", "JD Logistics"))
_TRACKING_RE = re.compile(r"^[A-Za-z0-9-]{4,64}$")

i18n.register({
    # buttons
    "staff.btn.approve": ("✅ 通过", "✅ Approve"),
    "staff.btn.reject": ("❌ 驳回", "❌ Reject"),
    "staff.btn.detail": ("📄 详情", "📄 Details"),
    "staff.btn.allocate": ("📦 配货", "📦 Allocate"),
    "staff.btn.ship": ("🚚 发货", "🚚 Ship"),
    "staff.btn.auto": ("⚙️ 自动选择仓库", "⚙️ Choose automatically"),
    "staff.btn.auto_produce": ("⚙️ 自动（库存不足将转生产）", "⚙️ Automatic (short: goes to production)"),
    "staff.btn.other_carrier": ("其他", "Other"),
    "staff.btn.cancel": ("取消", "Cancel"),
    "staff.btn.accept": ("🙋 受理", "🙋 Accept"),
    "staff.btn.start": ("🔧 开始处理", "🔧 Start"),
    "staff.btn.comment": ("💬 留言", "💬 Comment"),
    "staff.btn.resolve": ("✅ 已解决", "✅ Resolve"),
    "staff.btn.close": ("📁 关闭", "📁 Close"),
    "staff.btn.approvals": ("✅ 待审批", "✅ Approvals"),
    "staff.btn.desk": ("📦 配货发货", "📦 Order desk"),
    "staff.btn.tickets": ("🛠 售后工单", "🛠 Tickets"),
    "staff.btn.menu": ("🏠 主菜单", "🏠 Menu"),
    # generic
    "staff.already": ("{ref} 已由 {who} 于 {time} 处理（{status}）。",
                      "{ref} was already decided by {who} at {time} ({status})."),
    "staff.already.you": ("{ref} 您已于 {time} 处理过（{status}）。", "You already handled {ref} at {time} ({status})."),
    "staff.decided_by": ("处理人：{who} {time}", "By {who} at {time}"),
    "staff.need_text": ("请直接输入文字（发送“取消”放弃）。", "Please type it as text (send \"cancel\" to stop)."),
    "staff.too_long": ("内容太长了（最多 {limit} 字），请精简后重新输入。",
                       "That is too long (at most {limit} characters); please shorten it."),
    "staff.aborted": ("已取消，未做任何更改。", "Cancelled; nothing was changed."),
    "staff.system": ("系统", "system"),
    # orders
    "staff.order.line": ("{number} · {dealer} · {total}", "{number} · {dealer} · {total}"),
    "staff.order.prompt": ("🧾 待审批订单 {line}", "🧾 Order to approve {line}"),
    "staff.order.approved": ("✅ 已审核通过 {line}", "✅ Approved {line}"),
    "staff.order.rejected": ("❌ 已驳回 {line}\n原因：{reason}", "❌ Rejected {line}\nReason: {reason}"),
    "staff.order.allocated": ("📦 已配货（{warehouse}）{line}", "📦 Allocated ({warehouse}) {line}"),
    "staff.order.produced": ("🏭 库存不足，已转生产 {line}", "🏭 Short in stock, sent to production {line}"),
    "staff.order.shipped": ("🚚 已发货 {line}\n{carrier} {tracking}", "🚚 Shipped {line}\n{carrier} {tracking}"),
    "staff.order.ask_reason": ("请输入驳回订单 {number} 的原因（发送“取消”放弃）：",
                               "Why is order {number} rejected? Type the reason (or \"cancel\"):"),
    "staff.order.title": ("订单 {number}（{status}）", "Order {number} ({status})"),
    "staff.order.dealer": ("经销商：{dealer}（{code}）", "Dealer: {dealer} ({code})"),
    "staff.order.total": ("合计：{total}（优惠 {discount}）", "Total: {total} (discount {discount})"),
    "staff.order.paid": ("付款：返利 {rebate} / 预付款 {prepay} / 信用 {credit}",
                         "Paid: rebate {rebate} / prepayment {prepay} / credit {credit}"),
    "staff.order.delivery": ("要求到货：{date}", "Wanted by: {date}"),
    "staff.order.placed": ("下单：{who} {time}", "Placed by {who} at {time}"),
    "staff.order.on_behalf": ("（代客下单）", " (placed on the dealer's behalf)"),
    "staff.order.shipping": ("物流：{carrier} {tracking}", "Shipping: {carrier} {tracking}"),
    "staff.order.note": ("备注：{note}", "Note: {note}"),
    # order desk
    "staff.desk.title": ("📦 配货发货：待配货 {allocate}，待发货 {ship}",
                         "📦 Order desk: {allocate} to allocate, {ship} to ship"),
    "staff.desk.empty": ("📦 目前没有待配货或待发货的订单。", "📦 No orders wait for allocation or shipping."),
    "staff.desk.allocate_head": ("待配货：", "To allocate:"),
    "staff.desk.ship_head": ("待发货：", "To ship:"),
    "staff.alloc.choose": ("订单 {number} 需要：{needs}\n请选择发货仓库：",
                           "Order {number} needs: {needs}\nChoose the warehouse:"),
    "staff.alloc.none": ("订单 {number} 需要：{needs}\n各仓库存都不足；自动配货会转入生产。",
                         "Order {number} needs: {needs}\nNo warehouse has enough; automatic allocation sends it "
                         "to production."),
    "staff.ship.carrier": ("订单 {number} 发货，请选择承运商：", "Ship order {number}: choose the carrier:"),
    "staff.ship.carrier_name": ("请输入承运商名称：", "Type the carrier's name:"),
    "staff.ship.tracking": ("承运商：{carrier}\n请输入运单号：", "Carrier: {carrier}\nType the tracking number:"),
    "staff.ship.bad_tracking": ("运单号格式不对（4–64 位字母、数字或-），请重新输入：",
                                "That does not look like a tracking number (4-64 letters, digits or -); "
                                "please type it again:"),
    "staff.ship.bad_carrier": ("承运商名称应为 1–32 个字，请重新输入：",
                               "The carrier's name must be 1-32 characters; please type it again:"),
    # dealer applications
    "staff.dealer.prompt": ("📝 入驻申请 {code} {name}\n{region} · {city} · {tier}级\n资质：{docs}",
                            "📝 Dealer application {code} {name}\n{region} · {city} · tier {tier}\nDocuments: {docs}"),
    "staff.dealer.approved": ("✅ 入驻已通过 {code} {name}", "✅ Onboarding approved {code} {name}"),
    "staff.dealer.sent_back": ("↩️ 已退回修改 {code} {name}\n原因：{reason}", "↩️ Sent back {code} {name}\nReason: {reason}"),
    "staff.dealer.ask_reason": ("请输入退回 {code} 入驻申请的原因：", "Why is the application of {code} sent back? "
                                "Type the reason:"),
    "staff.dealer.title": ("经销商 {code} {name}（{status}）", "Dealer {code} {name} ({status})"),
    "staff.dealer.facts": ("信用代码：{uscc}\n地区：{province} {city}（{region}）\n等级：{tier}\n联系人：{contacts}",
                           "Credit code: {uscc}\nArea: {province} {city} ({region})\nTier: {tier}\n"
                           "Contacts: {contacts}"),
    "staff.dealer.checklist": ("入驻资料清单：", "Onboarding checklist:"),
    "staff.dealer.pending_docs": ("待审核资质：", "Documents waiting for review:"),
    "staff.dealer.id_number": ("身份证 {number}", "ID {number}"),
    # qualifications
    "staff.qual.prompt": ("📑 资质审核 #{id} {doc} {number}\n{dealer}（{code}）· 有效期至 {expires}{renewal}",
                          "📑 Document #{id} {doc} {number}\n{dealer} ({code}) · valid until {expires}{renewal}"),
    "staff.qual.renewal": ("（续期）", " (renewal)"),
    "staff.qual.no_expiry": ("长期", "no expiry"),
    "staff.qual.approved": ("✅ 资质已通过 #{id} {doc} {number}（{code}）", "✅ Document approved #{id} {doc} {number} "
                            "({code})"),
    "staff.qual.rejected": ("❌ 资质已驳回 #{id} {doc} {number}（{code}）\n原因：{reason}",
                            "❌ Document rejected #{id} {doc} {number} ({code})\nReason: {reason}"),
    "staff.qual.ask_reason": ("请输入驳回资质 #{id} 的原因：", "Why is document #{id} rejected? Type the reason:"),
    "staff.qual.status": ("状态：{status}", "Status: {status}"),
    "staff.qual.file": ("附件：{file}", "File: {file}"),
    # materials
    "staff.mat.prompt": ("🎁 物料申请 #{id} {name} ×{qty}（库存 {stock}）\n{dealer}（{code}）{reason}",
                         "🎁 Material request #{id} {name} x{qty} (in stock {stock})\n{dealer} ({code}){reason}"),
    "staff.mat.reason": ("\n理由：{reason}", "\nWhy: {reason}"),
    "staff.mat.approved": ("✅ 物料申请已批准 #{id} {name} ×{qty}（{code}）", "✅ Material request approved #{id} {name} "
                           "x{qty} ({code})"),
    "staff.mat.rejected": ("❌ 物料申请已驳回 #{id} {name} ×{qty}（{code}）\n原因：{reason}",
                           "❌ Material request rejected #{id} {name} x{qty} ({code})\nReason: {reason}"),
    "staff.mat.ask_reason": ("请输入驳回物料申请 #{id} 的原因：", "Why is material request #{id} rejected? "
                             "Type the reason:"),
    "staff.mat.status": ("状态：{status}", "Status: {status}"),
    # approvals list
    "staff.approvals.title": ("✅ 待您审批：订单 {orders}，入驻申请 {dealers}，资质 {quals}，物料 {mats}",
                              "✅ Waiting for you: {orders} orders, {dealers} dealer applications, "
                              "{quals} documents, {mats} material requests"),
    "staff.approvals.empty": ("✅ 目前没有待您审批的事项。", "✅ Nothing waits for your approval."),
    "staff.approvals.title_money": ("✅ 待您审批：", "✅ Waiting for your decision:"),
    "staff.approvals.money": ("返利结算 {rebates}，费用核销 {claims}，额度申请 {credit}",
                              "{rebates} rebate settlements, {claims} expense claims, {credit} credit requests"),
    "staff.approvals.claim": ("🧾 费用核销 {number}：{amount}\n{what}\n凭证 {n} 份",
                              "🧾 Expense claim {number}: {amount}\n{what}\n{n} receipt(s)"),
    # tickets
    "staff.tickets.title": ("🛠 售后工单：待处理 {open}，⏰ 超时 {late}", "🛠 Tickets: {open} open, ⏰ {late} past SLA"),
    "staff.tickets.empty": ("🛠 目前没有待处理的售后工单。", "🛠 No open tickets."),
    "staff.ticket.title": ("{mark}售后工单 {number}（{status}，{priority}）", "{mark}Ticket {number} ({status}, {priority})"),
    "staff.ticket.dealer": ("经销商：{dealer}（{code}）", "Dealer: {dealer} ({code})"),
    "staff.ticket.product": ("产品：{sku} {serial}", "Product: {sku} {serial}"),
    "staff.ticket.problem": ("问题：{text}", "Problem: {text}"),
    "staff.ticket.customer": ("客户：{name} {phone}", "Customer: {name} {phone}"),
    "staff.ticket.due": ("时限：{due}{late}", "Due: {due}{late}"),
    "staff.ticket.late": ("（已超时）", " (past SLA)"),
    "staff.ticket.assignee": ("处理人：{who}", "Handled by: {who}"),
    "staff.ticket.photos": ("照片：{n} 张", "Photos: {n}"),
    "staff.ticket.history": ("最近记录：", "Latest:"),
    "staff.ticket.changed": ("{status} {ref}", "{status} {ref}"),
    "staff.ticket.commented": ("💬 已留言 {ref}：{text}", "💬 Comment added to {ref}: {text}"),
    "staff.ticket.ask_comment": ("请输入给经销商的留言（工单 {number}）：", "Type your comment to the dealer (ticket {number}):"),
    "staff.ticket.ask_resolution": ("请输入工单 {number} 的处理结果：", "Type how ticket {number} was resolved:"),
    "staff.ticket.ask_reason": ("请输入驳回工单 {number} 的原因：", "Why is ticket {number} rejected? Type the reason:"),
    "staff.ticket.ask_info": ("请输入需要经销商补充的信息（工单 {number}）：",
                              "What should the dealer add to ticket {number}? Type the question:"),
    "staff.ticket.info_sent": ("❓ 已请经销商补充信息 {ref}：{text}", "❓ Asked the dealer about {ref}: {text}"),
    "staff.ticket.waiting": ("⏳ 等待经销商补充信息", "⏳ Waiting for the dealer's answer"),
    "staff.ticket.rating": ("满意度：{stars}", "Satisfaction: {stars}"),
    "staff.btn.info": ("❓ 要求补充", "❓ Ask dealer"),
    "staff.btn.stats": ("📊 统计", "📊 Statistics"),
    "staff.stats.title": ("📊 售后统计：共 {n} 单，未结 {open}，超时 {late}，平均满意度 {avg}",
                          "📊 After-sales: {n} tickets, {open} open, {late} past SLA, average rating {avg}"),
    "staff.stats.product": ("按产品：", "By product:"),
    "staff.stats.dealer": ("按经销商：", "By dealer:"),
    "staff.stats.defect": ("按缺陷：", "By defect:"),
    "staff.stats.line": ("  {name}：{n} 单（未结 {open}，超时 {late}，满意度 {avg}）",
                         "  {name}: {n} ({open} open, {late} late, rating {avg})"),
    "staff.btn.dispatch": ("🚚 发货", "🚚 Dispatch"),
    "staff.mat.dispatched": ("🚚 物料已发货 #{id} {name} ×{qty}（{code}），剩余库存 {stock}",
                             "🚚 Material dispatched #{id} {name} x{qty} ({code}); {stock} left in stock"),
})


# --- small pieces --------------------------------------------------------------------------------

def _require_any(ctx: Ctx, *permissions: Permission) -> None:
    """PermissionDenied unless the actor holds one of ``permissions`` (dealers hold none of the staff ones)."""
    if not set(permissions) & ctx.actor.permissions:
        raise PermissionDenied()


def _stale() -> ValidationFailed:
    zh, en = i18n.t("zh-CN", "error.button_stale"), i18n.t("en", "error.button_stale")
    return ValidationFailed(zh=zh, en=en, reason="stale button")


def _arg(ctx: Ctx, index: int) -> str:
    if len(ctx.args) <= index or not ctx.args[index].strip():
        raise _stale()
    return ctx.args[index].strip()


def _int_arg(ctx: Ctx, index: int) -> int:
    value = _arg(ctx, index)
    if not value.isdigit():
        raise _stale()
    return int(value)


def _version_arg(ctx: Ctx, index: int) -> int | None:
    return int(ctx.args[index]) if len(ctx.args) > index and ctx.args[index].isdigit() else None


def _b(ctx: Ctx, key: str, action: str, *args: str | int) -> Button:
    return Button(ctx.t(key), payload(action, *args))


def _when(ctx: Ctx, at: datetime | None) -> str:
    """HH:MM in business time; the date too when it was not today."""
    if at is None:
        return "?"
    local = at.astimezone(ctx.deps.clock.tz)
    return local.strftime("%H:%M") if local.date() == ctx.deps.clock.today() else local.strftime("%m-%d %H:%M")


def _label(lang: str, labels: tuple[str, str]) -> str:
    return i18n.pick(lang, *labels)


async def _person(ctx: Ctx, label: str | None) -> str:
    """A readable name for an actor label: a staff user's display name, a dealer user's name."""
    if not label:
        return "?"
    kind, _, rest = label.partition(":")
    if kind == "system":
        return ctx.t("staff.system")
    if kind in ("staff", "dealer"):
        username = rest if kind == "staff" else rest.partition(":")[2]
        async with ctx.uow() as uow:
            user = await uow.users.get_by(username=username) if username else None
        return user.display_name if user is not None and user.display_name else (username or label)
    return rest or label


def drop_pending(ctx: Ctx) -> None:
    """A new staff button abandons a half-typed reason/comment of this flow (so a stray text later
    does not reject the wrong thing); other flows' dialogs are left alone."""
    if ctx.dialog.state in TEXT_STATES:
        ctx.idle()


def _typed(ctx: Ctx, limit: int) -> str | None:
    """The text the person typed, or None when the message is not (non-empty) text."""
    if ctx.inbound.kind != InboundKind.TEXT or not ctx.inbound.text.strip():
        return None
    text = ctx.inbound.text.strip()
    if len(text) > limit:
        raise ValidationFailed(zh=i18n.t("zh-CN", "staff.too_long", limit=limit),
                               en=i18n.t("en", "staff.too_long", limit=limit), reason="too long")
    return text


def _ask(ctx: Ctx, text: str) -> Reply:
    return Reply(text=text, buttons=[[_b(ctx, "staff.btn.cancel", "staff.abort")]])


def _edited(ctx: Ctx, text: str, prompt_ref: str, buttons: list[list[Button]] | None = None) -> Reply:
    """The prompt, rewritten to show the outcome (a new message where the channel cannot edit)."""
    return Reply(text=text, buttons=buttons or [], edit_ref=prompt_ref)


async def _decided_line(ctx: Ctx) -> str:
    return ctx.t("staff.decided_by", who=await _person(ctx, ctx.actor.label), time=_when(ctx, ctx.deps.clock.now()))


async def _already(ctx: Ctx, ref: str, label: str | None, at: datetime | None, status: str,
                   prompt_ref: str) -> list[Reply]:
    """Somebody (maybe this person, on a double tap) decided first: say who and when, retire the prompt."""
    if label == ctx.actor.label:
        text = ctx.t("staff.already.you", ref=ref, time=_when(ctx, at), status=status)
    else:
        text = ctx.t("staff.already", ref=ref, who=await _person(ctx, label), time=_when(ctx, at), status=status)
    replies = [Reply(text=text)]
    if prompt_ref:
        replies.insert(0, _edited(ctx, text, prompt_ref))
    return replies


def decision_buttons(lang: str, kind: str, ref: str | int, version: int | None = None) -> list[list[Button]]:
    """Approve / Reject / Details for an approval prompt; ``kind``: order, dealer, qual or mat.

    Other flows may use it when they push prompts to staff (the payloads are this module's).
    """
    extra: tuple[int, ...] = (version,) if version is not None else ()
    return [[Button(i18n.t(lang, "staff.btn.approve"), payload(f"staff.{kind}.approve", ref, *extra)),
             Button(i18n.t(lang, "staff.btn.reject"), payload(f"staff.{kind}.reject", ref, *extra)),
             Button(i18n.t(lang, "staff.btn.detail"), payload(f"staff.{kind}.detail", ref))]]


@router.button("staff.abort")
async def abort(ctx: Ctx) -> list[Reply]:
    drop_pending(ctx)
    return [Reply(text=ctx.t("staff.aborted"))]


# --- orders: approval ------------------------------------------------------------------------------

async def order_line(ctx: Ctx, order: Order) -> str:
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(order.dealer_id)
    return ctx.t("staff.order.line", number=order.number, dealer=dealer.name if dealer else order.dealer_id,
                 total=fmt_cny(order.total))


async def _order_taken(ctx: Ctx, number: str, action: OrderAction, prompt_ref: str,
                       error: DomainError) -> list[Reply]:
    """After a refused order transition: if the order has moved on, tell who moved it; else re-raise."""
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status in ORDER_TRANSITIONS[action].sources or not order.events:
        raise error
    event = order.events[-1]
    return await _already(ctx, number, event.actor, event.at, status_label(order.status, ctx.lang), prompt_ref)


@router.button("staff.order.approve")
async def approve_order(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_APPROVE)
    drop_pending(ctx)
    number, prompt_ref = _arg(ctx, 0), ctx.inbound.message_ref
    cmd = order_cases.ApproveOrder(number=number, expected_version=_version_arg(ctx, 1))
    try:
        order = await order_cases.approve_order(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _order_taken(ctx, number, OrderAction.APPROVE, prompt_ref, exc)
    line = await order_line(ctx, order)
    buttons = []
    if OrderAction.ALLOCATE.value in order_actions(order, ctx.actor):
        buttons.append([_b(ctx, "staff.btn.allocate", "staff.alloc", number)])
    text = ctx.t("staff.order.approved", line=line) + "\n" + await _decided_line(ctx)
    return [_edited(ctx, text, prompt_ref, buttons)]


@router.button("staff.order.reject")
async def reject_order_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_APPROVE)
    drop_pending(ctx)
    number, prompt_ref = _arg(ctx, 0), ctx.inbound.message_ref
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status not in ORDER_TRANSITIONS[OrderAction.REJECT].sources and order.events:
        event = order.events[-1]
        return await _already(ctx, number, event.actor, event.at, status_label(order.status, ctx.lang), prompt_ref)
    ctx.go(REASON, kind="order", ref=number, version=_version_arg(ctx, 1), prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.order.ask_reason", number=number))]


async def _reject_order(ctx: Ctx, number: str, reason: str, version: int | None, prompt_ref: str) -> list[Reply]:
    cmd = order_cases.RejectOrder(number=number, reason=reason, expected_version=version)
    try:
        order = await order_cases.reject_order(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _order_taken(ctx, number, OrderAction.REJECT, prompt_ref, exc)
    text = ctx.t("staff.order.rejected", line=await order_line(ctx, order), reason=mask_text(reason))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


@router.button("staff.order.detail")
async def order_detail(ctx: Ctx) -> list[Reply]:
    _require_any(ctx, P.ORDER_READ_ALL, P.ORDER_APPROVE, P.ORDER_ALLOCATE, P.ORDER_SHIP)
    order = await order_cases.get_order(ctx.uow(), ctx.actor, _arg(ctx, 0))
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(order.dealer_id)
    lang = ctx.lang
    lines = [ctx.t("staff.order.title", number=order.number, status=status_label(order.status, lang)),
             ctx.t("staff.order.dealer", dealer=dealer.name if dealer else "?", code=dealer.code if dealer else "?")]
    for ln in order.lines:
        free = f" +{ln.free_qty}" if ln.free_qty else ""
        lines.append(f"· {ln.sku} {ln.name} ×{ln.qty}{free} {fmt_cny(ln.unit_price)} = {fmt_cny(ln.amount)}")
    lines.append(ctx.t("staff.order.total", total=fmt_cny(order.total), discount=fmt_cny(order.discount_total)))
    lines.append(ctx.t("staff.order.paid", rebate=fmt_cny(order.paid_from_rebate),
                       prepay=fmt_cny(order.paid_from_prepayment), credit=fmt_cny(order.paid_from_credit)))
    if order.status == OrderStatus.SUBMITTED:
        lines.extend(f"⚠️ {approval_reason_text(code, lang)}" for code in order.approval_reasons)
    if order.requested_delivery:
        lines.append(ctx.t("staff.order.delivery", date=order.requested_delivery.isoformat()))
    placed = ctx.t("staff.order.placed", who=await _person(ctx, order.placed_by), time=_when(ctx, order.created_at))
    lines.append(placed + (ctx.t("staff.order.on_behalf") if order.on_behalf else ""))
    if order.carrier:
        lines.append(ctx.t("staff.order.shipping", carrier=order.carrier, tracking=order.tracking_no or ""))
    if order.note:
        lines.append(ctx.t("staff.order.note", note=mask_text(order.note)))
    for event in order.events[-3:]:
        note = f" {mask_text(event.note)}" if event.note else ""
        lines.append(f"  {_when(ctx, event.at)} {status_label(event.status, lang)} "
                     f"{await _person(ctx, event.actor)}{note}")
    actions = order_actions(order, ctx.actor)
    buttons: list[list[Button]] = []
    if OrderAction.APPROVE.value in actions:
        buttons.append(decision_buttons(lang, "order", order.number, order.version)[0][:2])
    if OrderAction.ALLOCATE.value in actions:
        buttons.append([_b(ctx, "staff.btn.allocate", "staff.alloc", order.number)])
    if OrderAction.SHIP.value in actions:
        buttons.append([_b(ctx, "staff.btn.ship", "staff.ship", order.number)])
    return [Reply(text="\n".join(lines), buttons=buttons)]


# --- orders: the desk (allocate, ship) ----------------------------------------------------------

@router.command("desk")
@router.button("staff.orders")
async def order_desk(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    _require_any(ctx, P.ORDER_ALLOCATE, P.ORDER_SHIP)
    perms, clock = ctx.actor.permissions, ctx.deps.clock
    to_allocate = await all_waiting(ctx.uow(), ctx.actor, Queue.ALLOCATE, clock) if P.ORDER_ALLOCATE in perms else []
    to_ship = await all_waiting(ctx.uow(), ctx.actor, Queue.SHIP, clock) if P.ORDER_SHIP in perms else []
    if not to_allocate and not to_ship:
        return [Reply(text=ctx.t("staff.desk.empty"))]
    lines = [ctx.t("staff.desk.title", allocate=len(to_allocate), ship=len(to_ship))]
    buttons: list[list[Button]] = []
    offsets = [offset_arg(ctx, 0), offset_arg(ctx, 1)]
    for index, (head, orders, action, icon) in enumerate((
            ("staff.desk.allocate_head", to_allocate, "staff.alloc", "📦"),
            ("staff.desk.ship_head", to_ship, "staff.ship", "🚚"))):
        if not orders:
            continue
        shown = page_of(orders, offsets[index], DESK_LIMIT)
        offsets[index] = orders.index(shown[0])
        lines.append(ctx.t(head) + (f"（{page_where(ctx, offsets[index], len(shown), len(orders))}）"
                                    if len(orders) > DESK_LIMIT else ""))
        for order in shown:
            lines.append(f"· {order.ref} {order.dealer_name} {order.summary}（{ctx.pick(*order.status_label)}）")
            buttons.append([Button(f"{icon} {order.ref}", payload(action, order.ref)),
                            _b(ctx, "staff.btn.detail", "staff.order.detail", order.ref)])
    typed: dict[str, str] = {}                                  # a typed 下一页 pages the first list that can
    for index, orders in enumerate((to_allocate, to_ship)):    # ◀ ▶ per list, the other list stays where it is
        row = []
        for b in pager_row(ctx, "staff.orders", offsets[index], len(orders), DESK_LIMIT):
            moved = [int(b.payload.rsplit("|", 1)[1]) if i == index else offsets[i] for i in (0, 1)]
            row.append(Button(f"{'📦' if index == 0 else '🚚'} {b.label}", payload("staff.orders", *moved)))
            typed.setdefault("prev" if moved[index] < offsets[index] else "next", row[-1].payload)
        if row:
            buttons.append(row)
    remember_pages(ctx, prev=typed.get("prev", ""), next=typed.get("next", ""))
    return [Reply(text="\n".join(lines), buttons=buttons)]


def _needs(order: Order) -> dict[str, int]:
    need: dict[str, int] = {}
    for line in order.lines:
        need[line.sku] = need.get(line.sku, 0) + line.qty + line.free_qty
    return need


@router.button("staff.alloc")
async def allocate_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_ALLOCATE)
    drop_pending(ctx)
    number = _arg(ctx, 0)
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status not in ORDER_TRANSITIONS[OrderAction.ALLOCATE].sources:
        event = order.events[-1] if order.events else None
        return await _already(ctx, number, event.actor if event else None, event.at if event else None,
                              status_label(order.status, ctx.lang), ctx.inbound.message_ref)
    need = _needs(order)
    async with ctx.uow() as uow:
        warehouses = await uow.warehouses.list(order_by="code")
        rows = await uow.stock.list(sku__in=list(need))
    available = {(r.warehouse_id, r.sku): r.available for r in rows}
    enough = [w for w in warehouses
              if all(available.get((w.id or 0, sku), 0) >= qty for sku, qty in need.items())]
    needs = "、".join(f"{sku}×{qty}" for sku, qty in need.items())
    buttons = [[Button(f"🏭 {w.code} {w.name}", payload("staff.alloc.wh", number, w.id or 0))] for w in enough]
    if enough:
        buttons.append([_b(ctx, "staff.btn.auto", "staff.alloc.wh", number, 0)])
        return [Reply(text=ctx.t("staff.alloc.choose", number=number, needs=needs), buttons=buttons)]
    return [Reply(text=ctx.t("staff.alloc.none", number=number, needs=needs),
                  buttons=[[_b(ctx, "staff.btn.auto_produce", "staff.alloc.wh", number, 0)]])]


@router.button("staff.alloc.wh")
async def allocate(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_ALLOCATE)
    drop_pending(ctx)
    number, warehouse_id, prompt_ref = _arg(ctx, 0), _int_arg(ctx, 1), ctx.inbound.message_ref
    cmd = order_cases.AllocateOrder(number=number, warehouse_id=warehouse_id or None)
    try:
        order = await order_cases.allocate_order(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _order_taken(ctx, number, OrderAction.ALLOCATE, prompt_ref, exc)
    line = await order_line(ctx, order)
    if order.status == OrderStatus.IN_PRODUCTION:
        text = ctx.t("staff.order.produced", line=line)
        return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]
    async with ctx.uow() as uow:
        warehouse = await uow.warehouses.get(order.warehouse_id) if order.warehouse_id else None
    where = warehouse.code if warehouse else "?"
    buttons = [[_b(ctx, "staff.btn.ship", "staff.ship", number)]] if P.ORDER_SHIP in ctx.actor.permissions else []
    text = ctx.t("staff.order.allocated", line=line, warehouse=where)
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref, buttons)]


@router.button("staff.ship")
async def ship_ask_carrier(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_SHIP)
    drop_pending(ctx)
    number = _arg(ctx, 0)
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status not in ORDER_TRANSITIONS[OrderAction.SHIP].sources:
        event = order.events[-1] if order.events else None
        return await _already(ctx, number, event.actor if event else None, event.at if event else None,
                              status_label(order.status, ctx.lang), ctx.inbound.message_ref)
    names = [Button(_label(ctx.lang, c), payload("staff.ship.carrier", number, i)) for i, c in enumerate(CARRIERS)]
    names.append(_b(ctx, "staff.btn.other_carrier", "staff.ship.carrier", number, len(CARRIERS)))
    return [Reply(text=ctx.t("staff.ship.carrier", number=number), buttons=[names[:2], names[2:]])]


@router.button("staff.ship.carrier")
async def ship_carrier_chosen(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_SHIP)
    number, index = _arg(ctx, 0), _int_arg(ctx, 1)
    if index > len(CARRIERS):
        raise _stale()
    if index == len(CARRIERS):
        ctx.go(SHIP_CARRIER, ref=number, prompt=ctx.inbound.message_ref)
        return [_ask(ctx, ctx.t("staff.ship.carrier_name"))]
    carrier = CARRIERS[index][0]
    ctx.go(SHIP_TRACKING, ref=number, carrier=carrier, prompt=ctx.inbound.message_ref)
    return [_ask(ctx, ctx.t("staff.ship.tracking", carrier=_carrier_label(ctx.lang, carrier)))]


def _carrier_label(lang: str, carrier: str) -> str:
    known = {zh: (zh, en) for zh, en in CARRIERS}
    return _label(lang, known[carrier]) if carrier in known else carrier


@router.state(SHIP_CARRIER)
async def ship_carrier_typed(ctx: Ctx) -> list[Reply]:
    text = _typed(ctx, 200)
    if text is None or len(text) > 32:
        return [_ask(ctx, ctx.t("staff.ship.bad_carrier"))]
    data = ctx.dialog.data
    ctx.go(SHIP_TRACKING, ref=data.get("ref", ""), carrier=text, prompt=data.get("prompt", ""))
    return [_ask(ctx, ctx.t("staff.ship.tracking", carrier=text))]


@router.state(SHIP_TRACKING)
async def ship_tracking_typed(ctx: Ctx) -> list[Reply]:
    text = _typed(ctx, 200)
    tracking = re.sub(r"\s+", "", text or "")
    if not _TRACKING_RE.match(tracking):
        return [_ask(ctx, ctx.t("staff.ship.bad_tracking"))]
    data = dict(ctx.dialog.data)
    ctx.idle()
    number, carrier, prompt_ref = str(data.get("ref", "")), str(data.get("carrier", "")), str(data.get("prompt", ""))
    return await ship(ctx, number, carrier, tracking, prompt_ref)


def valid_tracking(tracking: str) -> bool:
    return bool(_TRACKING_RE.match(tracking))


async def ship(ctx: Ctx, number: str, carrier: str, tracking: str, prompt_ref: str) -> list[Reply]:
    """Ship ``number`` (the tracking number already checked); also the confirm of "SO-… 发货 德邦 DP123456"."""
    cmd = order_cases.ShipOrder(number=number, carrier=carrier, tracking_no=tracking)
    try:
        order = await order_cases.ship_order(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _order_taken(ctx, number, OrderAction.SHIP, prompt_ref, exc)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    text = ctx.t("staff.order.shipped", line=await order_line(ctx, order),
                 carrier=_carrier_label(ctx.lang, carrier), tracking=tracking)
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


# --- dealer applications --------------------------------------------------------------------------

def _docs_line(lang: str, docs: list[Qualification], today: date) -> str:
    sep = "；" if not i18n.is_english(lang) else "; "
    return sep.join(i18n.pick(lang, item.zh, item.en) for item in checklist(docs, today))


async def _dealer_by_code(ctx: Ctx) -> Dealer:
    return await dealer_cases.get_dealer_by_code(ctx.uow(), ctx.actor, _arg(ctx, 0))


async def _dealer_taken(ctx: Ctx, dealer: Dealer, prompt_ref: str, error: DomainError) -> list[Reply]:
    """After a refused onboarding decision: if the application is no longer under review, say who decided."""
    fresh = await dealer_cases.get_dealer(ctx.uow(), ctx.actor, dealer.id or 0)
    async with ctx.uow() as uow:
        last = await uow.audit.list(entity="dealer", entity_id=fresh.code, action__in=[
            "dealer.approve", "dealer.send_back", "dealer.terminate"], order_by="at", desc=True, limit=1)
    if fresh.status == DealerStatus.UNDER_REVIEW or not last:
        raise error
    return await _already(ctx, fresh.code, last[0].actor if last else None, last[0].at if last else None,
                          _label(ctx.lang, DEALER_STATUS_LABELS[fresh.status]), prompt_ref)


@router.button("staff.dealer.approve")
async def approve_dealer(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.DEALER_REVIEW)
    drop_pending(ctx)
    dealer, prompt_ref = await _dealer_by_code(ctx), ctx.inbound.message_ref
    assert dealer.id is not None
    try:
        dealer = await dealer_cases.approve_onboarding(ctx.uow(), ctx.actor, dealer_cases.ApproveOnboarding(dealer.id),
                                                       ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _dealer_taken(ctx, dealer, prompt_ref, exc)
    assert dealer.id is not None
    text = ctx.t("staff.dealer.approved", code=dealer.code, name=dealer.name)
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


@router.button("staff.dealer.reject")
async def reject_dealer_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.DEALER_REVIEW)
    drop_pending(ctx)
    dealer, prompt_ref = await _dealer_by_code(ctx), ctx.inbound.message_ref
    if dealer.status != DealerStatus.UNDER_REVIEW:
        return await _dealer_taken(ctx, dealer, prompt_ref,
                                   transition_refused(dealer.status, DealerAction.SEND_BACK))
    ctx.go(REASON, kind="dealer", ref=dealer.code, prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.dealer.ask_reason", code=dealer.code))]


async def _send_back_dealer(ctx: Ctx, code: str, reason: str, prompt_ref: str) -> list[Reply]:
    dealer = await dealer_cases.get_dealer_by_code(ctx.uow(), ctx.actor, code)
    assert dealer.id is not None
    try:
        dealer = await dealer_cases.send_back(ctx.uow(), ctx.actor, dealer_cases.SendBack(dealer.id, reason),
                                              ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _dealer_taken(ctx, dealer, prompt_ref, exc)
    assert dealer.id is not None
    text = ctx.t("staff.dealer.sent_back", code=dealer.code, name=dealer.name, reason=mask_text(reason))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


@router.button("staff.dealer.detail")
async def dealer_detail(ctx: Ctx) -> list[Reply]:
    _require_any(ctx, P.DEALER_REVIEW, P.DEALER_READ_ALL)
    dealer = await _dealer_by_code(ctx)
    assert dealer.id is not None
    items = await qualifications.dealer_checklist(ctx.uow(), ctx.actor, dealer.id, ctx.deps.clock.today())
    async with ctx.uow() as uow:
        pending = await uow.qualifications.list(dealer_id=dealer.id, status=ReviewStatus.PENDING, order_by="id")
    lang = ctx.lang
    contacts = "、".join(_contact_line(ctx, c) for c in dealer.contacts) or "-"
    lines = [ctx.t("staff.dealer.title", code=dealer.code, name=dealer.name,
                   status=_label(lang, DEALER_STATUS_LABELS[dealer.status])),
             ctx.t("staff.dealer.facts", uscc=dealer.uscc, province=dealer.province, city=dealer.city,
                   region=dealer.region, tier=dealer.tier, contacts=contacts)]
    if dealer.status_reason:
        lines.append(f"⚠️ {dealer.status_reason}")
    lines.append(ctx.t("staff.dealer.checklist"))
    lines.extend(f"{'✅' if item.ok else '⬜'} {i18n.pick(lang, item.zh, item.en)}" for item in items)
    buttons: list[list[Button]] = []
    if pending:
        lines.append(ctx.t("staff.dealer.pending_docs"))
    may_review = P.DEALER_REVIEW in ctx.actor.permissions
    for doc in pending:
        label = _label(lang, DOCUMENT_LABELS[doc.doc_type])
        lines.append(f"· #{doc.id} {label} {doc.number}")
        if may_review and doc.id is not None:
            buttons.append([Button(f"✅ #{doc.id} {label}", payload("staff.qual.approve", doc.id)),
                            Button(f"❌ #{doc.id}", payload("staff.qual.reject", doc.id))])
    if may_review and dealer.status == DealerStatus.UNDER_REVIEW:
        buttons.append(decision_buttons(lang, "dealer", dealer.code)[0][:2])
    if may_review and any(c.phone for c in dealer.contacts):
        buttons.append(reveal_button(ctx, RevealKind.DEALER_CONTACT, dealer.code))
    return [Reply(text="\n".join(lines), buttons=buttons)]


def _contact_line(ctx: Ctx, contact: Contact) -> str:
    """``陈明（老板） 139****5678``: the contact's name and role, the phone and ID number masked."""
    line = contact.name + (f"（{contact.role}）" if contact.role else "")
    if contact.phone:
        line += f" {mask_phone(contact.phone)}"
    if contact.id_number:
        line += " " + ctx.t("staff.dealer.id_number", number=mask_id_number(contact.id_number))
    return line


# --- qualification documents --------------------------------------------------------------------

async def _qual_with_dealer(ctx: Ctx, qual_id: int) -> tuple[Qualification, Dealer]:
    """The document and its dealer, for a reviewer (NotFound as the use cases answer it)."""
    require(ctx.actor, P.DEALER_REVIEW)
    async with ctx.uow() as uow:
        doc = await uow.qualifications.get(qual_id)
        dealer = await uow.dealers.get(doc.dealer_id) if doc is not None else None
    if doc is None or dealer is None:
        raise NotFound(zh=f"未找到资质文件：{qual_id}", en=f"Document not found: {qual_id}",
                       what=f"qualification {qual_id}")
    return doc, dealer


def _qual_params(ctx: Ctx, doc: Qualification, dealer: Dealer) -> dict[str, Any]:
    return {"id": doc.id, "doc": _label(ctx.lang, DOCUMENT_LABELS[doc.doc_type]), "number": doc.number,
            "code": dealer.code, "dealer": dealer.name}


async def _qual_taken(ctx: Ctx, qual_id: int, prompt_ref: str, error: DomainError) -> list[Reply]:
    async with ctx.uow() as uow:
        doc = await uow.qualifications.get(qual_id)
    if doc is None or doc.status == ReviewStatus.PENDING:
        raise error
    status = ctx.pick("已通过", "approved") if doc.status == ReviewStatus.APPROVED else ctx.pick("已驳回", "rejected")
    return await _already(ctx, f"#{qual_id}", doc.reviewed_by, doc.reviewed_at, status, prompt_ref)


@router.button("staff.qual.approve")
async def approve_qual(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.DEALER_REVIEW)
    drop_pending(ctx)
    qual_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    try:
        doc = await qualifications.approve_qualification(ctx.uow(), ctx.actor,
                                                         qualifications.ApproveQualification(qual_id), ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _qual_taken(ctx, qual_id, prompt_ref, exc)
    _, dealer = await _qual_with_dealer(ctx, qual_id)
    text = ctx.t("staff.qual.approved", **_qual_params(ctx, doc, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


@router.button("staff.qual.reject")
async def reject_qual_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.DEALER_REVIEW)
    drop_pending(ctx)
    qual_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    doc, _ = await _qual_with_dealer(ctx, qual_id)
    if doc.status != ReviewStatus.PENDING:
        return await _qual_taken(ctx, qual_id, prompt_ref, InvalidTransition())
    ctx.go(REASON, kind="qual", ref=qual_id, prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.qual.ask_reason", id=qual_id))]


async def _reject_qual(ctx: Ctx, qual_id: int, reason: str, prompt_ref: str) -> list[Reply]:
    try:
        doc = await qualifications.reject_qualification(
            ctx.uow(), ctx.actor, qualifications.RejectQualification(qual_id, reason), ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _qual_taken(ctx, qual_id, prompt_ref, exc)
    _, dealer = await _qual_with_dealer(ctx, qual_id)
    text = ctx.t("staff.qual.rejected", reason=mask_text(reason), **_qual_params(ctx, doc, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


def _qual_prompt_text(ctx: Ctx, doc: Qualification, dealer: Dealer) -> str:
    expires = doc.expires_on.isoformat() if doc.expires_on else ctx.t("staff.qual.no_expiry")
    renewal = ctx.t("staff.qual.renewal") if doc.replaces_id else ""
    return ctx.t("staff.qual.prompt", expires=expires, renewal=renewal, **_qual_params(ctx, doc, dealer))


@router.button("staff.qual.detail")
async def qual_detail(ctx: Ctx) -> list[Reply]:
    doc, dealer = await _qual_with_dealer(ctx, _int_arg(ctx, 0))
    status = {ReviewStatus.PENDING: ("待审核", "pending"), ReviewStatus.APPROVED: ("已通过", "approved"),
              ReviewStatus.REJECTED: ("已驳回", "rejected")}[doc.status]
    lines = [_qual_prompt_text(ctx, doc, dealer), ctx.t("staff.qual.status", status=_label(ctx.lang, status))]
    if doc.issued_on:
        lines.append(ctx.pick(f"签发：{doc.issued_on.isoformat()}", f"Issued: {doc.issued_on.isoformat()}"))
    if doc.file_ref:
        lines.append(ctx.t("staff.qual.file", file=doc.file_ref))
    if doc.reject_reason:
        lines.append(f"⚠️ {doc.reject_reason}")
    buttons = decision_buttons(ctx.lang, "qual", doc.id or 0)[0][:2] if doc.status == ReviewStatus.PENDING else []
    return [Reply(text="\n".join(lines), buttons=[buttons] if buttons else [])]


# --- marketing material requests ----------------------------------------------------------------

async def _mat_with_context(ctx: Ctx, request_id: int) -> tuple[MaterialRequest, MarketingMaterial, Dealer]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    async with ctx.uow() as uow:
        request = await uow.material_requests.get(request_id)
        material = await uow.materials.get(request.material_id) if request is not None else None
        dealer = await uow.dealers.get(request.dealer_id) if request is not None else None
    if request is None or material is None or dealer is None:
        raise NotFound(zh=f"未找到物料申请：{request_id}", en=f"Material request not found: {request_id}",
                       what=f"material request {request_id}")
    return request, material, dealer


def _mat_params(request: MaterialRequest, material: MarketingMaterial, dealer: Dealer) -> dict[str, Any]:
    return {"id": request.id, "name": material.name, "qty": request.qty, "code": dealer.code, "dealer": dealer.name}


async def _mat_taken(ctx: Ctx, request_id: int, prompt_ref: str, error: DomainError) -> list[Reply]:
    async with ctx.uow() as uow:
        request = await uow.material_requests.get(request_id)
    if request is None or request.status == RequestStatus.PENDING:
        raise error
    return await _already(ctx, f"#{request_id}", request.decided_by, request.decided_at,
                          _label(ctx.lang, REQUEST_STATUS_LABELS[request.status]), prompt_ref)


@router.button("staff.mat.approve")
async def approve_mat(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    drop_pending(ctx)
    request_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    try:
        request = await materials.approve_material_request(ctx.uow(), ctx.actor, request_id, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _mat_taken(ctx, request_id, prompt_ref, exc)
    _, material, dealer = await _mat_with_context(ctx, request_id)
    text = ctx.t("staff.mat.approved", **_mat_params(request, material, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref,
                    [[_b(ctx, "staff.btn.dispatch", "staff.mat.dispatch", request_id)]])]


@router.button("staff.mat.reject")
async def reject_mat_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    drop_pending(ctx)
    request_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    request, _, _ = await _mat_with_context(ctx, request_id)
    if request.status != RequestStatus.PENDING:
        return await _mat_taken(ctx, request_id, prompt_ref, InvalidTransition())
    ctx.go(REASON, kind="mat", ref=request_id, prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.mat.ask_reason", id=request_id))]


async def _reject_mat(ctx: Ctx, request_id: int, reason: str, prompt_ref: str) -> list[Reply]:
    try:
        request = await materials.reject_material_request(ctx.uow(), ctx.actor, request_id, reason, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _mat_taken(ctx, request_id, prompt_ref, exc)
    _, material, dealer = await _mat_with_context(ctx, request_id)
    text = ctx.t("staff.mat.rejected", reason=mask_text(reason), **_mat_params(request, material, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


def _mat_prompt_text(ctx: Ctx, request: MaterialRequest, material: MarketingMaterial, dealer: Dealer) -> str:
    why = ctx.t("staff.mat.reason", reason=request.reason) if request.reason else ""
    return ctx.t("staff.mat.prompt", stock=material.stock, reason=why, **_mat_params(request, material, dealer))


@router.button("staff.mat.detail")
async def mat_detail(ctx: Ctx) -> list[Reply]:
    request, material, dealer = await _mat_with_context(ctx, _int_arg(ctx, 0))
    lines = [_mat_prompt_text(ctx, request, material, dealer),
             ctx.t("staff.mat.status", status=_label(ctx.lang, REQUEST_STATUS_LABELS[request.status]))]
    if request.reject_reason:
        lines.append(f"⚠️ {request.reject_reason}")
    pending = request.status == RequestStatus.PENDING
    buttons = [decision_buttons(ctx.lang, "mat", request.id or 0)[0][:2]] if pending else []
    if request.status == RequestStatus.APPROVED:
        buttons = [[_b(ctx, "staff.btn.dispatch", "staff.mat.dispatch", request.id or 0)]]
    return [Reply(text="\n".join(lines), buttons=buttons)]


@router.button("staff.mat.dispatch")
async def dispatch_mat(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    request_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    try:
        request = await materials.dispatch_material_request(ctx.uow(), ctx.actor, request_id, ctx.deps.clock)
    except InvalidTransition:
        found, _, _ = await _mat_with_context(ctx, request_id)
        if found.status != RequestStatus.DISPATCHED:
            raise
        return await _already(ctx, f"#{request_id}", found.dispatched_by, found.dispatched_at,
                              _label(ctx.lang, REQUEST_STATUS_LABELS[found.status]), prompt_ref)
    _, material, dealer = await _mat_with_context(ctx, request_id)
    text = ctx.t("staff.mat.dispatched", stock=material.stock, **_mat_params(request, material, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


# --- the reason / note the person types ------------------------------------------------------------

@router.state(REASON)
async def reason_typed(ctx: Ctx) -> list[Reply]:
    try:
        reason = _typed(ctx, MAX_REASON)
    except ValidationFailed as exc:
        return [_ask(ctx, exc.message(ctx.lang))]
    if reason is None:
        return [_ask(ctx, ctx.t("staff.need_text"))]
    data = dict(ctx.dialog.data)
    ctx.idle()
    kind, ref, prompt_ref = data.get("kind"), str(data.get("ref", "")), str(data.get("prompt", ""))
    try:
        if kind == "order":
            version = data.get("version")
            return await _reject_order(ctx, ref, reason, version if isinstance(version, int) else None, prompt_ref)
        if kind == "dealer":
            return await _send_back_dealer(ctx, ref, reason, prompt_ref)
        if kind == "qual" and ref.isdigit():
            return await _reject_qual(ctx, int(ref), reason, prompt_ref)
        if kind == "mat" and ref.isdigit():
            return await _reject_mat(ctx, int(ref), reason, prompt_ref)
        if kind == "ticket":
            return await _ticket_move(ctx, ref, TicketAction.REJECT, prompt_ref, reason)
    except DomainError as exc:
        # the dialog is over either way; say why without leaving the person stuck in it
        return [Reply(text=exc.message(ctx.lang))]
    return [Reply(text=ctx.t("error.button_stale"))]


@router.state(TICKET_NOTE)
async def ticket_note_typed(ctx: Ctx) -> list[Reply]:
    try:
        note = _typed(ctx, MAX_NOTE)
    except ValidationFailed as exc:
        return [_ask(ctx, exc.message(ctx.lang))]
    if note is None:
        return [_ask(ctx, ctx.t("staff.need_text"))]
    data = dict(ctx.dialog.data)
    ctx.idle()
    number, prompt_ref = str(data.get("ref", "")), str(data.get("prompt", ""))
    try:
        if data.get("action") == "comment":
            return await _ticket_comment(ctx, number, note)
        if data.get("action") == "info":
            await aftersales.request_info(ctx.uow(), ctx.actor, number, note, ctx.deps.clock)
            ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
            return [Reply(text=ctx.t("staff.ticket.info_sent", ref=number, text=mask_text(note)),
                          buttons=_ticket_buttons(ctx, ticket))]
        return await _ticket_move(ctx, number, TicketAction.RESOLVE, prompt_ref, note)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]


# --- after-sales tickets ------------------------------------------------------------------------

def _ticket_mark(ticket: Ticket, now: datetime) -> str:
    return "⏰ " if is_sla_breached(ticket, now) else ""


def _ticket_buttons(ctx: Ctx, ticket: Ticket) -> list[list[Button]]:
    keys = {TicketAction.ACCEPT: "staff.btn.accept", TicketAction.START: "staff.btn.start",
            TicketAction.RESOLVE: "staff.btn.resolve", TicketAction.REJECT: "staff.btn.reject",
            TicketAction.CLOSE: "staff.btn.close"}
    row = [_b(ctx, keys[a], f"staff.ticket.{a.value}", ticket.number)
           for a in ticket_actions(ticket.status) if a in keys]
    if ticket.status not in (TicketStatus.CLOSED, TicketStatus.REJECTED):
        row.append(_b(ctx, "staff.btn.comment", "staff.ticket.comment", ticket.number))
    if ticket.status in ACTIVE_STATUSES:
        row.append(_b(ctx, "staff.btn.info", "staff.ticket.info", ticket.number))
    return [row[i:i + 3] for i in range(0, len(row), 3)]


@router.button("staff.ticket.detail")
async def ticket_detail(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.TICKET_HANDLE)
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, _arg(ctx, 0))
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(ticket.dealer_id)
    now, lang = ctx.deps.clock.now(), ctx.lang
    lines = [ctx.t("staff.ticket.title", mark=_ticket_mark(ticket, now), number=ticket.number,
                   status=_label(lang, TICKET_STATUS_LABELS[ticket.status]),
                   priority=_label(lang, PRIORITY_LABELS[ticket.priority])),
             ctx.t("staff.ticket.dealer", dealer=dealer.name if dealer else "?", code=dealer.code if dealer else "?")]
    if ticket.sku or ticket.serial_no:
        lines.append(ctx.t("staff.ticket.product", sku=ticket.sku or "", serial=ticket.serial_no or ""))
    lines.append(ctx.t("staff.ticket.problem", text=mask_text(ticket.description)))
    if ticket.customer_name or ticket.customer_phone:
        lines.append(ctx.t("staff.ticket.customer", name=mask_name(ticket.customer_name),
                           phone=mask_phone(ticket.customer_phone)))
    if ticket.photos:
        lines.append(ctx.t("staff.ticket.photos", n=len(ticket.photos)))
    if ticket.sla_due_at:
        late = ctx.t("staff.ticket.late") if is_sla_breached(ticket, now) else ""
        lines.append(ctx.t("staff.ticket.due", due=_when(ctx, ticket.sla_due_at), late=late))
    if ticket.assignee:
        lines.append(ctx.t("staff.ticket.assignee", who=await _person(ctx, ticket.assignee)))
    if aftersales.waiting_for_dealer(ticket):
        lines.append(ctx.t("staff.ticket.waiting"))
    if ticket.satisfaction is not None:
        lines.append(ctx.t("staff.ticket.rating", stars="⭐" * ticket.satisfaction))
    if ticket.comments:
        lines.append(ctx.t("staff.ticket.history"))
        for c in ticket.comments[-3:]:
            status = f"[{_label(lang, TICKET_STATUS_LABELS[c.status])}] " if c.status else ""
            lines.append(f"  {_when(ctx, c.at)} {await _person(ctx, c.author)}：{status}{mask_text(c.text)}")
    buttons = _ticket_buttons(ctx, ticket)
    if ticket.customer_name or ticket.customer_phone:
        buttons.append(reveal_button(ctx, RevealKind.TICKET_CUSTOMER, ticket.number))
    return [*await _photo_replies(ctx, ticket.photos), Reply(text="\n".join(lines), buttons=buttons)]


async def _photo_replies(ctx: Ctx, refs: Sequence[str]) -> list[Reply]:
    """The ticket's photos as images before its card (the first few; where the files can be read)."""
    read = ctx.deps.read_file
    out: list[Reply] = []
    if read is None:
        return out
    for ref in list(refs)[:PHOTOS_SHOWN]:
        try:
            out.append(Reply(image=await read(ref), image_name=ref.rsplit("/", 1)[-1] or "photo.jpg"))
        except (OSError, LookupError, ValueError):       # a missing file: the card still says how many there are
            continue
    return out


async def _ticket_taken(ctx: Ctx, number: str, action: TicketAction, prompt_ref: str,
                        error: DomainError) -> list[Reply]:
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
    changes = [c for c in ticket.comments if c.status is not None]
    if ticket.status in TICKET_TRANSITIONS[action][0] or not changes:
        raise error
    return await _already(ctx, number, changes[-1].author, changes[-1].at,
                          _label(ctx.lang, TICKET_STATUS_LABELS[ticket.status]), prompt_ref)


async def _ticket_move(ctx: Ctx, number: str, action: TicketAction, prompt_ref: str, text: str = "") -> list[Reply]:
    clock = ctx.deps.clock
    try:
        if action == TicketAction.ACCEPT:
            ticket = await aftersales.accept_ticket(ctx.uow(), ctx.actor, number, clock)
        elif action == TicketAction.START:
            ticket = await aftersales.start_ticket(ctx.uow(), ctx.actor, number, clock)
        elif action == TicketAction.RESOLVE:
            ticket = await aftersales.resolve_ticket(ctx.uow(), ctx.actor, number, text, clock)
        elif action == TicketAction.REJECT:
            ticket = await aftersales.reject_ticket(ctx.uow(), ctx.actor, number, text, clock)
        elif action == TicketAction.CLOSE:
            ticket = await aftersales.close_ticket(ctx.uow(), ctx.actor, number, clock)
        else:
            raise _stale()
    except (Conflict, InvalidTransition) as exc:
        return await _ticket_taken(ctx, number, action, prompt_ref, exc)
    status = _label(ctx.lang, TICKET_STATUS_LABELS[ticket.status])
    summary = ctx.t("staff.ticket.changed", status=status, ref=number) + (f"\n{mask_text(text)}" if text else "")
    return [_edited(ctx, summary + "\n" + await _decided_line(ctx), prompt_ref, _ticket_buttons(ctx, ticket))]


@router.button("staff.ticket.accept", "staff.ticket.start", "staff.ticket.close")
async def ticket_step(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.TICKET_HANDLE)
    drop_pending(ctx)
    action = TicketAction(ctx.inbound.payload.split("|")[1].rpartition(".")[2])
    return await _ticket_move(ctx, _arg(ctx, 0), action, ctx.inbound.message_ref)


@router.button("staff.ticket.comment", "staff.ticket.resolve", "staff.ticket.reject", "staff.ticket.info")
async def ticket_ask_text(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.TICKET_HANDLE)
    drop_pending(ctx)
    number, prompt_ref = _arg(ctx, 0), ctx.inbound.message_ref
    which = ctx.inbound.payload.split("|")[1].rpartition(".")[2]
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
    if which == "reject":
        if ticket.status not in TICKET_TRANSITIONS[TicketAction.REJECT][0]:
            return await _ticket_taken(ctx, number, TicketAction.REJECT, prompt_ref,
                                       invalid_transition(ticket.status, TicketAction.REJECT))
        ctx.go(REASON, kind="ticket", ref=number, prompt=prompt_ref)
        return [_ask(ctx, ctx.t("staff.ticket.ask_reason", number=number))]
    if which == "resolve":
        if ticket.status not in TICKET_TRANSITIONS[TicketAction.RESOLVE][0]:
            return await _ticket_taken(ctx, number, TicketAction.RESOLVE, prompt_ref,
                                       invalid_transition(ticket.status, TicketAction.RESOLVE))
        ctx.go(TICKET_NOTE, action="resolve", ref=number, prompt=prompt_ref)
        return [_ask(ctx, ctx.t("staff.ticket.ask_resolution", number=number))]
    if which == "info":
        if ticket.status not in ACTIVE_STATUSES:
            raise invalid_transition(ticket.status, TicketAction.START)
        ctx.go(TICKET_NOTE, action="info", ref=number, prompt=prompt_ref)
        return [_ask(ctx, ctx.t("staff.ticket.ask_info", number=number))]
    ctx.go(TICKET_NOTE, action="comment", ref=number, prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.ticket.ask_comment", number=number))]


def _avg(value: Decimal | None) -> str:
    return "-" if value is None else f"{value}"


@router.button("staff.ticket.stats")
async def ticket_stats(ctx: Ctx) -> list[Reply]:
    """Last 90 days by product, dealer and defect category (top 5 each)."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    _require_any(ctx, P.TICKET_HANDLE, P.REPORT_READ_ALL)
    today = ctx.deps.clock.today()
    stats = await aftersales.ticket_statistics(ctx.uow(), ctx.actor, ctx.deps.clock,
                                               since=today - timedelta(days=STATS_DAYS - 1), until=today)
    total = stats.total
    lines = [ctx.t("staff.stats.title", n=total.tickets, open=total.open, late=total.late,
                   avg=_avg(total.avg_satisfaction))]
    for key, groups in (("staff.stats.product", stats.by_product), ("staff.stats.dealer", stats.by_dealer),
                        ("staff.stats.defect", stats.by_defect)):
        if groups:
            lines.append(ctx.t(key))
            lines.extend(ctx.t("staff.stats.line", name=g.key, n=g.tickets, open=g.open, late=g.late,
                               avg=_avg(g.avg_satisfaction)) for g in groups[:5])
    return [Reply(text="\n".join(lines), buttons=[[_b(ctx, "staff.btn.tickets", "staff.tickets")]])]


async def _ticket_comment(ctx: Ctx, number: str, text: str) -> list[Reply]:
    await aftersales.add_comment(ctx.uow(), ctx.actor, number, text, ctx.deps.clock)
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
    return [Reply(text=ctx.t("staff.ticket.commented", ref=number, text=mask_text(text)),
                  buttons=_ticket_buttons(ctx, ticket))]


# --- approvals: everything waiting for this person's decision -------------------------------------

@router.command("approvals")
@router.button("staff.approvals")
@router.staff_phrase("审批", "approvals", anywhere=("待审批", "待我审批", "有什么要审批的", "要审批的", "pending approvals"))
async def approvals(ctx: Ctx) -> list[Reply]:
    """Everything waiting for this person's decision, one message each with its buttons, a page at a time
    (``staff.approvals|<offset>``): orders, applications, documents, materials; for finance also rebate
    settlements, expense claims and credit requests. What waits comes from ``core.services.queues``."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    _require_any(ctx, P.ORDER_APPROVE, P.DEALER_REVIEW, P.MATERIAL_APPROVE, P.ACCOUNT_POST, P.CREDIT_APPROVE)
    drop_pending(ctx)
    perms = ctx.actor.permissions
    kinds: dict[Queue, str] = {Queue.APPROVE: "order", Queue.APPLICATIONS: "dealer", Queue.DOCUMENTS: "qual",
                               Queue.MATERIALS: "mat"}
    if P.ACCOUNT_POST in perms:
        kinds |= {Queue.REBATES: "rebate", Queue.CLAIMS: "claim", Queue.REFUNDS: "refund"}
    kinds[Queue.CREDIT] = "credit"
    waiting: list[tuple[str, QueueItem]] = []
    for queue, kind in kinds.items():
        if may_see(ctx.actor, queue):
            items = await all_waiting(ctx.uow(), ctx.actor, queue, ctx.deps.clock)
            waiting += [(kind, i) for i in items if kind != "mat" or i.status == RequestStatus.PENDING.value]
    counts = {key: sum(k == kind for k, _ in waiting)
              for key, kind in (("orders", "order"), ("dealers", "dealer"), ("quals", "qual"), ("mats", "mat"))}
    money = [(k, i) for k, i in waiting if k in ("rebate", "claim", "refund", "credit")]
    if not waiting:
        return [Reply(text=ctx.t("staff.approvals.empty"))]
    offset = offset_arg(ctx)
    shown = page_of(waiting, offset, LIST_LIMIT)
    offset = waiting.index(shown[0])
    header = ctx.t("staff.approvals.title", **counts) if {P.ORDER_APPROVE, P.DEALER_REVIEW, P.MATERIAL_APPROVE} \
        & perms else ctx.t("staff.approvals.title_money")
    if money:
        header += "\n" + ctx.t("staff.approvals.money", rebates=sum(k == "rebate" for k, _ in money),
                                claims=sum(k == "claim" for k, _ in money),
                                credit=sum(k == "credit" for k, _ in money))
        if refunds := sum(k == "refund" for k, _ in money):
            header += "\n" + ctx.t("fin.today.requests", n=refunds)
    header += "\n" + page_where(ctx, offset, len(shown), len(waiting))
    details = await _money_details(ctx, {k for k, _ in shown})
    items = [await _approval_item(ctx, kind, item, details) for kind, item in shown]
    replies = [Reply(text=header), *[item for item in items if item is not None]]
    pager = pager_row(ctx, "staff.approvals", offset, len(waiting), LIST_LIMIT)
    if pager:
        replies[-1].buttons.append(pager)
    return replies


async def _money_details(ctx: Ctx, kinds: set[str]) -> dict[tuple[str, str], Any]:
    """The finance items of a page as their use cases describe them (summary, id), keyed by (kind, ref)."""
    out: dict[tuple[str, str], Any] = {}
    if "rebate" in kinds:
        out |= {("rebate", str(s.settlement.id)): s for s in await list_pending_settlements(ctx.uow(), ctx.actor)}
    if "refund" in kinds:
        out |= {("refund", r.request.number): r for r in await list_finance_requests(ctx.uow(), ctx.actor,
                                                                                     limit=QUEUE_MAX)}
    if "credit" in kinds:
        out |= {("credit", c.change.number): c for c in await list_pending_credit_changes(ctx.uow(), ctx.actor)}
    if "claim" in kinds:
        out |= {("claim", c.number): c for c in await list_claims(ctx.uow(), ctx.actor, status=ClaimStatus.SUBMITTED,
                                                                    limit=QUEUE_MAX)}
    return out


async def _approval_item(ctx: Ctx, kind: str, item: QueueItem, details: dict[tuple[str, str], Any]) -> Reply | None:
    """One waiting item as its own message with the decision buttons."""
    lang, today = ctx.lang, ctx.deps.clock.today()
    thing = details.get((kind, item.ref))
    if kind == "rebate" and thing is not None:
        sid = thing.settlement.id or 0
        return Reply(text=thing.summary(lang), buttons=[[Button(ctx.t("fin.rb.ok"), payload("fin.rb.ok", sid)),
                                                         Button(ctx.t("fin.rb.no"), payload("fin.rb.no", sid))]])
    if kind == "refund" and thing is not None:
        rid = thing.request.id or 0
        return Reply(text=thing.summary(lang), buttons=[[Button(ctx.t("fin.fr.ok"), payload("fin.fr.ok", rid)),
                                                         Button(ctx.t("fin.fr.no"), payload("fin.fr.no", rid))]])
    if kind == "credit" and thing is not None:
        cid = thing.change.id or 0
        return Reply(text=thing.summary(lang), buttons=[[Button(ctx.t("cr.btn.ok"), payload("cr.ok", cid)),
                                                         Button(ctx.t("cr.btn.no"), payload("cr.no", cid))]])
    if kind == "claim" and thing is not None:
        return Reply(text=ctx.t("staff.approvals.claim", number=thing.number, amount=fmt_cny(thing.amount),
                                what=mask_text(thing.description)[:60], n=len(thing.evidence)),
                     buttons=[[Button(ctx.t("ctr.btn.approve"), payload("ctr.cl.yes", thing.id or 0, "p")),
                               Button(ctx.t("ctr.btn.approve_rebate"), payload("ctr.cl.yes", thing.id or 0, "r"))],
                              [Button(ctx.t("ctr.btn.reject"), payload("ctr.cl.no", thing.id or 0))]])
    if kind == "order":
        line = ctx.t("staff.order.line", number=item.ref, dealer=item.dealer_name or "?", total=item.summary)
        text = "\n".join([ctx.t("staff.order.prompt", line=line)]
                         + [f"⚠️ {approval_reason_text(c, lang)}" for c in item.notes])
        return Reply(text=text, buttons=decision_buttons(lang, "order", item.ref, item.version))
    if kind == "dealer" and item.dealer_id is not None:
        dealer = await dealer_cases.get_dealer(ctx.uow(), ctx.actor, item.dealer_id)
        docs = await qualifications.list_qualifications(ctx.uow(), ctx.actor, item.dealer_id)
        return Reply(text=ctx.t("staff.dealer.prompt", code=dealer.code, name=dealer.name, region=dealer.region,
                                city=dealer.city, tier=dealer.tier, docs=_docs_line(lang, docs, today)),
                     buttons=decision_buttons(lang, "dealer", dealer.code))
    if kind == "qual" and item.ref.isdigit():
        doc, dealer = await _qual_with_dealer(ctx, int(item.ref))
        return Reply(text=_qual_prompt_text(ctx, doc, dealer), buttons=decision_buttons(lang, "qual", int(item.ref)))
    if kind == "mat" and item.ref.isdigit():
        request, material, dealer = await _mat_with_context(ctx, int(item.ref))
        return Reply(text=_mat_prompt_text(ctx, request, material, dealer),
                     buttons=decision_buttons(lang, "mat", int(item.ref)))
    return None
