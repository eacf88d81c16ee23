"""A parent dealer (一级经销商) and its sub-dealers in chat.

What a parent reads of its direct sub-dealers is decided in one place, ``core.authz.readable_dealer_ids``
(orders, stock and sell-out; money accounts only when its contract says so, ``Dealer.sub_accounts_visible``);
this module only shows what the use cases return.

Typed (a text hook, before the parser; dealers only): "下级经销商的订单", "我下面的店卖了多少", "D0003 的库存",
"sub-dealer orders", "给 D0003 下单 AP300 10台" (a cart for the sub-dealer: its prices, checked again by core),
"D0003 的余额" (refused unless the contract allows). A code that is not one of the dealer's sub-dealers is left
to the parser, which answers as for any unknown word: nothing tells another dealer exists.

Buttons: ``sub.list``, ``sub.orders|<id>``, ``sub.stock|<id>``, ``sub.sales|<id>``, ``sub.order|<id>``
(every id checked against the dealer's own sub-dealers), and the parent approval of a sub-dealer's order
(``Dealer.approves_sub_orders``): ``sub.order.ok|<number>|<version>``, ``sub.order.no|<number>|<version>``
(asks for the reason: state ``sub.reject``).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from decimal import Decimal

from core.authz import DealerRecord, dealer_family, readable_dealer_ids
from core.dealers import Dealer
from core.errors import Conflict, DomainError, InvalidTransition, NotFound
from core.money import fmt_cny
from core.order_states import status_label
from core.services.accounts import get_balances
from core.services.dealers import sub_dealers
from core.services.inventory import list_dealer_stock
from core.services.orders import ParentDecision, list_orders, parent_decide
from core.services.sellout import list_sellout
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows import cart, cart_edits, ordering
from handlers.flows.forms import menu_button, require_dealer
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.dealer_asked import other_dealer_figures_asked
from nlu.schema import Intent

router = Router(name=__name__)

MAX_ROWS = 10

i18n.register({
    "sub.none": ("您名下没有下级经销商。", "You have no sub-dealers."),
    "sub.not_yours_read": ("{codes} 不是您的下级经销商：您只能查看自己和下级经销商的订单、库存和动销。",
                           "{codes} is not one of your sub-dealers: you see only your own and your sub-dealers' "
                           "orders, stock and sell-out."),
    "sub.parent_closed": ("上级经销商的订单、库存、动销和资金账户不对下级开放。您的上级是谁，可在“我的资料”中查看。",
                          "Your parent dealer's orders, stock, sell-out and money are not open to you; who it is "
                          "shows in My profile."),
    "sub.not_yours": ("{codes} 不是您的下级经销商：只能为自己的下级经销商下单。要给自己下单，请直接输入产品和数量。",
                      "{codes} is not one of your sub-dealers: you may order only for your own sub-dealers. To "
                      "order for yourself, type the products and quantities."),
    "sub.list": ("👥 您的下级经销商（可查看订单、库存和动销，可代其下单）：",
                 "👥 Your sub-dealers (you see their orders, stock and sell-out and may order for them):"),
    "sub.item": ("{code} {name}（{city}，{status}）", "{code} {name} ({city}, {status})"),
    "sub.btn.orders": ("📦 {code} 订单", "📦 {code} orders"),
    "sub.btn.stock": ("🏪 {code} 库存", "🏪 {code} stock"),
    "sub.btn.sales": ("📈 {code} 动销", "📈 {code} sell-out"),
    "sub.btn.order": ("🛒 为 {code} 下单", "🛒 Order for {code}"),
    "sub.btn.list": ("👥 下级经销商", "👥 Sub-dealers"),
    "sub.orders": ("📦 {who} 最近的订单：", "📦 Latest orders of {who}:"),
    "sub.orders.none": ("{who} 暂无订单。", "{who}: no orders."),
    "sub.order_line": ("{number} · {dealer} · {status} · {total}{wait}", "{number} · {dealer} · {status} · {total}{wait}"),
    "sub.order_wait": ("（待您审批）", " (waiting for your approval)"),
    "sub.order_held": ("（暂缓处理）", " (on hold)"),
    "sub.all": ("下级经销商", "your sub-dealers"),
    "sub.stock": ("🏪 {code} {name} 的库存（最近一次盘点）：", "🏪 Stock of {code} {name} (last stocktake):"),
    "sub.stock.line": ("{sku}：{qty}（{at}）", "{sku}: {qty} ({at})"),
    "sub.stock.none": ("{code} {name} 还没有上报过库存。", "{code} {name} has not reported its stock yet."),
    "sub.sales": ("📈 {who} 本月动销（{since} 起）：", "📈 Sell-out of {who} this month (since {since}):"),
    "sub.sales.dealer": ("{code} {name}：{qty} 件，{amount}", "{code} {name}: {qty} units, {amount}"),
    "sub.sales.sku": ("  · {sku} {qty} 件", "  · {sku} {qty} units"),
    "sub.sales.none": ("{who} 本月还没有上报动销。", "{who}: no sell-out reported this month."),
    "sub.money_closed": ("下级经销商的资金账户（余额、对账单、返利、信用额度）不对上级开放；如合同另有约定，请联系厂家渠道经理开通。",
                         "Your sub-dealers' money accounts (balances, statements, rebates, credit) are not open to "
                         "you; if your contract says otherwise, ask the maker's channel manager to open them."),
    "sub.balances": ("💰 {code} {name} 的账户余额（合同约定可查看）：\n预存款：{prepayment}\n返利：{rebate}\n"
                     "保证金：{deposit}\n信用额度：{limit}",
                     "💰 Balances of {code} {name} (open to you by contract):\nPrepayment: {prepayment}\n"
                     "Rebate: {rebate}\nDeposit: {deposit}\nCredit limit: {limit}"),
    "sub.ask_reason": ("请输入驳回 {number} 的原因（发送“取消”放弃）：",
                       "Type the reason to reject {number} (or \"cancel\"):"),
    "sub.approved": ("✅ 已同意 {number}，已转厂家审核。", "✅ {number} approved; the maker reviews it next."),
    "sub.rejected": ("已驳回 {number}，已通知下级经销商，款项已退回其账户。",
                     "{number} rejected; the sub-dealer is told and refunded."),
    "sub.decided": ("{number} 已处理，无需再次操作。", "{number} was handled already."),
})

# "下级经销商", "我下面的店", "二级", "分销商", "sub-dealer(s)", "my dealers"
_SUB_WORDS = re.compile(r"下级|下面(?:的|几家|这几家|那几家|各家|所有)?(?:店|门店|经销商|分销商|网点)|下属|"
                        r"二级(?:经销商|商)?|子经销商|分销商|sub[- ]?dealers?|my dealers", re.IGNORECASE)
_PARENT_WORDS = re.compile(r"上级|上面的?(?:经销商|总代|代理)|总代|parent dealer", re.IGNORECASE)
# a dealer code: the default D0001 shape, or any letter and four or more digits ("A0001"); product models
# (AP300, DH20, F300) are not read as dealer codes, so a message about products costs no look-up here
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{4,}(?![0-9])")


def _mentions(text: str, code: str) -> bool:
    """``code`` written as a word of ``text`` (not inside a longer code)."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", text, re.IGNORECASE) is not None
