"""The authorization matrix, written out so that any change to ROLE_PERMISSIONS is a deliberate one,
and cross-dealer access through the dealer, qualification and contract use cases.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from core.authz import can_see_dealer, dealer_scope, require, require_dealer_access
from core.contracts import ContractStatus
from core.dealers import DocumentType, ReviewStatus
from core.errors import NotFound, PermissionDenied
from core.ports import AbstractUnitOfWork
from core.services import contracts as contract_svc
from core.services import dealers as dealer_svc
from core.services import qualifications as qual_svc
from core.users import ROLE_PERMISSIONS, Actor, ActorKind, Permission, Role
from tests.factories import (
    api_key_actor,
    dealer_user,
    fixed_clock,
    make_contract,
    make_document,
    make_prospect,
    staff,
)
from tests.fakes import FakeUnitOfWork

ROLES = (Role.ADMIN, Role.ORDER_DESK, Role.CHANNEL_MANAGER, Role.AFTER_SALES, Role.QUALITY, Role.MARKETING,
         Role.MANAGEMENT, Role.FINANCE, Role.DEALER_OWNER, Role.DEALER_CLERK)

# One row per permission, one column per role in ROLES order. X: granted, .: denied.
MATRIX = {
    #                                adm ord cha aft qua mar man fin own clk
    Permission.DEALER_READ_ALL:       "X   X   X   X   X   X   X   X   .   .",
    Permission.DEALER_WRITE:          "X   .   X   .   .   .   .   .   .   .",
    Permission.DEALER_REVIEW:         "X   .   X   .   .   .   .   .   .   .",
    Permission.PRODUCT_WRITE:         "X   .   .   .   .   .   .   .   .   .",
    Permission.PRICE_WRITE:           "X   .   X   .   .   .   .   .   .   .",
    Permission.PROMOTION_WRITE:       "X   .   X   .   .   X   .   .   .   .",
    Permission.ORDER_READ_ALL:        "X   X   X   X   .   .   X   X   .   .",
    Permission.ORDER_PLACE_OWN:       ".   .   .   .   .   .   .   .   X   X",
    Permission.ORDER_PLACE_ON_BEHALF: "X   X   .   .   .   .   .   .   .   .",
    Permission.ORDER_APPROVE:         "X   X   X   .   .   .   X   .   .   .",
    Permission.ORDER_ALLOCATE:        "X   X   .   .   .   .   .   .   .   .",
    Permission.ORDER_SHIP:            "X   X   .   .   .   .   .   .   .   .",
    Permission.ORDER_CANCEL_ANY:      "X   X   .   .   .   .   .   .   .   .",
    Permission.ORDER_RECEIVE_OWN:     ".   .   .   .   .   .   .   .   X   X",
    Permission.STOCK_READ_ALL:        "X   X   X   .   .   .   X   .   .   .",
    Permission.STOCK_WRITE:           "X   X   .   .   .   .   .   .   .   .",
    Permission.TRANSFER_APPROVE:      "X   .   X   .   .   .   .   .   .   .",
    Permission.DEALER_STOCK_REPORT:   "X   .   .   .   .   .   .   .   X   X",
    Permission.SELLOUT_REPORT:        "X   .   .   .   .   .   .   .   X   X",
    Permission.SELLOUT_READ_ALL:      "X   .   X   .   .   X   X   .   .   .",
    Permission.ACCOUNT_READ_OWN:      "X   .   .   .   .   .   .   .   X   X",
    Permission.ACCOUNT_READ_ALL:      "X   X   X   .   .   .   X   X   .   .",
    Permission.ACCOUNT_POST:          "X   .   .   .   .   .   .   X   .   .",
    Permission.CREDIT_REQUEST:        "X   .   X   .   .   .   .   X   .   .",
    Permission.CREDIT_APPROVE:        "X   .   .   .   .   .   X   X   .   .",
    Permission.STATEMENT_CONFIRM:     ".   .   .   .   .   .   .   .   X   .",
    Permission.CONTRACT_WRITE:        "X   .   X   .   .   .   .   .   .   .",
    Permission.CONTRACT_SIGN:         ".   .   .   .   .   .   .   .   X   .",
    Permission.CAMPAIGN_WRITE:        "X   .   .   .   .   X   .   .   .   .",
    Permission.CAMPAIGN_JOIN:         "X   .   .   .   .   .   .   .   X   X",
    Permission.MATERIAL_REQUEST:      "X   .   .   .   .   .   .   .   X   X",
    Permission.MATERIAL_APPROVE:      "X   .   X   .   .   X   .   .   .   .",
    Permission.TICKET_CREATE:         "X   .   .   .   .   .   .   .   X   X",
    Permission.TICKET_HANDLE:         "X   .   .   X   X   .   .   .   .   .",
    Permission.QUALITY_REPORT:        "X   .   .   .   .   .   .   .   X   X",
    Permission.QUALITY_HANDLE:        "X   .   .   .   X   .   .   .   .   .",
    Permission.USER_MANAGE:           "X   .   .   .   .   .   .   .   .   .",
    Permission.REPORT_READ_ALL:       "X   .   X   .   .   X   X   X   .   .",
    Permission.AUDIT_READ:            "X   .   .   .   .   .   X   .   .   .",
}


def _granted(permission: Permission, role: Role) -> bool:
    flags = MATRIX[permission].split()
    assert len(flags) == len(ROLES) and set(flags) <= {"X", "."}
    return flags[ROLES.index(role)] == "X"


def test_the_matrix_covers_every_role_and_permission() -> None:
    assert set(ROLES) == set(Role) and len(ROLES) == len(Role)
    assert set(MATRIX) == set(Permission)
    assert set(ROLE_PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", list(Permission))
def test_role_permission(role: Role, permission: Permission) -> None:
    kind = ActorKind.STAFF if role.is_staff else ActorKind.DEALER
    actor = Actor(kind=kind, user_id=1, name="u", role=role, dealer_id=None if role.is_staff else 1)
    expected = _granted(permission, role)
    assert (permission in actor.permissions) is expected
    if expected:
        require(actor, permission)
    else:
        with pytest.raises(PermissionDenied):
            require(actor, permission)


def test_system_anonymous_and_api_actors() -> None:
    assert Actor.system().permissions == frozenset(Permission)
    assert Actor.anonymous().permissions == frozenset()
    assert api_key_actor(scopes=("orders:read",)).permissions == frozenset()


def test_dealer_visibility_rules() -> None:
    owner = dealer_user(1)
    assert can_see_dealer(owner, 1) and not can_see_dealer(owner, 2)
    assert can_see_dealer(staff(Role.FINANCE), 2)
    assert can_see_dealer(api_key_actor(), 2) and not can_see_dealer(api_key_actor(dealer_id=1), 2)
    assert not can_see_dealer(Actor.anonymous(), 1)
    assert can_see_dealer(Actor.system(), 99)
    assert dealer_scope(owner) == 1 and dealer_scope(staff(Role.QUALITY)) is None
    assert dealer_scope(api_key_actor(dealer_id=3)) == 3 and dealer_scope(Actor.system()) is None
    with pytest.raises(PermissionDenied):
        dealer_scope(Actor.anonymous())
    with pytest.raises(PermissionDenied):
        dealer_scope(Actor(kind=ActorKind.DEALER, role=Role.DEALER_OWNER))    # a dealer user without a dealer
    with pytest.raises(NotFound):
        require_dealer_access(owner, 2, "经销商")


# --- cross-dealer access through the use cases ----------------------------------------------------------

CLOCK = fixed_clock("2026-11-26 10:00")
UseCase = Callable[[AbstractUnitOfWork, Actor, dict[str, int]], Awaitable[object]]

CROSS_DEALER_CALLS: dict[str, UseCase] = {
    "get_dealer": lambda uow, a, ids: dealer_svc.get_dealer(uow, a, ids["dealer"]),
    "update_dealer": lambda uow, a, ids: dealer_svc.update_dealer(
        uow, a, dealer_svc.UpdateDealer(ids["dealer"], city="杭州"), CLOCK),
    "submit_for_review": lambda uow, a, ids: dealer_svc.submit_for_review(
        uow, a, dealer_svc.SubmitForReview(ids["dealer"]), CLOCK),
    "suspend": lambda uow, a, ids: dealer_svc.suspend(uow, a, dealer_svc.SuspendDealer(ids["dealer"], "x"), CLOCK),
    "upload_qualification": lambda uow, a, ids: qual_svc.upload_qualification(uow, a, qual_svc.UploadQualification(
        ids["dealer"], DocumentType.AUTHORIZATION, "N1", date(2026, 1, 1), date(2028, 1, 1)), CLOCK),
    "renew_qualification": lambda uow, a, ids: qual_svc.renew_qualification(uow, a, qual_svc.RenewQualification(
        ids["document"], "N2", date(2026, 1, 1), date(2028, 1, 1)), CLOCK),
    "approve_qualification": lambda uow, a, ids: qual_svc.approve_qualification(
        uow, a, qual_svc.ApproveQualification(ids["pending"]), CLOCK),
    "list_qualifications": lambda uow, a, ids: qual_svc.list_qualifications(uow, a, ids["dealer"]),
    "dealer_checklist": lambda uow, a, ids: qual_svc.dealer_checklist(uow, a, ids["dealer"], date(2026, 11, 26)),
    "get_contract": lambda uow, a, ids: contract_svc.get_contract(uow, a, ids["contract"]),
    "contract_text": lambda uow, a, ids: contract_svc.contract_text(uow, a, ids["contract"]),
    "sign_contract": lambda uow, a, ids: contract_svc.sign_contract(
        uow, a, contract_svc.SignContract(ids["contract"]), CLOCK),
    "contract_execution": lambda uow, a, ids: contract_svc.contract_execution(uow, a, ids["contract"], CLOCK),
    "list_contracts": lambda uow, a, ids: contract_svc.list_contracts(uow, a, dealer_id=ids["dealer"]),
}


async def _victim(uow: FakeUnitOfWork) -> dict[str, int]:
    """Dealer A ("victim") with a document, a pending document and a sent contract; dealer B next to it."""
    victim = make_prospect(name="机密客户有限公司")
    await uow.dealers.add(victim)
    await uow.dealers.add(make_prospect())
    doc = make_document(victim.id or 0)
    pending = make_document(victim.id or 0, DocumentType.BUSINESS_LICENSE, ReviewStatus.PENDING)
    contract = make_contract(victim.id or 0, status=ContractStatus.SENT)
    for row in (doc, pending):
        await uow.qualifications.add(row)
    await uow.contracts.add(contract)
    await uow.commit()
    return {"dealer": victim.id or 0, "document": doc.id or 0, "pending": pending.id or 0,
            "contract": contract.id or 0}


@pytest.mark.parametrize("role", [Role.DEALER_OWNER, Role.DEALER_CLERK])
@pytest.mark.parametrize("name", sorted(CROSS_DEALER_CALLS))
async def test_another_dealers_user_gets_not_found_and_changes_nothing(name: str, role: Role) -> None:
    uow = FakeUnitOfWork()
    ids = await _victim(uow)
    intruder = dealer_user(ids["dealer"] + 1, role, "spy")
    audit_before, commits_before = len(uow.audit.rows), uow.commits
    with pytest.raises(NotFound) as exc:
        await CROSS_DEALER_CALLS[name](uow, intruder, ids)
    assert "机密客户" not in exc.value.message("zh") and "机密客户" not in exc.value.message("en")
    assert (len(uow.audit.rows), uow.commits) == (audit_before, commits_before)
    victim = await uow.dealers.get(ids["dealer"])
    assert victim is not None and victim.city != "杭州" and victim.status == make_prospect().status


async def test_a_dealer_bound_api_key_sees_only_its_dealer() -> None:
    uow = FakeUnitOfWork()
    ids = await _victim(uow)
    key = api_key_actor(scopes=("dealers:read",), dealer_id=ids["dealer"] + 1)
    with pytest.raises(NotFound):
        await dealer_svc.get_dealer(uow, key, ids["dealer"])
    assert [d.id for d in await dealer_svc.list_dealers(uow, key)] == [ids["dealer"] + 1]
