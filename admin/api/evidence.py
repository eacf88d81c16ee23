"""/api/v1/ledger/{entry_id}/receipt: the receipt scan of a payment, for a key that may read the dealer's ledger.

The file is named by its ledger entry, never by its storage key (knowing a file's hash fetches nothing), and
answered exactly as the ledger answers the key (``core.services.evidence``, kind ``payment``): scope
``accounts:read``; a key bound to another dealer gets 404, the same as for an entry that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from admin.api.deps import MAX_ID, AccountsRead, UowDep
from admin.api.schemas import ErrorBody
from admin.evidence_pages import file_response
from core.services import evidence

router = APIRouter(tags=["accounts"])


@router.get("/ledger/{entry_id}/receipt", summary="The receipt scan of a payment",
            response_class=Response,
            responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "application/pdf": {}},
                             "description": "the scan, inline, named after the payment's reference"},
                       404: {"model": ErrorBody}})
async def payment_receipt(entry_id: Annotated[int, Path(ge=1, le=MAX_ID, description="ledger entry id")], actor: AccountsRead,
                          uow: UowDep, request: Request) -> Response:
    """A PDF opens in the browser (``Content-Disposition: inline``); an entry without a scan answers 404."""
    found = await evidence.evidence_file(uow, actor, "payment", str(entry_id), 1)
    return await file_response(request.app.state.files, found)
