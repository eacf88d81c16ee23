"""Staff commands in words and typed numbers (read by ``nlu.staff_commands`` before the dealer parser).

- a number opens its card for the roles whose job it is: SO- order (order desk, channel manager, management,
  finance, after-sales: ORDER_READ_ALL ...), AS- ticket (TICKET_HANDLE), QF- quality report (QUALITY_HANDLE),
  FY- expense claim (CAMPAIGN_WRITE / ACCOUNT_POST), FR- refund/adjustment and ST-D0007-2026-11 statement
  (ACCOUNT_POST), CR- credit request (CREDIT_APPROVE / CREDIT_REQUEST). Anyone else, and a number that
  does not exist, get the same answer, which says nothing about whether it exists;
- "把合肥新锐那单批了" / "SO-… 驳回": the order's card with ✅ 通过 / ❌ 驳回 (the approval prompt); several
  orders of that dealer wait: which one (buttons); "SO-… 发货 德邦 DP123456": a confirm card
  (``staff.shipw|<nonce>``), without carrier or number the carrier buttons; "SO-… 配货": the warehouse buttons;
- "给杭州嘉禾开个售后单": the dealer (several: buttons ``staff.tnew|<dealer id>``), the problem typed, then a
  confirm card (``staff.tnew.ok|<nonce>``) before the ticket is filed;
- a staff message nothing understood: what this person can type (``staff_help``), never "转人工".

Also the staff cards these open that had none: a quality report with its corrective-status buttons
(``staff.qf.detail|QF-…``, ``staff.qf.set|QF-…|<status>``, a note asked where the status needs one) and an
expense claim (``staff.claim|FY-…``). Nothing acts without a button press.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.errors import DomainError, NotFound, PermissionDenied
from core.expenses import ClaimStatus
from core.masking import mask_text
from core.money import fmt_cny
from core.order_states import TRANSITIONS as ORDER_TRANSITIONS
from core.order_states import OrderAction, status_label
from core.quality import CorrectiveStatus
from core.services import aftersales
from core.services import orders as order_cases
from core.services.dealers import get_dealer
from core.services.expenses import get_claim_by_number
from core.services.quality import (
    CORRECTIVE_STATUS_LABELS,
    CORRECTIVE_TRANSITIONS,
    NOTE_REQUIRED,
    set_corrective_status,
)
from core.services.queues import Queue, all_waiting, may_see
from core.services.statements import StatementRow, list_statements
from core.ticket_states import TRANSITIONS as TICKET_TRANSITIONS
from core.ticket_states import TicketAction
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import (
    credit,
    forms,
    payments,
    quality,
    staff,
    staff_dealers,
    staff_order_tails,
    staff_orders,
    staff_tickets,
    statements,
)
from handlers.flows.cart import Cart
from handlers.flows.menu import require_bound
from handlers.flows.qf_notes import keep_button
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, parse_payload, payload, shown_buttons
from nlu.desk_words import dealer_looked_up, tracking_said
from nlu.staff_commands import (
    RefKind,
    StaffCommand,
    StaffVerb,
    asks_something,
    parse_staff_command,
    statement_month,
    words_besides_number,
)

router = Router(name=__name__)

P = Permission
MAX_CHOICES = 6
MAX_TEXT = 2000
TICKET_DESC = staff.TICKET_DESC        # the problem typed for a ticket filed for a dealer
QF_NOTE = "staff.qf_note"              # data: number, status

# who may open a number of each kind (any one of the permissions)
OPENERS: dict[RefKind, frozenset[Permission]] = {
    RefKind.ORDER: frozenset({P.ORDER_READ_ALL, P.ORDER_APPROVE, P.ORDER_ALLOCATE, P.ORDER_SHIP}),
    RefKind.TICKET: frozenset({P.TICKET_HANDLE}),
    RefKind.QUALITY: frozenset({P.QUALITY_HANDLE}),
    RefKind.CLAIM: frozenset({P.CAMPAIGN_WRITE, P.ACCOUNT_POST}),
    RefKind.FINANCE: frozenset({P.ACCOUNT_POST}),
    RefKind.CREDIT: frozenset({P.CREDIT_APPROVE, P.CREDIT_REQUEST}),
    RefKind.STATEMENT: frozenset({P.ACCOUNT_POST}),
    RefKind.DEALER: frozenset({P.DEALER_READ_ALL, P.DEALER_REVIEW}),
}

i18n.register({
    "sw.unknown_number": ("没有找到 {number}，或它不在您的职责范围内。",
                          "{number}: not found, or not part of your job."),
    "sw.no_dealer": ("没有找到经销商“{text}”。请输入经销商编码（如 D0012）或名称中的几个字。",
                     "No dealer matches \"{text}\". Type its code (e.g. D0012) or part of its name."),
    "sw.which_dealer": ("“{text}”对应多家经销商，请选择：", "\"{text}\" fits several dealers; choose one:"),
    "sw.no_statement": ("{dealer} 没有 {period} 的对账单。", "{dealer} has no statement for {period}."),
    "sw.no_statement_yet": ("{dealer} 还没有对账单。", "{dealer} has no statement yet."),
    "sw.no_orders": ("{dealer} 没有待审批的订单。", "{dealer} has no order waiting for approval."),
    "sw.which_order": ("{dealer} 有 {n} 张待审批的订单，请选择：", "{dealer} has {n} orders waiting; choose one:"),
    "sw.this.approve": ("确认通过？\n{what}", "Approve it?\n{what}"),
    "sw.this.reject": ("确认驳回？\n{what}\n（点驳回后请输入原因）", "Reject it?\n{what}\n(the reason is asked next)"),
    "sw.this.which": ("上面有几项可以处理，是哪一项？", "Several records are shown above; which one?"),
    "sw.this.none": ("是哪一单？请先打开它（如“看下 SO-20261204-0001”），或带上单号说（如“SO-20261204-0001 通过”）。",
                     "Which one? Open it first (e.g. \"SO-20261204-0001\"), or say it with its number "
                     "(\"SO-20261204-0001 approve\")."),
    "sw.tail.none": ("没有单号尾号为 {tail} 的待审批订单。", "No order waiting for approval ends in {tail}."),
    "sw.tail.several": ("有 {n} 张待审批订单的单号尾号是 {tail}，请选择：", "{n} orders waiting end in {tail}; choose one:"),
    "sw.ship.confirm": ("确认发货？\n{line}\n承运商：{carrier}\n运单号：{tracking}",
                        "Ship it?\n{line}\nCarrier: {carrier}\nTracking number: {tracking}"),
    "sw.ship.not_ready": ("订单 {number} 现在是“{status}”，不能发货。", "Order {number} is {status}; it cannot ship now."),
    "sw.btn.ship_ok": ("✅ 确认发货", "✅ Ship"),
    "sw.btn.reject_ok": ("❌ 确认驳回", "❌ Reject"),
    "sw.reject_ticket.confirm": ("确认驳回售后工单 {number}？\n问题：{problem}\n原因：{reason}\n（经销商会收到这个原因）",
                                 "Reject ticket {number}?\nProblem: {problem}\nReason: {reason}\n(the dealer is told the reason)"),
    "sw.reject.confirm": ("确认驳回？\n{line}\n原因：{reason}\n（经销商会收到这个原因）",
                          "Reject it?\n{line}\nReason: {reason}\n(the dealer is told this reason)"),
    "sw.approve.not_now": ("订单 {number} 现在是“{status}”，不在待审批，没有做任何操作。",
                           "Order {number} is {status}, not waiting for approval; nothing was done."),
    "sw.reject.not_now": ("订单 {number} 现在是“{status}”，不能驳回。", "Order {number} is {status}; it cannot be rejected now."),
    "sw.not_your_job": ("{what}不在您的职责内，没有做任何操作。订单详情如下：",
                        "{what} is not part of your job; nothing was done. The order:"),
    "sw.job.approve": ("审批订单", "Approving orders"),
    "sw.job.reject": ("驳回订单", "Rejecting orders"),
    "sw.job.ship": ("发货（由订单台处理）", "Shipping (the order desk does it)"),
    "sw.job.allocate": ("配货（由订单台处理）", "Allocating (the order desk does it)"),
    "sw.btn.ticket_ok": ("✅ 确认新建", "✅ File it"),
    "sw.tnew.ask": ("为 {dealer} 新建售后工单。请描述问题（产品、故障、客户）：",
                    "New after-sales ticket for {dealer}. Describe the problem (product, fault, customer):"),
    "sw.tnew.confirm": ("确认新建售后工单？\n经销商：{dealer}\n问题：{text}",
                        "File this after-sales ticket?\nDealer: {dealer}\nProblem: {text}"),
    "sw.tnew.created": ("✅ 已新建售后工单 {number}（{dealer}）。", "✅ Ticket {number} filed ({dealer})."),
    "sw.stale": ("这个确认已失效，请重新输入。", "This confirmation has expired; please type it again."),
    "sw.claim": ("🧾 费用核销 {number}（{status}）\n经销商：{dealer}\n金额：{amount}\n{what}\n凭证 {n} 份",
                 "🧾 Expense claim {number} ({status})\nDealer: {dealer}\nAmount: {amount}\n{what}\n{n} receipt(s)"),
    "sw.qf.set": ("➡️ {status}", "➡️ {status}"),
    "sw.qf.ask_note": ("改为“{status}”需要说明（措施或原因），请输入：",
                       "'{status}' needs a note (the action, or why none); type it:"),
    "sw.qf.offer": ("这段话要记为 {number}（{status}）下一步的说明吗？\n“{text}”\n点下一个状态即记为它的说明；不是的话可以忽略。",
                    "Keep this as the note of {number}'s next step ({status} now)?\n\"{text}\"\nPress the next "
                    "status to keep it as its note; otherwise ignore this."),
    "sw.qf.said": ("📝 您写的：{text}（点下一个状态时记为说明）", "📝 You wrote: {text} (kept as the note of the next status)"),
    "sw.qf.noted": ("说明：{text}", "Note: {text}"),
    "sw.qf.done": ("✅ {number} 已改为“{status}”，已通知经销商。", "✅ {number} is now '{status}'; the dealer was told."),
    "sw.help.head": ("我没有听懂这句话。您可以这样说或输入：", "I did not understand that. You can type:"),
    "sw.help.dealer_words": ("我没能把这句话对应到您能办理的事。要查看或办理某家经销商的事，请带上经销商名称或编码"
                             "（如“D0005 的返利”）。按您的职责，可以这样说或输入：",
                             "I could not match that to your work. For a dealer's records, name the dealer (e.g. "
                             "\"D0005 rebate\"). For your job you can type:"),
    "sw.help.asked": ("可用命令（按您的职责），也可以直接这样说：", "Commands for your job; you can also type:"),
    "sw.help.today": ("/today 或“今天有什么要处理的”：今日待办", "/today or \"what is waiting\": today's list"),
    "sw.help.pages": ("“下一页”/“上一页”：翻页", "\"next\" / \"previous\": page a list"),
    "sw.help.approve": ("/to_approve、/approvals 待审批；“把合肥新锐那单批了”、“SO-20261204-0001 驳回”",
                        "/to_approve, /approvals; \"把合肥新锐那单批了\", \"SO-20261204-0001 驳回\""),
    "sw.help.desk": ("/desk、/to_allocate、/to_ship 或“待配货”“待发货”；“SO-20261204-0001 配货”、"
                     "“SO-20261204-0001 发货 德邦 DP123456”",
                     "/desk, /to_allocate, /to_ship or \"orders to allocate\"; \"SO-20261204-0001 配货\", "
                     "\"SO-20261204-0001 发货 德邦 DP123456\""),
    "sw.help.tickets": ("/tickets（可加经销商或“超时”）；“AS-20261204-0001”；“给杭州嘉禾开个售后单”",
                        "/tickets (add a dealer or 超时); \"AS-20261204-0001\"; \"给杭州嘉禾开个售后单\""),
    "sw.help.quality": ("/qf（可加“调查中”等状态或经销商）；“QF-20261203-0001”",
                        "/qf (add a status such as 调查中, or a dealer); \"QF-20261203-0001\""),
    "sw.help.review": ("/applications 入驻申请、/documents 资质审核", "/applications, /documents"),
    "sw.help.questions": ("/questions：经销商转人工的咨询", "/questions: questions dealers handed to staff"),
    "sw.help.marketing": ("/materials 物料申请、/campaign_reports 活动报告、/campaign_admin 活动",
                          "/materials, /campaign_reports, /campaign_admin"),
    "sw.help.claims": ("/claims_queue 费用核销；“FY-20261204-0001”", "/claims_queue; \"FY-20261204-0001\""),
    "sw.help.finance": ("/disputes /rebates_due /fin_requests /bank；“合肥新锐打了5万”；“ST-D0007-2026-11”",
                        "/disputes /rebates_due /fin_requests /bank; \"合肥新锐打了5万\"; \"ST-D0007-2026-11\""),
    "sw.help.credit": ("/credit 额度申请；“CR-20261204-0001”", "/credit; \"CR-20261204-0001\""),
    "sw.help.reports": ("/report 业绩报表", "/report: sales reports"),
})


# what an order verb needs: typed without it, the person is told so beside the card
_ORDER_VERBS: dict[StaffVerb, Permission] = {StaffVerb.APPROVE: P.ORDER_APPROVE, StaffVerb.REJECT: P.ORDER_APPROVE,
                                             StaffVerb.SHIP: P.ORDER_SHIP, StaffVerb.ALLOCATE: P.ORDER_ALLOCATE}


def _neutral(ctx: Ctx, number: str) -> list[Reply]:
    return [Reply(text=ctx.t("sw.unknown_number", number=number))]


def _may_open(ctx: Ctx, kind: RefKind) -> bool:
    return bool(OPENERS[kind] & ctx.actor.permissions)


async def staff_help(ctx: Ctx, *, asked: bool = False) -> list[Reply]:
    """What this person can type, by the jobs of their role (``asked``: /help, else a message not understood)."""
    return [staff_help_reply(ctx, "sw.help.asked" if asked else "sw.help.head")]


def staff_help_reply(ctx: Ctx, head: str) -> Reply:
    perms = ctx.actor.permissions
    keys = ["sw.help.today", "sw.help.pages"]
    for key, needs in (("sw.help.approve", {P.ORDER_APPROVE}), ("sw.help.desk", {P.ORDER_ALLOCATE, P.ORDER_SHIP}),
                       ("sw.help.tickets", {P.TICKET_HANDLE}), ("sw.help.quality", {P.QUALITY_HANDLE}),
                       ("sw.help.review", {P.DEALER_REVIEW}), ("sw.help.questions", {P.DEALER_WRITE}),
                       ("sw.help.marketing", {P.MATERIAL_APPROVE, P.CAMPAIGN_WRITE}),
                       ("sw.help.claims", {P.CAMPAIGN_WRITE, P.ACCOUNT_POST}), ("sw.help.finance", {P.ACCOUNT_POST}),
                       ("sw.help.credit", {P.CREDIT_APPROVE}), ("sw.help.reports", {P.REPORT_READ_ALL})):
        if needs & perms:
            keys.append(key)
    text = "\n".join([ctx.t(head), *(f"• {ctx.t(k)}" for k in keys)])
    return Reply(text=text, buttons=[[Button(ctx.t("btn.today"), payload("staff.today")), forms.menu_button(ctx)]])


# a staff member's typed words read as a dealer's own action ("返利还有多少"): what their job can do instead of
# "for dealers only" (forms.require_dealer asks through this, it may not import this module)
forms.STAFF_TYPED_ANSWER.append(lambda ctx: staff_help_reply(ctx, "sw.help.dealer_words"))


@router.staff_command
async def staff_words(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    command = parse_staff_command(ctx.inbound.text)
    if command is None or not ctx.is_staff:
        return await staff_help(ctx)
    staff.drop_pending(ctx)
    if command.verb == StaffVerb.NEW_TICKET:
        return await _new_ticket(ctx, command.dealer or "")
    if command.this and command.verb == StaffVerb.SHIP:      # "这单发货 顺丰 SF…": the order on screen
        shown = staff_order_tails.shown_order(ctx)
        return await _open(ctx, command, RefKind.ORDER, shown) if shown else [Reply(text=ctx.t("sw.this.none"))]
    if command.this:
        return await _this_record(ctx, command)
    if command.tail and command.verb == StaffVerb.OPEN:       # "0002": that order (was: 代客下单)
        return await staff_order_tails.order_by_tail(ctx, command.tail) if _may_open(ctx, RefKind.ORDER) \
            else await staff_help(ctx)
    if command.number is None and command.kind == RefKind.STATEMENT:
        return await _statement_of_dealer(ctx, command)
    if command.number is None:
        return await _orders_of_dealer(ctx, command)
    assert command.kind is not None
    if not _may_open(ctx, command.kind):
        return _neutral(ctx, command.number)
    try:
        return await _open(ctx, command, command.kind, command.number)
    except (NotFound, PermissionDenied):
        return _neutral(ctx, command.number)


@router.text_hook_anywhere
async def record_in_a_cart(ctx: Ctx) -> list[Reply] | None:
    """Staff with a cart open for a dealer type "SO-… 驳回 价格不对": the staff command, never a cart line or the
    dealer's own order view (which offered the dealer's cancel button); the cart stays open."""
    if not ctx.is_staff or ctx.inbound.kind != InboundKind.TEXT or (ctx.dialog.state or "").partition(".")[0] != "order":
        return None
    command = parse_staff_command(ctx.inbound.text)
    if command is None or (command.number is None and not (command.this and command.tail)) \
            or command.kind == RefKind.DEALER:
        return None          # a dealer code answers "for which dealer?" in the cart, "0002" may be a quantity
    replies = await staff_words(ctx)
    if ctx.dialog.state == "order.dealer":       # the form still waits for a dealer: said so
        return [*replies, Reply(text=ctx.t("order.dealer_waits"))]
    cart = Cart.load(ctx)
    if cart is not None:
        replies.append(Reply(text=ctx.t("order.kept", n=len(cart.items)),
                             buttons=[[Button(ctx.t("order.btn.cart", n=len(cart.items)),
                                              payload("order.view", cart.nonce))]]))
    return replies


async def _open(ctx: Ctx, command: StaffCommand, kind: RefKind, number: str) -> list[Reply]:
    ctx.args = [number]
    if kind == RefKind.ORDER:
        needed = _ORDER_VERBS.get(command.verb)
        if needed is not None and needed not in ctx.actor.permissions:
            # "SO-… 发货 德邦 …" typed by management: the card, and why nothing was done (carrier not dropped
            # in silence)
            job = ctx.t(f"sw.job.{command.verb.value}")
            return [Reply(text=ctx.t("sw.not_your_job", what=job)), *await staff_orders.order_detail(ctx)]
        if command.verb == StaffVerb.SHIP:
            return await _ship_words(ctx, command, number)
        if command.verb == StaffVerb.ALLOCATE:
            return await staff_orders.allocate_ask(ctx)
        if command.verb == StaffVerb.REJECT:
            # "SO-… 驳回 价格不对": one press with the reason; "SO-… 驳回": the reason asked (was: the card, the
            # reason typed next lost)
            if command.reason:
                return await _reject_words(ctx, number, command.reason)
            return await staff_orders.reject_order_ask(ctx)
        if command.verb == StaffVerb.APPROVE:        # "SO-… 批了": a confirm, as "0001没问题" (was: the card only)
            return await _approve_confirm(ctx, number)
        return await staff_orders.order_detail(ctx)
    if kind == RefKind.TICKET:
        if command.verb == StaffVerb.REJECT and command.reason:
            return await _reject_ticket_words(ctx, number, command.reason)
        if command.verb in (StaffVerb.ACCEPT, StaffVerb.START):     # "AS-… 受理" (was: the card only)
            return await staff_tickets.ticket_step_words(ctx, number, command.verb)
        return await staff_tickets.ticket_card(ctx, said_fixed=command.verb == StaffVerb.RESOLVE)
    if kind == RefKind.QUALITY:
        return await qf_detail(ctx)
    if kind == RefKind.CLAIM:
        return await claim_card(ctx)
    if kind == RefKind.STATEMENT:
        return await _statement(ctx, number)
    if kind == RefKind.DEALER:
        return await staff_dealers.dealer_detail(ctx)
    queue = Queue.REFUNDS if kind == RefKind.FINANCE else Queue.CREDIT
    if not may_see(ctx.actor, queue):
        raise NotFound(what=number)
    item = next((i for i in await all_waiting(ctx.uow(), ctx.actor, queue, ctx.deps.clock) if i.ref == number), None)
    if item is None:
        raise NotFound(what=number)
    if kind == RefKind.FINANCE:
        ctx.args = ["0"]
        return await _delegate(ctx, "fin.fr.list")
    return await _delegate(ctx, "cr.list")


async def _delegate(ctx: Ctx, action: str) -> list[Reply]:
    """Press another flow's list button (its own checks apply)."""
    handler = {"fin.fr.list": payments.router.buttons, "cr.list": credit.router.buttons}[action][action]
    return await handler(ctx)


