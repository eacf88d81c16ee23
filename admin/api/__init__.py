"""The REST API for ERP/CRM under /api/v1 (API-key authentication, JSON, Chinese-first errors)."""

from __future__ import annotations

from fastapi import APIRouter, Depends


def build_api_router() -> APIRouter:
    """All /api/v1 routes; imported lazily so ``import admin.api`` builds nothing."""
    from admin.api import (
        accounts,
        dealers,
        evidence,
        order_placement,
        orders,
        products,
        sellout,
        stock,
        transfers,
    )
    from admin.api.deps import reject_repeated_query
    from admin.api.schemas import ErrorBody

    # every route may answer these (key checks, validation); documented so clients and the schema agree
    router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_repeated_query)], responses={
        400: {"model": ErrorBody, "description": "the body is not valid JSON"},
        401: {"model": ErrorBody, "description": "missing, invalid or revoked API key"},
        403: {"model": ErrorBody, "description": "the key lacks the scope, or a dealer-bound key may not"},
        422: {"model": ErrorBody, "description": "invalid input (`detail` lists the fields)"},
    })
    for module in (products, dealers, stock, orders, order_placement, sellout, accounts, evidence, transfers):
        router.include_router(module.router)
    return router
