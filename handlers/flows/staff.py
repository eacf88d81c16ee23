"""Staff side of the chat: the pieces every staff flow shares, and the reason a person types to reject.

The staff flows, one module per job (each re-checks the permission on every button, and the use case checks
it again, so a forged or stale button changes nothing)::

    staff_orders     approve / reject orders, the order card, /desk, allocate, ship
    staff_dealers    dealer applications and qualification documents
    staff_materials  marketing material requests
    staff_tickets    the after-sales ticket card and its steps
    staff_approvals  /approvals: everything waiting for this person's decision
    staff_queues     /today and every role's queues, paged and filtered (core.services.queues)
    staff_words      typed numbers and staff commands in words (nlu.staff_commands)

Here: ``decision_buttons`` (approve / reject / details of a prompt, also for pushes), the dialog states that wait
for a typed text, ``staff.abort``, and ``staff.reject_reason``: the reason typed after a reject button, handed to
the job's ``REJECTIONS[kind]``. A decision edits the prompt it was pressed on (``Reply.edit_ref``) to show who
decided and when; when somebody else decided first the person is told who and when (``_already``).

Personal data is shown masked (``core.masking``): a ticket's end customer, dealer contacts' phones and ID
numbers, and mobiles / ID numbers inside free text; "Show full number" is ``handlers.flows.privacy``'s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from core.errors import DomainError, PermissionDenied, ValidationFailed
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.messages import Answer, Button, InboundKind, Reply
from handlers.router import Router, StepLeft, payload
from nlu.staff_commands import RefKind, StaffVerb, parse_staff_command

router = Router(name=__name__)

P = Permission

# Dialog states of this flow: each waits for one text.
REASON = "staff.reject_reason"        # data: kind (order|dealer|qual|mat|ticket), ref, version, prompt
TICKET_NOTE = "staff.ticket_note"     # data: action (comment|resolve), ref, prompt
SHIP_CARRIER = "staff.ship_carrier"   # data: ref, prompt ("other" carrier: its name)
SHIP_TRACKING = "staff.ship_tracking"  # data: ref, carrier, prompt
ALLOC_PICK = "staff.alloc.pick"       # data: number, choices (the warehouses offered, typed by code or name)
TICKET_DESC = "staff.tnew.desc"       # data: dealer_id, dealer, nonce (a ticket for a dealer: staff_words)
TEXT_STATES = (REASON, TICKET_NOTE, SHIP_CARRIER, SHIP_TRACKING, ALLOC_PICK, TICKET_DESC)

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
    "staff.btn.approvals": ("✅ 待审批", "✅ Approvals"),
    "staff.btn.desk": ("📦 配货发货", "📦 Order desk"),
    "staff.btn.tickets": ("🛠 售后工单", "🛠 Tickets"),
    "staff.btn.menu": ("🏠 主菜单", "🏠 Menu"),
    # generic
    "staff.already": ("{ref} 已由 {who} 于 {time} 处理（{status}）。",
                      "{ref} was already decided by {who} at {time} ({status})."),
    "staff.already.you": ("{ref} 您已于 {time} 处理过（{status}）。", "You already handled {ref} at {time} ({status})."),
    "staff.decided_by": ("处理人：{who} {time}", "By {who} at {time}"),
    "staff.ship_left": ("（{ref} 的发货还没填完，发货已放弃。）", "(Shipping {ref} was not finished; it was dropped.)"),
    "staff.reason_left": ("（{ref} 的驳回原因还没填，驳回已放弃。）", "(No reason was typed for rejecting {ref}; the rejection was dropped.)"),
    "staff.need_text": ("请直接输入文字（发送“取消”放弃）。", "Please type it as text (send \"cancel\" to stop)."),
    "staff.too_long": ("内容太长了（最多 {limit} 字），请精简后重新输入。",
                       "That is too long (at most {limit} characters); please shorten it."),
    "staff.aborted": ("已取消，未做任何更改。", "Cancelled; nothing was changed."),
    "staff.system": ("系统", "system"),
    # orders
    "staff.order.line": ("{number} · {dealer} · {total}", "{number} · {dealer} · {total}"),
    "staff.order.prompt": ("🧾 待审批订单 {line}", "🧾 Order to approve {line}"),
    "staff.order.approved": ("✅ 已审核通过 {line}", "✅ Approved {line}"),
    "staff.order.cover_ok": ("💰 待付 {unpaid}：现有资金可付（预存款 {prepay}，信用 {credit}），通过后扣款",
                             "💰 Owing {unpaid}: the dealer's funds now cover it (prepayment {prepay}, credit "
                             "{credit}); charged on approval"),
    "staff.order.cover_short": ("⚠️ 超出可用资金 {overdraft}（待付 {unpaid}，现可付：预存款 {prepay}，信用 {credit}）；"
                                "通过将使信用额度透支 {overdraft}",
                                "⚠️ {overdraft} above the available funds (owing {unpaid}; the funds cover: prepayment "
                                "{prepay}, credit {credit}); approving overdraws credit by {overdraft}"),
    "staff.order.over_confirm": ("⚠️ 订单 {number} 超出经销商可用资金 {overdraft}。\n通过后这 {overdraft} 记入信用额度透支"
                                 "（超出额度），经销商需还款。也可以先驳回，或等经销商打款后再审。\n确认“超额度通过”吗？",
                                 "⚠️ Order {number} is {overdraft} above the dealer's available funds.\nApproving books "
                                 "{overdraft} on credit past the limit (an overdraft the dealer must repay). You may "
                                 "also reject it, or wait for the dealer's payment.\nApprove over the limit?"),
    "staff.btn.approve_over": ("⚠️ 超额度通过", "⚠️ Approve over limit"),
    "staff.order.changed_since": ("✏️ 订单 {number} 在您看到之后已被修改，未做处理。现在：{items}，金额 {total}。请按现在的内容审核：",
                                  "✏️ Order {number} was changed after you saw it; nothing was done. Now: {items}, "
                                  "total {total}. Please review it as it is now:"),
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
    "staff.alloc.near": (" · 同区域", " · same region"),
    "staff.alloc.which": ("没有认出仓库“{words}”，请点下面的仓库，或输入仓库编码/名称（发送“取消”不配货）：",
                          "No warehouse \"{words}\" here: tap one below, or type its code or name (\"cancel\" to "
                          "leave it):"),
    "staff.alloc.left": ("已退出订单 {number} 的仓库选择（未配货；需要时再说“{number} 配货”）。",
                         "Left the warehouse choice of order {number} (not allocated; say \"{number} allocate\" "
                         "to come back)."),
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
    "staff.dealer.money": ("信用额度 {limit}，已用 {used}；预付款 {prepaid}，返利 {rebate}，保证金 {deposit}",
                           "Credit limit {limit}, used {used}; prepaid {prepaid}, rebate {rebate}, deposit {deposit}"),
    "staff.dealer.orders": ("进行中的订单 {n} 张（待审批 {waiting} 张）", "Open orders: {n} ({waiting} waiting for approval)"),
    "staff.dealer.tickets": ("未结售后工单 {n} 张", "Open after-sales tickets: {n}"),
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
    "staff.ticket.fixed_said": ("要把 {number} 标记为已解决吗？点 ✅ 已解决，再写处理结果。",
                                "Mark {number} as resolved? Press ✅ Resolve, then write what was done."),
    "staff.ticket.title": ("{mark}售后工单 {number}（{status}，{priority}）", "{mark}Ticket {number} ({status}, {priority})"),
    "staff.ticket.dealer": ("经销商：{dealer}（{code}）", "Dealer: {dealer} ({code})"),
    "staff.ticket.product": ("产品：{what}", "Product: {what}"),
    "staff.ticket.serial": ("序列号 {serial}", "serial {serial}"),
    "staff.ticket.problem": ("问题：{text}", "Problem: {text}"),
    "staff.ticket.customer": ("客户：{name} {phone}", "Customer: {name} {phone}"),
    "staff.ticket.address": ("地址：{address}", "Address: {address}"),
    "staff.ticket.due": ("时限：{due}{late}", "Due: {due}{late}"),
    "staff.ticket.late": ("（已超时）", " (past SLA)"),
    "staff.ticket.assignee": ("处理人：{who}", "Handled by: {who}"),
    "staff.ticket.photos": ("照片：{n} 张", "Photos: {n}"),
    "staff.ticket.history": ("最近记录：", "Latest:"),
    "staff.ticket.changed": ("{status} {ref}", "{status} {ref}"),
    "staff.ticket.commented": ("💬 已留言 {ref}：{text}", "💬 Comment added to {ref}: {text}"),
    "staff.ticket.ask_comment": ("请输入给经销商的留言（工单 {number}）：", "Type your comment to the dealer (ticket {number}):"),
    "staff.ticket.ask_resolution": ("请输入工单 {number} 的处理结果：", "Type how ticket {number} was resolved:"),
    "staff.ticket.ask_resolution_said": ("工单 {number} 的处理结果，用您刚才说的吗？\n“{text}”\n（或输入别的处理结果）",
                                         "Ticket {number}: use what you said as the result?\n\"{text}\"\n(or type another)"),
    "staff.ticket.btn.use_said": ("✔ 就用这句", "✔ Use it"),
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


def confirm_row(ctx: Ctx, label: str, pressed: str) -> list[Button]:
    """A confirm card's buttons: ``label`` pressing ``pressed``, and 取消 (``staff.abort``: nothing changed). A yes
    typed under the card ("确认", "好的", "是", "ok") presses the first, a no ("不", "算了", "取消") the second
    (``Button.answer``, read by ``handlers.service``), as the buttons would."""
    return [Button(label, pressed, Answer.YES), Button(ctx.t("staff.btn.cancel"), payload("staff.abort"), Answer.NO)]


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


# --- the reason the person types ------------------------------------------------------------------

# ``kind`` of a rejection -> (ctx, ref, reason, dialog data) -> replies; each job's module registers its own
# (staff_orders: order, staff_dealers: dealer and qual, staff_materials: mat, staff_tickets: ticket)
Rejection = Callable[[Ctx, str, str, dict[str, Any]], Awaitable[list[Reply]]]
REJECTIONS: dict[str, Rejection] = {}


def another_command(text: str, ref: str) -> bool:
    """Is the text typed at the reason step a staff command about something else (a decision on another order, an
    order named by its number's end, a shipment) rather than the reason ("价格不对", "和 SO-… 重复了")?"""
    command = parse_staff_command(text)
    if command is None or command.kind == RefKind.DEALER:
        return False
    if command.verb == StaffVerb.REJECT:       # "驳回 重复下单": this one's reason; "0004先别批": another order
        return bool(command.tail) or (command.number is not None and command.number != ref)
    if command.verb == StaffVerb.OPEN:          # "0002": an order named; "重复了，见 SO-…": a reason naming one
        return bool(command.tail)
    return True


@router.state(REASON)
async def reason_typed(ctx: Ctx) -> list[Reply]:
    try:
        reason = _typed(ctx, MAX_REASON)
    except ValidationFailed as exc:
        return [_ask(ctx, exc.message(ctx.lang))]
    if reason is None:
        return [_ask(ctx, ctx.t("staff.need_text"))]
    data = dict(ctx.dialog.data)
    if another_command(reason, str(data.get("ref", ""))):
        # "0003没问题", "SO-… 发货 …" typed where the reason was asked: that command, the rejection dropped (was: this
        # record rejected, the command its reason)
        raise StepLeft([Reply(text=ctx.t("staff.reason_left", ref=str(data.get("ref", ""))))])
    ctx.idle()
    rejection = REJECTIONS.get(str(data.get("kind")))
    if rejection is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    try:
        return await rejection(ctx, str(data.get("ref", "")), reason, data)
    except DomainError as exc:
        # the dialog is over either way; say why without leaving the person stuck in it
        return [Reply(text=exc.message(ctx.lang))]
