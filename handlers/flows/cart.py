"""The cart of an order in chat (``Cart``, kept in ``DialogState.data``), the texts of ordering, and the replies the
ordering modules share: the prompt, the priced summary with Confirm, the line editor, the dealer question.

Ordering is three modules, one way: ``handlers.flows.cart`` (this) <- ``handlers.flows.cart_edits`` (typed lines,
guided picking, editing the cart) <- ``handlers.flows.ordering`` (starting, confirming, restock, reorder; the
dialog states and buttons are listed there).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from core.errors import PermissionDenied
from core.money import ZERO, fmt_cny
from core.onboarding import ordering_block_reason
from core.orders import OrderLine
from core.pricing import DEALER_STATUS, Quote
from core.products import Product, line_limit
from core.services.order_changes import ChangeOrder, quote_change
from core.services.orders import QuoteOrder, quote_order
from core.users import Permission
from handlers import i18n
from handlers.catalogue import chat_catalogue
from handlers.context import PARKED_CART, Ctx
from handlers.flows.menu import main_menu, require_bound
from handlers.messages import Button, Reply
from handlers.router import payload
from nlu.schema import CatalogueEntry

MAX_QTY = 99_999
MAX_LINES = 30
MAX_DAYS_AHEAD = 180
QUICK_QTYS = (1, 5, 10, 20, 50)

i18n.register({
    "order.prompt": ("请直接输入要订的产品和数量，例如：\nAP300 20台，FL-AP300 5箱，下周三到\n或按分类选择：",
                     "Type the products and quantities, e.g.:\nAP300 x20, FL-AP300 5 boxes, by next Wednesday\n"
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
    "order.kept": ("（购物车已保留，{n} 个商品）", "(Your cart is kept: {n} line(s))"),
    "order.left_kept": ("已回到主菜单，购物车已保留（{n} 个商品），随时可以继续下单。",
                        "Back to the menu; your cart is kept ({n} line(s)) for when you go on ordering."),
    "order.left_empty": ("购物车是空的，已退出下单。", "The cart is empty; you have left ordering."),
    "order.cancel_kept": ("好的，购物车保留（{n} 个商品），可以继续下单。",
                          "OK, the cart is kept ({n} line(s)); go on ordering."),
    "order.done_said": ("好的，订单如下，确认无误请点 ✅ 确认下单：", "Here is the order; if it is right, tap ✅ Confirm order:"),
    "order.done_said_change": ("好的，修改后的订单如下，确认无误请点 ✅ 确认修改：",
                               "Here is the changed order; if it is right, tap ✅ Confirm the change:"),
    "order.busy": ("您正在下单（购物车里有 {n} 个商品），购物车会保留。可以继续输入产品，或：",
                   "You are in the middle of an order ({n} line(s) in the cart, kept for you). "
                   "Keep typing products, or:"),
    "order.btn.approve": ("✅ 通过", "✅ Approve"),
    "order.btn.reject": ("❌ 驳回", "❌ Reject"),
    "order.blocked": ("暂时不能下单：{reason}", "You cannot order right now: {reason}"),
    "order.blocked_for": ("{dealer} 暂时不能下单：{reason}", "{dealer} cannot order right now: {reason}"),
    "order.empty": ("购物车是空的。", "The cart is empty."),
    "order.no_cart": ("购物车是空的，直接输入要订的产品和数量即可，例如“AP300 来二十台”。",
                      "The cart is empty: type what you want and how many, e.g. \"AP300 x20\"."),
    "order.summary_title": ("🛒 订单确认", "🛒 Order summary"),
    "order.change_title": ("✏️ 修改订单 {number}（修改后的整张订单）", "✏️ Changing order {number} (the whole order after the change)"),
    "order.btn.change_ok": ("✅ 确认修改", "✅ Confirm the change"),
    "order.summary_for": ("客户：{dealer}（代客下单）", "Customer: {dealer} (on behalf)"),
    "order.line": ("{n}. {name}（{sku}）{qty}{unit} × {price} = {amount}",
                   "{n}. {name} ({sku}) {qty} {unit} x {price} = {amount}"),
    "order.line_discount": ("   促销优惠 −{discount}，折后 {net}", "   promotion −{discount}, net {net}"),
    "order.line_free": ("   赠送 {free}{unit}（价值 {value}，不收费）", "   {free} {unit} free (worth {value}, not charged)"),
    "order.free_goods": ("赠品：{goods}（价值 {value}，随货发出，不计入合计）",
                         "Free goods: {goods} (worth {value}, shipped with the order, not in the total)"),
    "order.subtotal": ("小计：{subtotal}", "Subtotal: {subtotal}"),
    "order.discount": ("优惠：−{discount}", "Discount: −{discount}"),
    "order.total": ("合计：{total}", "Total: {total}"),
    "order.delivery": ("交货日期：{date}", "Delivery date: {date}"),
    "order.note": ("备注：{note}", "Note: {note}"),
    "order.note_set": ("已记下订单备注：{note}", "The note is on the order: {note}"),
    "order.note_kept": ("已记下备注：{note}\n购物车还是空的，这条备注会写在您接下来这笔订单上（放弃购物车则一并删除）。",
                        "Noted: {note}\nThe cart is empty; the note goes on the order you make next (dropping the cart "
                        "drops it too)."),
    "order.delivery_none": ("交货日期：未指定（可在“修改”中设置）", "Delivery date: not set (set it under Edit)"),
    "order.checks": ("检查结果：", "Checks:"),
    "order.fix_first": ("请先修改标 ⚠️ 的问题再提交。", "Please fix the ⚠️ items before submitting."),
    "order.account_blocked": ("这不是购物车能改的：账户目前不能下单。请联系您的渠道经理（货款问题请联系财务）处理，"
                              "恢复后再提交；购物车会保留。",
                              "This is not something to change in the cart: the account may not order now. Please "
                              "contact your channel manager (finance for unpaid invoices); once it is restored, submit "
                              "again. The cart is kept."),
    "order.added": ("已加入购物车：{items}", "Added to the cart: {items}"),
    "order.added_line": ("已加入：{name} ×{qty}{unit}", "Added: {name} x{qty} {unit}"),
    "order.added_more": ("已加：{name} +{qty}（原 {had}，现共 {total}{unit}）",
                         "Added: {name} +{qty} (was {had}, now {total} {unit})"),
    "order.converted": ("（{written} = {qty}{unit}）", " ({written} = {qty} {unit})"),
    "order.set_to": ("已改为：{name} ×{qty}{unit}", "Changed: {name} is now x{qty} {unit}"),
    "order.removed": ("已删除：{name}", "Removed: {name}"),
    "order.less": ("已减：{name} −{qty}（原 {had}，现共 {total}{unit}）", "Fewer: {name} −{qty} (was {had}, now {total} {unit})"),
    "order.not_in_cart_less": ("购物车里没有 {name}，无法减少。", "{name} is not in the cart; nothing to take off."),
    "order.clear_ask": ("清空购物车（{n} 个商品）？", "Empty the cart ({n} items)?"),
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
    "order.over_limit_sum": ("{name} 购物车已有 {had}{unit}，再加 {added}{unit} 共 {qty}{unit}，每单最多 {limit}{unit}，"
                             "未修改。如确需更多，请联系订单台。",
                             "{name}: {had} {unit} in the cart and {added} more make {qty}; at most {limit} {unit} "
                             "per order, nothing changed. For more, contact the order desk."),
    "order.qty_negative": ("数量不能是负数（“{raw}”），这一项没有改动。",
                           "A quantity cannot be negative (\"{raw}\"); that line was not changed."),
    "order.qty_not_whole": ("数量须是整数（“{raw}”），这一项没有改动。",
                            "A quantity must be a whole number (\"{raw}\"); that line was not changed."),
    "order.qty_zero": ("数量须大于 0（“{raw}”），这一项没有改动。",
                       "A quantity must be more than 0 (\"{raw}\"); that line was not changed."),
    "order.unknown_product": ("没有找到产品 {word}。", "No product {word}."),
    "order.qty_of": ("（数量 {qty}）", " (qty {qty})"),
    "order.generic_pick": ("“{word}”{qty}：有好几种产品都叫这个，您要的是哪一种？",
                           "\"{word}\"{qty}: several products go by that name. Which one?"),
    "order.unknown_pick": ("没有找到“{word}”{qty}。您是不是要：", "\"{word}\"{qty} is not in the catalogue. Did you mean:"),
    "order.unknown_none": ("没有找到“{word}”{qty}这个产品，这一项没有加入。可以按分类选择：",
                           "\"{word}\"{qty} is not in the catalogue; it was not added. Choose by category:"),
    "order.date_set": ("交货日期已设为 {date}。", "Delivery date set to {date}."),
    "order.date_set_by": ("交货日期已设为不晚于 {date}（这天或之前送到）。",
                          "Delivery set to {date} at the latest (on or before that day)."),
    "order.delivery_by": ("交货日期：不晚于 {date}", "Delivery date: by {date} at the latest"),
    "order.note_by": ("交货不晚于 {date}", "deliver by {date} at the latest"),
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
    "order.change_done": ("✅ 订单 {number} 已修改\n状态：{status}\n金额：{total}（订单台已收到修改内容）",
                          "✅ Order {number} is changed\nStatus: {status}\nTotal: {total} (the order desk is told)"),
    "order.submitted_no_confirm": ("订单 {number} 已经提交了（{status}，{total}），无需再确认。",
                                   "Order {number} is in already ({status}, {total}); nothing more to confirm."),
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
    "order.reorder_none": ("没有找到您说的那张订单，没有复制。可以在订单列表里选一张“再来一单”：",
                           "No order fits what you said; nothing was copied. Pick one in your order list:"),
    "order.reorder_pick": ("找到 {n} 张订单，要复制哪一张？", "{n} orders fit. Which one should be copied?"),
    "order.reorder_ask": ("购物车里已有 {n} 个商品。订单 {number} 的商品要怎么处理？",
                          "The cart already holds {n} line(s). What should be done with the lines of order {number}?"),
    "order.btn.reorder_add": ("➕ 加入购物车", "➕ Add to the cart"),
    "order.btn.reorder_new": ("🔄 替换购物车", "🔄 Replace the cart"),
    "order.btn.reorder_keep": ("❌ 取消（购物车不变）", "❌ Cancel (cart unchanged)"),
    "order.reorder_added": ("已把订单 {number} 的商品加入购物车。", "Added the lines of order {number} to the cart."),
    "order.ask_dealer": ("代客下单：请输入经销商编号或名称（例如 D0001 或 华信）。",
                         "Order for a dealer: type the dealer code or name (e.g. D0001)."),
    "order.dealer_none": ("没有找到经销商“{q}”，请重新输入编号或名称。",
                          "No dealer matches \"{q}\". Type a code or a name again."),
    "order.dealer_pick": ("找到多个经销商，请选择：", "Several dealers match; choose one:"),
    "order.dealer_left": ("（代客下单已退出：还没有选经销商。）", "(The order for a dealer was left: no dealer was chosen.)"),
    "order.dealer_waits": ("（代客下单还在等您输入经销商编号或名称。）",
                           "(The order for a dealer still waits for a dealer code or name.)"),
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
    amends: str | None = None           # a submitted order being changed (handlers.flows.order_changes)
    version: int = 0                    # that order's version when the change began
    note: str = ""                      # "备注：卸货需要叉车": submitted with the order
    delivery_by: bool = False           # "deliver before Dec 20": ``delivery`` is the latest day, not the day

    @classmethod
    def new(cls, dealer_id: int | None = None, dealer_name: str = "") -> Cart:
        return cls(nonce=secrets.token_hex(6), dealer_id=dealer_id, dealer_name=dealer_name)

    @classmethod
    def load(cls, ctx: Ctx) -> Cart | None:
        data = ctx.dialog.data
        if not ctx.dialog.state.startswith("order.") or not isinstance(data.get("nonce"), str):
            return None
        return cls._of(data)

    @classmethod
    def parked(cls, ctx: Ctx) -> Cart | None:
        """The cart with lines the dealer left for another form (a sell-out report asked mid-order...), kept by
        ``Ctx.go``; None when there is none or ordering is open."""
        data = ctx.dialog.data.get(PARKED_CART)
        if ctx.dialog.state.startswith("order.") or not isinstance(data, dict) or not isinstance(data.get("nonce"), str):
            return None
        return cls._of(data)

    @classmethod
    def _of(cls, data: dict[str, Any]) -> Cart:
        delivery = data.get("delivery")
        return cls(nonce=data["nonce"],
                   # a list of pairs, not a dict: JSON columns may not keep key order
                   items={str(sku): int(qty) for sku, qty in data.get("items", [])},
                   delivery=date.fromisoformat(delivery) if delivery else None,
                   dealer_id=data.get("dealer_id"), dealer_name=data.get("dealer_name", ""),
                   rev=int(data.get("rev", 0)), last=data.get("last"), amends=data.get("amends"),
                   version=int(data.get("version", 0)), note=str(data.get("note") or ""),
                   delivery_by=bool(data.get("delivery_by")))

    def save(self, ctx: Ctx, state: str = "order.cart", **extra: Any) -> None:
        ctx.go(state, nonce=self.nonce, items=[[sku, qty] for sku, qty in self.items.items()],
               delivery=self.delivery.isoformat() if self.delivery else None, dealer_id=self.dealer_id,
               dealer_name=self.dealer_name, rev=self.rev, last=self.last, **({"note": self.note} if self.note else {}),
               **({"delivery_by": True} if self.delivery and self.delivery_by else {}),
               **({"amends": self.amends, "version": self.version} if self.amends else {}), **extra)

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


def order_dealer_id(ctx: Ctx, cart: Cart) -> int | None:
    """The dealer the order is for: a dealer's own, the sub-dealer its parent chose (handlers.flows.subdealers;
    core checks the parent again), or the one staff chose."""
    if ctx.is_dealer:
        return cart.dealer_id if cart.dealer_id is not None else ctx.actor.dealer_id
    return cart.dealer_id


def may_order_for_others(ctx: Ctx) -> bool:
    return ctx.is_staff and Permission.ORDER_PLACE_ON_BEHALF in ctx.actor.permissions


def stale_cart(ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("order.stale"),
                  buttons=[[Button(ctx.t("btn.order"), payload("order.new")),
                            Button(ctx.t("order.btn.menu"), payload("menu"))]])]


def cart_for(ctx: Ctx, nonce: str) -> Cart | None:
    cart = Cart.load(ctx)
    return cart if cart is not None and cart.nonce == nonce else None


# --- small readers ----------------------------------------------------------------------------------

async def block_text(ctx: Ctx, dealer_id: int, dealer_name: str = "") -> str | None:
    """Why the dealer may not order now (qualifications, suspension), in the chat's language."""
    async with ctx.uow().autocommit() as uow:
        dealer, documents = await uow.dealer_snapshot(dealer_id)
        if dealer is None:
            return None
    reason = ordering_block_reason(dealer, documents, ctx.deps.clock.today())
    if reason is None:
        return None
    text = ctx.pick(*reason)
    if dealer_name:
        return ctx.t("order.blocked_for", dealer=dealer_name, reason=text)
    return ctx.t("order.blocked", reason=text)




