"""Apply to become a dealer (申请加盟): a form for chats that are not bound to any account.

Steps (state ``apply.<step>``)::

    company -> uscc (checked, asked again when wrong) -> place (province + city) -> contact -> phone
    -> scope -> photos (the business licence) -> confirm

On confirm the intake runs as ``Actor.system()``: ``create_dealer`` (a prospect, the applicant as its
owner contact), the first photo uploaded as the business licence and any others as attachments
(``upload_qualification``), and ``submit_for_review`` so a channel manager can approve it. Staff with
DEALER_REVIEW get the application with ``staff.dealer.approve`` / ``staff.dealer.reject`` buttons
(handled by the staff flow). The applicant is told the application number (the dealer code); once
approved they bind by sharing the phone number they gave, which is the dealer's owner contact.
"""

from __future__ import annotations

from typing import Any

from core.dealers import Contact, DocumentType
from core.errors import Conflict, ValidationFailed
from core.services.dealers import CreateDealer, SubmitForReview, create_dealer, submit_for_review
from core.services.qualifications import UploadQualification, upload_qualification
from core.ticket_flow import normalize_phone
from core.uscc import normalize_uscc, validate_uscc
from core.users import Actor
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import SHARE_PHONE, main_menu
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

MAX_NAME = 100
MAX_SCOPE = 500
OWNER_ROLE = "老板"      # the contact role that makes the phone binding an owner (core.services.users)

PROVINCE_REGIONS: dict[str, str] = {
    **dict.fromkeys(("上海", "江苏", "浙江", "安徽", "福建", "江西", "山东"), "华东"),
    **dict.fromkeys(("北京", "天津", "河北", "山西", "内蒙古"), "华北"),
    **dict.fromkeys(("河南", "湖北", "湖南"), "华中"),
    **dict.fromkeys(("广东", "广西", "海南"), "华南"),
    **dict.fromkeys(("重庆", "四川", "贵州", "云南", "西藏"), "西南"),
    **dict.fromkeys(("陕西", "甘肃", "青海", "宁夏", "新疆"), "西北"),
    **dict.fromkeys(("辽宁", "吉林", "黑龙江"), "东北"),
    **dict.fromkeys(("香港", "澳门", "台湾"), "港澳台"),
}
MUNICIPALITIES = frozenset({"北京", "上海", "天津", "重庆"})
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")

