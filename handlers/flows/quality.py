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

from datetime import date, timedelta

from core.masking import mask_text
from core.orders import OrderStatus
from core.quality import CorrectiveStatus, QualityFeedback
from core.services.orders import list_orders
from core.services.quality import (
    CORRECTIVE_STATUS_LABELS,
    SubmitQualityFeedback,
    defect_summary,
    get_quality_feedback,
    quality_feedback_history,
    submit_quality_feedback,
)
from core.services.quality_trace import SHIPMENTS_RECORD_BATCH, dealers_shipped, reports_of_batch
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import require_bound
from handlers.flows.stepform import Answer, Form, Step, product_step
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.defects import batch_asked, batch_in_text, defect_kinds, is_batch_answer
from nlu.quality_counts import units_reported
from nlu.replies import batch_number
from nlu.schema import Intent
from nlu.staff_commands import SHIPPED_TO

router = Router(name=__name__)

MAX_TEXT = 2000
MAX_COUNT = 100_000       # units one report may name (forms.read_count's bound)
MAX_BATCH = 64
# Stored in Chinese (the quality department's categories); shown in the chat's language.
DEFECT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("外观", "Appearance"), ("功能", "Function"), ("噪音", "Noise"), ("包装", "Packaging"), ("其他", "Other"),
)

