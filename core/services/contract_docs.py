"""Contract documents: templates, drafting from a template, the PDF, signing with a one-time code,
the frozen signed copy and its verification, renewal, marketing-duty marks and execution monitoring.

Signing (the dealer owner only, in its own bound chat):

1. ``request_signing_code``: a 6-digit code for the text shown (its SHA-256), valid 10 minutes;
2. ``sign_with_code``: right code -> the text and its PDF are frozen: the PDF goes to the file store,
   its SHA-256, the signer, channel, chat id or IP and the time are recorded (``ContractSignature``);
   a wrong code counts an attempt (5 at most) and is committed before the refusal.

A signed copy read back is checked against its recorded hash (``signed_copy`` refuses a tampered
file; ``verify_signed_pdf`` tells whether some bytes are the signed copy of a contract).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from core import notify
from core import otp as otp_rules
from core.auditing import record, snapshot
from core.authz import require
from core.clock import Clock
from core.contract_rules import (
    ContractAction,
    ContractExecution,
    ContractTerms,
    TargetRow,
    TierRow,
    next_status,
    terms_from_rows,
    transition_refused,
    validate_terms,
)
from core.contract_templates import (
    ContractSignature,
    ContractTemplate,
    DutyMark,
    document_text,
    template_placeholders_unknown,
)
from core.contracts import Contract, ContractStatus, RebateTier, SalesTarget, scope_sku
from core.errors import BusinessRuleViolation, Conflict, NotFound, PermissionDenied, ValidationFailed
from core.outbox import Category
from core.ports import AbstractDocumentRenderer, AbstractFileStore, AbstractUnitOfWork
from core.services.contracts import (
    _check_dealer_open,
    _contract_not_found,
    _load,
    contract_execution,
    contract_snapshot,
)
from core.services.dealers import dealer_not_found, load_visible_dealer
from core.users import Actor, ActorKind, Permission, Role

TEMPLATE_FIELDS = ("name", "term_months", "targets", "rebate_tiers", "marketing_duties", "active")


# --- templates -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SaveTemplate:
    """Create (``template_id`` None) or replace a template."""

    name: str
    body: str
    term_months: int = 12
    targets: tuple[SalesTarget, ...] = ()      # period "Y", "Q1".."Q4" or "M01".."M12": of the start year
    rebate_tiers: tuple[RebateTier, ...] = ()
    marketing_duties: tuple[str, ...] = ()
    active: bool = True
    template_id: int | None = None



def resolve_period(token: str, year: int) -> str:
    """A template target period for a contract starting in ``year``: Y -> 2027, Q3 -> 2027-Q3, M10 -> 2027-10.
    A concrete period ("2027-Q1") is kept as it is."""
    t = token.strip().upper()
    if t == "Y":
        return str(year)
    if len(t) == 2 and t[0] == "Q" and t[1] in "1234":
        return f"{year}-{t}"
    if len(t) == 3 and t[0] == "M" and t[1:].isdigit() and 1 <= int(t[1:]) <= 12:
        return f"{year}-{t[1:]}"
    return t


async def save_template(uow: AbstractUnitOfWork, actor: Actor, cmd: SaveTemplate, clock: Clock) -> ContractTemplate:
    require(actor, Permission.CONTRACT_WRITE)
    if not cmd.name.strip() or not cmd.body.strip():
        raise ValidationFailed.because("模板名称和正文必填", "a template needs a name and a body")
    unknown = template_placeholders_unknown(cmd.body)
    if unknown:
        raise ValidationFailed.because(f"未知占位符：{', '.join(unknown)}", f"unknown placeholders: {', '.join(unknown)}")
    if not 1 <= cmd.term_months <= 60:
        raise ValidationFailed.because("合同期限须为1至60个月", "the term must be 1 to 60 months")
    # the terms must make sense for a contract starting on any 1 January
    sample_year = clock.today().year
    validate_terms(ContractTerms(date(sample_year, 1, 1), _add_months(date(sample_year, 1, 1), cmd.term_months),
                                 tuple(SalesTarget(resolve_period(t.period, sample_year), t.metric, t.value,
                                                   t.product_group) for t in cmd.targets),
                                 cmd.rebate_tiers, cmd.marketing_duties))
    async with uow:
        if cmd.template_id is None:
            template = ContractTemplate(name=cmd.name.strip(), body=cmd.body, created_at=clock.now())
            before: dict[str, Any] | None = None
            await uow.contract_templates.add(template)
        else:
            found = await uow.contract_templates.get(cmd.template_id, for_update=True)
            if found is None:
                raise NotFound(zh=f"未找到合同模板：{cmd.template_id}", en=f"Contract template not found: {cmd.template_id}")
            template = found
            before = snapshot(template, TEMPLATE_FIELDS)
        template.name, template.body, template.term_months = cmd.name.strip(), cmd.body, cmd.term_months
        template.targets = list(cmd.targets)
        template.rebate_tiers = list(cmd.rebate_tiers)
        template.marketing_duties = [d.strip() for d in cmd.marketing_duties if d.strip()]
        template.active = cmd.active
        template.updated_at = clock.now()
        await uow.flush()
        await record(uow, actor, "contract_template.save", "contract_template", template.id, clock,
                     before=before, after=snapshot(template, TEMPLATE_FIELDS))
        await uow.commit()
        return template


def _add_months(start: date, months: int) -> date:
    """The last day of a term of ``months`` starting on ``start`` (2027-01-01 + 12 -> 2027-12-31)."""
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    try:
        end_start = start.replace(year=year, month=month)
    except ValueError:          # 31 January + 1 month: clip to the month's last day
        end_start = date(year, month, 28)
    return end_start - timedelta(days=1)


@dataclass(frozen=True)
class CreateFromTemplate:
    template_id: int
    dealer_id: int
    starts_on: date
    target_values: tuple[Decimal, ...] | None = None    # override the template's target values, in order


async def create_from_template(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateFromTemplate,
                               clock: Clock) -> Contract:
    """A draft for the dealer with the template's terms and body (both copied: editing the draft or the
    template later changes only that one)."""
    async with uow:
        dealer = await load_visible_dealer(uow, actor, cmd.dealer_id)
        require(actor, Permission.CONTRACT_WRITE)
        _check_dealer_open(dealer)
        template = await uow.contract_templates.get(cmd.template_id)
        if template is None or not template.active:
            raise NotFound(zh=f"未找到合同模板：{cmd.template_id}", en=f"Contract template not found: {cmd.template_id}")
        targets = [SalesTarget(resolve_period(t.period, cmd.starts_on.year), t.metric, t.value, t.product_group)
                   for t in template.targets]
        if cmd.target_values is not None:
            if len(cmd.target_values) != len(targets):
                raise ValidationFailed.because(f"模板有 {len(targets)} 个目标", f"the template has {len(targets)} targets")
            targets = [SalesTarget(t.period, t.metric, Decimal(v), t.product_group)
                       for t, v in zip(targets, cmd.target_values, strict=True)]
        terms = validate_terms(ContractTerms(cmd.starts_on, _add_months(cmd.starts_on, template.term_months),
                                             tuple(targets), tuple(template.rebate_tiers),
                                             tuple(template.marketing_duties)))
        contract = Contract(number=await uow.next_number("HT", clock.today()), dealer_id=dealer.id or 0,
                            starts_on=terms.starts_on, ends_on=terms.ends_on, targets=list(terms.targets),
                            rebate_tiers=list(terms.rebate_tiers), marketing_duties=list(terms.marketing_duties),
                            body=template.body, template_id=template.id, created_at=clock.now())
        await uow.contracts.add(contract)
        await uow.flush()
        await record(uow, actor, "contract.create_from_template", "contract", contract.number, clock,
                     after=contract_snapshot(contract) | {"template": template.name})
        await uow.commit()
        return contract


@dataclass(frozen=True)
class EditBody:
    contract_id: int
    body: str


async def edit_body(uow: AbstractUnitOfWork, actor: Actor, cmd: EditBody, clock: Clock) -> Contract:
    """Change the text of a draft (other statuses: revise the terms to get a new version)."""
    unknown = template_placeholders_unknown(cmd.body)
    if unknown:
        raise ValidationFailed.because(f"未知占位符：{', '.join(unknown)}", f"unknown placeholders: {', '.join(unknown)}")
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        require(actor, Permission.CONTRACT_WRITE)
        if contract.status != ContractStatus.DRAFT:
            raise transition_refused(contract.status, ContractAction.EDIT)
        before = {"body": contract.body}
        contract.body = cmd.body
        await record(uow, actor, "contract.edit_body", "contract", contract.number, clock,
                     before=before, after={"body": contract.body})
        await uow.commit()
        return contract


@dataclass(frozen=True)
class SetDraftTerms:
    """Replace a draft's targets and rebate ladder with the rows of the back-office form (add, edit and
    remove rows = send the whole table). ``tiers`` None leaves the ladder as it is."""

    contract_id: int
    targets: tuple[TargetRow, ...]
    tiers: tuple[TierRow, ...] | None = None


async def set_draft_terms(uow: AbstractUnitOfWork, actor: Actor, cmd: SetDraftTerms, clock: Clock) -> Contract:
    """Targets (period, all products / a category / one product, amount or quantity) and the tier ladder of
    a draft, validated row by row; a category or product must exist in the catalogue. Audited as
    ``contract.terms`` with the targets and tiers before and after."""
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        require(actor, Permission.CONTRACT_WRITE)
        if contract.status != ContractStatus.DRAFT:
            raise transition_refused(contract.status, ContractAction.EDIT)
        tiers = cmd.tiers if cmd.tiers is not None else tuple(
            TierRow(format((t.min_achievement * 100).normalize(), "f"), format((t.rate * 100).normalize(), "f"))
            for t in contract.rebate_tiers)
        terms = terms_from_rows(contract.starts_on, contract.ends_on, cmd.targets, tiers,
                                tuple(contract.marketing_duties))
        for n, target in enumerate(terms.targets, 1):
            await _check_scope_exists(uow, target, n)
        before = snapshot(contract, ("targets", "rebate_tiers"))
        contract.targets = list(terms.targets)
        contract.rebate_tiers = list(terms.rebate_tiers)
        await record(uow, actor, "contract.terms", "contract", contract.number, clock, before=before,
                     after=snapshot(contract, ("targets", "rebate_tiers")))
        await uow.commit()
        return contract


async def _check_scope_exists(uow: AbstractUnitOfWork, target: SalesTarget, n: int) -> None:
    sku = scope_sku(target.product_group)
    if sku is not None:
        if await uow.products.count(sku=sku) == 0:
            raise ValidationFailed.because(f"第 {n} 行目标：没有产品 {sku}", f"target row {n}: there is no product {sku}")
    elif target.product_group is not None and await uow.products.count(category=target.product_group) == 0:
        raise ValidationFailed.because(f"第 {n} 行目标：没有品类“{target.product_group}”的产品",
                       f"target row {n}: no product is in the category '{target.product_group}'")


@dataclass(frozen=True)
class DiscardDraft:
    contract_id: int
    reason: str


async def discard_draft(uow: AbstractUnitOfWork, actor: Actor, cmd: DiscardDraft, clock: Clock) -> Contract:
    """Staff throw away a draft nobody will send (a wrong dealer, an abandoned template draft). The draft is
    kept, terminated with the reason (``status_reason`` 草稿作废：...), so the audit trail and the number stay;
    it is no longer in the drafts list and never counts as a renewal. Only drafts: a sent or signed contract
    is terminated, not discarded."""
    reason = cmd.reason.strip()
    if not reason:
        raise ValidationFailed.because("请填写作废原因", "give the reason for discarding the draft")
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        require(actor, Permission.CONTRACT_WRITE)
        if contract.status != ContractStatus.DRAFT:
            raise BusinessRuleViolation(zh=f"不符合业务规则：只有草稿可以作废，合同 {contract.number} 请走终止流程",
                                        en=f"Not allowed by business rules: only a draft can be discarded; terminate "
                                           f"{contract.number} instead", reason="not a draft")
        before = contract_snapshot(contract)
        contract.status = next_status(contract.status, ContractAction.TERMINATE)
        contract.status_reason = f"草稿作废 draft discarded: {reason[:400]}"
        await record(uow, actor, "contract.discard", "contract", contract.number, clock,
                     before=before, after=contract_snapshot(contract))
        await uow.commit()
        return contract


# --- the document --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContractDocument:
    contract: Contract
    text: str
    sha256: str                  # of the text
    pdf: bytes
    file_name: str


def pdf_name(contract: Contract, signed: bool = False) -> str:
    return f"{contract.number}-v{contract.version}{'-signed' if signed else ''}.pdf"


async def contract_document(uow: AbstractUnitOfWork, actor: Actor, contract_id: int,
                            renderer: AbstractDocumentRenderer) -> ContractDocument:
    """The contract as a PDF to read (a dealer never sees drafts: NotFound). Signed: the frozen text."""
    async with uow:
        contract = await _load(uow, actor, contract_id)
        dealer = await uow.dealers.get(contract.dealer_id)
        if dealer is None:
            raise dealer_not_found(contract.dealer_id)
        text = contract.signed_text if contract.signed_text is not None else document_text(contract, dealer)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    pdf = renderer.contract_pdf(text, title=f"{contract.number} v{contract.version}", footer=f"SHA-256 {sha}")
    return ContractDocument(contract, text, sha, pdf, pdf_name(contract))


# --- signing with a one-time code ----------------------------------------------------------------------

@dataclass(frozen=True)
class RequestSigningCode:
    contract_id: int


@dataclass(frozen=True)
class IssuedCode:
    contract_id: int
    number: str
    code: str                    # shown once to the signer, never stored
    text_sha256: str
    expires_at: Any


def _owner_only(actor: Actor, contract: Contract) -> None:
    require(actor, Permission.CONTRACT_SIGN)
    if actor.kind != ActorKind.DEALER or actor.dealer_id != contract.dealer_id or actor.user_id is None:
        raise PermissionDenied(zh="只有经销商负责人本人可以签署合同", en="Only the dealer's owner can sign")


async def request_signing_code(uow: AbstractUnitOfWork, actor: Actor, cmd: RequestSigningCode,
                               clock: Clock) -> IssuedCode:
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        _owner_only(actor, contract)
        next_status(contract.status, ContractAction.SIGN)
        dealer = await uow.dealers.get(contract.dealer_id)
        if dealer is None:
            raise dealer_not_found(contract.dealer_id)
        _check_dealer_open(dealer)
        text = document_text(contract, dealer)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert actor.user_id is not None and contract.id is not None
        for old in await uow.signing_codes.list(contract_id=contract.id, user_id=actor.user_id, used_at=None,
                                                revoked=False):
            old.revoked = True
        row, code = otp_rules.issue(contract.id, actor.user_id, sha, clock.now())
        await uow.signing_codes.add(row)
        await uow.flush()
        await record(uow, actor, "contract.code_issue", "contract", contract.number, clock,
                     after={"code_id": row.id, "text_sha256": sha, "expires_at": row.expires_at.isoformat()})
        await uow.commit()
        return IssuedCode(contract.id, contract.number, code, sha, row.expires_at)


@dataclass(frozen=True)
class SignWithCode:
    contract_id: int
    code: str
    channel: str                 # telegram | wecom | web | console
    origin: str                  # chat id, or the IP address


def _code_refused(left: int) -> ValidationFailed:
    if left <= 0:
        return ValidationFailed(zh="验证码错误次数过多，请重新获取验证码",
                                en="Too many wrong codes; please ask for a new code", reason="attempts")
    return ValidationFailed(zh=f"验证码不正确，还可以再试 {left} 次", en=f"Wrong code; {left} tries left",
                            reason="wrong code")


async def sign_with_code(uow: AbstractUnitOfWork, actor: Actor, cmd: SignWithCode, clock: Clock,
                         renderer: AbstractDocumentRenderer, files: AbstractFileStore) -> ContractSignature:
    """Check the code, then freeze the text and the PDF and record the signature, in one commit."""
    now = clock.now()
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        _owner_only(actor, contract)
        if contract.status == ContractStatus.SIGNED and contract.id is not None:
            done = await uow.contract_signatures.get_by(contract_id=contract.id)
            if done is not None and done.signer_user_id == actor.user_id:
                return done      # a double tap after signing: the same signature
        target = next_status(contract.status, ContractAction.SIGN)
        codes = await uow.signing_codes.list(contract_id=contract.id, user_id=actor.user_id, used_at=None,
                                             revoked=False, order_by="id", desc=True, limit=1)
        row = codes[0] if codes else None
        if row is None or now >= row.expires_at:
            raise ValidationFailed(zh="验证码已过期或不存在，请重新获取", en="The code has expired; please ask for a new one",
                                   reason="expired")
        if row.attempts >= otp_rules.MAX_ATTEMPTS:
            raise _code_refused(0)
        if not otp_rules.matches(row, cmd.code):
            row.attempts += 1
            await record(uow, actor, "contract.code_wrong", "contract", contract.number, clock,
                         after={"code_id": row.id, "attempts": row.attempts})
            await uow.commit()
            raise _code_refused(otp_rules.MAX_ATTEMPTS - row.attempts)
        dealer = await uow.dealers.get(contract.dealer_id)
        if dealer is None:
            raise dealer_not_found(contract.dealer_id)
        _check_dealer_open(dealer)
        text = document_text(contract, dealer)
        text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if text_sha != row.text_sha256:
            row.revoked = True
            await uow.commit()
            raise Conflict(zh="操作冲突：合同内容已变更，请重新查看后再签署",
                           en="Conflict: the contract text has changed; please read it again before signing",
                           reason="text changed")
        pdf = renderer.contract_pdf(text, title=f"{contract.number} v{contract.version}",
                                    footer=f"SHA-256 {text_sha} · {actor.label} · {now.astimezone(clock.tz):%Y-%m-%d %H:%M}")
        pdf_sha = hashlib.sha256(pdf).hexdigest()
        key = await files.put(pdf, pdf_name(contract, signed=True))
        before = contract_snapshot(contract)
        contract.status = target
        contract.signed_text, contract.signed_sha256 = text, text_sha
        contract.signed_by, contract.signed_at = actor.label, now
        row.used_at = now
        assert contract.id is not None
        signature = ContractSignature(
            contract_id=contract.id, number=contract.number, version=contract.version, dealer_id=contract.dealer_id,
            signer=actor.label, signer_user_id=actor.user_id, channel=cmd.channel[:16], origin=cmd.origin[:128],
            text_sha256=text_sha, pdf_sha256=pdf_sha, pdf_key=key, signed_at=now)
        await uow.contract_signatures.add(signature)
        await uow.flush()
        await record(uow, actor, "contract.sign", "contract", contract.number, clock, before=before,
                     after=contract_snapshot(contract) | {"pdf_sha256": pdf_sha, "channel": signature.channel,
                                                          "origin": signature.origin})
        await notify.tell_staff(uow, Permission.CONTRACT_WRITE, notify.Notice(
            "contract.signed", Category.CONTRACT,
            {"number": contract.number, "version": contract.version,
             "dealer": await notify.dealer_label(uow, contract.dealer_id)}),
            f"{contract.id}", clock, exclude=actor)
        await uow.commit()
        return signature


async def contract_sent(uow: AbstractUnitOfWork, actor: Actor, contract: Contract, clock: Clock) -> None:
    """Tell the dealer's owner a contract waits for signature (called by ``send_contract``)."""
    await notify.tell_dealer(uow, contract.dealer_id, notify.Notice(
        "contract.sent", Category.CONTRACT, {"number": contract.number, "version": contract.version,
                                             "id": contract.id}),
        f"{contract.id}", clock, exclude=actor, roles=[Role.DEALER_OWNER])