i18n.register({
    "apply.already_bound": ("您已绑定账号，无需申请。", "Your chat is already bound to an account."),
    "apply.intro": ("📝 申请成为经销商\n共 7 步，约 3 分钟，随时输入“取消”退出。\n第 1 步：请输入公司全称（与营业执照一致）。",
                    "📝 Apply to become a dealer\n7 steps, about 3 minutes; type \"cancel\" to stop at any time.\n"
                    "Step 1: the company's full registered name?"),
    "apply.ask.uscc": ("第 2 步：请输入统一社会信用代码（18 位，见营业执照）。",
                       "Step 2: the unified social credit code (18 characters, on the business licence)?"),
    "apply.uscc_bad": ("{error}\n请核对营业执照后重新输入。", "{error}\nPlease check the licence and send it again."),
    "apply.uscc_taken": ("该统一社会信用代码已经登记过。如贵司已是经销商，请向渠道经理索取绑定码。",
                         "This credit code is already registered. If your company is a dealer already, ask your "
                         "channel manager for a binding code."),
    "apply.ask.place": ("第 3 步：公司所在的省份和城市，例如：浙江 杭州", "Step 3: province and city, e.g. 浙江 杭州"),
    "apply.place_bad": ("没能识别省份和城市，请按“浙江 杭州”的格式发送。",
                        "Could not recognise the province and city; please send them like \"浙江 杭州\"."),
    "apply.ask.contact": ("第 4 步：联系人姓名？", "Step 4: the contact person's name?"),
    "apply.ask.phone": ("第 5 步：联系人手机号？也可以点“分享手机号”。",
                        "Step 5: the contact's mobile number? Or tap \"Share my phone number\"."),
    "apply.phone_bad": ("{error}\n请重新输入 11 位手机号。", "{error}\nPlease send an 11-digit mobile number."),
    "apply.mobile_only": ("请填写 11 位手机号（审核通过后用它绑定账号）。",
                          "Please give an 11-digit mobile number (you will bind your account with it)."),
    "apply.ask.scope": ("第 6 步：主营业务 / 经营范围（例如“家电零售、工程安装”），可点“跳过”。",
                        "Step 6: main business (e.g. \"appliance retail, installation\"), or tap Skip."),
    "apply.ask.photos": ("第 7 步：请拍照上传营业执照（最多 {max} 张），发完点“完成”。",
                         "Step 7: send photos of the business licence (at most {max}), then tap Done."),
    "apply.photos_needed": ("请至少上传一张营业执照照片。", "Please send at least one photo of the business licence."),
    "apply.summary": ("请确认申请信息：\n公司：{company}\n统一社会信用代码：{uscc}\n所在地：{province} {city}（{region}）\n"
                      "联系人：{contact} {phone}\n经营范围：{scope}\n营业执照照片：{photos} 张",
                      "Please check your application:\nCompany: {company}\nCredit code: {uscc}\n"
                      "Location: {province} {city} ({region})\nContact: {contact} {phone}\nBusiness: {scope}\n"
                      "Licence photos: {photos}"),
    "apply.use_buttons": ("请点“确认提交”或“取消”。", "Please tap Submit or Cancel."),
    "apply.done": ("✅ 申请已提交，申请编号：{code}\n渠道经理审核后会与您联系（{phone}）。审核通过后，点“分享手机号”即可绑定账号。",
                   "✅ Application sent. Your application number: {code}\nA channel manager will contact you "
                   "({phone}) after the review. Once approved, tap \"Share my phone number\" to bind your account."),
    "apply.attachment": ("申请附件 {n}", "application attachment {n}"),
    "apply.none": ("无", "none"),
})


def parse_place(text: str) -> tuple[str, str] | None:
    """(province, city) from "浙江 杭州", "浙江省杭州市", "广西壮族自治区南宁市", "上海"; None when unclear."""
    clean = text.strip().replace("，", " ").replace(",", " ").replace("/", " ")
    province = next((p for p in sorted(PROVINCE_REGIONS, key=len, reverse=True) if clean.startswith(p)), None)
    if province is None:
        return None
    rest = clean[len(province):].strip()
    for suffix in _PROVINCE_SUFFIXES:
        if rest.startswith(suffix):
            rest = rest[len(suffix):].strip()
            break
    if province in MUNICIPALITIES:
        return province, province
    city = rest.split()[0] if rest.split() else ""
    for suffix in ("市", "地区", "自治州", "盟"):
        if city.endswith(suffix) and len(city) > len(suffix) + 1:
            city = city[:-len(suffix)]
            break
    if not city or len(city) > 20:
        return None
    return province, city


# --- start ---------------------------------------------------------------------------------------

@router.button("apply.new")
@router.command("apply")
async def start(ctx: Ctx) -> list[Reply]:
    if ctx.bound:
        return [Reply(text=ctx.t("apply.already_bound")), main_menu(ctx)]
    ctx.go("apply.company", nonce=forms.new_nonce(), photos=[])
    return [Reply(text=ctx.t("apply.intro"), buttons=[forms.cancel_row(ctx, "apply")])]


