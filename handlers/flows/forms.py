"""Pieces the guided forms share (after-sales, quality, sell-out, campaigns, apply): not a flow itself; the
step machine itself is ``handlers.flows.stepform``.

- exactly-once submission: a form gets a random nonce when it starts; its confirm button carries it.
  After the use case succeeds the dialog goes idle but remembers ``nonce -> reference``, so a second
  tap on the same button answers with the same ticket/feedback number instead of filing another;
- photo collection (``Inbound.file_refs`` of PHOTO / DOCUMENT messages) up to a limit;
- product choice: catalogue buttons (by category when the catalogue is long) or a typed name;
- small readers for numbers and skip / done words, and local time for display.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.dealers import Dealer
from core.errors import DomainError
from core.products import Product
from core.reports import ReportKind
from core.services.dealers import list_dealers
from core.services.reports import report_scope
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.menu import main_menu, require_bound
from handlers.messages import Answer, Button, InboundKind, Reply
from handlers.router import payload
from nlu.numbers import count_said
from nlu.products import find_product
from nlu.schema import CatalogueEntry, Intent, ParseResult
from nlu.staff_commands import dealer_code_in

MAX_PHOTOS = 9
MAX_PRODUCT_BUTTONS = 8          # more products than this: choose a category first

SKIP_WORDS = frozenset({"跳过", "没有", "无", "不知道", "略", "-", "skip", "none", "no", "n/a"})
DONE_WORDS = frozenset({"完成", "好了", "好", "发完了", "没有了", "没有", "就这些", "done", "finish", "finished", "ok"})

i18n.register({
    "form.dealer_only": ("此功能仅供经销商用户使用。", "This is for dealer users only."),
    "form.dealer_only_staff": ("此功能仅供经销商用户使用。输入 /today 看您的待办，/help 看您的职责可用的命令。",
                               "This is for dealer users only. Type /today for your work, /help for your commands."),
    "form.note_offer": ("这句话要记为工单 {ref} 的处理留言吗？\n“{text}”\n（不是的话可以忽略；输入 /today 看待办，/help 看可用命令）",
                        "Add this as a note to ticket {ref}?\n\"{text}\"\n(if not, ignore it; /today, /help)"),
    "form.note_offer_yes": ("💬 记为 {ref} 的留言", "💬 Note on {ref}"),
    "form.days": ("{first}", "{first}"),
    "form.days_span": ("{first} 至 {last}", "{first} to {last}"),
    "form.skip": ("⏭ 跳过", "⏭ Skip"),
    "form.required": ("这一步必须填写，不能跳过。", "This one is needed: it cannot be skipped."),
    "form.cancel": ("✖ 取消", "✖ Cancel"),
    "form.done": ("✅ 完成", "✅ Done"),
    "form.submit": ("✅ 确认提交", "✅ Submit"),
    "form.menu": ("🏠 主菜单", "🏠 Menu"),
    "form.photo_added": ("已收到 {n} 张照片（最多 {max} 张）。可继续发送，发完请点“完成”。",
                         "Got {n} photo(s) (at most {max}). Send more, or tap Done."),
    "form.photo_full": ("照片已达上限 {max} 张，多出的没有保存。请点“完成”。",
                        "That is the limit of {max} photos; extra ones were not kept. Tap Done."),
    "form.photo_wanted": ("请发送照片，发完点“完成”。", "Please send photos, then tap Done."),
    "form.number_bad": ("请输入一个正整数，例如 3。", "Please send a whole number, e.g. 3."),
    "form.text_wanted": ("请用文字回复。", "Please answer with text."),
    "form.looks_like_order": ("这条像是在下单（{items}），没有填进当前这一项。要下单请点下面的按钮（当前登记会退出）；"
                              "要继续登记，请重新输入这一项。",
                              "That looks like an order ({items}); it was not taken as the answer here. Tap below to "
                              "order (this form is left), or type this answer again to go on."),
    "form.order_these": ("🛒 下单：{items}", "🛒 Order: {items}"),
    "form.text_too_long": ("内容太长了（最多 {limit} 字），请精简后重发。",
                           "That is too long (at most {limit} characters). Please shorten it."),
    "form.kept": ("（{title}还没填完，接着回答下面的问题即可；不需要了请点“取消”。）",
                  "({title} is not finished: answer the question below to go on, or tap Cancel.)"),
    "form.kept_plain": ("（当前登记还没填完，接着回答下面的问题即可；不需要了请点“取消”。）",
                        "(This form is not finished: answer the question below to go on, or tap Cancel.)"),
    "form.pick_product": ("请选择产品，或直接输入型号：", "Choose the product, or type its model:"),
    "form.pick_category": ("请先选择产品类别，或直接输入型号：", "Choose a category first, or type the model:"),
    "form.product_unknown": ("没有找到产品“{text}”，请点选下面的产品，或输入正确的型号。",
                             "No product matches \"{text}\". Choose one below or type the model."),
})


# --- exactly-once -----------------------------------------------------------------------------------

# Where a request made in the middle of an order or a form belongs (main-menu entries of the other flows).
ELSEWHERE: dict[Intent, tuple[str, str]] = {
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


def new_nonce() -> str:
    """A short random key for a form (it rides in the 64-byte button payload)."""
    return secrets.token_hex(4)


def submitted_ref(ctx: Ctx, nonce: str) -> str | None:
    """The reference the form with ``nonce`` was already submitted as, if it was."""
    done = ctx.dialog.data.get("submitted")
    if isinstance(done, dict) and nonce and done.get("nonce") == nonce:
        ref = done.get("ref")
        return str(ref) if ref is not None else None
    return None


def remember_submitted(ctx: Ctx, nonce: str, ref: str) -> None:
    """Leave the form (idle) but keep what it became, for a repeated tap on its confirm button (and a cart parked
    when the form was opened mid-order: ``Ctx.go``)."""
    ctx.idle()
    ctx.dialog.data["submitted"] = {"nonce": nonce, "ref": ref}


def form_is(ctx: Ctx, state: str, nonce: str) -> bool:
    """Is the chat at ``state`` of the form whose nonce is ``nonce`` (a button of this very form)?"""
    return ctx.dialog.state == state and bool(nonce) and ctx.dialog.data.get("nonce") == nonce


def step(ctx: Ctx, state: str, **data: Any) -> None:
    """Move to another step of the same form, keeping what was collected."""
    ctx.dialog.state = state
    ctx.dialog.data.update(data)


def arg(ctx: Ctx, index: int) -> str:
    return ctx.args[index] if len(ctx.args) > index else ""


# --- who may use a form ------------------------------------------------------------------------------

STAFF_TYPED_ANSWER: list[Callable[[Ctx], Reply]] = []
"""How a staff member's typed words that read as a dealer's own action are answered (set by ``staff_words``)."""


def require_dealer(ctx: Ctx) -> list[Reply] | None:
    """Replies for anyone who is not a bound dealer user, else None."""
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if not ctx.is_dealer or ctx.actor.dealer_id is None:     # staff are told where their own work is
        offer = _note_offer(ctx)
        if offer is not None:
            return [offer]
        if not ctx.is_dealer and ctx.inbound.kind == InboundKind.TEXT and STAFF_TYPED_ANSWER:
            return [STAFF_TYPED_ANSWER[0](ctx)]       # typed words: what their own job can do (QA s25 #14)
        return [Reply(text=ctx.t("form.dealer_only" if ctx.is_dealer else "form.dealer_only_staff"))]
    return None


def _note_offer(ctx: Ctx) -> Reply | None:
    """After-sales just opened or moved a ticket and types a sentence nothing else reads ("已联系王先生，明天上门"):
    offer it as that ticket's note, one tap (``staff.ticket.note``), rather than "for dealers only"."""
    ticket = ctx.dialog.data.get("last_ticket")
    text = ctx.inbound.text.strip()
    if not (ctx.is_staff and not ctx.dialog.state and isinstance(ticket, str) and ctx.inbound.kind == InboundKind.TEXT
            and 4 <= len(text) <= 1000 and Permission.TICKET_HANDLE in ctx.actor.permissions):
        return None
    nonce = new_nonce()
    ctx.dialog.data["note_offer"] = {"nonce": nonce, "ref": ticket, "text": text}
    return Reply(text=ctx.t("form.note_offer", ref=ticket, text=clip(text, 60)),
                 buttons=[[Button(ctx.t("form.note_offer_yes", ref=ticket), payload("staff.ticket.note", nonce))]])


