"""/privacy: the data policy, "export my data" (a JSON file) and "delete my data" (a request the admins approve).

Buttons: ``privacy.export``, ``privacy.erase`` (asks to confirm), ``privacy.erase_yes`` (opens the request,
once), and for admins ``privacy.approve|<task id>``. The use cases (``core.services.privacy``) check the
actor; a payload names nothing a dealer could misuse (a user only ever exports or erases itself).

Cards elsewhere show phones and end-customer names masked (``core.masking``); where someone may need the
full value they carry :func:`reveal_button`: ``privacy.reveal.ticket|AS-…`` (a ticket's customer) or
``privacy.reveal.contact|D0001`` (a dealer's contact phones). Pressing it runs ``reveal_personal_data``,
which checks the permission and audits the look; the full value comes back in a message of its own, so
the card stays masked.
"""

from __future__ import annotations

import json

from core.services.privacy import (
    ErasePersonalData,
    Revealed,
    RevealKind,
    erase_personal_data,
    export_my_data,
    list_erasure_requests,
    request_erasure,
    reveal_personal_data,
)
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.menu import main_menu
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

i18n.register({
    "privacy.policy": (
        "🔒 数据与隐私\n"
        "• 我们保存：您的姓名、手机号、聊天账号，经销商联系人，订单、工单中的终端客户姓名和电话。\n"
        "• 用途：仅用于订货、发货、售后和对账；不出售、不向其他经销商展示。\n"
        "• 安全：手机号、身份证号、客户姓名和电话加密存储；聊天和日志中只显示 138****8000 这样的号码。\n"
        "• 您的权利：随时导出您的个人数据；申请删除后，经管理员确认，个人信息将被清除，订单等业务记录按法规保留。\n"
        "• 操作记录（审计日志）只增不改。",
        "🔒 Data and privacy\n"
        "• We keep: your name, phone and chat accounts, dealer contacts, end-customer names and phones in tickets.\n"
        "• Use: only for ordering, delivery, after-sales and statements; never sold, never shown to other dealers.\n"
        "• Security: phones, ID numbers and customer names/phones are encrypted at rest; chats and logs show "
        "numbers as 138****8000.\n"
        "• Your rights: export your personal data at any time; ask for deletion and, once an admin approves, your "
        "personal details are erased while business records such as orders are kept as the law requires.\n"
        "• The audit log is append-only."),
    "privacy.btn.export": ("📤 导出我的数据", "📤 Export my data"),
    "privacy.btn.erase": ("🗑 申请删除我的数据", "🗑 Ask to delete my data"),
    "privacy.btn.erase_yes": ("确认申请删除", "Yes, ask to delete"),
    "privacy.btn.back": ("返回菜单", "Back to menu"),
    "privacy.exported": ("这是我们保存的关于您的个人数据（JSON 文件）。", "Here is the personal data we hold about you "
                         "(a JSON file)."),
    "privacy.erase.confirm": ("确认申请删除您的个人数据？管理员确认后，您的姓名、手机号将被清除，聊天账号解绑，"
                              "订单等业务记录保留。",
                              "Ask to delete your personal data? Once an admin approves, your name and phone are "
                              "erased and your chats unbound; business records such as orders are kept."),
    "privacy.erase.requested": ("已提交删除申请（编号 {id}），管理员处理后会生效。",
                                "Deletion request {id} sent; it takes effect when an admin approves it."),
    "privacy.admin.none": ("没有待处理的个人数据删除申请。", "No pending personal-data deletion requests."),
    "privacy.admin.list": ("待处理的个人数据删除申请：", "Pending personal-data deletion requests:"),
    "privacy.admin.approve": ("批准删除 #{id}", "Erase #{id}"),
    "privacy.admin.done": ("已删除用户 {user} 的个人数据（申请 #{id}）。",
                           "Personal data of {user} erased (request #{id})."),
    "privacy.btn.reveal": ("🔓 显示完整号码", "🔓 Show full number"),
    "privacy.revealed.ticket": ("🔓 工单 {number} 的客户：{name} {phone}", "🔓 Customer of ticket {number}: {name} {phone}"),
    "privacy.revealed.contact": ("🔓 {code} 的联系人：", "🔓 Contacts of {code}:"),
    "privacy.revealed.note": ("（请勿转发；本次查看已记录。）", "(Please do not forward it; this look is recorded.)"),
})

REVEAL_ACTIONS = {RevealKind.TICKET_CUSTOMER: "privacy.reveal.ticket", RevealKind.DEALER_CONTACT: "privacy.reveal.contact"}


