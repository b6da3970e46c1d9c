"""`AsyncBackedEngine`: the blocking and streaming interface over a backend that is async at heart."""

from __future__ import annotations

import abc
import asyncio
import threading
from collections.abc import AsyncIterator, Sequence
from typing import Unpack

from inference_engine.base_engine import BaseInferenceEngine, GenerationStream, Sampling
from inference_engine.config import InferenceConfig
from inference_engine.datatypes import GenerationResult, Prompt, SamplingOverrides, validate_prompt
from inference_engine.errors import EngineNotLoaded, GenerationError
from inference_engine.loop_thread import LoopThread


class AsyncBackedEngine(BaseInferenceEngine):
    """Runs every request as a coroutine on the engine's own event loop (see `LoopThread`).

    Subclasses implement `_events()`, an async generator of text deltas that ends with the
    `GenerationResult`. Requests submitted together (`batch_generate`, concurrent `generate` calls
    from several threads, concurrent streams) are in flight at once, so a backend that batches
    continuously (vLLM) batches them.
    """

    def __init__(self, config: InferenceConfig) -> None:
        super().__init__(config)
        self._runner: LoopThread | None = None

    @abc.abstractmethod
    def _events(self, prompt: Prompt, sampling: Sampling) -> AsyncIterator[str | GenerationResult]:
        """Generate one completion on the engine's loop: text deltas, then the result."""

    async def _complete(self, prompt: Prompt, sampling: Sampling) -> GenerationResult:
        """One whole completion; backends with a cheaper non-streaming path override this."""
        async for event in self._events(prompt, sampling):
            if not isinstance(event, str):
                return event
        raise GenerationError(f"the {self.name} backend ended a request without a result")

    def _start_runner(self) -> LoopThread:
        if self._runner is None or not self._runner.running:
            self._runner = LoopThread(f"{self.name}-engine")
        return self._runner

    def _stop_runner(self) -> None:
        if self._runner is not None:
            self._runner.stop()
            self._runner = None

    def _ready_runner(self) -> LoopThread:
        self._require_loaded()
        if self._runner is None:
            raise EngineNotLoaded(f"the {self.name} engine has no event loop; call load_model() first")
        return self._runner

    def generate(
        self, prompt: Prompt, abort: threading.Event | None = None, **overrides: Unpack[SamplingOverrides]
    ) -> GenerationResult:
        runner = self._ready_runner()
        validate_prompt(prompt)
        return runner.call(self._complete(prompt, self._sampling(overrides)), abort)

    def batch_generate(
        self, prompts: Sequence[Prompt], **overrides: Unpack[SamplingOverrides]
    ) -> list[GenerationResult]:
        """Submit all prompts at once; the backend schedules them together."""
        runner = self._ready_runner()
        for prompt in prompts:  # refuse a bad batch before any of it is generated
            validate_prompt(prompt)
        if not prompts:
            return []
        return runner.call(self._complete_all(list(prompts), self._sampling(overrides)))

    async def _complete_all(self, prompts: list[Prompt], sampling: Sampling) -> list[GenerationResult]:
        # A TaskGroup cancels (so aborts) the rest of the batch when one request fails.
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(self._complete(prompt, sampling)) for prompt in prompts]
        except BaseExceptionGroup as failures:
            raise failures.exceptions[0] from None  # callers catch EngineError, not groups
        return [task.result() for task in tasks]

    def stream(self, prompt: Prompt, **overrides: Unpack[SamplingOverrides]) -> GenerationStream:
        return GenerationStream(self._relayed_events(prompt, overrides))

    async def _relayed_events(
        self, prompt: Prompt, overrides: SamplingOverrides
    ) -> AsyncIterator[str | GenerationResult]:
        runner = self._ready_runner()
        validate_prompt(prompt)
        events = runner.relay(self._events(prompt, self._sampling(overrides)))
        try:
            async for event in events:
                yield event
        finally:
            await events.aclose()
