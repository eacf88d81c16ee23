"""How the API reports errors: one JSON shape everywhere.

Body: ``{"error": code, "message": <zh-CN or en by Accept-Language>, "message_en": en}``.

Exception tree handled here::

    DomainError (core.errors)           mapped by DOMAIN_STATUS: 404 / 403 / 422 / 409
    ApiError                            raised by the API layer itself (401, 403 scope, ...)
    RequestValidationError (FastAPI)    422 ``validation_failed`` with the field errors in ``detail``
    starlette HTTPException             its status, ``http_<status>`` code (unknown route, bad method)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from admin.api.schemas import ErrorBody
from core.errors import (
    BusinessRuleViolation,
    Conflict,
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (PermissionDenied, 403),
    (ValidationFailed, 422),
    (InvalidTransition, 409),
    (Conflict, 409),
    (BusinessRuleViolation, 422),
)


def status_for(exc: DomainError) -> int:
    for cls, status in DOMAIN_STATUS:
        if isinstance(exc, cls):
            return status
    return 400


class ApiError(Exception):
    """An error of the HTTP layer itself (authentication, scopes), with both languages."""

    def __init__(self, status_code: int, code: str, zh: str, en: str,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(en)
        self.status_code = status_code
        self.code = code
        self.zh = zh
        self.en = en
        self.headers = dict(headers or {})


def preferred_language(accept_language: str | None) -> str:
    """``"en"`` when the client prefers English over Chinese, else ``"zh"`` (Chinese first)."""
    if not accept_language:
        return "zh"
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    for negative_quality, _, tag in sorted(ranked):
        if negative_quality >= 0:       # q=0 means "not acceptable"
            continue
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh"
    return "zh"


def error_body(request: Request, code: str, zh: str, en: str, **extra: Any) -> dict[str, Any]:
    lang = preferred_language(request.headers.get("accept-language"))
    return {"error": code, "message": en if lang == "en" else zh, "message_en": en, **extra}


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse(error_body(request, exc.code, exc.message("zh"), exc.message("en")),
                        status_code=status_for(exc))


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(error_body(request, exc.code, exc.zh, exc.en), status_code=exc.status_code,
                        headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = jsonable_encoder(exc.errors(), exclude={"ctx", "url", "input"})
    where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + ": " + str(e.get("msg", "")) for e in errors)
    return JSONResponse(
        error_body(request, "validation_failed", f"输入有误：{where}", f"Invalid input: {where}", detail=errors),
        status_code=422,
    )


_HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    404: ("未找到", "Not found"),
    405: ("不支持该请求方法", "Method not allowed"),
}


def _allowed_methods(request: Request) -> str | None:
    """Every method the documented paths allow for this URL.

    Starlette's 405 names only the methods of the first route whose path matched (``GET`` for
    ``/products/{sku}`` although ``PUT`` exists too); the OpenAPI paths know them all."""
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    for template, operations in paths.items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            return ", ".join(sorted(m.upper() for m in operations))
    return None


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    zh, en = _HTTP_MESSAGES.get(exc.status_code, (str(exc.detail), str(exc.detail)))
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        allowed = _allowed_methods(request)
        if allowed:
            headers["Allow"] = allowed
    return JSONResponse(error_body(request, f"http_{exc.status_code}", zh, en), status_code=exc.status_code,
                        headers=headers or None)


def conflict_response(description: str, *examples: DomainError) -> dict[str, Any]:
    """The OpenAPI entry of a 409: what state clashes, and an example body per rule (its ``error`` code names
    the rule, the messages say it in zh and en), so a client learns the rule from the schema, not by trying."""
    return {"model": ErrorBody, "description": description, "content": {"application/json": {
        "examples": {e.code: {"summary": e.message("en"), "value": {
            "error": e.code, "message": e.message("zh"), "message_en": e.message("en")}} for e in examples}}}}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
