"""Outbox templates of the business events: orders, the dealer hierarchy, after-sales and quality, dealers,
documents and materials, campaigns and statements (registered in ``notifications.rendering``)."""

from __future__ import annotations

from core.notes import note_text
from core.order_states import CREDIT_SHORTFALL, approval_reason_text
from core.statements import describe_line
from notifications.rendering import (
    Button,
    Params,
    Rendered,
    _rows,
    simple,
    template,
)

# --- orders ------------------------------------------------------------------------------------------

def _order_line(p: Params) -> str:
    return f"{p['number']} · {p['dealer']} · {p['total']}"


def _reasons_line(p: Params) -> list[str]:
    """Why the order waits for a decision; over the dealer's funds, by how much."""
    reasons = p.get("reasons") or []
    said = [approval_reason_text(str(r), p.lang) for r in reasons]
    if p.get("shortfall") and CREDIT_SHORTFALL in reasons:
        said[reasons.index(CREDIT_SHORTFALL)] = p.t("超出可用额度 {shortfall}，需审批",
                                                    "over the available funds by {shortfall}; needs approval")
    return ["⚠️ " + "; ".join(said)] if said else []


def _decision_rows(p: Params) -> tuple[tuple[Button, ...], ...]:
    """Approve / Reject of the order as the prompt shows it: with its version, so a press after the dealer changed
    the order is refused (staff_orders answers with the order as it is now) instead of approving what nobody saw."""
    number, seen = p["number"], p.get("version")
    version = (seen,) if isinstance(seen, int) else ()          # a prompt queued before versions were kept: none
    return _rows([p.btn("✅ 通过", "✅ Approve", "staff.order.approve", number, *version),
                  p.btn("❌ 驳回", "❌ Reject", "staff.order.reject", number, *version)],
                 [p.btn("📄 详情", "📄 Details", "staff.order.detail", number)])


@template("order.submitted")
def _order_submitted(p: Params) -> Rendered:
    date = p.get("date") or p.t("未指定", "not set")
    lines = [p.t("🆕 新订单待审核：{number}\n经销商：{dealer}\n商品：{items}\n金额：{total}\n交货日期：{date}",
                 "🆕 New order to review: {number}\nDealer: {dealer}\nItems: {items}\nTotal: {total}\n"
                 "Delivery date: {date}", date=date)]
    lines.extend(_reasons_line(p))
    if p.get("behalf"):
        lines.append(p.t("代客下单：{behalf}", "Placed on the dealer's behalf by {behalf}"))
    return Rendered("\n".join(lines), _decision_rows(p))


@template("order.changed")
def _order_changed(p: Params) -> Rendered:
    """A dealer changed its submitted order (core.notify.order_changed_by_dealer): what changed, then the order."""
    said = []
    for sku, before, after in p.get("changes") or []:
        if not before:
            said.append(p.t("+ {sku} ×{after}（新增）", "+ {sku} x{after} (new)", sku=sku, after=after))
        elif not after:
            said.append(p.t("− {sku} ×{before}（删除）", "− {sku} x{before} (removed)", sku=sku, before=before))
        else:
            said.append(p.t("{sku} {before} → {after}", "{sku} {before} -> {after}", sku=sku, before=before,
                            after=after))
    lines = [p.t("✏️ 经销商修改了待审核的订单：{number}\n经销商：{dealer}（{who}）",
                 "✏️ The dealer changed an order waiting for review: {number}\nDealer: {dealer} ({who})"),
             *said,
             p.t("现在：{items}\n金额：{was} → {total}", "Now: {items}\nTotal: {was} -> {total}")]
    lines.extend(_reasons_line(p))
    return Rendered("\n".join(lines), _decision_rows(p))


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
@template("order.cancelled")
def _order_cancelled(p: Params) -> Rendered:
    """Staff cancelled the dealer's order: with their reason when they gave one (a row queued before the reason was
    sent has none)."""
    reason = note_text(str(p.get("reason") or ""), p.lang)
    text = p.t("ℹ️ 您的订单 {number} 已由厂家取消。", "ℹ️ Your order {number} was cancelled by the maker.")
    if reason:
        text += p.t("原因：{why}。", " Reason: {why}.", why=reason)
    text += p.t("如有疑问请联系业务员。", " Ask your sales contact if anything is unclear.")
    return Rendered(text, _rows(*_order_button(p)))


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
    if p.get("address"):             # where the visit is (pushes filed before the address had its field: none)
        text += "\n" + p.t("地址：{address}", "Address: {address}")
    number = p["number"]
    return Rendered(text, _rows([p.btn("✋ 受理", "✋ Accept", "staff.ticket.accept", number),
                                 p.btn("🔎 详情", "🔎 Details", "staff.ticket.detail", number)]))


def _ticket_button(p: Params) -> list[list[Button]]:
    return [[p.btn("🔎 查看工单", "🔎 View ticket", "as.view", p["number"])]]


def staff_ticket_button(p: Params) -> list[list[Button]]:
    return [[p.btn("🔎 详情", "🔎 Details", "staff.ticket.detail", p["number"])]]


simple("ticket.accept", "您的售后工单 {number} 已受理，处理人：{who}。",
       "Your after-sales ticket {number} has been accepted; {who} handles it.", _ticket_button)
simple("ticket.start", "您的售后工单 {number} 已开始处理。", "Work on your after-sales ticket {number} has started.",
       _ticket_button)
