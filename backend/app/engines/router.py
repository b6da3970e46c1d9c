"""`GET /api/engines` (signed in) and `PUT /api/admin/engines/default` (admins: see app/api/routes.py)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import AdminUser, ClientIp, DatabaseDep
from app.core.error_docs import documented_errors
from app.engines import service
from app.engines.dependencies import EnginesDep
from app.engines.measurements import engine_measurements
from app.engines.schemas import DefaultEngineUpdate, EnginePublic, EnginesPublic

router = APIRouter(prefix="/api", tags=["engines"])
admin_router = APIRouter(prefix="/engines", tags=["admin"])


@router.get("/engines", operation_id="engines-list", response_model=EnginesPublic)
def list_engines(engines: EnginesDep) -> EnginesPublic:
    """The configured engines with their state, whether they can run here (and why not), and their
    measured speed and accuracy; chat requests may name any `ready` one."""
    snapshot = engines.snapshot()
    measured = engine_measurements()
    return EnginesPublic(
        default=snapshot.default,
        switching_to=engines.switching_to,
        engines=[
            EnginePublic.from_status(status, snapshot.default, measured.get(status.name))
            for status in snapshot.engines
        ],
    )


@admin_router.put(
    "/default",
    operation_id="admin-switch-engine",
    response_model=EnginePublic,
    status_code=202,
    responses={
        200: {"description": "It already is the default and ready: nothing was done."},
        **documented_errors(409),
    },
)
def switch_default_engine(
    body: DefaultEngineUpdate,
    admin: AdminUser,
    engines: EnginesDep,
    database: DatabaseDep,
    client_ip: ClientIp,
    response: Response,
) -> EnginePublic:
    """Make another engine the default. It loads in the background (poll GET /api/engines for its
    progress) and takes new requests once ready; requests already running finish on the old engine,
    which is then unloaded. A failed load leaves the old engine serving, with the reason in `error`.
    An engine that cannot run here (`available: false`) is refused with 409 `engine_unavailable`.
    The choice is stored and audit-logged, and restored at the next start."""
    ticket = service.switch_default(engines, database, body.engine, admin.user_id, client_ip)
    if ticket.noop:
        response.status_code = 200
    status = ticket.status
    return EnginePublic.from_status(status, engines.default_name, engine_measurements().get(status.name))
