"""FastAPI dependencies as `Annotated` aliases, resolved per request from the app's state.

Authentication happens here and nowhere else: `CurrentUser` resolves the bearer credential,
`require_admin` guards the admin router (app/api/routes.py), `require_signed_in_session` keeps API
keys away from credential management.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.auth import errors
from app.auth.principal import Principal
from app.auth.service import resolve_principal
from app.auth.throttle import ThrottlePolicy
from app.auth.tokens import TokenCodec
from app.bootstrap import Services
from app.chat.service import RAGService
from app.core.config import Settings
from app.core.limits import Offset, PageLimit
from app.db.session import Database


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_rag_service(request: Request) -> RAGService:
    return get_services(request).rag


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    return get_services(request).knowledge.database


def get_session(database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    """A session for the request; route services commit what must be stored before answering."""
    with database.session() as session:
        yield session


def get_token_codec(request: Request) -> TokenCodec:
    codec: TokenCodec = request.app.state.token_codec
    return codec


def get_throttle_policy(request: Request) -> ThrottlePolicy:
    policy: ThrottlePolicy = request.app.state.throttle_policy
    return policy


def get_client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


_bearer = HTTPBearer(
    auto_error=False,
    description="An access token from POST /api/auth/login, or an API key (pk-…) from POST /api/keys.",
)


def current_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    database: Annotated[Database, Depends(get_database)],
    codec: Annotated[TokenCodec, Depends(get_token_codec)],
) -> Principal:
    if credentials is None or not credentials.credentials.strip():
        raise errors.missing_credentials()
    # A session of its own, closed at once: a chat request holds no connection while the model writes.
    with database.session() as session:
        return resolve_principal(session, codec, credentials.credentials.strip())


def require_admin(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.is_admin:
        raise errors.admin_required()
    return principal


def require_signed_in_session(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.api_key_id is not None:
        raise errors.session_required()
    return principal


@dataclass(frozen=True)
class Page:
    offset: int
    limit: int


def page_params(
    offset: Offset = 0,
    limit: PageLimit = 20,
) -> Page:
    return Page(offset, limit)


ServicesDep = Annotated[Services, Depends(get_services)]
RagDep = Annotated[RAGService, Depends(get_rag_service)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_session)]
TokenCodecDep = Annotated[TokenCodec, Depends(get_token_codec)]
ThrottlePolicyDep = Annotated[ThrottlePolicy, Depends(get_throttle_policy)]
ClientIp = Annotated[str, Depends(get_client_ip)]
CurrentUser = Annotated[Principal, Depends(current_principal)]
AdminUser = Annotated[Principal, Depends(require_admin)]
SignedInUser = Annotated[Principal, Depends(require_signed_in_session)]
PageDep = Annotated[Page, Depends(page_params)]