async def _statement(ctx: Ctx, number: str) -> list[Reply]:
    _, code, year, month = number.split("-")
    rows = await list_statements(ctx.uow(), ctx.actor, period=f"{year}-{month}")
    row = next((r for r in rows if r.dealer_code == code), None)
    if row is None:
        raise NotFound(what=number)
    ctx.args = [str(row.statement.id)]
    return await statements.view(ctx)


async def _statement_of_dealer(ctx: Ctx, command: StaffCommand) -> list[Reply]:
    """"D0003 11月对账单", "嘉禾家电上个月的对账单": that dealer's statement of that month (no month: its latest);
    several dealers fit the words: a button each to its statement."""
    if not _may_open(ctx, RefKind.STATEMENT):
        return await staff_help(ctx)
    words = command.dealer or ""
    dealers = await _dealers(ctx, words)
    if not dealers:
        return [Reply(text=ctx.t("sw.no_dealer", text=words[:20]))]
    period = statement_month(command.when, ctx.deps.clock.today())
    found: list[tuple[str, StatementRow]] = []
    for dealer_id, label in dealers[:MAX_CHOICES]:
        latest = await list_statements(ctx.uow(), ctx.actor, period=period, dealer_id=dealer_id, limit=1)
        found += [(label, latest[0])] if latest else []
    if not found:
        who = dealers[0][1] if len(dealers) == 1 else words
        return [Reply(text=ctx.t("sw.no_statement", dealer=who, period=period) if period
                      else ctx.t("sw.no_statement_yet", dealer=who))]
    if len(found) == 1:
        ctx.args = [str(found[0][1].statement.id)]
        return await statements.view(ctx)
    rows = [[Button(forms.clip(f"📎 {label} {row.statement.period}", 40), payload("stmt.view", row.statement.id or 0))]
            for label, row in found]
    return [Reply(text=ctx.t("sw.which_dealer", text=words[:20]), buttons=rows)]


