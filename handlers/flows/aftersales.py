"""After-sales (售后报修): a guided form that files a ticket; the dealer's tickets, their timeline,
comments, and the 1-5 star rating once resolved.

Form steps (state ``as.<step>``)::

    product -> ref (serial or order number) -> name -> phone -> address -> desc -> photos -> priority -> confirm

Steps the opening words already answer (the product in "客户家的除湿机不出水", the order of an
"as.new|SO-..." button) are skipped, and those words are offered as the description; the customer's name, phone and address written in them ("地址是浦东新区张江路88号
电话13800138000 王师傅", ``nlu.repair_contact``) fill their own steps and are no part of the description. The confirm
button carries the form's nonce: a double tap files one ticket (handlers.flows.forms). New tickets
are pushed to staff holding TICKET_HANDLE with ``staff.ticket.accept`` / ``staff.ticket.detail``
buttons (handled by the staff flow).

The end customer's name and phone are shown masked (``张*`` ``138****8000``), in the confirmation of the
form too; numbers typed into descriptions and comments are masked where they are shown. The ticket's
own dealer may reveal them with the card's "Show full number" button (audited, ``handlers.flows.privacy``).
"""

from __future__ import annotations

from core.aftersales import Priority, Ticket, TicketStatus
from core.errors import NotFound, ValidationFailed
from core.masking import mask_name, mask_phone, mask_text
from core.services.aftersales import (
    INFO_REQUEST_MARK,
    MAX_ADDRESS,
    RATING_ROLES,
    CreateTicket,
    add_comment,
    create_ticket,
    get_ticket,
    list_tickets,
    may_dealer_reopen,
    rate_ticket,
    waiting_for_my_answer,
)
from core.services.privacy import RevealKind
from core.ticket_states import (
    PRIORITY_LABELS,
    RATEABLE_STATUSES,
    SLA_HOURS,
    TICKET_STATUS_LABELS,
    is_sla_breached,
)
from core.ticket_states import normalize_phone as normalize_customer_phone
from core.users import Permission
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows import forms, quality
from handlers.flows.menu import main_menu, require_bound
from handlers.flows.privacy import reveal_button
from handlers.flows.stepform import Answer, Form, Step, product_step
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.customer_words import repair_answers
from nlu.order_words import is_order_number
from nlu.repair_contact import split_contact
from nlu.repair_fields import customer_line, urgency_only
from nlu.repair_opening import opening_answers
from nlu.replies import is_form_control
from nlu.schema import Intent, ParseResult
from nlu.ticket_words import serial_in, urgency_said

router = Router(name=__name__)

MAX_TEXT = 2000
MAX_SHORT = 64
MAX_NAME = 20          # a customer's name (with a title, a phone) is shorter: a longer message is no name
PRIORITIES = (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW)

