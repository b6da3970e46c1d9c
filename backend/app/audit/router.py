"""`/api/admin/audit-events`: the audit log, newest first (admins only, see app/api/routes.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import PageDep, SessionDep
from app.audit.schemas import AuditEventPublic, AuditEventsPublic
from app.audit.service import list_events

router = APIRouter(prefix="/audit-events", tags=["admin"])


@router.get("", operation_id="admin-list-audit-events", response_model=AuditEventsPublic)
def list_audit_events(
    session: SessionDep,
    page: PageDep,
    action: Annotated[str | None, Query(max_length=50, description="e.g. user.login_failed")] = None,
) -> AuditEventsPublic:
    events, count = list_events(session, page.offset, page.limit, action)
    return AuditEventsPublic(data=[AuditEventPublic.model_validate(e) for e in events], count=count)
