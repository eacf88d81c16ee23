"""The ``Idempotency-Key`` request header of POST routes that create records (``core.services.idempotency``).

A client that may retry (an ERP after a timeout) sends a unique key per request, e.g. a UUID, as the
IETF draft ``draft-ietf-httpapi-idempotency-key-header`` and Stripe do: ``Idempotency-Key: "8e03978e-..."``
(quoted) or unquoted. The same key and body again within 24 hours answers the stored response with
``Idempotent-Replayed: true`` and writes nothing; the same key with another body is refused (422).
Keys belong to the API key that sent them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse

from admin.api.errors import ApiError
from admin.api.schemas import ErrorBody
from core.idempotency import MAX_KEY_LENGTH, request_fingerprint
from core.ports import AbstractUnitOfWork
from core.services.idempotency import IdempotencyKey, Outcome
from core.services.users import API_KEY_PREFIX_LENGTH

REPLAYED_HEADER = "Idempotent-Replayed"

IdempotencyKeyHeader = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=MAX_KEY_LENGTH,
    pattern=r"^[!-~]([ -~]*[!-~])?$",   # visible ASCII, inner spaces allowed
    description="Optional; a unique value per request (e.g. a UUID, quoted or not). Sent again with the same "
                "body within 24 h, the first response comes back (same status, header `Idempotent-Replayed: "
                "true`) and nothing is written again; with a different body: 422 `idempotency_key_reused`. "
                "Keys are scoped to the API key.",
    examples=['"8e03978e-40d5-43e8-bc93-6894a57f9324"'],
)]

REPLAYED_RESPONSE_HEADER = {REPLAYED_HEADER: {
    "description": "`true` when this is the stored response of an earlier request with the same Idempotency-Key",
    "schema": {"type": "string", "enum": ["true"]}}}

IDEMPOTENCY_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "a request with the same Idempotency-Key is still being processed "
                                             "(`idempotency_key_in_use`); retry later"},
}


def _unquoted(value: str) -> str:
    """The key of a structured-field string (``"abc"``) or of a bare token (``abc``)."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value


async def idempotency_key(request: Request, uow_factory: Callable[[], AbstractUnitOfWork], header: str | None,
                          body: Any) -> IdempotencyKey | None:
    """The key of this request bound to its API key, endpoint and body; None without the header.

    Call it after authentication: the API key is read back by the prefix of the bearer token."""
    if header is None:
        return None
    key = _unquoted(header)
    if not key:
        raise ApiError(422, "validation_failed", "输入有误：Idempotency-Key 不能为空",
                       "Invalid input: the Idempotency-Key must not be empty")
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    async with uow_factory() as uow:
        api_key = await uow.api_keys.get_by(prefix=token[:API_KEY_PREFIX_LENGTH])
    if api_key is None or api_key.id is None:     # revoked and deleted since authentication
        raise ApiError(401, "invalid_api_key", "API 密钥无效或已吊销", "The API key is invalid or revoked",
                       headers={"WWW-Authenticate": 'Bearer realm="dms", error="invalid_token"'})
    return IdempotencyKey(api_key_id=api_key.id, key=key, endpoint=f"{request.method} {request.url.path}",
                          request_hash=request_fingerprint(body))


def outcome_response(outcome: Outcome) -> JSONResponse:
    headers = {REPLAYED_HEADER: "true"} if outcome.replayed else None
    return JSONResponse(outcome.body, status_code=outcome.status_code, headers=headers)