async def dealers_by_words(ctx: Ctx, words: str, limit: int = 7) -> list[Dealer]:
    """The dealers a person means by ``words`` (a code, or words of the name): an exact code alone when it is
    one, else those whose names fit (at most ``limit``); none for no words."""
    words = words.strip()
    found = [d for d in await list_dealers(ctx.uow(), ctx.actor, search=words, limit=limit) if d.id is not None] \
        if words else []
    if not found and (code := dealer_code_in(words)) is not None and code != words.upper():
        return await dealers_by_words(ctx, code, limit)     # "D0002 的余额": the dealer of the code written
    return [d for d in found if d.code.upper() == words.upper()] or found


# --- reading answers ---------------------------------------------------------------------------------

def text_of(ctx: Ctx) -> str:
    return ctx.inbound.text.strip() if ctx.inbound.kind == InboundKind.TEXT else ""


def is_skip(text: str) -> bool:
    return text.strip().lower() in SKIP_WORDS


def is_done(text: str) -> bool:
    return text.strip().lower() in DONE_WORDS


def read_count(text: str, *, minimum: int = 1, maximum: int = 100_000) -> int | None:
    """A whole number like "3", "三台", "12 个", "五六个吧" within [minimum, maximum], else None."""
    value = count_said(text)
    if value is None or not minimum <= value <= maximum:
        return None
    return value