_PLACE = re.compile(r"下单|下个单|代下单|代订|(?:给|帮|替|为).{0,16}?(?:订(?!单)|下(?:个)?单|进货|要货|补货?(?=\s*[\d一二三四五六七八九十两几]))|"
                    r"\b(?:order|buy)\b.{0,40}\bfor\b|\bplace an order\b", re.IGNORECASE)
_MONEY = re.compile(r"余额|账户|对账|账单|返利|信用|额度|欠|回款|货款|付款|打款|预存|保证金|多少钱|balance|statement|"
                    r"rebate|credit|account|owe",
                    re.IGNORECASE)
_STOCK = re.compile(r"库存|存货|有货|还有多少货|stock|inventory", re.IGNORECASE)
_SALES = re.compile(r"卖|销量|动销|销售|出货|sold|sales|sell", re.IGNORECASE)
_ORDERS = re.compile(r"订单|单子|进货|进了|采购|订了|orders?\b|purchases|bought", re.IGNORECASE)


async def _own_code(ctx: Ctx) -> list[str]:
    async with ctx.uow() as uow:
        own = await uow.dealers.get(ctx.actor.dealer_id or 0)
    return [own.code] if own is not None else []


async def _subs(ctx: Ctx) -> list[Dealer]:
    assert ctx.actor.dealer_id is not None
    return await sub_dealers(ctx.uow(), ctx.actor, ctx.actor.dealer_id)