@template("ticket.resolve")
def _ticket_resolve(p: Params) -> Rendered:
    """Staff marked the ticket resolved: the dealer says whether it is (``as.solved`` closes it, ``as.reopen`` asks
    what is still wrong and reopens it with those words); unanswered, the scheduler closes it after some days."""
    number = p["number"]
    text = p.t("您的售后工单 {number} 已处理完成：{text}\n问题解决了吗？",
               "Your after-sales ticket {number} is resolved: {text}\nIs the problem solved?")
    return Rendered(text, _rows([p.btn("✅ 已解决", "✅ Solved", "as.solved", number),
                                 p.btn("🔄 还没解决", "🔄 Not solved yet", "as.reopen", number)],
                                *_ticket_button(p)))


simple("ticket.reject", "您的售后工单 {number} 未受理，原因：{text}", "Your after-sales ticket {number} was rejected: {text}",
       _ticket_button)
simple("ticket.close", "您的售后工单 {number} 已关闭。", "Your after-sales ticket {number} is closed.", _ticket_button)
simple("ticket.assigned_dealer", "您的售后工单 {number} 已安排 {who} 负责处理。",
       "Your after-sales ticket {number} is now handled by {who}.", _ticket_button)
simple("ticket.auto_close", "您的售后工单 {number} 解决后 {days} 天未收到您的确认，已自动关闭。如问题再次出现，请重新报修。",
       "Your after-sales ticket {number} was resolved {days} days ago without an answer from you and is now closed. "
       "If the problem comes back, please report a new repair.", _ticket_button)
simple("ticket.comment", "售后工单 {number} 有新留言（{who}）：{text}", "New comment on ticket {number} from {who}: {text}",
       _ticket_button)
simple("ticket.reopen", "🔁 售后工单 {number}（{dealer}）被重新打开：{text}",
       "🔁 Ticket {number} ({dealer}) was reopened: {text}", staff_ticket_button)
simple("ticket.confirmed", "✅ 售后工单 {number}（{dealer}）经销商确认问题已解决（{who}），工单已关闭。",
       "✅ Ticket {number} ({dealer}): the dealer confirmed it is solved ({who}); the ticket is closed.",
       staff_ticket_button)
simple("ticket.comment_staff", "💬 售后工单 {number}（{dealer}）有新留言（{who}）：{text}",
       "💬 New comment on ticket {number} ({dealer}) from {who}: {text}", staff_ticket_button)
simple("ticket.sla_breach", "⏰ 售后工单 {number} 已超时（时限 {due}）\n经销商：{dealer}\n紧急程度：{priority}\n问题：{desc}",
       "⏰ Ticket {number} is past its SLA (due {due})\nDealer: {dealer}\nPriority: {priority}\nProblem: {desc}",
       staff_ticket_button)
simple("ticket.sla_escalation",
       "🚨 升级：售后工单 {number} 已超时 {hours} 小时仍未解决\n经销商：{dealer}\n处理人：{assignee}\n问题：{desc}",
       "🚨 Escalation: ticket {number} is {hours} hours past its SLA and still open\nDealer: {dealer}\n"
       "Handled by: {assignee}\nProblem: {desc}", staff_ticket_button)
simple("quality.submitted", "⚠️ 质量反馈 {number}\n经销商：{dealer}\n产品：{product}\n批次：{batch}\n问题类别：{category}\n"
       "数量：{count}\n描述：{desc}",
       "⚠️ Quality report {number}\nDealer: {dealer}\nProduct: {product}\nBatch: {batch}\nDefect: {category}\n"
       "Count: {count}\nDescription: {desc}",
       lambda p: _rows([p.btn("➡️ 调查中", "➡️ Investigating", "staff.qf.set", p["number"], "investigating"),
                        p.btn("🔎 详情", "🔎 Details", "staff.qf.detail", p["number"])]))


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


simple("staff.notice", "📢 厂家通知（{sender}）：\n{text}", "📢 Notice from the maker ({sender}):\n{text}")
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


@template("campaign.reminder")
def _campaign_reminder(p: Params) -> Rendered:
    lines = [p.t("⏰ 活动进行中：{name}（{starts} 至 {ends}），您还没有报名。",
                 "⏰ Campaign running: {name} ({starts} to {ends}); you have not joined yet.")]
    if p.get("support"):
        lines.append(p.t("厂家支持：{support}", "Support: {support}"))
    return Rendered("\n".join(lines), _rows([p.btn("✅ 报名参加", "✅ Join", "camp.join", p["id"]),
                                              p.btn("🔎 查看活动", "🔎 View campaign", "camp.view", p["id"])]))


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

# a channel manager's reminder to the dealers that have not reported sell-out (core.services.sellout_chase)
simple("sellout.reminder", "📈 请上报 {start} 至 {end} 的销量（动销）：直接发“AP300 卖了3台”这样的文字，或点下面的按钮。",
       "📈 Please report your sell-out for {start} to {end}: type it (\"sold 3 AP300\") or tap the button below.",
       lambda p: [[p.btn("📈 销量上报", "📈 Report sell-out", "so.new")]])

# payments, refunds, adjustments and reversals (core.services.payments)
simple("payment.received", "💰 已收到您的付款 {amount}（{method}，参考号 {reference}，付款日 {paid_on}），已记入{account}{repaid}。",
       "💰 Your payment of {amount} is received ({method}, reference {reference}, paid {paid_on}) and credited to "
       "your {account} account{repaid}.",
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
       lambda p: [[p.btn("✍️ 回复", "✍️ Answer", "faq.ans", p["id"])]]
       + ([[p.btn("📄 订单详情", "📄 Order details", "staff.order.detail", p["order"])]] if p.get("order") else []))
simple("faq.answer", "💬 客服回复了您的问题：\n“{question}”\n\n{answer}",
       "💬 Our staff answered your question:\n\"{question}\"\n\n{answer}",
       lambda p: [[p.btn("❓ 更多问题", "❓ More questions", "faq.menu")]])
