"""Campaigns (市场活动) and marketing materials for dealer users.

- the running campaigns aimed at the dealer, a campaign's detail and the Join button;
- after joining, an execution report: text -> photos -> new customers -> confirm (states
  ``camp.rep.*``; the confirm button carries the form's nonce, so a double tap reports once);
- material requests: choose a material the dealer's tier may have -> quantity -> reason -> confirm
  (states ``camp.mat.*``), then marketing approves it elsewhere.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from core.campaigns import (
    Campaign,
    CampaignParticipation,
    CampaignStatus,
    MarketingMaterial,
    ParticipationStatus,
)
from core.errors import NotFound, PermissionDenied
from core.money import fmt_cny
from core.services.campaigns import (
    PARTICIPATION_STATUS_LABELS,
    ComparisonEffect,
    ReportExecution,
    campaign_effect,
    get_campaign,
    is_open_for_joining,
    is_running,
    is_upcoming,
    join_campaign,
    launch_campaign,
    list_active_campaigns,
    list_campaigns,
    list_participations,
    list_upcoming_campaigns,
    not_joined,
    remind_not_joined,
    report_execution,
    review_execution,
    status_label,
)
from core.services.materials import MAX_QTY, RequestMaterial, request_material, tier_allows
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.finance import offset_arg, page_of, page_where, pager_row
from handlers.flows.stepform import Answer, Form, Step
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.schema import Intent
from nlu.staff_commands import (
    CAMPAIGN_JOINERS,
    CAMPAIGN_LAUNCH,
    CAMPAIGN_LAUNCH_WORDS,
    CAMPAIGN_NOT_JOINED,
)

router = Router(name=__name__)

MAX_TEXT = 2000
MAX_REASON = 500

i18n.register({
    "camp.title": ("🎯 进行中的活动：", "🎯 Campaigns running for you:"),
    "camp.none": ("目前没有面向您的活动。", "No campaign is running for you right now."),
    "camp.item": ("• {name}（至 {end}）{joined}", "• {name} (until {end}){joined}"),
    "camp.joined_mark": (" ✅已报名", " ✅ joined"),
    "camp.upcoming_title": ("📅 即将开始（现在可以报名）：", "📅 Coming up (you can join now):"),
    "camp.upcoming_item": ("• {name}（{start} 开始，至 {end}）{joined}", "• {name} (starts {start}, until {end}){joined}"),
    "camp.upcoming_note": ("活动 {start} 开始，现在可以报名；执行反馈从开始当天起提交。",
                           "It starts on {start}; you can join now and report from its first day."),
    "camp.btn.materials": ("📦 申请物料", "📦 Request materials"),
    "camp.btn.list": ("🎯 活动列表", "🎯 Campaigns"),
    "camp.btn.join": ("✋ 报名参加", "✋ Join"),
    "camp.btn.report": ("📝 提交执行反馈", "📝 Report execution"),
    "camp.detail": ("🎯 {name}（{code}）\n时间：{start} 至 {end}", "🎯 {name} ({code})\nDates: {start} to {end}"),
    "camp.support": ("支持政策：{text}", "Support: {text}"),
    "camp.skus": ("活动产品：{skus}", "Products: {skus}"),
    "camp.status": ("您的状态：{status}", "Your status: {status}"),
    "camp.not_joined": ("未报名", "not joined"),
    "camp.review_note": ("审核意见：{note}", "Review note: {note}"),
    "camp.joined": ("✅ 已报名“{name}”。活动执行后请点“提交执行反馈”上传照片和新增客户数。",
                    "✅ You joined \"{name}\". After running it, tap \"Report execution\" with photos and new "
                    "customers."),
    "camp.joined_early": ("✅ 已报名“{name}”。活动 {start} 开始，执行后请在活动里点“提交执行反馈”。",
                          "✅ You joined \"{name}\". It starts on {start}; after running it, report from the campaign."),
    "camp.rep.not_started": ("活动 {start} 才开始，开始后再提交执行反馈。",
                             "The campaign starts on {start}; please report once it has started."),
    "camp.join_first": ("请先报名该活动，再提交执行反馈。", "Please join the campaign before reporting on it."),
    "camp.rep.ask.text": ("📝 {name} 执行反馈\n请描述执行情况：做了什么、在哪里、效果如何。",
                          "📝 Report for {name}\nWhat did you do, where, and how did it go?"),
    "camp.rep.ask.photos": ("请发送现场照片（最多 {max} 张），发完点“完成”。",
                            "Send photos from the event (at most {max}), then tap Done."),
    "camp.rep.ask.count": ("新增了多少客户？请输入数字（没有请输入 0）。", "How many new customers? Send a number (0 if none)."),
    "camp.rep.count_bad": ("请输入 0 或正整数，例如 12。", "Please send 0 or a whole number, e.g. 12."),
    "camp.rep.summary": ("请确认执行反馈：\n活动：{name}\n情况：{text}\n照片：{photos} 张\n新增客户：{count}",
                         "Please check the report:\nCampaign: {name}\nWhat was done: {text}\nPhotos: {photos}\n"
                         "New customers: {count}"),
    "camp.rep.done": ("✅ 执行反馈已提交，市场部审核后会通知您。", "✅ Report sent. Marketing will review it."),
    "camp.mat.title": ("📦 可申请的物料：", "📦 Materials you can request:"),
    "camp.mat.none": ("目前没有您可申请的物料。", "There are no materials you can request right now."),
    "camp.mat.ask.qty": ("需要多少件“{name}”？", "How many \"{name}\" do you need?"),
    "camp.mat.qty_bad": ("请输入 1 到 {max} 之间的整数。", "Please send a whole number from 1 to {max}."),
    "camp.mat.ask.reason": ("申请用途（例如“新店开业陈列”），可点“跳过”。",
                            "What is it for (e.g. \"new shop opening\")? Or tap Skip."),
    "camp.mat.summary": ("请确认物料申请：\n物料：{name}\n数量：{qty}\n用途：{reason}",
                         "Please check the request:\nMaterial: {name}\nQuantity: {qty}\nPurpose: {reason}"),
    "camp.mat.done": ("✅ 物料申请已提交，审批通过后安排发货。", "✅ Request sent. It ships once approved."),
    "camp.use_buttons": ("请点“确认提交”或“取消”。", "Please tap Submit or Cancel."),
    "camp.none_given": ("无", "none"),
})


def _dealer_id(ctx: Ctx) -> int:
    assert ctx.actor.dealer_id is not None  # forms.require_dealer ran
    return ctx.actor.dealer_id


def _int_arg(ctx: Ctx, index: int) -> int:
    raw = forms.arg(ctx, index)
    if not raw.isdigit():
        raise NotFound(what=raw or "-")
    return int(raw)


async def _participation(ctx: Ctx, campaign_id: int) -> CampaignParticipation | None:
    async with ctx.uow() as uow:
        return await uow.participations.get_by(campaign_id=campaign_id, dealer_id=_dealer_id(ctx))


# --- list and detail -------------------------------------------------------------------------------

# "我要申请物料 海报", "要点展架", "领200张宣传单": a request for marketing materials, not a question about campaigns
_MATERIAL_ASK = re.compile(r"物料|海报|展架|易拉宝|宣传单|宣传册|折页|吊旗|台卡|POP|poster|banner|flyer|display stand",
                           re.IGNORECASE)


@router.intent(Intent.CAMPAIGN_QUERY)
async def campaign_words(ctx: Ctx) -> list[Reply]:
    """A campaign question in words: a dealer's campaigns; for marketing and management (who read every campaign)
    the campaign the words name with its effect ("双十二活动效果"), else their overview."""
    if ctx.is_staff and {Permission.CAMPAIGN_WRITE, Permission.REPORT_READ_ALL} & ctx.actor.permissions:
        named = _named_campaign(ctx.inbound.text or "", await list_campaigns(ctx.uow(), ctx.actor, limit=MAX_CAMPAIGNS))
        if named is not None:
            ctx.args = [str(named.id or 0)]
            return await effect(ctx)
        return await staff_overview(ctx)
    return await campaign_list(ctx)


# the words around a campaign's name in a question about it, left out before the name is compared
_CAMPAIGN_FILLER = re.compile(r"活动|促销|效果|怎么样|咋样|如何|好不好|怎样|做得|搞得|情况|进展|最近|这个|那个|本月|这个月|"
                              r"有什么|有哪些|的|了|吗|呢|啊")


def _named_campaign(text: str, campaigns: list[Campaign]) -> Campaign | None:
    """The one campaign whose name shares the most pairs of characters with what is left of the words (none,
    or a tie: None). Chinese names are compared by pairs of characters, as the follow-ups compare tickets."""
    said = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", _CAMPAIGN_FILLER.sub(" ", text)).lower()
    pairs = {said[i:i + 2] for i in range(len(said) - 1)}
    if not pairs:
        return None
    scored = sorted(((len(pairs & {c.name.lower()[i:i + 2] for i in range(len(c.name) - 1)}), c) for c in campaigns),
                    key=lambda sc: -sc[0])
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


@router.button("camp.list")
@router.command("campaigns")
async def campaign_list(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    if _MATERIAL_ASK.search(ctx.inbound.text or "") and not re.search(r"活动|campaign", ctx.inbound.text or "", re.I):
        return await _materials_for(ctx, ctx.inbound.text)
    campaigns = await list_active_campaigns(ctx.uow(), ctx.actor, ctx.deps.clock)
    upcoming = await list_upcoming_campaigns(ctx.uow(), ctx.actor, ctx.deps.clock)
    async with ctx.uow() as uow:
        joined = {p.campaign_id for p in await uow.participations.list(dealer_id=_dealer_id(ctx))}
    named = _named_campaign(ctx.inbound.text or "", campaigns + upcoming) if ctx.inbound.text else None
    if named is not None:                   # "元旦促销怎么报名": that campaign, with its join button
        return await _detail(ctx, named)
    tail = [[Button(ctx.t("camp.btn.materials"), payload("camp.mat")), forms.menu_button(ctx)]]
    if not campaigns and not upcoming:
        return [Reply(text=ctx.t("camp.none"), buttons=tail)]
    lines = [ctx.t("camp.title")] if campaigns else []
    rows: list[list[Button]] = []
    for c in campaigns:
        mark = ctx.t("camp.joined_mark") if c.id in joined else ""
        lines.append(ctx.t("camp.item", name=c.name, end=c.ends_on.isoformat(), joined=mark))
        rows.append([Button(c.name, payload("camp.view", c.id or 0))])
    if upcoming:
        lines.append(ctx.t("camp.upcoming_title"))
    for c in upcoming:
        mark = ctx.t("camp.joined_mark") if c.id in joined else ""
        lines.append(ctx.t("camp.upcoming_item", name=c.name, start=c.starts_on.isoformat(),
                           end=c.ends_on.isoformat(), joined=mark))
        rows.append([Button(c.name, payload("camp.view", c.id or 0))])
    return [Reply(text="\n".join(lines), buttons=rows + tail)]


def _detail_text(ctx: Ctx, c: Campaign, participation: CampaignParticipation | None, today: date) -> str:
    lines = [ctx.t("camp.detail", name=c.name, code=c.code, start=c.starts_on.isoformat(), end=c.ends_on.isoformat())]
    if c.description:
        lines.append(c.description)
    if c.support:
        lines.append(ctx.t("camp.support", text=c.support))
    if c.skus:
        lines.append(ctx.t("camp.skus", skus=ctx.pick("、", ", ").join(c.skus)))
    if participation is None:
        status = ctx.t("camp.not_joined")
    else:
        zh, en = PARTICIPATION_STATUS_LABELS[participation.status]
        status = ctx.pick(zh, en)
    lines.append(ctx.t("camp.status", status=status))
    if is_upcoming(c, today):
        lines.append(ctx.t("camp.upcoming_note", start=c.starts_on.isoformat()))
    if participation is not None and participation.review_note:
        lines.append(ctx.t("camp.review_note", note=participation.review_note))
    return "\n".join(lines)


@router.button("camp.view")
async def view(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    campaign = await get_campaign(ctx.uow(), ctx.actor, _int_arg(ctx, 0))
    return await _detail(ctx, campaign)


async def _detail(ctx: Ctx, campaign: Campaign) -> list[Reply]:
    assert campaign.id is not None
    participation = await _participation(ctx, campaign.id)
    rows: list[list[Button]] = []
    today = ctx.deps.clock.today()
    if participation is None and is_open_for_joining(campaign, today):
        rows.append([Button(ctx.t("camp.btn.join"), payload("camp.join", campaign.id))])
    elif participation is not None and participation.status != ParticipationStatus.APPROVED \
            and not is_upcoming(campaign, today):
        rows.append([Button(ctx.t("camp.btn.report"), payload("camp.rep", campaign.id))])
    rows.append([Button(ctx.t("camp.btn.list"), payload("camp.list")), forms.menu_button(ctx)])
    return [Reply(text=_detail_text(ctx, campaign, participation, today), buttons=rows)]


@router.button("camp.join")
async def join(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    campaign_id = _int_arg(ctx, 0)
    await join_campaign(ctx.uow(), ctx.actor, campaign_id, ctx.deps.clock)
    campaign = await get_campaign(ctx.uow(), ctx.actor, campaign_id)
    back = [Button(ctx.t("camp.btn.list"), payload("camp.list")), forms.menu_button(ctx)]
    if is_upcoming(campaign, ctx.deps.clock.today()):
        return [Reply(text=ctx.t("camp.joined_early", name=campaign.name, start=campaign.starts_on.isoformat()),
                      buttons=[back])]
    return [Reply(text=ctx.t("camp.joined", name=campaign.name),
                  buttons=[[Button(ctx.t("camp.btn.report"), payload("camp.rep", campaign_id))], back])]


@router.button("camp.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


# --- execution report ------------------------------------------------------------------------------

@router.button("camp.rep")
async def report_start(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    campaign = await get_campaign(ctx.uow(), ctx.actor, _int_arg(ctx, 0))
    assert campaign.id is not None
    if await _participation(ctx, campaign.id) is None:
        return [Reply(text=ctx.t("camp.join_first"))] + await _detail(ctx, campaign)
    if is_upcoming(campaign, ctx.deps.clock.today()):
        return [Reply(text=ctx.t("camp.rep.not_started", start=campaign.starts_on.isoformat()))] \
            + await _detail(ctx, campaign)
    REPORT.begin(ctx, campaign_id=campaign.id, name=campaign.name)
    return await REPORT.next(ctx)


async def _ask_report_text(form: Form, ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("camp.rep.ask.text", name=ctx.dialog.data.get("name", "")),
                  buttons=form.controls(ctx, "text"))]


async def _report_count(form: Form, ctx: Ctx, text: str) -> Answer:
    count = forms.read_count(text, minimum=0)
    return {"count": count} if count is not None else form.reject(ctx, "count", ctx.t("camp.rep.count_bad"))


async def _report_summary(ctx: Ctx) -> str:
    data = ctx.dialog.data
    return ctx.t("camp.rep.summary", name=data.get("name", ""), text=data.get("text", ""),
                 photos=len(data.get("photos") or []), count=data.get("count", 0))


async def _report_submit(ctx: Ctx) -> tuple[str | None, list[Reply]]:
    data = ctx.dialog.data
    campaign_id = int(data["campaign_id"])
    await report_execution(ctx.uow(), ctx.actor, campaign_id, ReportExecution(
        text=str(data.get("text", "")), photos=list(data.get("photos") or []), new_customers=int(data.get("count", 0)),
    ), ctx.deps.clock)
    return str(campaign_id), [Reply(text=ctx.t("camp.rep.done"),
                                    buttons=[[Button(ctx.t("camp.btn.list"), payload("camp.list")),
                                              forms.menu_button(ctx)]])]


async def _report_resubmitted(ctx: Ctx, ref: str) -> list[Reply]:
    return [Reply(text=ctx.t("camp.rep.done"), buttons=[[forms.menu_button(ctx)]])]


REPORT = Form(
    prefix="camp.rep", cancel="camp", use_buttons="camp.use_buttons", repeat_summary=False, reask_blank=False,
    steps=(Step("text", ask=_ask_report_text, limit=MAX_TEXT),
           Step("photos", photos=True),
           Step("count", parse=_report_count)),
    summary=_report_summary, submit=_report_submit, resubmitted=_report_resubmitted)
REPORT.register(router)


# --- materials ------------------------------------------------------------------------------------

async def _requestable(ctx: Ctx) -> list[MarketingMaterial]:
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(_dealer_id(ctx))
        materials = await uow.materials.list(order_by="code")
    tier = dealer.tier if dealer else ""
    return [m for m in materials if tier_allows(m.min_tier, tier)]


@router.button("camp.mat")
async def materials(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    return await _materials_for(ctx, "")


async def _materials_for(ctx: Ctx, said: str) -> list[Reply]:
    """The materials this dealer may ask for; one whose name the message says ("海报" of 门店海报) starts its
    request form right away, several named: only those."""
    found = await _requestable(ctx)
    if not found:
        return [Reply(text=ctx.t("camp.mat.none"), buttons=[[forms.menu_button(ctx)]])]
    words = [w for w in _MATERIAL_ASK.findall(said) if w != "物料"]
    named = [m for m in found if any(w.lower() in m.name.lower() for w in words)]
    if len(named) == 1 and named[0].id is not None:
        MATERIAL.begin(ctx, material_id=named[0].id, name=named[0].name)
        return await MATERIAL.next(ctx)
    rows = [[Button(m.name, payload("camp.mat.pick", m.id or 0))] for m in (named or found)[:20]]
    return [Reply(text=ctx.t("camp.mat.title"), buttons=rows + [[forms.menu_button(ctx)]])]


@router.button("camp.mat.pick")
async def material_pick(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    material_id = _int_arg(ctx, 0)
    async with ctx.uow() as uow:
        material = await uow.materials.get(material_id)
    if material is None:
        raise NotFound(what=str(material_id))
    # the tier rule is checked by request_material when the request is made
    MATERIAL.begin(ctx, material_id=material_id, name=material.name)
    return await MATERIAL.next(ctx)


async def _ask_material_qty(form: Form, ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("camp.mat.ask.qty", name=ctx.dialog.data.get("name", "")),
                  buttons=form.controls(ctx, "qty"))]


async def _material_qty(form: Form, ctx: Ctx, text: str) -> Answer:
    qty = forms.read_count(text, maximum=MAX_QTY)
    return {"qty": qty} if qty is not None else form.reject(ctx, "qty", ctx.t("camp.mat.qty_bad", max=MAX_QTY))


async def _material_summary(ctx: Ctx) -> str:
    data = ctx.dialog.data
    return ctx.t("camp.mat.summary", name=data.get("name", ""), qty=data.get("qty"),
                 reason=data.get("reason") or ctx.t("camp.none_given"))


async def _material_submit(ctx: Ctx) -> tuple[str | None, list[Reply]]:
    data = ctx.dialog.data
    request = await request_material(ctx.uow(), ctx.actor, RequestMaterial(
        material_id=int(data["material_id"]), qty=int(data["qty"]), reason=str(data.get("reason") or "")),
        ctx.deps.clock)
    return str(request.id), [Reply(text=ctx.t("camp.mat.done"), buttons=[[forms.menu_button(ctx)]])]


async def _material_resubmitted(ctx: Ctx, ref: str) -> list[Reply]:
    return [Reply(text=ctx.t("camp.mat.done"), buttons=[[forms.menu_button(ctx)]])]


MATERIAL = Form(
    prefix="camp.mat", cancel="camp", use_buttons="camp.use_buttons", repeat_summary=False, reask_blank=False,
    steps=(Step("qty", ask=_ask_material_qty, parse=_material_qty),
           Step("reason", limit=MAX_REASON, skippable=True)),
    summary=_material_summary, submit=_material_submit, resubmitted=_material_resubmitted)
MATERIAL.register(router)


# --- typed answers ---------------------------------------------------------------------------------

@router.state("camp")
async def answer(ctx: Ctx) -> list[Reply]:
    """Typed answers (and photos) to the execution report or the material request."""
    form = REPORT if ctx.dialog.state.startswith("camp.rep.") else MATERIAL
    return await form.answer(ctx)


# --- staff: reports to review and the campaign's effect ---------------------------------------------
# Payloads: camp.staff (/campaign_admin) · camp.eff|campaign id · camp.rv|campaign id|dealer id|1 (approve)
#           camp.rv|campaign id|dealer id|0 (turn down: the note is typed, state ``camp.review``)

i18n.register({
    "camp.staff.title": ("🎯 市场活动（{n}）", "🎯 Campaigns ({n})"),
    "camp.staff.line": ("{name}（{status}）参与 {joined}，待审反馈 {reported}",
                        "{name} ({status}): {joined} joined, {reported} reports to review"),
    "camp.who.head": ("👥 {name}：{n} 家经销商参与", "👥 {name}: {n} dealer(s) in it"),
    "camp.who.none": ("👥 {name}：还没有经销商参与", "👥 {name}: no dealer has joined yet"),
    "camp.who.line": ("• {code} {dealer}：{status}{customers}", "• {code} {dealer}: {status}{customers}"),
    "camp.who.customers": ("，新客户 {n}", ", {n} new customers"),
    "camp.who.which": ("问的是哪个活动？", "Which campaign?"),
    "camp.nj.head": ("👥 {name}：还有 {n} 家目标经销商没有报名", "👥 {name}: {n} target dealer(s) have not joined"),
    "camp.nj.line": ("• {code} {dealer} {region}", "• {code} {dealer} {region}"),
    "camp.nj.more": ("……还有 {n} 家", "... and {n} more"),
    "camp.nj.none": ("👥 {name}：目标经销商都已报名", "👥 {name}: every target dealer has joined"),
    "camp.btn.remind": ("🔔 提醒这 {n} 家报名", "🔔 Remind these {n} to join"),
    "camp.reminded": ("🔔 已提醒 {n} 家经销商报名“{name}”（同一天再点不会重复发送）。",
                      "🔔 Reminded {n} dealer(s) to join \"{name}\" (tapping again today sends nothing more)."),
    "camp.btn.not_joined": ("👥 未报名的经销商", "👥 Not joined yet"),
    "camp.btn.who": ("👥 {name}", "👥 {name}"),
    "camp.launch.ask": ("发布活动“{name}”（{start} 至 {end}）？\n面向：{who}\n发布后经销商可以报名，并会收到活动通知。",
                        "Launch '{name}' ({start} to {end})?\nFor: {who}\nOnce launched dealers may join and are told."),
    "camp.launch.everyone": ("全部经销商", "every dealer"),
    "camp.launch.tiers": ("{tiers} 级", "tier {tiers}"),
    "camp.launch.named": ("指定的 {n} 家", "{n} named dealer(s)"),
    "camp.launch.not_planned": ("活动“{name}”当前为“{status}”，不能发布。", "'{name}' is {status}; it cannot be launched."),
    "camp.btn.launch_ok": ("🚀 确认发布", "🚀 Launch"),
    "camp.btn.launch": ("🚀 发布 {name}", "🚀 Launch {name}"),
    "camp.launch.done": ("✅ 已发布“{name}”。{told}", "✅ '{name}' is launched. {told}"),
    "camp.launch.told_now": ("面向的经销商已收到通知。", "Its dealers have been told."),
    "camp.launch.told_later": ("面向的经销商现在就能在活动列表里看到并报名，活动开始当天（{start}）再通知他们。",
                               "Its dealers can see and join it now; they are told on its first day ({start})."),
    "camp.staff.none": ("目前没有活动。", "No campaigns yet."),
    "camp.btn.effect": ("📈 {name} 效果", "📈 {name}: effect"),
    "camp.review.item": ("📝 {code} {dealer} 执行反馈：{text}\n照片 {photos} 张，新客户 {customers}",
                         "📝 {code} {dealer} report: {text}\n{photos} photos, {customers} new customers"),
    "camp.btn.approve": ("✅ 确认", "✅ Approve"),
    "camp.btn.turn_down": ("↩️ 退回", "↩️ Turn down"),
    "camp.review.ask": ("请输入退回原因：", "Why is the report turned down? Type the reason:"),
    "camp.review.done": ("已处理：{dealer} 的执行反馈（{status}）", "Done: the report of {dealer} ({status})"),
    "camp.effect": ("📈 {name} 活动效果（{start} 至 {end}，对比 {bstart} 至 {bend}）\n"
                    "参与经销商 {pin} 家：{pamount}（基期 {pbase}，{pup}）\n"
                    "未参与目标经销商 {oin} 家：{oamount}（基期 {obase}，{oup}）\n新客户：{customers}",
                    "📈 {name} effect ({start} to {end}, against {bstart} to {bend})\n"
                    "Participants ({pin}): {pamount} (baseline {pbase}, {pup})\n"
                    "Other target dealers ({oin}): {oamount} (baseline {obase}, {oup})\nNew customers: {customers}"),
    "camp.effect.no_base": ("无基期销量", "no baseline"),
    "camp.effect.cmp": ("对比同级别（同区域优先）未参与的经销商 {cin} 家（动销）：{camount}（基期 {cbase}，{cup}）\n"
                        "净效果：动销 {snet}，增量 {sinc}；进货 {onet}，增量 {oinc}",
                        "Comparable non-participants, same tier (same region first) ({cin}, sell-out): {camount} "
                        "(baseline {cbase}, {cup})\nNet effect: sell-out {snet}, increment {sinc}; orders {onet}, "
                        "increment {oinc}"),
    "camp.effect.cmp.none": ("同级别没有未参与的经销商可比，无法估算净效果。",
                             "No dealer of the participants' tier stayed out: no net effect to estimate."),
    "camp.effect.cmp.nobody": ("还没有经销商参与，暂无对比。", "No dealer has joined yet: nothing to compare."),
    "camp.effect.cmp.unmatched": ("（{n} 家参与经销商没有可比对象，未计入）", "({n} participants with nobody "
                                  "comparable left out)"),
    "camp.effect.points": ("{sign}{value} 个百分点", "{sign}{value} points"),
})


def _points(ctx: Ctx, value: Decimal | None) -> str:
    if value is None:
        return ctx.t("camp.effect.no_base")
    return ctx.t("camp.effect.points", sign="+" if value >= 0 else "", value=value)


def _signed_cny(value: Decimal) -> str:
    return ("-" if value < 0 else "+" if value > 0 else "") + fmt_cny(abs(value))


def _comparison(ctx: Ctx, cmp: ComparisonEffect | None) -> str:
    if cmp is None or not (cmp.matched or cmp.unmatched):
        return ctx.t("camp.effect.cmp.nobody")
    if not cmp.matched:
        return ctx.t("camp.effect.cmp.none")
    c = cmp.sellout.comparison
    text = ctx.t("camp.effect.cmp", cin=c.dealers, camount=fmt_cny(c.current), cbase=fmt_cny(c.baseline),
                 cup=_uplift(ctx, c.change_pct), snet=_points(ctx, cmp.sellout.net_points),
                 sinc=_signed_cny(cmp.sellout.incremental), onet=_points(ctx, cmp.orders.net_points),
                 oinc=_signed_cny(cmp.orders.incremental))
    if cmp.unmatched:
        text += ctx.t("camp.effect.cmp.unmatched", n=cmp.unmatched)
    return text


def _uplift(ctx: Ctx, pct: object) -> str:
    if pct is None:
        return ctx.t("camp.effect.no_base")
    text = str(pct)
    return f"{'+' if not text.startswith('-') else ''}{text}%"


MAX_CAMPAIGNS = 200     # campaigns read at once for marketing's overview, paged in chat

@router.command("campaign_admin")
@router.button("camp.staff")
@router.staff_pattern(r"^(?:这个月|本月|最近|现在|今年)?的?(?:各个|几个)?(?:活动|促销)(?:的)?(?:效果|做得|搞得|情况|进展)"
                      r"(?:怎么样|如何|咋样|好不好|怎样)?(?:啊|呢|吗)?[?？]?$")
async def staff_overview(ctx: Ctx) -> list[Reply]:
    """Marketing's view: each campaign with its reports waiting for review (one message each)."""
    campaigns = await list_campaigns(ctx.uow(), ctx.actor, limit=MAX_CAMPAIGNS)
    if not campaigns:
        return [Reply(text=ctx.t("camp.staff.none"))]
    shown = page_of(campaigns, offset_arg(ctx))      # a screen at a time, ◀ / ▶ (or a typed 下一页) for the rest
    offset = campaigns.index(shown[0])
    today = ctx.deps.clock.today()
    lines = [ctx.t("camp.staff.title", n=len(campaigns))]
    if len(campaigns) > len(shown):
        lines.append(page_where(ctx, offset, len(shown), len(campaigns)))
    rows: list[list[Button]] = []
    items: list[Reply] = []
    async with ctx.uow() as uow:
        for c in shown:
            people = await uow.participations.list(campaign_id=c.id)
            waiting = [p for p in people if p.status == ParticipationStatus.REPORTED]
            lines.append(ctx.t("camp.staff.line", name=c.name, status=ctx.pick(*status_label(c, today)),
                               joined=len(people), reported=len(waiting)))
            rows.append([Button(ctx.t("camp.btn.effect", name=forms.clip(c.name, 16)), payload("camp.eff", c.id or 0))])
            if c.status == CampaignStatus.PLANNED and Permission.CAMPAIGN_WRITE in ctx.actor.permissions:
                rows[-1].append(Button(ctx.t("camp.btn.launch", name=forms.clip(c.name, 10)),
                                       payload("camp.launch", c.id or 0)))
            for p in waiting[:5]:
                dealer = await uow.dealers.get(p.dealer_id)
                items.append(Reply(
                    text=ctx.t("camp.review.item", code=c.code, dealer=dealer.name if dealer else p.dealer_id,
                               text=forms.clip(p.report_text, 200), photos=len(p.report_photos),
                               customers=p.new_customers),
                    buttons=[[Button(ctx.t("camp.btn.approve"), payload("camp.rv", c.id or 0, p.dealer_id, 1)),
                              Button(ctx.t("camp.btn.turn_down"), payload("camp.rv", c.id or 0, p.dealer_id, 0))]]))
    pager = pager_row(ctx, "camp.staff", offset, len(campaigns))
    if pager:
        rows.append(pager)
    return [Reply(text="\n".join(lines), buttons=rows), *items]