def _sub_arg(ctx: Ctx, subs: list[Dealer]) -> Dealer | None:
    """The sub-dealer a button names, only if it is one of the dealer's own (payloads are never trusted)."""
    wanted = ctx.args[0] if ctx.args else ""
    return next((d for d in subs if str(d.id) == wanted), None)


def _buttons(ctx: Ctx, dealer: Dealer) -> list[Button]:
    return [Button(ctx.t("sub.btn.orders", code=dealer.code), payload("sub.orders", dealer.id or 0)),
            Button(ctx.t("sub.btn.stock", code=dealer.code), payload("sub.stock", dealer.id or 0)),
            Button(ctx.t("sub.btn.sales", code=dealer.code), payload("sub.sales", dealer.id or 0))]


def _overview(ctx: Ctx, subs: list[Dealer]) -> list[Reply]:
    from core.dealer_states import STATUS_LABELS

    lines = [ctx.t("sub.list")]
    rows: list[list[Button]] = []
    for d in subs:
        lines.append(ctx.t("sub.item", code=d.code, name=d.name, city=d.city, status=ctx.pick(*STATUS_LABELS[d.status])))
        rows.append(_buttons(ctx, d))
        rows.append([Button(ctx.t("sub.btn.order", code=d.code), payload("sub.order", d.id or 0))])
    rows.append([menu_button(ctx)])
    return [Reply(text="\n".join(lines), buttons=rows[:20])]


# --- typed ----------------------------------------------------------------------------------------------

async def _figures_of_a_name(ctx: Ctx, text: str) -> list[Reply] | None:
    """"上海金鼎最近卖了多少": a company named by its name whose figures are asked. One of the dealer's sub-dealers (or
    itself): None, the usual answer; a product ("除湿机最近卖了多少"): None; any other name: the dealer sees only its
    own and its sub-dealers' figures, in the same words whether a dealer of that name exists or not (QA s28 #22: the
    asker's own figures were shown under no name)."""
    who = other_dealer_figures_asked(text)
    if who is None:
        return None
    parsed = await parse_message(ctx)
    if parsed.intent not in (Intent.SALES_QUERY, Intent.QUERY_STOCK, Intent.ORDER_STATUS) or parsed.slots.product \
            or parsed.slots.items or any(u.candidates for u in parsed.slots.unresolved):
        return None     # "报一下销量": a sell-out report begun, no company asked about
    async with ctx.uow() as uow:
        own = await uow.dealers.get(ctx.actor.dealer_id or 0)
    if own is not None and (who in own.name or own.name in who):
        return None
    subs = await _subs(ctx)
    named = [d for d in subs if who in d.name or d.name in who]
    if named:           # "苏州安居最近卖了多少": that sub-dealer's figures, as its code gets them
        if _STOCK.search(text):
            return await _stock(ctx, named)
        if _ORDERS.search(text) and not _SALES.search(text):
            return await _orders(ctx, named, subs)
        return await _sales(ctx, named, subs)
    return [Reply(text=ctx.t("sub.not_yours_read", codes=f"“{who}”"), buttons=[[menu_button(ctx)]])]


