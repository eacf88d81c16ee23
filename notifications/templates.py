"""Outbox templates: ``kind`` + ``params`` -> the text and buttons a recipient sees, in their language.

Rows are rendered when they are delivered, not when they are written, so each recipient reads the
language its chat chose (``/lang``) and a template fixed later fixes the queued rows too. A param
``{"zh": ..., "en": ...}`` is picked per language; the rest are plain JSON values written by the use
case or the check that queued the row (``core.notify``, ``notifications.checks``).

Buttons carry the chat flows' payloads (``1|action|arg...``, at most 64 bytes: ``core.payload``, the
one codec the chat flows use too). The flows re-check every payload on arrival, so a button here grants nothing by itself.

An unknown kind raises ``UnknownTemplate``: the worker marks the row dead (a bug, not a retry).

Pushes never show a full mobile or ID number: ``render`` masks them in the finished text
(``core.masking.mask_text``: ``138****8000``), whatever param carried them (a description, a comment, a
reason). ``chat.reply`` rows are the exception: they are a flow's own replies, already masked by the flow,
and may be the answer to an audited "Show full number" (``handlers.flows.privacy``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.masking import mask_text
from core.order_states import approval_reason_text
from core.payload import payload as button_payload
from core.statements import describe_line


@dataclass(frozen=True)
class Button:
    label: str
    payload: str


@dataclass(frozen=True)
class Part:
    """One chat message of a ``chat.reply`` row: a channel's answer to a message it received, queued so
    its delivery is durable and rate-limited (WeCom). ``image`` / ``file`` are keys of the adapter's file
    store; ``edit_ref`` names an earlier message to update instead (the channel's reference)."""

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit_ref: str = ""
    image: str = ""
    image_name: str = ""
    file: str = ""
    file_name: str = ""


@dataclass(frozen=True)
class Attachment:
    """A stored file (its file-store key) that goes out before the message: a record's evidence (fault photos,
    receipts, scans), so whoever decides sees it above the card. ``name`` is what the file is called there."""

    key: str
    name: str = ""

    @property
    def is_pdf(self) -> bool:
        return self.key.lower().endswith(".pdf") or self.name.lower().endswith(".pdf")


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    parts: tuple[Part, ...] = ()     # chat.reply: the messages, in order (a sender that ignores them sends text)
    attachments: tuple[Attachment, ...] = ()   # sent first (images as an album, PDFs as files), then the text


#: the param a row's evidence travels in: ``[{"key": file-store key, "name": shown name}, ...]`` (``core.notify``)
ATTACHMENTS_PARAM = "attachments"


def attachments_of(params: Mapping[str, Any]) -> tuple[Attachment, ...]:
    """The row's evidence files; anything malformed is left out (a push is never lost over an attachment)."""
    found = params.get(ATTACHMENTS_PARAM) or []
    if not isinstance(found, list):
        return ()
    return tuple(Attachment(str(item["key"]), str(item.get("name") or "")) for item in found
                 if isinstance(item, dict) and isinstance(item.get("key"), str) and item["key"])


class UnknownTemplate(KeyError):
    """No template for this kind."""


def is_english(lang: str) -> bool:
    return lang.lower().startswith("en")


class Params:
    """The row's params as seen by one recipient: localized values picked, missing ones blank."""

    def __init__(self, values: Mapping[str, Any], lang: str) -> None:
        self.raw = values
        self.lang = lang
        self.en = is_english(lang)

    def __getitem__(self, key: str) -> Any:
        return self.pick(self.raw.get(key, ""))

    def get(self, key: str, default: Any = None) -> Any:
        return self.pick(self.raw[key]) if key in self.raw and self.raw[key] is not None else default

    def pick(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"zh", "en"}:
            return value["en"] if self.en else value["zh"]
        return value

    def t(self, zh: str, en: str, **extra: Any) -> str:
        """Format the template of this language with the params (picked) and ``extra``."""
        values = {k: self.pick(v) for k, v in self.raw.items()}
        values.update(extra)
        return (en if self.en else zh).format_map(_Blank(values))

    def btn(self, zh: str, en: str, action: str, *args: str | int) -> Button:
        return Button(en if self.en else zh, button_payload(action, *args))


class _Blank(dict[str, Any]):
    """format_map mapping whose missing keys read as blank (an old row missing a newer param)."""

    def __missing__(self, key: str) -> str:
        return ""


Renderer = Callable[[Params], Rendered]
_TEMPLATES: dict[str, Renderer] = {}


def template(*kinds: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        for kind in kinds:
            if kind in _TEMPLATES:
                raise ValueError(f"template defined twice: {kind}")
            _TEMPLATES[kind] = fn
        return fn
    return register


def simple(kind: str, zh: str, en: str, buttons: Callable[[Params], list[list[Button]]] | None = None) -> None:
    """A template that is one text (and optional buttons)."""
    def render(p: Params) -> Rendered:
        rows = buttons(p) if buttons is not None else []
        return Rendered(p.t(zh, en), tuple(tuple(r) for r in rows))
    template(kind)(render)


#: kinds whose text is rendered by a chat flow, not here: left as the flow wrote it (see the module docstring)
UNMASKED_KINDS = frozenset({"chat.reply"})


def render(kind: str, params: Mapping[str, Any], lang: str) -> Rendered:
    try:
        renderer = _TEMPLATES[kind]
    except KeyError:
        raise UnknownTemplate(kind) from None
    rendered = renderer(Params(params, lang))
    attachments = rendered.attachments or attachments_of(params)
    if kind in UNMASKED_KINDS:
        return Rendered(rendered.text, rendered.buttons, rendered.parts, attachments)
    return Rendered(mask_text(rendered.text), rendered.buttons, rendered.parts, attachments)


def kinds() -> list[str]:
    return sorted(_TEMPLATES)


def _rows(*rows: list[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(r) for r in rows if r)


# --- orders ------------------------------------------------------------------------------------------

def _order_line(p: Params) -> str:
    return f"{p['number']} · {p['dealer']} · {p['total']}"


@template("order.submitted")
def _order_submitted(p: Params) -> Rendered:
    date = p.get("date") or p.t("未指定", "not set")
    lines = [p.t("🆕 新订单待审核：{number}\n经销商：{dealer}\n商品：{items}\n金额：{total}\n交货日期：{date}",
                 "🆕 New order to review: {number}\nDealer: {dealer}\nItems: {items}\nTotal: {total}\n"
                 "Delivery date: {date}", date=date)]
    reasons = p.get("reasons") or []
    if reasons:
        lines.append("⚠️ " + "; ".join(approval_reason_text(str(r), p.lang) for r in reasons))
    if p.get("behalf"):
        lines.append(p.t("代客下单：{behalf}", "Placed on the dealer's behalf by {behalf}"))
    number = p["number"]
    return Rendered("\n".join(lines), _rows(
        [p.btn("✅ 通过", "✅ Approve", "staff.order.approve", number),
         p.btn("❌ 驳回", "❌ Reject", "staff.order.reject", number)],
        [p.btn("📄 详情", "📄 Details", "staff.order.detail", number)]))


def _order_button(p: Params) -> list[list[Button]]:
    return [[p.btn("📄 查看订单", "📄 View order", "orders.detail", p["number"])]]


simple("order.approved", "您的订单 {number} 已审核通过，金额 {total}。", "Your order {number} has been approved ({total}).",
       _order_button)
simple("order.rejected", "您的订单 {number} 未通过审核，原因：{reason}。已扣款项已退回账户。",
       "Your order {number} was rejected: {reason}. Anything charged has been refunded.", _order_button)
simple("order.in_production", "您的订单 {number} 库存不足，已安排生产，备货后尽快发货。",
       "Your order {number} is short in stock and has gone into production; it ships as soon as it is ready.",
       _order_button)
simple("order.allocated", "您的订单 {number} 已配货，即将发货。",
       "Your order {number} has been allocated and will ship soon.", _order_button)


# --- the dealer hierarchy and suspension (core.notify.order_for_parent / order_placed_by_parent / orders_held)

@template("order.parent_review")
def _order_parent_review(p: Params) -> Rendered:
    text = p.t("🆕 下级经销商新订单待您审批：{number}\n经销商：{dealer}\n商品：{items}\n金额：{total}\n"
               "您同意后再由厂家审核。",
               "🆕 A sub-dealer's new order waits for your approval: {number}\nDealer: {dealer}\nItems: {items}\n"
               "Total: {total}\nOnce you approve, the maker reviews it.")
    number, version = p["number"], p.get("version") or 0
    return Rendered(text, _rows([p.btn("✅ 同意", "✅ Approve", "sub.order.ok", number, version),
                                 p.btn("❌ 驳回", "❌ Reject", "sub.order.no", number, version)]))


simple("order.by_parent", "🧾 上级经销商 {parent}（{who}）为您下了订单 {number}：{items}，金额 {total}。",
       "🧾 Your parent dealer {parent} ({who}) placed order {number} for you: {items}, total {total}.",
       _order_button)
simple("order.parent_approved", "您的订单 {number} 已获上级经销商同意，等待厂家审核。",
       "Your order {number} was approved by your parent dealer; the maker reviews it next.", _order_button)
simple("order.held", "⏸ {dealer} 已暂停合作（{reason}），{count} 张未发货订单暂缓处理、待复核：{numbers}",
       "⏸ {dealer} is suspended ({reason}); {count} open orders not yet shipped are on hold for review: {numbers}")
simple("order.released", "▶️ {dealer} 已恢复合作，{count} 张暂缓的订单恢复处理：{numbers}",
       "▶️ {dealer} is active again; {count} orders on hold go on: {numbers}")
#: carriers the order desk picks with a button (handlers.flows.staff.CARRIERS), named in English too
CARRIERS_EN = {"顺丰": "SF Express", "德邦": "Deppon", "京东物流": "JD Logistics"}


@template("order.shipped")
def _order_shipped(p: Params) -> Rendered:
    carrier = str(p["carrier"])
    return Rendered(p.t("您的订单 {number} 已发货，承运商 {carrier}，单号 {tracking}。",
                        "Your order {number} has shipped: {carrier}, tracking number {tracking}.",
                        carrier=CARRIERS_EN.get(carrier, carrier) if p.en else carrier),
                    _rows(*_order_button(p)))



simple("order.received", "订单 {number} 已确认收货（{who}）。{note}", "Order {number} was received ({who}). {note}",
       _order_button)
simple("order.cancelled", "ℹ️ 您的订单 {number} 已由厂家取消。如有疑问请联系业务员。",
       "ℹ️ Your order {number} was cancelled by the maker. Ask your sales contact if anything is unclear.",
       _order_button)
simple("order.cancelled_by_dealer", "ℹ️ 订单 {number}（{total}）已由 {who} 取消。",
       "ℹ️ Order {number} ({total}) was cancelled by {who}.", _order_button)


@template("order.cancelled_staff")
def _order_cancelled_staff(p: Params) -> Rendered:
    return Rendered(p.t("ℹ️ 经销商 {dealer} 已取消订单 {number}（{total}）。",
                        "ℹ️ Dealer {dealer} cancelled order {number} ({total})."),
                    _rows([p.btn("📄 详情", "📄 Details", "staff.order.detail", p["number"])]))


@template("order.to_allocate")
def _order_to_allocate(p: Params) -> Rendered:
    return Rendered(p.t("订单 {line} 已审核，待配货。", "Order {line} is approved and waits for allocation.",
                        line=_order_line(p)),
                    _rows([p.btn("📦 配货", "📦 Allocate", "staff.alloc", p["number"])]))


@template("order.to_ship")
def _order_to_ship(p: Params) -> Rendered:
    return Rendered(p.t("订单 {line} 已配货（{warehouse}），待发货。",
                        "Order {line} is allocated ({warehouse}) and waits for shipping.", line=_order_line(p)),
                    _rows([p.btn("🚚 发货", "🚚 Ship", "staff.ship", p["number"])]))


# --- after-sales tickets and quality -------------------------------------------------------------------

@template("ticket.created")
def _ticket_created(p: Params) -> Rendered:
    text = p.t("🛠 新售后工单 {number}\n经销商：{dealer}\n产品：{product}\n问题：{desc}\n照片：{photos} 张\n"
               "紧急程度：{priority}，时限 {due}",
               "🛠 New after-sales ticket {number}\nDealer: {dealer}\nProduct: {product}\nProblem: {desc}\n"
               "Photos: {photos}\nPriority: {priority}, due {due}")
    number = p["number"]
    return Rendered(text, _rows([p.btn("✋ 受理", "✋ Accept", "staff.ticket.accept", number),
                                 p.btn("🔎 详情", "🔎 Details", "staff.ticket.detail", number)]))


def _ticket_button(p: Params) -> list[list[Button]]:
    return [[p.btn("🔎 查看工单", "🔎 View ticket", "as.view", p["number"])]]


def _staff_ticket_button(p: Params) -> list[list[Button]]:
    return [[p.btn("🔎 详情", "🔎 Details", "staff.ticket.detail", p["number"])]]


simple("ticket.accept", "您的售后工单 {number} 已受理，处理人：{who}。",
       "Your after-sales ticket {number} has been accepted; {who} handles it.", _ticket_button)
simple("ticket.start", "您的售后工单 {number} 已开始处理。", "Work on your after-sales ticket {number} has started.",
       _ticket_button)
simple("ticket.resolve", "您的售后工单 {number} 已处理完成：{text}", "Your after-sales ticket {number} is resolved: {text}",
       _ticket_button)
simple("ticket.reject", "您的售后工单 {number} 未受理，原因：{text}", "Your after-sales ticket {number} was rejected: {text}",
       _ticket_button)
simple("ticket.close", "您的售后工单 {number} 已关闭。", "Your after-sales ticket {number} is closed.", _ticket_button)
simple("ticket.comment", "售后工单 {number} 有新留言（{who}）：{text}", "New comment on ticket {number} from {who}: {text}",
       _ticket_button)
simple("ticket.reopen", "🔁 售后工单 {number}（{dealer}）被重新打开：{text}",
       "🔁 Ticket {number} ({dealer}) was reopened: {text}", _staff_ticket_button)
simple("ticket.comment_staff", "💬 售后工单 {number}（{dealer}）有新留言（{who}）：{text}",
       "💬 New comment on ticket {number} ({dealer}) from {who}: {text}", _staff_ticket_button)
simple("ticket.sla_breach", "⏰ 售后工单 {number} 已超时（时限 {due}）\n经销商：{dealer}\n紧急程度：{priority}\n问题：{desc}",
       "⏰ Ticket {number} is past its SLA (due {due})\nDealer: {dealer}\nPriority: {priority}\nProblem: {desc}",
       _staff_ticket_button)
simple("ticket.sla_escalation",
       "🚨 升级：售后工单 {number} 已超时 {hours} 小时仍未解决\n经销商：{dealer}\n处理人：{assignee}\n问题：{desc}",
       "🚨 Escalation: ticket {number} is {hours} hours past its SLA and still open\nDealer: {dealer}\n"
       "Handled by: {assignee}\nProblem: {desc}", _staff_ticket_button)
simple("quality.submitted", "⚠️ 质量反馈 {number}\n经销商：{dealer}\n产品：{product}\n批次：{batch}\n问题类别：{category}\n"
       "数量：{count}\n描述：{desc}",
       "⚠️ Quality report {number}\nDealer: {dealer}\nProduct: {product}\nBatch: {batch}\nDefect: {category}\n"
       "Count: {count}\nDescription: {desc}")


# --- dealers, documents, materials ---------------------------------------------------------------------

@template("dealer.submitted")
def _dealer_submitted(p: Params) -> Rendered:
    text = p.t("📝 新的经销商申请 {code}\n公司：{name}\n统一社会信用代码：{uscc}\n所在地：{province} {city}（{region}）\n"
               "联系人：{contact}\n资质文件：{docs} 份",
               "📝 New dealer application {code}\nCompany: {name}\nCredit code: {uscc}\n"
               "Location: {province} {city} ({region})\nContact: {contact}\nDocuments: {docs}")
    code = p["code"]
    return Rendered(text, _rows([p.btn("✅ 通过", "✅ Approve", "staff.dealer.approve", code),
                                 p.btn("✖ 驳回", "✖ Reject", "staff.dealer.reject", code)],
                                [p.btn("📄 详情", "📄 Details", "staff.dealer.detail", code)]))


simple("dealer.approved", "恭喜！{name} 的入驻申请已审核通过，现在可以下单了。",
       "Congratulations! The application of {name} is approved; you can order now.")
simple("dealer.sent_back", "{name} 的入驻申请被退回修改，原因：{reason}。请补充资料后重新提交。",
       "The application of {name} was sent back: {reason}. Please complete it and submit it again.")
simple("dealer.suspended", "⚠️ {name} 的账户已暂停，暂时不能下单。原因：{reason}",
       "⚠️ The account of {name} is suspended; ordering is paused. Reason: {reason}")
simple("dealer.reinstated", "✅ {name} 的账户已恢复，可以继续下单。", "✅ The account of {name} is active again; you can order.")
simple("dealer.terminated", "{name} 的合作已终止。原因：{reason}", "The partnership with {name} has ended. Reason: {reason}")
simple("qual.approved", "您的{doc}（编号 {number}）已审核通过。", "Your {doc} (no. {number}) has been approved.")
simple("qual.rejected", "您的{doc}（编号 {number}）未通过审核，原因：{reason}。请重新上传。",
       "Your {doc} (no. {number}) was rejected: {reason}. Please upload it again.")


def _document_to_review(p: Params, zh: str, en: str) -> Rendered:
    text = p.t(zh + " #{id} {doc} {number}\n{dealer} · 有效期至 {expires}",
               en + " #{id} {doc} {number}\n{dealer} · valid until {expires}")
    doc_id = p["id"]
    return Rendered(text, _rows([p.btn("✅ 通过", "✅ Approve", "staff.qual.approve", doc_id),
                                 p.btn("❌ 驳回", "❌ Reject", "staff.qual.reject", doc_id)]))


@template("qual.renewed")
def _qual_renewed(p: Params) -> Rendered:
    return _document_to_review(p, "📑 资质续期待审核", "📑 Renewed document to review")


@template("qual.uploaded")
def _qual_uploaded(p: Params) -> Rendered:
    return _document_to_review(p, "📑 新资质待审核", "📑 New document to review")


@template("material.requested")
def _material_requested(p: Params) -> Rendered:
    text = p.t("🎁 物料申请 #{id} {name} ×{qty}\n{dealer}\n理由：{reason}",
               "🎁 Material request #{id} {name} x{qty}\n{dealer}\nWhy: {reason}")
    request_id = p["id"]
    return Rendered(text, _rows([p.btn("✅ 通过", "✅ Approve", "staff.mat.approve", request_id),
                                 p.btn("❌ 驳回", "❌ Reject", "staff.mat.reject", request_id)]))


simple("material.approved", "您申请的物料“{name}”×{qty} 已批准。", "Your request for {qty} x \"{name}\" is approved.")
simple("material.rejected", "您申请的物料“{name}”×{qty} 未获批准，原因：{reason}。",
       "Your request for {qty} x \"{name}\" was not approved: {reason}.")


# --- campaigns, statements, questions ------------------------------------------------------------------

@template("campaign.launched")
def _campaign_launched(p: Params) -> Rendered:
    lines = [p.t("🎯 新活动：{name}（{starts} 至 {ends}）", "🎯 New campaign: {name} ({starts} to {ends})")]
    if p.get("description"):
        lines.append(str(p["description"]))
    if p.get("support"):
        lines.append(p.t("厂家支持：{support}", "Support: {support}"))
    return Rendered("\n".join(lines), _rows([p.btn("🔎 查看活动", "🔎 View campaign", "camp.view", p["id"])]))


def _statement_accounts(p: Params) -> list[str]:
    """``预存款：期初 ¥0.00 → 期末 ¥5,000.00`` per account (params["accounts"]: [zh, en, opening, closing])."""
    return [p.t("• {label}：期初 {opening} → 期末 {closing}", "• {label}: opening {opening} -> closing {closing}",
                label=row[1] if p.en else row[0], opening=row[2], closing=row[3])
            for row in p.get("accounts") or [] if len(row) == 4]


def _statement_buttons(p: Params) -> tuple[tuple[Button, ...], ...]:
    period = p["period"]
    return _rows([p.btn("📎 明细（Excel/PDF）", "📎 Details (Excel/PDF)", "acct.st.view", period)],
                 [p.btn("✅ 确认无误", "✅ Confirm", "acct.st.ok", period),
                  p.btn("❗ 有异议", "❗ Dispute", "acct.st.no", period)])


def _statement_text(p: Params, head: tuple[str, str], tail: tuple[str, str]) -> str:
    lines = [p.t(*head), *_statement_accounts(p)]
    if tail[0]:
        lines.append(p.t(*tail))
    return "\n".join(lines)


@template("statement.issued")
def _statement_issued(p: Params) -> Rendered:
    return Rendered(_statement_text(p, ("🧾 {period} 对账单已出具：", "🧾 Your {period} statement is ready:"),
                                    ("请在 {due} 前确认或提出异议，逾期未提出异议视为确认。",
                                     "Please confirm or dispute it by {due}; without a dispute by then it counts "
                                     "as confirmed.")), _statement_buttons(p))


@template("statement.answered")
def _statement_answered(p: Params) -> Rendered:
    return Rendered(_statement_text(p, ("🧾 财务已答复您对 {period} 对账单的异议：\n{answer}\n更新后的对账单：",
                                        "🧾 Finance answered your dispute of the {period} statement:\n{answer}\n"
                                        "The statement now reads:"),
                                    ("请在 {due} 前再次确认或提出异议。", "Please confirm or dispute it again by {due}.")),
                    _statement_buttons(p))


@template("statement.reminder")
def _statement_reminder(p: Params) -> Rendered:
    return Rendered(p.t("⏰ {period} 对账单请在 {due} 前确认或提出异议，逾期视为确认。",
                        "⏰ Please confirm or dispute the {period} statement by {due}; after that it counts as "
                        "confirmed."), _statement_buttons(p))


simple("statement.auto_confirmed", "🧾 {period} 对账单在 {due} 前未提出异议，已视为确认。如仍有疑问请联系财务。",
       "🧾 The {period} statement was not disputed by {due}, so it counts as confirmed. Contact finance if "
       "something is still wrong.")


@template("statement.disputed")
def _statement_disputed(p: Params) -> Rendered:
    lines = [p.t("🧾 {dealer} 对 {period} 对账单提出异议：\n{reason}", "🧾 {dealer} disputes the {period} statement:\n{reason}")]
    named = [str(line) for line in p.get("lines") or []]
    if named:
        lines.append(p.t("涉及明细：", "Lines named:"))
        lines += [f"• {describe_line(line, p.en)}" for line in named]
    rows = _rows([p.btn("✅ 接受并调整", "✅ Accept with adjustment", "stmt.acc", p["id"]),
                  p.btn("💬 解释说明", "💬 Explain", "stmt.exp", p["id"])],
                 [p.btn("📎 对账单", "📎 Statement", "stmt.view", p["id"])]) if p.get("id") else ()
    return Rendered("\n".join(lines), rows)


simple("contract.sent", "📄 合同 {number}（第{version}版）已发给您，请阅读后签署。",
       "📄 Contract {number} (version {version}) is ready for you to read and sign.",
       lambda p: [[p.btn("📄 查看合同PDF", "📄 Contract PDF", "ctr.pdf", p["id"]),
                   p.btn("✍️ 签署", "✍️ Sign", "ctr.sign", p["id"])]])
simple("contract.signed", "✍️ {dealer} 已签署合同 {number}（第{version}版）。",
       "✍️ {dealer} signed contract {number} (version {version}).")
simple("rebate.settled", "💴 合同 {number}（{period}）返利 {amount} 已结算到您的返利账户。",
       "💴 The {period} rebate of contract {number}, {amount}, is credited to your rebate account.",
       lambda p: [[p.btn("💴 返利对账", "💴 Rebates", "ctr.rebate")]])

# payments, refunds, adjustments and reversals (core.services.payments)
simple("payment.received", "💰 已收到您的付款 {amount}（{method}，参考号 {reference}，付款日 {paid_on}），已记入{account}。",
       "💰 Your payment of {amount} is received ({method}, reference {reference}, paid {paid_on}) and credited to "
       "your {account} account.",
       lambda p: [[p.btn("💰 账户余额", "💰 Balances", "acct.balance")]])
simple("account.refund", "💸 已从您的{account}退款 {amount}。原因：{reason}",
       "💸 {amount} is refunded to you from your {account} account. Reason: {reason}",
       lambda p: [[p.btn("💰 账户余额", "💰 Balances", "acct.balance")]])
simple("account.adjustment", "🧮 您的{account}账户已调整 {signed}。原因：{reason}",
       "🧮 Your {account} account is adjusted by {signed}. Reason: {reason}",
       lambda p: [[p.btn("💰 账户余额", "💰 Balances", "acct.balance")]])
simple("account.reversal", "↩️ 您{account}账户的一笔{what}（{amount}，{ref}）已冲销，冲销金额 {signed}。原因：{reason}",
       "↩️ A {what} of {amount} ({ref}) on your {account} account is reversed ({signed}). Reason: {reason}",
       lambda p: [[p.btn("💰 账户余额", "💰 Balances", "acct.balance")]])
simple("finance.requested", "🧾 待审批{kind} {number}：{dealer} {account} {signed}\n原因：{reason}（{by}）",
       "🧾 Awaiting approval, {kind} {number}: {dealer}, {account} {signed}\nReason: {reason} ({by})",
       lambda p: [[p.btn("✅ 批准", "✅ Approve", "fin.fr.ok", p["id"]),
                   p.btn("❌ 驳回", "❌ Reject", "fin.fr.no", p["id"])]] if p.get("id") else [])
simple("finance.decided", "🧾 {kind}申请 {number}（{dealer} {account} {signed}）{status}。{note}",
       "🧾 Your {kind} request {number} ({dealer}, {account} {signed}): {status}. {note}")

# credit limit changes and temporary credit (core.services.credit)
simple("credit.requested", "💳 额度申请 {number}：{dealer} {kind} {amount}{until_text}\n当前额度 {previous}；"
       "原因：{reason}（{by}）",
       "💳 Credit request {number}: {dealer}, {kind} {amount}{until_text}\nCurrent limit {previous}; reason: "
       "{reason} ({by})",
       lambda p: [[p.btn("✅ 批准", "✅ Approve", "cr.ok", p["id"]), p.btn("❌ 驳回", "❌ Reject", "cr.no", p["id"])]])
simple("credit.limit_approved", "💳 您的信用额度已调整为 {amount}（原 {previous}）。",
       "💳 Your credit limit is now {amount} (was {previous}).",
       lambda p: [[p.btn("💰 账户余额", "💰 Balances", "acct.balance")]])
simple("credit.temporary_approved", "💳 已为您开通临时额度 {amount}，有效期至 {until}，到期后自动恢复为 {limit}。",
       "💳 Temporary credit of {amount} is yours until {until}; after that your limit is {limit} again.",
       lambda p: [[p.btn("💰 账户余额", "💰 Balances", "acct.balance")]])
simple("credit.decided", "💳 额度申请 {number}（{dealer} {kind} {amount}）{status}。{note}",
       "💳 Credit request {number} ({dealer}, {kind} {amount}): {status}. {note}")
simple("credit.temporary_ending", "⏳ 您的临时额度 {amount} 将于 {until} 到期，之后信用额度恢复为 {limit}。",
       "⏳ Your temporary credit of {amount} ends on {until}; after that your credit limit is {limit}.",
       lambda p: [[p.btn("💰 账户余额", "💰 Balances", "acct.balance")]])
simple("credit.temporary_lapsed", "💳 您的临时额度 {amount} 已于 {until} 到期，信用额度恢复为 {limit}。",
       "💳 Your temporary credit of {amount} ended on {until}; your credit limit is {limit} again.",
       lambda p: [[p.btn("💰 账户余额", "💰 Balances", "acct.balance")]])
simple("expense.submitted", "🧾 {dealer} 提交费用核销 {number}（活动：{campaign}）：{amount}",
       "🧾 {dealer} claims {amount} for campaign {campaign} ({number})",
       lambda p: [[p.btn("🧾 审核费用核销", "🧾 Review claims", "ctr.claims")]])
simple("expense.decided", "🧾 费用核销 {number}（{amount}）{status}。{note}",
       "🧾 Expense claim {number} ({amount}): {status}. {note}")
simple("faq.question", "🙋 用户提问（{who}）：\n{question}", "🙋 Question from {who}:\n{question}",
       lambda p: [[p.btn("✍️ 回复", "✍️ Answer", "faq.ans", p["id"])]])
simple("faq.answer", "💬 客服回复了您的问题：\n“{question}”\n\n{answer}",
       "💬 Our staff answered your question:\n\"{question}\"\n\n{answer}",
       lambda p: [[p.btn("❓ 更多问题", "❓ More questions", "faq.menu")]])


# --- scheduled checks ------------------------------------------------------------------------------------

@template("qual.expiring")
def _qual_expiring(p: Params) -> Rendered:
    text = p.t("📑 您的{doc}（编号 {number}）将于 {date} 到期（还有 {days} 天）。请尽快上传新证件。",
               "📑 Your {doc} (no. {number}) expires on {date} ({days} days left). Please upload the new one soon.")
    if p.get("blocks"):
        text += p.t("到期后将暂停下单。", " Ordering stops when it expires.")
    return Rendered(text)


@template("qual.expired")
def _qual_expired(p: Params) -> Rendered:
    if p.get("blocks"):
        return Rendered(p.t("⛔ 您的{doc}（编号 {number}）已于 {date} 到期，下单已暂停，上传新证件并审核通过后即可恢复。",
                            "⛔ Your {doc} (no. {number}) expired on {date}. Ordering is blocked until a renewed "
                            "document is uploaded and approved."))
    return Rendered(p.t("⚠️ 您的{doc}（编号 {number}）已于 {date} 到期，请上传新证件。",
                        "⚠️ Your {doc} (no. {number}) expired on {date}. Please upload the renewed one."))


def _dealer_detail(p: Params) -> tuple[tuple[Button, ...], ...]:
    return _rows([p.btn("📄 经销商详情", "📄 Dealer details", "staff.dealer.detail", p["code"])])


@template("qual.expiring_staff")
def _qual_expiring_staff(p: Params) -> Rendered:
    return Rendered(p.t("📑 {dealer} 的{doc}（编号 {number}）将于 {date} 到期（还有 {days} 天），尚未续期。",
                        "📑 The {doc} (no. {number}) of {dealer} expires on {date} ({days} days left) and is not "
                        "renewed yet."), _dealer_detail(p))


@template("qual.expired_staff")
def _qual_expired_staff(p: Params) -> Rendered:
    text = p.t("⛔ {dealer} 的{doc}（编号 {number}）已于 {date} 到期。", "⛔ The {doc} (no. {number}) of {dealer} "
               "expired on {date}.")
    if p.get("blocks"):
        text += p.t("该经销商在续期前不能下单。", " The dealer cannot order until it is renewed.")
    return Rendered(text, _dealer_detail(p))
simple("contract.expiring", "📄 您的合同 {number} 将于 {date} 到期（还有 {days} 天）。请联系业务员续签。",
       "📄 Your contract {number} ends on {date} ({days} days left). Please talk to your sales contact about "
       "renewing it.", lambda p: [[p.btn("📄 查看合同", "📄 View contract", "acct.contract")]])
simple("contract.renewal_draft", "📝 {dealer} 的合同 {number} 将于 {date} 到期，已生成续签草稿 {renewal}"
       "（{starts} 至 {ends}），请在后台核对后发送给经销商。",
       "📝 Contract {number} of {dealer} ends on {date}; renewal draft {renewal} ({starts} to {ends}) is ready. "
       "Please check it in the admin and send it to the dealer.")
simple("contract.expiring_staff", "📄 {dealer} 的合同 {number} 将于 {date} 到期（还有 {days} 天），尚无续签合同。",
       "📄 Contract {number} of {dealer} ends on {date} ({days} days left) and has no renewal yet.")
simple("contract.behind", "📉 合同 {number} 目标（{period}{group}）完成 {achieved}，时间已过 {elapsed}，进度落后。"
       "当前 {actual} / 目标 {target}。",
       "📉 Contract {number}, target {period}{group}: {achieved} achieved with {elapsed} of the time gone; behind "
       "pace. Now {actual} of {target}.", lambda p: [[p.btn("📄 查看合同", "📄 View contract", "acct.contract")]])
simple("contract.behind_staff", "📉 {dealer} 合同 {number} 目标（{period}{group}）完成 {achieved}，时间已过 {elapsed}，"
       "落后超过 {margin}。",
       "📉 {dealer}, contract {number}, target {period}{group}: {achieved} achieved with {elapsed} of the time "
       "gone, more than {margin} behind.")
@template("stock.low_warehouse")
def _stock_low_warehouse(p: Params) -> Rendered:
    text = p.t("📦 库存预警：{warehouse} {sku} 可用 {qty}，低于下限 {low}。建议补货 {suggest} {unit}。",
               "📦 Low stock: {warehouse} {sku} has {qty} available, at or below the minimum {low}. "
               "Suggested reorder: {suggest} {unit}.")
    if not p.get("move") or not p.get("from_id") or not p.get("to_id"):
        return Rendered(text, [])
    text += p.t("可从 {from} 调拨 {move} {unit}。", " {from} can send {move} {unit}.")
    return Rendered(text, _rows([p.btn("🔁 一键调拨", "🔁 Transfer in one tap", "thr.move", p["from_id"], p["to_id"],
                                       p["sku"], p["move"])]))
simple("stock.high_warehouse", "📦 库存积压：{warehouse} {sku} 可用 {qty}，高于上限 {high}。",
       "📦 Overstock: {warehouse} {sku} has {qty} available, above the maximum {high}.")


@template("stock.low_dealer")
def _stock_low_dealer(p: Params) -> Rendered:
    text = p.t("📦 补货提醒：{name}（{sku}）库存 {qty}，已到下限 {low}。建议补货 {suggest} {unit}。",
               "📦 Restock: {name} ({sku}) is at {qty}, at or below your minimum {low}. Suggested order: "
               "{suggest} {unit}.")
    return Rendered(text, _rows([p.btn("🛒 一键补货", "🛒 Restock in one tap", "order.prefill", p["sku"],
                                       p["suggest"])]))


simple("stock.high_dealer", "📦 库存偏高：{name}（{sku}）库存 {qty}，高于上限 {high}，建议先消化库存。",
       "📦 High stock: {name} ({sku}) is at {qty}, above your maximum {high}; consider selling it down first.")

simple("contract.renewal_due", "📝 {dealer} 的合同 {number} 将于 {date} 到期（还有 {days} 天），尚无续签。"
       "需要续签时点下方按钮起草续签草稿（下一期，目标顺延），在后台核对目标后再发给经销商。",
       "📝 Contract {number} of {dealer} ends on {date} ({days} days left) and has no renewal. To renew, press the "
       "button to draft it (the next term, targets moved on), check the targets in the admin, then send it.",
       lambda p: [[p.btn("📝 起草续签草稿", "📝 Draft the renewal", "ctr.renew", p["id"])]] if p.get("id") else [])


# --- digests: several items of one kind for one person, and what went over the daily cap ---------------
# (notifications.digests folds the rows; a digest row keeps the first items' own params)

#: one line per item of a kind in a digest; a kind not here shows the first line of its own message
_ITEM_LINES: dict[str, tuple[str, str]] = {
    "contract.behind_staff": ("{dealer} · {number} {period}{group}：完成 {achieved}，时间已过 {elapsed}",
                              "{dealer} · {number} {period}{group}: {achieved} done, {elapsed} of the time gone"),
    "contract.behind": ("合同 {number} {period}{group}：完成 {achieved}，时间已过 {elapsed}",
                        "Contract {number} {period}{group}: {achieved} done, {elapsed} of the time gone"),
    "contract.expiring_staff": ("{dealer} · {number}，{date} 到期（还有 {days} 天）",
                                "{dealer} · {number}, ends {date} ({days} days left)"),
    "contract.expiring": ("合同 {number}，{date} 到期（还有 {days} 天）", "Contract {number}, ends {date} ({days} days left)"),
    "contract.renewal_due": ("{dealer} · {number}，{date} 到期（还有 {days} 天）",
                             "{dealer} · {number}, ends {date} ({days} days left)"),
    "qual.expired_staff": ("{dealer} · {doc} {number}，{date} 已到期", "{dealer} · {doc} {number}, expired {date}"),
    "qual.expiring_staff": ("{dealer} · {doc} {number}，{date} 到期（还有 {days} 天）",
                            "{dealer} · {doc} {number}, expires {date} ({days} days left)"),
    "qual.expired": ("{doc} {number}，{date} 已到期", "{doc} {number}, expired {date}"),
    "qual.expiring": ("{doc} {number}，{date} 到期（还有 {days} 天）", "{doc} {number}, expires {date} ({days} days left)"),
    "stock.low_warehouse": ("{warehouse} {sku}：可用 {qty}，下限 {low}，建议补货 {suggest} {unit}",
                            "{warehouse} {sku}: {qty} available, minimum {low}, suggested reorder {suggest} {unit}"),
    "stock.high_warehouse": ("{warehouse} {sku}：可用 {qty}，上限 {high}",
                             "{warehouse} {sku}: {qty} available, maximum {high}"),
    "stock.low_dealer": ("{name}（{sku}）：库存 {qty}，建议补货 {suggest} {unit}",
                         "{name} ({sku}): {qty} in stock, suggested order {suggest} {unit}"),
    "stock.high_dealer": ("{name}（{sku}）：库存 {qty}，上限 {high}", "{name} ({sku}): {qty} in stock, maximum {high}"),
    "ticket.sla_breach": ("{number} · {dealer} · 时限 {due}", "{number} · {dealer} · due {due}"),
    "ticket.sla_escalation": ("{number} · {dealer} · 超时 {hours} 小时 · {assignee}",
                              "{number} · {dealer} · {hours} hours late · {assignee}"),
    "campaign.launched": ("{name}（{starts} 至 {ends}）", "{name} ({starts} to {ends})"),
}

#: the head of a digest of a kind ({n}: how many)
_LIST_TITLES: dict[str, tuple[str, str]] = {
    "contract.behind_staff": ("📉 {n} 个合同目标进度落后", "📉 {n} contract targets are behind pace"),
    "contract.behind": ("📉 您有 {n} 个合同目标进度落后", "📉 {n} of your contract targets are behind pace"),
    "contract.expiring_staff": ("📄 {n} 份合同即将到期，尚无续签", "📄 {n} contracts end soon without a renewal"),
    "contract.expiring": ("📄 您有 {n} 份合同即将到期，请联系业务员续签",
                          "📄 {n} of your contracts end soon; talk to your sales contact about renewing"),
    "contract.renewal_due": ("📝 {n} 份合同可以起草续签（点按钮生成草稿，核对目标后再发送）",
                             "📝 {n} contracts are due for renewal (press a button to draft one, check the targets, "
                             "then send it)"),
    "qual.expired_staff": ("⛔ {n} 份经销商资质已到期", "⛔ {n} dealer documents have expired"),
    "qual.expiring_staff": ("📑 {n} 份经销商资质即将到期，尚未续期", "📑 {n} dealer documents expire soon, not renewed"),
    "qual.expired": ("⛔ 您有 {n} 份资质已到期，请上传新证件", "⛔ {n} of your documents have expired; please upload new ones"),
    "qual.expiring": ("📑 您有 {n} 份资质即将到期，请尽快上传新证件",
                      "📑 {n} of your documents expire soon; please upload the new ones"),
    "stock.low_warehouse": ("📦 {n} 项库存低于下限", "📦 {n} stock levels at or below their minimum"),
    "stock.high_warehouse": ("📦 {n} 项库存高于上限", "📦 {n} stock levels above their maximum"),
    "stock.low_dealer": ("📦 补货提醒：{n} 个商品已到下限", "📦 Restock: {n} products at or below your minimum"),
    "stock.high_dealer": ("📦 {n} 个商品库存偏高，建议先消化库存", "📦 {n} products above your maximum; sell them down first"),
    "ticket.sla_breach": ("⏰ {n} 张售后工单已超时", "⏰ {n} tickets are past their SLA"),
    "ticket.sla_escalation": ("🚨 升级：{n} 张售后工单超时仍未解决", "🚨 Escalation: {n} tickets past their SLA and still open"),
    "campaign.launched": ("🎯 {n} 个新活动", "🎯 {n} new campaigns"),
}

#: kinds that go to staff: their digests also open the staff member's list of what waits
_STAFF_KINDS = frozenset({"contract.behind_staff", "contract.expiring_staff", "contract.renewal_due",
                          "qual.expired_staff", "qual.expiring_staff", "stock.low_warehouse", "stock.high_warehouse",
                          "ticket.sla_breach", "ticket.sla_escalation"})
_ITEM_BUTTONS = 3           # buttons for the first items (a list's own buttons: renewals, restock, tickets)


def _count(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _item_line(kind: str, item: Mapping[str, Any], p: Params) -> str:
    pair = _ITEM_LINES.get(kind)
    if pair is not None:
        return Params(item, p.lang).t(*pair)
    text = render(kind, item, p.lang).text if kind in _TEMPLATES else ""
    return text.splitlines()[0] if text else kind


def _list_title(kind: str, n: int, p: Params) -> str:
    zh, en = _LIST_TITLES.get(kind, ("🔔 {n} 条提醒", "🔔 {n} notices"))
    return (en if p.en else zh).format(n=n)


def _more_line(shown: int, total: int, p: Params) -> str | None:
    return p.t("……还有 {m} 条", "… and {m} more", m=total - shown) if total > shown else None


def _item_buttons(kind: str, items: Sequence[Mapping[str, Any]], p: Params) -> list[list[Button]]:
    """A button per first item where the item has its own (draft this renewal, order this, open this ticket),
    else the items' own first buttons, one each; staff lists also open today's list."""
    first = items[:_ITEM_BUTTONS]
    rows: list[list[Button]] = []
    if kind == "contract.renewal_due":
        rows = [[p.btn(f"📝 起草续签 {i.get('number', '')}", f"📝 Draft renewal {i.get('number', '')}", "ctr.renew",
                       i["id"])] for i in items if i.get("id")]      # one per contract listed: a person picks
    elif kind == "stock.low_dealer":
        # every product at its reorder point in one cart (handlers' order.restock recomputes the lines), or one
        rows = [[p.btn("🛒 一键补货（全部）", "🛒 Restock all in one tap", "order.restock")]]
        rows += [[p.btn(f"🛒 {i['sku']} ×{i['suggest']}", f"🛒 {i['sku']} x{i['suggest']}", "order.prefill",
                        i["sku"], i["suggest"])] for i in first if i.get("sku")]
    elif kind in ("ticket.sla_breach", "ticket.sla_escalation"):
        rows = [[p.btn(f"🔎 {i['number']}", f"🔎 {i['number']}", "staff.ticket.detail", i["number"])]
                for i in first if i.get("number")]
    elif kind in ("qual.expired_staff", "qual.expiring_staff"):
        codes = list(dict.fromkeys(str(i["code"]) for i in first if i.get("code")))
        rows = [[p.btn(f"📄 {code}", f"📄 {code}", "staff.dealer.detail", code)] for code in codes]
    elif kind in _TEMPLATES:
        seen: set[str] = set()
        for item in first:
            own = render(kind, item, p.lang).buttons
            if own and own[0] and own[0][0].payload not in seen:
                seen.add(own[0][0].payload)
                rows.append([own[0][0]])
    if kind in _STAFF_KINDS:
        rows.append([p.btn("📋 打开今日待办", "📋 Open today's list", "staff.today")])
    return rows


@template("digest.list")
def _digest_list(p: Params) -> Rendered:
    """Several items of one kind (``of``) for one person: a title, the first items, how many more."""
    kind = str(p.raw.get("of") or "")
    items = [i for i in p.raw.get("items") or [] if isinstance(i, dict)]
    total = _count(p.raw.get("n"), len(items))
    lines = [_list_title(kind, total, p), *(f"· {_item_line(kind, i, p)}" for i in items)]
    more = _more_line(len(items), total, p)
    if more:
        lines.append(more)
        if kind == "contract.renewal_due":
            lines.append(p.t("其余合同可在后台「合同」列表勾选后点「生成续签草稿」。",
                             "Draft the others from the contract list in the admin (tick them, then 'Renewal draft')."))
    return Rendered("\n".join(lines), _rows(*_item_buttons(kind, items, p)))


@template("digest.more")
def _digest_more(p: Params) -> Rendered:
    """What went over a person's daily cap, one line per message it stands for."""
    entries = [e for e in p.raw.get("items") or [] if isinstance(e, list) and len(e) == 2 and isinstance(e[1], dict)]
    lines = [p.t("📬 今天的提醒较多，其余 {n} 条汇总如下：", "📬 A busy day: the other {n} notices in one message:",
                 n=_count(p.raw.get("n"), len(entries)))]
    buttons: list[list[Button]] = []
    for kind, params in entries:
        if kind == "digest.list":
            of = str(params.get("of") or "")
            lines.append(f"· {_list_title(of, _count(params.get('n'), 0), p)}")
            inner = [i for i in params.get("items") or [] if isinstance(i, dict)]
            own = _item_buttons(of, inner, p)
        else:
            lines.append(f"· {_item_line(str(kind), params, p)}")
            own = [list(r) for r in render(str(kind), params, p.lang).buttons] if kind in _TEMPLATES else []
        for row in own[:1]:
            if row and all(row[0].payload != b[0].payload for b in buttons):
                buttons.append(row[:1])
    more = _more_line(len(entries), _count(p.raw.get("messages"), len(entries)), p)
    if more:
        lines.append(more)
    return Rendered("\n".join(lines), _rows(*buttons[:_ITEM_BUTTONS]))


_DIGEST_LINES: dict[str, tuple[str, str]] = {
    "approve": ("待审批订单：{n}", "Orders to approve: {n}"),
    "allocate": ("待配货：{n}", "To allocate: {n}"),
    "ship": ("待发货：{n}", "To ship: {n}"),
    "tickets": ("售后工单：{n}", "Open tickets: {n}"),
    "late": ("⏰ 超时工单：{n}", "⏰ Tickets past SLA: {n}"),
    "applications": ("入驻申请：{n}", "Dealer applications: {n}"),
    "quals": ("待审核资质：{n}", "Documents to review: {n}"),
    "expiring": ("7 天内到期资质：{n}", "Documents expiring within 7 days: {n}"),
    "materials": ("物料申请：{n}", "Material requests: {n}"),
    "quality": ("待处理质量反馈：{n}", "Quality reports to handle: {n}"),
    "disputes": ("有异议的对账单：{n}", "Disputed statements: {n}"),
}


@template("digest.daily")
def _digest(p: Params) -> Rendered:
    lines = [p.t("📋 今日待办（{date}）", "📋 Waiting for you today ({date})")]
    for key, n in p.get("items") or []:
        zh, en = _DIGEST_LINES.get(str(key), (f"{key}：{{n}}", f"{key}: {{n}}"))
        lines.append("· " + (en if p.en else zh).format(n=n))
    return Rendered("\n".join(lines), _rows([p.btn("📋 打开今日待办", "📋 Open today's list", "staff.today")]))


@template("performance.weekly")
def _weekly(p: Params) -> Rendered:
    lines = [p.t("📈 {dealer} 上周业绩（{start} 至 {end}）", "📈 {dealer}, last week ({start} to {end})"),
             p.t("订货：{orders} 单，{ordered}", "Ordered: {orders} orders, {ordered}"),
             p.t("销量上报：{sold_qty} 件，{sold}", "Sales reported: {sold_qty} units, {sold}")]
    for target in p.get("targets") or []:
        period, achieved, elapsed = target.get("period", ""), target.get("achieved", ""), target.get("elapsed", "")
        lines.append(p.t("合同目标 {period}：完成 {achieved}（时间已过 {elapsed}）",
                         "Contract target {period}: {achieved} achieved ({elapsed} of the time gone)",
                         period=period, achieved=achieved, elapsed=elapsed))
    return Rendered("\n".join(lines), _rows([p.btn("🛒 下单", "🛒 Order", "order.new"),
                                            p.btn("📄 合同与账户", "📄 Contract & account", "acct.menu")]))


simple("system.notice", "{text}", "{text}")


@template("chat.reply")
def _chat_reply(p: Params) -> Rendered:
    """Replies already written in the chat's language (``params["replies"]``: text, buttons as
    ``[[{"label", "payload"}]]``, edit_ref, image, image_name, file, file_name)."""
    parts = tuple(Part(text=str(r.get("text") or ""),
                       buttons=tuple(tuple(Button(str(b["label"]), str(b["payload"])) for b in row)
                                     for row in r.get("buttons") or []),
                       edit_ref=str(r.get("edit_ref") or ""), image=str(r.get("image") or ""),
                       image_name=str(r.get("image_name") or ""), file=str(r.get("file") or ""),
                       file_name=str(r.get("file_name") or ""))
                  for r in p.raw.get("replies") or [])
    return Rendered("\n\n".join(part.text for part in parts if part.text), parts[-1].buttons if parts else (), parts)


# --- back office: materials dispatch, ticket queue, quality actions, campaign reviews ------------------

simple("material.dispatched", "🚚 您申请的物料“{name}”×{qty} 已发货。", "🚚 Your {qty} x \"{name}\" have been dispatched.")


@template("ticket.need_info")
def _ticket_need_info(p: Params) -> Rendered:
    text = p.t("❓ 售后工单 {number} 需要您补充信息（{who}）：{text}",
               "❓ Ticket {number} needs more information from you ({who}): {text}")
    number = p["number"]
    return Rendered(text, _rows([p.btn("✍️ 回复", "✍️ Reply", "as.cmt", number),
                                 p.btn("🔎 查看工单", "🔎 View ticket", "as.view", number)]))


simple("ticket.assigned", "📌 售后工单 {number}（{dealer}）已指派给您（{who}）。",
       "📌 Ticket {number} ({dealer}) was assigned to you by {who}.", _staff_ticket_button)
simple("quality.corrective", "🔧 您反馈的质量问题 {number}（{product}，{category}）处理进展：{status}。{note}",
       "🔧 Update on your quality report {number} ({product}, {category}): {status}. {note}")
@template("campaign.reported")
def _campaign_reported(p: Params) -> Rendered:
    text = p.t("📸 活动执行反馈待审核：{name}\n经销商：{dealer}\n新增客户：{new}\n照片：{photos} 张\n{text}",
               "📸 Campaign report to review: {name}\nDealer: {dealer}\nNew customers: {new}\nPhotos: {photos}\n{text}")
    args = (p["campaign_id"], p["dealer_id"])
    return Rendered(text, _rows([p.btn("✅ 通过", "✅ Approve", "camp.rv", *args, 1),
                                 p.btn("↩️ 退回", "↩️ Turn down", "camp.rv", *args, 0)]))


simple("campaign.report_reviewed", "活动“{name}”的执行反馈{verdict}。{note}",
       "Your report for campaign \"{name}\" was {verdict}. {note}")


# --- transfers (调拨, core.services.transfers): whoever acts next gets the button of the step ----------------

_TRANSFER_TEXT = ("调拨单 {number}：{from} → {to}\n商品：{items}", "Transfer {number}: {from} → {to}\nItems: {items}")


def _transfer(p: Params, zh: str, en: str, *buttons: Button) -> Rendered:
    text = p.t(zh + "\n" + _TRANSFER_TEXT[0], en + "\n" + _TRANSFER_TEXT[1])
    if p.get("note"):
        text += p.t("\n备注：{note}", "\nNote: {note}")
    view = p.btn("🔎 查看", "🔎 View", "tr.view", p["number"])
    return Rendered(text, _rows(list(buttons), [view]))


@template("transfer.approve_ask")
def _transfer_approve_ask(p: Params) -> Rendered:
    return _transfer(p, "🔁 调拨申请待您审批", "🔁 A transfer waits for your approval",
                     p.btn("✅ 批准", "✅ Approve", "tr.ok", p["number"]),
                     p.btn("❌ 拒绝", "❌ Refuse", "tr.no", p["number"]))


@template("transfer.accept_ask")
def _transfer_accept_ask(p: Params) -> Rendered:
    return _transfer(p, "🔁 有经销商申请调拨您的库存，同意吗？", "🔁 A dealer asks for some of your stock. Agree?",
                     p.btn("✅ 同意", "✅ Agree", "tr.ok", p["number"]),
                     p.btn("❌ 拒绝", "❌ Refuse", "tr.no", p["number"]))


@template("transfer.asked")
def _transfer_asked(p: Params) -> Rendered:
    return _transfer(p, "🔁 有经销商申请调拨您的库存，厂家审批后请发货（不同意可拒绝）。",
                     "🔁 A dealer asks for some of your stock; once the maker approves, please ship it "
                     "(or refuse).", p.btn("❌ 拒绝", "❌ Refuse", "tr.no", p["number"]))


@template("transfer.ship_ask")
def _transfer_ship_ask(p: Params) -> Rendered:
    return _transfer(p, "📦 调拨已批准，库存已预留，请发货。", "📦 The transfer is approved and the stock reserved: "
                     "please ship it.", p.btn("🚚 已发货", "🚚 Shipped", "tr.ship", p["number"]))


simple("transfer.approved", "✅ 调拨单 {number} 已批准（{from} → {to}：{items}），等待对方发货。",
       "✅ Transfer {number} is approved ({from} → {to}: {items}); waiting for it to be shipped.")


@template("transfer.receive_ask")
def _transfer_receive_ask(p: Params) -> Rendered:
    return _transfer(p, "🚚 调拨货物已发出，收到后请确认收货。", "🚚 The transfer is on its way: confirm when it "
                     "arrives.", p.btn("📥 确认收货", "📥 Received", "tr.recv", p["number"]))


@template("transfer.update")
def _transfer_update(p: Params) -> Rendered:
    reason = ("（{reason}）", " ({reason})") if p.get("reason") else ("", "")
    return _transfer(p, "🔁 调拨{status}" + reason[0], "🔁 Transfer {status}" + reason[1])
