"""Marketing sets up a campaign in chat ("新建一个活动", "做个双旦促销，12月20号到1月3号，满10台减500"): a short form
(name -> dates -> rule -> products -> dealers, states ``cnew.*``), what the opening words said already filled in,
a summary, then ``core.services.campaigns.create_campaign``, the use case the back office's form calls (it checks
CAMPAIGN_WRITE, validates and audits): the campaign is created planned (筹备中), with a code of its month
(``free_campaign_code``), and its launch offered (``camp.launch``: a confirm first, as from the campaign list).

The words are read by ``nlu.campaign_words``; the products and dealers they name are looked up here.
"""

from __future__ import annotations

from datetime import date

from core.errors import PermissionDenied
from core.services.campaigns import CreateCampaign, create_campaign, free_campaign_code, get_campaign
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.stepform import Answer, Form, Step
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.campaign_words import (
    NEW_CAMPAIGN,
    campaign_dates,
    campaign_products,
    campaign_targets,
    new_campaign_said,
)

router = Router(name=__name__)

MAX_NAME = 40
MAX_RULE = 400
MAX_DEALERS = 30
MAX_CHOICES = 5

i18n.register({
    "cnew.title": ("🆕 新建市场活动", "🆕 New campaign"),
    "cnew.ask.name": ("活动名称是什么？（例如“双旦促销”）", "What is the campaign called? (e.g. \"New Year promotion\")"),
    "cnew.ask.dates": ("活动时间？例如“12月20号到1月3号”。", "When does it run? e.g. \"2026-12-20 to 2027-01-03\"."),
    "cnew.ask.rule": ("活动规则 / 支持政策？例如“满10台减500”。没有可点“跳过”。",
                      "The offer or support? e.g. \"500 off every 10 units\". Tap Skip if none."),
    "cnew.ask.products": ("哪些产品参加？输入型号或系列（如“AP系列、WP400”），全部产品请输入“全部”或点“跳过”。",
                          "Which products? Type models or series (\"AP series, WP400\"); type \"all\" or tap Skip "
                          "for every product."),
    "cnew.ask.dealers": ("面向哪些经销商？输入大区、等级或经销商（如“华东 A级”、“D0012 杭州嘉禾”），全部经销商请输入“全部”或点“跳过”。",
                         "For which dealers? Type regions, tiers or dealers (\"华东 A\", \"D0012\"); type \"all\" or "
                         "tap Skip for every dealer."),
    "cnew.dates_bad": ("没有读出起止日期。请这样输入：“12月20号到1月3号”或“2026-12-20 至 2027-01-03”。",
                       "I could not read a start and an end. Type e.g. \"2026-12-20 to 2027-01-03\"."),
    "cnew.dates_order": ("结束日期（{end}）早于开始日期（{start}），请重新输入。",
                         "The end ({end}) is before the start ({start}); type the dates again."),
    "cnew.products_unknown": ("没有找到这些产品：{words}。请输入型号（如 AP300）或系列（如“AP系列”），全部产品请输入“全部”。",
                              "No product found for: {words}. Type models (AP300) or series (\"AP series\"), or "
                              "\"all\"."),
    "cnew.dealer_unknown": ("没有找到经销商“{words}”。请输入编码（如 D0012）、名称中的几个字、大区（华东）或等级（A级）。",
                            "No dealer matches \"{words}\". Type a code (D0012), part of a name, a region or a tier."),
    "cnew.dealer_several": ("“{words}”对应多家经销商：{names}。请输入编码。",
                            "\"{words}\" fits several dealers: {names}. Type the code."),
    "cnew.all_products": ("全部产品", "every product"),
    "cnew.all_dealers": ("全部经销商", "every dealer"),
    "cnew.none": ("无", "none"),
    "cnew.summary": ("请确认新建活动：\n名称：{name}\n时间：{start} 至 {end}\n规则：{rule}\n产品：{products}\n面向：{dealers}\n"
                     "（创建后为“筹备中”，发布后经销商才能看到并报名）",
                     "Please check the new campaign:\nName: {name}\nDates: {start} to {end}\nOffer: {rule}\n"
                     "Products: {products}\nFor: {dealers}\n(it is created planned; dealers see it once launched)"),
    "cnew.use_buttons": ("请点“确认提交”或“取消”。", "Please tap Submit or Cancel."),
    "cnew.created": ("✅ 已创建活动“{name}”（{code}），状态：筹备中。现在发布吗？发布后面向的经销商可以报名。",
                     "✅ Campaign '{name}' ({code}) is created, planned. Launch it now? Once launched its dealers "
                     "may join."),
    "cnew.btn.list": ("🎯 活动列表", "🎯 Campaigns"),
})