def _reads_campaigns(ctx: Ctx) -> bool:
    return ctx.is_staff and bool({Permission.CAMPAIGN_WRITE, Permission.REPORT_READ_ALL} & ctx.actor.permissions)


@router.text_hook
async def who_not_joined(ctx: Ctx) -> list[Reply] | None:
    """"哪些经销商还没报名冬季活动": the campaign the words name (one running: that one), its target dealers that have
    not joined, and for marketing a button to remind them. Not a campaign reader, or no such words: None."""
    if not _reads_campaigns(ctx) or not re.search(CAMPAIGN_NOT_JOINED, ctx.inbound.text or "", re.IGNORECASE):
        return None
    named = await _campaign_named(ctx, re.sub(CAMPAIGN_NOT_JOINED, " ", ctx.inbound.text or "", flags=re.IGNORECASE))
    if isinstance(named, list):
        return [Reply(text=ctx.t("camp.who.which"),
                      buttons=[[Button(forms.clip(c.name, 24), payload("camp.nj", c.id or 0))] for c in named[:8]])]
    ctx.args = [str(named.id or 0)]
    return await outside(ctx)


async def _campaign_named(ctx: Ctx, words: str) -> Campaign | list[Campaign]:
    """The campaign the words name, else the one running; several and none named: them all (to pick from)."""
    campaigns = await list_campaigns(ctx.uow(), ctx.actor, limit=MAX_CAMPAIGNS)
    named = _named_campaign(words, campaigns)
    running = [c for c in campaigns if is_running(c, ctx.deps.clock.today())]
    if named is None and len(running) == 1:
        named = running[0]
    return named if named is not None else campaigns