# --- orders by dealer words --------------------------------------------------------------------------

async def _dealers(ctx: Ctx, words: str) -> list[tuple[int, str]]:
    return [(d.id or 0, f"{d.code} {d.name}") for d in await forms.dealers_by_words(ctx, words, MAX_CHOICES + 1)]


async def _orders_of_dealer(ctx: Ctx, command: StaffCommand) -> list[Reply]:
    """"把合肥新锐那单批了": the approval prompt of that dealer's waiting order, or which one."""
    if P.ORDER_APPROVE not in ctx.actor.permissions:
        return await staff_help(ctx)
    words = command.dealer or ""
    dealers = await _dealers(ctx, words)
    if not dealers:
        return [Reply(text=ctx.t("sw.no_dealer", text=words[:20]))]
    ids = {d for d, _ in dealers}
    waiting = [i for i in await all_waiting(ctx.uow(), ctx.actor, Queue.APPROVE, ctx.deps.clock) if i.dealer_id in ids]
    if command.amount is not None and (priced := [i for i in waiting if _about(i.amount, command.amount)]):
        waiting = priced            # "德润那单6048的通过": the order of that amount (¥6,048.00, or 6048.5 said whole)
    who = dealers[0][1] if len(dealers) == 1 else words
    if not waiting:
        return [Reply(text=ctx.t("sw.no_orders", dealer=who))]
    if len(waiting) == 1:
        ctx.args = [waiting[0].ref]
        return await staff_orders.order_detail(ctx)
    rows = [[Button(f"🧾 {i.ref} {i.summary} {i.dealer_name}"[:40], payload("staff.order.detail", i.ref))]   # the name clipped, never the amount
            for i in waiting[:MAX_CHOICES]]
    return [Reply(text=ctx.t("sw.which_order", dealer=who, n=len(waiting)), buttons=rows)]


