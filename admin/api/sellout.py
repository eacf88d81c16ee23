"""/api/v1/sellout: dealers' sell-out lines (placeholder until core.services.sellout lands)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/sellout", tags=["sellout"])