i18n.register({
    "as.title": ("🛠 售后报修", "🛠 After-sales request"),
    "as.ask.ref": ("请发送产品序列号（机身铭牌上），或订单号（如 SO-20261120-0001）。没有可点“跳过”。",
                   "Send the product's serial number (on the rating plate) or the order number "
                   "(e.g. SO-20261120-0001). Tap Skip if you have neither."),
    "as.order_unknown": ("没有找到您的订单 {number}，请核对后重新输入，或点“跳过”。",
                         "None of your orders is {number}. Check it and send it again, or tap Skip."),
    "as.ask.name": ("请输入客户姓名（最终用户）。", "Customer's name (the end user)?"),
    "as.problem_kept": ("这句话像是故障描述，不是{step}：已记下，稍后作为问题描述{product}。没填完的报修还在，接着回答下面的问题即可。",
                        "That reads as the problem, not {step}: it is kept for the description{product}. The request "
                        "is still open: answer the question below to go on."),
    "as.product_now": ("（产品改为 {product}）", " (the product is now {product})"),
    "as.customer_taken": ("已记下：{what}。", "Noted: {what}."),
    "as.taken.customer": ("客户 {customer}", "customer {customer}"),
    "as.taken.address": ("地址 {address}", "address {address}"),
    "as.taken.no_serial": ("没有序列号（跳过）", "no serial number (skipped)"),
    "as.taken.priority": ("紧急程度 {priority}（{hours} 小时内处理）", "priority {priority} (handled within {hours} h)"),
    "as.step.name": ("客户姓名", "a customer's name"),
    "as.not_value": ("“{text}”不是{step}。请输入{step}，没有可点“跳过”。", "\"{text}\" is not {step}. Please send it, or tap "
                     "Skip."),
    "as.step.ref": ("序列号或订单号", "a serial or order number"),
    "as.not_serial": ("“{text}”不像序列号或订单号（序列号在机身铭牌上，是字母和数字，如 SN2024A0013）。",
                      "\"{text}\" is no serial or order number (the serial is on the rating plate, letters and "
                      "digits, e.g. SN2024A0013)."),
    "as.ask.phone": ("请输入客户电话（手机号或带区号的座机）。", "Customer's phone (mobile, or landline with area code)?"),
    "as.ask.address": ("请发送上门地址（如“浦东新区张江路88号3栋502”），不需要上门可点“跳过”。",
                       "The address for the visit (e.g. \"3-502, 88 Zhangjiang Rd, Pudong\")? Tap Skip if no visit "
                       "is needed."),
    "as.step.address": ("地址", "an address"),
    "as.phone_bad": ("{error}\n请重新输入客户电话，或点“跳过”。", "{error}\nPlease send the customer's phone again, or tap Skip."),
    "as.ask.desc": ("请描述故障现象，例如“开机后不出水，有异响”。",
                    "Describe the problem, e.g. \"no water comes out, makes a noise\"."),
    "as.ask.desc_hint": ("问题描述：{desc}\n点“使用此描述”，或发送新的描述。",
                         "Problem: {desc}\nTap \"Use this\" or send a new description."),
    "as.keep_desc": ("✔ 使用此描述", "✔ Use this"),
    "as.ask.photos": ("请发送故障照片（最多 {max} 张），发完点“完成”；没有照片也点“完成”。",
                      "Send photos of the problem (at most {max}), then tap Done. No photos? Tap Done."),
    "as.ask.priority": ("请选择紧急程度（括号内为承诺处理时限）：", "How urgent is it (promised handling time)?"),
    "as.priority_button": ("{label}（{hours} 小时）", "{label} ({hours} h)"),
    "as.summary": ("请确认售后工单：\n产品：{product}\n序列号/订单：{ref}\n客户：{customer}\n地址：{address}\n"
                   "问题：{desc}\n"
                   "照片：{photos} 张\n紧急程度：{priority}（{hours} 小时内处理）",
                   "Please check the ticket:\nProduct: {product}\nSerial/order: {ref}\nCustomer: {customer}\n"
                   "Address: {address}\n"
                   "Problem: {desc}\nPhotos: {photos}\nPriority: {priority} (handled within {hours} h)"),
    "as.use_buttons": ("请点“确认提交”或“取消”。", "Please tap Submit or Cancel."),
    "as.created": ("✅ 工单已创建：{number}\n紧急程度：{priority}，承诺 {due} 前处理完毕。\n售后人员受理后会通知您。",
                   "✅ Ticket created: {number}\nPriority: {priority}; to be handled by {due}.\n"
                   "You will be told when after-sales takes it on."),
    "as.btn.view": ("🔎 查看工单", "🔎 View ticket"),
    "as.btn.list": ("📋 我的工单", "📋 My tickets"),
    "as.btn.new": ("🛠 新建报修", "🛠 New request"),
    "as.btn.comment": ("💬 留言", "💬 Comment"),
    "as.btn.reopen": ("🔄 还有问题，重新打开", "🔄 Still wrong: reopen"),
    "as.btn.solved": ("✅ 已解决", "✅ Solved"),
    "as.list.title": ("您的售后工单（最近 {n} 个）：", "Your after-sales tickets (latest {n}):"),
    "as.list.empty": ("您还没有售后工单。", "You have no after-sales tickets yet."),
    "as.detail": ("🛠 {number} · {status}\n产品：{product}\n客户：{customer}\n问题：{desc}\n"
                  "紧急程度：{priority} · 时限 {due}{late}",
                  "🛠 {number} · {status}\nProduct: {product}\nCustomer: {customer}\nProblem: {desc}\n"
                  "Priority: {priority} · due {due}{late}"),
    "as.late": ("（已超时）", " (overdue)"),
    "as.address": ("地址：{address}", "Address: {address}"),
    "as.assignee": ("处理人：{name}", "Handled by: {name}"),
    "as.resolution": ("处理结果：{text}", "Resolution: {text}"),
    "as.reject_reason": ("驳回原因：{text}", "Reason for rejection: {text}"),
    "as.timeline": ("进度：", "Timeline:"),
    "as.created_line": ("{at} 工单创建（{who}）", "{at} ticket filed ({who})"),
    "as.comment_line": ("{at} {head} {who}：{text}", "{at} {head} {who}: {text}"),
    "as.rating": ("您的评价：{stars}", "Your rating: {stars}"),
    "as.rate.ask": ("工单已解决，请为本次服务打分：", "The ticket is resolved. Please rate the service:"),
    "as.rated": ("感谢您的评价：{stars}", "Thank you for your rating: {stars}"),
    "as.comment.ask": ("请输入给售后人员的留言：", "Your message to after-sales:"),
    "as.commented": ("留言已添加到工单 {number}。", "Your comment was added to {number}."),
    "as.none": ("无", "none"),
    "as.photos_commented": ("已把 {n} 张照片补充到工单 {number}，售后人员会收到。还可以继续发照片或文字。",
                            "{n} photo(s) added to ticket {number}; after-sales are told. Send more photos or "
                            "words if you like."),
    "as.offer.text": ("这是对工单 {number} 的回复吗？售后（{who}）问：{question}\n您发的：{said}",
                      "Is this your answer on ticket {number}? After-sales ({who}) asked: {question}\n"
                      "You wrote: {said}"),
    "as.offer.photos": ("要把这 {n} 张照片补充到工单 {number} 吗？售后（{who}）问：{question}",
                        "Add these {n} photo(s) to ticket {number}? After-sales ({who}) asked: {question}"),
    "as.offer.btn.send": ("✍️ 作为回复发送", "✍️ Send as my answer"),
    "as.offer.btn.photos": ("📎 补充到工单", "📎 Add to the ticket"),
    "as.offer.btn.no": ("✖ 不是", "✖ No"),
    "as.offer.btn.new": ("🛠 不是，新报修", "🛠 No, a new repair"),
    "as.offer.dropped": ("好的，没有发送。", "OK, nothing was sent."),
})