# the buttons that approve / reject a record (``staff.decision_buttons``): "这单批了吧" is the one just shown
_DECIDES = {StaffVerb.APPROVE: ".approve", StaffVerb.REJECT: ".reject"}
_DECIDED = ("staff.order", "staff.dealer", "staff.qual", "staff.mat")


async def _this_record(ctx: Ctx, command: StaffCommand) -> list[Reply]:
    """"这单批了吧", "没问题 审过" under a record's card: approve that record (a confirm first: the words are read,
    not pressed); "这单驳回 金额太大": reject it with that reason; "0011没问题 审过": the waiting order whose number
    ends so. Never cancel or order anything (was: "请选择要取消的订单", or an order on the dealer's behalf)."""
    if command.tail:
        return await _order_by_tail(ctx, command, command.tail)
    suffix = _DECIDES[command.verb]
    found: dict[str, str] = {}
    for _, pressed, title in shown_buttons(ctx.dialog.data):
        parsed = parse_payload(pressed)
        if parsed is not None and parsed[0].endswith(suffix) and parsed[0].removesuffix(suffix) in _DECIDED:
            found.setdefault(pressed, title)
    if len(found) != 1:
        text = ctx.t("sw.this.which" if found else "sw.this.none")
        rows = [[Button(f"{_verb_label(ctx, command.verb)} · {title}"[:64], pressed)]
                for pressed, title in list(found.items())[:MAX_CHOICES]]
        if not found and P.ORDER_APPROVE in ctx.actor.permissions:
            rows = [[Button(ctx.t("staff.btn.approvals"), payload("staff.approvals"))]]
        return [Reply(text=text, buttons=rows)]
    pressed, title = next(iter(found.items()))
    action, args = parse_payload(pressed) or ("", [])
    if command.verb == StaffVerb.REJECT and action == "staff.order.reject" and args:
        if command.reason:
            return await _reject_words(ctx, args[0], command.reason)
        ctx.args = args
        return await staff_orders.reject_order_ask(ctx)        # the reason asked, as the button does
    if action.startswith("staff.order.") and args:     # the order said whole: number, dealer, amount
        title = await staff_orders.order_line(ctx, await order_cases.get_order(ctx.uow(), ctx.actor, args[0]))
    return [Reply(text=ctx.t(f"sw.this.{command.verb.value}", what=title),
                  buttons=[staff.confirm_row(ctx, _verb_label(ctx, command.verb), pressed)])]