i18n.register({
    "qf.stats.head": ("📊 质量反馈统计（近 {days} 天{sku}）：{reports} 条反馈，{units} 台",
                      "📊 Quality reports (last {days} days{sku}): {reports} reports, {units} units"),
    "qf.stats.head_period": ("📊 质量反馈统计（{first} 至 {last}{sku}）：{reports} 条反馈，{units} 台",
                             "📊 Quality reports ({first} to {last}{sku}): {reports} reports, {units} units"),
    "qf.stats.open": ("\n（其中未结案 {open} 条，已结案 {closed} 条；待处理列表只列未结案的）",
                      "\n({open} still open, {closed} closed; the to-do list holds the open ones only)"),
    "qf.stats.batches": ("按批次（台数最多在前）：", "By batch (most units first):"),
    "qf.stats.batch": ("· {batch}：{units} 台", "· {batch}: {units} units"),
    "qf.stats.no_batch": ("未填批次", "no batch given"),
    "qf.stats.defects": ("主要问题：", "Main defects:"),
    "qf.stats.defect": ("· {sku} {category}：{units} 台", "· {sku} {category}: {units} units"),
    "qf.stats.btn.list": ("⚠️ 质量反馈列表", "⚠️ Quality reports"),
    "qf.title": ("⚠️ 质量反馈", "⚠️ Quality feedback"),
    "qf.receipt_offer": ("到货少了或有破损，请在对应订单上登记收货问题（订单台会处理补发或理赔）；也可以作为质量反馈提交：",
                         "Goods short or damaged on arrival: record it on the order's receipt (the order desk handles "
                         "it); or file it as quality feedback:"),
    "qf.btn.receipt": ("📦 {number} 登记少货/破损", "📦 {number}: items missing / damaged"),
    "qf.btn.as_quality": ("⚠️ 作为质量反馈提交", "⚠️ File as quality feedback"),
    "qf.not_a_batch": ("“{words}”像是问题描述，不像批次号：已记下，稍后作为问题描述。\n批次号是多少？不知道可点“跳过”。",
                       "\"{words}\" reads like a description of the problem, not a batch number: kept for the "
                       "description.\nWhich batch is it? Tap Skip if unknown."),
    "qf.ask.batch": ("请输入生产批次号（机身或包装上的批号）。不知道可点“跳过”。",
                     "Production batch / lot number (on the unit or the box)? Tap Skip if unknown."),
    "qf.count_not_category": ("已记下数量：{n} 台。", "Noted: {n} units."),
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


async def start(ctx: Ctx, *, sku: str | None = None, hint: str = "", said: list[str] | None = None,
                count: int | None = None) -> list[Reply]:
    """``said``: the products a word of the message may mean, offered first at the product step; ``hint``: the
    opening words (the description offered, and the batch / kind of defect they give); ``count``: the units."""
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    FORM.begin(ctx)
    if sku and any(p.sku == sku for p in await forms.active_products(ctx)):
        FORM.mark_done(ctx, "product", sku=sku)
    elif said:
        ctx.dialog.data["said_products"] = said
    if hint.strip():
        ctx.dialog.data["desc_hint"] = forms.clip(hint, MAX_TEXT)
    for step, values in _said_before(hint, count).items():      # what the opening words already answer
        FORM.mark_done(ctx, step, **values)
    return await FORM.next(ctx, intro=True)


def _said_before(words: str, count: int | None) -> dict[str, dict[str, object]]:
    """The steps the dealer's opening words answer: the batch written with its lead word, the one kind of defect
    they name (several or none: asked), how many units (the count the words give the product)."""
    said: dict[str, dict[str, object]] = {}
    if words and (batch := batch_in_text(words)) is not None:
        said["batch"] = {"batch": batch}
    if words and len(kinds := defect_kinds(words)) == 1:
        said["category"] = {"category": kinds[0]}
    if count is not None and 0 < count <= MAX_COUNT:
        said["count"] = {"count": count}
    return said


@router.button("qf.new")
@router.command("quality")
async def new(ctx: Ctx) -> list[Reply]:
    return await start(ctx)


@router.intent(Intent.QUALITY_FEEDBACK)
async def quality_intent(ctx: Ctx) -> list[Reply]:
    slots = ctx.parsed.slots if ctx.parsed else None
    if reads_defects(ctx):
        return await defect_figures(ctx, slots.product if slots else None)
    text = ctx.inbound.text.strip()
    if slots is not None and slots.topic == "receipt_issue" and ctx.is_dealer \
            and (receipt := await _receipt_offer(ctx)) is not None:
        return receipt
    sku = slots.product if slots else None
    parsed_qty = next((i.qty for i in slots.items if i.sku == sku), None) if slots and sku else None
    count = units_reported(text, parsed_qty)        # "批号2411" is no count of units
    return await start(ctx, sku=sku, hint=text if len(text) >= 6 else "", said=forms.said_candidates(ctx.parsed),
                       count=count)


MAX_RECEIPT_ORDERS = 3


async def _receipt_offer(ctx: Ctx) -> list[Reply] | None:
    """"12月3号那单货到了，WP400少了2台，AP300外箱压坏了": goods short or damaged on arrival belong to the receipt of
    the shipped order (handlers.flows.orders: 少货 / 破损, the order desk told); the shipped orders waiting for their
    receipt are offered, the quality form kept as the other way. None when no order waits for its receipt."""
    waiting = [o for o in await list_orders(ctx.uow(), ctx.actor, dealer_id=ctx.actor.dealer_id, limit=20)
               if o.status == OrderStatus.SHIPPED]
    if not waiting:
        return None
    ctx.dialog.data["qf_hint"] = forms.clip(ctx.inbound.text.strip(), MAX_TEXT)
    rows = [[Button(ctx.t("qf.btn.receipt", number=o.number), payload("orders.recv_issue", o.number))]
            for o in waiting[:MAX_RECEIPT_ORDERS]]
    rows.append([Button(ctx.t("qf.btn.as_quality"), payload("qf.said"))])
    return [Reply(text=ctx.t("qf.receipt_offer"), buttons=rows)]


@router.button("qf.said")
async def as_quality(ctx: Ctx) -> list[Reply]:
    """The words of a receipt problem filed as a quality report after all."""
    said = str(ctx.dialog.data.pop("qf_hint", "") or "")
    return await start(ctx, hint=said)


SUMMARY_DAYS = 90
SUMMARY_TOP = 5


def reads_defects(ctx: Ctx) -> bool:
    """Staff who handle quality reports or read every report: their questions about quality are about the figures."""
    return ctx.is_staff and bool({Permission.QUALITY_HANDLE, Permission.REPORT_READ_ALL} & ctx.actor.permissions)


async def defect_figures(ctx: Ctx, sku: str | None, period: tuple[date, date] | None = None) -> list[Reply]:
    """Quality staff asking in words ("哪个批次问题最多", "AP300的质量问题有几个"), or management ("这个月质量反馈
    有多少"): the reports of the period said (else the last 90 days) counted (``defect_summary``, as the back
    office shows it), of the product named; the reports themselves stay in /qf (a button to it for those who
    handle them)."""
    today = ctx.deps.clock.today()
    since, until = period or (today - timedelta(days=SUMMARY_DAYS - 1), today)
    summary = await defect_summary(ctx.uow(), ctx.actor, ctx.deps.clock, since=since, until=until, sku=sku,
                                   top=SUMMARY_TOP)
    said = {"sku": f" · {sku}" if sku else "", "reports": summary.total_reports, "units": summary.total_units}
    lines = [ctx.t("qf.stats.head_period", first=since.isoformat(), last=until.isoformat(), **said) if period
             else ctx.t("qf.stats.head", days=SUMMARY_DAYS, **said)]
    if summary.total_reports:      # the list (/qf) holds the open ones only: say how many of these it holds
        still_open = sum(summary.reports_by_status.get(s.value, 0) for s in OPEN_CORRECTIVE)
        lines[0] += ctx.t("qf.stats.open", open=still_open, closed=summary.total_reports - still_open)
    if summary.total_reports:
        lines.append(ctx.t("qf.stats.batches"))
        lines += [ctx.t("qf.stats.batch", batch=b if b != "-" else ctx.t("qf.stats.no_batch"), units=n)
                  for b, n in list(summary.units_by_batch.items())[:SUMMARY_TOP]]
        lines.append(ctx.t("qf.stats.defects"))
        lines += [ctx.t("qf.stats.defect", sku=s, category=_category_label(ctx, c), units=n)
                  for s, c, n in summary.top_defects]
    if Permission.QUALITY_HANDLE not in ctx.actor.permissions:      # management: the figures, no queue to open
        return [Reply(text="\n".join(lines))]
    return [Reply(text="\n".join(lines), buttons=[[Button(ctx.t("qf.stats.btn.list"), payload("q.quality", 0))]])]


OPEN_CORRECTIVE = (CorrectiveStatus.NEW, CorrectiveStatus.INVESTIGATING, CorrectiveStatus.ACTION_PLANNED)
TRACE_DAYS = 180      # a report's product traced to the dealers it was shipped to in the days before it
TRACE_TOP = 15

i18n.register({
    "qf.trace.head": ("🚚 {sku} 近 {days} 天（{since} 起）发货到 {n} 家经销商（{number} 的产品）：",
                      "🚚 {sku} shipped to {n} dealers in the last {days} days (since {since}; {number}'s product):"),
    "qf.trace.line": ("· {code} {name}：{units} 台，最近发货 {day}", "· {code} {name}: {units} units, last {day}"),
    "qf.trace.none": ("{sku} 近 {days} 天（{since} 起）没有发货记录（{number} 的产品）。",
                      "{sku}: no shipment in the last {days} days (since {since}; {number}'s product)."),
    "qf.trace.batch": ("⚠️ 发货单不记录生产批次（{batch}），以上是发过这个产品的全部经销商。",
                       "⚠️ Shipments do not record the production batch ({batch}); these are all dealers the product "
                       "went to."),
    "qf.trace.which": ("请先打开要追溯的质量反馈（输入 QF- 单号），我会列出它的产品发给了哪些经销商。发货单不记录生产批次，"
                       "只能按产品追溯。",
                       "Open the quality report to trace first (type its QF- number); I list the dealers its product "
                       "was shipped to. Shipments do not record the batch, so the trace is by product."),
})


@router.staff_pattern(SHIPPED_TO)
async def shipped_to(ctx: Ctx) -> list[Reply]:
    """"这批货发给了哪些经销商" after a report's card (was: the general figures): the dealers its product was shipped
    to, with the honest note that a batch cannot be traced through shipments."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    number = ctx.dialog.data.get("last_qf")
    if not reads_defects(ctx) or not isinstance(number, str):
        return [Reply(text=ctx.t("qf.trace.which"))]
    feedback = await get_quality_feedback(ctx.uow(), ctx.actor, number)
    today = ctx.deps.clock.today()
    since = today - timedelta(days=TRACE_DAYS - 1)
    went = await dealers_shipped(ctx.uow(), ctx.actor, ctx.deps.clock, feedback.sku, since)
    said = {"sku": feedback.sku, "days": TRACE_DAYS, "since": since.isoformat(), "number": number}
    lines = [ctx.t("qf.trace.head", n=len(went), **said) if went else ctx.t("qf.trace.none", **said)]
    lines += [ctx.t("qf.trace.line", code=s.code, name=s.name, units=s.units, day=s.last_shipped.isoformat())
              for s in went[:TRACE_TOP]]
    if feedback.batch:
        lines.append(ctx.t("qf.trace.batch", batch=feedback.batch))
    if Permission.QUALITY_HANDLE not in ctx.actor.permissions:
        return [Reply(text="\n".join(lines))]
    return [Reply(text="\n".join(lines), buttons=[[Button(number, payload("staff.qf.detail", number))]])]


BATCH_TOP = 20          # reports of one batch listed at most (the rest counted)
BATCH_BUTTONS = 6

i18n.register({
    "qf.batch.head": ("🔎 批次 {batch}：{n} 条质量反馈，{dealers} 家经销商，共 {units} 台",
                      "🔎 Batch {batch}: {n} quality reports from {dealers} dealers, {units} units in all"),
    "qf.batch.line": ("· {number} {code} {name} · {sku} {category} {count} 台 · {day} · {status}",
                      "· {number} {code} {name} · {sku} {category} {count} units · {day} · {status}"),
    "qf.batch.more": ("……另有 {n} 条未列出", "... {n} more not listed"),
    "qf.batch.none": ("没有质量反馈填写过批次 {batch}。", "No quality report names batch {batch}."),
    "qf.batch.no_shipments": ("⚠️ 发货单不记录生产批次，查不到这个批次发给了哪些经销商。",
                              "⚠️ Shipments do not record the production batch: where this batch went cannot be "
                              "traced."),
    "qf.batch.by_product": ("打开一条反馈后问“这批货发给了哪些经销商”，可按它的产品列出发货去向。",
                            "Open a report and ask \"which dealers was this shipped to\" for where its product went."),
})


@router.text_hook
async def batch_reports(ctx: Ctx) -> list[Reply] | None:
    """"B2411-07这批还有谁报过" (quality staff, management): every quality report naming that batch (dealer, product,
    day, status), and the plain note that shipments record no batch (was: the 90-day figures). Words about no
    batch: None."""
    if not reads_defects(ctx) or (batch := batch_asked(ctx.inbound.text)) is None:
        return None
    reports = await reports_of_batch(ctx.uow(), ctx.actor, ctx.deps.clock, batch)
    if not reports:
        lines = [ctx.t("qf.batch.none", batch=batch)]
    else:
        lines = [ctx.t("qf.batch.head", batch=batch, n=len(reports), dealers=len({r.dealer_id for r in reports}),
                       units=sum(r.count for r in reports))]
        lines += [ctx.t("qf.batch.line", number=r.number, code=r.dealer_code, name=r.dealer_name, sku=r.sku,
                        category=_category_label(ctx, r.defect_category), count=r.count,
                        day=r.reported_on.isoformat() if r.reported_on else "-", status=status_label(ctx, r.status))
                  for r in reports[:BATCH_TOP]]
        if len(reports) > BATCH_TOP:
            lines.append(ctx.t("qf.batch.more", n=len(reports) - BATCH_TOP))
    if not SHIPMENTS_RECORD_BATCH:
        lines.append(ctx.t("qf.batch.no_shipments"))
        if reports:
            lines.append(ctx.t("qf.batch.by_product"))
    if Permission.QUALITY_HANDLE not in ctx.actor.permissions or not reports:
        return [Reply(text="\n".join(lines))]
    rows = [[Button(f"⚠️ {r.number}", payload("staff.qf.detail", r.number))] for r in reports[-BATCH_BUTTONS:]]
    return [Reply(text="\n".join(lines), buttons=rows)]


@router.button("qf.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


# --- the steps (handlers.flows.stepform runs them) ------------------------------------------------------------

def _category_label(ctx: Ctx, stored: str) -> str:
    return next((ctx.pick(zh, en) for zh, en in DEFECT_CATEGORIES if zh == stored), stored)


async def _ask_category(form: Form, ctx: Ctx) -> list[Reply]:
    flat = [Button(ctx.pick(zh, en), payload("qf.cat", i)) for i, (zh, en) in enumerate(DEFECT_CATEGORIES)]
    return [Reply(text=ctx.t("qf.ask.category"), buttons=[flat[:3], flat[3:], *form.controls(ctx, "category")])]


async def _typed_category(form: Form, ctx: Ctx, text: str) -> Answer:
    """A category by its name, or the words typed: the category they belong to, else 其他 with the words kept
    ("气味" -> "其他（气味）"): a typed answer is never dropped for the question again."""
    words = text.strip()
    if (count := forms.read_count(words, maximum=MAX_COUNT)) is not None:
        # "5台": how many units, no kind of defect (was: 类别 其他（5台）): kept as the count, the kind asked again
        form.mark_done(ctx, "count", count=count)
        return [Reply(text=ctx.t("qf.count_not_category", n=count)), *await form.ask(ctx, "category")]
    chosen = next((zh for zh, en in DEFECT_CATEGORIES if words.lower() in (zh, en.lower())), None)
    if chosen is None and words:
        chosen = next(iter(defect_kinds(words)), None) or f"其他（{forms.clip(words, 20)}）"
    return {"category": chosen} if chosen is not None else await form.ask(ctx, "category")


async def _pressed_category(form: Form, ctx: Ctx, index: str) -> Answer | None:
    if not index.isdigit() or int(index) >= len(DEFECT_CATEGORIES):
        return None
    return {"category": DEFECT_CATEGORIES[int(index)][0]}


async def _batch(form: Form, ctx: Ctx, text: str) -> Answer:
    """The batch typed; a sentence about the problem instead (typed into a form left at this question) is kept as
    the description offered later, and the batch asked again: nothing said is lost, no sentence becomes a batch."""
    if is_batch_answer(text):
        return {"batch": batch_number(text)}
    _keep_words(ctx, text)
    if (written := batch_in_text(text)) is not None:
        return {"batch": written}
    return form.reject(ctx, "batch", ctx.t("qf.not_a_batch", words=mask_text(forms.clip(text, 30))))


def _keep_words(ctx: Ctx, text: str) -> None:
    """Add what the dealer said to the description offered at the description step."""
    kept = str(ctx.dialog.data.get("desc_hint") or "")
    if text not in kept:
        ctx.dialog.data["desc_hint"] = forms.clip(f"{kept}；{text}" if kept else text, MAX_TEXT)


async def _count(form: Form, ctx: Ctx, text: str) -> Answer:
    count = forms.read_count(text)
    return {"count": count} if count is not None else form.reject(ctx, "count", ctx.t("form.number_bad"))


@router.state("qf")
async def answer(ctx: Ctx) -> list[Reply]:
    return await FORM.answer(ctx)


async def _summary(ctx: Ctx) -> str:
    data = ctx.dialog.data
    products = await forms.active_products(ctx)
    return ctx.t("qf.summary", product=forms.product_name(products, data.get("sku")),
                 batch=data.get("batch") or ctx.t("qf.none"), category=_category_label(ctx, data.get("category", "")),
                 count=data.get("count"), desc=mask_text(data.get("desc")) or ctx.t("qf.none"),
                 photos=len(data.get("photos") or []))


async def _submit(ctx: Ctx) -> tuple[str | None, list[Reply]]:
    data = ctx.dialog.data
    assert ctx.actor.dealer_id is not None  # the form's guard: require_dealer
    feedback = await submit_quality_feedback(ctx.uow(), ctx.actor, SubmitQualityFeedback(
        dealer_id=ctx.actor.dealer_id, sku=str(data.get("sku", "")), defect_category=str(data.get("category", "")),
        count=int(data.get("count", 0)), description=str(data.get("desc") or ""), batch=data.get("batch") or None,
        photos=list(data.get("photos") or []),
    ), ctx.deps.clock)
    return feedback.number, _created(ctx, feedback)


async def _resubmitted(ctx: Ctx, number: str) -> list[Reply]:
    return _created(ctx, await get_quality_feedback(ctx.uow(), ctx.actor, number))


FORM = Form(
    prefix="qf", title="qf.title", use_buttons="qf.use_buttons",
    steps=(product_step(),
           Step("batch", limit=MAX_BATCH, skippable=True, parse=_batch),
           Step("category", ask=_ask_category, parse=_typed_category, buttons={"cat": _pressed_category},
                leaves=True),
           Step("count", parse=_count),
           Step("desc", limit=MAX_TEXT, skippable=True, keep="desc_hint"),
           Step("photos", photos=True)),
    summary=_summary, submit=_submit, resubmitted=_resubmitted,
    own=frozenset({Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK}))
FORM.register(router)


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


