"""Ordering in chat: free text or guided picking into a cart, a priced summary, exactly-once submission.

Dialog states (``DialogState.data`` holds the cart, see ``Cart``)::

    order.cart     the cart is open: typed text adds items and sets the delivery date
    order.qty      waiting for a typed quantity of ``pending_sku`` (add, or set when ``set_qty``)
    order.date     waiting for a typed delivery date
    order.dealer   staff ordering on a dealer's behalf (代客下单): waiting for a dealer code or name

Buttons: ``order.new``, ``order.browse``, ``order.cat|<category>``, ``order.pick|<sku>``,
``order.add|<sku>|<qty>``, ``order.qty|<sku>``, ``order.reorder[|<number>]``, ``order.dealer|<id>``,
``staff.onbehalf``, ``order.prefill|<sku>|<qty>`` (a restock alert's "order this"), ``order.restock`` (its
"一键补货": every product at its reorder point); and on one cart (they carry its nonce, so a button of an older cart is refused):
``order.view``, ``order.edit``, ``order.inc``, ``order.dec``, ``order.rm``, ``order.set``, ``order.clear``,
``order.date``, ``order.datetype``, ``order.cancel``, ``order.confirm|<nonce>|<rev>``.

Exactly once: a cart gets a random nonce when created; Confirm submits with it as
``SubmitOrder.client_request_key``, so a double tap (or a re-delivered press) gets the same order back.
``rev`` counts edits: a Confirm pressed under an older summary shows the current one instead.
Prices, checks and authorization are the use cases' (``quote_order``, ``submit_order``); nothing here
trusts a payload. The approval prompt for staff is queued by ``submit_order`` itself (the outbox).
"""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from core.money import fmt_cny
from core.onboarding import ordering_block_reason
from core.order_flow import PARENT_PENDING, approval_reason_text, status_label
from core.orders import Order, OrderStatus
from core.pricing import Quote
from core.products import Product, line_limit, to_product_units
from core.services.catalogue import list_products
from core.services.dealers import get_dealer, list_dealers, sub_dealers
from core.services.orders import QuoteOrder, SubmitOrder, get_order, list_orders, quote_order, submit_order
from core.users import Permission
from handlers import i18n
from handlers.catalogue import chat_catalogue, learn_from_pick, parse_message, remember_suggestions
from handlers.context import Ctx
from handlers.flows.menu import main_menu, require_bound
from handlers.flows.thresholds import restock_lines
from handlers.messages import Button, InboundKind, Reply
from handlers.router import MAX_PAYLOAD_BYTES, Router, payload
from nlu.dates import find_date
from nlu.numbers import typed_quantity
from nlu.products import suggest_products
from nlu.schema import CartEdit, CatalogueEntry, EditOp, Intent, ParseResult

router = Router(name=__name__)

MAX_QTY = 99_999
MAX_LINES = 30
MAX_DAYS_AHEAD = 180
QUICK_QTYS = (1, 5, 10, 20, 50)

