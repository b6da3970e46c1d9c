"""Request and response bodies of the chat API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        description="The question, in Chinese or English.", examples=["如何用莆仙话说“吃饭”？"]
    )
    top_k: int | None = Field(
        None, ge=1, le=20, description="How many passages to retrieve (default from settings)."
    )

    @field_validator("question")
    @classmethod
    def question_has_text(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise PydanticCustomError("question_empty", "The question is empty.")
        return value


class SourcePublic(BaseModel):
    number: int = Field(description="The [n] the answer cites this passage by.")
    id: str = Field(description="Chunk id, '<document id>#<position>'.")
    doc_id: str
    title: str
    section: str
    text: str
    score: float


class ChatResponse(BaseModel):
    answer: str
    sources: list[SourcePublic]
    timings: dict[str, float] = Field(
        description="Milliseconds: retrieval_ms, ttft_ms, generation_ms, total_ms."
    )
    usage: dict[str, int]
    engine: str
    finish_reason: str
