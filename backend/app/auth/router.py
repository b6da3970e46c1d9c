"""`/api/auth/*`: sign in, refresh, register (public); me and password change (signed in)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import (
    ClientIp,
    CurrentUser,
    SessionDep,
    SettingsDep,
    SignedInUser,
    ThrottlePolicyDep,
    TokenCodecDep,
)
from app.auth import service
from app.auth.schemas import LoginRequest, PasswordChange, RefreshRequest, TokenResponse
from app.core.error_docs import documented_errors
from app.users.schemas import UserPublic, UserRegister
from app.users.service import get_user

# The deliberately public routes: a client has no credential yet when it calls them.
public_router = APIRouter(prefix="/api/auth", tags=["auth"])
# Included behind authentication (app/api/routes.py).
router = APIRouter(prefix="/api/auth", tags=["auth"])


def _token_response(signed_in: service.SignedIn) -> TokenResponse:
    tokens = signed_in.tokens
    return TokenResponse(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
        user=UserPublic.model_validate(signed_in.user),
    )


@public_router.post(
    "/login",
    operation_id="auth-login",
    response_model=TokenResponse,
    responses=documented_errors(401, 403, 429),
)
def login(
    body: LoginRequest,
    session: SessionDep,
    codec: TokenCodecDep,
    policy: ThrottlePolicyDep,
    client_ip: ClientIp,
) -> TokenResponse:
    """Exchange a username and password for an access token and a refresh token."""
    signed_in = service.login(
        session, codec, policy, username=body.username, password=body.password, client_ip=client_ip
    )
    return _token_response(signed_in)


@public_router.post(
    "/refresh",
    operation_id="auth-refresh",
    response_model=TokenResponse,
    responses=documented_errors(401, 403),
)
def refresh(
    body: RefreshRequest, session: SessionDep, codec: TokenCodecDep, client_ip: ClientIp
) -> TokenResponse:
    """Exchange a refresh token for a new token pair. Each refresh token works once: presented again,
    it ends every session of its sign-in (401 `token_revoked`)."""
    return _token_response(service.refresh(session, codec, body.refresh_token, client_ip))


@public_router.post(
    "/register",
    operation_id="auth-register",
    response_model=UserPublic,
    status_code=201,
    responses=documented_errors(403, 409),
)
def register(
    body: UserRegister, session: SessionDep, settings: SettingsDep, client_ip: ClientIp
) -> UserPublic:
    """Create an account with the role `user`, when registration is open (PUXIAN_REGISTRATION=open)."""
    user = service.register(
        session,
        open_registration=settings.registration == "open",
        username=body.username,
        password=body.password,
        min_length=settings.password_min_length,
        client_ip=client_ip,
    )
    return UserPublic.model_validate(user)


@router.get("/me", operation_id="auth-me", response_model=UserPublic)
def me(principal: CurrentUser, session: SessionDep) -> UserPublic:
    """The signed-in account."""
    return UserPublic.model_validate(get_user(session, principal.user_id))


@router.post(
    "/password",
    operation_id="auth-change-password",
    response_model=TokenResponse,
    responses=documented_errors(403),
)
def change_password(
    body: PasswordChange,
    principal: SignedInUser,
    session: SessionDep,
    codec: TokenCodecDep,
    settings: SettingsDep,
    client_ip: ClientIp,
) -> TokenResponse:
    """Change the password. Every older token stops working; the response holds new ones."""
    signed_in = service.change_password(
        session,
        codec,
        principal,
        current_password=body.current_password,
        new_password=body.new_password,
        min_length=settings.password_min_length,
        client_ip=client_ip,
    )
    return _token_response(signed_in)