i18n.register({
    "order.prompt": ("请直接输入要订的产品和数量，例如：\nAP300 20台，F300 5箱，下周三到\n或按分类选择：",
                     "Type the products and quantities, e.g.:\nAP300 x20, F300 5 boxes, by next Wednesday\n"
                     "or choose by category:"),
    "order.prompt_for": ("为 {dealer} 代客下单。", "Ordering for {dealer}."),
    "order.btn.browse": ("📂 按分类选择", "📂 By category"),
    "order.btn.reorder": ("🔁 再来一单", "🔁 Same as last order"),
    "order.btn.cart": ("🛒 查看购物车（{n}）", "🛒 View cart ({n})"),
    "order.btn.confirm": ("✅ 确认下单", "✅ Confirm order"),
    "order.btn.edit": ("✏️ 修改", "✏️ Edit"),
    "order.btn.cancel": ("❌ 取消", "❌ Cancel"),
    "order.btn.more": ("➕ 继续添加", "➕ Add more"),
    "order.btn.clear": ("🧹 清空", "🧹 Clear"),
    "order.btn.date_other": ("📅 其他日期", "📅 Other date"),
    "order.btn.date_none": ("不指定日期", "No date"),
    "order.btn.done": ("✅ 完成修改", "✅ Done"),
    "order.btn.other_qty": ("其他数量", "Other quantity"),
    "order.btn.back_categories": ("⬅️ 返回分类", "⬅️ Categories"),
    "order.btn.detail": ("📄 查看订单", "📄 View order"),
    "order.btn.menu": ("🏠 主菜单", "🏠 Menu"),
    "order.btn.drop": ("🗑 放弃购物车", "🗑 Drop the cart"),
    "order.kept": ("（购物车已保留，{n} 个商品）", "(Your cart is kept: {n} products)"),
    "order.busy": ("您正在下单（购物车里有 {n} 个商品），购物车会保留。可以继续输入产品，或：",
                   "You are in the middle of an order ({n} products in the cart, kept for you). "
                   "Keep typing products, or:"),
    "order.btn.approve": ("✅ 通过", "✅ Approve"),
    "order.btn.reject": ("❌ 驳回", "❌ Reject"),
    "order.blocked": ("暂时不能下单：{reason}", "You cannot order right now: {reason}"),
    "order.blocked_for": ("{dealer} 暂时不能下单：{reason}", "{dealer} cannot order right now: {reason}"),
    "order.empty": ("购物车是空的。", "The cart is empty."),
    "order.summary_title": ("🛒 订单确认", "🛒 Order summary"),
    "order.summary_for": ("客户：{dealer}（代客下单）", "Customer: {dealer} (on behalf)"),
    "order.line": ("{n}. {name}（{sku}）{qty}{unit} × {price} = {amount}",
                   "{n}. {name} ({sku}) {qty} {unit} x {price} = {amount}"),
    "order.line_discount": ("   促销优惠 −{discount}", "   promotion −{discount}"),
    "order.line_free": ("   赠送 {free}{unit}", "   {free} {unit} free"),
    "order.subtotal": ("小计：{subtotal}", "Subtotal: {subtotal}"),
    "order.discount": ("优惠：−{discount}", "Discount: −{discount}"),
    "order.total": ("合计：{total}", "Total: {total}"),
    "order.delivery": ("交货日期：{date}", "Delivery date: {date}"),
    "order.delivery_none": ("交货日期：未指定（可在“修改”中设置）", "Delivery date: not set (set it under Edit)"),
    "order.checks": ("检查结果：", "Checks:"),
    "order.fix_first": ("请先修改标 ⚠️ 的问题再提交。", "Please fix the ⚠️ items before submitting."),
    "order.added": ("已加入购物车：{items}", "Added to the cart: {items}"),
    "order.added_line": ("已加入：{name} ×{qty}{unit}", "Added: {name} x{qty} {unit}"),
    "order.added_more": ("已加：{name} +{qty}（原 {had}，现共 {total}{unit}）",
                         "Added: {name} +{qty} (was {had}, now {total} {unit})"),
    "order.converted": ("（{written} = {qty}{unit}）", " ({written} = {qty} {unit})"),
    "order.set_to": ("已改为：{name} ×{qty}{unit}", "Changed: {name} is now x{qty} {unit}"),
    "order.removed": ("已删除：{name}", "Removed: {name}"),
    "order.not_in_cart": ("购物车里没有 {name}，无需删除。", "{name} is not in the cart; nothing to remove."),
    "order.replaced": ("已替换：{old} → {new} ×{qty}{unit}", "Replaced: {old} -> {new} x{qty} {unit}"),
    "order.scaled": ("数量已{factor}：{items}", "Quantities {factor}: {items}"),
    "order.factor_half": ("减半", "halved"),
    "order.factor_times": ("乘以 {n}", "multiplied by {n}"),
    "order.scale_empty": ("购物车是空的，没有可以调整的数量。", "The cart is empty; there is nothing to scale."),
    "order.which_line": ("改成 {qty} 的是哪一个商品？", "Which product should be {qty}?"),
    "order.which_empty": ("购物车是空的：请说明要 {qty} 的是哪个产品，例如“AP300 {qty}台”。",
                          "The cart is empty: which product do you want {qty} of? e.g. \"AP300 x{qty}\""),
    "order.over_limit": ("{name} 每单最多 {limit}{unit}，{qty}{unit} 超出上限，未修改。如确需更多，请联系订单台。",
                         "{name}: at most {limit} {unit} per order; {qty} is over the limit, nothing changed. "
                         "For more, contact the order desk."),
    "order.qty_negative": ("数量不能是负数（“{raw}”），这一项没有改动。",
                           "A quantity cannot be negative (\"{raw}\"); that line was not changed."),
    "order.qty_not_whole": ("数量须是整数（“{raw}”），这一项没有改动。",
                            "A quantity must be a whole number (\"{raw}\"); that line was not changed."),
    "order.unknown_product": ("没有找到产品 {word}。", "No product {word}."),
    "order.qty_of": ("（数量 {qty}）", " (qty {qty})"),
    "order.generic_pick": ("“{word}”{qty}：有好几种产品都叫这个，您要的是哪一种？",
                           "\"{word}\"{qty}: several products go by that name. Which one?"),
    "order.unknown_pick": ("没有找到“{word}”{qty}。您是不是要：", "\"{word}\"{qty} is not in the catalogue. Did you mean:"),
    "order.unknown_none": ("没有找到“{word}”{qty}这个产品，这一项没有加入。可以按分类选择：",
                           "\"{word}\"{qty} is not in the catalogue; it was not added. Choose by category:"),
    "order.date_set": ("交货日期已设为 {date}。", "Delivery date set to {date}."),
    "order.date_cleared": ("已取消指定交货日期。", "The delivery date is no longer set."),
    "order.date_past": ("交货日期须晚于今天（{today}）。", "The delivery date must be after today ({today})."),
    "order.date_far": ("交货日期最多可选 {days} 天内。", "The delivery date must be within {days} days."),
    "order.date_ask": ("请输入交货日期，例如：12月5号、下周三、2026-12-05",
                       "Type the delivery date, e.g. 2026-12-05, tomorrow, next Wednesday"),
    "order.date_bad": ("没看懂这个日期。请这样输入：12月5号、下周三、2026-12-05",
                       "I could not read that date. Try: 2026-12-05, tomorrow, next Wednesday"),
    "order.qty_ask": ("请输入 {name} 的数量（{unit}）：", "How many {name} ({unit})? Type a number:"),
    "order.qty_bad": ("请输入一个正整数，例如 20。", "Please type a whole number above 0, e.g. 20."),
    "order.pick_qty": ("{name}（{sku}），单位：{unit}，起订量 {moq}。请选择数量：",
                       "{name} ({sku}), unit: {unit}, minimum order {moq}. Choose a quantity:"),
    "order.too_many_lines": ("一张订单最多 {max} 个商品，请先提交或删除一些。",
                             "An order holds at most {max} products; submit or remove some first."),
    "order.categories": ("请选择产品分类：", "Choose a category:"),
    "order.no_products": ("暂时没有可订购的产品。", "There are no products to order right now."),
    "order.products_in": ("{category}：请选择产品", "{category}: choose a product"),
    "order.edit_title": ("✏️ 修改购物车：点 ➖/➕ 调整数量，点商品名直接输入数量，🗑 删除。",
                         "✏️ Edit the cart: ➖/➕ change the quantity, tap a product to type it, 🗑 removes it."),
    "order.edit_line": ("{n}. {name}（{sku}）× {qty}", "{n}. {name} ({sku}) x {qty}"),
    "order.cleared": ("购物车已清空。", "The cart is empty now."),
    "order.cancelled": ("已取消本次下单，购物车已清空。", "Order cancelled; the cart is empty."),
    "order.stale": ("这个购物车已失效（可能已提交或已取消）。", "That cart is no longer open (submitted or cancelled)."),
    "order.changed": ("购物车已修改，请核对最新的订单再确认：", "The cart changed; please check the current summary:"),
    "order.submitted": ("✅ 订单已提交：{number}\n状态：{status}\n金额：{total}",
                        "✅ Order submitted: {number}\nStatus: {status}\nTotal: {total}"),
    "order.submitted_again": ("该订单已提交过，未重复下单：{number}（{status}）",
                              "This order was already submitted; no second order was placed: {number} ({status})"),
    "order.needs_approval": ("⚠️ {reasons}。审批结果会通知您。", "⚠️ This order {reasons}. You will be told the decision."),
    "order.wait_review": ("订单将由厂家审核，结果会通知您。", "The maker will review the order; you will be told."),
    "order.wait_parent": ("订单将先由上级经销商审批，再由厂家审核，结果会通知您。",
                          "Your parent dealer approves the order first, then the maker reviews it; you will be told."),
    "order.not_understood": ("没认出要订的产品。请按“产品 数量”输入，例如：AP300 20台；或按分类选择。",
                             "I could not find a product in that. Type \"product quantity\", e.g. AP300 x20, "
                             "or choose by category."),
    "order.suggest": ("没有找到“{word}”。您是不是要：", "\"{word}\" is not in the catalogue. Did you mean:"),
    "order.suggest_plain": ("没有完全匹配的产品。您是不是要：", "No exact match. Did you mean:"),
    "order.reordered": ("已按订单 {number} 复制到购物车，可修改后再确认。",
                        "Copied order {number} into the cart; edit it if needed, then confirm."),
    "order.no_history": ("还没有可以复制的历史订单。", "There is no earlier order to copy."),
    "order.ask_dealer": ("代客下单：请输入经销商编号或名称（例如 D0001 或 华信）。",
                         "Order for a dealer: type the dealer code or name (e.g. D0001)."),
    "order.dealer_none": ("没有找到经销商“{q}”，请重新输入编号或名称。",
                          "No dealer matches \"{q}\". Type a code or a name again."),
    "order.dealer_pick": ("找到多个经销商，请选择：", "Several dealers match; choose one:"),
    "order.restocked": ("已按补货建议放入购物车（{n} 个商品）。可以修改，确认后下单。",
                        "The suggested restock ({n} products) is in your cart. Change it or confirm to order."),
    "order.restock_none": ("现在没有商品在补货点以下，无需补货。", "No product is at its reorder point now; nothing to restock."),
    "order.prefilled": ("已按补货建议放入购物车：{sku} ×{qty}。可以修改，确认后下单。",
                        "The suggested restock is in your cart: {sku} x{qty}. Change it or confirm to order."),
    "order.btn.tomorrow": ("📅 明天 {date}", "📅 Tomorrow {date}"),
    "order.btn.next_week": ("📅 下周一 {date}", "📅 Next Monday {date}"),
})

_WEEKDAYS_ZH = "一二三四五六日"


# --- the cart ---------------------------------------------------------------------------------------