@router.text_hook
async def typed(ctx: Ctx) -> list[Reply] | None:
    """A dealer's message about its sub-dealers; None (the parser reads it) for anything else."""
    if not ctx.is_dealer or ctx.actor.dealer_id is None or ctx.inbound.kind != InboundKind.TEXT:
        return None
    text = ctx.inbound.text.strip()
    codes = {c.upper() for c in _CODE.findall(text)}
    subs = await _subs(ctx) if codes or _SUB_WORDS.search(text) or _PARENT_WORDS.search(text) else []
    chosen = [d for d in subs if _mentions(text, d.code)]
    codes |= {d.code.upper() for d in chosen}
    if not codes and not _SUB_WORDS.search(text) and not _PARENT_WORDS.search(text):
        return await _figures_of_a_name(ctx, text)
    if codes and not chosen:
        if codes == {own.upper() for own in await _own_code(ctx)}:
            return None      # its own code: the usual answer
        # "给 D0008 下单", "D0008 卖了多少": never the dealer's own cart or figures in silence as if they were
        # D0008's; the same words for any code, whether a dealer has it or not
        if _PLACE.search(text):
            return [Reply(text=ctx.t("sub.not_yours", codes="、".join(sorted(codes))), buttons=[[menu_button(ctx)]])]
        if _MONEY.search(text) or _STOCK.search(text) or _SALES.search(text) or _ORDERS.search(text):
            return [Reply(text=ctx.t("sub.not_yours_read", codes="、".join(sorted(codes))),
                          buttons=[[menu_button(ctx)]])]
        return None
    if not codes and not _SUB_WORDS.search(text):       # about its parent: "上级的库存", "我的上级是谁"
        if _MONEY.search(text) or _STOCK.search(text) or _SALES.search(text) or _ORDERS.search(text):
            return [Reply(text=ctx.t("sub.parent_closed"), buttons=[[menu_button(ctx)]])]
        return None      # who the parent is: the profile answers
    if not subs:
        return [Reply(text=ctx.t("sub.none"))]
    targets = chosen or subs
    if _PLACE.search(text) and len(targets) == 1:
        return await _order_for(ctx, targets[0], text)
    if _PLACE.search(text):
        return [Reply(text=ctx.t("sub.list"), buttons=[[Button(ctx.t("sub.btn.order", code=d.code),
                                                               payload("sub.order", d.id or 0))] for d in subs])]
    if _MONEY.search(text):
        return await _money(ctx, targets)
    if _STOCK.search(text):
        return await _stock(ctx, targets)
    if _SALES.search(text):
        return await _sales(ctx, targets, subs)
    if _ORDERS.search(text):
        return await _orders(ctx, targets, subs)
    return _overview(ctx, targets)


# --- what the parent reads --------------------------------------------------------------------------------

def _who(ctx: Ctx, targets: list[Dealer], subs: list[Dealer]) -> str:
    """One sub-dealer named, or "your sub-dealers" for all of them."""
    if len(targets) == 1:
        return f"{targets[0].code} {targets[0].name}"
    return ctx.t("sub.all")


async def _orders(ctx: Ctx, targets: list[Dealer], subs: list[Dealer]) -> list[Reply]:
    ids = {d.id for d in targets}
    names = {d.id: d.code for d in subs}
    found = [o for o in await list_orders(ctx.uow(), ctx.actor, limit=200) if o.dealer_id in ids][:MAX_ROWS]
    who = _who(ctx, targets, subs)
    if not found:
        return [Reply(text=ctx.t("sub.orders.none", who=who), buttons=[[menu_button(ctx)]])]
    lines = [ctx.t("sub.orders", who=who)]
    rows: list[list[Button]] = []
    for o in found:
        wait = ctx.t("sub.order_wait") if o.parent_approval == "pending" else (
            ctx.t("sub.order_held") if o.held_reason else "")
        lines.append(ctx.t("sub.order_line", number=o.number, dealer=names.get(o.dealer_id, ""),
                           status=status_label(o.status, ctx.lang), total=fmt_cny(o.total), wait=wait))
        if o.parent_approval == "pending":
            rows.append([Button(f"✅ {o.number}", payload("sub.order.ok", o.number, o.version)),
                         Button(ctx.pick("❌ 驳回", "❌ Reject"), payload("sub.order.no", o.number, o.version))])
        else:
            rows.append([Button(f"📄 {o.number}", payload("orders.detail", o.number))])
    rows.append([Button(ctx.t("sub.btn.list"), payload("sub.list")), menu_button(ctx)])
    return [Reply(text="\n".join(lines), buttons=rows)]


