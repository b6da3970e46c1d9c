"""Errors of choosing and switching engines, with the status and code the API answers them with."""

from __future__ import annotations

from app.core.errors import ApiError


def engine_unknown(name: str, known: list[str]) -> ApiError:
    return ApiError(
        422, "engine_unknown", f"There is no engine {name!r}; the engines are {', '.join(known)}."
    )


def engine_not_ready(name: str, state: str) -> ApiError:
    """A named engine that cannot take requests now (loading, failed, unloaded or being unloaded)."""
    return ApiError(
        409, "engine_not_ready", f"The engine {name!r} is {state}; choose one of the ready engines."
    )


def engine_unavailable(name: str, reason: str) -> ApiError:
    """A configured engine that cannot run on this machine: no GPU, vLLM missing, model not prepared."""
    return ApiError(409, "engine_unavailable", f"The engine {name!r} cannot run on this server: {reason}")


def default_engine_not_ready(name: str, state: str) -> ApiError:
    """The default engine itself is down: the service is unavailable, not the request wrong."""
    return ApiError(503, "engine_not_ready", f"The language model ({name}) is {state}; try again shortly.")


def switch_in_progress(target: str) -> ApiError:
    return ApiError(
        409,
        "engine_switch_in_progress",
        f"A switch to {target!r} is in progress; wait until it has finished (GET /api/engines).",
    )


def engine_busy(name: str, waiting: int, retry_after: int) -> ApiError:
    """The engine's queue is full: refused at once rather than kept waiting (docs/security.md)."""
    return ApiError(
        503, "engine_busy",
        f"The language model ({name}) is busy with {waiting} questions; try again in {retry_after} s.",
    ).with_headers(Retry_After=str(retry_after))  # fmt: skip


def too_many_requests(detail: str, retry_after: int) -> ApiError:
    return ApiError(429, "too_many_requests", detail).with_headers(Retry_After=str(retry_after))