# --- starting --------------------------------------------------------------------------------------

async def start(ctx: Ctx, *, sku: str | None = None, order_no: str | None = None, hint: str = "",
                said: list[str] | None = None) -> list[Reply]:
    """``said``: the products a word of the message may mean, offered first at the product step."""
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    FORM.begin(ctx)
    if order_no:
        number = order_no.strip().upper()
        async with ctx.uow() as uow:
            order = await uow.orders.get_by(number=number)
        if order is None or order.dealer_id != ctx.actor.dealer_id:
            raise NotFound(what=number)
        FORM.mark_done(ctx, "ref", order_no=number)
        skus = sorted({line.sku for line in order.lines})
        if len(skus) == 1 and not sku:
            sku = skus[0]
    if sku:
        products = await forms.active_products(ctx)
        if any(p.sku == sku for p in products):
            FORM.mark_done(ctx, "product", sku=sku)
    elif said:
        ctx.dialog.data["said_products"] = said
    if hint.strip():
        # "客户电话13912345678 姓王", "地址是张江路88号": not asked again, and no part of the problem's words
        problem = _take_contact(FORM, ctx, hint)
        if problem:
            ctx.dialog.data.update(desc_hint=forms.clip(problem, MAX_TEXT))
        opening = opening_answers(hint)         # "序列号不记得了 挺急的": neither asked again (QA s27 P11)
        if opening.no_serial:
            FORM.mark_done(ctx, "ref")
        if opening.urgency is not None:
            FORM.mark_done(ctx, "priority", priority=opening.urgency)
    return await FORM.next(ctx, intro=True)


@router.button("as.new")
async def new_button(ctx: Ctx) -> list[Reply]:
    return await start(ctx, order_no=forms.arg(ctx, 0) or None)


@router.command("ticket", "aftersales")
async def new_command(ctx: Ctx) -> list[Reply]:
    arg = ctx.inbound.args.strip()
    if arg.upper().startswith("AS-"):
        return await ticket_detail(ctx, arg.upper())
    return await start(ctx, order_no=arg if is_order_number(arg) else None, hint="" if is_order_number(arg) else arg)


@router.intent(Intent.AFTER_SALES)
async def after_sales_intent(ctx: Ctx) -> list[Reply]:
    slots = ctx.parsed.slots if ctx.parsed else None
    order_no = slots.order_no if slots else None
    if order_no and order_no.upper().startswith("AS-"):
        return await ticket_detail(ctx, order_no.upper())
    if slots is not None and slots.product and quality.reads_defects(ctx) \
            and Permission.QUALITY_HANDLE in ctx.actor.permissions:
        # quality staff file no repair: "DH20水位传感器那个问题要不要召回" asks for that product's figures, what a
        # recall is decided on (was: "此功能仅供经销商用户使用")
        return await quality.defect_figures(ctx, slots.product)
    text = ctx.inbound.text.strip()
    # "水箱浮子好像卡住了" while after-sales wait for this dealer's answer on that product's ticket: offered as the
    # answer first, a new repair one tap away
    if (answering := await offer_as_answer(ctx, text=text, sku=slots.product if slots else None)) is not None:
        return answering
    return await start(ctx, sku=slots.product if slots else None,
                       order_no=order_no if order_no and is_order_number(order_no) else None,
                       hint=text if len(text) >= 6 else "", said=forms.said_candidates(ctx.parsed))


