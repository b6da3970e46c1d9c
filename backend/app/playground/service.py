"""Running one playground generation on a leased engine, and its audit record.

No retrieval and no grounding check: the text is what the engine makes of the prompt, which is the
point when engines are compared by hand.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from app.audit.service import record_event
from app.core.errors import ApiError
from app.db.session import Database
from app.engines.manager import EngineManager
from app.playground.schemas import MAX_TOKENS, GenerateRequest, GenerateResponse, Timings, Usage
from inference_engine import EngineError, EngineNotLoaded, GenerationAborted, InvalidPrompt

AUDIT_ACTION = "playground.generated"


@dataclass(frozen=True)
class Caller:
    """Who asked and from where, and which route (for the audit record)."""

    user_id: int
    client_ip: str
    route: str


def generate(
    engines: EngineManager, body: GenerateRequest, abort: threading.Event | None = None
) -> GenerateResponse:
    """Generate on the named engine (None: the default), holding a lease on it while it runs.

    Blocking: callers run it in a worker thread. The lease refuses as in the chat API: an unknown
    engine is 422 `engine_unknown`, one that cannot serve now 409 `engine_not_ready` (503 for the default).
    Setting `abort` (the client went away) stops the model: `GenerationAborted`.
    """
    overrides = body.overrides()
    with engines.lease(body.engine) as lease:
        # The engine's own default may be longer than a playground answer is allowed to be.
        overrides.setdefault("max_tokens", min(lease.engine.config.max_tokens, MAX_TOKENS))
        result = lease.engine.generate(body.as_prompt(), abort=abort, **overrides)
    return GenerateResponse(
        engine=lease.name,
        text=result["text"],
        usage=Usage(prompt_tokens=result["prompt_tokens"], completion_tokens=result["completion_tokens"]),
        timings=Timings(
            ttft_ms=round(result["ttft"] * 1000, 1),
            total_ms=round(result["latency"] * 1000, 1),
            tokens_per_s=round(result["throughput"], 2),
        ),
        finish_reason=result["finish_reason"],
    )


def generate_audited(
    engines: EngineManager,
    database: Database,
    body: GenerateRequest,
    caller: Caller,
    abort: threading.Event | None = None,
) -> GenerateResponse:
    """`generate`, then an audit event, whichever way it ended. The prompt's text is not stored:
    only its size, the engine and the outcome."""
    try:
        response = generate(engines, body, abort)
    except Exception as exc:
        _audit(database, caller, body, body.engine or engines.default_name, {"outcome": _error_code(exc)})
        raise
    outcome = {"outcome": "ok", "completion_tokens": response.usage.completion_tokens}
    _audit(database, caller, body, response.engine, outcome)
    return response


def _audit(
    database: Database, caller: Caller, body: GenerateRequest, engine: str, result: dict[str, Any]
) -> None:
    details: dict[str, Any] = {"route": caller.route, "mode": body.mode, "prompt_chars": _prompt_chars(body)}
    if body.messages is not None:
        details["messages"] = len(body.messages)
    if body.max_tokens is not None:
        details["max_tokens"] = body.max_tokens
    # Opened after the model answered: no database connection is held while it generates.
    with database.session() as session:
        record_event(
            session, AUDIT_ACTION, caller.user_id, "engine", engine[:64], details | result, caller.client_ip
        )
        session.commit()


def _prompt_chars(body: GenerateRequest) -> int:
    if body.prompt is not None:
        return len(body.prompt)
    return sum(len(message.content) for message in body.messages or [])


def _error_code(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        return exc.code
    if isinstance(exc, GenerationAborted):
        return "client_closed"
    if isinstance(exc, EngineNotLoaded):
        return "engine_not_ready"
    if isinstance(exc, InvalidPrompt):
        return "prompt_too_long"
    if isinstance(exc, EngineError):
        return "engine_failed"
    return "internal_error"
