"""Quality feedback (质量反馈): a guided form for the quality department.

Steps (state ``qf.<step>``)::

    product -> batch -> category (外观/功能/噪音/包装/其他) -> count -> desc -> photos -> confirm

The confirm button carries the form's nonce (one feedback per form however often it is tapped).
Staff holding QUALITY_HANDLE get a notice of each new feedback. Mobiles and ID numbers typed into the
description are shown masked (``core.masking.mask_text``), as everywhere in chat.

``qf.view|<number>``: one report as its dealer sees it, with the corrective work's steps so far
(core.services.quality.quality_feedback_history); another dealer's number answers "not found".
"""

from __future__ import annotations

from core.masking import mask_text
from core.quality import CorrectiveStatus, QualityFeedback
from core.services.quality import (
    CORRECTIVE_STATUS_LABELS,
    SubmitQualityFeedback,
    get_quality_feedback,
    quality_feedback_history,
    submit_quality_feedback,
)
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.schema import Intent

router = Router(name=__name__)

STEPS = ("product", "batch", "category", "count", "desc", "photos")
SKIPPABLE = frozenset({"batch", "desc"})
MAX_TEXT = 2000
MAX_BATCH = 64
# Stored in Chinese (the quality department's categories); shown in the chat's language.
DEFECT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("外观", "Appearance"), ("功能", "Function"), ("噪音", "Noise"), ("包装", "Packaging"), ("其他", "Other"),
)

i18n.register({
    "qf.title": ("⚠️ 质量反馈", "⚠️ Quality feedback"),
    "qf.ask.batch": ("请输入生产批次号（机身或包装上的批号）。不知道可点“跳过”。",
                     "Production batch / lot number (on the unit or the box)? Tap Skip if unknown."),
    "qf.ask.category": ("问题属于哪一类？", "What kind of defect is it?"),
    "qf.ask.count": ("有多少台（件）有这个问题？请输入数量。", "How many units have this defect?"),
    "qf.ask.desc": ("请描述问题（可点“跳过”）。", "Describe the problem (or tap Skip)."),
    "qf.ask.desc_hint": ("问题描述：{desc}\n点“使用此描述”，或发送新的描述。",
                         "Problem: {desc}\nTap \"Use this\" or send a new description."),
    "qf.keep_desc": ("✔ 使用此描述", "✔ Use this"),
    "qf.ask.photos": ("请发送问题照片（最多 {max} 张），发完点“完成”；没有照片也点“完成”。",
                      "Send photos (at most {max}), then tap Done. No photos? Tap Done."),
    "qf.summary": ("请确认质量反馈：\n产品：{product}\n批次：{batch}\n类别：{category}\n数量：{count}\n"
                   "描述：{desc}\n照片：{photos} 张",
                   "Please check the feedback:\nProduct: {product}\nBatch: {batch}\nCategory: {category}\n"
                   "Units: {count}\nDescription: {desc}\nPhotos: {photos}"),
    "qf.use_buttons": ("请点“确认提交”或“取消”。", "Please tap Submit or Cancel."),
    "qf.created": ("✅ 质量反馈已提交：{number}\n质量部门处理后会更新整改进度，感谢反馈！",
                   "✅ Quality feedback filed: {number}\nThe quality department will follow up. Thank you!"),
    "qf.none": ("无", "none"),
    "qf.detail": ("⚠️ {number} · {status}\n产品：{product}\n类别：{category} · 数量：{count}\n批次：{batch}\n"
                  "描述：{desc}\n照片：{photos} 张\n提交时间：{at}",
                  "⚠️ {number} · {status}\nProduct: {product}\nCategory: {category} · units: {count}\nBatch: {batch}\n"
                  "Description: {desc}\nPhotos: {photos}\nFiled: {at}"),
    "qf.note": ("整改说明：{note}", "Corrective action: {note}"),
    "qf.timeline": ("进度：", "Timeline:"),
    "qf.step": ("{at} {status}", "{at} {status}"),
    "qf.step_note": ("{at} {status}：{note}", "{at} {status}: {note}"),
    "qf.btn.view": ("🔎 查看反馈", "🔎 View report"),
    "qf.btn.list": ("📋 我的工单与反馈", "📋 My tickets & reports"),
})