@router.button("as.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


# --- the steps (handlers.flows.stepform runs them) ------------------------------------------------------------

def _priority_label(ctx: Ctx, priority: Priority) -> str:
    zh, en = PRIORITY_LABELS[priority]
    return ctx.pick(zh, en)


async def _name(form: Form, ctx: Ctx, text: str) -> Answer:
    """The end customer's name. A problem typed here instead ("ap300开机滴滴响，屏幕显示E3", often the next day, into a
    form left at this step) is no name: it is kept as the description and the name asked again; the draft is never
    dropped for it."""
    if is_form_control(text):                   # "use this", "done": a button typed ahead, no name (QA s28 #13)
        return await _not_a_value(form, ctx, text, "name")
    if (urgency := await _urgency_typed(form, ctx, text, "name")) is not None:   # "不着急" is no name
        return urgency
    if (placed := await _address_typed(form, ctx, text)) is not None:     # "闵行区七莘路1808号3栋502" is no name
        return placed
    if (line := customer_line(text)) is not None:   # "客户王先生 13900001111", "Mr Chen 13911112222": both fields
        return await _customer_taken(form, ctx, line.name, line.phone, no_serial=False)
    said = repair_answers(text)
    if said.name and not said.rest:             # "客户叫王大妈 电话138…": the name, and the phone with it
        return await _customer_taken(form, ctx, said.name, said.phone, no_serial=False)
    parsed = await parse_message(ctx)
    if (parsed.intent == Intent.AFTER_SALES and parsed.confidence >= 0.5) or len(text) > MAX_NAME:
        return await _problem_kept(form, ctx, text, parsed, "name")
    return {"name": text}


async def _not_a_value(form: Form, ctx: Ctx, text: str, step: str) -> list[Reply]:
    return [Reply(text=ctx.t("as.not_value", text=forms.clip(text, 20), step=ctx.t(f"as.step.{step}"))),
            *await form.ask(ctx, step)]


def _mark_customer(form: Form, ctx: Ctx, name: str | None, phone: str | None) -> str | None:
    """The end customer's name and phone said in words fill their steps; the phone kept (None when it is no phone
    number: asked at its step, where the problem is said)."""
    if name:
        form.mark_done(ctx, "name", name=name[:MAX_SHORT])
    if phone:
        try:
            form.mark_done(ctx, "phone", phone=normalize_customer_phone(phone))
        except ValidationFailed:
            return None
    return phone


async def _customer_taken(form: Form, ctx: Ctx, name: str | None, phone: str | None, *, no_serial: bool,
                          rest: str = "") -> list[Reply]:
    """Name, phone and "序列号不记得了" written in one message: each fills its step (the problem words left over are
    kept for the description), then the first step still open is asked."""
    what: list[str] = []
    phone = _mark_customer(form, ctx, name, phone)
    if name or phone:
        what.append(ctx.t("as.taken.customer", customer=_customer(ctx, name, phone)))
    if no_serial:
        form.mark_done(ctx, "ref")
        what.append(ctx.t("as.taken.no_serial"))
    if rest:
        _keep_problem(ctx, rest)
    return [Reply(text=ctx.t("as.customer_taken", what=ctx.pick("，", ", ").join(what))), *await form.next(ctx)]


async def _address_typed(form: Form, ctx: Ctx, text: str) -> list[Reply] | None:
    """An address typed at another step ("闵行区七莘路1808号3栋502", with the customer or the problem or not): it fills
    the address step (the rest theirs), and the step still open is asked; None when no address is written."""
    if split_contact(text).address is None:
        return None
    _keep_problem(ctx, text)
    taken = ctx.t("as.taken.address", address=str(ctx.dialog.data.get("address") or ""))
    return [Reply(text=ctx.t("as.customer_taken", what=taken)), *await form.next(ctx)]


def _take_contact(form: Form, ctx: Ctx, text: str) -> str:
    """The customer's name, phone and address written in ``text`` fill their steps (a step answered already keeps
    its answer); the words left, the problem, are returned."""
    said = split_contact(text)
    data = ctx.dialog.data
    _mark_customer(form, ctx, None if data.get("name") else said.name, None if data.get("phone") else said.phone)
    if said.address and not data.get("address"):
        form.mark_done(ctx, "address", address=said.address[:MAX_ADDRESS])
    return said.problem


def _keep_problem(ctx: Ctx, text: str) -> None:
    """Words of the problem typed at another step: added to what the description will offer (not replacing the
    opening words: "序列号不记得了…" never wipes "开机就滴滴响 屏幕显示E3"). An address written with them takes its
    step, out of the problem's words."""
    text = _take_contact(FORM, ctx, text)
    if not text:
        return
    kept = str(ctx.dialog.data.get("desc_hint") or "")
    if text in kept:
        return
    ctx.dialog.data["desc_hint"] = forms.clip(f"{kept}；{text}" if kept else text, MAX_TEXT)


async def _problem_kept(form: Form, ctx: Ctx, text: str, parsed: ParseResult, step: str) -> list[Reply]:
    """A problem typed where a serial or a name is asked: kept for the description and the step asked again. When it
    names another product than the form's, the form takes that product and these words (the old words were about
    the other one)."""
    named = [parsed.slots.product] if parsed.slots.product else forms.said_candidates(parsed)
    chosen = ctx.dialog.data.get("sku")
    moved = ""
    if len(named) == 1 and named[0] != chosen and any(p.sku == named[0] for p in await forms.active_products(ctx)):
        form.mark_done(ctx, "product", sku=named[0])
        ctx.dialog.data.pop("desc_hint", None)
        moved = ctx.t("as.product_now", product=forms.product_name(await forms.active_products(ctx), named[0]))
    _keep_problem(ctx, forms.clip(text, MAX_TEXT))
    return [Reply(text=ctx.t("as.problem_kept", step=ctx.t(f"as.step.{step}"), product=moved)),
            *await form.ask(ctx, step)]


async def _ref(form: Form, ctx: Ctx, text: str) -> Answer:
    """A serial number, or one of the dealer's order numbers. A problem typed here ("客户家的除湿机不出水了") is
    the description (the form's own product or none named) or a new request (another product named: the form
    starts again from it); a question is answered; anything else is asked again."""
    if is_order_number(text):
        number = text.upper()
        async with ctx.uow() as uow:
            order = await uow.orders.get_by(number=number)
        if order is None or order.dealer_id != ctx.actor.dealer_id:
            return form.reject(ctx, "ref", ctx.t("as.order_unknown", number=number))
        return {"order_no": number}
    if (urgency := await _urgency_typed(form, ctx, text, "ref")) is not None:
        return urgency
    if (placed := await _address_typed(form, ctx, text)) is not None:     # the address, typed before it is asked
        return placed
    serial = serial_in(text)
    if serial is not None:
        if len(serial) > MAX_SHORT:
            return form.reject(ctx, "ref", ctx.t("form.text_too_long", limit=MAX_SHORT))
        return {"serial": serial}
    if (line := customer_line(text)) is not None:     # "客户王先生 13900001111"
        return await _customer_taken(form, ctx, line.name, line.phone, no_serial=False)
    said = repair_answers(text)
    if said.name or said.phone or said.no_serial:     # "序列号不记得了 客户叫王大妈 电话138…"
        return await _customer_taken(form, ctx, said.name, said.phone, no_serial=said.no_serial, rest=said.rest)
    parsed = await parse_message(ctx)
    if parsed.intent == Intent.AFTER_SALES and parsed.confidence >= 0.5:
        return await _problem_kept(form, ctx, text, parsed, "ref")
    if (aside := await form.aside(ctx, "ref")) is not None:
        return aside
    return [Reply(text=ctx.t("as.not_serial", text=forms.clip(text, 30))), *await form.ask(ctx, "ref")]


async def _phone(form: Form, ctx: Ctx, raw: str) -> Answer:
    if (urgency := await _urgency_typed(form, ctx, raw, "phone")) is not None:
        return urgency
    if (line := customer_line(raw)) is not None and line.phone:    # "Mr Chen 13911112222": the name too, if none yet
        if line.name and not ctx.dialog.data.get("name"):
            form.mark_done(ctx, "name", name=line.name[:MAX_SHORT])
        raw = line.phone
    try:
        return {"phone": normalize_customer_phone(raw)}
    except ValidationFailed as exc:
        error = mask_text(exc.message(ctx.lang))     # it quotes what was typed
        return form.reject(ctx, "phone", ctx.t("as.phone_bad", error=error))


async def _address(form: Form, ctx: Ctx, text: str) -> Answer:
    """Where the repair is. A problem typed here with it ("地址在金桥路100号，机器开机就滴滴响") is kept for the
    description; a problem alone is kept and the address asked again."""
    if is_form_control(text):                   # "done" was stored as the address (QA s28 #13)
        return await _not_a_value(form, ctx, text, "address")
    if (urgency := await _urgency_typed(form, ctx, text, "address")) is not None:     # "不着急" is no address
        return urgency
    said = split_contact(text)
    if said.address:
        if said.problem:
            _keep_problem(ctx, said.problem)
        return {"address": said.address[:MAX_ADDRESS]}
    parsed = await parse_message(ctx)
    if parsed.intent == Intent.AFTER_SALES and parsed.confidence >= 0.5:
        return await _problem_kept(form, ctx, text, parsed, "address")
    return {"address": text[:MAX_ADDRESS]}


async def _desc(form: Form, ctx: Ctx, text: str) -> Answer:
    """The fault. "挺急的" typed here is the urgency: the fault offered (or asked) again, never replaced by it (QA)."""
    if (urgency := await _urgency_typed(form, ctx, text, "desc")) is not None:
        return urgency
    if len(text) > MAX_TEXT:
        return form.reject(ctx, "desc", ctx.t("form.text_too_long", limit=MAX_TEXT))
    return {"desc": text}


async def _urgency_typed(form: Form, ctx: Ctx, text: str, step: str) -> list[Reply] | None:
    """A message saying only how urgent the repair is ("挺急的", "不着急", ``nlu.repair_fields``), typed at another
    step: it sets the urgency (the priority step is not asked) and the step is asked again; never that step's answer
    (was: the description, or the customer's name). None when the message says more."""
    said = urgency_only(text)
    if said is None:
        return None
    priority = Priority(said)
    form.mark_done(ctx, "priority", priority=priority.value)
    taken = ctx.t("as.taken.priority", priority=_priority_label(ctx, priority), hours=SLA_HOURS[priority])
    return [Reply(text=ctx.t("as.customer_taken", what=taken)), *await form.ask(ctx, step)]


async def _ask_priority(form: Form, ctx: Ctx) -> list[Reply]:
    rows = [[Button(ctx.t("as.priority_button", label=_priority_label(ctx, p), hours=SLA_HOURS[p]),
                    payload("as.prio", p.value))] for p in PRIORITIES]
    return [Reply(text=ctx.t("as.ask.priority"), buttons=rows + form.controls(ctx, "priority"))]


async def _typed_priority(form: Form, ctx: Ctx, text: str) -> Answer:
    chosen = next((p for p in PRIORITIES if text.lower() in {p.value, *(s.lower() for s in PRIORITY_LABELS[p])}),
                  None)
    if chosen is None and (said := urgency_said(text)) is not None:    # "挺急的 客户天天打电话"
        chosen = Priority(said)
    return {"priority": chosen.value} if chosen is not None else await form.ask(ctx, "priority")


async def _pressed_priority(form: Form, ctx: Ctx, value: str) -> Answer | None:
    return {"priority": value} if value in {p.value for p in Priority} else None


@router.state("as")
async def answer(ctx: Ctx) -> list[Reply]:
    """Typed answers (and photos, a shared contact) to whichever step the form is at; a comment on a ticket."""
    if ctx.dialog.state == "as.comment":
        return await _comment_text(ctx)
    return await FORM.answer(ctx)


# --- confirm and file ------------------------------------------------------------------------------

def _ref_text(ctx: Ctx, data: dict[str, object]) -> str:
    parts = [str(v) for v in (data.get("serial"), data.get("order_no")) if v]
    return " / ".join(parts) or ctx.t("as.none")


def _customer(ctx: Ctx, name: object, phone: object) -> str:
    """The end customer, masked: ``张* 138****8000`` (full values only through the audited reveal)."""
    shown = (mask_name(str(name or "")), mask_phone(str(phone or "")))
    return " ".join(v for v in shown if v) or ctx.t("as.none")


async def _summary(ctx: Ctx) -> str:
    data = ctx.dialog.data
    products = await forms.active_products(ctx)
    priority = Priority(data.get("priority", Priority.NORMAL.value))
    return ctx.t("as.summary", product=forms.product_name(products, data.get("sku")) or ctx.t("as.none"),
                 ref=_ref_text(ctx, data), customer=_customer(ctx, data.get("name"), data.get("phone")),
                 address=str(data.get("address") or "") or ctx.t("as.none"),
                 desc=mask_text(str(data.get("desc", ""))), photos=len(data.get("photos") or []),
                 priority=_priority_label(ctx, priority), hours=SLA_HOURS[priority])


async def _submit(ctx: Ctx) -> tuple[str | None, list[Reply]]:
    data = ctx.dialog.data
    assert ctx.actor.dealer_id is not None  # the form's guard: require_dealer
    ticket = await create_ticket(ctx.uow(), ctx.actor, CreateTicket(
        dealer_id=ctx.actor.dealer_id, description=str(data.get("desc", "")),
        customer_name=str(data.get("name") or ""), customer_phone=str(data.get("phone") or ""),
        address=str(data.get("address") or ""),
        sku=data.get("sku") or None, serial_no=data.get("serial") or None, order_number=data.get("order_no") or None,
        photos=list(data.get("photos") or []), priority=Priority(data.get("priority", Priority.NORMAL.value)),
    ), ctx.deps.clock)
    return ticket.number, await _created_replies(ctx, ticket)


async def _resubmitted(ctx: Ctx, number: str) -> list[Reply]:
    return await _created_replies(ctx, await get_ticket(ctx.uow(), ctx.actor, number))


FORM = Form(
    prefix="as", title="as.title", use_buttons="as.use_buttons",
    steps=(product_step(skippable=True),
           Step("ref", parse=_ref, skippable=True),
           Step("name", parse=_name, skippable=True),
           Step("phone", parse=_phone, contact=True, skippable=True, leaves=True),
           Step("address", parse=_address, skippable=True),
           Step("desc", parse=_desc, limit=MAX_TEXT, keep="desc_hint"),
           Step("photos", photos=True),
           Step("priority", ask=_ask_priority, parse=_typed_priority, buttons={"prio": _pressed_priority},
                leaves=True)),
    summary=_summary, submit=_submit, resubmitted=_resubmitted,
    own=frozenset({Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK}))
FORM.register(router)


async def _created_replies(ctx: Ctx, ticket: Ticket) -> list[Reply]:
    text = ctx.t("as.created", number=ticket.number, priority=_priority_label(ctx, ticket.priority),
                 due=forms.local_time(ctx, ticket.sla_due_at))
    return [Reply(text=text, buttons=[[Button(ctx.t("as.btn.view"), payload("as.view", ticket.number))],
                                      [Button(ctx.t("as.btn.list"), payload("as.list")), forms.menu_button(ctx)]])]


# --- the dealer's tickets --------------------------------------------------------------------------

@router.button("as.list")
async def ticket_list(ctx: Ctx) -> list[Reply]:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    tickets = await list_tickets(ctx.uow(), ctx.actor, limit=10)
    new_row = [Button(ctx.t("as.btn.new"), payload("as.new")), forms.menu_button(ctx)]
    if not tickets:
        return [Reply(text=ctx.t("as.list.empty"), buttons=[new_row])]
    lines = [ctx.t("as.list.title", n=len(tickets))]
    rows: list[list[Button]] = []
    for t in tickets:
        status = _status_label(ctx, t.status)
        lines.append(f"• {t.number} · {status} · {forms.clip(mask_text(t.description), 24)}")
        rows.append([Button(f"{t.number} · {status}", payload("as.view", t.number))])
    return [Reply(text="\n".join(lines), buttons=rows + [new_row])]


def _status_label(ctx: Ctx, status: TicketStatus) -> str:
    zh, en = TICKET_STATUS_LABELS[status]
    return ctx.pick(zh, en)


def _who(label: str) -> str:
    """``staff:zhang`` / ``dealer:12:li`` -> the name part."""
    return label.rsplit(":", 1)[-1] if label else ""


@router.button("as.view")
async def view(ctx: Ctx) -> list[Reply]:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    return await ticket_detail(ctx, forms.arg(ctx, 0))


async def ticket_detail(ctx: Ctx, number: str) -> list[Reply]:
    """One ticket as the actor may see it (core decides): status, the customer masked, the timeline, and the
    buttons for what may be done next. Also the answer to a follow-up question (handlers.flows.followups)."""
    ticket = await get_ticket(ctx.uow(), ctx.actor, number)
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=ticket.sku) if ticket.sku else None
    late = ctx.t("as.late") if is_sla_breached(ticket, ctx.deps.clock.now()) else ""
    lines = [ctx.t("as.detail", number=ticket.number, status=_status_label(ctx, ticket.status),
                   product=forms.product_label(product) if product else (ticket.sku or ctx.t("as.none")),
                   customer=_customer(ctx, ticket.customer_name, ticket.customer_phone),
                   desc=mask_text(ticket.description), priority=_priority_label(ctx, ticket.priority),
                   due=forms.local_time(ctx, ticket.sla_due_at), late=late)]
    if ticket.address:
        lines.append(ctx.t("as.address", address=ticket.address))
    if ticket.assignee:
        lines.append(ctx.t("as.assignee", name=_who(ticket.assignee)))
    if ticket.resolution:
        lines.append(ctx.t("as.resolution", text=mask_text(ticket.resolution)))
    if ticket.reject_reason:
        lines.append(ctx.t("as.reject_reason", text=mask_text(ticket.reject_reason)))
    lines.append(ctx.t("as.timeline"))
    lines.append(ctx.t("as.created_line", at=forms.local_time(ctx, ticket.created_at), who=_who(ticket.created_by)))
    for c in ticket.comments:
        head = _status_label(ctx, c.status) if c.status else "💬"
        line = ctx.t("as.comment_line", at=forms.local_time(ctx, c.at), head=head, who=_who(c.author),
                     text=mask_text(c.text))
        lines.append(line if c.text else line.rstrip("：: "))
    rows: list[list[Button]] = []
    if ticket.satisfaction is not None:
        lines.append(ctx.t("as.rating", stars=_stars(ticket.satisfaction)))
    elif ticket.status in RATEABLE_STATUSES and ctx.is_dealer and ctx.actor.role in RATING_ROLES:
        lines.append(ctx.t("as.rate.ask"))
        rows.append([Button("⭐" * n, payload("as.rate", ticket.number, n)) for n in (1, 2, 3)])
        rows.append([Button("⭐" * n, payload("as.rate", ticket.number, n)) for n in (4, 5)])
    if ctx.is_dealer and may_dealer_reopen(ticket, ctx.deps.clock.now()):     # 问题解决了吗？ (handlers.flows.ticket_reopen)
        rows.append([Button(ctx.t("as.btn.solved"), payload("as.solved", ticket.number)),
                     Button(ctx.t("as.btn.reopen"), payload("as.reopen", ticket.number))])
    if ticket.status not in (TicketStatus.CLOSED, TicketStatus.REJECTED):
        rows.append([Button(ctx.t("as.btn.comment"), payload("as.cmt", ticket.number))])
    if ticket.customer_name or ticket.customer_phone:
        rows.append(reveal_button(ctx, RevealKind.TICKET_CUSTOMER, ticket.number))
    rows.append([Button(ctx.t("as.btn.list"), payload("as.list")), forms.menu_button(ctx)])
    return [Reply(text="\n".join(lines), buttons=rows)]


