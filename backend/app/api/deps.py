"""FastAPI dependencies as `Annotated` aliases, resolved per request from the app's state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.bootstrap import Services
from app.chat.service import RAGService
from app.core.config import Settings


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_rag_service(request: Request) -> RAGService:
    return get_services(request).rag


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServicesDep = Annotated[Services, Depends(get_services)]
RagDep = Annotated[RAGService, Depends(get_rag_service)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
