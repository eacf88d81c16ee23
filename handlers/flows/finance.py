"""Finance in chat: what waits for finance today, rebate settlements to approve, and queues that page.

- /today's finance lines (disputes, rebates, claims, refunds/adjustments, bank rows, credit requests) come from
  ``core.services.queues`` like every role's (``handlers.flows.staff_queues``); the texts are registered here.
- ``/rebates_due`` (button ``fin.rb.list|<offset>``): rebate settlements awaiting approval, a page at a
  time, with ✅ 批准 / ❌ 驳回 (``fin.rb.ok|<id>``, ``fin.rb.no|<id>`` then the reason); the use case
  (core.services.rebates.decide_settlement) checks the permission and the state again.
- ``pager_row``: the 上一页 / 下一页 buttons every staff list uses to go past its first screen
  (payload ``<action>|<offset>``), instead of a "…and 13 more" dead end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from core.banking import BankRowRecord
from core.money import fmt_cny
from core.rebates import SettlementStatus
from core.services.bank_import import assign_bank_row, ignore_bank_row, list_unmatched
from core.services.dealers import get_dealer_by_code
from core.services.rebates import (
    SETTLEMENT_STATUS_LABELS,
    DecideSettlement,
    decide_settlement,
    list_pending_settlements,
)
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

T = TypeVar("T")
PAGE = 5              # items per screen of a staff list
TOP = 3               # items named per line of /today
MAX_REASON = 500

i18n.register({
    "page.next": ("下一页 ▶", "Next ▶"),
    "page.prev": ("◀ 上一页", "◀ Previous"),
    "page.none": ("没有可以翻页的列表。请先打开一个列表（例如 /today 或 /approvals）。",
                  "There is no list to page through. Open one first (e.g. /today or /approvals)."),
    "page.where": ("第 {first}–{last} 条，共 {total} 条", "{first}–{last} of {total}"),
    "fin.today.disputes": ("对账异议：{n}", "Statement disputes: {n}"),
    "fin.today.rebates": ("待审批返利结算：{n}", "Rebate settlements to approve: {n}"),
    "fin.today.claims": ("待审核费用核销：{n}", "Expense claims to check: {n}"),
    "fin.today.credit": ("待审批额度申请：{n}", "Credit requests to decide: {n}"),
    "fin.btn.disputes": ("🧾 对账异议", "🧾 Disputes"),
    "fin.btn.rebates": ("💰 返利审批", "💰 Rebates"),
    "fin.btn.claims": ("🧾 费用核销", "🧾 Claims"),
    "fin.btn.credit": ("💳 额度审批", "💳 Credit"),
    "fin.today.requests": ("待审批退款/调账：{n}", "Refunds/adjustments to approve: {n}"),
    "fin.btn.requests": ("🧾 退款/调账审批", "🧾 Refunds & adjustments"),
    "fin.btn.pay": ("💵 记一笔回款", "💵 Record a payment"),
    "fin.today.bank": ("待匹配银行流水：{n}", "Bank rows to match: {n}"),
    "fin.btn.bank": ("🏦 待匹配流水", "🏦 Bank rows"),
    "fin.bk.none": ("没有待匹配的银行流水。导入银行流水：dms payments import 文件", "No bank row waits. Import a "
                    "bank file with: dms payments import FILE"),
    "fin.bk.head": ("🏦 待匹配的银行流水（{where}）：", "🏦 Bank rows to match ({where}):"),
    "fin.bk.assign": ("➡️ 指定经销商", "➡️ Assign a dealer"),
    "fin.bk.ignore": ("🚫 忽略", "🚫 Ignore"),
    "fin.bk.ask_dealer": ("这笔流水是哪家经销商的回款？请输入经销商编码（例如 D0005）：",
                          "Whose payment is it? Type the dealer code (e.g. D0005):"),
    "fin.bk.ask_reason": ("为什么忽略这笔流水？（例如：银行结息、退回款）", "Why is this row ignored (e.g. bank interest)?"),
    "fin.bk.assigned": ("✅ 已入账：{line} → {dealer} 预存款。", "✅ Booked: {line} -> {dealer} prepayment."),
    "fin.bk.ignored": ("🚫 已忽略：{line}（{reason}）", "🚫 Ignored: {line} ({reason})"),
    "fin.rb.none": ("没有待审批的返利结算。", "No rebate settlement awaits approval."),
    "fin.rb.head": ("💰 待审批的返利结算（{where}）：", "💰 Rebate settlements awaiting approval ({where}):"),
    "fin.rb.ok": ("✅ 批准结算", "✅ Approve"),
    "fin.rb.no": ("❌ 驳回", "❌ Reject"),
    "fin.rb.reason": ("请输入驳回这笔返利结算的原因：", "Why is this rebate settlement rejected?"),
    "fin.rb.decided": ("返利结算 {number}（{period}）{amount}：{status}。",
                       "Rebate settlement {number} ({period}) {amount}: {status}."),
    "fin.staff_only": ("此功能仅限财务人员使用。", "This is for finance staff."),
})


# --- paging ---------------------------------------------------------------------------------------

def offset_arg(ctx: Ctx, index: int = 0) -> int:
    """The offset a pager button carries (0 for a typed command or a forged value)."""
    raw = ctx.args[index].strip() if len(ctx.args) > index else ""
    return int(raw) if raw.isdigit() and int(raw) < 1_000_000 else 0


def page_of(items: Sequence[T], offset: int, size: int = PAGE) -> list[T]:
    """The screen starting at ``offset`` (the last full screen when the list got shorter meanwhile)."""
    if offset >= len(items):
        offset = max(0, (len(items) - 1) // size * size)
    return list(items[offset:offset + size])


def page_where(ctx: Ctx, offset: int, shown: int, total: int) -> str:
    return ctx.t("page.where", first=min(offset + 1, total), last=offset + shown, total=total)


def pager_row(ctx: Ctx, action: str, offset: int, total: int, size: int = PAGE) -> list[Button]:
    """◀ / ▶ for the screens before and after the one at ``offset``; empty when everything fits."""
    row = []
    if offset > 0:
        row.append(Button(ctx.t("page.prev"), payload(action, max(0, offset - size))))
    if offset + size < total:
        row.append(Button(ctx.t("page.next"), payload(action, offset + size)))
    remember_pages(ctx, prev=row[0].payload if offset > 0 else "",
                   next=row[-1].payload if offset + size < total else "")
    return row


def remember_pages(ctx: Ctx, *, prev: str, next: str) -> None:  # noqa: A002 (the words staff type)
    """Keep the payloads of the screen before and after the list just shown, for a typed 下一页 / 上一页 / 更多
    (``handlers.service`` presses them)."""
    if not prev and not next:       # a list that fits one screen: nothing to remember (and no dialog write)
        ctx.dialog.data.pop("pages", None)
        return
    ctx.dialog.data["pages"] = {"prev": prev, "next": next}


# --- rebate settlements ---------------------------------------------------------------------------

def _refused(ctx: Ctx) -> list[Reply] | None:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if not ctx.is_staff or Permission.ACCOUNT_POST not in ctx.actor.permissions:
        return [Reply(text=ctx.t("fin.staff_only"))]
    return None


@router.command("rebates_due")
@router.button("fin.rb.list")
async def rebates_due(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    waiting = await list_pending_settlements(ctx.uow(), ctx.actor)
    if not waiting:
        return [Reply(text=ctx.t("fin.rb.none"), buttons=[[forms.menu_button(ctx)]])]
    offset = offset_arg(ctx)
    shown = page_of(waiting, offset)
    offset = waiting.index(shown[0])
    replies = [Reply(text=ctx.t("fin.rb.head", where=page_where(ctx, offset, len(shown), len(waiting))))]
    for item in shown:
        sid = item.settlement.id or 0
        replies.append(Reply(text=item.summary(ctx.lang),
                             buttons=[[Button(ctx.t("fin.rb.ok"), payload("fin.rb.ok", sid)),
                                       Button(ctx.t("fin.rb.no"), payload("fin.rb.no", sid))]]))
    pager = pager_row(ctx, "fin.rb.list", offset, len(waiting))
    replies[-1].buttons.append(pager or [forms.menu_button(ctx)])
    return replies


def _id(ctx: Ctx) -> int:
    raw = forms.arg(ctx, 0)
    return int(raw) if raw.isdigit() else 0


async def _decide(ctx: Ctx, settlement_id: int, approve: bool, note: str) -> list[Reply]:
    row = await decide_settlement(ctx.uow(), ctx.actor, DecideSettlement(settlement_id, approve, note),
                                  ctx.deps.clock)
    zh, en = SETTLEMENT_STATUS_LABELS[SettlementStatus(row.status)]
    return [Reply(text=ctx.t("fin.rb.decided", number=row.contract_number, period=row.period,
                             amount=fmt_cny(row.amount), status=ctx.pick(zh, en)),
                  buttons=[[Button(ctx.t("fin.btn.rebates"), payload("fin.rb.list", 0)), forms.menu_button(ctx)]])]


@router.button("fin.rb.ok")
async def rebate_approve(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    return await _decide(ctx, _id(ctx), True, "")


@router.button("fin.rb.no")
async def rebate_reject(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    ctx.go("fin.rb.reason", settlement_id=_id(ctx))
    return [Reply(text=ctx.t("fin.rb.reason"), buttons=[forms.cancel_row(ctx, "fin.rb")])]


@router.button("fin.rb.cancel")
async def rebate_cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


@router.state("fin.rb.reason")
async def rebate_reason(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    reason = forms.text_of(ctx)
    if not reason:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, "fin.rb")])]
    settlement_id = int(ctx.dialog.data.get("settlement_id") or 0)
    ctx.idle()
    return await _decide(ctx, settlement_id, False, reason[:MAX_REASON])


# --- bank rows to match ---------------------------------------------------------------------------

def _bank_line(row: BankRowRecord) -> str:
    text = f"#{row.id} {row.paid_on.isoformat()} {row.payer} {fmt_cny(row.amount)}"
    return text + (f" {forms.clip(row.reference, 20)}" if row.reference else "")


@router.command("bank")
@router.button("fin.bk.list")
async def bank_rows(ctx: Ctx) -> list[Reply]:
    """Rows of imported bank files that matched no dealer, a page at a time, to assign or ignore."""
    if (refused := _refused(ctx)) is not None:
        return refused
    offset = offset_arg(ctx)
    rows, total = await list_unmatched(ctx.uow(), ctx.actor, limit=PAGE, offset=offset)
    if not rows and offset:
        offset = 0
        rows, total = await list_unmatched(ctx.uow(), ctx.actor, limit=PAGE)
    if not rows:
        return [Reply(text=ctx.t("fin.bk.none"), buttons=[[forms.menu_button(ctx)]])]
    replies = [Reply(text=ctx.t("fin.bk.head", where=page_where(ctx, offset, len(rows), total)))]
    for row in rows:
        rid = row.id or 0
        replies.append(Reply(text=_bank_line(row) + (f"\n{row.account}" if row.account else ""),
                             buttons=[[Button(ctx.t("fin.bk.assign"), payload("fin.bk.as", rid)),
                                       Button(ctx.t("fin.bk.ignore"), payload("fin.bk.ig", rid))]]))
    pager = pager_row(ctx, "fin.bk.list", offset, total)
    replies[-1].buttons.append(pager or [forms.menu_button(ctx)])
    return replies


@router.button("fin.bk.as")
async def bank_assign_ask(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    ctx.go("fin.bk.dealer", row_id=_id(ctx))
    return [Reply(text=ctx.t("fin.bk.ask_dealer"), buttons=[forms.cancel_row(ctx, "fin.bk")])]


@router.button("fin.bk.ig")
async def bank_ignore_ask(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    ctx.go("fin.bk.reason", row_id=_id(ctx))
    return [Reply(text=ctx.t("fin.bk.ask_reason"), buttons=[forms.cancel_row(ctx, "fin.bk")])]


@router.button("fin.bk.cancel")
async def bank_cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


def _after_bank(ctx: Ctx, text: str) -> list[Reply]:
    return [Reply(text=text, buttons=[[Button(ctx.t("fin.btn.bank"), payload("fin.bk.list", 0)),
                                       forms.menu_button(ctx)]])]


@router.state("fin.bk.dealer")
async def bank_assign(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    code = forms.text_of(ctx)
    if not code:
        return [Reply(text=ctx.t("fin.bk.ask_dealer"), buttons=[forms.cancel_row(ctx, "fin.bk")])]
    dealer = await get_dealer_by_code(ctx.uow(), ctx.actor, code.split()[0])
    row_id = int(ctx.dialog.data.get("row_id") or 0)
    ctx.idle()
    row = await assign_bank_row(ctx.uow(), ctx.actor, row_id, dealer.id or 0, ctx.deps.clock)
    return _after_bank(ctx, ctx.t("fin.bk.assigned", line=_bank_line(row), dealer=f"{dealer.code} {dealer.name}"))


@router.state("fin.bk.reason")
async def bank_ignore(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    reason = forms.text_of(ctx)
    if not reason:
        return [Reply(text=ctx.t("fin.bk.ask_reason"), buttons=[forms.cancel_row(ctx, "fin.bk")])]
    row_id = int(ctx.dialog.data.get("row_id") or 0)
    ctx.idle()
    row = await ignore_bank_row(ctx.uow(), ctx.actor, row_id, reason[:MAX_REASON], ctx.deps.clock)
    return _after_bank(ctx, ctx.t("fin.bk.ignored", line=_bank_line(row), reason=reason[:60]))