@router.button("camp.nj")
async def outside(ctx: Ctx) -> list[Reply]:
    """The campaign's target dealers that have not joined it, with 🔔 提醒报名 for marketing while it runs."""
    campaign_id = _int_arg(ctx, 0)
    campaign = await get_campaign(ctx.uow(), ctx.actor, campaign_id)
    dealers = await not_joined(ctx.uow(), ctx.actor, campaign_id)
    if not dealers:
        text = ctx.t("camp.nj.none", name=campaign.name)
    else:
        lines = [ctx.t("camp.nj.head", name=campaign.name, n=len(dealers))]
        lines += [ctx.t("camp.nj.line", code=d.code, dealer=d.name, region=d.region or "") for d in dealers[:30]]
        if len(dealers) > 30:
            lines.append(ctx.t("camp.nj.more", n=len(dealers) - 30))
        text = "\n".join(lines)
    rows = []
    if dealers and Permission.CAMPAIGN_WRITE in ctx.actor.permissions and is_running(campaign, ctx.deps.clock.today()):
        rows.append([Button(ctx.t("camp.btn.remind", n=len(dealers)), payload("camp.remind", campaign_id))])
    rows.append([Button(ctx.t("camp.btn.who", name=forms.clip(campaign.name, 20)), payload("camp.who", campaign_id)),
                 Button(ctx.t("camp.btn.list"), payload("camp.staff"))])
    return [Reply(text=text, buttons=rows)]