@dataclass
class Cart:
    """What the chat collected for one order; lives in ``DialogState.data`` (JSON-safe)."""

    nonce: str
    items: dict[str, int] = field(default_factory=dict)      # SKU -> quantity, in the order added
    delivery: date | None = None
    dealer_id: int | None = None        # staff ordering on a dealer's behalf; dealers order for themselves
    dealer_name: str = ""
    rev: int = 0
    last: str | None = None             # the line the chat talked about last ("改成10台" means this one)

    @classmethod
    def new(cls, dealer_id: int | None = None, dealer_name: str = "") -> Cart:
        return cls(nonce=secrets.token_hex(6), dealer_id=dealer_id, dealer_name=dealer_name)

    @classmethod
    def load(cls, ctx: Ctx) -> Cart | None:
        data = ctx.dialog.data
        if not ctx.dialog.state.startswith("order.") or not isinstance(data.get("nonce"), str):
            return None
        delivery = data.get("delivery")
        return cls(nonce=data["nonce"],
                   # a list of pairs, not a dict: JSON columns may not keep key order
                   items={str(sku): int(qty) for sku, qty in data.get("items", [])},
                   delivery=date.fromisoformat(delivery) if delivery else None,
                   dealer_id=data.get("dealer_id"), dealer_name=data.get("dealer_name", ""),
                   rev=int(data.get("rev", 0)), last=data.get("last"))

    def save(self, ctx: Ctx, state: str = "order.cart", **extra: Any) -> None:
        ctx.go(state, nonce=self.nonce, items=[[sku, qty] for sku, qty in self.items.items()],
               delivery=self.delivery.isoformat() if self.delivery else None, dealer_id=self.dealer_id,
               dealer_name=self.dealer_name, rev=self.rev, last=self.last, **extra)

    def add(self, sku: str, qty: int) -> bool:
        """Add ``qty`` of ``sku``; False when the cart is full of other products."""
        if sku not in self.items and len(self.items) >= MAX_LINES:
            return False
        self.items[sku] = self.items.get(sku, 0) + qty
        self.rev += 1
        self.last = sku
        return True

    def set(self, sku: str, qty: int) -> None:
        if qty <= 0:
            self.items.pop(sku, None)
            self.last = None if self.last == sku else self.last
        else:
            self.items[sku] = qty
            self.last = sku
        self.rev += 1

    def referent(self) -> str | None:
        """The line an edit without a product name means: the only line, else the one talked about last."""
        if len(self.items) == 1:
            return next(iter(self.items))
        return self.last if self.last in self.items else None

    def total_units(self) -> int:
        return sum(self.items.values())


def _dealer_id(ctx: Ctx, cart: Cart) -> int | None:
    """The dealer the order is for: a dealer's own, the sub-dealer its parent chose (handlers.flows.subdealers;
    core checks the parent again), or the one staff chose."""
    if ctx.is_dealer:
        return cart.dealer_id if cart.dealer_id is not None else ctx.actor.dealer_id
    return cart.dealer_id


def _may_order_for_others(ctx: Ctx) -> bool:
    return ctx.is_staff and Permission.ORDER_PLACE_ON_BEHALF in ctx.actor.permissions


def _stale(ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("order.stale"),
                  buttons=[[Button(ctx.t("btn.order"), payload("order.new")),
                            Button(ctx.t("order.btn.menu"), payload("menu"))]])]


def _cart_for(ctx: Ctx, nonce: str) -> Cart | None:
    cart = Cart.load(ctx)
    return cart if cart is not None and cart.nonce == nonce else None


# --- small readers ----------------------------------------------------------------------------------

async def _block_text(ctx: Ctx, dealer_id: int, dealer_name: str = "") -> str | None:
    """Why the dealer may not order now (qualifications, suspension), in the chat's language."""
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(dealer_id)
        if dealer is None:
            return None
        documents = await uow.qualifications.list(dealer_id=dealer_id)
    reason = ordering_block_reason(dealer, documents, ctx.deps.clock.today())
    if reason is None:
        return None
    text = ctx.pick(*reason)
    if dealer_name:
        return ctx.t("order.blocked_for", dealer=dealer_name, reason=text)
    return ctx.t("order.blocked", reason=text)


block_text = _block_text     # also for a parent dealer's cart for its sub-dealer (handlers.flows.subdealers)


async def _catalogue(ctx: Ctx) -> list[CatalogueEntry]:
    return await chat_catalogue(ctx)


def _fmt_date(ctx: Ctx, d: date) -> str:
    if ctx.en:
        return f"{d:%a} {d.isoformat()}"
    return f"{d.isoformat()}（周{_WEEKDAYS_ZH[d.weekday()]}）"


def _check_delivery(ctx: Ctx, d: date) -> str | None:
    today = ctx.deps.clock.today()
    if d <= today:
        return ctx.t("order.date_past", today=today.isoformat())
    if d > today + timedelta(days=MAX_DAYS_AHEAD):
        return ctx.t("order.date_far", days=MAX_DAYS_AHEAD)
    return None


def _qty_arg(raw: str) -> int | None:
    qty = int(raw) if raw.isdigit() else None
    return qty if qty is not None and 1 <= qty <= MAX_QTY else None


def _id_arg(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


# --- replies ----------------------------------------------------------------------------------------

def _prompt(ctx: Ctx, cart: Cart) -> Reply:
    text = ctx.t("order.prompt")
    if cart.dealer_name:     # staff, or a parent dealer ordering for its sub-dealer
        text = ctx.t("order.prompt_for", dealer=cart.dealer_name) + "\n" + text
    rows = [[Button(ctx.t("order.btn.browse"), payload("order.browse")),
             Button(ctx.t("order.btn.reorder"), payload("order.reorder"))]]
    if cart.items:
        rows.append([Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))])
    return Reply(text=text, buttons=rows)


def _check_line(ctx: Ctx, ok: bool, message: str) -> str:
    return ("✅ " if ok else "⚠️ ") + message


async def _summary(ctx: Ctx, cart: Cart, lead: list[str] | None = None) -> list[Reply]:
    """The priced cart (``quote_order``) with every check, and Confirm / Edit / Cancel."""
    lead = lead or []
    if not cart.items:
        return [Reply(text="\n".join([*lead, ctx.t("order.empty")])), _prompt(ctx, cart)]
    dealer_id = _dealer_id(ctx, cart)
    if dealer_id is None:
        return await _ask_dealer(ctx, pending=cart.items)
    quote = await quote_order(ctx.uow(), ctx.actor, QuoteOrder(dealer_id=dealer_id, items=list(cart.items.items())),
                              ctx.deps.clock)
    units = {sku: p.unit for sku, p in (await _products(ctx, list(cart.items))).items()}
    out = [*lead, ctx.t("order.summary_title")]
    if cart.dealer_name:
        out.append(ctx.t("order.summary_for", dealer=cart.dealer_name))
    out.extend(_quote_lines(ctx, quote, units))
    out.append(ctx.t("order.delivery", date=_fmt_date(ctx, cart.delivery)) if cart.delivery
               else ctx.t("order.delivery_none"))
    out.append(ctx.t("order.checks"))
    out.extend(_check_line(ctx, c.ok, c.message(ctx.lang)) for c in quote.checks)
    rows: list[list[Button]] = []
    if quote.can_submit:
        rows.append([Button(ctx.t("order.btn.confirm"), payload("order.confirm", cart.nonce, cart.rev))])
    else:
        out.append(ctx.t("order.fix_first"))
    rows.append([Button(ctx.t("order.btn.edit"), payload("order.edit", cart.nonce)),
                 Button(ctx.t("order.btn.cancel"), payload("order.cancel", cart.nonce))])
    return [Reply(text="\n".join(out), buttons=rows)]


def _quote_lines(ctx: Ctx, quote: Quote, units: dict[str, str]) -> list[str]:
    out = []
    for n, line in enumerate(quote.lines, 1):
        unit = units.get(line.sku, "")
        out.append(ctx.t("order.line", n=n, name=line.name, sku=line.sku, qty=line.qty, unit=unit,
                         price=fmt_cny(line.unit_price), amount=fmt_cny(line.amount)))
        if line.discount:
            out.append(ctx.t("order.line_discount", discount=fmt_cny(line.discount)))
        if line.free_qty:
            out.append(ctx.t("order.line_free", free=line.free_qty, unit=unit))
    out.append(ctx.t("order.subtotal", subtotal=fmt_cny(quote.subtotal)))
    if quote.discount_total:
        out.append(ctx.t("order.discount", discount=fmt_cny(quote.discount_total)))
    out.append(ctx.t("order.total", total=fmt_cny(quote.total)))
    return out


