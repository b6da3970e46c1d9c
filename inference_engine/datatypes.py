"""Value types shared by every engine: prompts, sampling overrides, results, state."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any, Literal, TypedDict

Role = Literal["system", "user", "assistant"]


class ChatMessage(TypedDict):
    role: Role
    content: str


# A plain prompt is passed to the model as is; chat messages go through its chat template.
Prompt = str | Sequence[ChatMessage]

FinishReason = Literal["stop", "length", "aborted"]


class SamplingOverrides(TypedDict, total=False):
    """Per-request values that replace the config's defaults."""

    max_tokens: int
    temperature: float
    top_p: float
    top_k: int
    repetition_penalty: float
    stop: list[str]
    seed: int
    # Text the answer is made to start with (it is part of the returned text).
    response_prefix: str
    # Generate exactly max_tokens, past end-of-turn tokens (benchmarks compare equal work).
    ignore_eos: bool


class GenerationResult(TypedDict):
    """One completed generation; a dict so that `result["text"]` works as in the seed code."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    latency: float  # seconds, request start to last token
    ttft: float  # seconds, request start to first token
    throughput: float  # completion tokens per second of latency
    finish_reason: FinishReason


class EngineState(enum.StrEnum):
    UNLOADED = "unloaded"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


EngineInfo = dict[str, Any]


def make_result(
    text: str,
    prompt_tokens: int,
    completion_tokens: int,
    latency: float,
    ttft: float,
    finish_reason: FinishReason,
) -> GenerationResult:
    """Build a result, deriving throughput so that every engine computes it the same way."""
    throughput = completion_tokens / latency if latency > 0 else 0.0
    return GenerationResult(
        text=text,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        latency=latency,
        ttft=ttft,
        throughput=throughput,
        finish_reason=finish_reason,
    )


def validate_prompt(prompt: Prompt) -> None:
    """Reject prompts no backend can use, with a message that says what is wrong."""
    from inference_engine.errors import InvalidPrompt

    if isinstance(prompt, str):
        if not prompt.strip():
            raise InvalidPrompt("the prompt is empty")
        return
    if not prompt:
        raise InvalidPrompt("the chat has no messages")
    for index, message in enumerate(prompt):
        if message.get("role") not in ("system", "user", "assistant"):
            raise InvalidPrompt(f"message {index} has an unknown role {message.get('role')!r}")
        if not isinstance(message.get("content"), str):
            raise InvalidPrompt(f"message {index} has no text content")