# --- the signed copy -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignedCopy:
    signature: ContractSignature
    pdf: bytes
    file_name: str


async def _signature(uow: AbstractUnitOfWork, actor: Actor, contract_id: int) -> tuple[Contract, ContractSignature]:
    contract = await _load(uow, actor, contract_id)
    signature = await uow.contract_signatures.get_by(contract_id=contract_id)
    if signature is None:
        raise NotFound(zh=f"合同 {contract.number} 尚未签署", en=f"Contract {contract.number} is not signed yet",
                       what=contract.number)
    return contract, signature


async def signed_copy(uow: AbstractUnitOfWork, actor: Actor, contract_id: int,
                      files: AbstractFileStore) -> SignedCopy:
    """The frozen signed PDF, checked against its recorded SHA-256 (a changed file is refused)."""
    async with uow:
        contract, signature = await _signature(uow, actor, contract_id)
    try:
        pdf = await files.get(signature.pdf_key)
    except KeyError:
        raise BusinessRuleViolation(zh="签署文件丢失，请联系管理员", en="The signed file is missing; contact the admin",
                                    reason="missing") from None
    if hashlib.sha256(pdf).hexdigest() != signature.pdf_sha256:
        raise BusinessRuleViolation(zh="签署文件校验失败（SHA-256 不符），可能已被篡改，请联系管理员",
                                    en="The signed file fails its SHA-256 check and may have been tampered with",
                                    reason="tampered")
    return SignedCopy(signature, pdf, pdf_name(contract, signed=True))


