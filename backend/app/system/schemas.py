"""Response bodies of the service-level endpoints."""

from __future__ import annotations

from pydantic import BaseModel


class HealthResponse(BaseModel):
    status: str
    version: str
    engine: dict[str, object]
    index: dict[str, object]
