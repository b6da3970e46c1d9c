"""Building the FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from app import __version__
from app.api.docs_pages import install_api_docs
from app.api.openapi_errors import install_error_schemas
from app.api.routes import PUBLIC_ROUTERS, protected
from app.auth.setup import install_auth
from app.bootstrap import Services, build_services
from app.core.config import Settings, get_settings
from app.core.errors import install_error_handlers
from app.core.request_id import install_log_record_request_id
from app.core.security_headers import SecurityHeaders
from app.knowledge.router import router as knowledge_admin_router
from app.knowledge.uploads import UPLOAD_PATH, RouteBodyLimits, recover_interrupted_uploads
from app.observability.metrics import Metrics
from app.observability.middleware import RequestObserver
from app.users.admin_password import router as admin_password_router
from app.users.first_admin import ensure_first_admin
from app.users.setup_code import issue_setup_code_if_needed
from app.web import router as web_router

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None, services_factory: Callable[[Settings], Services] = build_services
) -> FastAPI:
    """The app; models and index load at startup, before the first request is accepted."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = services_factory(settings)
        app.state.services = services
        ensure_first_admin(services.knowledge.database, settings)
        recover_interrupted_uploads(services.knowledge.ingestor, settings)
        app.state.setup_code = issue_setup_code_if_needed(
            services.knowledge.database,
            timedelta(minutes=settings.setup_code_minutes),
            f"http://{settings.host}:{settings.port}/",
        )
        try:
            yield
        finally:
            services.close()

    app = FastAPI(
        title="Puxian RAG Assistant",
        description="Question answering about the Puxian dialect (莆仙话) from a curated knowledge base.",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # served from local assets by install_api_docs
        redoc_url=None,
    )
    app.state.settings = settings
    install_log_record_request_id()
    # Engine state is read from the services once the lifespan has built them.
    app.state.metrics = metrics = Metrics(
        lambda: getattr(getattr(app.state, "services", None), "engines", None)
    )
    install_error_handlers(app)  # first, so its middleware is the innermost: the observer sees a 500
    app.add_middleware(
        RouteBodyLimits, max_bytes=settings.max_body_bytes, larger={UPLOAD_PATH: settings.max_upload_bytes}
    )
    app.add_middleware(SecurityHeaders)
    # Added last, so outermost: it sees every request, the refused ones included.
    app.add_middleware(RequestObserver, metrics=metrics)
    install_auth(app, settings)
    for router in (*PUBLIC_ROUTERS, protected):
        app.include_router(router)
    app.include_router(knowledge_admin_router)
    app.include_router(admin_password_router)
    install_api_docs(app)
    install_error_schemas(app)
    app.include_router(web_router)  # last: the browser UI answers every path the API does not
    return app
