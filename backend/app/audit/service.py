"""Recording audit events (in the caller's transaction, so an action and its record commit together)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent


def record_event(
    session: Session,
    action: str,
    actor_id: int | None,
    target_type: str = "",
    target_id: object = "",
    details: dict[str, Any] | None = None,
    client_ip: str = "",
) -> None:
    session.add(
        AuditEvent(
            action=action,
            actor_id=actor_id,
            target_type=target_type,
            target_id=str(target_id),
            details=details or {},
            client_ip=client_ip[:45],
        )
    )


def list_events(
    session: Session, offset: int, limit: int, action: str | None = None
) -> tuple[list[AuditEvent], int]:
    """A page of events, newest first, and how many there are in all."""
    condition = AuditEvent.action == action if action else AuditEvent.id.is_not(None)
    count = session.scalar(select(func.count()).select_from(AuditEvent).where(condition)) or 0
    page = session.scalars(
        select(AuditEvent).where(condition).order_by(AuditEvent.id.desc()).offset(offset).limit(limit)
    )
    return list(page), count