def _verb_label(ctx: Ctx, verb: StaffVerb) -> str:
    return ctx.t("staff.btn.approve" if verb == StaffVerb.APPROVE else "staff.btn.reject")


async def _order_by_tail(ctx: Ctx, command: StaffCommand, tail: str) -> list[Reply]:
    """The waiting order whose number ends in ``tail``: approve (a confirm) or reject it; several: which one."""
    if P.ORDER_APPROVE not in ctx.actor.permissions:
        return await staff_help(ctx)
    waiting = [i for i in await all_waiting(ctx.uow(), ctx.actor, Queue.APPROVE, ctx.deps.clock)
               if i.ref.endswith(f"-{tail}")]
    if not waiting:
        return [Reply(text=ctx.t("sw.tail.none", tail=tail),
                      buttons=[[Button(ctx.t("staff.btn.approvals"), payload("staff.approvals"))]])]
    if len(waiting) > 1:
        rows = [[Button(f"🧾 {i.ref} {i.summary} {i.dealer_name}"[:40], payload("staff.order.detail", i.ref))]
                for i in waiting[:MAX_CHOICES]]
        return [Reply(text=ctx.t("sw.tail.several", tail=tail, n=len(waiting)), buttons=rows)]
    number = waiting[0].ref
    if command.verb == StaffVerb.REJECT:
        if command.reason:
            return await _reject_words(ctx, number, command.reason)
        ctx.args = [number]
        return await staff_orders.reject_order_ask(ctx)
    return await _approve_confirm(ctx, number)


async def _approve_confirm(ctx: Ctx, number: str) -> list[Reply]:
    """The order said to be approved: named whole with ✅ 通过 (the words are read, not pressed); one no longer
    waiting for approval: its status said, and its card."""
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status not in ORDER_TRANSITIONS[OrderAction.APPROVE].sources:
        ctx.args = [number]
        return [Reply(text=ctx.t("sw.approve.not_now", number=number, status=status_label(order.status, ctx.lang))),
                *await staff_orders.order_detail(ctx)]
    line = await staff_orders.order_line(ctx, order)
    return [Reply(text=ctx.t("sw.this.approve", what=line),
                  buttons=[staff.confirm_row(ctx, ctx.t("staff.btn.approve"),
                                             payload("staff.order.approve", number, order.version))])]


