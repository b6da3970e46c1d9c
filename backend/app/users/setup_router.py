"""`/api/setup`: create the first administrator with the setup code from the server's log (public:
nobody has an account yet). Gone (404 `setup_done`) as soon as an administrator exists."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import ClientIp, SessionDep, SettingsDep, TokenCodecDep
from app.auth.refresh_tokens import issue_tokens
from app.auth.schemas import TokenResponse
from app.core.error_docs import documented_errors
from app.core.request_model import RequestModel
from app.users.models import Role
from app.users.schemas import Password, Username, UserPublic
from app.users.service import create_user
from app.users.setup_code import SetupCode, has_admin, setup_done

router = APIRouter(prefix="/api/setup", tags=["setup"])


class SetupStatus(BaseModel):
    needed: bool = Field(description="No administrator exists and a setup code is in the server's log.")


class FirstAdmin(RequestModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=32, description="The one-time setup code printed in the server's log.")
    username: Username
    password: Password


def _setup_code(request: Request) -> SetupCode | None:
    return getattr(request.app.state, "setup_code", None)


@router.get("", operation_id="setup-status", response_model=SetupStatus)
def setup_status(request: Request, session: SessionDep) -> SetupStatus:
    """Whether the browser should offer to create the first administrator."""
    setup = _setup_code(request)
    return SetupStatus(needed=setup is not None and not setup.used and not has_admin(session))


@router.post(
    "",
    operation_id="setup-first-admin",
    response_model=TokenResponse,
    status_code=201,
    responses=documented_errors(403, 404, 410),
)
def create_first_admin(
    body: FirstAdmin,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    codec: TokenCodecDep,
    client_ip: ClientIp,
) -> TokenResponse:
    """Create the first administrator with the setup code, and sign it in."""
    setup = _setup_code(request)
    if setup is None:
        raise setup_done()
    with setup.lock:  # two browsers racing: the second finds an administrator
        if setup.used or has_admin(session):
            raise setup_done()
        setup.check(body.code)
        user = create_user(
            session,
            username=body.username,
            password=body.password,
            role=Role.ADMIN,
            min_password_length=settings.password_min_length,
            actor_id=None,
            client_ip=client_ip,
            via="setup_code",
        )
        setup.used = True
    tokens = issue_tokens(session, codec, user)
    return TokenResponse(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
        user=UserPublic.model_validate(user),
    )
