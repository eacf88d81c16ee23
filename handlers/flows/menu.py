"""Start, binding, menu, help, language and cancel: what works in every state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from core.services.users import bind_by_phone, redeem_invite
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.messages import Answer, Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.binding_words import bind_said, binding_code
from nlu.report_asks import language_asked
from nlu.schema import Intent

router = Router(name=__name__)

i18n.register({
    "menu.title.dealer": ("您好，{name}！请选择要办理的业务，或直接输入，例如“AP300 来二十台”。",
                          "Hello {name}! Choose what to do, or just type, e.g. \"AP300 x20\"."),
    "menu.title.staff": ("您好，{name}！请选择：", "Hello {name}! Choose:"),
    "menu.title.unbound": (
        "欢迎使用经销商服务助手。\n已是经销商？请输入管理员给您的绑定码：/start 绑定码，或点“分享手机号”验证。\n"
        "还不是经销商？可以申请加盟。",
        "Welcome to the dealer assistant.\nAlready a dealer? Send your binding code: /start CODE, or share your "
        "phone number to verify.\nNot a dealer yet? Apply to become one."),
    "btn.order": ("🛒 下单", "🛒 Order"),
    "btn.orders": ("📦 我的订单", "📦 My orders"),
    "btn.stock": ("🏭 查库存", "🏭 Stock"),
    "btn.aftersales": ("🛠 售后报修", "🛠 After-sales"),
    "btn.quality": ("⚠️ 质量反馈", "⚠️ Quality issue"),
    "btn.sellout": ("📈 销量上报", "📈 Report sales"),
    "btn.account": ("📄 合同与账户", "📄 Contract & account"),
    "btn.campaigns": ("🎯 活动", "🎯 Campaigns"),
    "btn.faq": ("❓ 常见问题", "❓ FAQ"),
    "btn.today": ("📋 今日待办", "📋 Today"),
    "btn.q.quality": ("⚠️ 质量反馈", "⚠️ Quality reports"),
    "btn.q.questions": ("🙋 待答复咨询", "🙋 Questions"),
    "btn.q.materials": ("🎁 物料申请", "🎁 Materials"),
    "btn.q.reports": ("📣 活动报告", "📣 Campaign reports"),
    "btn.disputes": ("🧾 对账异议", "🧾 Disputes"),
    "btn.rebates_due": ("💰 返利审批", "💰 Rebates"),
    "btn.claims": ("🧾 费用核销", "🧾 Claims"),
    "btn.pay": ("💵 记一笔回款", "💵 Record a payment"),
    "btn.credit": ("💳 额度申请", "💳 Credit"),
    "btn.approvals": ("✅ 待审批", "✅ Approvals"),
    "btn.tickets": ("🛠 售后工单", "🛠 Tickets"),
    "btn.place_for_dealer": ("🧾 代客下单", "🧾 Order for a dealer"),
    "btn.apply": ("📝 申请成为经销商", "📝 Apply to become a dealer"),
    "btn.lang": ("🌐 English", "🌐 中文"),
    "btn.settings": ("🔔 通知设置", "🔔 Notifications"),
    "help.text": (
        "可用命令：\n/menu 主菜单\n/orders 我的订单\n/stock 查库存\n/cancel 取消当前操作\n/settings 通知设置\n/lang 切换语言\n/privacy 数据与隐私\n/help 帮助\n"
        "也可以直接说：“AP300 来二十台，下周三到”、“上次那单到哪了”、“除湿机不出水”。",
        "Commands:\n/menu main menu\n/orders my orders\n/stock stock\n/cancel cancel what you are doing\n"
        "/settings notifications\n/lang switch language\n/privacy data and privacy\n/help this help\nOr just type: \"AP300 x20 by next Wednesday\", "
        "\"where is my last order\", \"dehumidifier not draining\"."),
    "bind.ok.dealer": ("绑定成功！您已绑定为 {dealer} 的{role}。", "You are now bound to {dealer} as {role}."),
    "bind.ok.staff": ("绑定成功！欢迎，{name}（{role}）。", "Bound. Welcome, {name} ({role})."),
    "bind.already": ("您已经绑定过了。", "You are already bound."),
    "bind.phone_no_match": ("没有找到这个手机号对应的经销商联系人，请向厂家索取绑定码。",
                            "No dealer contact has this phone number. Please ask for a binding code."),
    "bind.share_phone": ("📱 分享手机号", "📱 Share my phone number"),
    "need_binding": ("请先绑定经销商账号：输入 /start 绑定码，或分享手机号。",
                     "Please bind your account first: send /start CODE, or share your phone number."),
    "role.dealer_owner": ("负责人", "owner"),
    "role.dealer_clerk": ("业务员", "clerk"),
})

#: asked before the greeting's main menu is shown (``handlers.flows.drafts`` registers the check): a form left
#: half-filled is offered to continue or discard, instead of a menu whose buttons would throw it away
OPEN_DRAFT: list[Callable[[Ctx], Awaitable[list[Reply] | None]]] = []


async def open_draft(ctx: Ctx) -> list[Reply] | None:
    for check in OPEN_DRAFT:
        if (offered := await check(ctx)) is not None:
            return offered
    return None


SHARE_PHONE = "contact:request"   # adapters render this payload as a "share contact" keyboard button


def main_menu(ctx: Ctx) -> Reply:
    def b(key: str, action: str) -> Button:
        return Button(ctx.t(key), payload(action))

    if ctx.is_dealer:
        rows = [[b("btn.order", "order.new"), b("btn.orders", "orders.list")],
                [b("btn.stock", "stock.menu"), b("btn.aftersales", "as.new")],
                [b("btn.quality", "qf.new"), b("btn.sellout", "so.new")],
                [b("btn.account", "acct.menu"), b("btn.campaigns", "camp.list")],
                [b("btn.faq", "faq.menu"), b("btn.settings", "settings.menu")],
                [b("btn.lang", "lang.toggle")]]
        return Reply(text=ctx.t("menu.title.dealer", name=ctx.actor.greeting_name), buttons=rows)
    if ctx.is_staff:
        perms = ctx.actor.permissions
        rows = [[b("btn.today", "staff.today")]]
        if {Permission.ORDER_APPROVE, Permission.DEALER_REVIEW, Permission.ACCOUNT_POST,
                Permission.CREDIT_APPROVE} & perms:
            rows.append([b("btn.approvals", "staff.approvals")])
        if Permission.ACCOUNT_POST in perms:       # finance: disputes, rebates, claims
            rows.append([b("btn.disputes", "stmt.disputes"), b("btn.rebates_due", "fin.rb.list")])
            rows.append([b("btn.claims", "ctr.claims"), b("btn.pay", "pay.new")])
        if {Permission.CREDIT_APPROVE, Permission.CREDIT_REQUEST} & perms:
            rows.append([b("btn.credit", "cr.list")])
        if Permission.TICKET_HANDLE in perms:
            rows.append([b("btn.tickets", "staff.tickets")])
        # the other queues of a role (handlers.flows.staff_queues): quality, questions, marketing
        extra = [b(key, action) for key, action, needs in (
            ("btn.q.quality", "q.quality", Permission.QUALITY_HANDLE),
            ("btn.q.questions", "q.questions", Permission.DEALER_WRITE),
            ("btn.q.materials", "q.materials", Permission.MATERIAL_APPROVE),
            ("btn.q.reports", "q.reports", Permission.CAMPAIGN_WRITE)) if needs in perms]
        rows.extend(extra[i:i + 2] for i in range(0, len(extra), 2))
        if Permission.ORDER_PLACE_ON_BEHALF in perms:
            rows.append([b("btn.place_for_dealer", "staff.onbehalf")])
        rows.append([b("btn.settings", "settings.menu"), b("btn.lang", "lang.toggle")])
        return Reply(text=ctx.t("menu.title.staff", name=ctx.actor.greeting_name), buttons=rows)
    return Reply(text=ctx.t("menu.title.unbound"),
                 buttons=[[Button(ctx.t("bind.share_phone"), SHARE_PHONE)],
                          [b("btn.apply", "apply.new")],
                          [b("btn.faq", "faq.menu"), b("btn.lang", "lang.toggle")]])


@router.typed_labels
def menu_labels(ctx: Ctx) -> list[Button]:
    """The main menu's buttons of this person: "今日待办", "额度申请", "我的订单" typed is the button pressed (the
    language toggle is not: "English" typed is a word)."""
    return [b for row in main_menu(ctx).buttons for b in row if not b.payload.endswith("lang.toggle")]


def require_bound(ctx: Ctx) -> list[Reply] | None:
    """The replies to send an unbound user instead of a dealer/staff feature, or None when bound."""
    if ctx.bound:
        return None
    return [main_menu(ctx)] if ctx.inbound.kind.value == "button" else [Reply(text=ctx.t("need_binding")),
                                                                          main_menu(ctx)]


@router.text_hook_anywhere
async def typed_code(ctx: Ctx) -> list[Reply] | None:
    """An invite code typed on any channel ("绑定 ABCD-2345", or the bare code by someone not bound yet) is
    /start CODE: a WeCom member has no deep link, a web chat user may paste it. A bound user's bare code-like
    text (a model number) is left to the parser."""
    text = ctx.inbound.text
    code = binding_code(text)
    if code is None or (ctx.bound and not bind_said(text)):
        return None
    ctx.inbound = replace(ctx.inbound, kind=InboundKind.COMMAND, command="start", args=code)
    return await start(ctx)


@router.text_hook_anywhere
async def typed_language(ctx: Ctx) -> list[Reply] | None:
    """"中文" / "English" typed alone is /lang: the way back from a chat gone English without knowing /lang."""
    wanted = language_asked(ctx.inbound.text)
    if wanted is None:
        return None
    ctx.inbound = replace(ctx.inbound, kind=InboundKind.COMMAND, command="lang", args=wanted)
    return await lang(ctx)


@router.command("start")
async def start(ctx: Ctx) -> list[Reply]:
    code = ctx.inbound.args.strip()
    if code:
        if ctx.bound:
            return [Reply(text=ctx.t("bind.already")), main_menu(ctx)]
        user = await redeem_invite(ctx.uow(), code, ctx.inbound.channel, ctx.inbound.user_id,
                                   ctx.inbound.display_name or ctx.inbound.user_id, ctx.deps.clock)
        ctx.actor = user.to_actor()
        ctx.idle()
        return [Reply(text=await _bound_text(ctx)), main_menu(ctx)]
    if (draft := await open_draft(ctx)) is not None:      # the chat opened again with a form half-filled
        return draft
    ctx.idle()
    return [main_menu(ctx)]


async def _bound_text(ctx: Ctx) -> str:
    role = ctx.actor.role
    if ctx.is_dealer and ctx.actor.dealer_id is not None:
        async with ctx.uow() as uow:
            dealer = await uow.dealers.get(ctx.actor.dealer_id)
        return ctx.t("bind.ok.dealer", dealer=dealer.name if dealer else "", role=ctx.t(f"role.{role}"))
    return ctx.t("bind.ok.staff", name=ctx.actor.greeting_name, role=str(role))


@router.command("contact")
async def contact(ctx: Ctx) -> list[Reply]:
    if ctx.bound:
        return [Reply(text=ctx.t("bind.already")), main_menu(ctx)]
    user = await bind_by_phone(ctx.uow(), ctx.inbound.channel, ctx.inbound.user_id, ctx.inbound.phone,
                               ctx.inbound.display_name or ctx.inbound.user_id, ctx.deps.clock)
    if user is None:
        return [Reply(text=ctx.t("bind.phone_no_match")), main_menu(ctx)]
    ctx.actor = user.to_actor()
    return [Reply(text=await _bound_text(ctx)), main_menu(ctx)]


@router.command("menu")
@router.button("menu")
async def menu(ctx: Ctx) -> list[Reply]:
    if (draft := await open_draft(ctx)) is not None:
        return draft
    return [main_menu(ctx)]


@router.command("cancel")
@router.intent(Intent.CANCEL)
async def cancel(ctx: Ctx) -> list[Reply]:
    data, state = ctx.dialog.data, ctx.dialog.state
    if ctx.inbound.kind != InboundKind.COMMAND and state.startswith("order.") and data.get("items") \
            and isinstance(data.get("nonce"), str):
        # "取消" typed with goods in the cart (often after "购物车会保留"): asked, never dropped in silence (/cancel
        # is a command: it cancels)
        n, nonce = len(data["items"]), data["nonce"]
        return [Reply(text=ctx.t("cancel.cart_ask", n=n),
                      buttons=[[Button(ctx.t("order.btn.drop"), payload("order.cancel", nonce), Answer.YES),
                                Button(ctx.t("order.btn.cart", n=n), payload("order.view", nonce))]])]
    had = bool(state)
    ctx.idle()
    return [Reply(text=ctx.t("cancelled" if had else "nothing_to_cancel")), main_menu(ctx)]


@router.command("lang")
@router.button("lang.toggle")
async def lang(ctx: Ctx) -> list[Reply]:
    wanted = ctx.inbound.args.strip().lower()
    if wanted.startswith("en"):
        ctx.lang = "en"
    elif wanted.startswith("zh") or wanted in ("中文", "cn"):
        ctx.lang = "zh-CN"
    else:
        ctx.lang = "zh-CN" if ctx.en else "en"
    ctx.dialog.language = ctx.lang
    return [Reply(text=ctx.t("lang.switched")), main_menu(ctx)]
