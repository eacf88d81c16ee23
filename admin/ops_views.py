"""SQLAdmin screens for the daily work: orders, tickets, staff users, the audit log, the FAQ, the outbox."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from sqladmin import action
from sqladmin.filters import AllUniqueStringValuesFilter, BooleanFilter, StaticValuesFilter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from wtforms import PasswordField, SelectField  # type: ignore[import-untyped]

from admin.auth import hash_password
from admin.evidence_pages import thumbnails
from admin.model_view import AdminWriteError, DmsModelView, P, _enum_choices, _enum_field
from core.aftersales import Priority, TicketStatus
from core.errors import DomainError, ValidationFailed
from core.masking import mask_phone
from core.notify import retry_messages
from core.orders import OrderStatus
from core.outbox import Category, OutboxStatus
from core.ports import AbstractUnitOfWork
from core.users import Actor, Role


class OrderAdmin(DmsModelView):
    name = "订单 Order"
    name_plural = "订单 Orders"
    icon = "fa-solid fa-file-invoice"
    category = "订单与服务 Orders"
    read_permission = P.ORDER_READ_ALL
    can_create = False
    can_edit = False
    can_export = True

    column_list = ["number", "dealer_id", "status", "total", "created_at", "requested_delivery", "on_behalf"]
    column_details_list = ["number", "dealer_id", "status", "lines", "total", "paid_from_rebate",
                           "paid_from_prepayment", "paid_from_credit", "approval_reasons", "requested_delivery",
                           "warehouse_id", "carrier", "tracking_no", "reject_reason", "placed_by", "on_behalf",
                           "note", "events", "created_at", "updated_at", "version"]
    column_formatters_detail = {
        "lines": lambda m, a: "；".join(f"{ln.sku} × {ln.qty} @ {ln.unit_price}" for ln in m.lines),
        "events": lambda m, a: "；".join(f"{e.at:%Y-%m-%d %H:%M} {e.status.value} {e.actor} {e.note}".strip()
                                        for e in m.events),
    }
    column_searchable_list = ["number", "placed_by", "tracking_no"]
    column_sortable_list = ["number", "created_at", "total", "status"]
    column_default_sort = ("created_at", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(OrderStatus), title="状态 Status"),
                      BooleanFilter("on_behalf", title="代客下单 On behalf")]


class TicketAdmin(DmsModelView):
    name = "售后工单 Ticket"
    name_plural = "售后工单 Tickets"
    icon = "fa-solid fa-screwdriver-wrench"
    category = "订单与服务 Orders"
    read_permission = P.TICKET_HANDLE
    can_create = False
    can_edit = False

    column_list = ["number", "dealer_id", "status", "priority", "sla_due_at", "assignee", "sku", "created_at"]
    column_details_list = ["number", "dealer_id", "status", "priority", "sla_due_at", "assignee", "sku",
                           "serial_no", "order_number", "description", "customer_name", "customer_phone",
                           "resolution", "satisfaction", "photos", "comments", "created_at", "updated_at"]
    column_formatters_detail = {
        "customer_phone": lambda m, a: mask_phone(m.customer_phone),
        "photos": lambda m, a: thumbnails("ticket", m.number, m.photos),
        "comments": lambda m, a: "；".join(f"{c.at:%m-%d %H:%M} {c.author}: {c.text}" for c in m.comments),
    }
    column_searchable_list = ["number", "sku", "serial_no", "order_number"]
    column_sortable_list = ["number", "created_at", "sla_due_at", "priority", "status"]
    column_default_sort = ("created_at", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(TicketStatus), title="状态 Status"),
                      StaticValuesFilter("priority", values=_enum_choices(Priority), title="优先级 Priority")]


class UserAdmin(DmsModelView):
    name = "用户 User"
    name_plural = "用户 Users"
    icon = "fa-solid fa-user"
    category = "系统 System"
    read_permission = P.USER_MANAGE
    write_permission = P.USER_MANAGE
    repository = "users"
    entity = "user"
    key_field = "username"
    secret_fields = ("password_hash", "phone")
    form_include_pk = True

    column_list = ["username", "display_name", "role", "dealer_id", "active", "language", "created_at"]
    column_details_list = ["username", "display_name", "role", "dealer_id", "active", "language", "created_at"]
    column_searchable_list = ["username", "display_name"]
    column_sortable_list = ["username", "role", "created_at"]
    column_default_sort = "username"
    column_filters = [StaticValuesFilter("role", values=_enum_choices(Role), title="角色 Role"),
                      BooleanFilter("active", title="启用 Active")]
    # password_hash is never shown nor typed: "new_password" (extra field below) sets it through argon2
    form_columns = ["username", "display_name", "role", "dealer_id", "language", "active"]
    form_overrides = {"role": SelectField}
    form_args = {"role": _enum_field(Role, "角色 Role"),
                 "dealer_id": {"label": "经销商ID Dealer id（仅经销商用户 / dealer users only）"}}

    async def scaffold_form(self, rules: list[str] | None = None) -> Any:
        form = await super().scaffold_form(rules)

        class UserForm(form):  # type: ignore[misc, valid-type]
            new_password = PasswordField(
                "新密码 New password",
                description="留空不修改；仅员工可登录后台 / blank: unchanged; only staff may log in to the admin",
                render_kw={"class": "form-control", "autocomplete": "new-password"})

        return UserForm

    def clean(self, data: dict[str, Any]) -> dict[str, Any]:
        cleaned = super().clean(data)
        password = cleaned.pop("new_password", None)
        if password:
            if len(password) < 10:
                raise AdminWriteError("密码至少 10 个字符 / a password needs at least 10 characters")
            cleaned["password_hash"] = hash_password(password)
        return cleaned

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        if obj.role.is_staff and obj.dealer_id is not None:
            raise ValidationFailed(reason="员工账号不能属于经销商 / a staff user has no dealer")
        if not obj.role.is_staff:
            if obj.dealer_id is None or await uow.dealers.get(obj.dealer_id) is None:
                raise ValidationFailed(reason="经销商用户必须属于一个经销商 / a dealer user needs a dealer")
            obj.password_hash = None      # dealer users never log in to the admin
        if before is not None and before.get("username") != obj.username:
            raise ValidationFailed(reason="用户名不可修改 / the username cannot be changed")
        if obj.created_at is None:
            obj.created_at = self.clock.now()


class AuditLogAdmin(DmsModelView):
    name = "审计日志 Audit log"
    name_plural = "审计日志 Audit log"
    icon = "fa-solid fa-clipboard-list"
    category = "系统 System"
    read_permission = P.AUDIT_READ
    can_create = False
    can_edit = False
    can_delete = False
    can_export = True

    column_list = ["at", "actor", "action", "entity", "entity_id"]
    column_details_list = ["at", "actor", "action", "entity", "entity_id", "before", "after"]
    column_searchable_list = ["actor", "action", "entity_id"]
    column_sortable_list = ["at", "actor", "action", "entity"]
    column_default_sort = ("at", True)
    column_filters = [AllUniqueStringValuesFilter("entity", title="对象 Entity")]


# --- FAQ knowledge base ----------------------------------------------------------------------------

class FaqEntryAdmin(DmsModelView):
    name = "知识库 FAQ entry"
    name_plural = "知识库 FAQ"
    icon = "fa-solid fa-circle-question"
    category = "渠道 Channel"
    write_permission = P.DEALER_WRITE
    repository = "faq_entries"
    entity = "faq_entry"
    can_delete = True
    can_export = True

    column_list = ["id", "question_zh", "question_en", "tags", "active", "source", "updated_at"]
    column_details_list = ["id", "question_zh", "question_en", "answer_zh", "answer_en", "tags", "variants", "active",
                           "source", "created_at", "updated_at"]
    column_searchable_list = ["question_zh", "question_en", "answer_zh"]
    column_sortable_list = ["id", "question_zh", "updated_at", "active"]
    column_default_sort = "id"
    column_filters = [BooleanFilter("active", title="启用 Active")]
    form_columns = ["question_zh", "answer_zh", "question_en", "answer_en", "tags", "variants", "active"]
    optional_fields = ("question_en", "answer_en")
    form_args = {"tags": {"description": 'JSON 列表 / JSON list, e.g. ["发票", "invoice"]'},
                 "variants": {"description": '其他问法 / other ways to ask, JSON list, e.g. ["怎么开票"]'}}
    form_widget_args = {"answer_zh": {"rows": 5}, "answer_en": {"rows": 5}}

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        for name in ("tags", "variants"):
            value = getattr(obj, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationFailed(reason=f"{name} 必须是字符串列表 / {name} must be a list of strings")
        if not (obj.question_zh or "").strip() or not (obj.answer_zh or "").strip():
            raise ValidationFailed(reason="中文问题和答案必填 / the Chinese question and answer are required")
        obj.question_en = obj.question_en or ""
        obj.answer_en = obj.answer_en or ""
        now = self.clock.now()
        obj.updated_at = now
        if obj.created_at is None:
            obj.created_at = now
            obj.source = obj.source or f"admin:{actor.name}"


class OutboxAdmin(DmsModelView):
    """The notification outbox: what was pushed to whom, what failed and why (``last_error``: the send error, why
    a row is dead or muted, or the digest a folded item was told in), and "retry" for dead rows.

    Read-only except the retry action (``core.notify.retry_messages``: back to pending, attempts reset,
    audited). Params are shown as stored (JSON); recipients by user id.
    """

    name = "通知队列 Outbox"
    name_plural = "通知队列 Outbox"
    icon = "fa-solid fa-paper-plane"
    category = "系统 System"
    read_permission = P.USER_MANAGE
    write_permission = P.USER_MANAGE
    can_create = False
    can_edit = False
    can_delete = False

    column_list = ["id", "status", "kind", "category", "user_id", "urgent", "attempts", "created_at", "sent_at",
                   "delivered_to", "last_error"]
    column_details_list = ["id", "dedup_key", "status", "kind", "category", "params", "user_id", "channel", "chat_id",
                           "urgent", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at",
                           "delivered_to", "claimed_by", "claimed_at"]
    column_searchable_list = ["dedup_key", "kind", "delivered_to"]
    column_sortable_list = ["id", "created_at", "sent_at", "status", "attempts"]
    column_default_sort = ("id", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(OutboxStatus), title="状态 Status"),
                      StaticValuesFilter("category", values=_enum_choices(Category), title="类别 Category")]

    @action(name="retry", label="重试 Retry",
            confirmation_message="把选中的失败/已放弃消息重新放回队列？ Put the selected failed or dead messages back in "
                                 "the queue?")
    async def retry(self, request: Request) -> Response:
        referer = request.headers.get("referer", "")
        if urlparse(referer).netloc.lower() != request.url.netloc.lower():    # GET route: same-site only
            return HTMLResponse("<h1>403</h1><p>跨站请求被拒绝 / Cross-site request refused</p>", status_code=403)
        ids = [int(pk) for pk in request.query_params.get("pks", "").split(",") if pk.strip().isdigit()]
        try:
            await retry_messages(self.uow_factory(), self.actor(request), ids, self.clock)
        except DomainError as exc:
            return HTMLResponse(f"<p>{exc.message('zh')} / {exc.message('en')}</p>", status_code=400)
        return RedirectResponse(referer, status_code=302)