def _about(total: Decimal | None, said: Decimal) -> bool:
    """Is ``said`` that total, whole yuan or to the fen ("6048" of ¥6,048.35)?"""
    return total is not None and (total == said or int(total) == said)


# --- a dealer looked up by name ---------------------------------------------------------------------


@router.text_hook
async def dealer_by_name(ctx: Ctx) -> list[Reply] | None:
    """Staff naming a dealer to look at it: its card (several match: one button each); nothing matches: None,
    and the parser reads the message (\"查下AP300库存\" is no dealer)."""
    if not ctx.is_staff or not ({P.DEALER_READ_ALL, P.DEALER_REVIEW} & ctx.actor.permissions):
        return None
    named = dealer_looked_up(ctx.inbound.text)
    if named is None:
        return None
    found = await _dealers(ctx, named)
    if not found:
        return None
    if len(found) > 1:
        rows = [[Button(label[:30], payload("staff.dealer.detail", label.split()[0]))] for _, label in found[:MAX_CHOICES]]
        return [Reply(text=ctx.t("sw.which_dealer", text=named), buttons=rows)]
    ctx.args = [found[0][1].split()[0]]
    return await staff_dealers.dealer_detail(ctx)


# --- reject with the reason typed -------------------------------------------------------------------

async def _reject_words(ctx: Ctx, number: str, reason: str) -> list[Reply]:
    """"SO-… 驳回 价格不对": the order and the reason, one press to reject (the reason is not asked again)."""
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status not in ORDER_TRANSITIONS[OrderAction.REJECT].sources:
        return [Reply(text=ctx.t("sw.reject.not_now", number=number, status=status_label(order.status, ctx.lang)),
                      buttons=[[Button(ctx.t("staff.btn.detail"), payload("staff.order.detail", number))]])]
    nonce = forms.new_nonce()
    ctx.dialog.data["reject_words"] = {"nonce": nonce, "ref": number, "reason": reason, "version": order.version}
    line = await staff_orders.order_line(ctx, order)
    return [Reply(text=ctx.t("sw.reject.confirm", line=line, reason=mask_text(reason)),
                  buttons=[staff.confirm_row(ctx, ctx.t("sw.btn.reject_ok"), payload("staff.rejw", nonce))])]


async def _reject_ticket_words(ctx: Ctx, number: str, reason: str) -> list[Reply]:
    """"AS-… 这个不归售后 是质量问题 驳回让他走质量反馈": the ticket and the reason, one press to reject it (was: only
    the card, the reason lost)."""
    ticket = await aftersales.get_ticket(ctx.uow(), ctx.actor, number)
    if ticket.status not in TICKET_TRANSITIONS[TicketAction.REJECT][0]:
        return await staff_tickets.ticket_card(ctx)
    nonce = forms.new_nonce()
    ctx.dialog.data["reject_ticket_words"] = {"nonce": nonce, "ref": number, "reason": reason}
    return [Reply(text=ctx.t("sw.reject_ticket.confirm", number=number, problem=mask_text(ticket.description)[:60],
                             reason=mask_text(reason)),
                  buttons=[staff.confirm_row(ctx, ctx.t("sw.btn.reject_ok"), payload("staff.rejtw", nonce))])]


