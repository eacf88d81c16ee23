"""A contract from a template, end to end: a channel manager drafts it in the back office over HTTP, enters the
sales targets and the rebate ladder in the draft form (a refused row comes back as typed with the reason, rows
are edited and removed), sends it; the dealer's owner signs it in chat with the one-time code (the real
conversation on the same database); the scheduler puts it in force. Every step is audited. A draft left
without targets is discarded by staff with a reason."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from core.clock import SHANGHAI, Clock
from core.contracts import ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.services import contract_docs
from core.services import contracts as contract_cases
from core.services import users as user_cases
from core.users import ChatIdentity, Role
from handlers.app import build_conversation
from handlers.context import Deps
from handlers.messages import Inbound, InboundKind, Reply
from handlers.router import payload
from nlu.offline import OfflineParser
from tests.e2e.conftest import SYSTEM, Web, add_dealer, add_product
from tests.e2e.test_backoffice_admin import SAME_ORIGIN, MemoryFileStore, login_as, office  # noqa: F401

BODY = "甲方与{dealer}签订年度经销合同，期限{period}。\n销售目标：\n{targets}\n返利：\n{rebate_tiers}\n"
CHAT = "tg-7301"


async def _template(web: Web) -> int:
    """As the template admin form makes it: a body and a term, no targets (the form has no target fields)."""
    template = await contract_docs.save_template(web.uow(), SYSTEM, contract_docs.SaveTemplate(
        name="标准年度经销合同", body=BODY, term_months=12), web.clock)
    assert template.id is not None and template.targets == []
    return template.id


def _rows(*rows: tuple[str, str, str, str, str], remove: tuple[int, ...] = (),
          tiers: tuple[tuple[str, str], ...] = ()) -> dict[str, list[str]]:
    """The draft form as a browser posts it: one value per row for each column (period, scope, scope_value,
    metric, value), the ticked 删除 boxes, and the tier columns."""
    return {"period": [r[0] for r in rows], "scope": [r[1] for r in rows], "scope_value": [r[2] for r in rows],
            "metric": [r[3] for r in rows], "value": [r[4] for r in rows], "remove": [str(i) for i in remove],
            "tier_min": [t[0] for t in tiers], "tier_rate": [t[1] for t in tiers]}


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text or "" for r in replies)


async def test_template_draft_gets_targets_is_sent_signed_in_chat_and_in_force(
        office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, files = office
    template_id = await _template(web)
    dealer_id = await add_dealer(web, "D0811", "嘉兴南湖电器有限公司")
    await add_product(web, "AP300", "AP300 空气净化器", "1999.00", category="净化器")
    owner = await user_cases.create_dealer_user(web.uow(), SYSTEM, user_cases.CreateDealerUser(
        dealer_id=dealer_id, username="nh.owner", display_name="南湖老板", role=Role.DEALER_OWNER), web.clock)
    async with web.uow() as uow:
        await uow.identities.add(ChatIdentity(channel="telegram", external_id=CHAT, user_id=owner.id or 0))
        await uow.commit()
    await login_as(web, "wang.channel", Role.CHANNEL_MANAGER)

    created = await web.client.post("/backoffice/contracts/new", headers=SAME_ORIGIN, data={
        "template_id": str(template_id), "dealer_code": "D0811", "starts_on": "2026-12-01"})
    assert created.status_code == 303, created.text
    cid = int(created.headers["location"].split("/")[-2])
    page = await web.client.get(f"/backoffice/contracts/{cid}/edit")
    assert page.status_code == 200 and "还没有销售目标" in page.text and "name='period'" in page.text
    too_early = await web.client.post(f"/backoffice/contracts/{cid}/send", headers=SAME_ORIGIN)
    assert too_early.status_code == 400 and "合同至少需要一个销售目标" in too_early.text

    # a bad row: nothing saved, the rows come back as typed with the row named in zh and en
    bad = await web.client.post(f"/backoffice/contracts/{cid}/terms", headers=SAME_ORIGIN, data=_rows(
        ("2027", "all", "", "amount", "60万"), ("2027-Q5", "category", "净化器", "quantity", "200"),
        tiers=(("80", "1"),)))
    assert bad.status_code == 400
    assert "第 2 行目标：期间“2027-Q5”" in bad.text and "Target row 2: the period &#x27;2027-Q5&#x27;" in bad.text
    assert "value='60万'" in bad.text and "value='2027-Q5'" in bad.text
    unknown = await web.client.post(f"/backoffice/contracts/{cid}/terms", headers=SAME_ORIGIN, data=_rows(
        ("2027", "sku", "ZZ999", "amount", "1000")))
    assert unknown.status_code == 400 and "没有产品 ZZ999" in unknown.text
    async with web.uow() as uow:
        assert (await uow.contracts.get(cid)).targets == []  # type: ignore[union-attr]

    # add three rows and a ladder of two steps
    saved = await web.client.post(f"/backoffice/contracts/{cid}/terms", headers=SAME_ORIGIN, data=_rows(
        ("2027", "all", "", "amount", "60万"), ("2027-Q1", "category", "净化器", "quantity", "200"),
        ("2027-Q2", "sku", "AP300", "quantity", "80"), ("", "all", "", "amount", ""),
        tiers=(("80", "1"), ("100", "2.5"), ("", ""))))
    assert saved.status_code == 303, saved.text
    # edit the first row's value, remove the second row, drop the 80 % step
    edited = await web.client.post(f"/backoffice/contracts/{cid}/terms", headers=SAME_ORIGIN, data=_rows(
        ("2027", "all", "", "amount", "650000"), ("2027-Q1", "category", "净化器", "quantity", "200"),
        ("2027-Q2", "sku", "AP300", "quantity", "80"), ("", "all", "", "amount", ""), remove=(1,),
        tiers=(("80", "1"), ("100", "2.5"), ("", ""))) | {"tier_remove": ["0"]})
    assert edited.status_code == 303, edited.text
    async with web.uow() as uow:
        draft = await uow.contracts.get(cid)
        terms_audit = await uow.audit.list(action="contract.terms", order_by="id")
    assert draft is not None and draft.targets == [
        SalesTarget("2027", TargetMetric.AMOUNT, Decimal("650000.00")),
        SalesTarget("2027-Q2", TargetMetric.QUANTITY, Decimal("80"), "sku:AP300")]
    assert draft.rebate_tiers == [RebateTier(Decimal("1.0000"), Decimal("0.0250"))]
    assert [a.actor for a in terms_audit] == ["staff:wang.channel"] * 2
    assert len(terms_audit[1].before["targets"]) == 3 and len(terms_audit[1].after["targets"]) == 2
    shown = await web.client.get(f"/backoffice/contracts/{cid}/edit")
    assert "value='650000'" in shown.text and "value='AP300'" in shown.text and "还没有销售目标" not in shown.text

    sent = await web.client.post(f"/backoffice/contracts/{cid}/send", headers=SAME_ORIGIN)
    assert sent.status_code == 200 and draft.number in sent.text
    async with web.uow() as uow:
        notices = await uow.outbox.list(kind="contract.sent")
    assert [n.user_id for n in notices] == [owner.id]

    # the owner signs in chat
    chat = build_conversation(Deps(uow_factory=web.uow, clock=web.clock, parser=OfflineParser(), files=files))
    n = iter(range(1, 100))

    async def say(text: str = "", button: str = "") -> list[Reply]:
        if button:
            return await chat.handle(Inbound(channel="telegram", chat_id=CHAT, user_id=CHAT, kind=InboundKind.BUTTON,
                                             payload=button, update_id=f"u{next(n)}"))
        command, _, args = text[1:].partition(" ")
        return await chat.handle(Inbound(channel="telegram", chat_id=CHAT, user_id=CHAT, kind=InboundKind.COMMAND,
                                         text=text, command=command, args=args, update_id=f"u{next(n)}"))

    listed = await say("/contract")
    assert draft.number in _text(listed) and "¥650,000.00" in _text(listed)
    assert payload("ctr.sign", cid) in [b.payload for r in listed for row in r.buttons for b in row]
    asked = await say(button=payload("ctr.sign", cid))
    code = re.search(r"签署验证码：(\d{6})", _text(asked))
    assert code is not None, _text(asked)
    signed = await chat.handle(Inbound(channel="telegram", chat_id=CHAT, user_id=CHAT, kind=InboundKind.TEXT,
                                       text=code.group(1), update_id="u-code"))
    assert f"已签署合同 {draft.number} v1" in _text(signed) and signed[0].file is not None
    async with web.uow() as uow:
        stored = await uow.contracts.get(cid)
        signature = await uow.contract_signatures.get_by(contract_id=cid)
    assert stored is not None and stored.status == ContractStatus.SIGNED and signature is not None
    assert "产品“AP300”进货数量不低于80件" in (stored.signed_text or "")
    assert "达成率达到100%，返利比例2.5%" in (stored.signed_text or "")
    assert (signature.channel, signature.origin, signature.signer) == ("telegram", CHAT, f"dealer:{dealer_id}:nh.owner")

    # the start date comes: the daily scheduler puts it in force
    start_day = Clock.fixed(datetime(2026, 12, 1, 6, 0, tzinfo=SHANGHAI))
    activated = await contract_cases.activate_due_contracts(web.uow(), SYSTEM, start_day)
    assert [c.id for c in activated] == [cid]
    async with web.uow() as uow:
        assert (await uow.contracts.get(cid)).status == ContractStatus.ACTIVE  # type: ignore[union-attr]
        trail = [a.action for a in await uow.audit.list(entity="contract", entity_id=draft.number, order_by="id")]
    assert trail == ["contract.create_from_template", "contract.terms", "contract.terms", "contract.send",
                     "contract.code_issue", "contract.sign", "contract.activate"]
    in_force = await say("/contract")
    assert "生效中" in _text(in_force) and "2027-Q2 产品 AP300 80" in _text(in_force)


async def test_staff_discard_an_abandoned_template_draft(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    template_id = await _template(web)
    await add_dealer(web, "D0812", "湖州南浔电器有限公司")
    await login_as(web, "wang.channel", Role.CHANNEL_MANAGER)
    created = await web.client.post("/backoffice/contracts/new", headers=SAME_ORIGIN, data={
        "template_id": str(template_id), "dealer_code": "D0812", "starts_on": "2027-01-01"})
    cid = int(created.headers["location"].split("/")[-2])
    listing = await web.client.get("/backoffice/contracts/new")
    assert "未填目标" in listing.text and "D0812" in listing.text

    no_reason = await web.client.post(f"/backoffice/contracts/{cid}/discard", headers=SAME_ORIGIN, data={"reason": " "})
    discarded = await web.client.post(f"/backoffice/contracts/{cid}/discard", headers=SAME_ORIGIN,
                                      data={"reason": "经销商改签两年期"})
    again = await web.client.post(f"/backoffice/contracts/{cid}/discard", headers=SAME_ORIGIN, data={"reason": "x"})

    assert no_reason.status_code == 400 and "请填写作废原因" in no_reason.text
    assert discarded.status_code == 200 and "已作废" in discarded.text
    assert again.status_code == 400 and "只有草稿可以作废" in again.text
    async with web.uow() as uow:
        stored = await uow.contracts.get(cid)
        audit = await uow.audit.list(action="contract.discard")
    assert stored is not None and stored.status == ContractStatus.TERMINATED
    assert "经销商改签两年期" in (stored.status_reason or "")
    assert len(audit) == 1 and audit[0].actor == "staff:wang.channel" and audit[0].before["status"] == "draft"
    listing = await web.client.get("/backoffice/contracts/new")
    assert "D0812" not in listing.text
