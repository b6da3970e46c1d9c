"""Assembling one request's result from the pieces a backend reports, timed the same way everywhere."""

from __future__ import annotations

import time

from inference_engine.datatypes import FinishReason, GenerationResult, make_result


class CompletionTracker:
    """Collects the text deltas and token counts of one request and notes when its first token came.

    The clock starts when the tracker is made, i.e. when the request is submitted. The response
    prefix, if any, is part of the text but not of the token counts (the model did not generate it).
    """

    def __init__(self, response_prefix: str = "") -> None:
        self.started = time.perf_counter()
        self.first_token_at: float | None = None
        self.tokens = 0
        self._pieces = [response_prefix] if response_prefix else []

    def add(self, delta: str, new_tokens: int) -> str:
        """Record a delta of `new_tokens` generated tokens; returns the delta for chaining."""
        if new_tokens and self.first_token_at is None:
            self.first_token_at = time.perf_counter()
        self.tokens += new_tokens
        if delta:
            self._pieces.append(delta)
        return delta

    @property
    def text(self) -> str:
        return "".join(self._pieces)

    def result(
        self, prompt_tokens: int, finish: FinishReason, completion_tokens: int | None = None
    ) -> GenerationResult:
        """The finished result; `completion_tokens`, where given, replaces the counted tokens."""
        now = time.perf_counter()
        first = self.first_token_at if self.first_token_at is not None else now
        return make_result(
            self.text,
            prompt_tokens,
            self.tokens if completion_tokens is None else completion_tokens,
            now - self.started,
            first - self.started,
            finish,
        )