@router.button("camp.remind")
async def remind(ctx: Ctx) -> list[Reply]:
    """Remind the campaign's dealers that have not joined (once a day per campaign, whatever the taps)."""
    campaign_id = _int_arg(ctx, 0)
    campaign = await get_campaign(ctx.uow(), ctx.actor, campaign_id)
    n = await remind_not_joined(ctx.uow(), ctx.actor, campaign_id, ctx.deps.clock)
    return [Reply(text=ctx.t("camp.reminded", name=campaign.name, n=n),
                  buttons=[[Button(ctx.t("camp.btn.who", name=forms.clip(campaign.name, 20)),
                                   payload("camp.who", campaign_id)), Button(ctx.t("camp.btn.list"),
                                                                           payload("camp.staff"))]])]


@router.text_hook
async def who_joined(ctx: Ctx) -> list[Reply] | None:
    """"双十二都有谁参加了": the campaign the words name (one running: that one), its dealers and where each stands;
    none named among several: a button each. Not a campaign reader, or no such words: None (the parser reads it)."""
    if not _reads_campaigns(ctx) or not re.search(CAMPAIGN_JOINERS, ctx.inbound.text or ""):
        return None
    named = await _campaign_named(ctx, re.sub(CAMPAIGN_JOINERS, " ", ctx.inbound.text or ""))
    if isinstance(named, list):
        rows = [[Button(ctx.t("camp.btn.who", name=forms.clip(c.name, 20)), payload("camp.who", c.id or 0))]
                for c in named[:8]]
        return [Reply(text=ctx.t("camp.who.which"), buttons=rows)]
    ctx.args = [str(named.id or 0)]
    return await participants(ctx)