@dataclass(frozen=True)
class Verification:
    number: str
    ok: bool
    actual_sha256: str
    signature: ContractSignature | None


async def verify_signed_pdf(uow: AbstractUnitOfWork, actor: Actor, number: str, data: bytes) -> Verification:
    """Are ``data`` the signed PDF of (some version of) contract ``number``? Compares SHA-256."""
    actual = hashlib.sha256(data).hexdigest()
    async with uow:
        signatures = await uow.contract_signatures.list(number=number.strip(), order_by="version", desc=True)
        visible = []
        for s in signatures:
            try:
                await _load(uow, actor, s.contract_id)
            except NotFound:
                continue
            visible.append(s)
        if not visible:
            if not signatures and not await uow.contracts.count(number=number.strip()):
                raise _contract_not_found(number)
            if signatures:
                raise _contract_not_found(number)
        match = next((s for s in visible if s.pdf_sha256 == actual), None)
        return Verification(number, match is not None, actual, match or (visible[0] if visible else None))


# --- renewal -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RenewContract:
    contract_id: int


RENEWING = (ContractStatus.DRAFT, ContractStatus.SENT, ContractStatus.SIGNED, ContractStatus.ACTIVE)


def counts_as_renewal(successor: Contract) -> bool:
    """Does a later contract of the dealer stand for the renewal? Sent, signed and active ones do, and a draft
    only with targets: a draft without targets (typically made from a template and left) cannot be sent, so
    it must not stop the renewal from being drafted (staff may also discard it, ``discard_draft``)."""
    if successor.status not in RENEWING:
        return False
    return successor.status != ContractStatus.DRAFT or bool(successor.targets)


