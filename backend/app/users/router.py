"""`/api/admin/users`: list, create, activate/deactivate and promote/demote accounts (admins only:
this router is mounted behind the admin guard in app/api/routes.py)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import AdminUser, ClientIp, PageDep, SessionDep, SettingsDep
from app.core.error_docs import documented_errors
from app.core.limits import RowId
from app.users import service
from app.users.schemas import UserCreate, UserPublic, UsersPublic, UserUpdate

router = APIRouter(prefix="/users", tags=["admin"])


@router.get("", operation_id="admin-list-users", response_model=UsersPublic)
def list_users(session: SessionDep, page: PageDep) -> UsersPublic:
    users, count = service.list_users(session, page.offset, page.limit)
    return UsersPublic(data=[UserPublic.model_validate(user) for user in users], count=count)


@router.post(
    "",
    operation_id="admin-create-user",
    response_model=UserPublic,
    status_code=201,
    responses=documented_errors(409),
)
def create_user(
    body: UserCreate, admin: AdminUser, session: SessionDep, settings: SettingsDep, client_ip: ClientIp
) -> UserPublic:
    user = service.create_user(
        session,
        username=body.username,
        password=body.password,
        role=body.role,
        min_password_length=settings.password_min_length,
        actor_id=admin.user_id,
        client_ip=client_ip,
    )
    return UserPublic.model_validate(user)


@router.patch(
    "/{user_id}",
    operation_id="admin-update-user",
    response_model=UserPublic,
    responses=documented_errors(404, 409),
)
def update_user(
    user_id: RowId, body: UserUpdate, admin: AdminUser, session: SessionDep, client_ip: ClientIp
) -> UserPublic:
    """Deactivate (its tokens and API keys stop working at once), reactivate, or change the role."""
    user = service.update_user(
        session, admin, user_id, is_active=body.is_active, role=body.role, client_ip=client_ip
    )
    return UserPublic.model_validate(user)