@router.button("camp.who")
async def participants(ctx: Ctx) -> list[Reply]:
    campaign_id = _int_arg(ctx, 0)
    campaign = await get_campaign(ctx.uow(), ctx.actor, campaign_id)
    people = await list_participations(ctx.uow(), ctx.actor, campaign_id)
    if not people:
        text = ctx.t("camp.who.none", name=campaign.name)
    else:
        lines = [ctx.t("camp.who.head", name=campaign.name, n=len(people))]
        async with ctx.uow() as uow:
            for p in people[:30]:
                dealer = await uow.dealers.get(p.dealer_id)
                lines.append(ctx.t("camp.who.line", code=dealer.code if dealer else p.dealer_id,
                                   dealer=dealer.name if dealer else "",
                                   status=ctx.pick(*PARTICIPATION_STATUS_LABELS[p.status]),
                                   customers=ctx.t("camp.who.customers", n=p.new_customers) if p.new_customers else ""))
        text = "\n".join(lines)
    return [Reply(text=text, buttons=[[Button(ctx.t("camp.btn.effect", name=forms.clip(campaign.name, 16)),
                                              payload("camp.eff", campaign_id)),
                                       Button(ctx.t("camp.btn.not_joined"), payload("camp.nj", campaign_id))],
                                      [Button(ctx.t("camp.btn.list"), payload("camp.staff"))]])]