async def _stock(ctx: Ctx, targets: list[Dealer]) -> list[Reply]:
    out: list[str] = []
    for d in targets[:MAX_ROWS]:
        rows = await list_dealer_stock(ctx.uow(), ctx.actor, d.id or 0)
        if not rows:
            out.append(ctx.t("sub.stock.none", code=d.code, name=d.name))
            continue
        out.append(ctx.t("sub.stock", code=d.code, name=d.name))
        for r in rows:
            at = r.reported_at.astimezone(ctx.deps.clock.tz).date().isoformat() if r.reported_at else "-"
            out.append(ctx.t("sub.stock.line", sku=r.sku, qty=r.qty, at=at))
    buttons = [_buttons(ctx, targets[0])] if len(targets) == 1 else []
    return [Reply(text="\n".join(out), buttons=[*buttons, [Button(ctx.t("sub.btn.list"), payload("sub.list")),
                                                           menu_button(ctx)]])]


async def _sales(ctx: Ctx, targets: list[Dealer], subs: list[Dealer]) -> list[Reply]:
    today = ctx.deps.clock.today()
    since = today.replace(day=1)
    who = _who(ctx, targets, subs)
    lines = [ctx.t("sub.sales", who=who, since=since.isoformat())]
    any_sold = False
    for d in targets[:MAX_ROWS]:
        sold = await list_sellout(ctx.uow(), ctx.actor, dealer_id=d.id, since=since, until=today, limit=5000)
        if not sold:
            continue
        any_sold = True
        per_sku: dict[str, int] = defaultdict(int)
        for line in sold:
            per_sku[line.sku] += line.qty
        amount = sum((line.amount for line in sold), Decimal("0.00"))
        lines.append(ctx.t("sub.sales.dealer", code=d.code, name=d.name, qty=sum(per_sku.values()),
                           amount=fmt_cny(amount)))
        for sku, qty in sorted(per_sku.items(), key=lambda kv: -kv[1])[:5]:
            lines.append(ctx.t("sub.sales.sku", sku=sku, qty=qty))
    if not any_sold:
        lines = [ctx.t("sub.sales.none", who=who)]
    return [Reply(text="\n".join(lines), buttons=[[Button(ctx.t("sub.btn.list"), payload("sub.list")),
                                                   menu_button(ctx)]])]


async def _money(ctx: Ctx, targets: list[Dealer]) -> list[Reply]:
    async with ctx.uow() as uow:
        family = await dealer_family(uow, ctx.actor)
    readable = readable_dealer_ids(ctx.actor, DealerRecord.ACCOUNTS, family) or frozenset()
    if not all(d.id in readable for d in targets):
        return [Reply(text=ctx.t("sub.money_closed"), buttons=[[menu_button(ctx)]])]
    out = []
    for d in targets[:MAX_ROWS]:
        overview = await get_balances(ctx.uow(), ctx.actor, d.id or 0, ctx.deps.clock)
        b = overview.balances
        out.append(ctx.t("sub.balances", code=d.code, name=d.name, prepayment=fmt_cny(b.prepayment),
                         rebate=fmt_cny(b.rebate), deposit=fmt_cny(b.deposit), limit=fmt_cny(overview.credit_limit)))
    return [Reply(text="\n\n".join(out), buttons=[[menu_button(ctx)]])]


# --- ordering on a sub-dealer's behalf ---------------------------------------------------------------------

async def _order_for(ctx: Ctx, dealer: Dealer, text: str) -> list[Reply]:
    """A cart for the sub-dealer (its prices; core checks again that the actor is its parent), with the lines the
    message names ("给 D0003 下单 AP300 10台"), shown as the usual summary to change or confirm."""
    label = f"{dealer.code} {dealer.name}"
    blocked = await cart.block_text(ctx, dealer.id or 0, label) or await cart.block_text(
        ctx, ctx.actor.dealer_id or 0)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked, buttons=[[menu_button(ctx)]])]
    cart.Cart.new(dealer_id=dealer.id, dealer_name=label).save(ctx)
    rest = _CODE.sub(" ", _PLACE.sub(" ", text))
    rest = re.sub(r"(?:给|帮|替|为)\s*(?:的)?", " ", rest).strip(" ，,。:：")
    if rest:
        original = ctx.inbound
        ctx.inbound = dataclasses.replace(original, text=rest)
        try:
            parsed = await parse_message(ctx)
        finally:
            ctx.inbound = original
        if parsed.slots.items or parsed.slots.unresolved:
            ctx.parsed = parsed.model_copy(update={"intent": Intent.PLACE_ORDER})
            return await cart_edits.order_intent(ctx)
    return await ordering.new_order(ctx)


