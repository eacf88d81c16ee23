"""An order list sent as a spreadsheet (.xlsx / .csv) or a photo -> the cart.

A dealer forwards the Excel its shop assistant made, in any sensible layout (``nlu.order_table``): every row
goes through the same product matcher and quantity parser as a typed message, with the dealer's own words.
The rows taken go into the cart (a new one, or the open one: the reply says which), each doubtful one (a near
miss, a generic word) named with a button to take it out, each row not understood named with its reason and,
where the product may be one of a few, a button per candidate. Then the usual priced cart with its checks:
nothing is ordered without the confirm button.

Only outside a form (or with a cart open): a sell-out file or an after-sales attachment keeps going to its form.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from core.users import Permission
from handlers import i18n
from handlers.catalogue import chat_catalogue, parser_aliases
from handlers.context import Ctx
from handlers.flows.cart import cart_summary, open_cart, over_limit, products_by_sku
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from handlers.tables import FileUnreadable, read_table
from nlu.ocr_rows import group_rows
from nlu.order_table import Problem, TableLine, read_order_lines, read_order_table

router = Router(name=__name__)
log = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 300              # rows of the sheet (an order of more lines is a data import, not a chat)
SHOWN_PROBLEMS = 15         # rows named one by one; the rest counted
TABLE_FILES = (".xlsx", ".xlsm", ".csv", ".xls")

i18n.register({
    "ofile.read": ("📄 已读取订单文件 {name}：{n} 行加入购物车。", "📄 Read the order file {name}: {n} line(s) put in the cart."),
    "ofile.merged": ("（已合并到您正在下的订单，原有 {n} 行）", "(added to the order you had open, which had {n} line(s))"),
    "ofile.doubtful": ("⚠️ 第 {row} 行「{text}」按 {name}（{sku}）× {qty} 理解，请核对",
                       "⚠️ Row {row} \"{text}\" read as {name} ({sku}) × {qty}: please check"),
    "ofile.problem": ("❌ 第 {row} 行「{text}」：{reason}", "❌ Row {row} \"{text}\": {reason}"),
    "ofile.more_problems": ("……另有 {n} 行没有看懂", "…and {n} more row(s) not understood"),
    "ofile.reason.unknown_product": ("没有这个产品", "no such product"),
    "ofile.reason.several_products": ("不确定是哪个产品", "not sure which product"),
    "ofile.reason.bad_quantity": ("数量须为正整数", "the quantity must be a whole number above 0"),
    "ofile.reason.no_product": ("只有数量，没有产品", "a quantity with no product"),
    "ofile.reason.inactive": ("该产品已停售", "this product is no longer sold"),
    "ofile.reason.cart_full": ("购物车已满（最多 {n} 种产品），请分开下单", "the cart is full ({n} products at most); "
                               "please split the order"),
    "ofile.skipped_empty": ("{n} 行没有填数量，已跳过。", "{n} row(s) without a quantity were skipped."),
    "ofile.totals": ("合计行已忽略。", "The total row was ignored."),
    "ofile.fix": ("需要核对的行：点按钮改正（选对的产品，或删掉读错的行）。",
                  "Rows to check: tap to fix (pick the right product, or drop a line read wrong)."),
    "ofile.btn.pick": ("第{row}行 → {sku} ×{qty}", "Row {row} → {sku} ×{qty}"),
    "ofile.btn.drop": ("🗑 删掉第{row}行 {sku}", "🗑 Drop row {row} {sku}"),
    "ofile.nothing": ("这个文件里没有找到订货行。请用「型号/产品」和「数量」两列（有表头），或每行写「型号 数量」，例如 AP300 20台。",
                      "No order lines found in this file. Use a \"product/SKU\" and a \"qty\" column (with a header "
                      "row), or one line per product like \"AP300 20\"."),
    "ofile.broken": ("这个文件打不开：{reason}。请发送 .xlsx 或 .csv 订货单。", "This file cannot be read: {reason}. "
                     "Please send the order list as .xlsx or .csv."),
    "ofile.too_big": ("文件太大（超过 2 MB），请只发送订货明细。", "The file is too big (over 2 MB); please send just the "
                      "order lines."),
    "ofile.too_many": ("文件超过 {n} 行，请分批发送或联系订单部导入。", "The file has more than {n} rows; please split it "
                       "or ask the order desk to import it."),
    "ophoto.read": ("📷 已识别图片中的订货清单（{rows} 行文字）：{n} 行加入购物车。",
                    "📷 Read the order list in the photo ({rows} lines of text): {n} line(s) put in the cart."),
    "ophoto.handwriting": ("识别可能有误（手写的清单尤其如此），请逐行核对后再确认下单。",
                           "The reading may be wrong (handwriting especially): check each line before you confirm."),
    "ophoto.nothing": ("图片里没有找到订货清单。下单可以直接打字（如 AP300 20台）或发送 Excel；售后问题请点菜单里的「售后」。",
                       "No order list found in the photo. To order, type it (like \"AP300 20\") or send an Excel "
                       "file; for an after-sales problem use \"After-sales\" in the menu."),
    "ophoto.unreadable": ("这张图片打不开，请重新拍照发送。", "This picture cannot be read; please take it again."),
    "ophoto.too_big": ("图片太大（超过 10 MB），请压缩后再发。", "The picture is too big (over 10 MB); please send a "
                       "smaller one."),
    "ofile.unsupported": ("这个渠道暂时不能接收文件，请直接输入订货内容。", "Files cannot be received on this channel yet; "
                          "please type the order."),
})


def _is_order_file(ctx: Ctx) -> bool:
    inbound = ctx.inbound
    state = ctx.dialog.state
    return (inbound.kind == InboundKind.DOCUMENT and bool(inbound.file_refs)
            and (not state or state.startswith("order.")) and ctx.is_dealer
            and Permission.ORDER_PLACE_OWN in ctx.actor.permissions
            and (inbound.file_name or "").lower().endswith(TABLE_FILES))


@router.upload_hook
async def order_file(ctx: Ctx) -> list[Reply] | None:
    if not _is_order_file(ctx):
        return None
    if ctx.deps.read_file is None:
        return [Reply(text=ctx.t("ofile.unsupported"))]
    data = await ctx.deps.read_file(ctx.inbound.file_refs[0])
    if len(data) > MAX_FILE_BYTES:
        return [Reply(text=ctx.t("ofile.too_big"))]
    try:
        rows = read_table(data, ctx.inbound.file_name)
    except FileUnreadable as exc:
        return [Reply(text=ctx.t("ofile.broken", reason=ctx.pick(exc.problem.zh, exc.problem.en)))]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) > MAX_ROWS:
        return [Reply(text=ctx.t("ofile.too_many", n=MAX_ROWS))]
    if ctx.aliases is None:
        async with ctx.uow() as uow:
            ctx.aliases = await parser_aliases(uow, ctx.actor)
    table = read_order_table(rows, await chat_catalogue(ctx), ctx.deps.clock.today(), ctx.aliases)
    if not table.lines:
        return [Reply(text=ctx.t("ofile.nothing"))]
    return await _into_cart(ctx, lambda n: ctx.t("ofile.read", name=ctx.inbound.file_name[:60], n=n), table.lines,
                            skipped=table.skipped_empty, totals=table.totals)


@router.upload_hook
async def order_photo(ctx: Ctx) -> list[Reply] | None:
    """A photo of an order list (printed, or written by hand: help, not a promise) -> the cart, each line with
    how sure its reading is; a photo with no order line in it goes on as before (the help)."""
    inbound = ctx.inbound
    state = ctx.dialog.state
    if not (inbound.kind == InboundKind.PHOTO and inbound.file_refs and (not state or state.startswith("order."))
            and ctx.is_dealer and Permission.ORDER_PLACE_OWN in ctx.actor.permissions):
        return None
    if ctx.deps.read_image_text is None or ctx.deps.read_file is None:
        return None
    data = await ctx.deps.read_file(inbound.file_refs[-1])
    if len(data) > MAX_IMAGE_BYTES:
        return [Reply(text=ctx.t("ophoto.too_big"))]
    try:
        boxes = await ctx.deps.read_image_text(data)
    except Exception:           # not an image, or one the engine cannot decode: say so, keep running
        log.warning("order photo unreadable", exc_info=True)
        return [Reply(text=ctx.t("ophoto.unreadable"))]
    if ctx.aliases is None:
        async with ctx.uow() as uow:
            ctx.aliases = await parser_aliases(uow, ctx.actor)
    rows = [(row.text, row.score) for row in group_rows(boxes)]
    lines = read_order_lines(rows, await chat_catalogue(ctx), ctx.deps.clock.today(), ctx.aliases)
    if not any(line.sku or line.problem == Problem.UNKNOWN_PRODUCT for line in lines):
        return [Reply(text=ctx.t("ophoto.nothing"))]
    unsure = any(line.problem or line.doubtful for line in lines)
    replies = await _into_cart(ctx, lambda n: ctx.t("ophoto.read", rows=len(rows), n=n), lines,
                               after=[ctx.t("ophoto.handwriting")] if unsure else [])
    return replies


async def _into_cart(ctx: Ctx, headline: Callable[[int], str], lines: list[TableLine], *, skipped: int = 0,
                     totals: int = 0, after: list[str] | None = None) -> list[Reply]:
    """``lines`` (taken and not understood) into the open or a new cart, and the reply that says what came of
    each. Shared by every way a list arrives (a file; a photo's rows)."""
    cart = await open_cart(ctx)
    if isinstance(cart, list):          # may not order now (blocked, not a dealer)
        return cart
    had = len(cart.items)
    products = await products_by_sku(ctx, sorted({line.sku for line in lines if line.sku}))
    notes: list[str] = []
    problems: list[tuple[TableLine, str]] = []
    fixes: list[list[Button]] = []
    taken = 0
    for line in lines:
        product = products.get(line.sku) if line.sku and not line.problem else None
        if line.problem or line.sku is None or line.qty is None:
            problems.append((line, ctx.t(f"ofile.reason.{line.problem or Problem.UNKNOWN_PRODUCT}")))
            continue
        if product is None or not product.active:
            problems.append((line, ctx.t("ofile.reason.inactive")))
            continue
        refused = over_limit(ctx, product, cart.items.get(product.sku, 0) + line.qty)
        if refused:
            problems.append((line, refused))
            continue
        if not cart.add(product.sku, line.qty):
            problems.append((line, ctx.t("ofile.reason.cart_full", n=len(cart.items))))
            continue
        taken += 1
        if line.doubtful:
            notes.append(ctx.t("ofile.doubtful", row=line.row, text=line.text[:40], name=product.name,
                               sku=product.sku, qty=line.qty))
            fixes.append([Button(ctx.t("ofile.btn.drop", row=line.row, sku=product.sku),
                                 payload("order.rm", cart.nonce, product.sku))])
    for line, reason in problems[:SHOWN_PROBLEMS]:
        notes.append(ctx.t("ofile.problem", row=line.row, text=line.text[:40], reason=reason))
        if line.qty:
            fixes.extend([Button(ctx.t("ofile.btn.pick", row=line.row, sku=sku, qty=line.qty),
                                 payload("order.add", sku, line.qty))] for sku in line.candidates[:3])
    if len(problems) > SHOWN_PROBLEMS:
        notes.append(ctx.t("ofile.more_problems", n=len(problems) - SHOWN_PROBLEMS))
    lead = [headline(taken)]
    if had:
        lead.append(ctx.t("ofile.merged", n=had))
    lead += notes
    if skipped:
        lead.append(ctx.t("ofile.skipped_empty", n=skipped))
    if totals:
        lead.append(ctx.t("ofile.totals"))
    lead += after or []
    cart.save(ctx)
    replies = await cart_summary(ctx, cart, lead)
    if fixes:
        replies.append(Reply(text=ctx.t("ofile.fix"), buttons=fixes[:12]))
    return replies