def add_photos(ctx: Ctx, done_action: str, key: str = "photos", limit: int = MAX_PHOTOS) -> Reply:
    """Keep the refs of a PHOTO/DOCUMENT message under ``data[key]``; the answer says how many there are
    and carries the ``done_action`` button that ends the step."""
    photos: list[str] = list(ctx.dialog.data.get(key) or [])
    incoming = [ref for ref in ctx.inbound.file_refs if ref]
    room = max(limit - len(photos), 0)
    photos.extend(incoming[:room])
    ctx.dialog.data[key] = photos
    done = [[Button(ctx.t("form.done"), payload(done_action))]]
    if len(incoming) > room or len(photos) >= limit:
        return Reply(text=ctx.t("form.photo_full", max=limit), buttons=done)
    return Reply(text=ctx.t("form.photo_added", n=len(photos), max=limit), buttons=done)


def is_photo(ctx: Ctx) -> bool:
    return ctx.inbound.kind in (InboundKind.PHOTO, InboundKind.DOCUMENT) and bool(ctx.inbound.file_refs)


# --- products ----------------------------------------------------------------------------------------

async def active_products(ctx: Ctx) -> list[Product]:
    async with ctx.uow() as uow:
        return await uow.products.list(active=True, order_by="sku")


def product_label(product: Product) -> str:
    return product.name if product.sku.lower() in product.name.lower() else f"{product.name} {product.sku}"


def categories(products: list[Product]) -> list[str]:
    return sorted({p.category for p in products if p.category})


def product_buttons(ctx: Ctx, products: list[Product], prefix: str, *, category: int | None = None,
                    extra: list[list[Button]] | None = None) -> list[list[Button]]:
    """Buttons ``<prefix>.sku|SKU`` for the products, or ``<prefix>.pcat|n`` for categories when there are many."""
    cats = categories(products)
    if category is None and len(products) > MAX_PRODUCT_BUTTONS and len(cats) > 1:
        flat = [Button(name, payload(f"{prefix}.pcat", i)) for i, name in enumerate(cats)]
    else:
        chosen = [p for p in products if category is None or (0 <= category < len(cats) and p.category == cats[category])]
        flat = [Button(product_label(p), payload(f"{prefix}.sku", p.sku)) for p in chosen[:24]]
    rows = [flat[i:i + 2] for i in range(0, len(flat), 2)]
    return rows + (extra or [])


def said_candidates(parsed: ParseResult | None) -> list[str]:
    """The products a word of several names ("滤网有股怪味" with two filters, "除湿机不出水" with three): what a
    form's product step offers first, instead of the whole catalogue."""
    if parsed is None:
        return []
    word = next((u for u in parsed.slots.unresolved if u.generic and u.candidates), None)
    return list(word.candidates[:MAX_PRODUCT_BUTTONS]) if word is not None else []