def _may_write(ctx: Ctx) -> list[Reply] | None:
    """The form's guard: marketing (CAMPAIGN_WRITE) only, as the back office's form."""
    if not ctx.is_staff or Permission.CAMPAIGN_WRITE not in ctx.actor.permissions:
        raise PermissionDenied()
    return None


@router.staff_pattern(NEW_CAMPAIGN)
async def new_campaign(ctx: Ctx) -> list[Reply]:
    """"新建一个活动", "做个双旦促销，12月20号到1月3号，满10台减500" (was: a link to the back office): the form, what
    was said with it filled in, the first question not answered asked."""
    _may_write(ctx)
    said = new_campaign_said(ctx.inbound.text, ctx.deps.clock.today())
    FORM.begin(ctx)
    if said is not None and said.name:
        FORM.mark_done(ctx, "name", name=said.name)
    if said is not None and said.dates is not None and said.dates.ends_on >= said.dates.starts_on:
        FORM.mark_done(ctx, "dates", starts_on=said.dates.starts_on.isoformat(),
                       ends_on=said.dates.ends_on.isoformat())
    if said is not None and said.rule:
        FORM.mark_done(ctx, "rule", rule=said.rule)
    # "DH20满10台减500 所有A级经销商": the products and dealers said are not asked again (QA s28 #24); words that
    # name none leave their step to be asked
    for step, words, read in (("products", said.products if said else "", _products),
                              ("dealers", said.targets if said else "", _dealers)):
        found = await read(FORM, ctx, words) if words else None
        if isinstance(found, dict):
            FORM.mark_done(ctx, step, **found)
    return await FORM.next(ctx, intro=True)


@router.state("cnew")
async def answer(ctx: Ctx) -> list[Reply]:
    return await FORM.answer(ctx)


