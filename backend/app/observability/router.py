"""`GET /metrics`: Prometheus text format. Public unless PUXIAN_METRICS_TOKEN is set (docs/streaming.md)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, generate_latest

from app.api.deps import SettingsDep
from app.core.error_docs import documented_errors
from app.core.errors import ApiError
from app.observability.dependencies import MetricsDep

router = APIRouter(tags=["system"])


@router.get(
    "/metrics",
    operation_id="system-metrics",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {}}, "description": "Prometheus text format 0.0.4."},
        # 401: PUXIAN_METRICS_TOKEN is set and not sent; 404: PUXIAN_METRICS_ENABLED is off.
        **documented_errors(401, 404),
    },
)
def metrics(request: Request, settings: SettingsDep, app_metrics: MetricsDep) -> Response:
    """Request counts and latency, answer latency, TTFT, tokens/s, retrieval latency, engine state."""
    if not settings.metrics_enabled:
        raise ApiError(404, "not_found", "Not Found")
    if settings.metrics_token is not None:
        expected = f"Bearer {settings.metrics_token.get_secret_value()}"
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise ApiError(401, "invalid_metrics_token", "GET /metrics needs the metrics bearer token.")
    return Response(generate_latest(app_metrics.registry), media_type=CONTENT_TYPE_PLAIN_0_0_4)