def _policy(ctx: Ctx) -> Reply:
    rows: list[list[Button]] = []
    if ctx.bound:
        rows.append([Button(ctx.t("privacy.btn.export"), payload("privacy.export"))])
        if ctx.is_dealer:
            rows.append([Button(ctx.t("privacy.btn.erase"), payload("privacy.erase"))])
    rows.append([Button(ctx.t("privacy.btn.back"), payload("menu"))])
    return Reply(text=ctx.t("privacy.policy"), buttons=rows)


@router.command("privacy", "隐私")
@router.button("privacy.menu")
async def privacy(ctx: Ctx) -> list[Reply]:
    replies = [_policy(ctx)]
    if ctx.is_staff and Permission.USER_MANAGE in ctx.actor.permissions:
        replies.append(await _pending(ctx))
    return replies


async def _pending(ctx: Ctx) -> Reply:
    tasks = await list_erasure_requests(ctx.uow(), ctx.actor)
    if not tasks:
        return Reply(text=ctx.t("privacy.admin.none"))
    lines = [ctx.t("privacy.admin.list"), *(f"#{t.id} {t.title}" for t in tasks)]
    return Reply(text="\n".join(lines),
                 buttons=[[Button(ctx.t("privacy.admin.approve", id=t.id), payload("privacy.approve", t.id or 0))]
                          for t in tasks[:10]])


@router.button("privacy.export")
async def export(ctx: Ctx) -> list[Reply]:
    data = await export_my_data(ctx.uow(), ctx.actor, ctx.deps.clock)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    name = f"my-data-{data['user']['username']}.json"
    return [Reply(text=ctx.t("privacy.exported"), file=body, file_name=name)]


@router.button("privacy.erase")
async def erase(ctx: Ctx) -> list[Reply]:
    if not ctx.is_dealer:
        return [_policy(ctx)]
    return [Reply(text=ctx.t("privacy.erase.confirm"),
                  buttons=[[Button(ctx.t("privacy.btn.erase_yes"), payload("privacy.erase_yes")),
                            Button(ctx.t("privacy.btn.back"), payload("menu"))]])]


@router.button("privacy.erase_yes")
async def erase_yes(ctx: Ctx) -> list[Reply]:
    if not ctx.is_dealer:
        return [_policy(ctx)]
    task = await request_erasure(ctx.uow(), ctx.actor, ctx.deps.clock)
    return [Reply(text=ctx.t("privacy.erase.requested", id=task.id)), main_menu(ctx)]


@router.button("privacy.approve")
async def approve(ctx: Ctx) -> list[Reply]:
    try:
        task_id = int(ctx.args[0]) if ctx.args else 0
    except ValueError:
        task_id = 0
    user = await erase_personal_data(ctx.uow(), ctx.actor, ErasePersonalData(task_id), ctx.deps.clock)
    return [Reply(text=ctx.t("privacy.admin.done", user=user.username, id=task_id))]


# --- the audited reveal of a masked phone / name ---------------------------------------------------------

def reveal_button(ctx: Ctx, kind: RevealKind, ref: str) -> list[Button]:
    """A row with "Show full number" for a card that shows ``ref``'s personal data masked."""
    return [Button(ctx.t("privacy.btn.reveal"), payload(REVEAL_ACTIONS[kind], ref))]


def _revealed_text(ctx: Ctx, revealed: Revealed) -> str:
    if revealed.kind == RevealKind.TICKET_CUSTOMER:
        person = revealed.people[0]
        lines = [ctx.t("privacy.revealed.ticket", number=revealed.ref, name=person.name, phone=person.phone)]
    else:
        lines = [ctx.t("privacy.revealed.contact", code=revealed.ref)]
        lines.extend(f"• {p.name}" + (f"（{p.role}）" if p.role else "") + f" {p.phone}" for p in revealed.people)
    lines.append(ctx.t("privacy.revealed.note"))
    return "\n".join(lines)


@router.button(*REVEAL_ACTIONS.values())
async def reveal(ctx: Ctx) -> list[Reply]:
    action = ctx.inbound.payload.split("|")[1]
    kind = next(k for k, a in REVEAL_ACTIONS.items() if a == action)
    ref = ctx.args[0] if ctx.args else ""
    revealed = await reveal_personal_data(ctx.uow(), ctx.actor, kind, ref, ctx.deps.clock)
    return [Reply(text=_revealed_text(ctx, revealed))]