async def catalogue_entries(ctx: Ctx) -> list[CatalogueEntry]:
    return await chat_catalogue(ctx)


def fmt_date(ctx: Ctx, d: date) -> str:
    if ctx.en:
        return f"{d:%a} {d.isoformat()}"
    return f"{d.isoformat()}（周{_WEEKDAYS_ZH[d.weekday()]}）"


def check_delivery(ctx: Ctx, d: date) -> str | None:
    today = ctx.deps.clock.today()
    if d <= today:
        return ctx.t("order.date_past", today=today.isoformat())
    if d > today + timedelta(days=MAX_DAYS_AHEAD):
        return ctx.t("order.date_far", days=MAX_DAYS_AHEAD)
    return None


def qty_arg(raw: str) -> int | None:
    qty = int(raw) if raw.isdigit() else None
    return qty if qty is not None and 1 <= qty <= MAX_QTY else None


def id_arg(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


# --- replies ----------------------------------------------------------------------------------------

def cart_prompt(ctx: Ctx, cart: Cart) -> Reply:
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


async def cart_summary(ctx: Ctx, cart: Cart, lead: list[str] | None = None) -> list[Reply]:
    """The priced cart (``quote_order``) with every check, and Confirm / Edit / Cancel."""
    lead = lead or []
    if not cart.items:
        return [Reply(text="\n".join([*lead, ctx.t("order.empty")])), cart_prompt(ctx, cart)]
    dealer_id = order_dealer_id(ctx, cart)
    if dealer_id is None:
        return await ask_dealer(ctx, pending=cart.items)
    if cart.amends:           # a submitted order being changed: priced as the change will be (its charge given back)
        quote = await quote_change(ctx.uow(), ctx.actor, ChangeOrder(cart.amends, list(cart.items.items()),
                                                                     cart.version), ctx.deps.clock)
    else:
        quote = await quote_order(ctx.uow().autocommit(), ctx.actor,
                                  QuoteOrder(dealer_id=dealer_id, items=list(cart.items.items())), ctx.deps.clock)
    units = quote.units
    out = [*lead, ctx.t("order.change_title", number=cart.amends) if cart.amends else ctx.t("order.summary_title")]
    if cart.dealer_name:
        out.append(ctx.t("order.summary_for", dealer=cart.dealer_name))
    out.extend(_quote_lines(ctx, quote, units))
    out.append(ctx.t("order.delivery_by" if cart.delivery_by else "order.delivery", date=fmt_date(ctx, cart.delivery))
               if cart.delivery else ctx.t("order.delivery_none"))
    if cart.note:
        out.append(ctx.t("order.note", note=cart.note))
    out.append(ctx.t("order.checks"))
    out.extend(_check_line(ctx, c.ok, c.message(ctx.lang)) for c in quote.checks)
    rows: list[list[Button]] = []
    if quote.can_submit and cart.amends:
        rows.append([Button(ctx.t("order.btn.change_ok"), payload("order.confirm", cart.nonce, cart.rev))])
    elif quote.can_submit:
        rows.append([Button(ctx.t("order.btn.confirm"), payload("order.confirm", cart.nonce, cart.rev))])
    elif any(not c.ok and c.code == DEALER_STATUS for c in quote.checks):   # suspended: who to ask (QA s27 P22)
        out.append(ctx.t("order.account_blocked"))
    else:
        out.append(ctx.t("order.fix_first"))
    rows.append([Button(ctx.t("order.btn.edit"), payload("order.edit", cart.nonce)),
                 Button(ctx.t("order.btn.cancel"), payload("order.cancel", cart.nonce))])
    return [Reply(text="\n".join(out), buttons=rows)]


def _quote_lines(ctx: Ctx, quote: Quote, units: dict[str, str]) -> list[str]:
    out = []
    for n, line in enumerate(quote.lines, 1):
        unit = units.get(line.sku, "")
        # the line's own arithmetic (qty × price), then what the promotion takes off it: the numbers a dealer checks
        # add up on every line, and the lines' gross amounts add up to the subtotal
        out.append(ctx.t("order.line", n=n, name=line.name, sku=line.sku, qty=line.qty, unit=unit,
                         price=fmt_cny(line.unit_price), amount=fmt_cny(line.unit_price * line.qty)))
        if line.discount:
            out.append(ctx.t("order.line_discount", discount=fmt_cny(line.discount), net=fmt_cny(line.amount)))
        if line.free_qty:
            out.append(ctx.t("order.line_free", free=line.free_qty, unit=unit,
                             value=fmt_cny(line.unit_price * line.free_qty)))
    out.append(ctx.t("order.subtotal", subtotal=fmt_cny(quote.subtotal)))
    out.extend(benefit_lines(ctx, quote.lines, units))
    out.append(ctx.t("order.total", total=fmt_cny(quote.total)))
    return out


def benefit_lines(ctx: Ctx, lines: Sequence[OrderLine], units: Mapping[str, str]) -> list[str]:
    """What promotions give an order, said the same in the cart, the reply to its submission and its card: the
    money off its lines ("优惠：−¥…"), then the free goods ("买十送一") with their value, which is in no total (they are
    not charged) but is the dealer's benefit all the same."""
    out = []
    discount = sum((line.discount for line in lines), ZERO)
    if discount:
        out.append(ctx.t("order.discount", discount=fmt_cny(discount)))
    free = [line for line in lines if line.free_qty]
    if free:
        goods = ("、" if not ctx.en else ", ").join(f"{line.sku} ×{line.free_qty}{units.get(line.sku, '')}"
                                                     for line in free)
        value = sum((line.unit_price * line.free_qty for line in free), ZERO)
        out.append(ctx.t("order.free_goods", goods=goods, value=fmt_cny(value)))
    return out


async def cart_editor(ctx: Ctx, cart: Cart, lead: list[str] | None = None) -> list[Reply]:
    if not cart.items:
        return [Reply(text="\n".join([*(lead or []), ctx.t("order.empty")])), cart_prompt(ctx, cart)]
    names = {sku: p.name for sku, p in (await products_by_sku(ctx, list(cart.items))).items()}
    out = [*(lead or []), ctx.t("order.edit_title")]
    rows: list[list[Button]] = []
    for n, (sku, qty) in enumerate(cart.items.items(), 1):
        out.append(ctx.t("order.edit_line", n=n, name=names.get(sku, sku), sku=sku, qty=qty))
        rows.append([Button("➖", payload("order.dec", cart.nonce, sku)),
                     Button(f"{sku} ×{qty}", payload("order.set", cart.nonce, sku)),
                     Button("➕", payload("order.inc", cart.nonce, sku)),
                     Button("🗑", payload("order.rm", cart.nonce, sku))])
    out.append(ctx.t("order.delivery_by" if cart.delivery_by else "order.delivery", date=fmt_date(ctx, cart.delivery))
               if cart.delivery else ctx.t("order.delivery_none"))
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


async def ask_dealer(ctx: Ctx, pending: dict[str, int] | None = None) -> list[Reply]:
    """Staff: who is this order for? Items typed before the dealer is known are kept."""
    if not may_order_for_others(ctx):
        raise PermissionDenied()
    ctx.go("order.dealer", pending=[[sku, qty] for sku, qty in (pending or {}).items()])
    return [Reply(text=ctx.t("order.ask_dealer"))]


async def open_cart(ctx: Ctx) -> Cart | list[Reply]:
    """The open cart, the one parked when another form was opened mid-order, or a new one; replies instead when the
    user may not order (blocked, no dealer)."""
    cart = Cart.load(ctx) or Cart.parked(ctx)
    if cart is not None and order_dealer_id(ctx, cart) is not None:
        return cart
    if ctx.is_staff:
        return await ask_dealer(ctx)
    if Permission.ORDER_PLACE_OWN not in ctx.actor.permissions or ctx.actor.dealer_id is None:
        raise PermissionDenied()
    blocked = await block_text(ctx, ctx.actor.dealer_id)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    return Cart.new()


async def started_cart(ctx: Ctx) -> Cart | list[Reply]:
    """For a bound user: the open cart or a new one, saved as the dialog (else the replies that refuse)."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = await open_cart(ctx)
    if isinstance(cart, Cart):
        cart.save(ctx)
    return cart


def pressed_cart(ctx: Ctx) -> Cart | list[Reply]:
    """The cart a button's nonce (its first argument) names, if it is still the open one; else the replies for a
    stale button (or for a user no longer bound)."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    cart = cart_for(ctx, button_nonce(ctx))
    return cart if cart is not None else stale_cart(ctx)


async def order_benefit_lines(ctx: Ctx, lines: Sequence[OrderLine]) -> list[str]:
    """``benefit_lines`` of a stored order's lines, the units of its free goods read from the catalogue."""
    free = [line.sku for line in lines if line.free_qty]
    units = {sku: p.unit for sku, p in (await products_by_sku(ctx, free)).items()}
    return benefit_lines(ctx, lines, units)


# --- shared by the cart's buttons and texts -----------------------------------------------------------

def button_nonce(ctx: Ctx) -> str:
    return ctx.args[0] if ctx.args else ""


def over_limit(ctx: Ctx, product: Product, qty: int, had: int = 0) -> str | None:
    """The refusal of a line of ``qty`` (``had`` of it in the cart already, the rest added now), or None."""
    limit = line_limit(product)
    if qty > limit and had:
        return ctx.t("order.over_limit_sum", name=product.name, limit=limit, unit=product.unit, had=had,
                     added=qty - had, qty=qty)
    if qty > limit:
        return ctx.t("order.over_limit", name=product.name, limit=limit, unit=product.unit, qty=qty)
    return None


async def products_by_sku(ctx: Ctx, skus: list[str]) -> dict[str, Product]:
    """The products of ``skus``: from the catalogue kept per process when it holds them all (every edit of a cart
    read them again before its quote), else from the database."""
    if not skus:
        return {}
    kept = ctx.deps.catalogue.products(skus)
    if kept is not None:
        return kept
    async with ctx.uow().autocommit() as uow:
        return {p.sku: p for p in await uow.products.list(sku__in=skus)}


def decision_row(ctx: Ctx, number: str, version: int) -> list[Button]:
    """✅ 通过 / ❌ 驳回 of an order waiting for approval, carrying the version shown (a press after the dealer changed
    the order decides nothing: handlers.flows.staff_orders); the chat's own prompts (the order's card, the order just
    placed on a dealer's behalf). The pushed prompt (notifications.kinds_business) carries the same payloads."""
    return [Button(ctx.t("order.btn.approve"), payload("staff.order.approve", number, version)),
            Button(ctx.t("order.btn.reject"), payload("staff.order.reject", number, version))]

