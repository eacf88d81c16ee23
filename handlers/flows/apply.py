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

The phone is shown masked (``139****5678``) wherever the chat repeats it, the applicant's own summary
included; the channel manager reveals it from the application's card (``staff.dealer.detail``, audited).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.dealers import DOCUMENT_LABELS, Contact, DocumentType, Qualification, ReviewStatus
from core.errors import Conflict, NotFound, ValidationFailed
from core.masking import mask_phone, mask_text
from core.onboarding import REQUIRED_DOCUMENTS, ordering_block_reason
from core.services.dealers import CreateDealer, SubmitForReview, create_dealer, submit_for_review
from core.services.qualifications import (
    RenewQualification,
    UploadQualification,
    list_qualifications,
    renew_qualification,
    upload_qualification,
)
from core.ticket_states import normalize_phone
from core.uscc import normalize_uscc, validate_uscc
from core.users import Actor
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import SHARE_PHONE, main_menu
from handlers.flows.stepform import Answer, Form, Step
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

MAX_NAME = 100
MAX_SCOPE = 500
MAX_CONTACT = 50
MAX_DOC_NUMBER = 64
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
    "apply.ask.company": ("第 1 步：请输入公司全称（与营业执照一致）。", "Step 1: the company's full registered name?"),
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
    FORM.begin(ctx)
    return [Reply(text=ctx.t("apply.intro"), buttons=[forms.cancel_row(ctx, "apply")])]


@router.button("apply.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


# --- the steps (handlers.flows.stepform runs them) ------------------------------------------------------------

async def _company(form: Form, ctx: Ctx, text: str) -> Answer:
    if len(text) > MAX_NAME:
        return [Reply(text=ctx.t("form.text_too_long", limit=MAX_NAME))] + await form.ask(ctx, "company")
    return {"company": text}


async def _uscc(form: Form, ctx: Ctx, text: str) -> Answer:
    try:
        uscc = validate_uscc(text)
    except ValidationFailed as exc:
        return form.reject(ctx, "uscc", ctx.t("apply.uscc_bad", error=exc.message(ctx.lang)))
    async with ctx.uow() as uow:
        taken = await uow.dealers.get_by(uscc=uscc) is not None
    return form.reject(ctx, "uscc", ctx.t("apply.uscc_taken")) if taken else {"uscc": uscc}


async def _place(form: Form, ctx: Ctx, text: str) -> Answer:
    place = parse_place(text)
    if place is None:
        return form.reject(ctx, "place", ctx.t("apply.place_bad"))
    return {"province": place[0], "city": place[1]}


async def _contact(form: Form, ctx: Ctx, text: str) -> Answer:
    if len(text) > MAX_CONTACT:
        return [Reply(text=ctx.t("form.text_too_long", limit=MAX_CONTACT))] + await form.ask(ctx, "contact")
    return {"contact": text}


async def _ask_phone(form: Form, ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("apply.ask.phone"),
                  buttons=[[Button(ctx.t("bind.share_phone"), SHARE_PHONE)], forms.cancel_row(ctx, "apply")])]


async def _phone(form: Form, ctx: Ctx, raw: str) -> Answer:
    try:
        phone = normalize_phone(raw)
    except ValidationFailed as exc:
        return form.reject(ctx, "phone", ctx.t("apply.phone_bad", error=mask_text(exc.message(ctx.lang))))
    if not (len(phone) == 11 and phone.startswith("1")):
        return form.reject(ctx, "phone", ctx.t("apply.mobile_only"))
    return {"phone": phone}


async def _scope(form: Form, ctx: Ctx, text: str) -> Answer:
    if len(text) > MAX_SCOPE:
        return [Reply(text=ctx.t("form.text_too_long", limit=MAX_SCOPE))] + await form.ask(ctx, "scope")
    return {"scope": text}


@router.state("apply")
async def answer(ctx: Ctx) -> list[Reply]:
    return await FORM.answer(ctx)


