"""Staff: marketing material requests. Approve / reject (a reason asked), the request card, dispatch.

Payloads: ``staff.mat.approve|id``, ``staff.mat.reject|id``, ``staff.mat.detail|id``, ``staff.mat.dispatch|id``
(a confirm card: the stock goes out for good), ``staff.mat.dispatch_ok|id`` (the dispatch). The card's buttons name
the request (#id): a list whose positions shifted after a decision cannot make a typed number act on another one.
Shared pieces: ``handlers.flows.staff``.
"""

from __future__ import annotations

from typing import Any

from core.authz import require
from core.campaigns import MarketingMaterial, MaterialRequest, RequestStatus
from core.dealers import Dealer
from core.errors import Conflict, DomainError, InvalidTransition, NotFound
from core.masking import mask_text
from core.services import materials
from core.services.materials import REQUEST_STATUS_LABELS
from core.services.queues import Queue, all_waiting
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms, staff_words
from handlers.flows.menu import require_bound
from handlers.flows.staff import (
    REASON,
    REJECTIONS,
    _already,
    _ask,
    _b,
    _decided_line,
    _edited,
    _int_arg,
    _label,
    _stale,
    confirm_row,
    drop_pending,
)
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.staff_commands import (
    HASH_REF,
    MATERIAL_DECISION,
    MATERIAL_NAMED,
    StaffVerb,
    parse_hash_command,
    parse_material_decision,
)

router = Router(name=__name__)

P = Permission

i18n.register({
    "staff.mat.btn.approve": ("✅ 通过 #{id}", "✅ Approve #{id}"),
    "staff.mat.btn.reject": ("❌ 驳回 #{id}", "❌ Reject #{id}"),
    "staff.mat.btn.dispatch": ("🚚 发货 #{id}", "🚚 Dispatch #{id}"),
    "staff.mat.btn.dispatch_ok": ("✅ 确认发货 #{id}", "✅ Dispatch #{id} now"),
    "staff.mat.reject_confirm": ("确认驳回物料申请 #{id}？\n{name} ×{qty} → {dealer}（{code}）\n原因：{reason}\n"
                                 "（经销商会收到这个原因）",
                                 "Reject material request #{id}?\n{name} ×{qty} → {dealer} ({code})\nReason: {reason}\n"
                                 "(the dealer is told this reason)"),
    "staff.mat.approve_part_confirm": ("确认部分通过物料申请 #{id}？\n{name} 申请 ×{qty}，批准 ×{granted} → {dealer}（{code}）\n"
                                       "（经销商会收到批准 ×{granted}）",
                                       "Approve material request #{id} in part?\n{name} asked x{qty}, granted x{granted} → "
                                       "{dealer} ({code})\n(the dealer is told x{granted})"),
    "staff.mat.btn.approve_part": ("✅ 通过 #{id}，只给 {granted}", "✅ Approve #{id}, {granted} only"),
    "staff.mat.too_many": ("物料申请 #{id} 只申请了 {qty}，不能批准 {granted}；没有做任何操作。",
                           "Material request #{id} asks for {qty}; {granted} cannot be granted. Nothing was done."),
    "staff.mat.approve_confirm": ("确认通过物料申请 #{id}？\n{name} ×{qty} → {dealer}（{code}）",
                                  "Approve material request #{id}?\n{name} ×{qty} → {dealer} ({code})"),
    "staff.mat.not_pending": ("物料申请 #{id} 现在是“{status}”，不在待审批，没有做任何操作。",
                              "Material request #{id} is {status}, not waiting for approval; nothing was done."),
    "staff.mat.btn.reject_ok": ("❌ 确认驳回 #{id}", "❌ Reject #{id}"),
    "staff.mat.none_of": ("没有找到{dealer}{what}待处理的物料申请。", "No material request of {dealer}{what} waits."),
    "staff.mat.which": ("{dealer}{what}有 {n} 条待处理的物料申请，请选择：",
                        "{n} material requests of {dealer}{what} wait; choose one:"),
    "staff.mat.found": ("找到这条物料申请，请按按钮确认：", "This is the request; press a button to act:"),
    "staff.mat.no_such": ("没有找到物料申请 #{id}。", "Material request #{id}: not found."),
    "staff.mat.btn.list": ("🎁 物料申请列表", "🎁 Material requests"),
    "staff.mat.dispatch_confirm": ("确认物料申请 #{id} 发货？\n{name} ×{qty} → {dealer}（{code}）\n发货后库存扣减 {qty}，"
                                   "不能撤回。",
                                   "Dispatch material request #{id}?\n{name} ×{qty} → {dealer} ({code})\n"
                                   "{qty} leave the stock; this cannot be undone."),
})


