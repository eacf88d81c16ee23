"""Signing through the real unit of work (SQLite and PostgreSQL) and the real file store, then
``dms contract verify``: the signed copy matches, a tampered one does not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from bot.bootstrap import App
from bot.cli import app
from core.contracts import ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.services.contract_docs import (
    CreateFromTemplate,
    RequestSigningCode,
    SaveTemplate,
    SignWithCode,
    create_from_template,
    request_signing_code,
    save_template,
    sign_with_code,
    signed_copy,
)
from core.services.contracts import SendContract, send_contract
from core.users import Actor, ActorKind, Role, User
from documents.contract_pdf import ReportlabContractRenderer
from tests.factories import make_dealer, staff
from tests.integration.test_cli import backend, database, invoke, migrated, runner, with_app  # noqa: F401


def test_sign_on_a_real_database_then_verify_with_the_cli(runner: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    migrated(runner)

    async def sign(application: App) -> tuple[bytes, str, str]:
        uow = application.uow_factory
        clock = application.clock
        async with uow() as u:
            dealer = await u.dealers.add(make_dealer(name="杭州绿源电器有限公司"))
            await u.flush()
            owner = await u.users.add(User(username="li", display_name="李总", role=Role.DEALER_OWNER,
                                           dealer_id=dealer.id))
            await u.flush()
            await u.commit()
            dealer_id, owner_id = dealer.id, owner.id
        cm = staff(Role.CHANNEL_MANAGER)
        template = await save_template(uow(), cm, SaveTemplate(
            name="年度合同", body="乙方：{dealer}\n{targets}\n{rebate_tiers}\n",
            targets=(SalesTarget("Y", TargetMetric.AMOUNT, Decimal("100000")),),
            rebate_tiers=(RebateTier(Decimal("0.8"), Decimal("0.01")),)), clock)
        contract = await create_from_template(uow(), cm, CreateFromTemplate(template.id, dealer_id,
                                                                            date(2027, 1, 1)), clock)
        await send_contract(uow(), cm, SendContract(contract.id), clock)
        actor = Actor(kind=ActorKind.DEALER, user_id=owner_id, name="li", role=Role.DEALER_OWNER, dealer_id=dealer_id)
        issued = await request_signing_code(uow(), actor, RequestSigningCode(contract.id), clock)
        sig = await sign_with_code(uow(), actor, SignWithCode(contract.id, issued.code, "web", "203.0.113.9"), clock,
                                   ReportlabContractRenderer(), application.files())
        async with uow() as u:
            saved = await u.contracts.get(contract.id)
            assert saved.status == ContractStatus.SIGNED and saved.body.startswith("乙方：{dealer}")
            stored = await u.contract_signatures.get_by(contract_id=contract.id)
            assert (stored.origin, stored.pdf_sha256) == ("203.0.113.9", sig.pdf_sha256)
        copy = await signed_copy(uow(), actor, contract.id, application.files())
        return copy.pdf, contract.number, sig.pdf_sha256

    pdf, number, sha = with_app(sign)
    good = tmp_path / "signed.pdf"
    good.write_bytes(pdf)
    result = invoke(runner, "contract", "verify", str(good), number)
    assert "OK" in result.output and sha in result.output
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(pdf.replace(b"/Producer", b"/Produker"))
    runner_result = runner.invoke(app, ["contract", "verify", str(bad), number])
    assert runner_result.exit_code == 1 and "MISMATCH" in runner_result.output
