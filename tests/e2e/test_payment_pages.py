"""Payments in the back office over HTTP, SQLite and PostgreSQL (issue 14): finance posts a payment with its receipt
and the dealer's balance beside the form goes up (once, though the form is posted twice), a reversal with a reason
brings it back; a refund above the threshold waits for a second person (never the requester); other roles are
refused the page."""

from __future__ import annotations

import re
from decimal import Decimal

from core.accounts import AccountKind, EntryKind, FinanceRequestStatus
from core.users import Role
from tests.e2e.conftest import Web, add_dealer, add_staff
from tests.e2e.test_admin_web import SAME_ORIGIN, login
from tests.e2e.test_backoffice_admin import MemoryFileStore, office  # noqa: F401  (the app with a file store)


def _prepayment(html: str) -> str:
    found = re.search(r"<td class='prepayment'>([^<]*)</td>", html)
    assert found, html[:2000]
    return found.group(1)


async def test_post_a_payment_see_the_balance_reverse_it(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web_any, store = office
    await add_staff(web_any, "wu.finance", Role.FINANCE)
    await add_staff(web_any, "sun.desk", Role.ORDER_DESK)
    await add_dealer(web_any, "D0051", "合肥新锐电器有限公司")
    await login(web_any, "wu.finance")
    page = await web_any.client.get("/backoffice/payments?dealer=d0051")
    assert page.status_code == 200 and _prepayment(page.text) == "¥0.00"
    assert "保证金 Deposit" in page.text and "已用信用 / 额度" in page.text
    key = re.search(r"name='key' value='([0-9a-f]+)'", page.text).group(1)  # type: ignore[union-attr]
    form = {"key": key, "dealer": "D0051", "account": "prepayment", "method": "bank_transfer", "amount": "50,000",
            "reference": "HX20261125001", "paid_on": "2026-11-25", "note": ""}
    files = {"receipt": ("回单.jpg", b"\xff\xd8\xff receipt", "image/jpeg")}
    posted = await web_any.client.post("/backoffice/payments/record", headers=SAME_ORIGIN, data=form, files=files)
    assert posted.status_code == 303, posted.text
    again = await web_any.client.post("/backoffice/payments/record", headers=SAME_ORIGIN, data=form, files=files)
    assert again.status_code == 303                              # a second post of the same form books nothing
    shown = await web_any.client.get(posted.headers["location"])
    assert _prepayment(shown.text) == "¥50,000.00" and "HX20261125001" in shown.text
    async with web_any.uow() as uow:
        [entry] = await uow.ledger.list(kind=EntryKind.PAYMENT)
    assert (entry.amount, entry.account, str(entry.paid_on)) == (Decimal("50000.00"), AccountKind.PREPAYMENT,
                                                                  "2026-11-25")
    assert store.blobs[entry.attachment] == b"\xff\xd8\xff receipt" and entry.created_by == "staff:wu.finance"
    # the same slip in a new form (another key): refused with what was booked, unless ticked as another payment
    same = await web_any.client.post("/backoffice/payments/record", headers=SAME_ORIGIN,
                                     data=form | {"key": "same1"}, files=files)
    assert same.status_code == 400 and "参考号 HX20261125001 已入账" in same.text, same.text
    async with web_any.uow() as uow:
        assert len(await uow.ledger.list(kind=EntryKind.PAYMENT)) == 1

    no_reason = await web_any.client.post(f"/backoffice/payments/entries/{entry.id}/reverse", headers=SAME_ORIGIN,
                                          data={"dealer": "D0051", "reason": " "})
    assert no_reason.status_code == 400 and "冲销原因" in no_reason.text
    reversed_ = await web_any.client.post(f"/backoffice/payments/entries/{entry.id}/reverse", headers=SAME_ORIGIN,
                                          data={"dealer": "D0051", "reason": "重复入账"})
    assert reversed_.status_code == 303
    back = await web_any.client.get(reversed_.headers["location"])
    assert _prepayment(back.text) == "¥0.00" and "重复入账" in back.text
    assert f"/backoffice/payments/entries/{entry.id}/reverse" not in back.text   # reversed once

    await login(web_any, "sun.desk")
    assert (await web_any.client.get("/backoffice/payments")).status_code == 403
    refused = await web_any.client.post("/backoffice/payments/record", headers=SAME_ORIGIN,
                                        data=form | {"key": "other1"})
    assert refused.status_code == 403
    async with web_any.uow() as uow:
        assert len(await uow.ledger.list(kind=EntryKind.PAYMENT)) == 1


async def test_a_refund_above_the_threshold_is_decided_by_a_second_person(web_any: Web) -> None:
    await add_staff(web_any, "wu.finance", Role.FINANCE)
    await add_staff(web_any, "li.finance", Role.FINANCE)
    await add_dealer(web_any, "D0052", "杭州嘉禾电器有限公司")
    await login(web_any, "wu.finance")
    page = await web_any.client.get("/backoffice/payments?dealer=D0052")
    key = re.search(r"name='key' value='([0-9a-f]+)'", page.text).group(1)  # type: ignore[union-attr]
    await web_any.client.post("/backoffice/payments/record", headers=SAME_ORIGIN, data={
        "key": key, "dealer": "D0052", "account": "prepayment", "method": "cash", "amount": "80000",
        "reference": "", "paid_on": "2026-11-20"})
    asked = await web_any.client.post("/backoffice/payments/adjust", headers=SAME_ORIGIN, data={
        "dealer": "D0052", "kind": "refund", "account": "prepayment", "amount": "30000", "reason": "多付退回"})
    assert asked.status_code == 303
    mine = await web_any.client.get("/backoffice/payments")
    assert "多付退回" in mine.text and "another person decides" in mine.text
    async with web_any.uow() as uow:
        [request] = await uow.finance_requests.list()
    assert (await web_any.client.post(f"/backoffice/payments/requests/{request.id}/decide", headers=SAME_ORIGIN,
                                      data={"approve": "1"})).status_code == 403

    await login(web_any, "li.finance")
    listing = await web_any.client.get("/backoffice/payments")
    assert f"/backoffice/payments/requests/{request.id}/decide" in listing.text
    done = await web_any.client.post(f"/backoffice/payments/requests/{request.id}/decide", headers=SAME_ORIGIN,
                                     data={"approve": "1", "note": "核对无误"})
    assert done.status_code == 303
    shown = await web_any.client.get("/backoffice/payments?dealer=D0052")
    assert _prepayment(shown.text) == "¥50,000.00"
    async with web_any.uow() as uow:
        assert (await uow.finance_requests.get(request.id)).status == FinanceRequestStatus.APPROVED


async def test_the_dealer_page_links_to_its_balances_and_payments(web_any: Web) -> None:
    await add_staff(web_any, "wu.finance", Role.FINANCE)
    dealer_id = await add_dealer(web_any, "D0053", "宁波海信达电器有限公司")
    await login(web_any, "wu.finance")
    details = await web_any.client.get(f"/admin/dealer/details/{dealer_id}")
    assert details.status_code == 200 and "/backoffice/payments?dealer=D0053" in details.text
