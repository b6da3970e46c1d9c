"""Request and response bodies of the OpenAI-compatible API, as the OpenAI clients send and read them.

Fields the assistant adds (`sources`, and on models `label`, `kind`, `state`, `default`) are extras
that standard clients ignore. Request fields this API does not implement are ignored too, except
those whose silent omission would change the answer's meaning (tools, several choices, logprobs).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.chat.schemas import SourcePublic, WordCardPublic
from app.core.request_model import RequestModel
from app.core.schema_markers import engine_name
from app.core.stop_sequences import stop_sequences as checked_stop_sequences


class TextPart(RequestModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["text"]
    text: str


class ChatMessageIn(RequestModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    # A string, or the newer list of content parts of which only text is accepted.
    content: str | list[TextPart] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content)
        return self.content or ""


class StreamOptions(RequestModel):
    model_config = ConfigDict(extra="ignore")

    include_usage: bool = False


class ChatCompletionRequest(RequestModel):
    model_config = ConfigDict(extra="ignore")

    model: str = Field(
        description="An engine from GET /v1/models.", examples=["vllm"], json_schema_extra=engine_name()
    )
    messages: list[ChatMessageIn] = Field(
        min_length=1,
        description="The last message is the question (a user message); earlier user and assistant "
        "messages are the conversation so far. System messages are ignored: the assistant answers "
        "from its knowledge base with its own instructions.",
    )
    stream: bool = False
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(None, ge=0.0, le=2.0)
    top_p: float | None = Field(None, gt=0.0, le=1.0)
    max_tokens: int | None = Field(None, ge=1, le=4096)
    # The newer name of max_tokens; either may be sent.
    max_completion_tokens: int | None = Field(None, ge=1, le=4096)
    stop: str | list[str] | None = None
    seed: int | None = None
    n: int = Field(1, description="Only one choice is generated.")
    tools: list[dict[str, Any]] | None = Field(None, description="Not supported.")
    logprobs: bool | None = Field(None, description="Not supported.")

    @field_validator("stop")
    @classmethod
    def _stop_sequences(cls, value: str | list[str] | None) -> list[str] | None:
        return checked_stop_sequences(value)

    @field_validator("n")
    @classmethod
    def _one_choice(cls, value: int) -> int:
        if value != 1:
            raise ValueError("only one choice (n=1) is generated")
        return value

    @field_validator("tools")
    @classmethod
    def _no_tools(cls, value: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
        if value:
            raise ValueError("tools (function calling) are not supported")
        return value

    @field_validator("logprobs")
    @classmethod
    def _no_logprobs(cls, value: bool | None) -> bool | None:
        if value:
            raise ValueError("logprobs are not supported")
        return value

    @property
    def stop_sequences(self) -> list[str]:
        return list(self.stop or [])

    @property
    def answer_tokens(self) -> int | None:
        return self.max_completion_tokens or self.max_tokens


class ChatMessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class Choice(BaseModel):
    index: int = 0
    message: ChatMessageOut
    finish_reason: Literal["stop", "length"]
    logprobs: None = None


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    system_fingerprint: str | None = None
    sources: list[SourcePublic] = Field(
        description="The passages the answer cites as [n]: sources[n-1] is passage n (an extra field)."
    )
    cards: list[WordCardPublic] = Field(
        default_factory=list,
        description="Word cards: the lexicon entries a question about a word is answered by.",
    )
    grounded: bool | None = Field(None, description="The answer passed the grounding check (an extra field).")


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop", "length"] | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    # On the first chunk only: the passages and word cards, known before the first token (extra fields).
    sources: list[SourcePublic] | None = None
    cards: list[WordCardPublic] | None = None


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "puxian"
    # Extras: what the web UI shows of the engine.
    label: str
    kind: str
    state: str
    default: bool


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
