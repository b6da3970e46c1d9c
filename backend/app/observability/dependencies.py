"""The app's metrics, as a dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.observability.metrics import Metrics


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


MetricsDep = Annotated[Metrics, Depends(get_metrics)]
