"""Monthly statements on a real database (SQLite and PostgreSQL), through the back office and the chat:
finance issues October from /backoffice/statements (once), the files open (Excel with openpyxl, PDF with
pypdf) and show every account's closing balance, the dealer disputes in chat, finance accepts with an
adjustment from the back office, every account still adds up (opening + entries = closing, against the
ledger itself), the dealer is asked again and confirms; the scheduled check issues nothing twice."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl  # type: ignore[import-untyped]
import pypdf

from core.accounts import AccountKind, EntryKind, LedgerEntry, StatementStatus
from core.clock import SHANGHAI, Clock
from core.expenses import TaskStatus
from core.money import ZERO
from core.orders import OrderStatus
from core.services.accounts import PostEntry, post_entry
from core.users import Actor, ActorKind, ChatIdentity, Role, User
from handlers.app import build_conversation
from handlers.context import Deps
from handlers.messages import Inbound, InboundKind, Reply
from handlers.router import payload
from nlu.offline import OfflineParser
from notifications.checks import Checks
from tests.e2e.conftest import Web, add_dealer, add_order, add_staff
from tests.e2e.test_admin_web import SAME_ORIGIN, login
from tests.fakes import FakeOutboxStore, FakeUnitOfWork

FINANCE = Actor(kind=ActorKind.STAFF, name="wu.finance", role=Role.FINANCE)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


async def _book(web: Web, dealer_id: int, account: AccountKind, amount: str, kind: EntryKind, when: str,
                ref: str) -> None:
    if kind == EntryKind.ORDER_CHARGE:          # written by the order use cases only
        async with web.uow() as uow:
            await uow.ledger.add(LedgerEntry(dealer_id=dealer_id, account=account, amount=Decimal(amount), kind=kind,
                                             ref=ref, created_by="system", created_at=_at(when)))
            await uow.commit()
        return
    await post_entry(web.uow(), FINANCE, PostEntry(dealer_id, account, amount, kind, ref=ref), Clock.fixed(_at(when)))


class _Chat:
    def __init__(self, web: Web) -> None:
        self.service = build_conversation(Deps(uow_factory=web.uow_factory, clock=web.clock, parser=OfflineParser()))
        self.n = 0

    async def send(self, chat: str, *, text: str = "", button: str = "") -> list[Reply]:
        self.n += 1
        kind = InboundKind.BUTTON if button else InboundKind.TEXT
        return await self.service.handle(Inbound(channel="telegram", chat_id=chat, user_id=chat, kind=kind, text=text,
                                                 payload=button, update_id=f"u{self.n}"))


async def test_issue_dispute_answer_and_confirm(web_any: Web) -> None:
    web = web_any
    await add_staff(web, "wu.finance", Role.FINANCE)
    dealer_id = await add_dealer(web, "D0009", "杭州绿源电器有限公司")
    quiet_id = await add_dealer(web, "D0010", "宁波安家电器有限公司")
    async with web.uow() as uow:
        owner = await uow.users.add(User(username="li", display_name="李总", role=Role.DEALER_OWNER,
                                         dealer_id=dealer_id))
        await uow.flush()
        await uow.identities.add(ChatIdentity(channel="telegram", external_id="100", user_id=owner.id or 0))
        await uow.commit()
    await _book(web, dealer_id, AccountKind.DEPOSIT, "20000.00", EntryKind.PAYMENT, "2026-09-20 10:00", "DEP-1")
    await _book(web, dealer_id, AccountKind.PREPAYMENT, "5000.00", EntryKind.PAYMENT, "2026-09-30 23:59", "SEP-1")
    await _book(web, dealer_id, AccountKind.PREPAYMENT, "60000.00", EntryKind.PAYMENT, "2026-10-08 11:00", "BANK-1008")
    await add_order(web, "SO-20261015-0001", dealer_id, [("AP300", 6, "2000.00")], status=OrderStatus.APPROVED,
                    created_at=_at("2026-10-15 09:00"))
    await _book(web, dealer_id, AccountKind.PREPAYMENT, "-12000.00", EntryKind.ORDER_CHARGE, "2026-10-15 09:00",
                "SO-20261015-0001")
    await _book(web, dealer_id, AccountKind.REBATE, "1500.00", EntryKind.REBATE_ACCRUAL, "2026-10-31 23:30", "REB-10")
    # 00:30 on 1 November in Shanghai is still 31 October in UTC: November's, not October's
    await _book(web, dealer_id, AccountKind.PREPAYMENT, "777.00", EntryKind.PAYMENT, "2026-11-01 00:30", "NOV-1")
    await _book(web, quiet_id, AccountKind.PREPAYMENT, "100.00", EntryKind.PAYMENT, "2026-10-02 10:00", "Q-1")

    await login(web, "wu.finance")
    issued = await web.client.post("/backoffice/statements/issue", headers=SAME_ORIGIN,
                                   data={"period": "2026-10", "dealer": "D0009"})
    assert issued.status_code == 200 and "D0009" in issued.text, issued.text
    again = await web.client.post("/backoffice/statements/issue", headers=SAME_ORIGIN,
                                  data={"period": "2026-10", "dealer": "D0009"})
    assert "已出具 already issued" in again.text
    listed = await web.client.get("/backoffice/statements?period=2026-10")
    assert listed.status_code == 200 and "杭州绿源电器有限公司" in listed.text and "待确认" in listed.text

    async with web.uow() as uow:
        [statement] = await uow.statements.list(dealer_id=dealer_id)
        ledger = await uow.ledger.list(dealer_id=dealer_id)
    assert statement.due_on == date(2026, 12, 6)         # STATEMENT_CONFIRM_DAYS (10) after the issue on 11-26
    sections = {s["account"]: s for s in statement.accounts}
    expected_closing = {"prepayment": Decimal("53000.00"), "deposit": Decimal("20000.00"),
                        "rebate": Decimal("1500.00"), "credit": ZERO}
    assert {a: Decimal(s["closing"]) for a, s in sections.items()} == expected_closing
    assert "NOV-1" not in [r["ref"] for s in statement.accounts for r in s["entries"]]
    _adds_up(statement.accounts, ledger)

    xlsx = await web.client.get(f"/backoffice/statements/{statement.id}.xlsx")
    assert xlsx.status_code == 200 and "statement-D0009-2026-10.xlsx" in xlsx.headers["content-disposition"]
    cells = [c for ws in openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    for closing in (Decimal("53000.00"), Decimal("20000.00"), Decimal("1500.00")):
        assert any(isinstance(c, (int, float)) and Decimal(str(c)) == closing for c in cells), closing
    pdf = await web.client.get(f"/backoffice/statements/{statement.id}.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "53,000.00" in text and "20,000.00" in text and "1,500.00" in text and "BANK-1008" in text

    chat = _Chat(web)
    shown = await chat.send("100", button=payload("acct.st.view", "2026-10"))
    assert {r.file_name for r in shown if r.file} == {"statement-D0009-2026-10.xlsx", "statement-D0009-2026-10.pdf"}
    await chat.send("100", button=payload("acct.st.no", "2026-10"))
    said = await chat.send("100", text="10月8日收款 60000 应为 61000")
    assert "BANK-1008" in "\n".join(r.text for r in said)

    answered = await web.client.post(f"/backoffice/statements/{statement.id}/answer", headers=SAME_ORIGIN,
                                     data={"answer": "已核实，补记 1000", "account": "prepayment", "amount": "1000"})
    assert answered.status_code == 303, answered.text
    async with web.uow() as uow:
        after = await uow.statements.get(statement.id or 0)
        ledger = await uow.ledger.list(dealer_id=dealer_id)
        [task] = await uow.staff_tasks.list(kind="statement.dispute")
        rows = [m for m in await uow.outbox.list(kind="statement.answered")]
        audit = {a.action for a in await uow.audit.list()}
    assert after is not None and after.status == StatementStatus.ISSUED and after.answer == "已核实，补记 1000"
    assert Decimal(next(s for s in after.accounts if s["account"] == "prepayment")["closing"]) == Decimal("54000.00")
    _adds_up(after.accounts, ledger)
    assert task.status == TaskStatus.DONE and [m.user_id for m in rows] == [owner.id]
    assert {"statement.generate", "statement.dispute", "statement.answer", "ledger.post"} <= audit

    done = await chat.send("100", button=payload("acct.st.ok", "2026-10"))
    assert "已确认 2026-10 对账单" in "\n".join(r.text for r in done)

    # the scheduled check: the quiet dealer's October once, D0009's never again
    checks = Checks(web.uow_factory, FakeOutboxStore(FakeUnitOfWork()), Clock.fixed(_at("2026-11-03 09:20")))
    assert await checks.run("statements") == 1
    assert await checks.run("statements") == 0
    async with web.uow() as uow:
        assert [(s.dealer_id, s.status) for s in await uow.statements.list(order_by="dealer_id")] == [
            (dealer_id, StatementStatus.CONFIRMED), (quiet_id, StatementStatus.ISSUED)]


def _adds_up(accounts: list[dict[str, object]], ledger: list[LedgerEntry]) -> None:
    """Per account: opening = the ledger before October, closing = the ledger to the end of October, and
    opening + the listed entries = closing."""
    start = datetime.combine(date(2026, 10, 1), time.min, SHANGHAI)
    end = datetime.combine(date(2026, 11, 1), time.min, SHANGHAI)
    for section in accounts:
        account = AccountKind(str(section["account"]))
        before = sum((e.amount for e in ledger if e.account == account and e.created_at and e.created_at < start), ZERO)
        upto = sum((e.amount for e in ledger if e.account == account and e.created_at and e.created_at < end), ZERO)
        entries = section["entries"]
        assert isinstance(entries, list)
        assert Decimal(str(section["opening"])) == before, account
        assert Decimal(str(section["closing"])) == upto, account
        assert before + sum((Decimal(r["amount"]) for r in entries), ZERO) == upto, account
