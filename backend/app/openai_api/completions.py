"""Answering `/v1/chat/completions` with RAG: whole (`answer`), or as OpenAI's stream of chunks (`chunks`).

The question is retrieved for and answered by the RAG service as in /api/chat, on the engine the
request's `model` names, with the request's sampling values. Nothing is stored: an OpenAI client
keeps its conversation itself and sends it back as `messages`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import threading
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any, Literal

import anyio

from app.chat.answer_check import check_outcome
from app.chat.grounding_gate import GroundingGate
from app.chat.prompting import BuiltPrompt, no_answer_text
from app.chat.schemas import SourcePublic, WordCardPublic
from app.chat.service import PreparedAnswer, RAGService
from app.chat.sse import sse_comment
from app.chat.stream_text import StreamedAnswer
from app.engines.manager import Lease
from app.observability.metrics import Metrics
from app.openai_api.errors import from_exception
from app.openai_api.messages import Exchange
from app.openai_api.schemas import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatMessageOut,
    Choice,
    ChunkChoice,
    Delta,
    Usage,
)
from inference_engine import (
    GenerationAborted,
    GenerationError,
    GenerationResult,
    GenerationStream,
    SamplingOverrides,
)

log = logging.getLogger(__name__)
ENDPOINT = "openai"  # the metrics' endpoint label
DONE = "data: [DONE]\n\n"


class Completion:
    """One request: its id, the exchange and sampling values, and the RAG service that answers it."""

    def __init__(
        self,
        model: str,
        exchange: Exchange,
        overrides: SamplingOverrides,
        rag: RAGService,
        metrics: Metrics,
        heartbeat_seconds: float = 15.0,
        owner: int | None = None,
    ) -> None:
        self.model, self.exchange, self.overrides = model, exchange, overrides
        self.owner = owner  # the asking user, held to the per-user limits (engines/admission.py)
        self.rag, self.metrics, self.heartbeat_seconds = rag, metrics, heartbeat_seconds
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self._started = time.perf_counter()

    # ------------------------------------------------------------------ whole

    def answer(self, abort: threading.Event | None = None) -> ChatCompletion:
        """The whole answer (blocking: seconds on a CPU); setting `abort` stops the model."""
        try:
            with self.rag.engines.lease(self.model, self.owner) as lease:
                prepared = self._prepare()
                if prepared.prompt is None:
                    self._observe("no_answer", prepared)
                    return self._completion(no_answer_text(prepared.english), prepared, None)
                sampling = self._sampling(prepared.prompt)
                result = lease.engine.generate(prepared.prompt.messages, abort=abort, **sampling)
                answer = self.rag.checked_answer(prepared, result, lease.engine, abort)
        except GenerationAborted:
            self.metrics.observe_answer(ENDPOINT, self.model, "aborted", {})
            raise
        except Exception:
            self.metrics.observe_answer(ENDPOINT, self.model, "error", {})
            raise
        self._observe("ok", prepared, result, check_outcome(answer.grounded, answer.fallback))
        return self._completion(answer.answer, prepared, result, answer.grounded)

    def _completion(
        self,
        text: str,
        prepared: PreparedAnswer,
        result: GenerationResult | None,
        grounded: bool | None = None,
    ) -> ChatCompletion:
        return ChatCompletion(
            id=self.id,
            created=self.created,
            model=self.model,
            choices=[Choice(message=ChatMessageOut(content=text), finish_reason=_finish_reason(result))],
            usage=_usage(result),
            sources=_sources(prepared),
            cards=_cards(prepared),
            grounded=grounded,
        )

    # ----------------------------------------------------------------- stream

    def lease(self) -> Lease:
        """The engine, taken before a stream starts: a full queue is a 503, not an error event."""
        return self.rag.engines.lease(self.model, self.owner)

    async def chunks(self, include_usage: bool, lease: Lease) -> AsyncIterator[str]:
        """Server-sent events: the first chunk carries the role and the sources, then text deltas,
        then the finish reason, the usage if asked for, and `[DONE]`. A failure after the stream began
        is an `{"error": ...}` event (OpenAI clients raise it), after which the stream ends."""
        generation: GenerationStream | None = None
        outcome = "error"
        try:
            prepared = await anyio.to_thread.run_sync(self._prepare)
            first = self._chunk(
                Delta(role="assistant", content=""), sources=_sources(prepared), cards=_cards(prepared)
            )
            yield first
            fallback, check = "", None
            if prepared.prompt is None:
                yield self._chunk(Delta(content=no_answer_text(prepared.english)))
                outcome, result = "no_answer", None
            else:
                generation = lease.engine.stream(prepared.prompt.messages, **self._sampling(prepared.prompt))
                streamed = StreamedAnswer(prepared.opening)
                gate = self.rag.gate(prepared)
                if prepared.opening:  # how a romanized question was read
                    yield self._chunk(Delta(content=prepared.opening))
                # Closed however this stream ends, so that its pending read is over before the
                # generation is closed below.
                async with aclosing(self._pieces(generation, streamed, gate)) as pieces:
                    async for piece in pieces:
                        yield piece
                gate.finish()
                model_text, result = gate.released, generation.result
                if gate.failed:
                    with anyio.CancelScope(shield=True):
                        await generation.aclose()
                    model_text, fallback = await anyio.to_thread.run_sync(
                        self.rag.after_failed_stream, prepared, gate.released, lease.engine
                    )
                elif result is None:
                    raise GenerationError("the engine ended the stream without a result")
                final = self.rag.final_text(prepared, model_text)
                rest = streamed.finish(final)
                if rest:
                    yield self._chunk(Delta(content=rest))
                outcome, check = "ok", check_outcome(self.rag.grounded(prepared, final), fallback)
            yield self._chunk(Delta(), finish_reason=_finish_reason(result))
            if include_usage:
                yield self._chunk(None, usage=_usage(result))
            yield DONE
            self._observe(outcome, prepared, result, check)
        except (asyncio.CancelledError, GeneratorExit):
            outcome = "aborted"
            raise
        except Exception as exc:
            yield _event(from_exception(exc).body())
        finally:
            if generation is not None:
                with anyio.CancelScope(shield=True):  # closing aborts the engine's request
                    await generation.aclose()
            lease.release()
            if outcome in ("error", "aborted"):
                self.metrics.observe_answer(ENDPOINT, self.model, outcome, {})

    async def _pieces(
        self, generation: GenerationStream, streamed: StreamedAnswer, gate: GroundingGate
    ) -> AsyncGenerator[str, None]:
        """Delta chunks as the engine produces them, clause by clause as they pass the grounding
        check (none once one fails), and a heartbeat comment after an idle while.

        The next delta is awaited in a task of its own so that the wait can time out for a heartbeat
        without cancelling (and so aborting) the generation.
        """
        pending: asyncio.Task[str | None] | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(_next_delta(generation))
                done, _ = await asyncio.wait({pending}, timeout=self.heartbeat_seconds)
                if not done:
                    yield sse_comment("waiting for the model")
                    continue
                task, pending = pending, None
                delta = task.result()
                if delta is None:
                    return
                text = streamed.feed(gate.feed(delta))
                if gate.failed:
                    return
                if text:
                    yield self._chunk(Delta(content=text))
        finally:
            if pending is not None:
                pending.cancel()
                with anyio.CancelScope(shield=True):
                    await asyncio.wait({pending})

    def _chunk(
        self,
        delta: Delta | None,
        finish_reason: Literal["stop", "length"] | None = None,
        usage: Usage | None = None,
        sources: list[SourcePublic] | None = None,
        cards: list[WordCardPublic] | None = None,
    ) -> str:
        choices = [] if delta is None else [ChunkChoice(delta=delta, finish_reason=finish_reason)]
        chunk = ChatCompletionChunk(
            id=self.id, created=self.created, model=self.model, choices=choices, usage=usage, sources=sources,
            cards=cards,
        )  # fmt: skip
        return _event(chunk.model_dump(exclude_none=True))

    # ---------------------------------------------------------------- helpers

    def _sampling(self, prompt: BuiltPrompt) -> SamplingOverrides:
        """The request's sampling values, the prompt's start of the answer, and its length cap after
        a word card's statement (the smaller of the request's and the prompt's)."""
        sampling = SamplingOverrides(**self.overrides)
        sampling["response_prefix"] = prompt.response_prefix
        if prompt.max_tokens is not None:
            sampling["max_tokens"] = min(sampling.get("max_tokens", prompt.max_tokens), prompt.max_tokens)
        return sampling

    def _prepare(self) -> PreparedAnswer:
        return self.rag.prepare(self.exchange.question, None, self.exchange.history)

    def _observe(
        self,
        outcome: str,
        prepared: PreparedAnswer,
        result: GenerationResult | None = None,
        check: str | None = None,
    ) -> None:
        timings = {"retrieval_ms": prepared.retrieval_ms, "total_ms": _ms_since(self._started)}
        tokens = 0
        if result is not None:
            timings |= {"ttft_ms": round(result["ttft"] * 1000, 1), "tokens_per_s": result["throughput"]}
            tokens = result["completion_tokens"]
        self.metrics.observe_answer(ENDPOINT, self.model if result else "", outcome, timings, tokens, check)


async def _next_delta(generation: GenerationStream) -> str | None:
    # StopAsyncIteration cannot leave a task cleanly, so the end is None.
    try:
        return await anext(generation)
    except StopAsyncIteration:
        return None


def _event(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _finish_reason(result: GenerationResult | None) -> Literal["stop", "length"]:
    return "length" if result is not None and result["finish_reason"] == "length" else "stop"


def _usage(result: GenerationResult | None) -> Usage:
    """Token counts; zero when the knowledge base lacked the answer and the model was not asked."""
    prompt = result["prompt_tokens"] if result else 0
    completion = result["completion_tokens"] if result else 0
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)


def _sources(prepared: PreparedAnswer) -> list[SourcePublic]:
    return [SourcePublic(**dataclasses.asdict(source)) for source in prepared.sources]


def _cards(prepared: PreparedAnswer) -> list[WordCardPublic]:
    return [WordCardPublic(**dataclasses.asdict(card)) for card in prepared.cards]


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