async def _editor(ctx: Ctx, cart: Cart, lead: list[str] | None = None) -> list[Reply]:
    if not cart.items:
        return [Reply(text="\n".join([*(lead or []), ctx.t("order.empty")])), _prompt(ctx, cart)]
    names = {sku: p.name for sku, p in (await _products(ctx, list(cart.items))).items()}
    out = [*(lead or []), ctx.t("order.edit_title")]
    rows: list[list[Button]] = []
    for n, (sku, qty) in enumerate(cart.items.items(), 1):
        out.append(ctx.t("order.edit_line", n=n, name=names.get(sku, sku), sku=sku, qty=qty))
        rows.append([Button("➖", payload("order.dec", cart.nonce, sku)),
                     Button(f"{sku} ×{qty}", payload("order.set", cart.nonce, sku)),
                     Button("➕", payload("order.inc", cart.nonce, sku)),
                     Button("🗑", payload("order.rm", cart.nonce, sku))])
    out.append(ctx.t("order.delivery", date=_fmt_date(ctx, cart.delivery)) if cart.delivery
               else ctx.t("order.delivery_none"))
    today = ctx.deps.clock.today()
    tomorrow = today + timedelta(days=1)
    monday = today + timedelta(days=7 - today.weekday())
    rows.append([Button(ctx.t("order.btn.more"), payload("order.browse")),
                 Button(ctx.t("order.btn.clear"), payload("order.clear", cart.nonce))])
    rows.append([Button(ctx.t("order.btn.tomorrow", date=f"{tomorrow:%m-%d}"),
                        payload("order.date", cart.nonce, tomorrow.isoformat())),
                 Button(ctx.t("order.btn.next_week", date=f"{monday:%m-%d}"),
                        payload("order.date", cart.nonce, monday.isoformat()))])
    rows.append([Button(ctx.t("order.btn.date_other"), payload("order.datetype", cart.nonce)),
                 Button(ctx.t("order.btn.date_none"), payload("order.date", cart.nonce, "-"))])
    rows.append([Button(ctx.t("order.btn.done"), payload("order.view", cart.nonce))])
    return [Reply(text="\n".join(out), buttons=rows)]


async def _ask_dealer(ctx: Ctx, pending: dict[str, int] | None = None) -> list[Reply]:
    """Staff: who is this order for? Items typed before the dealer is known are kept."""
    if not _may_order_for_others(ctx):
        raise PermissionDenied()
    ctx.go("order.dealer", pending=[[sku, qty] for sku, qty in (pending or {}).items()])
    return [Reply(text=ctx.t("order.ask_dealer"))]


async def _open_cart(ctx: Ctx) -> Cart | list[Reply]:
    """The open cart, or a new one; replies instead when the user may not order (blocked, no dealer)."""
    cart = Cart.load(ctx)
    if cart is not None and _dealer_id(ctx, cart) is not None:
        return cart
    if ctx.is_staff:
        return await _ask_dealer(ctx)
    if Permission.ORDER_PLACE_OWN not in ctx.actor.permissions or ctx.actor.dealer_id is None:
        raise PermissionDenied()
    blocked = await _block_text(ctx, ctx.actor.dealer_id)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    return Cart.new()


# --- starting an order ------------------------------------------------------------------------------

@router.command("order")
@router.button("order.new")
async def new_order(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = await _open_cart(ctx)
    if isinstance(cart, list):
        return cart
    cart.save(ctx)
    return [_prompt(ctx, cart)]


@router.button("staff.onbehalf")
async def on_behalf(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return await _ask_dealer(ctx)


@router.state("order.dealer")
async def dealer_typed(ctx: Ctx) -> list[Reply]:
    query = ctx.inbound.text.strip()
    if ctx.inbound.kind != InboundKind.TEXT or not query:
        return [Reply(text=ctx.t("order.ask_dealer"))]
    dealers = [d for d in await list_dealers(ctx.uow(), ctx.actor, search=query, limit=8) if d.id is not None]
    if not dealers:
        return [Reply(text=ctx.t("order.dealer_none", q=query[:40]))]
    if len(dealers) == 1:
        return await _choose_dealer(ctx, dealers[0].id or 0)
    return [Reply(text=ctx.t("order.dealer_pick"),
                  buttons=[[Button(f"{d.code} {d.name}", payload("order.dealer", d.id or 0))] for d in dealers])]


@router.button("order.dealer")
async def dealer_pressed(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not _may_order_for_others(ctx):
        raise PermissionDenied()
    dealer_id = _id_arg(ctx.args[0]) if ctx.args else None
    if dealer_id is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    return await _choose_dealer(ctx, dealer_id)


async def _choose_dealer(ctx: Ctx, dealer_id: int) -> list[Reply]:
    dealer = await get_dealer(ctx.uow(), ctx.actor, dealer_id)
    label = f"{dealer.code} {dealer.name}"
    blocked = await _block_text(ctx, dealer_id, label)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    pending = ctx.dialog.data.get("pending", []) if ctx.dialog.state == "order.dealer" else []
    cart = Cart.new(dealer_id=dealer_id, dealer_name=label)
    for sku, qty in pending:
        cart.add(str(sku), int(qty))
    cart.save(ctx)
    if cart.items:
        return await _summary(ctx, cart)
    return [_prompt(ctx, cart)]


# --- free text --------------------------------------------------------------------------------------

@router.intent(Intent.PLACE_ORDER)
async def order_intent(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    parsed = ctx.parsed or await parse_message(ctx)
    if parsed.slots.topic == "reorder":     # "和上次一样" (the parser says so; no words are read here)
        return await _reorder(ctx, parsed.slots.order_no)
    if ctx.is_staff and Cart.load(ctx) is None:
        pending = {i.sku: i.qty for i in parsed.slots.items}
        return await _ask_dealer(ctx, pending=pending)
    cart = await _open_cart(ctx)
    if isinstance(cart, list):
        return cart
    return await _apply_text(ctx, cart, parsed)


@router.state("order")
async def cart_text(ctx: Ctx) -> list[Reply]:
    cart = Cart.load(ctx)
    if cart is None:
        ctx.idle()
        return [main_menu(ctx)]
    if ctx.inbound.kind != InboundKind.TEXT or not ctx.inbound.text.strip():
        return [_prompt(ctx, cart)]
    parsed = await parse_message(ctx)
    if parsed.slots.topic == "reorder":
        return await _reorder(ctx, None)
    out: list[Reply] = []
    for part in (parsed, parsed.also):      # "DH20有货吗？顺便再来5台AP300": both, in the order written
        if part is None:
            continue
        if _is_question(part):
            out += await _meanwhile(ctx, cart, part)
        else:
            out += await _apply_text(ctx, cart, part)
    return out


# intents about the dealer's money and figures: the numbers in them are amounts and dates, not order lines
_NEVER_LINES = frozenset({Intent.CONTRACT_QUERY, Intent.SALES_QUERY})


def _is_question(parsed: ParseResult) -> bool:
    """Something asked with a cart open that does not change it."""
    slots = parsed.slots
    if parsed.intent in _NEVER_LINES:
        return True     # "账不对，12月2号那笔800应该是8000": amounts of the account, never a cart line
    # a product word without a quantity ("我那个除湿机的问题咋样了") is what the question is about, not an order line
    return (not slots.edits and not any(u.qty for u in slots.unresolved) and slots.delivery_date is None
            and not slots.negative_quantities and not slots.rejected_quantities
            and parsed.intent not in (Intent.PLACE_ORDER, Intent.CHITCHAT_OTHER, Intent.FAQ))


async def _meanwhile(ctx: Ctx, cart: Cart, parsed: ParseResult) -> list[Reply]:
    """A question asked while a cart is open: one that only reads (stock, status, price, balance, a ticket...)
    is answered right here, the rest gets the way there; the cart stays open either way."""
    back = Reply(text=ctx.t("order.kept", n=len(cart.items)),
                 buttons=[[Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))]])
    answer = ctx.questions.get(parsed.intent)
    if answer is None:
        return [_busy(ctx, cart, parsed)]
    ctx.parsed = parsed
    state, data = ctx.dialog.state, copy.deepcopy(ctx.dialog.data)
    try:
        replies = await answer(ctx)
    finally:     # whatever the answer did to the dialog, the cart stays open
        ctx.dialog.state, ctx.dialog.data = state, data
    return [*replies, back]


# Where a question asked in the middle of an order belongs (main-menu entries of the other flows).
_ELSEWHERE: dict[Intent, tuple[str, str]] = {
    Intent.ORDER_STATUS: ("btn.orders", "orders.list"),
    Intent.CANCEL_ORDER: ("btn.orders", "orders.list"),
    Intent.QUERY_STOCK: ("btn.stock", "stock.menu"),
    Intent.AFTER_SALES: ("btn.aftersales", "as.new"),
    Intent.QUALITY_FEEDBACK: ("btn.quality", "qf.new"),
    Intent.REPORT_SALES: ("btn.sellout", "so.new"),
    Intent.SALES_QUERY: ("btn.account", "acct.menu"),
    Intent.CONTRACT_QUERY: ("btn.account", "acct.menu"),
    Intent.CAMPAIGN_QUERY: ("btn.campaigns", "camp.list"),
}


def _busy(ctx: Ctx, cart: Cart, parsed: ParseResult) -> Reply:
    """Something else asked while a cart is open: keep the cart, offer the way there and back."""
    rows: list[list[Button]] = []
    if parsed.intent == Intent.QUERY_STOCK and parsed.slots.product:
        rows.append([Button(ctx.t("btn.stock") + f" {parsed.slots.product}", payload("stock.sku", parsed.slots.product))])
    elif parsed.intent in _ELSEWHERE and ctx.is_dealer:
        key, action = _ELSEWHERE[parsed.intent]
        rows.append([Button(ctx.t(key), payload(action))])
    rows.append([Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce)),
                 Button(ctx.t("order.btn.drop"), payload("order.cancel", cart.nonce))])
    rows.append([Button(ctx.t("order.btn.menu"), payload("menu"))])
    return Reply(text=ctx.t("order.busy", n=len(cart.items)), buttons=rows)


