"""FastAPI dependencies of the REST API, as ``Annotated`` aliases.

Authentication: ``Authorization: Bearer dms_...``; the key is checked by the users use case
``authenticate_api_key`` (only its SHA-256 is stored). Missing, unknown or revoked keys get 401 with
``WWW-Authenticate: Bearer``; a key without the scope an endpoint needs gets 403 (``insufficient_scope``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes

from admin.api.errors import ApiError
from core.clock import Clock
from core.ports import AbstractUnitOfWork
from core.services.users import authenticate_api_key
from core.users import Actor

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    bearerFormat="dms_<random>",
    description="API key created with `dms apikey create NAME --scope ...`; send `Authorization: Bearer dms_...`. "
                "A key bound to a dealer (`--dealer CODE`) sees only that dealer's data.",
)


def _uow_factory(request: Request) -> Callable[[], AbstractUnitOfWork]:
    factory: Callable[[], AbstractUnitOfWork] = request.app.state.uow_factory
    return factory


# The dependencies are ``async def`` though none awaits: FastAPI runs a plain ``def`` dependency in its thread
# pool, a hop to another thread and back for every request (bench/load.py's API calls had four each).
async def get_uow_factory(request: Request) -> Callable[[], AbstractUnitOfWork]:
    return _uow_factory(request)


async def get_uow(request: Request) -> AbstractUnitOfWork:
    """A fresh unit of work for one use case (the use case enters and commits it)."""
    return _uow_factory(request)()


async def get_read_uow(request: Request) -> AbstractUnitOfWork:
    """A unit of work for an endpoint that only reads: on PostgreSQL its statements run on AUTOCOMMIT connections
    (no BEGIN, no ROLLBACK: two round trips fewer; READ COMMITTED gave each statement its own snapshot anyway)."""
    return _uow_factory(request)().autocommit()


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


UowFactoryDep = Annotated[Callable[[], AbstractUnitOfWork], Depends(get_uow_factory)]
UowDep = Annotated[AbstractUnitOfWork, Depends(get_uow)]
ReadUowDep = Annotated[AbstractUnitOfWork, Depends(get_read_uow)]
ClockDep = Annotated[Clock, Depends(get_clock)]


def _unauthorized(code: str, zh: str, en: str, error: str | None = None) -> ApiError:
    challenge = 'Bearer realm="dms"' + (f', error="{error}"' if error else "")
    return ApiError(401, code, zh, en, headers={"WWW-Authenticate": challenge})


async def api_actor(
    security_scopes: SecurityScopes,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Actor:
    """The Actor of the API key in the request, holding every scope the endpoint declares."""
    if credentials is None or not credentials.credentials.strip():
        raise _unauthorized("unauthorized", "缺少 API 密钥（Authorization: Bearer ...）",
                            "Missing API key (Authorization: Bearer ...)")
    # AUTOCOMMIT: a read, and its one write (the key's last use, once a minute) is the whole change
    actor = await authenticate_api_key(_uow_factory(request)().autocommit(), credentials.credentials.strip(),
                                       request.app.state.clock)
    if actor is None:
        raise _unauthorized("invalid_api_key", "API 密钥无效或已吊销", "The API key is invalid or revoked",
                            error="invalid_token")
    missing = [scope for scope in security_scopes.scopes if scope not in actor.scopes]
    if missing:
        needed = " ".join(missing)
        raise ApiError(403, "insufficient_scope", f"API 密钥缺少权限范围：{needed}",
                       f"The API key lacks the scope: {needed}",
                       headers={"WWW-Authenticate": f'Bearer realm="dms", error="insufficient_scope", '
                                                    f'scope="{needed}"'})
    return actor


ApiActor = Annotated[Actor, Security(api_actor)]
ProductsRead = Annotated[Actor, Security(api_actor, scopes=["products:read"])]
ProductsWrite = Annotated[Actor, Security(api_actor, scopes=["products:write"])]
DealersRead = Annotated[Actor, Security(api_actor, scopes=["dealers:read"])]
StockRead = Annotated[Actor, Security(api_actor, scopes=["stock:read"])]
StockWrite = Annotated[Actor, Security(api_actor, scopes=["stock:write"])]
OrdersRead = Annotated[Actor, Security(api_actor, scopes=["orders:read"])]
OrdersWrite = Annotated[Actor, Security(api_actor, scopes=["orders:write"])]
SellOutRead = Annotated[Actor, Security(api_actor, scopes=["sellout:read"])]
SellOutWrite = Annotated[Actor, Security(api_actor, scopes=["sellout:write"])]
AccountsRead = Annotated[Actor, Security(api_actor, scopes=["accounts:read"])]
AccountsWrite = Annotated[Actor, Security(api_actor, scopes=["accounts:write"])]


MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000
MAX_ID = 2**63 - 1
"""The largest row id a path may name: SQLite's and PostgreSQL's BIGINT; more was a 500 (an overflow), found by
schemathesis against the running app."""


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")] = 50,
    # bounded: a 64-bit offset overflowed SQLite's INTEGER into a 500 (found by schemathesis)
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Paging = Annotated[PageParams, Depends(page_params)]


# --- query parameters checked as strictly as the schema documents them --------------------------------
# (IsoDay, a YYYY-MM-DD day, lives in admin.api.schemas: request bodies use it too)

MOMENT_SCHEMA = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
"""OpenAPI for ``since``/``until`` of orders: a business day or an ISO datetime (``parse_moment``)."""


def _query_names(dependant: Any) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_repeated_query(request: Request) -> None:
    """Query parameters are checked as the schema documents them: a single-valued one given twice
    (``?sku=a&sku=b``) is refused, not silently the last one; one the route does not know is refused, not
    silently ignored (a misspelt ``?dealr=D0001`` would otherwise list every dealer's rows)."""
    route = request.scope.get("route")
    known = _query_names(route.dependant) if route is not None and hasattr(route, "dependant") else None
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name in seen:
            raise ApiError(422, "validation_failed", f"输入有误：参数 {name} 只能出现一次",
                           f"Invalid input: the parameter {name} may appear only once")
        if known is not None and name not in known:
            raise ApiError(422, "validation_failed", f"输入有误：未知参数 {name!r}",
                           f"Invalid input: unknown parameter {name!r}")
        seen.add(name)