def _stars(score: int) -> str:
    return "★" * score + "☆" * (5 - score)


@router.button("as.rate")
async def rate(ctx: Ctx) -> list[Reply]:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    number, raw = forms.arg(ctx, 0), forms.arg(ctx, 1)
    if not raw.isdigit():
        raise ValidationFailed(zh="评分须为 1 到 5 的整数", en="The rating must be a whole number from 1 to 5",
                               reason=raw)
    ticket = await rate_ticket(ctx.uow(), ctx.actor, number, int(raw), ctx.deps.clock)
    return [Reply(text=ctx.t("as.rated", stars=_stars(ticket.satisfaction or 0)),
                  buttons=[[Button(ctx.t("as.btn.list"), payload("as.list")), forms.menu_button(ctx)]])]


@router.button("as.cmt")
async def comment(ctx: Ctx) -> list[Reply]:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    ticket = await get_ticket(ctx.uow(), ctx.actor, forms.arg(ctx, 0))   # NotFound before asking
    ctx.go("as.comment", number=ticket.number)
    return [Reply(text=ctx.t("as.comment.ask"), buttons=[forms.cancel_row(ctx, "as")])]


async def _comment_text(ctx: Ctx) -> list[Reply]:
    number = str(ctx.dialog.data.get("number", ""))
    if forms.is_photo(ctx):           # "拍一下铭牌": the photos join the ticket, more may follow
        refs = [ref for ref in ctx.inbound.file_refs if ref]
        await add_comment(ctx.uow(), ctx.actor, number, "", ctx.deps.clock, photos=refs)
        return [Reply(text=ctx.t("as.photos_commented", n=len(refs), number=number),
                      buttons=[[Button(ctx.t("as.btn.view"), payload("as.view", number)), forms.menu_button(ctx)]])]
    text = forms.text_of(ctx)
    if not text:
        return [Reply(text=ctx.t("form.text_wanted"))]
    await add_comment(ctx.uow(), ctx.actor, number, text, ctx.deps.clock)
    ctx.idle()
    return [Reply(text=ctx.t("as.commented", number=number))] + await ticket_detail(ctx, number)


