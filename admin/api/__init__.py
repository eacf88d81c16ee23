"""The REST API for ERP/CRM under /api/v1 (API-key authentication, JSON, Chinese-first errors)."""

from __future__ import annotations

from fastapi import APIRouter


def build_api_router() -> APIRouter:
    """All /api/v1 routes; imported lazily so ``import admin.api`` builds nothing."""
    from admin.api import dealers, orders, products, sellout, stock

    router = APIRouter(prefix="/api/v1")
    for module in (products, dealers, stock, orders, sellout):
        router.include_router(module.router)
    return router
