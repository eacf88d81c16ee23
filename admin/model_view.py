"""The base of every SQLAdmin screen (``DmsModelView``): permissions per view, and writes through a unit of work
with an audit entry (who, before, after) in the same commit; ``admin.views`` binds and mounts the screens."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

from sqladmin import ModelView
from sqladmin.authorization import Action
from sqlalchemy import inspect as sa_inspect
from starlette.requests import Request
from wtforms import validators  # type: ignore[import-untyped]

from admin.auth import current_staff
from core.auditing import record, snapshot
from core.clock import Clock
from core.errors import DomainError, NotFound, PermissionDenied
from core.money import money
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission
from storage.types import Money

P = Permission
READ_ACTIONS = frozenset({Action.LIST.value, Action.DETAILS.value, Action.EXPORT.value})


class AdminWriteError(Exception):
    """A refused admin change; SQLAdmin shows ``str()`` of it above the form (both languages)."""

    @classmethod
    def from_domain(cls, exc: DomainError) -> AdminWriteError:
        return cls(f"{exc.message('zh')} / {exc.message('en')}")


def _enum_choices(enum: type[Enum]) -> list[tuple[str, str]]:
    return [(str(m.value), str(m.value)) for m in enum]


def _enum_field(enum: type[Enum], label: str) -> dict[str, Any]:
    return {"label": label, "choices": _enum_choices(enum), "coerce": enum}


@dataclass(frozen=True)
class AdminContext:
    """What the views need from the app: a fresh unit of work per change, and the clock."""

    uow_factory: Callable[[], AbstractUnitOfWork]
    clock: Clock


class DmsModelView(ModelView):
    """Base of every screen: permissions per view, and writes through a unit of work with an audit entry."""

    read_permission: ClassVar[Permission | None] = None     # None: any logged-in staff
    write_permission: ClassVar[Permission | None] = None    # None: read-only
    repository: ClassVar[str] = ""                          # uow attribute used for writes
    entity: ClassVar[str] = ""                              # audit entity name
    key_field: ClassVar[str | None] = None                  # human id for the audit line
    audit_fields: ClassVar[tuple[str, ...] | None] = None   # snapshot fields (None: all but secrets)
    secret_fields: ClassVar[tuple[str, ...]] = ()           # never in audit snapshots

    can_delete = False
    can_export = False
    page_size = 25
    page_size_options = [25, 50, 100]

    optional_fields: ClassVar[tuple[str, ...]] = ()         # may be left blank although NOT NULL
    context: ClassVar[AdminContext]                         # set by bind_view

    @property
    def clock(self) -> Clock:
        return self.context.clock

    def uow_factory(self) -> AbstractUnitOfWork:
        return self.context.uow_factory()

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    async def scaffold_form(self, rules: list[str] | None = None) -> Any:
        form = await super().scaffold_form(rules)
        for name in self.optional_fields:
            unbound = getattr(form, name, None)
            if unbound is not None:
                setattr(form, name, unbound.field_class(
                    *unbound.args, **{**unbound.kwargs, "validators": [validators.Optional()]}))
        return form

    # --- writes -------------------------------------------------------------------------------

    def actor(self, request: Request) -> Actor:
        staff = current_staff(request)
        if staff is None:
            raise AdminWriteError("请先登录 / Please log in")
        return staff.to_actor()

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        data = snapshot(obj, self.audit_fields)
        for name in self.secret_fields:
            data.pop(name, None)
        return data

    def audit_key(self, obj: Any) -> str | int | None:
        return getattr(obj, self.key_field) if self.key_field else getattr(obj, "id", None)

    def clean(self, data: dict[str, Any]) -> dict[str, Any]:
        """Form values -> domain values: blanks of nullable columns to None, money to 2 places."""
        mapper: Any = sa_inspect(self.model)
        cleaned: dict[str, Any] = {}
        for key, value in data.items():
            column = mapper.columns.get(key)
            if column is None:
                cleaned[key] = value
                continue
            if type(value) is str:          # not str enums: strip() would turn them into plain str
                value = value.strip()
            if value in ("", None) and column.nullable:
                value = None
            if value is not None and isinstance(column.type, Money):
                value = money(value)
            cleaned[key] = value
        return cleaned

    async def create_object(self, uow: AbstractUnitOfWork, actor: Actor, data: dict[str, Any]) -> Any:
        """Default create: build the dataclass from the form, add it, audit, one commit.

        ``uow`` is fresh (not entered): an override may hand it to a use case instead.
        """
        self.check_write(actor)
        fields = {f.name for f in dataclasses.fields(self.model) if f.init}
        obj = self.model(**{k: v for k, v in data.items() if k in fields})
        async with uow:
            await self.validate(uow, actor, obj, None)
            await getattr(uow, self.repository).add(obj)
            await uow.flush()
            await record(uow, actor, f"{self.entity}.admin_create", self.entity, self.audit_key(obj), self.clock,
                         after=self.audit_snapshot(obj))
            await uow.commit()
        return obj

    async def update_object(self, uow: AbstractUnitOfWork, actor: Actor, pk: int, data: dict[str, Any]) -> Any:
        self.check_write(actor)
        async with uow:
            obj = await getattr(uow, self.repository).get(pk, for_update=True)
            if obj is None:
                raise NotFound(what=str(pk))
            before = self.audit_snapshot(obj)
            for key, value in data.items():
                if hasattr(obj, key):
                    setattr(obj, key, value)
            await self.validate(uow, actor, obj, before)
            after = self.audit_snapshot(obj)
            if after != before:
                await record(uow, actor, f"{self.entity}.admin_update", self.entity, self.audit_key(obj),
                             self.clock, before=before, after=after)
                await uow.commit()
        return obj

    async def delete_object(self, uow: AbstractUnitOfWork, actor: Actor, pk: int) -> None:
        self.check_write(actor)
        async with uow:
            repo = getattr(uow, self.repository)
            obj = await repo.get(pk, for_update=True)
            if obj is None:
                raise NotFound(what=str(pk))
            await record(uow, actor, f"{self.entity}.admin_delete", self.entity, self.audit_key(obj), self.clock,
                         before=self.audit_snapshot(obj))
            await repo.delete(obj)
            await uow.commit()

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any,
                       before: dict[str, Any] | None) -> None:
        """Domain checks before a write (``before`` is None on create). Raise a DomainError to refuse."""

    def check_write(self, actor: Actor) -> None:
        if self.write_permission is None or self.write_permission not in actor.permissions:
            raise PermissionDenied()

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        actor = self.actor(request)
        try:
            return await self.create_object(self.uow_factory(), actor, self.clean(data))
        except DomainError as exc:
            raise AdminWriteError.from_domain(exc) from exc

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        actor = self.actor(request)
        try:
            return await self.update_object(self.uow_factory(), actor, int(pk), self.clean(data))
        except DomainError as exc:
            raise AdminWriteError.from_domain(exc) from exc

    async def delete_model(self, request: Request, pk: Any) -> None:
        actor = self.actor(request)
        try:
            await self.delete_object(self.uow_factory(), actor, int(pk))
        except DomainError as exc:
            raise AdminWriteError.from_domain(exc) from exc


# --- dealers --------------------------------------------------------------------------------------