# --- a dealer answering staff's question without pressing "reply" ----------------------------------------

OFFER_KEY = "as_offer"
ANSWERING_KEY = "as_answering"      # the ticket a dealer just added photos to, for the words that follow them


async def offer_as_answer(ctx: Ctx, *, text: str = "", photos: tuple[str, ...] = (),
                          sku: str | None = None) -> list[Reply] | None:
    """A dealer whose ticket waits for its answer (after-sales asked "拍一下铭牌") types words nothing else reads, or
    a problem of that ticket's product (``sku``: a new repair is then the other button), or sends a photo outside
    any form: "is this your answer on AS-…?" with one tap to send it; None when no ticket waits for this dealer
    (or only for another product's). Nothing is written before the tap."""
    if not ctx.is_dealer or (not text and not photos):
        return None
    waiting = [t for t in await waiting_for_my_answer(ctx.uow(), ctx.actor, photos=bool(photos))
               if not sku or t.sku in (None, sku)]
    if not waiting:
        return None
    ticket = waiting[0]
    asked = next(c for c in reversed(ticket.comments) if c.text.startswith(INFO_REQUEST_MARK))  # one is there
    ctx.idle()
    nonce = forms.new_nonce()
    ctx.dialog.data = {OFFER_KEY: {"number": ticket.number, "text": text[:MAX_TEXT], "photos": list(photos),
                                   "nonce": nonce}}
    params = {"number": ticket.number, "who": _who(asked.author),
              "question": forms.clip(mask_text(asked.text.removeprefix(INFO_REQUEST_MARK)), 80)}
    if photos:
        said, send = ctx.t("as.offer.photos", n=len(photos), **params), ctx.t("as.offer.btn.photos")
    else:
        said, send = ctx.t("as.offer.text", said=forms.clip(mask_text(text), 80), **params), \
            ctx.t("as.offer.btn.send")
    other = Button(ctx.t("as.offer.btn.new"), payload("as.new")) if ctx.parsed is not None \
        and ctx.parsed.intent == Intent.AFTER_SALES else Button(ctx.t("as.offer.btn.no"), payload("as.offer_no"))
    return [Reply(text=said, buttons=[[Button(send, payload("as.offer", nonce)), other]])]