async def _apply_text(ctx: Ctx, cart: Cart, parsed: ParseResult) -> list[Reply]:
    """What the message says about the order (``parsed.slots.edits``: add / set / remove / replace / scale,
    a delivery date) applied to the cart, then the whole cart. Nothing is dropped in silence: a refused
    quantity, a word that is no product and an edit that does not say which line are answered by name."""
    slots = parsed.slots
    lead: list[str] = [ctx.t("order.qty_negative", raw=raw) for raw in slots.negative_quantities]
    lead += [ctx.t("order.qty_not_whole", raw=raw) for raw in slots.rejected_quantities]
    asks: list[Reply] = []
    skus = {e.sku for e in slots.edits if e.sku} | {e.to_sku for e in slots.edits if e.to_sku} | set(cart.items)
    products = await _products(ctx, sorted(skus))
    changed = False
    for edit in slots.edits:
        outcome = _apply_edit(ctx, cart, edit, products)
        if isinstance(outcome, Reply):
            asks.append(outcome)
        elif outcome:
            lead.append(outcome)
            changed = True
    when = slots.delivery_date
    if when is not None:
        problem = _check_delivery(ctx, when)
        if problem:
            lead.append(problem)
        else:
            cart.delivery = when
            cart.rev += 1
            lead.append(ctx.t("order.date_set", date=_fmt_date(ctx, when)))
            changed = True
    if ctx.dialog.state != "order.qty":
        cart.save(ctx)
    for word in slots.unresolved:      # after the cart is saved: a pick among them teaches the dealer's word
        asks.append(await _unresolved_reply(ctx, word.word, word.qty, word.candidates, generic=word.generic))
    if changed or (cart.items and (lead or asks)):
        return [*await _summary(ctx, cart, lead), *asks]
    if lead or asks:
        return ([Reply(text="\n".join(lead))] if lead else []) + asks
    return await _suggest(ctx, cart, parsed)


def _apply_edit(ctx: Ctx, cart: Cart, edit: CartEdit, products: dict[str, Product]) -> str | Reply | None:
    """One edit on the cart: the line saying what changed, a question (which line? which product?), or None."""
    sku = edit.sku or (cart.referent() if edit.op in (EditOp.SET, EditOp.ADD, EditOp.REPLACE) else None)
    if edit.op in (EditOp.SET, EditOp.ADD) and sku is None:
        if not cart.items:
            return Reply(text=ctx.t("order.which_empty", qty=edit.qty))
        return _which_line(ctx, cart, edit)
    if edit.op == EditOp.SCALE:
        return _scale(ctx, cart, edit, products)
    if sku is None:
        return None
    product = products.get(sku)
    if edit.op == EditOp.REMOVE:
        if sku not in cart.items:
            return ctx.t("order.not_in_cart", name=_label(products, sku)) if cart.items else None
        cart.set(sku, 0)
        return ctx.t("order.removed", name=_label(products, sku))
    if edit.op == EditOp.REPLACE:
        new = products.get(edit.to_sku or "")
        if new is None or not new.active:
            return ctx.t("order.unknown_product", word=edit.to_sku or "")
        qty = edit.qty or cart.items.get(sku)
        if qty is None:
            # "换成AP500" for a line the cart does not have: ask how many of the new product
            cart.save(ctx, "order.qty", pending_sku=new.sku, set_qty=False)
            return Reply(text=ctx.t("order.qty_ask", name=new.name, unit=new.unit))
        if (refused := _over_limit(ctx, new, qty)) is not None:
            return refused
        cart.set(sku, 0)
        cart.set(new.sku, qty)
        return ctx.t("order.replaced", old=_label(products, sku), new=new.name, qty=qty, unit=new.unit)
    if product is None or not product.active:
        return ctx.t("order.unknown_product", word=sku)
    assert edit.qty is not None
    try:    # "5箱" of a product sold by the piece: 5 × pack size; a dozen was already counted as 12 pieces
        units = to_product_units(product, edit.qty, "个" if edit.unit == "打" else edit.unit)
    except DomainError as exc:
        return exc.message(ctx.lang)
    converted = ctx.t("order.converted", written=f"{edit.qty}{edit.unit}", qty=units, unit=product.unit) \
        if units != edit.qty else ""
    edit = edit.model_copy(update={"qty": units})
    had = cart.items.get(sku)
    qty = units if edit.op == EditOp.SET else (had or 0) + units
    if (refused := _over_limit(ctx, product, qty)) is not None:
        return refused
    if had is None and len(cart.items) >= MAX_LINES:
        return ctx.t("order.too_many_lines", max=MAX_LINES)
    cart.set(sku, qty)
    if edit.op == EditOp.SET:
        return ctx.t("order.set_to", name=product.name, qty=qty, unit=product.unit) + converted
    if had:
        return ctx.t("order.added_more", name=product.name, qty=edit.qty, had=had, total=qty,
                     unit=product.unit) + converted
    return ctx.t("order.added_line", name=product.name, qty=qty, unit=product.unit) + converted


