"""`POST /api/admin/generate`: a raw prompt or chat messages → text on a named engine (admins only,
see app/api/routes.py).

A plain function, so FastAPI runs it in a worker thread: the generation blocks for seconds and must
not hold up the event loop.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.api.deps import AdminUser, ClientIp, DatabaseDep
from app.core.disconnect import run_until_disconnected
from app.core.error_docs import GENERATION_ERRORS, documented_errors
from app.engines.dependencies import EnginesDep
from app.playground import service
from app.playground.schemas import GenerateRequest, GenerateResponse

router = APIRouter(prefix="/generate", tags=["admin"])

ROUTE = "/api/admin/generate"


@router.post(
    "",
    operation_id="admin-generate",
    response_model=GenerateResponse,
    responses=documented_errors(*GENERATION_ERRORS),
)
async def generate(
    body: GenerateRequest,
    request: Request,
    admin: AdminUser,
    engines: EnginesDep,
    database: DatabaseDep,
    client_ip: ClientIp,
) -> GenerateResponse:
    """Generate text from a `prompt` (sent as is) or `messages` (through the chat template) on
    `engine` (default: the current default), with no retrieval: for comparing engines by hand.

    Audit-logged as `playground.generated` with the prompt's length, not its text.
    """
    caller = service.Caller(admin.user_id, client_ip, ROUTE)
    return await run_until_disconnected(
        request, lambda abort: service.generate_audited(engines, database, body, caller, abort)
    )