@router.upload_hook
async def photo_for_waiting_ticket(ctx: Ctx) -> list[Reply] | None:
    """A photo sent outside any form while a ticket waits for this dealer's answer: offered to that ticket."""
    if ctx.dialog.state or ctx.inbound.kind != InboundKind.PHOTO or not ctx.inbound.file_refs:
        return None
    return await offer_as_answer(ctx, photos=tuple(ref for ref in ctx.inbound.file_refs if ref))


@router.text_hook
async def words_after_photos(ctx: Ctx) -> list[Reply] | None:
    """The words a dealer types right after adding photos to a ticket that asked ("铭牌在背面，出风口里面有灰"): offered
    as that answer whatever the parser makes of them (was: read as a greeting, the main menu shown, the words
    lost)."""
    if not ctx.is_dealer or ctx.dialog.state or not ctx.dialog.data.pop(ANSWERING_KEY, None):
        return None
    return await offer_as_answer(ctx, text=ctx.inbound.text.strip())


@router.button("as.offer")
async def offer_taken(ctx: Ctx) -> list[Reply]:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    held = ctx.dialog.data.get(OFFER_KEY)
    if not isinstance(held, dict) or held.get("nonce") != forms.arg(ctx, 0):
        return [Reply(text=ctx.t("error.button_stale"))]
    number = str(held["number"])
    photos = [str(ref) for ref in held.get("photos") or []]
    await add_comment(ctx.uow(), ctx.actor, number, str(held.get("text") or ""), ctx.deps.clock, photos=photos)
    ctx.idle()
    if photos:        # "还可以继续发照片或文字": the words typed next are offered to this ticket, whatever they read as
        ctx.dialog.data[ANSWERING_KEY] = number
    done = ctx.t("as.photos_commented", n=len(photos), number=number) if photos \
        else ctx.t("as.commented", number=number)
    return [Reply(text=done)] + await ticket_detail(ctx, number)


@router.button("as.offer_no")
async def offer_dropped(ctx: Ctx) -> list[Reply]:
    ctx.dialog.data.pop(OFFER_KEY, None)
    return [Reply(text=ctx.t("as.offer.dropped")), main_menu(ctx)]
