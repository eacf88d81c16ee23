"""Authorization matrix of the chat: every registered button action x every kind of actor.

Each action belongs to one class in ``MATRIX``; a new action without an entry fails
``test_every_button_action_is_in_the_matrix``. Each (action, actor) cell presses the button with
arguments naming dealer 1's objects: denied actors change nothing and never see dealer 1's name or
order numbers; allowed actors get an answer that is not a refusal.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from core.accounts import AccountKind, FinanceRequest, FinanceRequestKind, Statement, StatementStatus
from core.campaigns import MarketingMaterial
from core.credit import CreditChange, CreditChangeKind
from core.dealers import Contact, Dealer
from core.errors import PermissionDenied
from core.inventory import DealerStock, ThresholdScope
from core.money import ZERO
from core.orders import Order
from core.rebates import RebateSettlement
from core.services.aftersales import (
    CreateTicket,
    accept_ticket,
    create_ticket,
    resolve_ticket,
    start_ticket,
)
from core.services.materials import RequestMaterial, request_material
from core.services.quality import SubmitQualityFeedback, submit_quality_feedback
from core.services.transfers import (
    CreateTransfer,
    TransferCommand,
    approve_transfer,
    create_transfer,
    ship_transfer,
)
from core.users import ROLE_PERMISSIONS, Permission, Role
from tests.chat import ChatWorld, texts
from tests.factories import staff as staff_actor

P = Permission
STAFF_ROLES = [r for r in Role if r.is_staff]
UNBOUND, OWNER, CLERK, OTHER = "unbound", "owner", "clerk", "other_owner"
ACTORS = [UNBOUND, OWNER, CLERK, OTHER, *(r.value for r in STAFF_ROLES)]
DEALERS = {OWNER, CLERK}
SNAPSHOT = ("orders", "tickets", "quality", "material_requests", "qualifications", "dealers", "contracts",
            "statements", "outbox", "participations", "expense_claims", "credit_changes", "rebate_settlements",
            "ledger", "transfers", "stock_sharing", "stock", "dealer_stock")
REFUSAL = PermissionDenied.zh
# dealer 1's contact and its ticket's end customer: only an allowed "Show full number" may answer with them
FULL_NUMBERS = ("13912345678", "13800138000")
REVEALS = {"privacy.reveal.ticket", "privacy.reveal.contact"}
WH, DL = ThresholdScope.WAREHOUSE, ThresholdScope.DEALER


@dataclass(frozen=True)
class Rule:
    """Who may press an action: ``everyone``, dealer 1's users (``owner_only`` narrows to its owner),
    or staff holding ``perm``. ``args`` name dealer 1's objects ({order}, {ticket}, {qual}, {mat}, {dealer} (id),
    {code} (dealer code), {qf} (a quality report), {resolved} (a resolved ticket))."""
    kind: str                      # public | dealer | staff
    args: tuple[str, ...] = ()
    perm: Permission | None = None
    owner_only: bool = False
    also: Permission | None = None   # staff holding this permission may press a dealer action too (or, on a
                                     # staff action, the other permission that allows it)
    both: Permission | None = None   # on a staff action: a second permission needed as well as ``perm``

    def allowed(self, actor: str) -> bool:
        if self.kind == "public":
            return True
        if self.kind == "bound":
            return actor != UNBOUND
        if self.kind == "dealer":     # staff holding ``also`` (or ``perm``, when set) may press it too
            staff_ok = actor not in (UNBOUND, OWNER, CLERK, OTHER) \
                and bool({self.also, self.perm} - {None} & ROLE_PERMISSIONS[Role(actor)])
            return actor == OWNER or (actor == CLERK and not self.owner_only) or staff_ok
        if self.both is not None and actor not in (UNBOUND, OWNER, CLERK, OTHER) \
                and self.both not in ROLE_PERMISSIONS[Role(actor)]:
            return False
        return actor not in (UNBOUND, OWNER, CLERK, OTHER) and (
            self.perm in ROLE_PERMISSIONS[Role(actor)]
            or (self.also is not None and self.also in ROLE_PERMISSIONS[Role(actor)]))


def public(*names: str) -> dict[str, Rule]:
    return {n: Rule("public") for n in names}


def dealer(*names: str, args: tuple[str, ...] = (), owner_only: bool = False) -> dict[str, Rule]:
    return {n: Rule("dealer", args, owner_only=owner_only) for n in names}


def staff(perm: Permission, *names: str, args: tuple[str, ...] = ()) -> dict[str, Rule]:
    return {n: Rule("staff", args, perm) for n in names}


MATRIX: dict[str, Rule] = {
    # public: navigation, language, FAQ, settings, privacy of oneself, dialog exits
    **public("menu", "lang.toggle", "faq.menu", "faq.q", "faq.ans", "faq.ans_stop", "faq.ans_send", "faq.fwd", "faq.save",
             "settings.menu", "settings.channel", "settings.mute", "settings.unmute", "privacy.menu",
             "privacy.erase", "privacy.erase_yes", "clarify.yes", "clarify.no",
             "acct.cancel", "apply.cancel", "as.cancel", "camp.cancel", "ctr.cancel", "qf.cancel", "so.cancel",
             "order.cancel", "staff.abort", "apply.new", "apply.ok", "apply.done", "apply.skip", "stmt.cancel",
             "cr.cancel", "crd.cancel", "fin.rb.cancel", "fin.bk.cancel", "pay.cancel", "notice.cancel", "as.offer_no", "draft.go", "draft.drop"),
    # dealer-own actions on dealer 1's objects
    **dealer("orders.detail", "orders.cancel", "orders.change", "orders.recv_ok", "orders.recv_issue", "order.reorder",
             "as.new", args=("{order}",)),
    "privacy.export": Rule("bound"),
    "orders.cancel_ok": Rule("dealer", ("{order}", "{version}"), also=P.ORDER_CANCEL_ANY),
    **dealer("orders.recv", args=("{order}", "d")),
    **dealer("orders.claim", args=("{order}",)),
    **dealer("as.view", "as.cmt", args=("{ticket}",)),
    # a quality report: its dealer's users, and the quality department
    "qf.view": Rule("dealer", ("{qf}",), also=P.QUALITY_HANDLE),
    **dealer("as.rate", args=("{ticket}", "5")),
    **dealer("as.reopen", args=("{resolved}",)),      # a resolved ticket: another dealer's is refused
    **dealer("as.solved", args=("{resolved}",)),      # 已解决 closes it: its own dealer's users only
    **dealer("orders.list", "as.list", "as.done", "as.reopen_keep", "as.fresh", "as.keep", "as.ok", "as.offer", "as.pcat", "as.prio", "as.skip",
             "as.sku", "order.new", "order.browse", "order.add", "order.cat", "order.clear", "order.confirm",
             "order.date", "order.datetype", "order.dec", "order.edit", "order.inc", "order.pick",
             "order.prefill", "order.qty", "order.rm", "order.set", "order.swap", "order.to", "also.go", "order.view", "acct.menu", "acct.balance",
             "acct.contract", "acct.docs", "acct.stmt", "apply.docs", "apply.doc.code", "apply.doc.done",
             "apply.doc.ok", "apply.doc.skip", "apply.renew", "apply.up", "camp.list", "camp.view",
             "camp.join", "camp.eff", "camp.mat", "camp.mat.ok", "camp.mat.pick", "camp.mat.skip", "camp.rep",
             "camp.rep.done", "camp.rep.ok", "ctr.list", "ctr.pdf", "ctr.copy", "ctr.mon", "ctr.rebate",
             "ctr.claim", "ctr.claims", "ctr.cl.c", "ctr.cl.done", "ctr.cl.ok", "qf.new", "qf.said", "qf.cat", "qf.done",
             "qf.keep", "qf.ok", "qf.pcat", "qf.skip", "qf.sku", "so.new", "so.ok", "so.tpl", "so.dup", "so.pick", "so.drop",
             "stock.menu",
             "stock.own", "stock.count", "stock.count_ok", "stock.count_sku", "stock.products", "stock.sku",
             "stock.all", "rpt.menu", "rpt", "rpt.rep", "rpt.x", "price.list", "fu.list", "acct.profile",
             "acct.payments", "crd.new"),
    **dealer("crd.submit", args=("n0nce",)),                 # a dealer's own credit-increase request
    **dealer("ctr.sign", "acct.st.ok", "acct.st.no", owner_only=True),
    **dealer("acct.st.view", args=("{period}",)),
    # every dealer's stock and days of cover (handlers.flows.dealer_stock): channel managers and management
    "dstock": Rule("staff", ("华东", "AP300"), P.STOCK_READ_ALL, both=P.SELLOUT_READ_ALL),
    # reminding the dealers that have not reported sell-out (handlers.flows.sellout_chase)
    "sc.remind": Rule("staff", ("month", ""), P.SELLOUT_READ_ALL, also=P.REPORT_READ_ALL),
    # a dealer's own stock alerts (handlers.flows.thresholds) and their one-tap restock cart
    **dealer("order.restock", "thr.list"),
    **dealer("thr.ok", "thr.rm_ok", args=("n0nce",)),
    **dealer("thr.rm", "thr.pick", args=("F300",)),
    **staff(P.STOCK_WRITE, "thr.move", args=("1", "2", "AP300", "5")),   # a low warehouse alert's transfer
    **public("thr.cancel"),
    # finance answers a disputed statement of dealer 1
    **staff(P.ACCOUNT_POST, "stmt.disputes"),
    **staff(P.ACCOUNT_POST, "stmt.acc", "stmt.exp", "stmt.view", args=("{stmt}",)),
    **staff(P.ACCOUNT_POST, "stmt.acct", args=("{stmt}", "prepayment")),
    # staff approvals by permission, on dealer 1's objects
    **staff(P.ORDER_APPROVE, "staff.order.approve", "staff.order.reject", args=("{order}",)),
    **staff(P.ORDER_READ_ALL, "staff.order.detail", args=("{order}",)),
    **staff(P.ORDER_ALLOCATE, "staff.alloc", args=("{order}",)),
    **staff(P.ORDER_ALLOCATE, "staff.alloc.wh", args=("{order}", "1")),
    **staff(P.ORDER_SHIP, "staff.ship", args=("{order}",)),
    **staff(P.ORDER_SHIP, "staff.ship.carrier", args=("{order}", "0")),
    **staff(P.ORDER_ALLOCATE, "staff.orders"),    # allocate or ship (same roles today)
    "staff.approvals": Rule("staff", perm=P.DEALER_REVIEW, also=P.ACCOUNT_POST),    # finance: rebates, claims
    **staff(P.ORDER_READ_ALL, "staff.today"),
    **staff(P.REPORT_READ_ALL, "rpt.fc"),
    **staff(P.ORDER_PLACE_ON_BEHALF, "staff.onbehalf", "order.dealer", args=("{dealer}",)),
    **staff(P.DEALER_REVIEW, "staff.dealer.approve", "staff.dealer.reject", "staff.dealer.detail",
            args=("{dealer}",)),
    **staff(P.DEALER_REVIEW, "staff.qual.approve", "staff.qual.reject", "staff.qual.detail", args=("{qual}",)),
    **staff(P.MATERIAL_APPROVE, "staff.mat.approve", "staff.mat.reject", "staff.mat.detail",
            "staff.mat.dispatch", "staff.mat.dispatch_ok", args=("{mat}",)),
    **staff(P.MATERIAL_APPROVE, "staff.mat.reject_ok", args=("n0nce",)),
    **staff(P.TICKET_HANDLE, "staff.ticket.accept", "staff.ticket.close", "staff.ticket.comment",
            "staff.ticket.detail", "staff.ticket.info", "staff.ticket.reject", "staff.ticket.resolve",
            "staff.ticket.start", args=("{ticket}",)),
    **staff(P.TICKET_HANDLE, "staff.tickets", "staff.ticket.stats"),
    **staff(P.CAMPAIGN_WRITE, "camp.staff", "camp.rv", args=("1", "{dealer}", "1")),
    **staff(P.CAMPAIGN_WRITE, "camp.launch", "camp.launch.ok", args=("1",)),
    # a campaign set up in chat (handlers.flows.campaign_new): the form's submit and skip; its cancel is public
    **staff(P.CAMPAIGN_WRITE, "cnew.ok", args=("n0nce",)),
    **staff(P.CAMPAIGN_WRITE, "cnew.skip"),
    **public("cnew.cancel"),
    "camp.who": Rule("staff", ("1",), P.CAMPAIGN_WRITE, also=P.REPORT_READ_ALL),     # who is in campaign 1
    "camp.nj": Rule("staff", ("1",), P.CAMPAIGN_WRITE, also=P.REPORT_READ_ALL),      # who is not in it yet
    **staff(P.CAMPAIGN_WRITE, "camp.remind", args=("1",)),                           # remind them to join
    **staff(P.CONTRACT_WRITE, "ctr.cl.yes", "ctr.cl.no", args=("1", "p")),
    **staff(P.CONTRACT_WRITE, "ctr.renew", args=("1",)),        # the renewal check's "起草续签" button
    **staff(P.USER_MANAGE, "privacy.approve", args=("1",)),
    # credit requests of dealer 1 (asked by a channel manager who is none of the actors)
    "cr.list": Rule("staff", perm=P.CREDIT_APPROVE, also=P.CREDIT_REQUEST),   # requesters see what waits
    **staff(P.CREDIT_APPROVE, "cr.ok", "cr.no", "cr.amt", args=("{credit}",)),
    **staff(P.CREDIT_APPROVE, "cr.yes", args=("{credit}", "0")),
    **staff(P.CREDIT_REQUEST, "cr.new"),
    # finance's rebate settlements of dealer 1 (/rebates_due)
    **staff(P.ACCOUNT_POST, "fin.rb.list", args=("0",)),
    **staff(P.ACCOUNT_POST, "fin.bk.list", args=("0",)),
    **staff(P.ACCOUNT_POST, "fin.bk.as", "fin.bk.ig", args=("1",)),
    **staff(P.ACCOUNT_POST, "fin.rb.ok", "fin.rb.no", args=("{rebate}",)),
    **staff(P.CREDIT_REQUEST, "cr.kind", args=("limit",)),
    **staff(P.CREDIT_REQUEST, "cr.submit", args=("n0nce",)),
    # finance's payment form, dealer 1's ledger and reversals, refunds/adjustments waiting (handlers.flows.payments)
    **staff(P.ACCOUNT_POST, "pay.new", "pay.skip"),
    **staff(P.ACCOUNT_POST, "pay.pick", "pay.dealer", args=("{dealer}",)),
    **staff(P.ACCOUNT_POST, "pay.acct", args=("prepayment",)),
    **staff(P.ACCOUNT_POST, "pay.method", args=("cash",)),
    **staff(P.ACCOUNT_POST, "pay.day", args=("0",)),
    **staff(P.ACCOUNT_POST, "pay.ok", args=("n0nce",)),
    "notice.ok": Rule("staff", ("n0nce",), P.CAMPAIGN_WRITE, also=P.DEALER_WRITE),     # send a notice shown
    **staff(P.ACCOUNT_READ_ALL, "pay.ledger", args=("{dealer}", "0")),   # reading; 冲销 only for ACCOUNT_POST
    **staff(P.ACCOUNT_POST, "pay.rev", args=("{entry}",)),
    **staff(P.ACCOUNT_POST, "adj.new", args=("{dealer}",)),
    **staff(P.ACCOUNT_POST, "adj.kind", args=("refund",)),
    **staff(P.ACCOUNT_POST, "adj.acct", args=("prepayment",)),
    **staff(P.ACCOUNT_POST, "fin.fr.list", args=("0",)),
    **staff(P.ACCOUNT_POST, "fin.fr.ok", "fin.fr.no", args=("{fr}",)),
    # every role's queues (handlers.flows.staff_queues), a page with a dealer / status filter
    **staff(P.ORDER_APPROVE, "q.approve", args=("0",)),
    **staff(P.ORDER_ALLOCATE, "q.allocate", args=("0", "{dealer}", "approved")),
    **staff(P.ORDER_SHIP, "q.ship", args=("0",)),
    **staff(P.TICKET_HANDLE, "q.tickets", args=("0", "{dealer}", "late")),
    **staff(P.DEALER_READ_ALL, "staff.glance", args=("{dealer}",)),
    "photo.as": Rule("dealer", (), also=None), "photo.qf": Rule("dealer", (), also=None), **public("photo.no"),
    **staff(P.QUALITY_HANDLE, "q.quality", args=("0", "0", "new")),
    **staff(P.DEALER_REVIEW, "q.applications", "q.documents", args=("0",)),
    "q.questions": Rule("staff", ("0",), P.DEALER_WRITE, also=P.ORDER_APPROVE),
    **staff(P.MATERIAL_APPROVE, "q.materials", args=("0", "{dealer}")),
    **staff(P.CAMPAIGN_WRITE, "q.reports", args=("0",)),
    "q.claims": Rule("staff", ("0",), P.CAMPAIGN_WRITE, also=P.ACCOUNT_POST),
    # staff words (handlers.flows.staff_words): the cards and confirms they lead to
    **staff(P.QUALITY_HANDLE, "staff.qf.detail", args=("{qf}",)),
    **staff(P.QUALITY_HANDLE, "staff.qf.set", args=("{qf}", "investigating")),
    **staff(P.QUALITY_HANDLE, "staff.qf.keep", args=("{qf}",)),
    "staff.claim": Rule("staff", ("FY-20261126-0001",), P.CAMPAIGN_WRITE, also=P.ACCOUNT_POST),
    **staff(P.ORDER_SHIP, "staff.shipw", args=("n0nce",)),
    **staff(P.ORDER_APPROVE, "staff.rejw", args=("n0nce",)),
    **staff(P.TICKET_HANDLE, "staff.rejtw", args=("n0nce",)),
    **staff(P.CREDIT_REQUEST, "cr.dealer", args=("{dealer}",)),
    **staff(P.TICKET_HANDLE, "staff.ticket.note", args=("n0nce",)),
    **staff(P.TICKET_HANDLE, "staff.ticket.use_said", args=("{ticket}",)),
    **staff(P.TICKET_HANDLE, "staff.tnew", args=("{dealer}",)),
    **staff(P.TICKET_HANDLE, "staff.tnew.ok", args=("n0nce",)),
    # the audited "Show full number": a ticket's customer for its dealer's users and after-sales; an
    # applicant's / dealer's contact phones for reviewers
    "privacy.reveal.ticket": Rule("dealer", ("{ticket}",), also=P.TICKET_HANDLE),
    # transfers of dealer 1 (handlers.flows.transfers): {tr_req} its return to the maker waiting for the channel
    # manager, {tr_appr} the same approved (dealer 1 ships), {tr_ship} a warehouse's transfer to it on the road
    "tr.list": Rule("dealer", also=P.STOCK_READ_ALL),
    "tr.view": Rule("dealer", ("{tr_req}",), also=P.STOCK_READ_ALL),
    **staff(P.TRANSFER_APPROVE, "tr.ok", "tr.no", args=("{tr_req}",)),
    "tr.cancel": Rule("dealer", ("{tr_req}",), P.TRANSFER_APPROVE, also=P.STOCK_WRITE),
    "tr.ship": Rule("dealer", ("{tr_appr}",), also=P.STOCK_WRITE),
    "tr.recv": Rule("dealer", ("{tr_ship}",), also=P.STOCK_WRITE),
    **dealer("tr.req", args=("{dealer}", "AP300")),        # dealer 1 shares nothing: "expired" for everyone
    **dealer("tr.ret", args=("AP300", "1")),
    "tr.go": Rule("bound", ("n0nce",)),
    **public("tr.drop"),
    **dealer("sh.menu"),
    **dealer("sh.set", args=("region",)),
    **dealer("sh.ok", args=("n0nce",)),
    **staff(P.DEALER_REVIEW, "privacy.reveal.contact", args=("{code}",)),
    # a parent dealer and its sub-dealers (handlers.flows.subdealers): the ids name dealer 1, which is nobody's
    # sub-dealer here, so every dealer gets "stale" and nothing of it; parent -> sub, sub -> parent and siblings
    # are in test_authz_matrix_chat_hierarchy
    **dealer("sub.list"),
    **dealer("sub.orders", "sub.stock", "sub.sales", "sub.order", args=("{dealer}",)),
    **dealer("sub.order.ok", "sub.order.no", args=("{order}", "{version}")),
    # suspending / reinstating a dealer in chat (handlers.flows.standing): who may call set_standing
    **staff(P.DEALER_REVIEW, "standing.pick", args=("{dealer}", "s")),
    **staff(P.DEALER_REVIEW, "standing.ok", args=("n0nce",)),
    **public("standing.no"),
}

# cells that show a real authorization defect: (action, actor) -> reason. Strict xfail: fixing the bug
# makes the cell pass and the xfail fail, so the entry must then be removed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


@dataclass
class Scene:
    w: ChatWorld
    dealer: Dealer
    order: Order
    args: dict[str, str]
    chats: dict[str, str]


_TEMPLATE: list[Scene] = []


async def scene() -> Scene:
    """The seeded world, built once and deep-copied per cell (keeps 2,000 cells fast)."""
    if not _TEMPLATE:
        _TEMPLATE.append(await _seed())
    t = _TEMPLATE[0]
    return Scene(ChatWorld(uow=copy.deepcopy(t.w.uow)), t.dealer, t.order, t.args, t.chats)


async def _seed() -> Scene:
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="上海华信电器有限公司", contacts=[Contact(name="陈明", phone="13912345678", role="老板")])
    d2 = await w.dealer(name="南京宏达商贸有限公司")
    chats = {UNBOUND: "900"}
    owner = await w.user("101", Role.DEALER_OWNER, d1)
    await w.user("102", Role.DEALER_CLERK, d1)
    await w.user("201", Role.DEALER_OWNER, d2)
    chats |= {OWNER: "101", CLERK: "102", OTHER: "201"}
    for i, role in enumerate(STAFF_ROLES):
        await w.user(str(300 + i), role, username=f"s{i}")
        chats[role.value] = str(300 + i)
    await w.prepay(d1)
    order = await w.order(d1, [("AP300", 2)], to="submitted")
    actor = owner.to_actor()
    ticket = await create_ticket(w.uow, actor, CreateTicket(d1.id, "除湿机不出水", customer_name="王建国",  # type: ignore[arg-type]
                                                            customer_phone="13800138000"), w.clock)
    resolved = await create_ticket(w.uow, actor, CreateTicket(d1.id, "净化器异响"), w.clock)  # type: ignore[arg-type]
    fixer = staff_actor(Role.AFTER_SALES, "seed.as")
    for step in (accept_ticket, start_ticket):
        await step(w.uow, fixer, resolved.number, w.clock)
    await resolve_ticket(w.uow, fixer, resolved.number, "更换风扇", w.clock)
    report = await submit_quality_feedback(w.uow, actor, SubmitQualityFeedback(
        dealer_id=d1.id, sku="F300", defect_category="其他", count=3, description="滤网有异味"), w.clock)  # type: ignore[arg-type]
    material = await w.uow.materials.add(MarketingMaterial(code="POS-01", name="门店海报", stock=50))
    await w.uow.commit()
    mat = await request_material(w.uow, actor, RequestMaterial(material.id, 10, "新店开业"), w.clock)  # type: ignore[arg-type]
    qual = next(q for q in w.uow.qualifications.rows if q.dealer_id == d1.id)
    statement = await w.uow.statements.add(Statement(
        dealer_id=d1.id, period="2026-10", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),  # type: ignore[arg-type]
        opening_balance=ZERO, orders_total=ZERO, payments_total=ZERO, rebates_total=ZERO, closing_balance=ZERO,
        status=StatementStatus.DISPUTED, dispute_reason="10月8日收款不对"))
    credit = await w.uow.credit_changes.add(CreditChange(
        number="CR-20261126-0001", dealer_id=d1.id, kind=CreditChangeKind.LIMIT, amount=Decimal("300000.00"),  # type: ignore[arg-type]
        reason="旺季备货", requested_by="staff:seed.cm"))
    rebate = await w.uow.rebate_settlements.add(RebateSettlement(
        contract_id=1, contract_number="HT-2026-0001", dealer_id=d1.id, period="2026-Q3",  # type: ignore[arg-type]
        period_end=date(2026, 9, 30), achieved_amount=Decimal("50000.00"), achievement=Decimal("1.0000"),
        rate=Decimal("0.0200"), amount=Decimal("1000.00"), accrued_amount=Decimal("1000.00"), target_key="2026-Q3"))
    fr = await w.uow.finance_requests.add(FinanceRequest(
        number="FR-20261126-0001", dealer_id=d1.id, account=AccountKind.PREPAYMENT, amount=Decimal("-100.00"),  # type: ignore[arg-type]
        kind=FinanceRequestKind.REFUND, reason="多付退回", requested_by="staff:seed.fin"))
    entry = next(e for e in w.uow.ledger.rows if e.dealer_id == d1.id)
    await w.uow.dealer_stock.add(DealerStock(dealer_id=d1.id, sku="AP300", qty=10))  # type: ignore[arg-type]
    await w.uow.commit()
    desk, liu = staff_actor(Role.ORDER_DESK, "seed.desk"), staff_actor(Role.CHANNEL_MANAGER, "seed.cm")
    back = CreateTransfer(DL, d1.id, WH, 1, [("AP300", 2)])  # type: ignore[arg-type]
    tr_req = await create_transfer(w.uow, actor, back, w.clock)
    tr_appr = await create_transfer(w.uow, actor, back, w.clock)
    await approve_transfer(w.uow, liu, TransferCommand(tr_appr.number), w.clock)
    tr_ship = await create_transfer(w.uow, desk, CreateTransfer(WH, 1, DL, d1.id, [("AP300", 1)]), w.clock)  # type: ignore[arg-type]
    await ship_transfer(w.uow, desk, TransferCommand(tr_ship.number), w.clock)
    args = {"order": order.number, "version": str(order.version), "ticket": ticket.number, "resolved": resolved.number, "qf": report.number,
            "mat": str(mat.id), "qual": str(qual.id), "dealer": str(d1.id), "code": d1.code,
            "stmt": str(statement.id), "period": statement.period, "credit": str(credit.id),
            "rebate": str(rebate.id), "fr": str(fr.id), "entry": str(entry.id),
            "tr_req": tr_req.number, "tr_appr": tr_appr.number, "tr_ship": tr_ship.number}
    return Scene(w, d1, order, args, chats)


def snapshot(w: ChatWorld) -> dict[str, str]:
    return {name: repr(getattr(w.uow, name).rows) for name in SNAPSHOT}


def cells() -> list[object]:
    out = []
    for action, rule in sorted(MATRIX.items()):
        for actor in ACTORS:
            bug = KNOWN_BUGS.get((action, actor))
            marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
            out.append(pytest.param(action, actor, rule.allowed(actor), id=f"{action}-{actor}", marks=marks))
    return out


def test_every_button_action_is_in_the_matrix() -> None:
    registered = set(ChatWorld().service.router.buttons)
    assert sorted(registered - set(MATRIX)) == [], "new button actions need a row in MATRIX"
    assert sorted(set(MATRIX) - registered) == [], "MATRIX names actions that no longer exist"


def test_every_actor_kind_is_covered() -> None:
    assert {r.value for r in STAFF_ROLES} == {"order_desk", "channel_manager", "after_sales", "quality",
                                              "marketing", "management", "finance", "admin"}
    allowed = {a for rule in MATRIX.values() for a in ACTORS if rule.allowed(a)}
    assert {OWNER, CLERK, "admin", "order_desk", "marketing"} <= allowed


@pytest.mark.parametrize(("action", "actor", "allowed"), cells())
async def test_cell(action: str, actor: str, allowed: bool) -> None:
    s = await scene()
    rule = MATRIX[action]
    data = "|".join(["1", action, *(a.format(**s.args) for a in rule.args)])
    before = snapshot(s.w)
    replies = await s.w.press(s.chats[actor], data)
    said = texts(replies)
    if not (allowed and action in REVEALS):
        assert not [n for n in FULL_NUMBERS if n in said], (action, actor, said)
    if allowed:
        assert replies and said.strip(), (action, actor)
        assert REFUSAL not in said, (action, actor, said)
        if action in REVEALS:
            assert any(n in said for n in FULL_NUMBERS), (action, actor, said)
        return
    if rule.kind != "public":
        assert snapshot(s.w) == before, (action, actor, said)
    if actor in (UNBOUND, OTHER):
        # the reply may repeat the number the user sent, never anything else of dealer 1
        secrets = [s.dealer.name, s.dealer.code] + ([] if s.order.number in data else [s.order.number])
        for secret in secrets:
            assert secret not in said, (action, actor, secret, said)