@router.text_hook
async def launch_asked(ctx: Ctx) -> list[Reply] | None:
    """"复购季发布", "把复购季推给经销商": the planned campaign the words name, and a confirm before it is launched
    (launching tells its dealers). No planned campaign named, or not marketing: None (the parser reads it)."""
    if not ctx.is_staff or Permission.CAMPAIGN_WRITE not in ctx.actor.permissions \
            or not re.search(CAMPAIGN_LAUNCH, ctx.inbound.text or ""):
        return None
    planned = await list_campaigns(ctx.uow(), ctx.actor, status=CampaignStatus.PLANNED, limit=MAX_CAMPAIGNS)
    named = _named_campaign(re.sub(CAMPAIGN_LAUNCH_WORDS, " ", ctx.inbound.text or ""), planned)
    if named is None:
        return None
    ctx.args = [str(named.id or 0)]
    return await launch_ask(ctx)


@router.button("camp.launch")
async def launch_ask(ctx: Ctx) -> list[Reply]:
    campaign = await get_campaign(ctx.uow(), ctx.actor, _int_arg(ctx, 0))
    if Permission.CAMPAIGN_WRITE not in ctx.actor.permissions:
        raise PermissionDenied()
    if campaign.status != CampaignStatus.PLANNED:
        return [Reply(text=ctx.t("camp.launch.not_planned", name=campaign.name,
                                 status=ctx.pick(*status_label(campaign, ctx.deps.clock.today()))))]
    return [Reply(text=ctx.t("camp.launch.ask", name=campaign.name, start=campaign.starts_on, end=campaign.ends_on,
                             who=_audience(ctx, campaign)),
                  buttons=[[Button(ctx.t("camp.btn.launch_ok"), payload("camp.launch.ok", campaign.id or 0))],
                           [Button(ctx.t("camp.btn.list"), payload("camp.staff"))]])]


