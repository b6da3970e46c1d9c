"""`GET /api/health`: public, for load balancers and the README's smoke check."""

from __future__ import annotations

from fastapi import APIRouter

from app import __version__
from app.api.deps import ServicesDep
from app.system.schemas import HealthResponse

router = APIRouter(prefix="/api", tags=["system"])


@router.get("/health", operation_id="system-health", response_model=HealthResponse)
def health(services: ServicesDep) -> HealthResponse:
    engine = services.engine.info()
    return HealthResponse(
        status="ok" if services.engine.is_ready else "degraded",
        version=__version__,
        engine={key: engine.get(key) for key in ("engine", "state", "device", "model_path", "load_seconds")},
        index={
            "chunks": len(services.knowledge.base),
            "documents": len(services.knowledge.base.store.documents()),
            "version": services.knowledge.base.version,
            "embedding_model": services.knowledge.embedder.model_id,
        },
    )
