"""Contracts in chat (合同签署、执行、返利、费用核销).

Dealer:
- ``/contract`` (or ✍️ in the account menu): contracts waiting for signature and the current one; the PDF
  with a short summary; ✍️ 签署 asks for a one-time code shown in this chat and signs when the code comes
  back (the owner only; a clerk is told to ask the owner); the signed copy any time; execution monitoring;
- ``/rebate`` (and "返利还有多少", "我的返利", "rebate balance": handlers.flows.account hands them here): the
  rebate account balance, then per target what it earned (achievement x rate), what is settled, what
  waits for approval, and when a running target settles (after its period ends, once finance approves);
- ``/claim``: an expense claim (费用核销) for a campaign the dealer joined: amount, what for, photos of the
  evidence, confirm (the form's nonce makes a double tap return the same claim).

Staff (marketing/finance): ``/claims`` lists claims waiting, with approve / reject (reject asks why).
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from core.accounts import AccountKind
from core.campaigns import ParticipationStatus
from core.contracts import (
    CONTRACT_STATUS_LABELS,
    Contract,
    ContractStatus,
    TargetMetric,
    scope_label,
    scope_name,
)
from core.errors import ValidationFailed
from core.expenses import ClaimStatus
from core.money import fmt_cny
from core.ports import AbstractDocumentRenderer, AbstractFileStore
from core.rebates import SettlementStatus
from core.services.contract_docs import (
    RequestSigningCode,
    SignWithCode,
    contract_document,
    contract_monitoring,
    request_signing_code,
    sign_with_code,
    signed_copy,
)
from core.services.contracts import list_contracts
from core.services.expenses import (
    CLAIM_STATUS_LABELS,
    DecideClaim,
    SubmitClaim,
    decide_claim,
    get_claim,
    list_claims,
    parse_amount,
    submit_claim,
)
from core.services.rebates import RebateLine, rebate_statement, target_label
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.finance import offset_arg, page_of, page_where, pager_row
from handlers.flows.forms import progress_bar
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

MAX_TEXT = 500

i18n.register({
    "ctr.none": ("暂无需要签署或执行中的合同。", "No contract to sign or in force."),
    "ctr.head": ("📄 合同 {number}（v{version}，{status}）\n期限：{start} 至 {end}",
                 "📄 Contract {number} (v{version}, {status})\nTerm: {start} to {end}"),
    "ctr.summary": ("目标：{targets}\n返利：{tiers}\n市场义务：{duties} 项",
                    "Targets: {targets}\nRebate tiers: {tiers}\nMarketing duties: {duties}"),
    "ctr.btn.pdf": ("📄 查看合同PDF", "📄 Contract PDF"),
    "ctr.btn.sign": ("✍️ 签署", "✍️ Sign"),
    "ctr.btn.copy": ("📥 签署版", "📥 Signed copy"),
    "ctr.btn.monitor": ("📊 执行情况", "📊 Execution"),
    "ctr.btn.rebate": ("💴 返利对账", "💴 Rebates"),
    "ctr.btn.claim": ("🧾 费用核销", "🧾 Expense claim"),
    "ctr.btn.new_code": ("🔁 重新获取验证码", "🔁 New code"),
    "ctr.btn.list": ("📄 我的合同", "📄 My contracts"),
    "ctr.pdf": ("📄 合同 {number} v{version}，SHA-256：{sha}…", "📄 Contract {number} v{version}, SHA-256: {sha}…"),
    "ctr.owner_only": ("合同只能由贵司负责人本人签署，请联系负责人。",
                       "Only your company's owner can sign contracts; please ask them."),
    "ctr.code": ("🔐 签署验证码：{code}\n10 分钟内有效。请阅读合同PDF后，回复这 6 位验证码确认签署合同 {number}。",
                 "🔐 Signing code: {code}\nValid for 10 minutes. After reading the PDF, reply with these 6 digits "
                 "to sign contract {number}."),
    "ctr.code.format": ("请输入 6 位数字验证码。", "Please reply with the 6-digit code."),
    "ctr.signed": ("✅ 已签署合同 {number} v{version}。\n签署版 SHA-256：{sha}\n签署版已附上，可随时点“签署版”再取。",
                   "✅ Contract {number} v{version} signed.\nSigned copy SHA-256: {sha}\nThe signed copy is attached; "
                   "tap \"Signed copy\" any time."),
    "ctr.copy": ("📥 合同 {number} 签署版（{signer}，{at}，{channel}），SHA-256 校验通过。",
                 "📥 Contract {number}, signed copy ({signer}, {at}, {channel}); SHA-256 verified."),
    "ctr.mon.head": ("📊 合同 {number} 执行情况（截至 {day}）", "📊 Contract {number}: execution as of {day}"),
    "ctr.mon.target": ("• {period}：{bar} {pct}%　{actual} / {target}　时间进度 {elapsed}%{behind}",
                       "• {period}: {bar} {pct}%  {actual} / {target}  time {elapsed}%{behind}"),
    "ctr.mon.behind": ("　⚠️落后", "  ⚠️ behind"),
    "ctr.mon.rebate": ("已计提返利：{amount}", "Rebate accrued: {amount}"),
    "ctr.mon.duties": ("市场义务：已完成 {done}/{total}", "Marketing duties: {done}/{total} done"),
    "ctr.mon.duty": ("  {mark} {text}", "  {mark} {text}"),
    "ctr.rebate.head": ("💴 返利余额：{balance}\n计提中/待结算：{accruing}\n已结算累计：{settled}",
                        "💴 Rebate balance: {balance}\nAccruing / due: {accruing}\nSettled so far: {settled}"),
    "ctr.rebate.line": ("• {number} {target}：达成 {pct}{tier}，返利 {rate} × 销售额 {base} = {amount}",
                        "• {number} {target}: {pct} achieved{tier}; rebate {rate} × sales {base} = {amount}"),
    "ctr.rebate.tier": ("（已达 {tier} 档）", " (the {tier} tier reached)"),
    "ctr.rebate.by_quantity": ("  按数量考核达成率，返利按该目标的进货金额计", "  achievement is counted in units; the "
                               "rebate is paid on the target's purchase amount"),
    "ctr.rebate.line_below": ("• {number} {target}：达成 {pct}，未达首档 {tier}，暂无返利",
                              "• {number} {target}: {pct} achieved, below the first tier ({tier}): no rebate"),
    "ctr.rebate.short": ("  还差 {missing} 到 {tier} 档（返利 {rate}）", "  {missing} more to reach the {tier} tier "
                         "(rebate {rate})"),
    "ctr.rebate.line_no_tiers": ("• {number} {target}：达成 {pct}，合同未约定返利", "• {number} {target}: {pct} "
                                 "achieved; the contract has no rebate tiers"),
    "ctr.rebate.running": ("  期间至 {end}，达到首档即开始计提", "  the period runs until {end}; a rebate accrues "
                           "once the first tier is reached"),
    "ctr.rebate.accruing": ("  计提中：{end} 期末后经财务审批结算到返利账户", "  accruing: credited to your rebate "
                            "account after the period ends on {end}, once finance approves"),
    "ctr.rebate.due": ("  待结算 {amount}：期间已结束，财务核算审批后到账",
                       "  {amount} due: the period has ended; credited once finance approves"),
    "ctr.rebate.proposed": ("  结算 {amount} 待财务审批", "  {amount} awaiting finance approval"),
    "ctr.rebate.approved": ("  已结算 {amount}", "  {amount} settled"),
    "ctr.rebate.no_contract": ("暂无已签署的合同，没有计提中的返利。", "No signed contract: no rebate accruing."),
    "ctr.claim.no_campaign": ("您还没有参加进行中的活动，参加活动后才能申请费用核销。",
                              "You have not joined a campaign yet; join one to claim its support."),
    "ctr.claim.pick": ("请选择要核销费用的活动：", "Which campaign is the claim for?"),
    "ctr.claim.amount": ("请输入核销金额（元），例如 1280.50：", "Amount to claim (CNY), e.g. 1280.50:"),
    "ctr.claim.what": ("请简要说明费用用途（例如：门店促销物料、场地费）：",
                       "What was it for (e.g. in-store promotion material, venue)?"),
    "ctr.claim.photos": ("请发送凭证照片或票据（可多张），发完点“完成”。",
                         "Send photos of the receipts/evidence, then tap Done."),
    "ctr.claim.need_photo": ("请至少发送一张凭证照片或票据。", "Please send at least one photo or receipt."),
    "ctr.claim.confirm": ("请确认费用核销申请：\n活动：{campaign}\n金额：{amount}\n用途：{what}\n凭证：{n} 张",
                          "Please confirm the claim:\nCampaign: {campaign}\nAmount: {amount}\nFor: {what}\n"
                          "Evidence: {n}"),
    "ctr.btn.submit": ("✅ 提交", "✅ Submit"),
    "ctr.claim.done": ("✅ 已提交费用核销 {number}（{amount}），审核后会通知您。",
                       "✅ Claim {number} ({amount}) submitted; we will tell you the result."),
    "ctr.claims.none": ("没有待审核的费用核销。", "No claims waiting."),
    "ctr.claims.line": ("🧾 {number} {dealer}：{amount}\n用途：{what}\n凭证 {n} 张",
                        "🧾 {number} {dealer}: {amount}\nFor: {what}\nEvidence: {n}"),
    "ctr.btn.approve": ("✅ 核销（记预存款）", "✅ Approve (prepayment)"),
    "ctr.btn.approve_rebate": ("✅ 核销（记返利）", "✅ Approve (rebate)"),
    "ctr.btn.reject": ("❌ 驳回", "❌ Reject"),
    "ctr.claims.reason": ("请输入驳回 {number} 的原因：", "Why is {number} rejected?"),
    "ctr.claims.decided": ("已处理 {number}：{status}。", "{number}: {status}."),
    "ctr.staff_only": ("此功能仅限市场或财务人员使用。", "This is for marketing and finance staff only."),
})


def _renderer(ctx: Ctx) -> AbstractDocumentRenderer:
    renderer = getattr(ctx.deps, "documents", None)
    if renderer is not None:
        return cast(AbstractDocumentRenderer, renderer)
    from documents.contract_pdf import ReportlabContractRenderer
    return ReportlabContractRenderer()


def _files(ctx: Ctx) -> AbstractFileStore:
    files = ctx.deps.files
    if files is None:
        raise ValidationFailed(zh="文件存储未配置，请联系管理员", en="File storage is not set up; contact the admin")
    return files


def _id_arg(ctx: Ctx) -> int:
    raw = forms.arg(ctx, 0)
    return int(raw) if raw.isdigit() else 0


def _head(ctx: Ctx, c: Contract) -> str:
    zh, en = CONTRACT_STATUS_LABELS[c.status]
    return ctx.t("ctr.head", number=c.number, version=c.version, status=ctx.pick(zh, en),
                 start=c.starts_on.isoformat(), end=c.ends_on.isoformat())


def _pct(ratio: Decimal) -> str:
    return format((ratio * 100).quantize(Decimal("0.01")).normalize(), "f") + "%"


def _summary(ctx: Ctx, c: Contract) -> str:
    targets = ctx.pick("；", "; ").join(
        f"{t.period}{' ' + scope_label(t.product_group, ctx.lang) if t.product_group else ''} "
        f"{fmt_cny(t.value) if t.metric.value == 'amount' else int(t.value)}" for t in c.targets) or "-"
    tiers = ctx.pick("；", "; ").join(f"≥{_pct(t.min_achievement)}→{_pct(t.rate)}"
                                     for t in sorted(c.rebate_tiers, key=lambda t: t.min_achievement)) or "-"
    return ctx.t("ctr.summary", targets=targets, tiers=tiers, duties=len(c.marketing_duties))


def _buttons(ctx: Ctx, c: Contract) -> list[list[Button]]:
    rows = [[Button(ctx.t("ctr.btn.pdf"), payload("ctr.pdf", c.id or 0))]]
    if c.status == ContractStatus.SENT:
        rows[0].append(Button(ctx.t("ctr.btn.sign"), payload("ctr.sign", c.id or 0)))
    if c.signed_sha256:
        rows[0].append(Button(ctx.t("ctr.btn.copy"), payload("ctr.copy", c.id or 0)))
    if c.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.EXPIRED):
        rows.append([Button(ctx.t("ctr.btn.monitor"), payload("ctr.mon", c.id or 0))])
    return rows


def _footer(ctx: Ctx) -> list[list[Button]]:
    return [[Button(ctx.t("ctr.btn.rebate"), payload("ctr.rebate")),
             Button(ctx.t("ctr.btn.claim"), payload("ctr.claim"))], [forms.menu_button(ctx)]]


# --- contracts --------------------------------------------------------------------------------------

@router.button("ctr.list")
@router.command("contract", "contracts", "sign")
async def contracts(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    found = await list_contracts(ctx.uow(), ctx.actor, dealer_id=ctx.actor.dealer_id, limit=20)
    shown = [c for c in found if c.status in (ContractStatus.SENT, ContractStatus.SIGNED, ContractStatus.ACTIVE)]
    if not shown:
        shown = [c for c in found if c.status == ContractStatus.EXPIRED][:1]
    if not shown:
        return [Reply(text=ctx.t("ctr.none"), buttons=_footer(ctx))]
    replies = [Reply(text=_head(ctx, c) + "\n" + _summary(ctx, c), buttons=_buttons(ctx, c)) for c in shown[:5]]
    replies[-1].buttons += _footer(ctx)
    return replies


@router.button("ctr.pdf")
async def contract_pdf(ctx: Ctx) -> list[Reply]:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    doc = await contract_document(ctx.uow(), ctx.actor, _id_arg(ctx), _renderer(ctx))
    text = _head(ctx, doc.contract) + "\n" + _summary(ctx, doc.contract) + "\n" + ctx.t(
        "ctr.pdf", number=doc.contract.number, version=doc.contract.version, sha=doc.sha256[:16])
    return [Reply(text=text, file=doc.pdf, file_name=doc.file_name, buttons=_buttons(ctx, doc.contract))]


@router.button("ctr.sign")
async def ask_code(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    if Permission.CONTRACT_SIGN not in ctx.actor.permissions:
        return [Reply(text=ctx.t("ctr.owner_only"), buttons=_footer(ctx))]
    issued = await request_signing_code(ctx.uow(), ctx.actor, RequestSigningCode(_id_arg(ctx)), ctx.deps.clock)
    ctx.go("ctr.otp", contract_id=issued.contract_id)
    return [Reply(text=ctx.t("ctr.code", code=issued.code, number=issued.number),
                  buttons=[forms.cancel_row(ctx, "ctr")])]


@router.button("ctr.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


@router.state("ctr.otp")
async def enter_code(ctx: Ctx) -> list[Reply]:
    code = forms.text_of(ctx).replace(" ", "")
    contract_id = int(ctx.dialog.data.get("contract_id") or 0)
    if not (len(code) == 6 and code.isdigit()):
        return [Reply(text=ctx.t("ctr.code.format"), buttons=[forms.cancel_row(ctx, "ctr")])]
    try:
        signature = await sign_with_code(ctx.uow(), ctx.actor, SignWithCode(contract_id, code, ctx.inbound.channel,
                                                                            ctx.inbound.chat_id),
                                         ctx.deps.clock, _renderer(ctx), _files(ctx))
    except ValidationFailed as exc:
        retry = exc.params.get("reason") == "wrong code"
        if not retry:
            ctx.idle()
        buttons = ([forms.cancel_row(ctx, "ctr")] if retry else
                   [[Button(ctx.t("ctr.btn.new_code"), payload("ctr.sign", contract_id))]])
        return [Reply(text=exc.message(ctx.lang), buttons=buttons)]
    ctx.idle()
    copy = await signed_copy(ctx.uow(), ctx.actor, contract_id, _files(ctx))
    return [Reply(text=ctx.t("ctr.signed", number=signature.number, version=signature.version,
                             sha=signature.pdf_sha256), file=copy.pdf, file_name=copy.file_name,
                  buttons=[[Button(ctx.t("ctr.btn.copy"), payload("ctr.copy", contract_id)),
                            Button(ctx.t("ctr.btn.monitor"), payload("ctr.mon", contract_id))]] + _footer(ctx))]


@router.button("ctr.copy")
async def copy(ctx: Ctx) -> list[Reply]:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    found = await signed_copy(ctx.uow(), ctx.actor, _id_arg(ctx), _files(ctx))
    s = found.signature
    return [Reply(text=ctx.t("ctr.copy", number=s.number, signer=s.signer, channel=s.channel,
                             at=forms.local_time(ctx, s.signed_at)),
                  file=found.pdf, file_name=found.file_name)]


@router.button("ctr.mon")
async def monitor(ctx: Ctx) -> list[Reply]:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    m = await contract_monitoring(ctx.uow(), ctx.actor, _id_arg(ctx), ctx.deps.clock)
    lines = [ctx.t("ctr.mon.head", number=m.contract.number, day=m.execution.as_of.isoformat())]
    for t in m.execution.targets:
        amount = t.target.metric.value == "amount"
        group = scope_name(t.target.product_group, ctx.lang)
        lines.append(ctx.t("ctr.mon.target", period=t.target.period + (f" {group}" if group else ""),
                           bar=progress_bar(t.achievement), pct=int(t.achievement * 100),
                           actual=fmt_cny(t.actual) if amount else int(t.actual),
                           target=fmt_cny(t.target.value) if amount else int(t.target.value),
                           elapsed=int(t.elapsed_share * 100),
                           behind=ctx.t("ctr.mon.behind") if t.behind_pace() else ""))
    lines.append(ctx.t("ctr.mon.rebate", amount=fmt_cny(m.accrued_total)))
    lines.append(ctx.t("ctr.mon.duties", done=m.duties_done, total=len(m.duties)))
    lines += [ctx.t("ctr.mon.duty", mark="✅" if d.done else "⬜", text=d.text) for d in m.duties]
    return [Reply(text="\n".join(lines), buttons=_footer(ctx) if ctx.is_dealer else [])]


# --- rebates ---------------------------------------------------------------------------------------

@router.button("ctr.rebate")
@router.command("rebate", "rebates")
async def rebates(ctx: Ctx) -> list[Reply]:
    """The one answer to "返利还有多少", "我的返利", /rebate and the 💴 button."""
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    assert ctx.actor.dealer_id is not None
    st = await rebate_statement(ctx.uow(), ctx.actor, ctx.actor.dealer_id, ctx.deps.clock)
    lines = [ctx.t("ctr.rebate.head", balance=fmt_cny(st.balance), settled=fmt_cny(st.settled_total),
                   accruing=fmt_cny(st.accruing_total))]
    if not st.lines:
        lines.append(ctx.t("ctr.rebate.no_contract"))
    for ln in st.lines:
        lines += _rebate_line(ctx, ln)
    rows = [[Button(ctx.t("acct.btn.all_balances"), payload("acct.balance")),
             Button(ctx.t("acct.btn.overview"), payload("acct.menu"))],
            [Button(ctx.t("ctr.btn.claim"), payload("ctr.claim")), forms.menu_button(ctx)]]
    return [Reply(text="\n".join(lines), buttons=rows)]


def _rebate_line(ctx: Ctx, ln: RebateLine) -> list[str]:
    target = target_label(ln.period, ln.product_group, ln.metric, ctx.lang)
    earning = ln.rate > 0
    if earning:
        tier = ctx.t("ctr.rebate.tier", tier=_pct(ln.tier)) if ln.tier is not None else ""
        out = [ctx.t("ctr.rebate.line", number=ln.contract_number, target=target, pct=_pct(ln.achievement),
                     tier=tier, rate=_pct(ln.rate), base=fmt_cny(ln.achieved_amount), amount=fmt_cny(ln.amount))]
        if ln.metric == TargetMetric.QUANTITY:     # why a unit target pays on money (QA s26 #22)
            out.append(ctx.t("ctr.rebate.by_quantity"))
    elif ln.first_tier is not None:
        out = [ctx.t("ctr.rebate.line_below", number=ln.contract_number, target=target, pct=_pct(ln.achievement),
                     tier=_pct(ln.first_tier))]
    else:
        out = [ctx.t("ctr.rebate.line_no_tiers", number=ln.contract_number, target=target, pct=_pct(ln.achievement))]
    if ln.settled > 0:
        out.append(ctx.t("ctr.rebate.approved", amount=fmt_cny(ln.settled)))
    end = ln.ends_on.isoformat() if ln.ends_on else "-"
    if ln.state == "accruing":
        out.append(ctx.t("ctr.rebate.accruing" if earning else "ctr.rebate.running", end=end))
    elif ln.state == SettlementStatus.PROPOSED.value:
        out.append(ctx.t("ctr.rebate.proposed", amount=fmt_cny(ln.pending)))
    elif ln.state == "due":
        out.append(ctx.t("ctr.rebate.due", amount=fmt_cny(ln.outstanding)))
    if ln.state == "accruing" and (short := ln.short_of_next) is not None and ln.next_tier is not None:
        # "除湿机还差多少台拿返利": what is missing to the next tier (QA s28 #19)
        missing = ctx.t("acct.units", n=int(short)) if ln.metric == TargetMetric.QUANTITY else fmt_cny(short)
        out.append(ctx.t("ctr.rebate.short", missing=missing, tier=_pct(ln.next_tier),
                         rate=_pct(ln.next_rate or Decimal(0))))
    return out


# --- expense claims (dealer) -------------------------------------------------------------------------

@router.button("ctr.claim")
@router.command("claim")
async def claim_start(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    async with ctx.uow() as uow:
        joined = await uow.participations.list(dealer_id=ctx.actor.dealer_id, status__in=[
            ParticipationStatus.JOINED, ParticipationStatus.REPORTED, ParticipationStatus.APPROVED])
        campaigns = [c for c in [await uow.campaigns.get(p.campaign_id) for p in joined] if c is not None]
    if not campaigns:
        return [Reply(text=ctx.t("ctr.claim.no_campaign"), buttons=[[forms.menu_button(ctx)]])]
    nonce = forms.new_nonce()
    ctx.go("ctr.claim.pick", nonce=nonce)
    rows = [[Button(forms.clip(f"{c.code} {c.name}", 40), payload("ctr.cl.c", nonce, c.id or 0))]
            for c in campaigns[:8]]
    return [Reply(text=ctx.t("ctr.claim.pick"), buttons=rows + [forms.cancel_row(ctx, "ctr")])]


@router.button("ctr.cl.c")
async def claim_campaign(ctx: Ctx) -> list[Reply]:
    nonce, raw = forms.arg(ctx, 0), forms.arg(ctx, 1)
    if not forms.form_is(ctx, "ctr.claim.pick", nonce) or not raw.isdigit():
        return await claim_start(ctx)
    async with ctx.uow() as uow:
        joined = await uow.participations.get_by(campaign_id=int(raw), dealer_id=ctx.actor.dealer_id)
        campaign = await uow.campaigns.get(int(raw)) if joined is not None else None
    if campaign is None:
        return await claim_start(ctx)
    forms.step(ctx, "ctr.claim.amount", campaign_id=campaign.id, campaign=f"{campaign.code} {campaign.name}")
    return [Reply(text=ctx.t("ctr.claim.amount"), buttons=[forms.cancel_row(ctx, "ctr")])]


@router.state("ctr.claim.amount")
async def claim_amount(ctx: Ctx) -> list[Reply]:
    try:
        amount = parse_amount(forms.text_of(ctx))
    except ValidationFailed as exc:
        return [Reply(text=exc.message(ctx.lang), buttons=[forms.cancel_row(ctx, "ctr")])]
    forms.step(ctx, "ctr.claim.what", amount=str(amount))
    return [Reply(text=ctx.t("ctr.claim.what"), buttons=[forms.cancel_row(ctx, "ctr")])]


@router.state("ctr.claim.what")
async def claim_what(ctx: Ctx) -> list[Reply]:
    what = forms.text_of(ctx)
    if not what:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, "ctr")])]
    if len(what) > MAX_TEXT:
        return [Reply(text=ctx.t("form.text_too_long", limit=MAX_TEXT), buttons=[forms.cancel_row(ctx, "ctr")])]
    forms.step(ctx, "ctr.claim.photos", what=what, photos=[])
    return [Reply(text=ctx.t("ctr.claim.photos"), buttons=[forms.cancel_row(ctx, "ctr")])]


@router.state("ctr.claim.photos")
async def claim_photo(ctx: Ctx) -> list[Reply]:
    if not forms.is_photo(ctx):
        if forms.is_done(forms.text_of(ctx)):
            return await claim_photos_done(ctx)
        return [Reply(text=ctx.t("ctr.claim.photos"), buttons=[forms.cancel_row(ctx, "ctr")])]
    return [forms.add_photos(ctx, "ctr.cl.done")]


def _claim_confirm(ctx: Ctx) -> Reply:
    d = ctx.dialog.data
    text = ctx.t("ctr.claim.confirm", campaign=d.get("campaign", ""), amount=fmt_cny(Decimal(str(d.get("amount")))),
                 what=d.get("what", ""), n=len(d.get("photos") or []))
    return Reply(text=text, buttons=[[Button(ctx.t("ctr.btn.submit"), payload("ctr.cl.ok", str(d.get("nonce"))))],
                                     forms.cancel_row(ctx, "ctr")])


@router.button("ctr.cl.done")
async def claim_photos_done(ctx: Ctx) -> list[Reply]:
    if ctx.dialog.state != "ctr.claim.photos":
        return await claim_start(ctx)
    if not ctx.dialog.data.get("photos"):
        return [Reply(text=ctx.t("ctr.claim.need_photo"), buttons=[forms.cancel_row(ctx, "ctr")])]
    forms.step(ctx, "ctr.claim.confirm")
    return [_claim_confirm(ctx)]


@router.button("ctr.cl.ok")
async def claim_submit(ctx: Ctx) -> list[Reply]:
    nonce = forms.arg(ctx, 0)
    if forms.submitted_ref(ctx, nonce) is None and not forms.form_is(ctx, "ctr.claim.confirm", nonce):
        return await claim_start(ctx)
    d = ctx.dialog.data
    if forms.submitted_ref(ctx, nonce) is not None:
        cmd = SubmitClaim(campaign_id=0, amount=Decimal("1"), description="", evidence=("x",), request_key=nonce)
    else:
        cmd = SubmitClaim(campaign_id=int(d["campaign_id"]), amount=Decimal(str(d["amount"])),
                          description=str(d.get("what", "")), evidence=tuple(d.get("photos") or ()),
                          request_key=nonce)
    claim = await submit_claim(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    forms.remember_submitted(ctx, nonce, claim.number)
    return [Reply(text=ctx.t("ctr.claim.done", number=claim.number, amount=fmt_cny(claim.amount)),
                  buttons=[[forms.menu_button(ctx)]])]


# --- expense claims (staff) ---------------------------------------------------------------------------

def _decider(ctx: Ctx) -> list[Reply] | None:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if not ctx.is_staff or not ({Permission.CAMPAIGN_WRITE, Permission.ACCOUNT_POST} & ctx.actor.permissions):
        return [Reply(text=ctx.t("ctr.staff_only"))]
    return None


MAX_CLAIMS = 500        # claims waiting for a decision read at once, paged in chat


@router.command("claims")
@router.button("ctr.claims")
async def claims(ctx: Ctx) -> list[Reply]:
    refused = _decider(ctx)
    if refused is not None:
        return refused
    waiting = await list_claims(ctx.uow(), ctx.actor, status=ClaimStatus.SUBMITTED, limit=MAX_CLAIMS)
    if not waiting:
        return [Reply(text=ctx.t("ctr.claims.none"))]
    shown = page_of(waiting, offset_arg(ctx))        # a screen at a time, ◀ / ▶ (or a typed 下一页) for the rest
    offset = waiting.index(shown[0])
    replies = [Reply(text=page_where(ctx, offset, len(shown), len(waiting)))] if len(waiting) > len(shown) else []
    async with ctx.uow() as uow:
        names = {c.dealer_id: (await uow.dealers.get(c.dealer_id)) for c in shown}
    for c in shown:
        dealer = names.get(c.dealer_id)
        replies.append(Reply(
            text=ctx.t("ctr.claims.line", number=c.number, dealer=dealer.name if dealer else c.dealer_id,
                       amount=fmt_cny(c.amount), what=c.description, n=len(c.evidence)),
            buttons=[[Button(ctx.t("ctr.btn.approve"), payload("ctr.cl.yes", c.id or 0, "p")),
                      Button(ctx.t("ctr.btn.approve_rebate"), payload("ctr.cl.yes", c.id or 0, "r"))],
                     [Button(ctx.t("ctr.btn.reject"), payload("ctr.cl.no", c.id or 0))]]))
    pager = pager_row(ctx, "ctr.claims", offset, len(waiting))
    if pager:
        replies[-1].buttons.append(pager)
    return replies


def _decided(ctx: Ctx, number: str, status: ClaimStatus) -> list[Reply]:
    zh, en = CLAIM_STATUS_LABELS[status]
    return [Reply(text=ctx.t("ctr.claims.decided", number=number, status=ctx.pick(zh, en)))]


@router.button("ctr.cl.yes")
async def claim_approve(ctx: Ctx) -> list[Reply]:
    refused = _decider(ctx)
    if refused is not None:
        return refused
    account = AccountKind.REBATE if forms.arg(ctx, 1) == "r" else AccountKind.PREPAYMENT
    claim = await decide_claim(ctx.uow(), ctx.actor, DecideClaim(_id_arg(ctx), True, credit_account=account),
                               ctx.deps.clock)
    return _decided(ctx, claim.number, claim.status)


@router.button("ctr.cl.no")
async def claim_reject(ctx: Ctx) -> list[Reply]:
    refused = _decider(ctx)
    if refused is not None:
        return refused
    claim = await get_claim(ctx.uow(), ctx.actor, _id_arg(ctx))
    ctx.go("ctr.reject", claim_id=claim.id, number=claim.number)
    return [Reply(text=ctx.t("ctr.claims.reason", number=claim.number), buttons=[forms.cancel_row(ctx, "ctr")])]


@router.state("ctr.reject")
async def claim_reject_reason(ctx: Ctx) -> list[Reply]:
    reason = forms.text_of(ctx)
    if not reason:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, "ctr")])]
    claim = await decide_claim(ctx.uow(), ctx.actor, DecideClaim(int(ctx.dialog.data.get("claim_id") or 0), False,
                                                                 note=reason[:MAX_TEXT]), ctx.deps.clock)
    ctx.idle()
    return _decided(ctx, claim.number, claim.status)