@router.button("apply.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


def _ask(ctx: Ctx, step: str) -> list[Reply]:
    ctx.dialog.state = f"apply.{step}"
    cancel = forms.cancel_row(ctx, "apply")
    if step == "phone":
        return [Reply(text=ctx.t("apply.ask.phone"), buttons=[[Button(ctx.t("bind.share_phone"), SHARE_PHONE)], cancel])]
    if step == "scope":
        return [Reply(text=ctx.t("apply.ask.scope"),
                      buttons=[[Button(ctx.t("form.skip"), payload("apply.skip")), *cancel]])]
    if step == "photos":
        return [Reply(text=ctx.t("apply.ask.photos", max=forms.MAX_PHOTOS),
                      buttons=[[Button(ctx.t("form.done"), payload("apply.done"))], cancel])]
    return [Reply(text=ctx.t(f"apply.ask.{step}"), buttons=[cancel])]


@router.button("apply.skip")
async def skip_scope(ctx: Ctx) -> list[Reply]:
    if ctx.dialog.state != "apply.scope":
        return [Reply(text=ctx.t("error.button_stale"))]
    ctx.dialog.data["scope"] = ""
    return _ask(ctx, "photos")


@router.button("apply.done")
async def photos_done(ctx: Ctx) -> list[Reply]:
    if ctx.dialog.state != "apply.photos":
        return [Reply(text=ctx.t("error.button_stale"))]
    if not ctx.dialog.data.get("photos"):
        return [Reply(text=ctx.t("apply.photos_needed"))] + _ask(ctx, "photos")
    return _summary(ctx)


@router.state("apply")
async def answer(ctx: Ctx) -> list[Reply]:
    step = ctx.dialog.state.removeprefix("apply.")
    data = ctx.dialog.data
    if step == "photos":
        if forms.is_photo(ctx):
            return [forms.add_photos(ctx, "apply.done")]
        if forms.is_done(forms.text_of(ctx)):
            return await photos_done(ctx)
        return [Reply(text=ctx.t("form.photo_wanted"), buttons=[[Button(ctx.t("form.done"), payload("apply.done"))]])]
    if step == "confirm":
        return [Reply(text=ctx.t("apply.use_buttons"))] + _summary(ctx)
    if step == "phone" and ctx.inbound.kind == InboundKind.CONTACT and ctx.inbound.phone:
        return _phone(ctx, ctx.inbound.phone)
    text = forms.text_of(ctx)
    if not text:
        return [Reply(text=ctx.t("form.text_wanted"))] + _ask(ctx, step)
    if step == "company":
        if len(text) > MAX_NAME:
            return [Reply(text=ctx.t("form.text_too_long", limit=MAX_NAME))] + _ask(ctx, step)
        data["company"] = text
        return _ask(ctx, "uscc")
    if step == "uscc":
        try:
            uscc = validate_uscc(text)
        except ValidationFailed as exc:
            return [Reply(text=ctx.t("apply.uscc_bad", error=exc.message(ctx.lang)),
                          buttons=[forms.cancel_row(ctx, "apply")])]
        async with ctx.uow() as uow:
            taken = await uow.dealers.get_by(uscc=uscc) is not None
        if taken:
            return [Reply(text=ctx.t("apply.uscc_taken"), buttons=[forms.cancel_row(ctx, "apply")])]
        data["uscc"] = uscc
        return _ask(ctx, "place")
    if step == "place":
        place = parse_place(text)
        if place is None:
            return [Reply(text=ctx.t("apply.place_bad"), buttons=[forms.cancel_row(ctx, "apply")])]
        data["province"], data["city"] = place
        return _ask(ctx, "contact")
    if step == "contact":
        if len(text) > 50:
            return [Reply(text=ctx.t("form.text_too_long", limit=50))] + _ask(ctx, step)
        data["contact"] = text
        return _ask(ctx, "phone")
    if step == "phone":
        return _phone(ctx, text)
    if step == "scope":
        if forms.is_skip(text):
            return await skip_scope(ctx)
        if len(text) > MAX_SCOPE:
            return [Reply(text=ctx.t("form.text_too_long", limit=MAX_SCOPE))] + _ask(ctx, step)
        data["scope"] = text
        return _ask(ctx, "photos")
    return [Reply(text=ctx.t("error.button_stale"))]


def _phone(ctx: Ctx, raw: str) -> list[Reply]:
    try:
        phone = normalize_phone(raw)
    except ValidationFailed as exc:
        return [Reply(text=ctx.t("apply.phone_bad", error=exc.message(ctx.lang)),
                      buttons=[forms.cancel_row(ctx, "apply")])]
    if not (len(phone) == 11 and phone.startswith("1")):
        return [Reply(text=ctx.t("apply.mobile_only"), buttons=[forms.cancel_row(ctx, "apply")])]
    ctx.dialog.data["phone"] = phone
    return _ask(ctx, "scope")


def _fields(lang: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the form collected, as the summary and the staff message show it."""
    province = str(data.get("province", ""))
    return {"company": data.get("company", ""), "uscc": data.get("uscc", ""), "province": province,
            "city": data.get("city", ""), "region": PROVINCE_REGIONS.get(province, ""),
            "contact": data.get("contact", ""), "phone": data.get("phone", ""),
            "scope": data.get("scope") or i18n.t(lang, "apply.none"), "photos": len(data.get("photos") or [])}


def _summary(ctx: Ctx) -> list[Reply]:
    ctx.dialog.state = "apply.confirm"
    text = ctx.t("apply.summary", **_fields(ctx.lang, ctx.dialog.data))
    return [Reply(text=text, buttons=[[Button(ctx.t("form.submit"), payload("apply.ok", ctx.dialog.data["nonce"]))],
                                      forms.cancel_row(ctx, "apply")])]


# --- submit --------------------------------------------------------------------------------------

@router.button("apply.ok")
async def confirm(ctx: Ctx) -> list[Reply]:
    nonce = forms.arg(ctx, 0)
    already = forms.submitted_ref(ctx, nonce)
    if already is not None:
        async with ctx.uow() as uow:
            dealer = await uow.dealers.get_by(code=already)
        phone = dealer.contacts[0].phone if dealer and dealer.contacts else ""
        return [Reply(text=ctx.t("apply.done", code=already, phone=phone))]
    if not forms.form_is(ctx, "apply.confirm", nonce):
        return [Reply(text=ctx.t("error.button_stale"))]
    if ctx.bound:
        return [Reply(text=ctx.t("apply.already_bound")), main_menu(ctx)]
    data = dict(ctx.dialog.data)
    fields = _fields("zh-CN", data)
    photos = [str(p) for p in data.get("photos") or []]
    intake = Actor.system()
    clock = ctx.deps.clock
    try:
        dealer = await create_dealer(ctx.uow(), intake, CreateDealer(
            name=str(fields["company"]), uscc=str(fields["uscc"]), province=str(fields["province"]),
            city=str(fields["city"]), region=str(fields["region"]), business_scope=str(data.get("scope") or ""),
            contacts=(Contact(name=str(fields["contact"]), phone=str(fields["phone"]), role=OWNER_ROLE),),
        ), clock)
    except Conflict:
        # the credit code was registered meanwhile; say so without naming the other dealer
        ctx.idle()
        return [Reply(text=ctx.t("apply.uscc_taken")), main_menu(ctx)]
    assert dealer.id is not None
    for n, ref in enumerate(photos, start=1):
        licence = n == 1
        await upload_qualification(ctx.uow(), intake, UploadQualification(
            dealer_id=dealer.id, doc_type=DocumentType.BUSINESS_LICENSE if licence else DocumentType.OTHER,
            number=normalize_uscc(dealer.uscc) if licence else i18n.t("zh-CN", "apply.attachment", n=n),
            issued_on=None, expires_on=None, file_ref=ref), clock)
    await submit_for_review(ctx.uow(), intake, SubmitForReview(dealer_id=dealer.id), clock)
    forms.remember_submitted(ctx, nonce, dealer.code)
    return [Reply(text=ctx.t("apply.done", code=dealer.code, phone=fields["phone"]))]