def _scale(ctx: Ctx, cart: Cart, edit: CartEdit, products: dict[str, Product]) -> str | Reply | None:
    factor = edit.factor or Decimal(1)
    targets = [edit.sku] if edit.sku in cart.items else list(cart.items)
    if not targets or edit.sku and edit.sku not in cart.items:
        return ctx.t("order.scale_empty") if not cart.items else ctx.t("order.not_in_cart",
                                                                      name=_label(products, edit.sku or ""))
    new = {sku: max(1, int((Decimal(cart.items[sku]) * factor).to_integral_value(ROUND_HALF_UP))) for sku in targets}
    for sku, qty in new.items():
        product = products.get(sku)
        if product is not None and (refused := _over_limit(ctx, product, qty)) is not None:
            return refused
    for sku, qty in new.items():
        cart.set(sku, qty)
    shown = "，".join(f"{_label(products, sku)} ×{qty}" for sku, qty in new.items())
    return ctx.t("order.scaled", factor=_factor_text(ctx, factor), items=shown)


def _factor_text(ctx: Ctx, factor: Decimal) -> str:
    if factor == Decimal("0.5"):
        return ctx.t("order.factor_half")
    return ctx.t("order.factor_times", n=f"{factor.normalize():f}")


def _which_line(ctx: Ctx, cart: Cart, edit: CartEdit) -> Reply:
    """"改成10台" with several lines and none talked about: ask which, one tap each."""
    op = "set" if edit.op == EditOp.SET else "add"
    rows = [[Button(f"{sku} ×{qty} → {edit.qty if op == 'set' else qty + (edit.qty or 0)}",
                    payload("order.to", cart.nonce, sku, (edit.qty or 0) if op == "set" else qty + (edit.qty or 0)))]
            for sku, qty in list(cart.items.items())[:8]]
    return Reply(text=ctx.t("order.which_line", qty=edit.qty), buttons=rows)


def _over_limit(ctx: Ctx, product: Product, qty: int) -> str | None:
    limit = line_limit(product)
    if qty > limit:
        return ctx.t("order.over_limit", name=product.name, limit=limit, unit=product.unit, qty=qty)
    return None


def _label(products: dict[str, Product], sku: str) -> str:
    p = products.get(sku)
    return p.name if p else sku


async def _products(ctx: Ctx, skus: list[str]) -> dict[str, Product]:
    if not skus:
        return {}
    async with ctx.uow() as uow:
        return {p.sku: p for p in await uow.products.list(sku__in=skus)}


async def _unresolved_reply(ctx: Ctx, word: str, qty: int | None, candidates: list[str], *,
                            generic: bool = False) -> Reply:
    """A word with a quantity that names no one product: said back by name, with the products it may mean."""
    entries = {e.sku: e for e in await _catalogue(ctx)}
    found = [entries[s] for s in candidates if s in entries][:6]
    if not found:
        found = [e for e, _ in suggest_products([word], list(entries.values()))]
    amount = ctx.t("order.qty_of", qty=qty) if qty else ""
    if not found:
        return Reply(text=ctx.t("order.unknown_none", word=word[:30], qty=amount),
                     buttons=[[Button(ctx.t("order.btn.browse"), payload("order.browse"))]])
    remember_suggestions(ctx, word, [e.sku for e in found])   # a pick teaches the dealer's word
    rows = [[Button(f"{e.name}（{e.sku}）" + (f" ×{qty}" if qty else ""),
                    payload("order.add", e.sku, qty) if qty and qty <= MAX_QTY else payload("order.pick", e.sku))]
            for e in found]
    rows.append([Button(ctx.t("order.btn.browse"), payload("order.browse"))])
    key = "order.generic_pick" if generic else "order.unknown_pick"
    return Reply(text=ctx.t(key, word=word[:30], qty=amount), buttons=rows)