def _shift_period(period: str, years: int) -> str:
    head, sep, tail = period.partition("-")
    return f"{int(head) + years}{sep}{tail}" if head.isdigit() else period


async def renew_contract(uow: AbstractUnitOfWork, actor: Actor, cmd: RenewContract, clock: Clock) -> Contract:
    """A renewal draft from the current contract: a new number, the next term of the same length, the same
    tiers, duties and text, targets moved on by the term's years. If a renewal already exists it is returned
    (the scheduler may call this every day)."""
    if actor.kind != ActorKind.SYSTEM:
        require(actor, Permission.CONTRACT_WRITE)
    async with uow:
        current = await _load(uow, actor, cmd.contract_id)
        if current.status not in (ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.EXPIRED):
            raise BusinessRuleViolation(zh="只能续签已签署、执行中或已到期的合同",
                                        en="Only a signed, active or expired contract can be renewed",
                                        reason="not renewable")
        existing = [c for c in await uow.contracts.list(dealer_id=current.dealer_id, status__in=list(RENEWING),
                                                        starts_on__gt=current.ends_on, order_by="id")
                    if counts_as_renewal(c)]
        if existing:
            return existing[0]
        dealer = await uow.dealers.get(current.dealer_id)
        if dealer is None:
            raise dealer_not_found(current.dealer_id)
        _check_dealer_open(dealer)
        starts = current.ends_on + timedelta(days=1)
        length_days = (current.ends_on - current.starts_on).days
        months = (current.ends_on.year - current.starts_on.year) * 12 + current.ends_on.month - current.starts_on.month + 1
        if current.starts_on.day == 1 and (current.ends_on + timedelta(days=1)).day == 1:
            ends = _add_months(starts, months)       # whole months stay whole months (leap years)
        else:
            ends = starts + timedelta(days=length_days)
        years = max(1, round(length_days / 365.25))
        terms = validate_terms(ContractTerms(
            starts, ends, tuple(SalesTarget(_shift_period(t.period, years), t.metric, t.value, t.product_group)
                                for t in current.targets),
            tuple(current.rebate_tiers), tuple(current.marketing_duties)))
        renewal = Contract(number=await uow.next_number("HT", clock.today()), dealer_id=current.dealer_id,
                           starts_on=terms.starts_on, ends_on=terms.ends_on, targets=list(terms.targets),
                           rebate_tiers=list(terms.rebate_tiers), marketing_duties=list(terms.marketing_duties),
                           body=current.body, template_id=current.template_id, created_at=clock.now())
        await uow.contracts.add(renewal)
        await uow.flush()
        await record(uow, actor, "contract.renew", "contract", renewal.number, clock,
                     before={"renews": current.number, "version": current.version},
                     after=contract_snapshot(renewal))
        await uow.commit()
        return renewal


