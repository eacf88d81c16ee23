"""Monthly statements end to end in chat: issued for a month with orders, a payment, a rebate and a claim;
per account opening + entries = closing; sent with Excel and PDF; confirmed; disputed and answered by
finance (adjustment or explanation) and confirmed again; the scheduled check issues once, reminds once and
confirms what nobody disputed by the deadline."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import openpyxl  # type: ignore[import-untyped]
import pypdf
import pytest

from core.accounts import AccountKind, EntryKind, LedgerEntry, Statement, StatementStatus
from core.campaigns import Campaign
from core.clock import SHANGHAI, Clock
from core.dealers import Dealer
from core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from core.expenses import ClaimStatus, ExpenseClaim, TaskStatus
from core.money import ZERO
from core.services.accounts import PostEntry, post_entry
from core.services.statements import (
    AnswerDispute,
    IssueStatements,
    answer_dispute,
    issue_statements,
    list_open_disputes,
)
from core.statements import StatementPolicy, match_lines, unbalanced_accounts
from core.users import Actor, ActorKind, Role
from handlers.messages import Reply
from handlers.router import payload
from notifications.checks import Checks, CheckSettings
from tests.chat import ChatWorld, buttons, texts
from tests.factories import at, staff
from tests.fakes import FakeOutboxStore

# no user id of its own: ids of the fake database start at 1, and the acting user is never told of its own act
FINANCE = Actor(kind=ActorKind.STAFF, name="wu", role=Role.FINANCE)
OWNER, CLERK, FIN, OTHER = "100", "101", "900", "200"


class MovingClock(Clock):
    """A clock the test moves forward."""

    def __init__(self, start: str) -> None:
        self.at = at(start)
        super().__init__(SHANGHAI, now=lambda: self.at)

    def go(self, when: str) -> None:
        self.at = at(when)


async def _world() -> tuple[ChatWorld, MovingClock, Dealer]:
    """A dealer with a deposit and a prepayment from October, then in November: a payment, two orders (one paid
    partly from rebate), a rebate accrual and an approved expense claim; an owner, a clerk, finance."""
    clock = MovingClock("2026-10-20 10:00")
    w = ChatWorld(clock=clock)
    await w.catalogue()
    dealer = await w.dealer(credit_limit=Decimal("100000.00"))
    await w.user(OWNER, Role.DEALER_OWNER, dealer, username="li")
    await w.user(CLERK, Role.DEALER_CLERK, dealer, username="clerk")
    await w.user(FIN, Role.FINANCE, username="wu")
    assert dealer.id is not None
    for account, amount, kind in ((AccountKind.DEPOSIT, "50000.00", EntryKind.PAYMENT),
                                  (AccountKind.PREPAYMENT, "10000.00", EntryKind.PAYMENT),
                                  (AccountKind.REBATE, "2000.00", EntryKind.REBATE_ACCRUAL)):
        await post_entry(w.uow, FINANCE, PostEntry(dealer.id, account, amount, kind, ref="OCT"), clock)
    clock.go("2026-11-08 11:00")
    await post_entry(w.uow, FINANCE, PostEntry(dealer.id, AccountKind.PREPAYMENT, "55000.00", EntryKind.PAYMENT,
                                               ref="BANK-1108"), clock)
    clock.go("2026-11-12 15:00")
    await w.order(dealer, [("AP300", 10)], to="approved")         # 19,990: 2,000 rebate, rest prepayment
    clock.go("2026-11-20 09:30")
    await w.order(dealer, [("DH20", 30)], to="approved")          # 47,970: prepayment, then credit
    clock.go("2026-11-25 17:00")
    await post_entry(w.uow, FINANCE, PostEntry(dealer.id, AccountKind.REBATE, "3300.00", EntryKind.REBATE_ACCRUAL,
                                               ref="REB-Q4"), clock)
    campaign = await w.uow.campaigns.add(Campaign(code="C-1", name="双十一", starts_on=date(2026, 11, 1),
                                                  ends_on=date(2026, 11, 30)))
    await w.uow.expense_claims.add(ExpenseClaim(
        number="FY-20261126-0001", dealer_id=dealer.id, campaign_id=campaign.id or 0, amount=Decimal("800.00"),
        description="门店堆头", status=ClaimStatus.APPROVED, credit_account="prepayment", decided_by="staff:wu",
        decided_at=at("2026-11-26 10:00")))
    await w.uow.ledger.add(LedgerEntry(dealer_id=dealer.id, account=AccountKind.PREPAYMENT, amount=Decimal("800.00"),
                                       kind=EntryKind.ADJUSTMENT, ref="FY-20261126-0001", note="费用核销 C-1",
                                       created_by="staff:wu", created_at=at("2026-11-26 10:00")))
    await w.uow.commit()
    clock.go("2026-12-03 09:20")
    w.forget_pushes()
    return w, clock, dealer


async def _issue(w: ChatWorld, clock: Clock, period: str = "2026-11") -> Statement:
    outcome = await issue_statements(lambda: w.uow, FINANCE, IssueStatements(period=period), clock)
    [(_, statement)] = outcome.issued
    return statement


def _sum(entries: list[LedgerEntry], account: AccountKind, before: datetime) -> Decimal:
    return sum((e.amount for e in entries if e.account == account and e.created_at is not None
                and e.created_at < before), ZERO)


async def test_every_account_opening_plus_entries_is_closing_and_matches_the_ledger() -> None:
    w, clock, dealer = await _world()
    statement = await _issue(w, clock)
    assert unbalanced_accounts(statement) == []
    ledger = await w.uow.ledger.list(dealer_id=dealer.id)
    start = datetime.combine(date(2026, 11, 1), time.min, SHANGHAI)
    end = datetime.combine(date(2026, 12, 1), time.min, SHANGHAI)
    sections = {s["account"]: s for s in statement.accounts}
    assert set(sections) == {a.value for a in AccountKind}
    for account in AccountKind:
        section = sections[account.value]
        opening, closing = _sum(ledger, account, start), _sum(ledger, account, end)
        in_month = [e for e in ledger if e.account == account and e.created_at is not None
                    and start <= e.created_at < end]
        assert Decimal(section["opening"]) == opening
        assert Decimal(section["closing"]) == closing
        assert opening + sum((Decimal(r["amount"]) for r in section["entries"]), ZERO) == closing
        assert len(section["entries"]) == len(in_month)
    assert Decimal(sections["deposit"]["closing"]) == Decimal("50000.00") and not sections["deposit"]["entries"]
    assert Decimal(sections["rebate"]["opening"]) == Decimal("2000.00")
    # the orders, the rebates and the claim of the month are on it
    kinds = {line["type"] for line in statement.lines}
    assert {"order", "claim"} <= kinds
    assert [line["ref"] for line in statement.lines if line["type"] == "claim"] == ["FY-20261126-0001"]
    assert len([line for line in statement.lines if line["type"] == "order"]) == 2
    assert any(r["kind"] == "rebate_accrual" and r["ref"] == "REB-Q4" for r in sections["rebate"]["entries"])
    assert statement.due_on == date(2026, 12, 13)
    # the summary's trading balance leaves the deposit out
    trading = sum((Decimal(sections[a]["closing"]) for a in ("prepayment", "rebate", "credit")), ZERO)
    assert statement.closing_balance == trading


def _file(replies: list[Reply], suffix: str) -> bytes:
    [found] = [r.file for r in replies if r.file is not None and r.file_name.endswith(suffix)]
    assert found is not None
    return found


async def test_dealer_gets_it_with_excel_and_pdf_and_confirms_in_chat() -> None:
    w, clock, dealer = await _world()
    statement = await _issue(w, clock)
    [push] = await w.pushed(OWNER)               # the owner is told; the clerk is not asked to confirm
    assert "2026-11 对账单已出具" in push.text and "2026-12-13 前确认" in push.text
    assert "保证金：期初 ¥50,000.00 → 期末 ¥50,000.00" in push.text
    assert await w.pushed(CLERK) == []
    assert set(buttons([push]).values()) == {payload("acct.st.view", "2026-11"), payload("acct.st.ok", "2026-11"),
                                             payload("acct.st.no", "2026-11")}
    shown = await w.press(OWNER, payload("acct.st.view", "2026-11"))
    assert "登录后台" not in texts(shown)
    xlsx, pdf = _file(shown, ".xlsx"), _file(shown, ".pdf")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    closings = {s["label_zh"]: Decimal(s["closing"]) for s in statement.accounts}
    for closing in closings.values():
        assert any(isinstance(c, (int, float, Decimal)) and Decimal(str(c)) == closing for c in cells), closing
    assert "FY-20261126-0001" in cells and "REB-Q4" in cells
    assert "已审核" in cells and "approved" not in cells            # order status and accounts in words
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for closing in closings.values():
        assert f"{closing:,.2f}" in text
    assert "期末余额" in text and dealer.code in text
    # English chat, English files
    await w.say(OWNER, "/lang en")
    english = await w.press(OWNER, payload("acct.st.view", "2026-11"))
    assert "Closing balance" in "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(_file(english, ".pdf"))).pages)
    await w.say(OWNER, "/lang zh")

    assert "只能由贵司负责人确认" in texts(await w.press(CLERK, payload("acct.st.ok", "2026-11")))
    done = await w.press(OWNER, payload("acct.st.ok", "2026-11"))
    assert "已确认 2026-11 对账单" in texts(done)
    stored = await w.uow.statements.get(statement.id or 0)
    assert stored is not None and stored.status == StatementStatus.CONFIRMED and stored.decided_by == f"dealer:{dealer.id}:li"
    assert [e.action for e in await w.uow.audit.list() if e.entity == "statement"] == ["statement.generate",
                                                                                        "statement.confirm"]


async def test_typed_words_find_the_statement() -> None:
    w, clock, _ = await _world()
    await _issue(w, clock)
    for words in ("对账单", "上月对账单", "11月的对账单", "上个月的账"):
        assert "🧾 对账单 2026-11" in texts(await w.say(OWNER, words)), words
    assert "核对无误请点“✅ 确认无误”" in texts(await w.say(OWNER, "对账单没问题，确认"))    # a button confirms, not words
    assert "请说明对 2026-11 对账单的异议" in texts(await w.say(OWNER, "账不对"))
    await w.press(OWNER, payload("acct.cancel"))
    assert "只能由贵司负责人" in texts(await w.say(CLERK, "对账单不对"))


async def test_a_message_naming_the_wrong_line_is_the_dispute() -> None:
    w, clock, _ = await _world()
    statement = await _issue(w, clock)
    said = await w.say(OWNER, "账不对，11月8日那笔55000应该是56000")
    assert "已提交异议" in texts(said) and "BANK-1108" in texts(said)
    stored = await w.uow.statements.get(statement.id or 0)
    assert stored is not None and stored.status == StatementStatus.DISPUTED and stored.dispute_lines
    listed = await w.say(FIN, "对账异议")
    assert "应该是56000" in texts(listed) and "✅ 接受并调整" in texts(listed)
    assert "2026-11-08 · 预存款 · BANK-1108 · ¥55,000.00" in texts(listed)     # the line in the reader's words


async def test_dispute_answered_with_an_adjustment_and_the_dealer_asked_again() -> None:
    w, clock, dealer = await _world()
    statement = await _issue(w, clock)
    w.forget_pushes()
    clock.go("2026-12-05 10:00")
    await w.press(OWNER, payload("acct.st.no", "2026-11"))     # the dispute is typed right after the tap: a form
    said = await w.say(OWNER, "11月8日收款 55000 应为 56000，少记了1000")   # left for hours is closed (FORM_IDLE)
    assert "已提交异议" in texts(said) and "BANK-1108" in texts(said)
    [task] = [t for t in w.uow.staff_tasks.rows if t.kind == "statement.dispute"]  # type: ignore[attr-defined]
    assert "应为 56000" in task.detail and "BANK-1108" in task.detail and task.status == TaskStatus.OPEN
    [push] = await w.pushed(FIN)
    assert "BANK-1108" in push.text
    assert buttons([push])["✅ 接受并调整"] == payload("stmt.acc", statement.id or 0)
    seen = await w.press(FIN, buttons([push])["📎 对账单"])
    assert {r.file_name for r in seen if r.file} == {f"statement-{dealer.code}-2026-11.xlsx",
                                                     f"statement-{dealer.code}-2026-11.pdf"}
    [waiting] = await list_open_disputes(w.uow, FINANCE)
    assert waiting.dealer_code == dealer.code and waiting.lines and waiting.task_id == task.id

    # dealers cannot answer their own dispute
    assert "由财务处理" in texts(await w.press(OWNER, payload("stmt.acc", statement.id or 0)))
    listed = await w.say(FIN, "/disputes")
    assert dealer.code in texts(listed) and "应为 56000" in texts(listed)
    await w.press(FIN, payload("stmt.acc", statement.id or 0))
    await w.press(FIN, payload("stmt.acct", statement.id or 0, "prepayment"))
    assert "没看懂金额" in texts(await w.say(FIN, "加一千"))
    done = await w.say(FIN, "+1000 11月8日收款少记 1000，已补记")
    assert "已调整" in texts(done)

    after = await w.uow.statements.get(statement.id or 0)
    assert after is not None and after.status == StatementStatus.ISSUED
    assert after.closing_balance == statement.closing_balance + Decimal("1000.00")
    assert after.due_on == date(2026, 12, 15) and after.answer == "11月8日收款少记 1000，已补记"
    assert unbalanced_accounts(after) == []
    [adjustment] = [e for e in await w.uow.ledger.list(dealer_id=dealer.id, kind=EntryKind.ADJUSTMENT)
                    if e.ref == "ST-2026-11"]
    assert adjustment.amount == Decimal("1000.00") and adjustment.created_at is not None
    assert adjustment.created_at.astimezone(SHANGHAI).date() == date(2026, 11, 30)   # shows on November's
    closed = await w.uow.staff_tasks.get(task.id or 0)
    assert closed is not None and closed.status == TaskStatus.DONE and "已补记" in closed.resolution
    assert {"statement.dispute", "statement.answer", "task.close"} <= {e.action for e in await w.uow.audit.list()}
    [told] = await w.pushed(OWNER)
    assert "财务已答复" in told.text and "已补记" in told.text and "2026-12-15" in told.text
    assert buttons([told])["✅ 确认无误"] == payload("acct.st.ok", "2026-11")
    assert "已确认" in texts(await w.press(OWNER, payload("acct.st.ok", "2026-11")))
    assert await list_open_disputes(w.uow, FINANCE) == []


async def test_dispute_explained_changes_no_money() -> None:
    w, clock, dealer = await _world()
    statement = await _issue(w, clock)
    await w.press(OWNER, payload("acct.st.no", "2026-11"))
    said = await w.say(OWNER, "账不对")
    assert "未能对应到具体明细" in texts(said)
    entries = len(await w.uow.ledger.list(dealer_id=dealer.id))
    await w.press(FIN, payload("stmt.exp", statement.id or 0))
    done = await w.say(FIN, "11月20日订单已按合同价扣款，请核对附件明细")
    assert "已答复" in texts(done)
    after = await w.uow.statements.get(statement.id or 0)
    assert after is not None and after.status == StatementStatus.ISSUED and after.closing_balance == statement.closing_balance
    assert len(await w.uow.ledger.list(dealer_id=dealer.id)) == entries
    # answered once: a second answer is refused
    with pytest.raises(InvalidTransition):
        await answer_dispute(w.uow, FINANCE, AnswerDispute(statement.id or 0, "again"), clock)
    with pytest.raises(PermissionDenied):
        await answer_dispute(w.uow, staff(Role.CHANNEL_MANAGER), AnswerDispute(statement.id or 0, "x"), clock)
    with pytest.raises(ValidationFailed):
        await answer_dispute(w.uow, FINANCE, AnswerDispute(statement.id or 0, "x", AccountKind.PREPAYMENT), clock)


async def test_issuing_a_disputed_statement_again_closes_finance_task() -> None:
    w, clock, dealer = await _world()
    await _issue(w, clock)
    await w.press(OWNER, payload("acct.st.no", "2026-11"))
    await w.say(OWNER, "返利少了")
    outcome = await issue_statements(lambda: w.uow, FINANCE, IssueStatements(period="2026-11", again=True), clock)
    [(_, again)] = outcome.issued
    assert again.status == StatementStatus.ISSUED and again.dispute_reason is None
    [task] = await w.uow.staff_tasks.list(kind="statement.dispute")
    assert task.status == TaskStatus.DONE and task.resolution == "对账单已重新出具"
    assert await list_open_disputes(w.uow, FINANCE) == []


async def test_another_dealer_never_sees_it() -> None:
    w, clock, _ = await _world()
    await _issue(w, clock)
    other = await w.dealer()
    await w.user(OTHER, Role.DEALER_OWNER, other)
    assert "暂无对账单" in texts(await w.press(OTHER, payload("acct.st.view", "2026-11")))
    assert "未找到 2026-11 对账单" in texts(await w.press(OTHER, payload("acct.st.no", "2026-11")))
    assert all(r.file is None for r in await w.press(OTHER, payload("acct.st.view", "2026-11")))


def _checks(w: ChatWorld, clock: Clock, **policy: object) -> Checks:
    return Checks(lambda: w.uow, FakeOutboxStore(w.uow), clock,
                  CheckSettings(statements=StatementPolicy(**policy)))  # type: ignore[arg-type]


async def test_the_scheduled_check_issues_once_per_dealer_and_month() -> None:
    w, clock, dealer = await _world()
    quiet = await w.dealer()                          # nothing ever happened: no statement
    checks = _checks(w, clock)
    clock.go("2026-12-02 09:20")
    assert await checks.run("statements") == 0 and await w.uow.statements.list() == []
    clock.go("2026-12-03 09:20")
    assert await checks.run("statements") == 1
    rows = len(w.uow.outbox.rows)  # type: ignore[attr-defined]
    assert await checks.run("statements") == 0        # again the same day: nothing twice
    clock.go("2026-12-04 09:20")
    assert await checks.run("statements") == 0
    [statement] = await w.uow.statements.list()
    assert statement.dealer_id == dealer.id and statement.period == "2026-11"
    assert len(w.uow.outbox.rows) == rows  # type: ignore[attr-defined]
    assert not await w.uow.statements.list(dealer_id=quiet.id)
    # the command after the check issues nothing either
    outcome = await issue_statements(lambda: w.uow, FINANCE, IssueStatements(period="2026-11"), clock)
    assert outcome.issued == [] and (dealer.code, "exists") in outcome.skipped
    with pytest.raises(ValidationFailed):
        await issue_statements(lambda: w.uow, FINANCE, IssueStatements(period="2026-12"), clock)


async def test_reminder_before_the_deadline_then_confirmed_by_silence() -> None:
    w, clock, _ = await _world()
    checks = _checks(w, clock, confirm_days=10, remind_days=3)
    assert await checks.run("statements") == 1        # issued on 12-03, due 12-13
    w.forget_pushes()
    clock.go("2026-12-09 09:20")
    assert await checks.run("statements") == 0
    clock.go("2026-12-10 09:20")
    assert await checks.run("statements") == 1        # the reminder
    [reminder] = await w.pushed(OWNER)
    assert "2026-12-13 前确认" in reminder.text and "✅ 确认无误" in buttons([reminder])
    clock.go("2026-12-11 09:20")
    assert await checks.run("statements") == 0        # once
    clock.go("2026-12-13 20:00")
    assert await checks.run("statements") == 0        # the deadline day is still the dealer's
    clock.go("2026-12-14 09:20")
    assert await checks.run("statements") == 1
    [statement] = await w.uow.statements.list()
    assert statement.status == StatementStatus.CONFIRMED and statement.decided_by == "system"
    assert "statement.auto_confirm" in [e.action for e in await w.uow.audit.list()]
    [told] = await w.pushed(OWNER)
    assert "已视为确认" in told.text
    assert "不能确认" in texts(await w.press(OWNER, payload("acct.st.ok", "2026-11")))


async def test_no_reminder_on_the_day_it_is_sent() -> None:
    w, clock, _ = await _world()
    checks = _checks(w, clock, confirm_days=2, remind_days=3)
    assert await checks.run("statements") == 1        # issued only
    [issued] = await w.pushed(OWNER)
    assert "已出具" in issued.text and await w.pushed(OWNER) == []
    clock.go("2026-12-04 09:20")
    assert await checks.run("statements") == 1        # the reminder, the next day
    [reminder] = await w.pushed(OWNER)
    assert "⏰" in reminder.text and "2026-12-05" in reminder.text


async def test_no_confirmation_by_silence_when_switched_off() -> None:
    w, clock, _ = await _world()
    checks = _checks(w, clock, auto_confirm=False)
    await checks.run("statements")
    clock.go("2026-12-30 09:20")
    await checks.run("statements")
    [statement] = await w.uow.statements.list()
    assert statement.status == StatementStatus.ISSUED


def test_disputed_lines_are_found_by_reference_amount_or_date() -> None:
    s = Statement(dealer_id=1, period="2026-11", period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                  opening_balance=ZERO, orders_total=ZERO, payments_total=ZERO, rebates_total=ZERO, closing_balance=ZERO,
                  lines=[{"type": "order", "date": "2026-11-12", "ref": "SO-20261112-0001", "amount": "19990.00"}],
                  accounts=[{"account": "prepayment", "entries": [
                      {"date": "2026-11-08", "ref": "BANK-1108", "amount": "55000.00"},
                      {"date": "2026-11-12", "ref": "SO-20261112-0001", "amount": "-17990.00"},
                      {"date": "2026-11-26", "ref": "FY-1", "amount": "800.00"}]}])
    assert match_lines(s, "SO-20261112-0001 扣多了") == ["2026-11-12 · prepayment · SO-20261112-0001 · ¥-17,990.00",
                                                     "2026-11-12 · order · SO-20261112-0001 · ¥19,990.00"]
    assert match_lines(s, "55,000 那笔不对") == ["2026-11-08 · prepayment · BANK-1108 · ¥55,000.00"]
    assert match_lines(s, "26号的核销") == ["2026-11-26 · prepayment · FY-1 · ¥800.00"]
    assert match_lines(s, "11/8 少记") == ["2026-11-08 · prepayment · BANK-1108 · ¥55,000.00"]
    assert match_lines(s, "the payment of 8 Nov is short") == ["2026-11-08 · prepayment · BANK-1108 · ¥55,000.00"]
    assert match_lines(s, "Nov 26th claim missing") == ["2026-11-26 · prepayment · FY-1 · ¥800.00"]
    assert match_lines(s, "账不对") == []
    assert timedelta(days=StatementPolicy().confirm_days) == timedelta(days=10)


def test_an_entry_kind_without_a_label_still_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kinds added later (refunds, reversals) appear on statements even before they get a label."""
    from core.ledger import ENTRY_LABELS
    from core.statements import compose_statement

    monkeypatch.delitem(ENTRY_LABELS, EntryKind.ADJUSTMENT)
    entry = LedgerEntry(dealer_id=1, account=AccountKind.PREPAYMENT, amount=Decimal("-10.00"), kind=EntryKind.ADJUSTMENT,
                        ref="X-1", created_at=at("2026-11-05 10:00"))
    statement = compose_statement(1, "2026-11", [entry], [], [], SHANGHAI)
    [row] = next(s for s in statement.accounts if s["account"] == "prepayment")["entries"]
    assert (row["label_zh"], row["label_en"], row["balance"]) == ("adjustment", "adjustment", "-10.00")
    assert "adjustment" in statement.lines[0]["label_zh"]