@router.button("staff.rejtw")
async def reject_ticket_confirmed(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if P.TICKET_HANDLE not in ctx.actor.permissions:
        raise PermissionDenied()
    held = _held(ctx, "reject_ticket_words")
    if held is None:
        return [Reply(text=ctx.t("sw.stale"))]
    return await staff_tickets.reject_ticket(ctx, str(held["ref"]), str(held["reason"]), ctx.inbound.message_ref)


def _held(ctx: Ctx, key: str) -> dict[str, Any] | None:
    """What a confirm card of staff words keeps under ``key``, taken (once) when the pressed nonce is its own."""
    held = ctx.dialog.data.get(key)
    if not isinstance(held, dict) or held.get("nonce") != forms.arg(ctx, 0):
        return None
    ctx.dialog.data.pop(key, None)
    return held


@router.button("staff.rejw")
async def reject_confirmed(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if P.ORDER_APPROVE not in ctx.actor.permissions:
        raise PermissionDenied()
    held = _held(ctx, "reject_words")
    if held is None:
        return [Reply(text=ctx.t("sw.stale"))]
    version = held.get("version")
    return await staff_orders.reject_order(ctx, str(held["ref"]), str(held["reason"]),
                                           version if isinstance(version, int) else None, ctx.inbound.message_ref)


# --- ship in words ---------------------------------------------------------------------------------

async def _ship_words(ctx: Ctx, command: StaffCommand, number: str) -> list[Reply]:
    if P.ORDER_SHIP not in ctx.actor.permissions:
        return await staff_orders.order_detail(ctx)
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status not in ORDER_TRANSITIONS[OrderAction.SHIP].sources:
        return [Reply(text=ctx.t("sw.ship.not_ready", number=number, status=status_label(order.status, ctx.lang)),
                      buttons=[[Button(ctx.t("staff.btn.detail"), payload("staff.order.detail", number))]])]
    tracking = tracking_said(command.tracking or "")
    if not command.carrier or tracking is None:
        return await staff_orders.ship_ask_carrier(ctx)
    nonce = forms.new_nonce()
    ctx.dialog.data["ship_words"] = {"nonce": nonce, "ref": number, "carrier": command.carrier, "tracking": tracking}
    line = await staff_orders.order_line(ctx, order)
    return [Reply(text=ctx.t("sw.ship.confirm", line=line, carrier=command.carrier, tracking=tracking),
                  buttons=[staff.confirm_row(ctx, ctx.t("sw.btn.ship_ok"), payload("staff.shipw", nonce))])]


@router.button("staff.shipw")
async def ship_confirmed(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if P.ORDER_SHIP not in ctx.actor.permissions:
        raise PermissionDenied()
    held = _held(ctx, "ship_words")
    if held is None:
        return [Reply(text=ctx.t("sw.stale"))]
    return await staff_orders.ship(ctx, str(held["ref"]), str(held["carrier"]), str(held["tracking"]),
                            ctx.inbound.message_ref)


# --- a ticket for a dealer, in words ---------------------------------------------------------------

async def _new_ticket(ctx: Ctx, words: str) -> list[Reply]:
    if P.TICKET_HANDLE not in ctx.actor.permissions:
        return await staff_help(ctx)
    dealers = await _dealers(ctx, words)
    if not dealers:
        return [Reply(text=ctx.t("sw.no_dealer", text=words[:20]))]
    if len(dealers) > 1:
        rows = [[Button(label[:40], payload("staff.tnew", dealer_id))] for dealer_id, label in dealers[:MAX_CHOICES]]
        return [Reply(text=ctx.t("sw.which_dealer", text=words[:20]), buttons=rows)]
    return _ask_problem(ctx, *dealers[0])


def _ask_problem(ctx: Ctx, dealer_id: int, label: str) -> list[Reply]:
    ctx.go(TICKET_DESC, dealer_id=dealer_id, dealer=label, nonce=forms.new_nonce())
    return [Reply(text=ctx.t("sw.tnew.ask", dealer=label), buttons=[[Button(ctx.t("staff.btn.cancel"),
                                                                            payload("staff.abort"))]])]


@router.button("staff.tnew")
async def new_ticket_dealer(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if P.TICKET_HANDLE not in ctx.actor.permissions:
        raise PermissionDenied()
    raw = forms.arg(ctx, 0)
    dealer = await get_dealer(ctx.uow(), ctx.actor, int(raw) if raw.isdigit() and len(raw) < 10 else 0)
    return _ask_problem(ctx, dealer.id or 0, f"{dealer.code} {dealer.name}")


@router.state(TICKET_DESC)
async def new_ticket_problem(ctx: Ctx) -> list[Reply]:
    text = ctx.inbound.text.strip() if ctx.inbound.kind == InboundKind.TEXT else ""
    if not text:
        return [Reply(text=ctx.t("form.text_wanted"))]
    ctx.dialog.data["text"] = text[:MAX_TEXT]
    data = ctx.dialog.data
    return [Reply(text=ctx.t("sw.tnew.confirm", dealer=data.get("dealer", ""), text=mask_text(text[:MAX_TEXT])),
                  buttons=[staff.confirm_row(ctx, ctx.t("sw.btn.ticket_ok"),
                                             payload("staff.tnew.ok", str(data.get("nonce"))))])]


@router.button("staff.tnew.ok")
async def new_ticket_confirmed(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if P.TICKET_HANDLE not in ctx.actor.permissions:
        raise PermissionDenied()
    data = ctx.dialog.data
    nonce = forms.arg(ctx, 0)
    if (done := forms.submitted_ref(ctx, nonce)) is not None:
        return [Reply(text=ctx.t("sw.tnew.created", number=done, dealer=""))]
    if ctx.dialog.state != TICKET_DESC or data.get("nonce") != nonce or not data.get("text"):
        return [Reply(text=ctx.t("sw.stale"))]
    dealer_id, label, text = int(data.get("dealer_id") or 0), str(data.get("dealer", "")), str(data["text"])
    ticket = await aftersales.create_ticket(ctx.uow(), ctx.actor, aftersales.CreateTicket(dealer_id, text),
                                            ctx.deps.clock)
    ctx.idle()
    forms.remember_submitted(ctx, nonce, ticket.number)
    ctx.args = [ticket.number]
    return [Reply(text=ctx.t("sw.tnew.created", number=ticket.number, dealer=label)), *await staff_tickets.ticket_detail(ctx)]


# --- the quality department's card -------------------------------------------------------------------

MIN_QF_NOTE = 12          # characters of a sentence typed after a report's card that may be its measure
MIN_QF_WORDS = 6         # characters of words typed with the number that are a note of the next step


@router.button("staff.qf.detail")
async def qf_detail(ctx: Ctx) -> list[Reply]:
    """A quality report for the quality department: the report with its steps, and the next statuses."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if P.QUALITY_HANDLE not in ctx.actor.permissions:
        raise PermissionDenied()
    replies = await quality.feedback_detail(ctx, forms.arg(ctx, 0))
    number = forms.arg(ctx, 0).strip().upper()
    async with ctx.uow() as uow:
        feedback = await uow.quality.get_by(number=number)
    nexts = sorted(CORRECTIVE_TRANSITIONS[feedback.corrective_status]) if feedback else []
    replies[-1].buttons = [[Button(ctx.t("sw.qf.set", status=ctx.pick(*CORRECTIVE_STATUS_LABELS[s])),
                                   payload("staff.qf.set", number, s.value)) for s in nexts],
                           [Button(ctx.t("q.btn.quality"), payload("q.quality", 0))]]
    replies[-1].buttons = [row for row in replies[-1].buttons if row]
    words = words_besides_number(ctx.inbound.text or "") \
        if ctx.inbound.kind == InboundKind.TEXT else ""
    ctx.dialog.data.pop("said_qf", None)            # words kept for another opening of a card are dropped
    if feedback is not None:
        ctx.dialog.data["last_qf"] = number         # a measure typed next is offered as this report's note
    if feedback is not None and nexts and len(words) >= MIN_QF_WORDS:
        # "QF-… 开始查，联系供应商要2411批次的VOC检测报告": kept as the note of the next status pressed
        ctx.dialog.data["said_qf"] = {"ref": number, "text": words[:MAX_TEXT]}
        replies[-1].text += "\n" + ctx.t("sw.qf.said", text=mask_text(words[:80]))
        replies[-1].buttons.insert(1, [keep_button(ctx, number, feedback.corrective_status)])
    # the dealer's photos as images before the card, as a ticket's come (the push brings them; a typed number too)
    return [*await staff_tickets.photo_replies(ctx, feedback.photos if feedback else []), *replies]


@router.button("staff.qf.set")
async def qf_set(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if P.QUALITY_HANDLE not in ctx.actor.permissions:
        raise PermissionDenied()
    number, raw = forms.arg(ctx, 0).upper(), forms.arg(ctx, 1)
    try:
        status = CorrectiveStatus(raw)
    except ValueError:
        return [Reply(text=ctx.t("error.button_stale"))]
    said = ctx.dialog.data.pop("said_qf", None)
    if isinstance(said, dict) and said.get("ref") == number and said.get("text"):
        return await _qf_move(ctx, number, status, str(said["text"]))      # the words typed with the number
    if status in NOTE_REQUIRED:
        ctx.go(QF_NOTE, number=number, status=status.value)
        return [Reply(text=ctx.t("sw.qf.ask_note", status=ctx.pick(*CORRECTIVE_STATUS_LABELS[status])),
                      buttons=[[Button(ctx.t("staff.btn.cancel"), payload("staff.abort"))]])]
    return await _qf_move(ctx, number, status, "")


@router.state(QF_NOTE)
async def qf_note(ctx: Ctx) -> list[Reply]:
    text = ctx.inbound.text.strip() if ctx.inbound.kind == InboundKind.TEXT else ""
    if not text:
        return [Reply(text=ctx.t("form.text_wanted"))]
    data = dict(ctx.dialog.data)
    ctx.idle()
    try:
        return await _qf_move(ctx, str(data.get("number", "")), CorrectiveStatus(str(data.get("status"))),
                              text[:MAX_TEXT])
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]


async def _qf_move(ctx: Ctx, number: str, status: CorrectiveStatus, note: str) -> list[Reply]:
    feedback = await set_corrective_status(ctx.uow(), ctx.actor, number, status, ctx.deps.clock, note=note)
    ctx.dialog.data["last_qf"] = feedback.number
    noted = "\n" + ctx.t("sw.qf.noted", text=mask_text(note[:80])) if note else ""
    return [Reply(text=ctx.t("sw.qf.done", number=feedback.number,
                             status=ctx.pick(*CORRECTIVE_STATUS_LABELS[feedback.corrective_status])) + noted,
                  buttons=[[Button(ctx.t("q.btn.quality"), payload("q.quality", 0))]])]


@router.staff_hook        # before the patterns: "…让经销商封存剩余库存" is no dealer-stock question (QA s27 P13)
async def qf_said_after_card(ctx: Ctx) -> list[Reply] | None:
    """Quality staff who just opened or moved a report type a measure ("已通知供应商更换密封圈，2412批次起…"): offered
    as the note of that report's next step, the next statuses as buttons (was: the 90-day figures, the text lost).
    Questions ("这批货发给了哪些经销商") and commands go on as before."""
    number = ctx.dialog.data.get("last_qf")
    text = ctx.inbound.text.strip()
    if not (ctx.is_staff and not ctx.dialog.state and isinstance(number, str) and P.QUALITY_HANDLE in ctx.actor.permissions
            and MIN_QF_NOTE <= len(text) <= MAX_TEXT and not asks_something(text)
            and parse_staff_command(text) is None):
        return None
    async with ctx.uow() as uow:
        feedback = await uow.quality.get_by(number=number)
    nexts = sorted(CORRECTIVE_TRANSITIONS[feedback.corrective_status]) if feedback else []
    if feedback is None or not nexts:
        return None
    ctx.dialog.data["said_qf"] = {"ref": number, "text": text}
    status = ctx.pick(*CORRECTIVE_STATUS_LABELS[feedback.corrective_status])
    return [Reply(text=ctx.t("sw.qf.offer", number=number, status=status, text=mask_text(text[:80])),
                  buttons=[[Button(ctx.t("sw.qf.set", status=ctx.pick(*CORRECTIVE_STATUS_LABELS[s])),
                                   payload("staff.qf.set", number, s.value)) for s in nexts],
                           [keep_button(ctx, number, feedback.corrective_status)]])]


# --- an expense claim's card -------------------------------------------------------------------------

CLAIM_STATUS = {ClaimStatus.SUBMITTED: ("待审核", "submitted"), ClaimStatus.APPROVED: ("已批准", "approved"),
                ClaimStatus.REJECTED: ("已驳回", "rejected")}


@router.button("staff.claim")
async def claim_card(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if not {P.CAMPAIGN_WRITE, P.ACCOUNT_POST} & ctx.actor.permissions or not ctx.is_staff:
        raise PermissionDenied()
    claim = await get_claim_by_number(ctx.uow(), ctx.actor, forms.arg(ctx, 0))
    dealer = await get_dealer(ctx.uow(), ctx.actor, claim.dealer_id)
    text = ctx.t("sw.claim", number=claim.number, status=ctx.pick(*CLAIM_STATUS.get(claim.status, (claim.status,) * 2)),
                 dealer=f"{dealer.code} {dealer.name}", amount=fmt_cny(claim.amount),
                 what=mask_text(claim.description), n=len(claim.evidence))
    buttons: list[list[Button]] = []
    if claim.status == ClaimStatus.SUBMITTED:
        buttons = [[Button(ctx.t("ctr.btn.approve"), payload("ctr.cl.yes", claim.id or 0, "p")),
                    Button(ctx.t("ctr.btn.approve_rebate"), payload("ctr.cl.yes", claim.id or 0, "r"))],
                   [Button(ctx.t("ctr.btn.reject"), payload("ctr.cl.no", claim.id or 0))]]
    return [Reply(text=text, buttons=buttons)]