@router.button("order.to")
async def set_to(ctx: Ctx) -> list[Reply]:
    """The answer to "which line?": ``order.to|<nonce>|<sku>|<qty>`` sets that line."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = _cart_for(ctx, _nonce(ctx))
    qty = _qty_arg(ctx.args[2]) if len(ctx.args) > 2 else None
    sku = ctx.args[1] if len(ctx.args) > 1 else ""
    if cart is None:
        return _stale(ctx)
    if qty is None or sku not in cart.items:
        return [Reply(text=ctx.t("error.button_stale"))]
    products = await _products(ctx, [sku])
    outcome = _apply_edit(ctx, cart, CartEdit(op=EditOp.SET, sku=sku, qty=qty), products)
    cart.save(ctx)
    if isinstance(outcome, Reply):
        return [outcome]
    return await _summary(ctx, cart, [outcome] if outcome else [])


async def _suggest(ctx: Ctx, cart: Cart, parsed: ParseResult) -> list[Reply]:
    """Nothing in the message changed the cart: the closest products to its words, or how to order."""
    words = parsed.slots.unknown_words
    whole = False
    if not words:
        if parsed.slots.product:      # "AP300" alone: only the quantity is missing
            return await _pick(ctx, parsed.slots.product)
        if not parsed.slots.edits and _has_words(ctx.inbound.text):
            words, whole = [ctx.inbound.text.strip()[:40]], True
    if not words:   # "我要下单": nothing to look up, show how to order
        return [_prompt(ctx, cart)]
    found = suggest_products(words, await _catalogue(ctx))
    if not found:
        return [Reply(text=ctx.t("order.not_understood"),
                      buttons=[[Button(ctx.t("order.btn.browse"), payload("order.browse"))]])]
    if not whole:
        remember_suggestions(ctx, words[0], [e.sku for e, _ in found])
    rows = [[Button(f"{e.name}（{e.sku}）", payload("order.pick", e.sku))] for e, _ in found]
    rows.append([Button(ctx.t("order.btn.browse"), payload("order.browse"))])
    head = ctx.t("order.suggest_plain") if whole else ctx.t("order.suggest", word=words[0][:30])
    return [Reply(text=head, buttons=rows)]


def _has_words(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fffA-Za-z]{2,}", text)) and not re.fullmatch(
        r"\s*(?:我要|我想|我)?(?:下单|订货|要货|订购|order|place an order|i want to order)\s*[!！。.]?\s*", text,
        re.IGNORECASE)


# --- guided picking ---------------------------------------------------------------------------------

def _category_payload(category: str, index: int) -> str:
    data = payload("order.cat", "#" + str(index))
    full = "|".join(["1", "order.cat", category])
    return full if len(full.encode()) <= MAX_PAYLOAD_BYTES and "|" not in category else data


@router.button("order.browse")
async def browse(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = await _open_cart(ctx)
    if isinstance(cart, list):
        return cart
    cart.save(ctx)
    products = await list_products(ctx.uow(), ctx.actor)
    categories = sorted({p.category for p in products})
    if not categories:
        return [Reply(text=ctx.t("order.no_products"))]
    buttons = [Button(c, _category_payload(c, i)) for i, c in enumerate(categories)]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    if cart.items:
        rows.append([Button(ctx.t("order.btn.cart", n=len(cart.items)), payload("order.view", cart.nonce))])
    return [Reply(text=ctx.t("order.categories"), buttons=rows)]


@router.button("order.cat")
async def category(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    wanted = ctx.args[0] if ctx.args else ""
    products = await list_products(ctx.uow(), ctx.actor)
    categories = sorted({p.category for p in products})
    if wanted.startswith("#") and wanted[1:].isdigit() and int(wanted[1:]) < len(categories):
        wanted = categories[int(wanted[1:])]
    chosen = [p for p in products if p.category == wanted]
    if not chosen:
        return [Reply(text=ctx.t("order.no_products"),
                      buttons=[[Button(ctx.t("order.btn.back_categories"), payload("order.browse"))]])]
    rows = [[Button(f"{p.name}（{p.sku}）", payload("order.pick", p.sku))] for p in chosen]
    rows.append([Button(ctx.t("order.btn.back_categories"), payload("order.browse"))])
    return [Reply(text=ctx.t("order.products_in", category=wanted), buttons=rows)]


@router.button("order.pick")
async def pick(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    await learn_from_pick(ctx, ctx.args[0] if ctx.args else "")
    return await _pick(ctx, ctx.args[0] if ctx.args else "")


async def _pick(ctx: Ctx, sku: str) -> list[Reply]:
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku) if sku else None
    if product is None or not product.active:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    quick = [Button(str(q), payload("order.add", product.sku, q)) for q in QUICK_QTYS]
    return [Reply(text=ctx.t("order.pick_qty", name=product.name, sku=product.sku, unit=product.unit,
                             moq=product.moq),
                  buttons=[quick, [Button(ctx.t("order.btn.other_qty"), payload("order.qty", product.sku))]])]


@router.button("order.add")
async def add(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    sku = ctx.args[0] if ctx.args else ""
    qty = _qty_arg(ctx.args[1]) if len(ctx.args) > 1 else None
    if qty is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    await learn_from_pick(ctx, sku)
    return await _add(ctx, sku, qty)


async def _add(ctx: Ctx, sku: str, qty: int, *, replace: bool = False) -> list[Reply]:
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku) if sku else None
    if product is None or not product.active:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    if ctx.is_staff and Cart.load(ctx) is None:
        return await _ask_dealer(ctx, pending={product.sku: qty})
    cart = await _open_cart(ctx)
    if isinstance(cart, list):
        return cart
    new_qty = qty if replace else cart.items.get(product.sku, 0) + qty
    if (refused := _over_limit(ctx, product, new_qty)) is not None:
        cart.save(ctx)
        return [Reply(text=refused)]
    if replace:
        cart.set(product.sku, qty)
    elif not cart.add(product.sku, qty):
        cart.save(ctx)
        return [Reply(text=ctx.t("order.too_many_lines", max=MAX_LINES))]
    cart.save(ctx)
    return await _summary(ctx, cart, [ctx.t("order.added", items=f"{product.name} ×{cart.items[product.sku]}"
                                            if replace else f"{product.name} ×{qty}")])


@router.button("order.qty")
async def ask_qty(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return await _ask_qty(ctx, ctx.args[0] if ctx.args else "", replace=False)


async def _ask_qty(ctx: Ctx, sku: str, *, replace: bool) -> list[Reply]:
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku) if sku else None
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    cart = await _open_cart(ctx)
    if isinstance(cart, list):
        return cart
    cart.save(ctx, "order.qty", pending_sku=product.sku, set_qty=replace)
    return [Reply(text=ctx.t("order.qty_ask", name=product.name, unit=product.unit))]


@router.state("order.qty")
async def qty_typed(ctx: Ctx) -> list[Reply]:
    sku = str(ctx.dialog.data.get("pending_sku", ""))
    replace = bool(ctx.dialog.data.get("set_qty"))
    qty = typed_quantity(ctx.inbound.text)
    if qty is None:
        if re.fullmatch(r"[\s\d+\-.,]+", ctx.inbound.text):   # "-5", "2.5"
            return [Reply(text=ctx.t("order.qty_bad"))]
        # not a quantity: treat it like any text typed into the cart ("F300 5箱")
        return await cart_text(ctx)
    if not (0 if replace else 1) <= qty:
        return [Reply(text=ctx.t("order.qty_bad"))]
    if replace and qty == 0:
        cart = Cart.load(ctx)
        if cart is None:
            return _stale(ctx)
        cart.set(sku, 0)
        cart.save(ctx)
        return await _editor(ctx, cart)
    return await _add(ctx, sku, qty, replace=replace)


# --- editing the cart -------------------------------------------------------------------------------

def _nonce(ctx: Ctx) -> str:
    return ctx.args[0] if ctx.args else ""


@router.button("order.view")
async def view(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = _cart_for(ctx, _nonce(ctx))
    if cart is None:
        return _stale(ctx)
    cart.save(ctx)
    return await _summary(ctx, cart)


@router.button("order.edit")
async def edit(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = _cart_for(ctx, _nonce(ctx))
    if cart is None:
        return _stale(ctx)
    cart.save(ctx)
    return await _editor(ctx, cart)


@router.button("order.inc")
async def increase(ctx: Ctx) -> list[Reply]:
    return await _change_line(ctx, +1)


@router.button("order.dec")
async def decrease(ctx: Ctx) -> list[Reply]:
    return await _change_line(ctx, -1)


@router.button("order.rm")
async def remove(ctx: Ctx) -> list[Reply]:
    return await _change_line(ctx, None)


async def _change_line(ctx: Ctx, step: int | None) -> list[Reply]:
    """+1 / -1 (a line at 0 goes away) or, with ``step`` None, remove the line."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = _cart_for(ctx, _nonce(ctx))
    sku = ctx.args[1] if len(ctx.args) > 1 else ""
    if cart is None:
        return _stale(ctx)
    if sku in cart.items:
        cart.set(sku, 0 if step is None else cart.items[sku] + step)
    cart.save(ctx)
    return await _editor(ctx, cart)


