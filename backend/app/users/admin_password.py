"""`POST /api/admin/users/{id}/password`: an administrator sets a new password for another account.

Mounted by app/main.py; the admin guard is this router's own dependency. Like a password change,
it ends every session of that account (older tokens answer 401 `token_revoked`); its API keys keep
working. Administrators change their own password with `POST /api/auth/password`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import ConfigDict

from app.api.deps import AdminUser, ClientIp, SessionDep, SettingsDep, require_admin
from app.audit.service import record_event
from app.core.error_docs import documented_errors
from app.core.errors import ApiError
from app.core.limits import RowId
from app.core.request_model import RequestModel
from app.users.schemas import Password, UserPublic
from app.users.service import get_user, set_password

router = APIRouter(
    prefix="/api/admin/users",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses=documented_errors(401, 403),
)


class PasswordReset(RequestModel):
    model_config = ConfigDict(extra="forbid")

    new_password: Password


@router.post(
    "/{user_id}/password",
    operation_id="admin-reset-password",
    response_model=UserPublic,
    responses=documented_errors(404, 409),
)
def reset_password(
    user_id: RowId,
    body: PasswordReset,
    admin: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    client_ip: ClientIp,
) -> UserPublic:
    """Set a new password for a user (not one's own: 409 `own_account`)."""
    user = get_user(session, user_id)
    if user.id == admin.user_id:
        raise ApiError(409, "own_account", "Change your own password with POST /api/auth/password.")
    set_password(session, user, body.new_password, settings.password_min_length)
    record_event(
        session, "user.password_reset", admin.user_id, "user", user.id, {"username": user.username}, client_ip
    )
    session.commit()
    return UserPublic.model_validate(user)
