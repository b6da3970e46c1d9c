"""Which routes need what. Everything under `protected` requires a signed-in user or an API key;
everything under `admin` also requires the admin role. The public routes are only those in
`PUBLIC_ROUTERS`: a client has no credential yet when it calls them (health, sign-in, the first
administrator's setup), or it is
Prometheus (`/metrics`, which takes a token of its own when PUXIAN_METRICS_TOKEN is set).
The seed's `POST /api/vllm/generate`, outside `/api/admin`, carries the admin guard itself."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.api.deps import current_principal, require_admin
from app.audit.router import router as audit_router
from app.auth.keys_router import router as keys_router
from app.auth.router import public_router as auth_public_router
from app.auth.router import router as auth_router
from app.chat.router import router as chat_router
from app.conversations.router import router as conversations_router
from app.core.error_docs import documented_errors
from app.engines.router import admin_router as engines_admin_router
from app.engines.router import router as engines_router
from app.observability.router import router as metrics_router
from app.openai_api.router import router as openai_router
from app.playground.router import router as playground_router
from app.playground.seed_alias import router as seed_generate_router
from app.romanize.router import router as romanize_router
from app.system.router import router as system_router
from app.users.router import router as users_router
from app.users.setup_router import router as setup_router

PUBLIC_ROUTERS = (system_router, auth_public_router, metrics_router, setup_router)

admin = APIRouter(
    prefix="/api/admin", dependencies=[Depends(require_admin)], responses=documented_errors(403)
)
admin.include_router(users_router)
admin.include_router(audit_router)
admin.include_router(engines_admin_router)
admin.include_router(playground_router)

protected = APIRouter(dependencies=[Depends(current_principal)], responses=documented_errors(401))
protected.include_router(auth_router)
protected.include_router(keys_router)
protected.include_router(chat_router)
protected.include_router(romanize_router)
protected.include_router(conversations_router)
protected.include_router(engines_router)
protected.include_router(openai_router)  # /v1: OpenAI's error format, its own route class
protected.include_router(admin)
protected.include_router(seed_generate_router)  # admins only: its own guard, its own error body
