"""One streamed answer as Server-Sent Events: `sources`, then `delta`s, then `done` or `error`.

The engine is leased first, so the request runs on the engine that was the default when it arrived,
whatever switch happens meanwhile. The question is stored before the model starts (the `sources`
event gives its id) and the answer at the end; when the engine fails or the client goes away, the
part already generated is stored instead (finish_reason `error` or `aborted`) and the engine's
request is closed, which aborts it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio

from app.chat import transcript
from app.chat.answer_check import check_outcome
from app.chat.grounding_gate import GroundingGate
from app.chat.history import Turn
from app.chat.prompting import no_answer_text
from app.chat.service import PreparedAnswer, RAGAnswer, RAGService
from app.chat.sse import sse_comment, sse_event
from app.chat.stream_text import StreamedAnswer
from app.core.errors import ApiError
from app.db.session import Database
from app.db.types import utc_now
from app.engines.manager import Lease
from app.observability.metrics import Metrics
from inference_engine import EngineError, GenerationStream, InvalidPrompt

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreamRequest:
    user_id: int
    question: str
    top_k: int | None
    conversation_id: uuid.UUID | None
    engine: str | None


@dataclass(frozen=True)
class StreamSettings:
    heartbeat_seconds: float
    # How many earlier messages are read for the history and the follow-up rewrite.
    history_messages: int


class ChatStream:
    """Produces the events of one request; `events()` is iterated once, by the response."""

    def __init__(
        self,
        request: StreamRequest,
        rag: RAGService,
        database: Database,
        metrics: Metrics,
        settings: StreamSettings,
        lease: Lease,
    ) -> None:
        self.request, self.rag, self.database, self.metrics = request, rag, database, metrics
        self.settings = settings
        self._started = time.perf_counter()
        self._asked_at = utc_now()
        # Taken by the route before the response starts, so that a full queue is a 503, not an event.
        self._lease: Lease | None = lease
        self._stored: transcript.StoredQuestion | None = None
        self._prepared: PreparedAnswer | None = None
        self._generation: GenerationStream | None = None
        self._generation_started = 0.0
        self._pending: asyncio.Task[str | None] | None = None
        self._answer = StreamedAnswer()
        self._gate: GroundingGate | None = None

    async def events(self) -> AsyncIterator[str]:
        outcome, timings, tokens = "error", {}, 0
        check: str | None = None
        try:
            if self._lease is not None and self._lease.ahead:
                yield sse_event("queued", {"position": self._lease.ahead})
            yield await self._begin()
            prepared = self._prepared
            assert prepared is not None
            if prepared.prompt is None:
                outcome, timings = "no_answer", {"retrieval_ms": prepared.retrieval_ms}
                yield sse_event("delta", {"text": no_answer_text(prepared.english)})
                yield await self._finish_no_answer()
                return
            if prepared.cards:
                yield sse_event("cards", {"cards": [dataclasses.asdict(card) for card in prepared.cards]})
            if prepared.opening:
                self._answer = StreamedAnswer(prepared.opening)
                yield sse_event("delta", {"text": prepared.opening})
            self._start_generation()
            while (piece := await self._next_piece()) is not None:
                if piece:
                    yield piece
            answer = await self._completed_answer()
            rest = self._answer.finish(answer.answer)
            if rest:
                yield sse_event("delta", {"text": rest})
            yield await self._finish(answer)
            outcome, timings, tokens = "ok", answer.timings, answer.usage.get("completion_tokens", 0)
            check = check_outcome(answer.grounded, answer.fallback)
        except (asyncio.CancelledError, GeneratorExit):
            outcome = "aborted"
            log.info("client went away; aborting the answer and keeping what there is")
            with anyio.CancelScope(shield=True):  # the response's scope is being cancelled
                await self._stop_generation()
                await self._store_partial("aborted")
            raise
        except Exception as exc:
            code, detail = _failure(exc)
            with anyio.CancelScope(shield=True):
                await self._stop_generation()
                message_id = await self._store_partial("error")
            yield sse_event("error", {"detail": detail, "code": code, "message_id": message_id})
        finally:
            if self._lease is not None:
                self._lease.release()
            engine = self._lease.name if self._lease and outcome != "no_answer" else ""
            self.metrics.observe_answer("stream", engine, outcome, timings, tokens, check)

    # ------------------------------------------------------------------- steps

    async def _begin(self) -> str:
        """Lease the engine, read the history, store the question, retrieve: the `sources` event."""
        request = self.request
        history = await anyio.to_thread.run_sync(self._read_history)
        self._stored = await anyio.to_thread.run_sync(self._store_question)
        self._prepared = await anyio.to_thread.run_sync(
            self.rag.prepare, request.question, request.top_k, history
        )
        return sse_event(
            "sources",
            {
                "conversation_id": str(self._stored.conversation_id),
                "message_id": self._stored.message_id,
                "sources": [dataclasses.asdict(source) for source in self._prepared.sources],
                "reading": dataclasses.asdict(self._prepared.reading) if self._prepared.reading else None,
            },
        )

    def _read_history(self) -> list[Turn]:
        if self.request.conversation_id is None or self.settings.history_messages == 0:
            return []
        with self.database.session() as session:
            return transcript.earlier_turns(
                session, self.request.user_id, self.request.conversation_id, self.settings.history_messages
            )

    def _store_question(self) -> transcript.StoredQuestion:
        request = self.request
        with self.database.session() as session:
            return transcript.store_question(
                session, request.user_id, request.conversation_id, request.question, self._asked_at
            )

    def _start_generation(self) -> None:
        assert self._lease is not None
        prepared = self._prepared
        assert prepared is not None
        assert prepared.prompt is not None
        self._gate = self.rag.gate(prepared)
        self._generation_started = time.perf_counter()
        self._generation = self._lease.engine.stream(prepared.prompt.messages, **prepared.prompt.overrides)

    async def _next_piece(self) -> str | None:
        """The next delta event, a heartbeat comment after an idle while, "" for nothing, None at the end.

        The engine's next delta is awaited in a task of its own, so that waiting can time out for a
        heartbeat without cancelling (and so aborting) the generation.
        """
        assert self._generation is not None
        if self._pending is None:
            self._pending = asyncio.ensure_future(_next_delta(self._generation))
        done, _ = await asyncio.wait({self._pending}, timeout=self.settings.heartbeat_seconds)
        if not done:
            return sse_comment("waiting for the model")
        task, self._pending = self._pending, None
        delta = task.result()  # raises what the engine raised
        assert self._gate is not None
        if delta is None:
            return None
        text = self._answer.feed(self._gate.feed(delta))
        if self._gate.failed:
            log.info("a clause failed the grounding check; stopping the generation")
            return None
        return sse_event("delta", {"text": text}) if text else ""

    async def _completed_answer(self) -> RAGAnswer:
        """The answer at the end of the model's text; a failed check's fallback if one failed."""
        assert self._generation is not None
        assert self._lease is not None
        assert self._gate is not None
        prepared = self._prepared
        assert prepared is not None
        fallback = ""
        if not self._gate.failed:
            self._gate.finish()  # the last clause; the caller sends what is not sent yet
        model_text = self._gate.released
        result = self._generation.result if self._generation is not None else None
        if self._gate.failed:
            await self._stop_generation()
            model_text, fallback = await anyio.to_thread.run_sync(
                self.rag.after_failed_stream, prepared, self._gate.released, self._lease.engine
            )
        if result is None and not fallback:
            raise EngineError("the engine ended the stream without a result")
        queued = self._generation_started - self._started
        timings = {"retrieval_ms": prepared.retrieval_ms, "total_ms": self._elapsed_ms()}
        if result is not None:
            timings |= {
                "ttft_ms": round((queued + result["ttft"]) * 1000, 1),
                "generation_ms": round(result["latency"] * 1000, 1),
                "tokens_per_s": round(result["throughput"], 2),
            }
        answer = self.rag.result(prepared, self.rag.final_text(prepared, model_text), result, fallback)
        return dataclasses.replace(answer, timings=timings, engine=self._lease.name)

    async def _finish(self, answer: RAGAnswer) -> str:
        message_id = await anyio.to_thread.run_sync(self._store_answer, answer)
        assert self._stored is not None
        log.info(
            "streamed an answer on %s in %.0f ms (%d completion tokens, grounded %s, fallback %r)",
            answer.engine,
            answer.timings["total_ms"],
            answer.usage.get("completion_tokens", 0),
            answer.grounded,
            answer.fallback,
        )
        return sse_event(
            "done",
            {
                "message_id": message_id,
                "conversation_id": str(self._stored.conversation_id),
                "usage": answer.usage,
                "timings": answer.timings,
                "engine": answer.engine,
                "finish_reason": answer.finish_reason,
                "grounded": answer.grounded,
                "fallback": answer.fallback,
                "terms": [dataclasses.asdict(term) for term in answer.terms],
            },
        )

    async def _finish_no_answer(self) -> str:
        assert self._prepared is not None
        answer = self.rag.no_answer(self._prepared, self._started)
        answer = dataclasses.replace(
            answer,
            usage={"prompt_tokens": 0, "completion_tokens": 0},
            timings={**answer.timings, "ttft_ms": 0},
        )
        return await self._finish(answer)

    def _store_answer(self, answer: RAGAnswer) -> int:
        assert self._stored is not None
        with self.database.session() as session:
            return transcript.store_answer(
                session, self.request.user_id, self._stored.conversation_id, answer
            )

    # ---------------------------------------------------------------- failures

    async def _stop_generation(self) -> None:
        """Abort the engine's request: cancel the pending read, then close the stream."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.cancel()
            await asyncio.wait({pending})
            if not pending.cancelled() and pending.exception() is not None:
                log.debug("the engine's last read failed: %s", pending.exception())
        generation, self._generation = self._generation, None
        if generation is not None:
            try:
                await generation.aclose()
            except Exception:  # the request is over either way
                log.warning("closing the engine's stream failed", exc_info=True)

    async def _store_partial(self, finish_reason: str) -> int | None:
        """Store what was generated so far; None when the question itself was never stored."""
        if self._stored is None:
            return None
        partial = RAGAnswer(
            answer=self._answer.text,
            sources=self._prepared.sources if self._prepared else [],
            timings={"total_ms": self._elapsed_ms()},
            usage={},
            finish_reason=finish_reason,
            engine=self._lease.name if self._lease else "",
        )
        try:
            return await anyio.to_thread.run_sync(self._store_answer, partial)
        except Exception:
            log.exception("the partial answer could not be stored")
            return None

    def _elapsed_ms(self) -> float:
        return round((time.perf_counter() - self._started) * 1000, 1)


async def _next_delta(generation: GenerationStream) -> str | None:
    # StopAsyncIteration cannot leave a task cleanly, so the end is None.
    try:
        return await anext(generation)
    except StopAsyncIteration:
        return None


def _failure(exc: Exception) -> tuple[str, str]:
    """The code and message of the error event; never a stack trace."""
    if isinstance(exc, ApiError):
        return exc.code, exc.detail
    if isinstance(exc, InvalidPrompt):
        return "prompt_too_long", str(exc)
    if isinstance(exc, EngineError):
        log.error("the engine failed mid-stream: %s", exc)
        return "engine_failed", "The language model failed while answering; the partial answer was kept."
    log.exception("the stream failed")
    return "internal_error", "Internal server error; the partial answer was kept."
