"""`/api/keys`: a signed-in user's API keys (create, list, revoke)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import ClientIp, SessionDep, SignedInUser
from app.auth import api_keys
from app.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from app.core.error_docs import documented_errors
from app.core.limits import RowId

# Keys are managed from a signed-in session only: an API key is refused (403 `session_required`).
router = APIRouter(prefix="/api/keys", tags=["api-keys"], responses=documented_errors(403))


@router.get("", operation_id="keys-list", response_model=list[ApiKeyPublic])
def list_keys(principal: SignedInUser, session: SessionDep) -> list[ApiKeyPublic]:
    """The user's keys, revoked ones included; never the keys themselves."""
    return [ApiKeyPublic.model_validate(row) for row in api_keys.list_api_keys(session, principal.user_id)]


@router.post("", operation_id="keys-create", response_model=ApiKeyCreated, status_code=201)
def create_key(
    body: ApiKeyCreate, principal: SignedInUser, session: SessionDep, client_ip: ClientIp
) -> ApiKeyCreated:
    """Create a key for REST clients (`Authorization: Bearer pk-…`). The key is in this answer only."""
    created = api_keys.create_api_key(session, principal.user_id, body.name, client_ip)
    public = ApiKeyPublic.model_validate(created.row)
    return ApiKeyCreated(**public.model_dump(), key=created.key)


@router.delete("/{key_id}", operation_id="keys-revoke", status_code=204, responses=documented_errors(404))
def revoke_key(key_id: RowId, principal: SignedInUser, session: SessionDep, client_ip: ClientIp) -> Response:
    """Revoke a key: requests with it are refused from now on."""
    api_keys.revoke_api_key(session, principal.user_id, key_id, client_ip)
    return Response(status_code=204)