def _audience(ctx: Ctx, c: Campaign) -> str:
    parts = [" / ".join(c.target_regions), ctx.t("camp.launch.tiers", tiers="/".join(c.target_tiers)) if c.target_tiers
             else "", ctx.t("camp.launch.named", n=len(c.target_dealer_ids)) if c.target_dealer_ids else ""]
    return " ".join(p for p in parts if p) or ctx.t("camp.launch.everyone")


@router.button("camp.launch.ok")
async def launch_confirmed(ctx: Ctx) -> list[Reply]:
    campaign = await launch_campaign(ctx.uow(), ctx.actor, _int_arg(ctx, 0), ctx.deps.clock)
    told = ctx.t("camp.launch.told_now") if is_running(campaign, ctx.deps.clock.today()) \
        else ctx.t("camp.launch.told_later", start=campaign.starts_on)
    return [Reply(text=ctx.t("camp.launch.done", name=campaign.name, told=told),
                  buttons=[[Button(ctx.t("camp.btn.list"), payload("camp.staff"))]])]


@router.button("camp.rv")
async def review(ctx: Ctx) -> list[Reply]:
    campaign_id, dealer_id = _int_arg(ctx, 0), _int_arg(ctx, 1)
    if forms.arg(ctx, 2) == "1":
        return await _reviewed(ctx, campaign_id, dealer_id, True, "")
    await get_campaign(ctx.uow(), ctx.actor, campaign_id)      # checks the actor before asking anything
    if Permission.CAMPAIGN_WRITE not in ctx.actor.permissions:
        raise PermissionDenied()
    ctx.go("camp.review", campaign_id=campaign_id, dealer_id=dealer_id)
    return [Reply(text=ctx.t("camp.review.ask"), buttons=[forms.cancel_row(ctx, "camp")])]