# --- marketing duties and monitoring -------------------------------------------------------------------

@dataclass(frozen=True)
class MarkDuty:
    contract_id: int
    duty_index: int
    done: bool = True
    note: str = ""


async def mark_duty(uow: AbstractUnitOfWork, actor: Actor, cmd: MarkDuty, clock: Clock) -> DutyMark:
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id)
        require(actor, Permission.CONTRACT_WRITE)
        if not 0 <= cmd.duty_index < len(contract.marketing_duties):
            raise ValidationFailed.because("没有这一项市场义务", "no such marketing duty")
        mark = await uow.duty_marks.get_by(contract_id=cmd.contract_id, duty_index=cmd.duty_index, for_update=True)
        before = snapshot(mark) if mark is not None else None
        if mark is None:
            mark = DutyMark(contract_id=cmd.contract_id, duty_index=cmd.duty_index)
            await uow.duty_marks.add(mark)
        mark.done, mark.note = cmd.done, cmd.note.strip()[:500]
        mark.marked_by, mark.marked_at = actor.label, clock.now()
        await uow.flush()
        await record(uow, actor, "contract.duty_mark", "contract", contract.number, clock,
                     before=before, after=snapshot(mark))
        await uow.commit()
        return mark


@dataclass(frozen=True)
class DutyStatus:
    index: int
    text: str
    done: bool
    marked_by: str
    note: str


@dataclass(frozen=True)
class Monitoring:
    contract: Contract
    execution: ContractExecution
    duties: tuple[DutyStatus, ...]
    accrued_total: Decimal

    @property
    def duties_done(self) -> int:
        return sum(1 for d in self.duties if d.done)

    @property
    def behind(self) -> bool:
        return any(t.behind_pace() for t in self.execution.targets)


async def contract_monitoring(uow: AbstractUnitOfWork, actor: Actor, contract_id: int, clock: Clock) -> Monitoring:
    """Targets vs actual, pace, rebate accrued by the tiers, and marketing duties done vs required."""
    execution = await contract_execution(uow, actor, contract_id, clock)
    async with uow:
        contract = await _load(uow, actor, contract_id)
        marks = {m.duty_index: m for m in await uow.duty_marks.list(contract_id=contract_id)}
    duties = tuple(DutyStatus(i, text, bool(marks.get(i) and marks[i].done),
                              marks[i].marked_by if i in marks else "", marks[i].note if i in marks else "")
                   for i, text in enumerate(contract.marketing_duties))
    total = sum((t.accrued_rebate for t in execution.targets), Decimal("0.00"))
    return Monitoring(contract, execution, duties, total)
