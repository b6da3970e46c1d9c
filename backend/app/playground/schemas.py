"""Request and response bodies of the prompt playground and of its seed-compatible alias.

The sampling limits follow the OpenAI-compatible API (app/openai_api/schemas.py), with a smaller
`max_tokens`: a playground answer is read by a person, and a long one would hold the engine.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.core.request_model import RequestModel
from app.core.schema_markers import NOT_BLANK, engine_name
from app.core.stop_sequences import MAX_STOP_SEQUENCES, stop_sequences
from inference_engine import ChatMessage, Prompt, SamplingOverrides

MAX_PROMPT_CHARS = 20_000
MAX_MESSAGES = 50
MAX_TOKENS = 1024


class PlaygroundMessage(RequestModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant"]
    content: str = Field(max_length=MAX_PROMPT_CHARS)


class SamplingFields(RequestModel):
    """What both routes take besides the prompt: the engine and the sampling values.

    Absent values keep the engine's configured defaults (`PUXIAN_LLM_*`, the engine's `config`);
    `max_tokens` is at most MAX_TOKENS even where the engine's default is larger.
    """

    model_config = ConfigDict(extra="forbid")

    engine: str | None = Field(
        None,
        max_length=40,
        description="An engine from GET /api/engines; without one, the default.",
        json_schema_extra=engine_name(),
    )
    max_tokens: int | None = Field(None, ge=1, le=MAX_TOKENS)
    temperature: float | None = Field(None, ge=0.0, le=2.0, description="0: greedy.")
    top_p: float | None = Field(None, gt=0.0, le=1.0)
    top_k: int | None = Field(None, ge=0, description="0 turns it off.")
    # Below 0.1 the logits it divides grow past what float32 holds (NaN probabilities).
    repetition_penalty: float | None = Field(None, ge=0.1, le=2.0)
    stop: str | list[str] | None = Field(None, description=f"Up to {MAX_STOP_SEQUENCES} strings.")
    seed: int | None = Field(None, ge=0, le=2**63 - 1)

    @field_validator("stop")
    @classmethod
    def _stop_sequences(cls, value: str | list[str] | None) -> list[str] | None:
        return stop_sequences(value)

    def overrides(self) -> SamplingOverrides:
        """The values sent, as the engine's per-request overrides."""
        overrides = SamplingOverrides()
        if self.max_tokens is not None:
            overrides["max_tokens"] = self.max_tokens
        if self.temperature is not None:
            overrides["temperature"] = self.temperature
        if self.top_p is not None:
            overrides["top_p"] = self.top_p
        if self.top_k is not None:
            overrides["top_k"] = self.top_k
        if self.repetition_penalty is not None:
            overrides["repetition_penalty"] = self.repetition_penalty
        if isinstance(self.stop, list):
            overrides["stop"] = self.stop
        if self.seed is not None:
            overrides["seed"] = self.seed
        return overrides


def _prompt_text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("prompt_empty", "The prompt is empty.")
    return value


class GenerateRequest(SamplingFields):
    prompt: str | None = Field(
        None,
        max_length=MAX_PROMPT_CHARS,
        description="Sent to the model as is (no chat template): the model continues this text.",
        json_schema_extra={"pattern": NOT_BLANK},
    )
    messages: list[PlaygroundMessage] | None = Field(
        None,
        max_length=MAX_MESSAGES,
        description="Chat messages, put through the model's chat template; the model answers the last.",
    )

    @field_validator("prompt")
    @classmethod
    def _prompt_has_text(cls, value: str | None) -> str | None:
        return None if value is None else _prompt_text(value)

    @model_validator(mode="after")
    def _one_prompt(self) -> Self:
        if (self.prompt is None) == (self.messages is None):
            raise PydanticCustomError("prompt_or_messages", "Send either a prompt or messages (exactly one).")
        if self.messages is not None:
            if not any(message.content.strip() for message in self.messages):
                raise PydanticCustomError("prompt_empty", "The messages have no text.")
            if sum(len(message.content) for message in self.messages) > MAX_PROMPT_CHARS:
                raise PydanticCustomError(
                    "prompt_too_long", f"The messages are longer than {MAX_PROMPT_CHARS} characters in all."
                )
        return self

    @property
    def mode(self) -> Literal["prompt", "messages"]:
        return "prompt" if self.prompt is not None else "messages"

    def as_prompt(self) -> Prompt:
        if self.prompt is not None:
            return self.prompt
        return [ChatMessage(role=m.role, content=m.content) for m in self.messages or []]


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int


class Timings(BaseModel):
    ttft_ms: float = Field(description="Request start to the first token (the whole answer for remotes).")
    total_ms: float = Field(description="Request start to the last token, in the engine.")
    tokens_per_s: float = Field(description="Completion tokens per second of total_ms.")


class GenerateResponse(BaseModel):
    engine: str = Field(description="The engine that generated the text.")
    text: str
    usage: Usage
    timings: Timings
    finish_reason: Literal["stop", "length", "aborted"]


class SeedGenerateRequest(SamplingFields):
    """The seed's `POST /api/vllm/generate` body: a prompt and flat options."""

    prompt: str = Field(
        max_length=MAX_PROMPT_CHARS,
        description="Sent to the model as is.",
        json_schema_extra={"pattern": NOT_BLANK},
    )

    @field_validator("prompt")
    @classmethod
    def _prompt_has_text(cls, value: str) -> str:
        return _prompt_text(value)


class SeedGenerateResponse(BaseModel):
    success: Literal[True] = True
    text: str


class SeedGenerateError(BaseModel):
    success: Literal[False] = False
    error: str = Field(description="What went wrong, for a person.")
    code: str = Field(description="The stable code of docs/api.md's error table.")