@router.button("cnew.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


# --- the steps ---------------------------------------------------------------------------------------

async def _name(form: Form, ctx: Ctx, text: str) -> Answer:
    name = text.strip()
    if len(name) > MAX_NAME:
        return form.reject(ctx, "name", ctx.t("form.text_too_long", limit=MAX_NAME))
    return {"name": name}


async def _dates(form: Form, ctx: Ctx, text: str) -> Answer:
    span = campaign_dates(text, ctx.deps.clock.today())
    if span is None:
        return form.reject(ctx, "dates", ctx.t("cnew.dates_bad"))
    if span.ends_on < span.starts_on:
        return form.reject(ctx, "dates", ctx.t("cnew.dates_order", start=span.starts_on, end=span.ends_on))
    return {"starts_on": span.starts_on.isoformat(), "ends_on": span.ends_on.isoformat()}


async def _rule(form: Form, ctx: Ctx, text: str) -> Answer:
    if len(text) > MAX_RULE:
        return form.reject(ctx, "rule", ctx.t("form.text_too_long", limit=MAX_RULE))
    return {"rule": text.strip()}


async def _products(form: Form, ctx: Ctx, text: str) -> Answer:
    said = campaign_products(text)
    if said.every:
        return {"skus": []}
    products = await forms.active_products(ctx)
    skus: list[str] = []
    unknown: list[str] = []
    for prefix in said.series:
        found = [p.sku for p in products if p.sku.upper().startswith(prefix)]
        skus += found
        unknown += [] if found else [prefix]
    for words in said.words:
        sku = forms.match_product(words, products)
        skus += [sku] if sku else []
        unknown += [] if sku else [words]
    if unknown or not skus:
        return form.reject(ctx, "products", ctx.t("cnew.products_unknown",
                                                   words="、".join(forms.clip(w, 20) for w in unknown) or text[:20]))
    return {"skus": list(dict.fromkeys(skus))}


async def _dealers(form: Form, ctx: Ctx, text: str) -> Answer:
    said = campaign_targets(text)
    if said.every:
        return {"regions": [], "tiers": [], "dealer_ids": [], "dealer_labels": []}
    ids: list[int] = []
    labels: list[str] = []
    for words in said.dealers[:MAX_DEALERS]:
        found = await forms.dealers_by_words(ctx, words, MAX_CHOICES + 1)
        if not found:
            return form.reject(ctx, "dealers", ctx.t("cnew.dealer_unknown", words=forms.clip(words, 20)))
        if len(found) > 1:
            names = "、".join(f"{d.code} {d.name}" for d in found[:MAX_CHOICES])
            return form.reject(ctx, "dealers", ctx.t("cnew.dealer_several", words=forms.clip(words, 20), names=names))
        ids.append(found[0].id or 0)
        labels.append(f"{found[0].code} {found[0].name}")
    if not (said.regions or said.tiers or ids):
        return form.reject(ctx, "dealers", ctx.t("cnew.dealer_unknown", words=forms.clip(text, 20)))
    return {"regions": said.regions, "tiers": said.tiers, "dealer_ids": ids, "dealer_labels": labels}


def _targets_label(ctx: Ctx, data: dict[str, object]) -> str:
    parts = [" / ".join(_strings(data.get("regions"))),
             "/".join(_strings(data.get("tiers"))) + (" 级" if ctx.lang == "zh-CN" else " tier")
             if _strings(data.get("tiers")) else "",
             "、".join(_strings(data.get("dealer_labels")))]
    return "；".join(p for p in parts if p) or ctx.t("cnew.all_dealers")


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


async def _summary(ctx: Ctx) -> str:
    data = ctx.dialog.data
    skus = _strings(data.get("skus"))
    return ctx.t("cnew.summary", name=data.get("name", ""), start=data.get("starts_on", ""),
                 end=data.get("ends_on", ""), rule=data.get("rule") or ctx.t("cnew.none"),
                 products="、".join(skus) or ctx.t("cnew.all_products"), dealers=_targets_label(ctx, data))


async def _submit(ctx: Ctx) -> tuple[str | None, list[Reply]]:
    data = ctx.dialog.data
    starts_on = date.fromisoformat(str(data["starts_on"]))
    code = await free_campaign_code(ctx.uow(), ctx.actor, starts_on)
    campaign = await create_campaign(ctx.uow(), ctx.actor, CreateCampaign(
        code=code, name=str(data.get("name", "")), starts_on=starts_on,
        ends_on=date.fromisoformat(str(data["ends_on"])), support=str(data.get("rule") or ""),
        target_regions=_strings(data.get("regions")), target_tiers=_strings(data.get("tiers")),
        target_dealer_ids=[int(i) for i in _strings(data.get("dealer_ids"))], skus=_strings(data.get("skus")),
    ), ctx.deps.clock)
    return str(campaign.id), _created(ctx, campaign.id or 0, campaign.name, campaign.code)


def _created(ctx: Ctx, campaign_id: int, name: str, code: str) -> list[Reply]:
    return [Reply(text=ctx.t("cnew.created", name=name, code=code),
                  buttons=[[Button(ctx.t("camp.btn.launch", name=forms.clip(name, 10)), payload("camp.launch", campaign_id))],
                           [Button(ctx.t("cnew.btn.list"), payload("camp.staff")), forms.menu_button(ctx)]])]


async def _resubmitted(ctx: Ctx, ref: str) -> list[Reply]:
    campaign = await get_campaign(ctx.uow(), ctx.actor, int(ref))
    return _created(ctx, campaign.id or 0, campaign.name, campaign.code)


FORM = Form(
    prefix="cnew", title="cnew.title", use_buttons="cnew.use_buttons", guard=_may_write,
    steps=(Step("name", parse=_name),
           Step("dates", parse=_dates),
           Step("rule", parse=_rule, skippable=True),
           Step("products", parse=_products, skippable=True),
           Step("dealers", parse=_dealers, skippable=True)),
    summary=_summary, submit=_submit, resubmitted=_resubmitted)
FORM.register(router)