def product_prompt_key(products: list[Product]) -> str:
    many = len(products) > MAX_PRODUCT_BUTTONS and len(categories(products)) > 1
    return "form.pick_category" if many else "form.pick_product"


def match_product(text: str, products: list[Product]) -> str | None:
    """The SKU a typed text names (SKU, name or alias; longest name wins), else None."""
    entries = [CatalogueEntry(sku=p.sku, name=p.name, aliases=list(p.aliases), unit=p.unit, category=p.category or "") for p in products]
    return find_product(text, entries)


def product_name(products: list[Product], sku: str | None) -> str:
    if not sku:
        return ""
    found = next((p for p in products if p.sku == sku), None)
    return product_label(found) if found else sku


# --- display -----------------------------------------------------------------------------------------

def local_time(ctx: Ctx, at: datetime | None) -> str:
    """``2026-11-28 10:00`` in the business time zone."""
    if at is None:
        return "-"
    return at.astimezone(ctx.deps.clock.tz).strftime("%Y-%m-%d %H:%M")


def days_label(ctx: Ctx, first: date, last: date) -> str:
    """The days a count covers: ``2026-12-07``, or ``2026-11-01 至 2026-11-30``: one label for the orders counted
    ("这周下了多少单") and the tickets or quality reports counted ("这周新增几个工单") over the same words."""
    if first == last:
        return ctx.t("form.days", first=first.isoformat())
    return ctx.t("form.days_span", first=first.isoformat(), last=last.isoformat())


def cancel_row(ctx: Ctx, prefix: str, answer: Answer | None = None) -> list[Button]:
    """The form's ✖ 取消; ``Answer.NO`` under a summary asking to confirm: "不", "算了" typed press it."""
    return [Button(ctx.t("form.cancel"), payload(f"{prefix}.cancel"), answer)]


def menu_button(ctx: Ctx) -> Button:
    return Button(ctx.t("form.menu"), payload("menu"))


def cancel_form(ctx: Ctx) -> list[Reply]:
    had = bool(ctx.dialog.state)
    ctx.idle()
    return [Reply(text=ctx.t("cancelled" if had else "nothing_to_cancel")), main_menu(ctx)]


def clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


BAR_WIDTH = 10


def progress_bar(ratio: Decimal, width: int = BAR_WIDTH) -> str:
    """``▓▓▓▓▓░░░░░`` for 0.52; full beyond 100 %."""
    filled = int((max(min(ratio, Decimal(1)), Decimal(0)) * width).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return "▓" * filled + "░" * (width - filled)


async def staff_sales_question(ctx: Ctx) -> list[Reply] | None:
    """Staff have no contract and report no sell-out of their own: a message read as one of those dealer intents
    ("动销最少的经销商", "哪个经销商完成率最低") asks about the dealers' figures. The sales question's answer when the
    speaker is staff who may read them, else None (was: "此功能仅供经销商用户使用")."""
    answer = ctx.questions.get(Intent.SALES_QUERY)
    if not ctx.is_staff or answer is None:
        return None
    if (offer := _note_offer(ctx)) is not None:      # after-sales writing a note on the ticket just handled
        return [offer]
    try:
        report_scope(ctx.actor, ReportKind.SELLOUT_SUMMARY)
    except DomainError:
        return None
    return await answer(ctx)


async def answered_aside(ctx: Ctx, parsed: ParseResult) -> list[Reply] | None:
    """A question that only reads (stock, an order's status, a price, a balance, a ticket), asked in the middle of
    a form or a cart: its answer, with the dialog left exactly as it was (the form goes on); None when the intent
    has no such answer."""
    answer = ctx.questions.get(parsed.intent)
    if answer is None:
        return None
    ctx.parsed = parsed
    state, data = ctx.dialog.state, copy.deepcopy(ctx.dialog.data)
    try:
        return await answer(ctx)
    finally:     # whatever the answer did to the dialog, the form stays where it was
        ctx.dialog.state, ctx.dialog.data = state, data
