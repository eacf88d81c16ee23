"""Outbox templates of the scheduled checks, the digests and weekly summaries, chat replies, the back office
and transfers (registered in ``notifications.rendering``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from notifications.kinds_business import staff_ticket_button
from notifications.rendering import (
    Button,
    Params,
    Part,
    Rendered,
    _rows,
    known,
    render,
    simple,
    template,
)

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
    text = render(kind, item, p.lang).text if known(kind) else ""
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
    elif known(kind):
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
            own = [list(r) for r in render(str(kind), params, p.lang).buttons] if known(kind) else []
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
       "📌 Ticket {number} ({dealer}) was assigned to you by {who}.", staff_ticket_button)
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