@router.button("order.set")
async def set_line(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = _cart_for(ctx, _nonce(ctx))
    if cart is None:
        return _stale(ctx)
    return await _ask_qty(ctx, ctx.args[1] if len(ctx.args) > 1 else "", replace=True)


@router.button("order.clear")
async def clear(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = _cart_for(ctx, _nonce(ctx))
    if cart is None:
        return _stale(ctx)
    cart.items.clear()
    cart.rev += 1
    cart.save(ctx)
    return [Reply(text=ctx.t("order.cleared")), _prompt(ctx, cart)]


@router.button("order.date")
async def set_date(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = _cart_for(ctx, _nonce(ctx))
    if cart is None:
        return _stale(ctx)
    raw = ctx.args[1] if len(ctx.args) > 1 else ""
    if raw == "-":
        cart.delivery = None
        cart.rev += 1
        cart.save(ctx)
        return await _summary(ctx, cart, [ctx.t("order.date_cleared")])
    try:
        when = date.fromisoformat(raw)
    except ValueError:
        return [Reply(text=ctx.t("error.button_stale"))]
    return await _set_delivery(ctx, cart, when)


async def _set_delivery(ctx: Ctx, cart: Cart, when: date) -> list[Reply]:
    problem = _check_delivery(ctx, when)
    if problem:
        cart.save(ctx, "order.date")
        return [Reply(text=problem + "\n" + ctx.t("order.date_ask"))]
    cart.delivery = when
    cart.rev += 1
    cart.save(ctx)
    return await _summary(ctx, cart, [ctx.t("order.date_set", date=_fmt_date(ctx, when))])


@router.button("order.datetype")
async def ask_date(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = _cart_for(ctx, _nonce(ctx))
    if cart is None:
        return _stale(ctx)
    cart.save(ctx, "order.date")
    return [Reply(text=ctx.t("order.date_ask"))]


@router.state("order.date")
async def date_typed(ctx: Ctx) -> list[Reply]:
    cart = Cart.load(ctx)
    if cart is None:
        ctx.idle()
        return [main_menu(ctx)]
    parsed = await parse_message(ctx)
    when = parsed.slots.delivery_date
    if when is None:
        found = find_date(ctx.inbound.text, ctx.deps.clock.today())
        when = found.value if found else None
    if when is None:
        return [Reply(text=ctx.t("order.date_bad"))]
    return await _set_delivery(ctx, cart, when)


@router.button("order.cancel")
async def cancel_cart(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if _cart_for(ctx, _nonce(ctx)) is None:
        return _stale(ctx)
    ctx.idle()
    return [Reply(text=ctx.t("order.cancelled")), main_menu(ctx)]


# --- confirming -------------------------------------------------------------------------------------

@router.button("order.confirm")
async def confirm(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    nonce = _nonce(ctx)
    rev = ctx.args[1] if len(ctx.args) > 1 else ""
    cart = _cart_for(ctx, nonce)
    if cart is None:
        return await _already_submitted(ctx, nonce)
    if rev != str(cart.rev):
        cart.save(ctx)
        return await _summary(ctx, cart, [ctx.t("order.changed")])
    dealer_id = _dealer_id(ctx, cart)
    if dealer_id is None:
        return await _ask_dealer(ctx, pending=cart.items)
    async with ctx.uow() as uow:
        earlier = await uow.orders.get_by(dealer_id=dealer_id, client_request_key=nonce)
    if earlier is not None:   # pressed twice at once: the other press submitted it
        ctx.go("", done_nonce=nonce, done_number=earlier.number)
        return await _already_submitted(ctx, nonce)
    try:
        order = await submit_order(ctx.uow(), ctx.actor,
                                   SubmitOrder(dealer_id=dealer_id, items=list(cart.items.items()),
                                               requested_delivery=cart.delivery, client_request_key=nonce),
                                   ctx.deps.clock)
    except Conflict:
        # both presses passed the check above at the same moment (two processes): the other one's order won
        # the unique (dealer, key); answer with it, as for any second press
        async with ctx.uow() as uow:
            earlier = await uow.orders.get_by(dealer_id=dealer_id, client_request_key=nonce)
        if earlier is None:
            raise
        ctx.go("", done_nonce=nonce, done_number=earlier.number)
        return await _already_submitted(ctx, nonce)
    ctx.go("", done_nonce=nonce, done_number=order.number)
    return [_submitted_reply(ctx, order)]


def _submitted_reply(ctx: Ctx, order: Order, key: str = "order.submitted") -> Reply:
    lines = [ctx.t(key, number=order.number, status=status_label(order.status, ctx.lang),
                   total=fmt_cny(order.total))]
    if key == "order.submitted":
        if order.needs_approval:
            reasons = "；".join(approval_reason_text(r, ctx.lang) for r in order.approval_reasons)
            lines.append(ctx.t("order.needs_approval", reasons=reasons))
        if order.parent_approval == PARENT_PENDING:     # Dealer.approves_sub_orders of its parent
            lines.append(ctx.t("order.wait_parent"))
        elif not order.needs_approval and order.status == OrderStatus.SUBMITTED:
            lines.append(ctx.t("order.wait_review"))
    rows = [[Button(ctx.t("order.btn.detail"), payload("orders.detail", order.number)),
             Button(ctx.t("order.btn.menu"), payload("menu"))]]
    if ctx.is_staff and Permission.ORDER_APPROVE in ctx.actor.permissions and order.status == OrderStatus.SUBMITTED:
        rows.insert(0, [Button(ctx.t("order.btn.approve"), payload("staff.order.approve", order.number)),
                        Button(ctx.t("order.btn.reject"), payload("staff.order.reject", order.number))])
    return Reply(text="\n".join(lines), buttons=rows)


async def _already_submitted(ctx: Ctx, nonce: str) -> list[Reply]:
    """A second Confirm of a cart already submitted: the same order, never a second one."""
    data = ctx.dialog.data
    number: str | None = None
    if nonce and data.get("done_nonce") == nonce:
        number = str(data.get("done_number", ""))
    elif nonce and ctx.is_dealer:
        async with ctx.uow() as uow:
            found = await uow.orders.get_by(dealer_id=ctx.actor.dealer_id, client_request_key=nonce)
        number = found.number if found else None
    if not number:
        return _stale(ctx)
    order = await get_order(ctx.uow(), ctx.actor, number)
    return [_submitted_reply(ctx, order, "order.submitted_again")]


# --- "order this" from a restock alert -----------------------------------------------------------------

@router.button("order.prefill")
async def prefill(ctx: Ctx) -> list[Reply]:
    """The one-tap button of a dealer restock alert (``order.prefill|SKU|qty``): a new cart holding the
    suggested quantity, shown as the usual summary to change or confirm. The payload is only a
    suggestion: the product, the quantity and the dealer's right to order are all checked again."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not ctx.is_dealer or ctx.actor.dealer_id is None:
        return _stale(ctx)
    sku = ctx.args[0].strip() if ctx.args else ""
    qty_text = ctx.args[1].strip() if len(ctx.args) > 1 else ""
    if not sku or not qty_text.isdigit() or not 0 < int(qty_text) <= MAX_QTY:
        return _stale(ctx)
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku)
    if product is None or not product.active:
        return _stale(ctx)
    blocked = await _block_text(ctx, ctx.actor.dealer_id)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    cart = Cart.new()
    cart.add(product.sku, int(qty_text))
    cart.save(ctx)
    return await _summary(ctx, cart, [ctx.t("order.prefilled", sku=product.sku, qty=int(qty_text))])


@router.button("order.restock")
async def restock(ctx: Ctx) -> list[Reply]:
    """The "一键补货" button of a restock alert: a new cart holding what the dealer's thresholds suggest now
    (``handlers.flows.thresholds.restock_lines``: every product at or below its reorder point), shown as the
    usual summary to change or confirm. Nothing comes from the payload; nothing is ordered without Confirm."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not ctx.is_dealer or ctx.actor.dealer_id is None:
        return _stale(ctx)
    lines = await restock_lines(ctx)
    if not lines:
        return [Reply(text=ctx.t("order.restock_none")), main_menu(ctx)]
    blocked = await _block_text(ctx, ctx.actor.dealer_id)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    cart = Cart.new()
    for line in lines:
        cart.add(line.sku, line.suggest)
    cart.save(ctx)
    return await _summary(ctx, cart, [ctx.t("order.restocked", n=len(lines))])


# --- the same as last time --------------------------------------------------------------------------

@router.button("order.reorder")
async def reorder(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return await _reorder(ctx, ctx.args[0] if ctx.args else None)


async def _reorder(ctx: Ctx, number: str | None) -> list[Reply]:
    """A new cart with the lines of order ``number`` (or the dealer's last order), editable before confirming."""
    if ctx.is_staff and not _may_order_for_others(ctx):
        raise PermissionDenied()
    if number:
        source: Order | None = await get_order(ctx.uow(), ctx.actor, number)
    else:
        current = Cart.load(ctx)
        dealer_id = _dealer_id(ctx, current) if current is not None else ctx.actor.dealer_id
        if dealer_id is None:
            return await _ask_dealer(ctx)
        recent = sorted(await list_orders(ctx.uow(), ctx.actor, dealer_id=dealer_id, limit=20),
                        key=lambda o: (o.created_at is not None, o.created_at, o.number), reverse=True)
        source = next((o for o in recent if o.status not in (OrderStatus.CANCELLED, OrderStatus.REJECTED)), None)
    if source is None:
        cart = await _open_cart(ctx)
        if isinstance(cart, list):
            return cart
        cart.save(ctx)
        return [Reply(text=ctx.t("order.no_history")), _prompt(ctx, cart)]
    dealer_name = ""
    for_other = ctx.is_staff or source.dealer_id != ctx.actor.dealer_id   # staff, or a parent for its sub-dealer
    if ctx.is_staff:
        dealer = await get_dealer(ctx.uow(), ctx.actor, source.dealer_id)
        dealer_name = f"{dealer.code} {dealer.name}"
    elif for_other:
        subs = await sub_dealers(ctx.uow(), ctx.actor, ctx.actor.dealer_id or 0)
        sub = next((d for d in subs if d.id == source.dealer_id), None)
        if sub is None:
            return _stale(ctx)
        dealer_name = f"{sub.code} {sub.name}"
    blocked = await _block_text(ctx, source.dealer_id, dealer_name)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    cart = Cart.new(dealer_id=source.dealer_id if for_other else None, dealer_name=dealer_name)
    for line in source.lines:
        cart.add(line.sku, line.qty)
    cart.save(ctx)
    return await _summary(ctx, cart, [ctx.t("order.reordered", number=source.number)])