def mat_buttons(ctx: Ctx, request: MaterialRequest) -> list[list[Button]]:
    """What may be done with the request now, each button naming it: 通过 / 驳回 while pending, 发货 (asked to
    confirm) once approved."""
    rid = request.id or 0
    if request.status == RequestStatus.PENDING:
        return [[Button(ctx.t("staff.mat.btn.approve", id=rid), payload("staff.mat.approve", rid)),
                 Button(ctx.t("staff.mat.btn.reject", id=rid), payload("staff.mat.reject", rid))]]
    if request.status == RequestStatus.APPROVED:
        return [[Button(ctx.t("staff.mat.btn.dispatch", id=rid), payload("staff.mat.dispatch", rid))]]
    return []


# --- marketing material requests ----------------------------------------------------------------

async def _mat_with_context(ctx: Ctx, request_id: int) -> tuple[MaterialRequest, MarketingMaterial, Dealer]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    async with ctx.uow() as uow:
        request = await uow.material_requests.get(request_id)
        material = await uow.materials.get(request.material_id) if request is not None else None
        dealer = await uow.dealers.get(request.dealer_id) if request is not None else None
    if request is None or material is None or dealer is None:
        raise NotFound(zh=f"未找到物料申请：{request_id}", en=f"Material request not found: {request_id}",
                       what=f"material request {request_id}")
    return request, material, dealer


def _mat_params(request: MaterialRequest, material: MarketingMaterial, dealer: Dealer) -> dict[str, Any]:
    return {"id": request.id, "name": material.name, "qty": request.qty, "code": dealer.code, "dealer": dealer.name}


async def _mat_taken(ctx: Ctx, request_id: int, prompt_ref: str, error: DomainError) -> list[Reply]:
    async with ctx.uow() as uow:
        request = await uow.material_requests.get(request_id)
    if request is None or request.status == RequestStatus.PENDING:
        raise error
    return await _already(ctx, f"#{request_id}", request.decided_by, request.decided_at,
                          _label(ctx.lang, REQUEST_STATUS_LABELS[request.status]), prompt_ref)


