"""The engine manager of the running app, as a dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.api.deps import get_services
from app.engines.manager import EngineManager


def get_engine_manager(request: Request) -> EngineManager:
    return get_services(request).engines


EnginesDep = Annotated[EngineManager, Depends(get_engine_manager)]