def _fields(lang: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the form collected, as the summary and the staff message show it."""
    province = str(data.get("province", ""))
    return {"company": data.get("company", ""), "uscc": data.get("uscc", ""), "province": province,
            "city": data.get("city", ""), "region": PROVINCE_REGIONS.get(province, ""),
            "contact": data.get("contact", ""), "phone": data.get("phone", ""),
            "scope": data.get("scope") or i18n.t(lang, "apply.none"), "photos": len(data.get("photos") or [])}


async def _summary(ctx: Ctx) -> str:
    fields = _fields(ctx.lang, ctx.dialog.data)
    return ctx.t("apply.summary", **(fields | {"phone": mask_phone(str(fields["phone"]))}))


# --- submit --------------------------------------------------------------------------------------

def _not_bound(ctx: Ctx) -> list[Reply] | None:
    return [Reply(text=ctx.t("apply.already_bound")), main_menu(ctx)] if ctx.bound else None


async def _resubmitted(ctx: Ctx, code: str) -> list[Reply]:
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get_by(code=code)
    phone = dealer.contacts[0].phone if dealer and dealer.contacts else ""
    return [Reply(text=ctx.t("apply.done", code=code, phone=mask_phone(phone)))]


async def _submit(ctx: Ctx) -> tuple[str | None, list[Reply]]:
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
        return None, [Reply(text=ctx.t("apply.uscc_taken")), main_menu(ctx)]
    assert dealer.id is not None
    for n, ref in enumerate(photos, start=1):
        licence = n == 1
        await upload_qualification(ctx.uow(), intake, UploadQualification(
            dealer_id=dealer.id, doc_type=DocumentType.BUSINESS_LICENSE if licence else DocumentType.OTHER,
            number=normalize_uscc(dealer.uscc) if licence else i18n.t("zh-CN", "apply.attachment", n=n),
            issued_on=None, expires_on=None, file_ref=ref), clock)
    await submit_for_review(ctx.uow(), intake, SubmitForReview(dealer_id=dealer.id), clock)
    return dealer.code, [Reply(text=ctx.t("apply.done", code=dealer.code, phone=mask_phone(str(fields["phone"]))))]


FORM = Form(
    prefix="apply", use_buttons="apply.use_buttons", guard=_not_bound,
    steps=(Step("company", parse=_company),
           Step("uscc", parse=_uscc),
           Step("place", parse=_place),
           Step("contact", parse=_contact),
           Step("phone", ask=_ask_phone, parse=_phone, contact=True),
           Step("scope", parse=_scope, skippable=True),
           Step("photos", photos=True, photos_needed="apply.photos_needed")),
    summary=_summary, submit=_submit, resubmitted=_resubmitted)
FORM.register(router)


# --- documents of a bound dealer: see them, renew or upload again (资质) ----------------------------
# Payloads: apply.docs (/docs) · apply.renew|qualification id · apply.up|document type index
#           apply.doc.ok|nonce · apply.doc.done · apply.doc.skip
# Steps (state ``apply.doc.<step>``): number -> expires -> photos -> confirm. A renewal keeps the old
# document as history (``renew_qualification``); a missing or rejected one is uploaded anew. Either way
# it waits for a channel manager's review (staff flow), and the dealer hears the result (outbox).

DOC_TYPES: tuple[DocumentType, ...] = tuple(DocumentType)
NO_EXPIRY_WORDS = frozenset({"长期", "永久", "无", "no", "none", "never"})

i18n.register({
    "apply.docs.title": ("📑 我的资质文件", "📑 My documents"),
    "apply.docs.line": ("{icon} {doc} {number}（{status}，有效期至 {expires}）",
                        "{icon} {doc} {number} ({status}, valid until {expires})"),
    "apply.docs.missing": ("❗ {doc}：缺失", "❗ {doc}: missing"),
    "apply.docs.rejected_reason": ("    驳回原因：{reason}", "    Rejected because: {reason}"),
    "apply.docs.blocked": ("⛔ 当前不能下单：{reason}", "⛔ Ordering is blocked: {reason}"),
    "apply.docs.ok": ("✅ 必需资质齐全有效，可以正常下单。", "✅ All required documents are valid; you can order."),
    "apply.docs.renew": ("🔄 续期 {doc}", "🔄 Renew {doc}"),
    "apply.docs.upload": ("⬆️ 上传 {doc}", "⬆️ Upload {doc}"),
    "apply.docs.no_expiry": ("长期", "no expiry"),
    "apply.doc.ask_number": ("{doc}：请输入证件编号。", "{doc}: type the document number."),
    "apply.doc.use_code": ("使用登记的信用代码 {code}", "Use the registered code {code}"),
    "apply.doc.ask_expires": ("请输入有效期截止日（如 2029-12-31），长期有效请点“长期”。",
                              "Type the expiry date (e.g. 2029-12-31), or tap \"No expiry\"."),
    "apply.doc.bad_date": ("日期格式不对，请按 2029-12-31 的格式输入。", "Please type the date like 2029-12-31."),
    "apply.doc.ask.photos": ("请拍照或上传文件（PDF/照片），发完点“完成”。", "Send photos or the PDF, then tap Done."),
    "apply.doc.photo_needed": ("请至少上传一张照片或一个文件。", "Please send at least one photo or file."),
    "apply.doc.summary": ("请确认：\n{doc} {number}\n有效期至：{expires}\n附件：{photos} 个{renewal}",
                          "Please check:\n{doc} {number}\nValid until: {expires}\nFiles: {photos}{renewal}"),
    "apply.doc.renewal": ("\n（续期，原证件保留为历史）", "\n(renewal: the old document is kept as history)"),
    "apply.doc.done": ("✅ 已提交 {doc}（#{id}），审核结果会通知您。", "✅ {doc} sent (#{id}); you will hear the result."),
    "apply.btn.docs": ("📑 我的资质", "📑 My documents"),
})

_STATUS_ICONS = {ReviewStatus.APPROVED: "✅", ReviewStatus.PENDING: "⏳", ReviewStatus.REJECTED: "❌"}
_REVIEW_LABELS = {ReviewStatus.APPROVED: ("已通过", "approved"), ReviewStatus.PENDING: ("待审核", "pending review"),
                  ReviewStatus.REJECTED: ("未通过", "rejected")}


def _doc_label(ctx: Ctx, doc_type: DocumentType) -> str:
    zh, en = DOCUMENT_LABELS[doc_type]
    return ctx.pick(zh, en)


def _current(docs: list[Qualification]) -> dict[DocumentType, Qualification]:
    """The newest document of each type (the list comes newest first)."""
    latest: dict[DocumentType, Qualification] = {}
    for doc in docs:
        latest.setdefault(doc.doc_type, doc)
    return latest


@router.command("docs")
@router.button("apply.docs")
async def documents(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    dealer_id = ctx.actor.dealer_id
    assert dealer_id is not None
    docs = await list_qualifications(ctx.uow(), ctx.actor, dealer_id)
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(dealer_id)
    today = ctx.deps.clock.today()
    current = _current(docs)
    lines = [ctx.t("apply.docs.title")]
    rows: list[list[Button]] = []
    for doc_type in (*REQUIRED_DOCUMENTS, *(t for t in current if t not in REQUIRED_DOCUMENTS)):
        doc = current.get(doc_type)
        label = _doc_label(ctx, doc_type)
        if doc is None:
            lines.append(ctx.t("apply.docs.missing", doc=label))
            rows.append([Button(ctx.t("apply.docs.upload", doc=label), payload("apply.up", DOC_TYPES.index(doc_type)))])
            continue
        expired = doc.expires_on is not None and doc.expires_on < today
        icon = "⌛" if expired and doc.status == ReviewStatus.APPROVED else _STATUS_ICONS[doc.status]
        expires = doc.expires_on.isoformat() if doc.expires_on else ctx.t("apply.docs.no_expiry")
        lines.append(ctx.t("apply.docs.line", icon=icon, doc=label, number=doc.number,
                           status=ctx.pick(*_REVIEW_LABELS[doc.status]), expires=expires))
        if doc.status == ReviewStatus.REJECTED:
            lines.append(ctx.t("apply.docs.rejected_reason", reason=doc.reject_reason or "-"))
            rows.append([Button(ctx.t("apply.docs.upload", doc=label), payload("apply.up", DOC_TYPES.index(doc_type)))])
        elif doc.status == ReviewStatus.APPROVED and doc.expires_on is not None:
            rows.append([Button(ctx.t("apply.docs.renew", doc=label), payload("apply.renew", doc.id or 0))])
    block = ordering_block_reason(dealer, docs, today) if dealer is not None else None
    lines.append(ctx.t("apply.docs.blocked", reason=ctx.pick(*block)) if block else ctx.t("apply.docs.ok"))
    rows.append([forms.menu_button(ctx)])
    return [Reply(text="\n".join(lines), buttons=rows)]


@router.button("apply.renew")
async def renew_start(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    qual_id = int(forms.arg(ctx, 0)) if forms.arg(ctx, 0).isdigit() else 0
    async with ctx.uow() as uow:
        doc = await uow.qualifications.get(qual_id)
    if doc is None or doc.dealer_id != ctx.actor.dealer_id:
        raise NotFound(zh=f"未找到资质文件：{qual_id}", en=f"Document not found: {qual_id}", what=str(qual_id))
    return await _ask_number(ctx, doc.doc_type, renews=qual_id)


@router.button("apply.up")
async def upload_start(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    index = forms.arg(ctx, 0)
    if not index.isdigit() or int(index) >= len(DOC_TYPES):
        return [Reply(text=ctx.t("error.button_stale"))]
    return await _ask_number(ctx, DOC_TYPES[int(index)], renews=0)


async def _ask_number(ctx: Ctx, doc_type: DocumentType, *, renews: int) -> list[Reply]:
    DOC_FORM.begin(ctx, doc_type=doc_type.value, renews=renews)
    if doc_type == DocumentType.BUSINESS_LICENSE:
        async with ctx.uow() as uow:
            dealer = await uow.dealers.get(ctx.actor.dealer_id or 0)
        if dealer is not None:
            ctx.dialog.data["code"] = normalize_uscc(dealer.uscc)
    return await DOC_FORM.next(ctx)


async def _ask_doc_number(form: Form, ctx: Ctx) -> list[Reply]:
    """The document number; for the business licence, the registered credit code is offered as one tap."""
    data = ctx.dialog.data
    rows: list[list[Button]] = []
    if data.get("code"):
        rows.append([Button(ctx.t("apply.doc.use_code", code=data["code"]), payload("apply.doc.code"))])
    rows.append(forms.cancel_row(ctx, "apply"))
    return [Reply(text=ctx.t("apply.doc.ask_number", doc=_doc_label(ctx, DocumentType(str(data["doc_type"])))),
                  buttons=rows)]


async def _use_registered_code(form: Form, ctx: Ctx, _: str) -> Answer | None:
    code = ctx.dialog.data.get("code")
    return {"number": str(code)} if code else None


async def _doc_number(form: Form, ctx: Ctx, text: str) -> Answer:
    if len(text) > MAX_DOC_NUMBER:
        return form.reject(ctx, "number", ctx.t("form.text_too_long", limit=MAX_DOC_NUMBER))
    return {"number": text}


async def _ask_expires(form: Form, ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("apply.doc.ask_expires"),
                  buttons=[[Button(ctx.t("apply.docs.no_expiry"), payload("apply.doc.skip"))],
                           forms.cancel_row(ctx, "apply")])]


async def _expires(form: Form, ctx: Ctx, text: str) -> Answer:
    if text.lower() in NO_EXPIRY_WORDS:
        return {"expires": ""}
    day = parse_day(text)
    if day is None:
        return [Reply(text=ctx.t("apply.doc.bad_date"), buttons=[forms.cancel_row(ctx, "apply")])]
    return {"expires": day.isoformat()}


def _doc_fields(ctx: Ctx) -> dict[str, Any]:
    data = ctx.dialog.data
    return {"doc": _doc_label(ctx, DocumentType(str(data["doc_type"]))), "number": data.get("number", ""),
            "expires": data.get("expires") or ctx.t("apply.docs.no_expiry"),
            "photos": len(data.get("photos") or []),
            "renewal": ctx.t("apply.doc.renewal") if data.get("renews") else ""}


async def _doc_summary(ctx: Ctx) -> str:
    return ctx.t("apply.doc.summary", **_doc_fields(ctx))


def parse_day(text: str) -> date | None:
    """2029-12-31, 2029/12/31, 2029.12.31, 2029年12月31日; None otherwise."""
    clean = text.strip().replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    try:
        year, month, day = (int(part) for part in clean.split("-"))
        return date(year, month, day)
    except ValueError:
        return None


@router.state("apply.doc")
async def doc_answer(ctx: Ctx) -> list[Reply]:
    return await DOC_FORM.answer(ctx)


async def _doc_resubmitted(ctx: Ctx, ref: str) -> list[Reply]:
    return [Reply(text=ctx.t("apply.doc.done", doc="", id=ref).replace("  ", " "),
                  buttons=[[Button(ctx.t("apply.btn.docs"), payload("apply.docs"))]])]


async def _doc_submit(ctx: Ctx) -> tuple[str | None, list[Reply]]:
    data = dict(ctx.dialog.data)
    fields = _doc_fields(ctx)
    photos = [str(p) for p in data.get("photos") or []]
    expires = date.fromisoformat(str(data["expires"])) if data.get("expires") else None
    dealer_id = ctx.actor.dealer_id
    assert dealer_id is not None  # the form's guard: require_dealer
    renews = int(data.get("renews") or 0)
    file_ref = photos[0] if photos else None
    if renews:
        doc = await renew_qualification(ctx.uow(), ctx.actor, RenewQualification(
            qualification_id=renews, number=str(data["number"]), issued_on=None, expires_on=expires,
            file_ref=file_ref), ctx.deps.clock)
    else:
        doc = await upload_qualification(ctx.uow(), ctx.actor, UploadQualification(
            dealer_id=dealer_id, doc_type=DocumentType(str(data["doc_type"])), number=str(data["number"]),
            issued_on=None, expires_on=expires, file_ref=file_ref), ctx.deps.clock)
    return str(doc.id), [Reply(text=ctx.t("apply.doc.done", doc=fields["doc"], id=doc.id),
                               buttons=[[Button(ctx.t("apply.btn.docs"), payload("apply.docs")),
                                         forms.menu_button(ctx)]])]


# Steps number -> expires -> photos -> confirm; the expiry is skipped with "no expiry" (apply.doc.skip).
DOC_FORM = Form(
    prefix="apply.doc", cancel="apply", use_buttons="apply.use_buttons", reask_blank=False,
    steps=(Step("number", ask=_ask_doc_number, parse=_doc_number, buttons={"code": _use_registered_code}),
           Step("expires", ask=_ask_expires, parse=_expires, skippable=True),
           Step("photos", photos=True, photos_needed="apply.doc.photo_needed")),
    summary=_doc_summary, submit=_doc_submit, resubmitted=_doc_resubmitted)
DOC_FORM.register(router)