@router.button("sub.order")
async def order_pressed(ctx: Ctx) -> list[Reply]:
    if (refused := require_dealer(ctx)) is not None:
        return refused
    dealer = _sub_arg(ctx, await _subs(ctx))
    if dealer is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    return await _order_for(ctx, dealer, "")


# --- buttons ----------------------------------------------------------------------------------------------

@router.button("sub.list")
async def list_pressed(ctx: Ctx) -> list[Reply]:
    if (refused := require_dealer(ctx)) is not None:
        return refused
    subs = await _subs(ctx)
    return _overview(ctx, subs) if subs else [Reply(text=ctx.t("sub.none"))]


@router.button("sub.orders", "sub.stock", "sub.sales")
async def read_pressed(ctx: Ctx) -> list[Reply]:
    if (refused := require_dealer(ctx)) is not None:
        return refused
    subs = await _subs(ctx)
    dealer = _sub_arg(ctx, subs)
    if dealer is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    action = ctx.inbound.payload.split("|")[1]
    if action == "sub.orders":
        return await _orders(ctx, [dealer], subs)
    if action == "sub.stock":
        return await _stock(ctx, [dealer])
    return await _sales(ctx, [dealer], subs)


# --- the parent's approval of a sub-dealer's order --------------------------------------------------------

def _version(ctx: Ctx) -> int | None:
    raw = ctx.args[1] if len(ctx.args) > 1 else ""
    return int(raw) if raw.isdigit() else None


@router.button("sub.order.ok")
async def approve_pressed(ctx: Ctx) -> list[Reply]:
    if (refused := require_dealer(ctx)) is not None:
        return refused
    number = ctx.args[0] if ctx.args else ""
    try:
        await parent_decide(ctx.uow(), ctx.actor, ParentDecision(number=number, approve=True,
                                                                 expected_version=_version(ctx)), ctx.deps.clock)
    except (Conflict, InvalidTransition):
        return [Reply(text=ctx.t("sub.decided", number=number))]
    return [Reply(text=ctx.t("sub.approved", number=number), buttons=[[Button(
        f"📄 {number}", payload("orders.detail", number)), menu_button(ctx)]])]


@router.button("sub.order.no")
async def reject_pressed(ctx: Ctx) -> list[Reply]:
    if (refused := require_dealer(ctx)) is not None:
        return refused
    number = ctx.args[0] if ctx.args else ""
    try:
        from core.services.orders import get_order

        order = await get_order(ctx.uow(), ctx.actor, number)
    except NotFound:
        return [Reply(text=ctx.t("error.button_stale"))]
    if order.parent_approval != "pending":
        return [Reply(text=ctx.t("sub.decided", number=number))]
    ctx.go("sub.reject", number=number, version=_version(ctx))
    return [Reply(text=ctx.t("sub.ask_reason", number=number))]


@router.state("sub.reject")
async def reason_typed(ctx: Ctx) -> list[Reply]:
    number = str(ctx.dialog.data.get("number", ""))
    reason = ctx.inbound.text.strip() if ctx.inbound.kind == InboundKind.TEXT else ""
    if not reason:
        return [Reply(text=ctx.t("sub.ask_reason", number=number))]
    version = ctx.dialog.data.get("version")
    ctx.idle()
    try:
        await parent_decide(ctx.uow(), ctx.actor, ParentDecision(
            number=number, approve=False, reason=reason[:200],
            expected_version=version if isinstance(version, int) else None), ctx.deps.clock)
    except (Conflict, InvalidTransition):
        return [Reply(text=ctx.t("sub.decided", number=number))]
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    return [Reply(text=ctx.t("sub.rejected", number=number), buttons=[[menu_button(ctx)]])]

