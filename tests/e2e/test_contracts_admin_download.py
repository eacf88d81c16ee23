"""The signed contract PDF from the admin over HTTP: the dealer signs with a one-time code (the PDF goes to the
file store), staff who write contracts download it from the link on the signature page and get exactly the
stored bytes; a tampered stored file is refused; a dealer cannot log in; a role without contract permission
gets 403."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from admin.auth import hash_password
from core.contracts import SalesTarget, TargetMetric
from core.ports import AbstractDocumentRenderer
from core.services import contract_docs
from core.services import contracts as contract_cases
from core.services import users as user_cases
from core.users import Role
from tests.e2e.conftest import ADMIN_PASSWORD, SYSTEM, Web, add_dealer
from tests.e2e.test_backoffice_admin import SAME_ORIGIN, MemoryFileStore, login_as, office  # noqa: F401


class TextPdf(AbstractDocumentRenderer):
    """Bytes that carry the text, so a different text is a different file (no fonts needed)."""

    def contract_pdf(self, text: str, *, title: str, footer: str = "") -> bytes:
        return f"%PDF-1.4\n{title}\n{text}\n{footer}".encode()


async def _signed_contract(web: Web, files: MemoryFileStore) -> tuple[int, int]:
    """A contract signed by the dealer's owner through the use cases; (contract id, dealer user id)."""
    dealer_id = await add_dealer(web, "D0501", "宁波金辉电器有限公司")
    owner = await user_cases.create_dealer_user(web.uow(), SYSTEM, user_cases.CreateDealerUser(
        dealer_id=dealer_id, username="jin.owner", display_name="金老板", role=Role.DEALER_OWNER), web.clock)
    contract = await contract_cases.create_contract(web.uow(), SYSTEM, contract_cases.CreateContract(
        dealer_id=dealer_id, starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31),
        targets=(SalesTarget("2027", TargetMetric.AMOUNT, Decimal("500000.00")),)), web.clock)
    assert contract.id is not None
    await contract_cases.send_contract(web.uow(), SYSTEM, contract_cases.SendContract(contract.id), web.clock)
    actor = owner.to_actor()
    issued = await contract_docs.request_signing_code(web.uow(), actor, contract_docs.RequestSigningCode(contract.id),
                                                      web.clock)
    await contract_docs.sign_with_code(web.uow(), actor, contract_docs.SignWithCode(
        contract.id, issued.code, "telegram", "chat:7001"), web.clock, TextPdf(), files)
    assert owner.id is not None
    return contract.id, owner.id


async def test_staff_download_the_stored_signed_pdf(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, files = office
    contract_id, _ = await _signed_contract(web, files)
    await login_as(web, "wang.channel", Role.CHANNEL_MANAGER)
    async with web.uow() as uow:
        signature = await uow.contract_signatures.get_by(contract_id=contract_id)
    assert signature is not None

    page = await web.client.get(f"/admin/contract-signature/details/{signature.id}")
    response = await web.client.get(f"/backoffice/contracts/{contract_id}/signed.pdf")

    assert page.status_code == 200 and f"/backoffice/contracts/{contract_id}/signed.pdf" in page.text
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content == files.blobs[signature.pdf_key]
    assert hashlib.sha256(response.content).hexdigest() == signature.pdf_sha256
    assert signature.origin == "chat:7001" and "宁波金辉电器有限公司" in response.content.decode()
    assert f'{signature.number}-v1-signed.pdf' in response.headers["content-disposition"]

    files.blobs[signature.pdf_key] = response.content.replace(b"500,000", b"900,000").replace(b"500000", b"900000")
    assert files.blobs[signature.pdf_key] != response.content
    tampered = await web.client.get(f"/backoffice/contracts/{contract_id}/signed.pdf")
    assert tampered.status_code == 400 and "SHA-256" in tampered.text
    missing = await web.client.get(f"/backoffice/contracts/{contract_id + 99}/signed.pdf")
    assert missing.status_code == 404


async def test_dealer_cannot_log_in_and_role_without_contracts_is_refused(
        office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, files = office
    contract_id, owner_id = await _signed_contract(web, files)
    async with web.uow() as uow:
        owner = await uow.users.get(owner_id)
        assert owner is not None
        owner.password_hash = hash_password(ADMIN_PASSWORD)
        await uow.commit()

    dealer_login = await web.client.post("/admin/login", headers=SAME_ORIGIN,
                                         data={"username": "jin.owner", "password": ADMIN_PASSWORD})
    as_nobody = await web.client.get(f"/backoffice/contracts/{contract_id}/signed.pdf")
    await login_as(web, "zhao.aftersales", Role.AFTER_SALES)
    as_aftersales = await web.client.get(f"/backoffice/contracts/{contract_id}/signed.pdf")

    assert dealer_login.status_code == 400 and "jin.owner" not in web.client.cookies.get("session", "")
    assert as_nobody.status_code == 302 and as_nobody.headers["location"] == "/admin/login"
    assert as_aftersales.status_code == 403 and b"%PDF" not in as_aftersales.content
