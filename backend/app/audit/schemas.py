"""Response bodies of the audit log route."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    actor_id: int | None = Field(description="Null for the system and for failed sign-ins.")
    action: str
    target_type: str
    target_id: str
    details: dict[str, Any]
    client_ip: str


class AuditEventsPublic(BaseModel):
    data: list[AuditEventPublic]
    count: int
