"""Building the FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.bootstrap import Services, build_services
from app.chat.router import router as chat_router
from app.core.body_limit import BodySizeLimit
from app.core.config import Settings, get_settings
from app.core.errors import install_error_handlers
from app.system.router import router as system_router

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
        try:
            yield
        finally:
            services.close()

    app = FastAPI(
        title="Puxian RAG Assistant",
        description="Question answering about the Puxian dialect (莆仙话) from a curated knowledge base.",
        version=__version__,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    app.include_router(system_router)
    app.include_router(chat_router)
    return app