@router.state("camp.review")
async def review_note(ctx: Ctx) -> list[Reply]:
    note = forms.text_of(ctx)
    if not note:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, "camp")])]
    data = dict(ctx.dialog.data)
    ctx.idle()
    return await _reviewed(ctx, int(str(data.get("campaign_id", 0))), int(str(data.get("dealer_id", 0))), False, note)


async def _reviewed(ctx: Ctx, campaign_id: int, dealer_id: int, approved: bool, note: str) -> list[Reply]:
    done = await review_execution(ctx.uow(), ctx.actor, campaign_id, dealer_id, approved=approved, note=note,
                                  clock=ctx.deps.clock)
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(dealer_id)
    return [Reply(text=ctx.t("camp.review.done", dealer=dealer.name if dealer else dealer_id,
                             status=ctx.pick(*PARTICIPATION_STATUS_LABELS[done.status])),
                  buttons=[[Button(ctx.t("camp.btn.list"), payload("camp.staff"))]])]


@router.button("camp.eff")
async def effect(ctx: Ctx) -> list[Reply]:
    campaign_id = _int_arg(ctx, 0)
    figures = await campaign_effect(ctx.uow(), ctx.actor, campaign_id, ctx.deps.clock)
    campaign = await get_campaign(ctx.uow(), ctx.actor, campaign_id)
    p, o = figures.participants, figures.non_participants
    text = ctx.t("camp.effect", name=campaign.name, start=figures.period[0], end=figures.period[1],
                 bstart=figures.baseline_period[0], bend=figures.baseline_period[1],
                 pin=p.dealers, pamount=fmt_cny(p.amount), pbase=fmt_cny(p.baseline_amount), pup=_uplift(ctx, p.uplift_pct),
                 oin=o.dealers, oamount=fmt_cny(o.amount), obase=fmt_cny(o.baseline_amount),
                 oup=_uplift(ctx, o.uplift_pct), customers=figures.new_customers)
    text += "\n" + _comparison(ctx, figures.comparison)
    return [Reply(text=text, buttons=[[Button(ctx.t("camp.btn.list"), payload("camp.staff"))]])]
