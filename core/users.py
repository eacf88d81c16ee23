"""Users, roles, permissions, chat identities, invites, API keys, and the Actor value object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    # manufacturer staff
    ADMIN = "admin"
    ORDER_DESK = "order_desk"
    CHANNEL_MANAGER = "channel_manager"
    AFTER_SALES = "after_sales"
    QUALITY = "quality"
    MARKETING = "marketing"
    MANAGEMENT = "management"
    FINANCE = "finance"
    # dealer side
    DEALER_OWNER = "dealer_owner"
    DEALER_CLERK = "dealer_clerk"

    @property
    def is_staff(self) -> bool:
        return self not in (Role.DEALER_OWNER, Role.DEALER_CLERK)


class Permission(StrEnum):
    DEALER_READ_ALL = "dealer.read_all"
    DEALER_WRITE = "dealer.write"
    DEALER_REVIEW = "dealer.review"            # onboarding, qualification review, status changes
    PRODUCT_WRITE = "product.write"
    PRICE_WRITE = "price.write"
    PROMOTION_WRITE = "promotion.write"
    ORDER_READ_ALL = "order.read_all"
    ORDER_PLACE_OWN = "order.place_own"        # a dealer user orders for its own dealer
    ORDER_PLACE_ON_BEHALF = "order.place_on_behalf"  # 代客下单
    ORDER_APPROVE = "order.approve"
    ORDER_ALLOCATE = "order.allocate"
    ORDER_SHIP = "order.ship"
    ORDER_CANCEL_ANY = "order.cancel_any"
    ORDER_RECEIVE_OWN = "order.receive_own"
    STOCK_READ_ALL = "stock.read_all"
    STOCK_WRITE = "stock.write"
    TRANSFER_APPROVE = "transfer.approve"      # the maker's approval of dealer transfers and returns (调拨)
    DEALER_STOCK_REPORT = "dealer_stock.report"
    SELLOUT_REPORT = "sellout.report"
    SELLOUT_READ_ALL = "sellout.read_all"
    ACCOUNT_READ_OWN = "account.read_own"
    ACCOUNT_READ_ALL = "account.read_all"
    ACCOUNT_POST = "account.post"              # post ledger entries (finance)
    CREDIT_REQUEST = "credit.request"          # ask for a credit limit change / temporary credit
    CREDIT_APPROVE = "credit.approve"          # decide someone else's credit request (core.services.credit)
    STATEMENT_CONFIRM = "statement.confirm"
    CONTRACT_WRITE = "contract.write"
    CONTRACT_SIGN = "contract.sign"
    CAMPAIGN_WRITE = "campaign.write"
    CAMPAIGN_JOIN = "campaign.join"
    MATERIAL_REQUEST = "material.request"
    MATERIAL_APPROVE = "material.approve"
    TICKET_CREATE = "ticket.create"
    TICKET_HANDLE = "ticket.handle"
    QUALITY_REPORT = "quality.report"
    QUALITY_HANDLE = "quality.handle"
    USER_MANAGE = "user.manage"
    REPORT_READ_ALL = "report.read_all"
    AUDIT_READ = "audit.read"


P = Permission
_DEALER_COMMON = {
    P.ORDER_PLACE_OWN, P.ORDER_RECEIVE_OWN, P.DEALER_STOCK_REPORT, P.SELLOUT_REPORT,
    P.TICKET_CREATE, P.QUALITY_REPORT, P.CAMPAIGN_JOIN, P.MATERIAL_REQUEST, P.ACCOUNT_READ_OWN,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission) - {P.ORDER_PLACE_OWN, P.ORDER_RECEIVE_OWN, P.CONTRACT_SIGN,
                                         P.STATEMENT_CONFIRM},
    Role.ORDER_DESK: frozenset({P.DEALER_READ_ALL, P.ORDER_READ_ALL, P.ORDER_PLACE_ON_BEHALF, P.ORDER_APPROVE,
                                P.ORDER_ALLOCATE, P.ORDER_SHIP, P.ORDER_CANCEL_ANY, P.STOCK_READ_ALL,
                                P.STOCK_WRITE, P.ACCOUNT_READ_ALL}),
    Role.CHANNEL_MANAGER: frozenset({P.DEALER_READ_ALL, P.DEALER_WRITE, P.DEALER_REVIEW, P.ORDER_READ_ALL,
                                     P.ORDER_APPROVE, P.STOCK_READ_ALL, P.SELLOUT_READ_ALL, P.ACCOUNT_READ_ALL,
                                     P.CONTRACT_WRITE, P.MATERIAL_APPROVE, P.REPORT_READ_ALL,
                                     P.PRICE_WRITE, P.PROMOTION_WRITE, P.CREDIT_REQUEST, P.TRANSFER_APPROVE}),
    Role.AFTER_SALES: frozenset({P.DEALER_READ_ALL, P.ORDER_READ_ALL, P.TICKET_HANDLE}),
    Role.QUALITY: frozenset({P.DEALER_READ_ALL, P.QUALITY_HANDLE, P.TICKET_HANDLE}),
    Role.MARKETING: frozenset({P.DEALER_READ_ALL, P.CAMPAIGN_WRITE, P.MATERIAL_APPROVE, P.SELLOUT_READ_ALL,
                               P.REPORT_READ_ALL, P.PROMOTION_WRITE}),
    Role.MANAGEMENT: frozenset({P.DEALER_READ_ALL, P.ORDER_READ_ALL, P.STOCK_READ_ALL, P.SELLOUT_READ_ALL,
                                P.ACCOUNT_READ_ALL, P.REPORT_READ_ALL, P.AUDIT_READ, P.ORDER_APPROVE,
                                P.CREDIT_APPROVE}),
    Role.FINANCE: frozenset({P.DEALER_READ_ALL, P.ORDER_READ_ALL, P.ACCOUNT_READ_ALL, P.ACCOUNT_POST,
                             P.REPORT_READ_ALL, P.CREDIT_REQUEST, P.CREDIT_APPROVE}),
    Role.DEALER_OWNER: frozenset(_DEALER_COMMON | {P.CONTRACT_SIGN, P.STATEMENT_CONFIRM}),
    Role.DEALER_CLERK: frozenset(_DEALER_COMMON),
}


class ActorKind(StrEnum):
    STAFF = "staff"
    DEALER = "dealer"
    API = "api"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    """Who is acting. Every use case takes one and checks it (see core.authz)."""

    kind: ActorKind
    user_id: int | None = None
    name: str = ""
    role: Role | None = None
    dealer_id: int | None = None
    scopes: frozenset[str] = frozenset()
    display_name: str = field(default="", compare=False)   # what to call the person in chat; ``name`` is the stable username

    @property
    def greeting_name(self) -> str:
        return self.display_name or self.name

    @property
    def permissions(self) -> frozenset[Permission]:
        if self.kind == ActorKind.SYSTEM:
            return frozenset(Permission)
        if self.role is None:
            return frozenset()
        return ROLE_PERMISSIONS[self.role]

    @property
    def label(self) -> str:
        """For audit lines: ``staff:zhang``, ``dealer:12:li``, ``api:erp``, ``system``."""
        if self.kind == ActorKind.DEALER:
            return f"dealer:{self.dealer_id}:{self.name}"
        if self.kind == ActorKind.SYSTEM:
            return "system"
        return f"{self.kind.value}:{self.name}"

    @classmethod
    def system(cls) -> Actor:
        return cls(kind=ActorKind.SYSTEM, name="system")

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(kind=ActorKind.ANONYMOUS)


@dataclass
class User:
    username: str
    display_name: str
    role: Role
    dealer_id: int | None = None          # set for dealer users, None for staff
    phone: str | None = None              # personal data: encrypted at rest by storage
    password_hash: str | None = None      # argon2; staff with admin-web access only
    language: str = "zh-CN"
    active: bool = True
    created_at: datetime | None = None
    id: int | None = None

    def to_actor(self) -> Actor:
        kind = ActorKind.STAFF if self.role.is_staff else ActorKind.DEALER
        return Actor(kind=kind, user_id=self.id, name=self.username, role=self.role, dealer_id=self.dealer_id,
                     display_name=self.display_name)


@dataclass
class ChatIdentity:
    """A chat account (Telegram user id, WeCom userid) bound to a user."""

    channel: str            # "telegram" | "wecom" | "console" | "web"
    external_id: str
    user_id: int
    bound_at: datetime | None = None
    id: int | None = None


class InviteKind(StrEnum):
    DEALER = "dealer"
    STAFF = "staff"


@dataclass
class InviteCode:
    """One-time binding code printed by ``dms invite``; stored hashed is unnecessary (short-lived, single use)."""

    code: str
    kind: InviteKind
    expires_at: datetime
    dealer_id: int | None = None
    username: str | None = None
    role: Role | None = None
    used_at: datetime | None = None
    used_by_user_id: int | None = None
    created_at: datetime | None = None
    id: int | None = None


@dataclass
class ApiKey:
    """An API key for ERP/CRM. Only a SHA-256 of the secret is stored; ``prefix`` identifies it in lists."""

    name: str
    prefix: str
    key_hash: str
    scopes: list[str] = field(default_factory=list)
    dealer_id: int | None = None          # a key may be limited to one dealer's data
    created_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    id: int | None = None

    def to_actor(self) -> Actor:
        return Actor(kind=ActorKind.API, name=self.name, dealer_id=self.dealer_id, scopes=frozenset(self.scopes))


API_SCOPES = ("products:read", "products:write", "dealers:read", "stock:read", "stock:write",
              "orders:read", "orders:write", "sellout:write", "sellout:read", "accounts:read", "accounts:write",
              "transfers:read", "transfers:write")