async def start(ctx: Ctx, *, sku: str | None = None, hint: str = "") -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    ctx.go("qf.product", nonce=forms.new_nonce(), done=[], photos=[])
    if sku and any(p.sku == sku for p in await forms.active_products(ctx)):
        _done(ctx, "product", sku=sku)
    if hint.strip():
        ctx.dialog.data["desc_hint"] = forms.clip(hint, MAX_TEXT)
    return await _next(ctx, intro=True)


@router.button("qf.new")
@router.command("quality")
async def new(ctx: Ctx) -> list[Reply]:
    return await start(ctx)


@router.intent(Intent.QUALITY_FEEDBACK)
async def quality_intent(ctx: Ctx) -> list[Reply]:
    slots = ctx.parsed.slots if ctx.parsed else None
    text = ctx.inbound.text.strip()
    return await start(ctx, sku=slots.product if slots else None, hint=text if len(text) >= 6 else "")


@router.button("qf.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


def _done(ctx: Ctx, step: str, **values: object) -> None:
    forms.mark_done(ctx, step, **values)


async def _next(ctx: Ctx, *, intro: bool = False) -> list[Reply]:
    return await forms.next_step(ctx, STEPS, _ask, _summary, title=ctx.t("qf.title") if intro else "")


def _controls(ctx: Ctx, step: str) -> list[list[Button]]:
    return forms.step_controls(ctx, "qf", step, SKIPPABLE)


def _category_label(ctx: Ctx, stored: str) -> str:
    return next((ctx.pick(zh, en) for zh, en in DEFECT_CATEGORIES if zh == stored), stored)


async def _ask(ctx: Ctx, step: str) -> list[Reply]:
    ctx.dialog.state = f"qf.{step}"
    data = ctx.dialog.data
    if step == "product":
        products = await forms.active_products(ctx)
        return [Reply(text=ctx.t(forms.product_prompt_key(products)),
                      buttons=forms.product_buttons(ctx, products, "qf", extra=_controls(ctx, step)))]
    if step == "category":
        flat = [Button(ctx.pick(zh, en), payload("qf.cat", i)) for i, (zh, en) in enumerate(DEFECT_CATEGORIES)]
        return [Reply(text=ctx.t("qf.ask.category"), buttons=[flat[:3], flat[3:], *_controls(ctx, step)])]
    if step == "desc" and data.get("desc_hint"):
        return [Reply(text=ctx.t("qf.ask.desc_hint", desc=mask_text(data["desc_hint"])),
                      buttons=[[Button(ctx.t("qf.keep_desc"), payload("qf.keep"))], *_controls(ctx, step)])]
    if step == "photos":
        return [Reply(text=ctx.t("qf.ask.photos", max=forms.MAX_PHOTOS),
                      buttons=[[Button(ctx.t("form.done"), payload("qf.done"))], *_controls(ctx, step)])]
    return [Reply(text=ctx.t(f"qf.ask.{step}"), buttons=_controls(ctx, step))]


def _at(ctx: Ctx, step: str) -> bool:
    return ctx.dialog.state == f"qf.{step}"


@router.button("qf.sku")
async def pick_product(ctx: Ctx) -> list[Reply]:
    if not _at(ctx, "product"):
        return [Reply(text=ctx.t("error.button_stale"))]
    sku = forms.arg(ctx, 0)
    products = await forms.active_products(ctx)
    if not any(p.sku == sku for p in products):
        return [Reply(text=ctx.t("form.product_unknown", text=sku),
                      buttons=forms.product_buttons(ctx, products, "qf", extra=_controls(ctx, "product")))]
    _done(ctx, "product", sku=sku)
    return await _next(ctx)


@router.button("qf.pcat")
async def pick_product_category(ctx: Ctx) -> list[Reply]:
    if not _at(ctx, "product"):
        return [Reply(text=ctx.t("error.button_stale"))]
    index = forms.arg(ctx, 0)
    products = await forms.active_products(ctx)
    return [Reply(text=ctx.t("form.pick_product"),
                  buttons=forms.product_buttons(ctx, products, "qf", category=int(index) if index.isdigit() else None,
                                                extra=_controls(ctx, "product")))]


@router.button("qf.cat")
async def pick_category(ctx: Ctx) -> list[Reply]:
    index = forms.arg(ctx, 0)
    if not _at(ctx, "category") or not index.isdigit() or int(index) >= len(DEFECT_CATEGORIES):
        return [Reply(text=ctx.t("error.button_stale"))]
    _done(ctx, "category", category=DEFECT_CATEGORIES[int(index)][0])
    return await _next(ctx)


@router.button("qf.skip")
async def skip(ctx: Ctx) -> list[Reply]:
    step = ctx.dialog.state.removeprefix("qf.")
    if not ctx.dialog.state.startswith("qf.") or step not in SKIPPABLE:
        return [Reply(text=ctx.t("error.button_stale"))]
    _done(ctx, step)
    return await _next(ctx)


@router.button("qf.keep")
async def keep_description(ctx: Ctx) -> list[Reply]:
    hint = ctx.dialog.data.get("desc_hint")
    if not _at(ctx, "desc") or not hint:
        return [Reply(text=ctx.t("error.button_stale"))]
    _done(ctx, "desc", desc=hint)
    return await _next(ctx)


@router.button("qf.done")
async def photos_done(ctx: Ctx) -> list[Reply]:
    if not _at(ctx, "photos"):
        return [Reply(text=ctx.t("error.button_stale"))]
    _done(ctx, "photos")
    return await _next(ctx)


@router.state("qf")
async def answer(ctx: Ctx) -> list[Reply]:
    step = ctx.dialog.state.removeprefix("qf.")
    if step == "photos":
        if forms.is_photo(ctx):
            return [forms.add_photos(ctx, "qf.done")]
        if forms.is_done(forms.text_of(ctx)):
            _done(ctx, "photos")
            return await _next(ctx)
        return [Reply(text=ctx.t("form.photo_wanted"), buttons=[[Button(ctx.t("form.done"), payload("qf.done"))]])]
    text = forms.text_of(ctx)
    if step == "confirm":
        return [Reply(text=ctx.t("qf.use_buttons"))] + await _summary(ctx)
    if not text:
        return [Reply(text=ctx.t("form.text_wanted"))] + await _ask(ctx, step)
    if step in SKIPPABLE and forms.is_skip(text):
        _done(ctx, step)
        return await _next(ctx)
    if step == "product":
        products = await forms.active_products(ctx)
        sku = forms.match_product(text, products)
        if sku is None:
            return [Reply(text=ctx.t("form.product_unknown", text=forms.clip(text, 30)),
                          buttons=forms.product_buttons(ctx, products, "qf", extra=_controls(ctx, step)))]
        _done(ctx, "product", sku=sku)
    elif step == "batch":
        if len(text) > MAX_BATCH:
            return [Reply(text=ctx.t("form.text_too_long", limit=MAX_BATCH), buttons=_controls(ctx, step))]
        _done(ctx, "batch", batch=text)
    elif step == "category":
        chosen = next((zh for zh, en in DEFECT_CATEGORIES if text.lower() in (zh, en.lower())), None)
        if chosen is None:
            return await _ask(ctx, "category")
        _done(ctx, "category", category=chosen)
    elif step == "count":
        count = forms.read_count(text)
        if count is None:
            return [Reply(text=ctx.t("form.number_bad"), buttons=_controls(ctx, step))]
        _done(ctx, "count", count=count)
    elif step == "desc":
        if len(text) > MAX_TEXT:
            return [Reply(text=ctx.t("form.text_too_long", limit=MAX_TEXT), buttons=_controls(ctx, step))]
        _done(ctx, "desc", desc=text)
    return await _next(ctx)


async def _summary(ctx: Ctx) -> list[Reply]:
    ctx.dialog.state = "qf.confirm"
    data = ctx.dialog.data
    products = await forms.active_products(ctx)
    text = ctx.t("qf.summary", product=forms.product_name(products, data.get("sku")),
                 batch=data.get("batch") or ctx.t("qf.none"), category=_category_label(ctx, data.get("category", "")),
                 count=data.get("count"), desc=mask_text(data.get("desc")) or ctx.t("qf.none"),
                 photos=len(data.get("photos") or []))
    return [Reply(text=text, buttons=[[Button(ctx.t("form.submit"), payload("qf.ok", data["nonce"]))],
                                      forms.cancel_row(ctx, "qf")])]


@router.button("qf.ok")
async def confirm(ctx: Ctx) -> list[Reply]:
    nonce = forms.arg(ctx, 0)
    already = forms.submitted_ref(ctx, nonce)
    if already is not None:
        return _created(ctx, await get_quality_feedback(ctx.uow(), ctx.actor, already))
    if not forms.form_is(ctx, "qf.confirm", nonce):
        return [Reply(text=ctx.t("error.button_stale"))]
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    data = ctx.dialog.data
    assert ctx.actor.dealer_id is not None  # require_dealer
    feedback = await submit_quality_feedback(ctx.uow(), ctx.actor, SubmitQualityFeedback(
        dealer_id=ctx.actor.dealer_id, sku=str(data.get("sku", "")), defect_category=str(data.get("category", "")),
        count=int(data.get("count", 0)), description=str(data.get("desc") or ""), batch=data.get("batch") or None,
        photos=list(data.get("photos") or []),
    ), ctx.deps.clock)
    forms.remember_submitted(ctx, nonce, feedback.number)
    return _created(ctx, feedback)


def _created(ctx: Ctx, feedback: QualityFeedback) -> list[Reply]:
    return [Reply(text=ctx.t("qf.created", number=feedback.number),
                  buttons=[[Button(ctx.t("qf.btn.view"), payload("qf.view", feedback.number))],
                           [forms.menu_button(ctx)]])]


# --- one report ------------------------------------------------------------------------------------

def status_label(ctx: Ctx, status: CorrectiveStatus) -> str:
    zh, en = CORRECTIVE_STATUS_LABELS[status]
    return ctx.pick(zh, en)


@router.button("qf.view")
async def view(ctx: Ctx) -> list[Reply]:
    if (refused := require_bound(ctx)) is not None:
        return refused
    return await feedback_detail(ctx, forms.arg(ctx, 0))


async def feedback_detail(ctx: Ctx, number: str) -> list[Reply]:
    """One quality report as the actor may see it (core decides), with its steps; the description and the
    notes masked. Also the answer to a follow-up question (handlers.flows.followups)."""
    feedback = await get_quality_feedback(ctx.uow(), ctx.actor, number)
    steps = await quality_feedback_history(ctx.uow(), ctx.actor, feedback.number)
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=feedback.sku)
    lines = [ctx.t("qf.detail", number=feedback.number, status=status_label(ctx, feedback.corrective_status),
                   product=forms.product_label(product) if product else feedback.sku,
                   category=_category_label(ctx, feedback.defect_category), count=feedback.count,
                   batch=feedback.batch or ctx.t("qf.none"), desc=mask_text(feedback.description) or ctx.t("qf.none"),
                   photos=len(feedback.photos), at=forms.local_time(ctx, feedback.created_at))]
    if feedback.corrective_note:
        lines.append(ctx.t("qf.note", note=mask_text(feedback.corrective_note)))
    if steps:
        lines.append(ctx.t("qf.timeline"))
        for s in steps:
            at, status = forms.local_time(ctx, s.at), status_label(ctx, s.status)
            lines.append(ctx.t("qf.step_note", at=at, status=status, note=mask_text(s.note)) if s.note
                         else ctx.t("qf.step", at=at, status=status))
    return [Reply(text="\n".join(lines), buttons=[[follow_up_list_button(ctx), forms.menu_button(ctx)]])]


def follow_up_list_button(ctx: Ctx) -> Button:
    """The dealer's tickets and quality reports together (``fu.list``, handlers.flows.followups)."""
    return Button(ctx.t("qf.btn.list"), payload("fu.list"))