@router.button("staff.mat.approve")
async def approve_mat(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    drop_pending(ctx)
    request_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    granted = _int_arg(ctx, 1) if len(ctx.args) > 1 else None      # "只给20套": fewer than asked, confirmed
    try:
        request = await materials.approve_material_request(ctx.uow(), ctx.actor, request_id, ctx.deps.clock,
                                                           qty=granted)
    except (Conflict, InvalidTransition) as exc:
        return await _mat_taken(ctx, request_id, prompt_ref, exc)
    _, material, dealer = await _mat_with_context(ctx, request_id)
    text = ctx.t("staff.mat.approved", **_mat_params(request, material, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref, mat_buttons(ctx, request))]


@router.button("staff.mat.reject")
async def reject_mat_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    drop_pending(ctx)
    request_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    request, _, _ = await _mat_with_context(ctx, request_id)
    if request.status != RequestStatus.PENDING:
        return await _mat_taken(ctx, request_id, prompt_ref, InvalidTransition())
    ctx.go(REASON, kind="mat", ref=request_id, prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.mat.ask_reason", id=request_id))]


async def _reject_mat(ctx: Ctx, request_id: int, reason: str, prompt_ref: str) -> list[Reply]:
    try:
        request = await materials.reject_material_request(ctx.uow(), ctx.actor, request_id, reason, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _mat_taken(ctx, request_id, prompt_ref, exc)
    _, material, dealer = await _mat_with_context(ctx, request_id)
    text = ctx.t("staff.mat.rejected", reason=mask_text(reason), **_mat_params(request, material, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


def _mat_prompt_text(ctx: Ctx, request: MaterialRequest, material: MarketingMaterial, dealer: Dealer) -> str:
    why = ctx.t("staff.mat.reason", reason=request.reason) if request.reason else ""
    return ctx.t("staff.mat.prompt", stock=material.stock, reason=why, **_mat_params(request, material, dealer))


@router.button("staff.mat.detail")
async def mat_detail(ctx: Ctx) -> list[Reply]:
    request, material, dealer = await _mat_with_context(ctx, _int_arg(ctx, 0))
    lines = [_mat_prompt_text(ctx, request, material, dealer),
             ctx.t("staff.mat.status", status=_label(ctx.lang, REQUEST_STATUS_LABELS[request.status]))]
    if request.reject_reason:
        lines.append(f"⚠️ {request.reject_reason}")
    return [Reply(text="\n".join(lines), buttons=mat_buttons(ctx, request))]


@router.button("staff.mat.dispatch")
async def dispatch_mat_ask(ctx: Ctx) -> list[Reply]:
    """The dispatch cannot be taken back (the stock goes out): the request named, and a second, named press."""
    require(ctx.actor, P.MATERIAL_APPROVE)
    request, material, dealer = await _mat_with_context(ctx, _int_arg(ctx, 0))
    if request.status != RequestStatus.APPROVED:
        return await mat_detail(ctx)           # dispatched already or not approved: the card says what it is
    rid = request.id or 0
    return [Reply(text=ctx.t("staff.mat.dispatch_confirm", **_mat_params(request, material, dealer)),
                  buttons=[confirm_row(ctx, ctx.t("staff.mat.btn.dispatch_ok", id=rid),
                                       payload("staff.mat.dispatch_ok", rid))])]


@router.button("staff.mat.dispatch_ok")
async def dispatch_mat(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    request_id, prompt_ref = _int_arg(ctx, 0), ctx.inbound.message_ref
    try:
        request = await materials.dispatch_material_request(ctx.uow(), ctx.actor, request_id, ctx.deps.clock)
    except InvalidTransition:
        found, _, _ = await _mat_with_context(ctx, request_id)
        if found.status != RequestStatus.DISPATCHED:
            raise
        return await _already(ctx, f"#{request_id}", found.dispatched_by, found.dispatched_at,
                              _label(ctx.lang, REQUEST_STATUS_LABELS[found.status]), prompt_ref)
    _, material, dealer = await _mat_with_context(ctx, request_id)
    text = ctx.t("staff.mat.dispatched", stock=material.stock, **_mat_params(request, material, dealer))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


# --- typed: "#8", "#4 驳回 原因", "金鼎那个样机的申请同意了" ---------------------------------------------------

@router.staff_pattern(HASH_REF)
async def numbered_request(ctx: Ctx) -> list[Reply]:
    """"#8": that material request's card (was: "您是想上报销量吗？"); "#4 驳回 原因": a confirm card carrying the
    reason; "#6 发货": the dispatch confirm card; "#8 通过": the card with its named buttons. Only a press acts."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    command = parse_hash_command(ctx.inbound.text)
    if command is None or P.MATERIAL_APPROVE not in ctx.actor.permissions:
        return await staff_words.staff_help(ctx)
    drop_pending(ctx)
    ctx.args = [str(command.ref)]
    try:
        request, material, dealer = await _mat_with_context(ctx, command.ref)
    except NotFound:
        return [Reply(text=ctx.t("staff.mat.no_such", id=command.ref),
                      buttons=[[_b(ctx, "staff.mat.btn.list", "q.materials", 0)]])]
    if command.verb == StaffVerb.SHIP:
        return await dispatch_mat_ask(ctx)
    if command.verb == StaffVerb.APPROVE:       # "#2 批准" (was: the card only)
        return await approve_confirm(ctx, request, material, dealer, command.qty)
    if command.verb == StaffVerb.REJECT and command.reason and request.status == RequestStatus.PENDING:
        nonce = forms.new_nonce()
        ctx.dialog.data["mat_reject"] = {"nonce": nonce, "ref": command.ref, "reason": command.reason}
        rid = request.id or 0
        return [Reply(text=ctx.t("staff.mat.reject_confirm", reason=mask_text(command.reason),
                                 **_mat_params(request, material, dealer)),
                      buttons=[confirm_row(ctx, ctx.t("staff.mat.btn.reject_ok", id=rid),
                                           payload("staff.mat.reject_ok", nonce))])]
    return await mat_detail(ctx)


async def approve_confirm(ctx: Ctx, request: MaterialRequest, material: MarketingMaterial,
                          dealer: Dealer, granted: int | None = None) -> list[Reply]:
    """A request said to be approved in words: named whole with its ✅ 通过 button (a press acts); one not waiting:
    its status said, and its card. ``granted`` fewer than asked ("#8 批准 但是只给20套", QA s27 P9): the confirm
    names both and its button approves that many; more than asked: refused (was: the whole 50 approved)."""
    rid = request.id or 0
    ctx.args = [str(rid)]
    if request.status != RequestStatus.PENDING:
        status = _label(ctx.lang, REQUEST_STATUS_LABELS[request.status])
        return [Reply(text=ctx.t("staff.mat.not_pending", id=rid, status=status)), *await mat_detail(ctx)]
    if granted is not None and granted != request.qty:
        params = {**_mat_params(request, material, dealer), "granted": granted}
        if not 0 < granted < request.qty:
            return [Reply(text=ctx.t("staff.mat.too_many", **params)), *await mat_detail(ctx)]
        return [Reply(text=ctx.t("staff.mat.approve_part_confirm", **params),
                      buttons=[confirm_row(ctx, ctx.t("staff.mat.btn.approve_part", id=rid, granted=granted),
                                           payload("staff.mat.approve", rid, granted))])]
    return [Reply(text=ctx.t("staff.mat.approve_confirm", **_mat_params(request, material, dealer)),
                  buttons=[confirm_row(ctx, ctx.t("staff.mat.btn.approve", id=rid), payload("staff.mat.approve", rid))])]


@router.button("staff.mat.reject_ok")
async def reject_mat_confirmed(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.MATERIAL_APPROVE)
    held = ctx.dialog.data.get("mat_reject")
    if not isinstance(held, dict) or held.get("nonce") != forms.arg(ctx, 0):
        raise _stale()
    ctx.dialog.data.pop("mat_reject", None)
    return await _reject_mat(ctx, int(held["ref"]), str(held["reason"]), ctx.inbound.message_ref)


@router.staff_pattern(MATERIAL_DECISION)
@router.staff_pattern(MATERIAL_NAMED)
async def decision_in_words(ctx: Ctx) -> list[Reply]:
    """"金鼎那个样机的申请同意了" (was: "此功能仅供经销商用户使用"): the waiting request of that dealer (of that
    material), its card with the buttons naming it; several: which one. Nothing acts without a press."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    said = parse_material_decision(ctx.inbound.text)
    if said is None or P.MATERIAL_APPROVE not in ctx.actor.permissions:
        return await staff_words.staff_help(ctx)
    drop_pending(ctx)
    dealers = {d.id for d in await forms.dealers_by_words(ctx, said.dealer, 20)}
    wanted = RequestStatus.PENDING.value
    items = [i for i in await all_waiting(ctx.uow(), ctx.actor, Queue.MATERIALS, ctx.deps.clock)
             if i.dealer_id in dealers and i.status == wanted and said.what.lower() in i.summary.lower()]
    what = f"“{said.what}”" if said.what else ""
    if not items:
        return [Reply(text=ctx.t("staff.mat.none_of", dealer=said.dealer, what=what),
                      buttons=[[_b(ctx, "staff.mat.btn.list", "q.materials", 0)]])]
    if len(items) > 1:
        return [Reply(text=ctx.t("staff.mat.which", dealer=said.dealer, what=what, n=len(items)),
                      buttons=[[Button(f"🎁 #{i.ref} {i.dealer_code} {i.summary}"[:40], payload("staff.mat.detail", i.ref))]
                               for i in items[:6]])]
    ctx.args = [items[0].ref]
    if said.verb == StaffVerb.APPROVE:      # "把金鼎的海报批了": named whole with ✅ 通过 (a press acts)
        return await approve_confirm(ctx, *await _mat_with_context(ctx, int(items[0].ref)))
    return [Reply(text=ctx.t("staff.mat.found")), *await mat_detail(ctx)]


async def _rejected(ctx: Ctx, ref: str, reason: str, data: dict[str, Any]) -> list[Reply]:
    if not ref.isdigit():
        raise _stale()
    return await _reject_mat(ctx, int(ref), reason, str(data.get("prompt", "")))


REJECTIONS["mat"] = _rejected
