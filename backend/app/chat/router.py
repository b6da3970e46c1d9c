"""`POST /api/chat` (one answer) and `POST /api/chat/stream` (the answer as Server-Sent Events).

Both store the exchange in a conversation, use its earlier turns, and may name the engine.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime

import anyio
from fastapi import APIRouter, Request

from app.api.deps import CurrentUser, DatabaseDep, RagDep, SettingsDep
from app.chat import transcript
from app.chat.answer_check import check_outcome
from app.chat.history import Turn
from app.chat.schemas import (
    ChatRequest,
    ChatResponse,
    InputReadingPublic,
    LinkedTermPublic,
    SourcePublic,
    WordCardPublic,
)
from app.chat.service import RAGAnswer
from app.chat.sse import CHAT_EVENT, EventStreamResponse
from app.chat.streaming import ChatStream, StreamRequest, StreamSettings
from app.conversations import service as conversations
from app.core.config import Settings
from app.core.disconnect import run_until_disconnected
from app.core.error_docs import GENERATION_ERRORS, documented_errors
from app.core.errors import ApiError
from app.db.session import Database
from app.db.types import utc_now
from app.observability.dependencies import MetricsDep
from inference_engine import GenerationAborted

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["chat"])

_STREAM_DESCRIPTION = """`text/event-stream`, events in this order:

* `sources` `{conversation_id, message_id (the stored question), sources: [...], reading}` (reading: how a
  romanized question was read, or null; its sentence is then the first delta)
* `cards` `{cards: [...]}`, for a question about a word: the lexicon entries the answer states
* `delta` `{text}`, many; joined they are the stored answer
* `done` `{message_id (the stored answer), conversation_id, usage, timings, engine, finish_reason, grounded,
  fallback, terms}`
  or `error` `{detail, code, message_id}` (the partial answer is stored with finish_reason `error`)

Lines starting with `:` are heartbeats while the model is busy. See docs/streaming.md."""


@router.post(
    "/chat",
    operation_id="chat-ask",
    response_model=ChatResponse,
    responses=documented_errors(404, *GENERATION_ERRORS),
)
async def ask(
    body: ChatRequest,
    request: Request,
    principal: CurrentUser,
    rag: RagDep,
    database: DatabaseDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> ChatResponse:
    """Answer a question about the Puxian dialect from the knowledge base, with numbered sources.

    The question and its answer are stored in the conversation named by `conversation_id` (one of
    the caller's own), or in a new one whose id the response gives; its earlier turns are context.
    A client that disconnects stops the model; the question is kept with what was answered so far
    (`finish_reason` `aborted`).
    """
    _check_question(body, settings)
    asked_at = utc_now()
    # Refused before the model spends seconds on an answer.
    history = await anyio.to_thread.run_sync(_history, database, principal.user_id, body, settings)
    rag.engines.check(body.engine)
    # No database connection is held while the model answers: many waiting requests must not
    # exhaust the connection pool.
    engine_name = body.engine or rag.engines.default_name
    try:
        answer = await run_until_disconnected(
            request,
            lambda abort: rag.answer(
                body.question,
                top_k=body.top_k,
                engine=body.engine,
                history=history,
                owner=principal.user_id,
                abort=abort,
            ),
        )
    except GenerationAborted:
        log.info("the client went away; the answer was aborted")
        answer = RAGAnswer(answer="", sources=[], timings={}, finish_reason="aborted", engine=engine_name)
        metrics.observe_answer("chat", engine_name, "aborted", {})
    except Exception:
        metrics.observe_answer("chat", engine_name, "error", {})
        raise
    else:
        outcome = "ok" if answer.engine else "no_answer"
        metrics.observe_answer(
            "chat",
            answer.engine,
            outcome,
            answer.timings,
            answer.usage.get("completion_tokens", 0),
            check_outcome(answer.grounded, answer.fallback),
        )
    stored = await anyio.to_thread.run_sync(_record, database, principal.user_id, body, answer, asked_at)
    return ChatResponse(
        answer=answer.answer,
        sources=[SourcePublic(**dataclasses.asdict(source)) for source in answer.sources],
        timings=answer.timings,
        usage=answer.usage,
        engine=answer.engine,
        finish_reason=answer.finish_reason,
        reading=InputReadingPublic(**dataclasses.asdict(answer.reading)) if answer.reading else None,
        cards=[WordCardPublic(**dataclasses.asdict(card)) for card in answer.cards],
        terms=[LinkedTermPublic(**dataclasses.asdict(term)) for term in answer.terms],
        grounded=answer.grounded,
        fallback=answer.fallback,
        conversation_id=stored.conversation_id,
        message_id=stored.answer_id,
    )


def _record(
    database: Database, user_id: int, body: ChatRequest, answer: RAGAnswer, asked_at: datetime
) -> conversations.StoredExchange:
    with database.session() as session:
        return conversations.record_exchange(
            session, user_id, body.conversation_id, body.question, answer, asked_at
        )


@router.post(
    "/chat/stream",
    operation_id="chat-stream",
    response_class=EventStreamResponse,
    # Needed by the OpenAPI generator: EventStreamResponse's __init__ has no status_code parameter
    # to read the default from, and the schema build fails without one.
    status_code=200,
    responses={
        200: {"content": {"text/event-stream": {"schema": CHAT_EVENT}}, "description": _STREAM_DESCRIPTION},
        **documented_errors(404, *GENERATION_ERRORS),
    },
)
def ask_streaming(
    body: ChatRequest,
    principal: CurrentUser,
    rag: RagDep,
    database: DatabaseDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> EventStreamResponse:
    """Answer as `POST /api/chat` does, sent as it is generated (Server-Sent Events).

    Problems found before the stream starts (empty question, unknown conversation, unknown or
    unready engine) are ordinary JSON errors; later ones are an `error` event.
    """
    _check_question(body, settings)
    if body.conversation_id is not None:
        with database.session() as session:
            conversations.owned_conversation(session, principal.user_id, body.conversation_id)
    lease = rag.engines.lease(body.engine, principal.user_id)  # 503 when full, 429 over a user's limit
    stream = ChatStream(
        StreamRequest(principal.user_id, body.question, body.top_k, body.conversation_id, body.engine),
        rag,
        database,
        metrics,
        StreamSettings(settings.stream_heartbeat_seconds, _history_messages(settings)),
        lease,
    )
    return EventStreamResponse(stream.events(), on_close=lease.release)


def _check_question(body: ChatRequest, settings: Settings) -> None:
    if len(body.question) > settings.max_question_chars:
        raise ApiError(
            422, "question_too_long", f"The question is longer than {settings.max_question_chars} characters."
        )


def _history(database: Database, user_id: int, body: ChatRequest, settings: Settings) -> list[Turn]:
    """The conversation's earlier turns; 404 if it is not the caller's."""
    if body.conversation_id is None:
        return []
    with database.session() as session:
        conversations.owned_conversation(session, user_id, body.conversation_id)
        limit = _history_messages(settings)
        return transcript.earlier_turns(session, user_id, body.conversation_id, limit) if limit else []


def _history_messages(settings: Settings) -> int:
    # Two messages a turn, and a few turns more than the prompt takes: follow-ups are resolved
    # from questions further back than the token budget reaches.
    return 2 * (settings.history_max_turns + 3) if settings.history_max_turns else 0
