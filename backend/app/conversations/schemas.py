"""Request and response bodies of the conversation and feedback routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from app.chat.schemas import LinkedTermPublic, SourcePublic, WordCardPublic
from app.conversations.models import MessageRole, Rating
from app.core.request_model import RequestModel
from app.core.schema_markers import NOT_BLANK

DEFAULT_TITLE = "新对话"
MAX_TITLE_CHARS = 200


def _title_has_text(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise PydanticCustomError("title_empty", "The title is empty.")
    return value


Title = Annotated[
    str,
    Field(max_length=MAX_TITLE_CHARS, json_schema_extra={"pattern": NOT_BLANK}),
    AfterValidator(_title_has_text),
]


class ConversationCreate(RequestModel):
    model_config = ConfigDict(extra="forbid")

    title: Title = DEFAULT_TITLE


class ConversationUpdate(RequestModel):
    model_config = ConfigDict(extra="forbid")

    title: Title = Field(examples=["莆仙话的声调"])


class ConversationPublic(BaseModel):
    id: uuid.UUID
    title: str
    created_at: datetime
    updated_at: datetime
    message_count: int


class ConversationsPublic(BaseModel):
    data: list[ConversationPublic] = Field(description="Most recently active first.")
    count: int = Field(description="How many conversations the user has in all.")


class FeedbackIn(RequestModel):
    model_config = ConfigDict(extra="forbid")

    rating: Rating
    comment: str = Field("", max_length=2000)


class FeedbackPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    message_id: int
    rating: Rating
    comment: str
    created_at: datetime
    updated_at: datetime


class MessagePublic(BaseModel):
    id: int
    role: MessageRole
    content: str
    created_at: datetime
    sources: list[SourcePublic] = Field(description="For answers: the numbered passages it cites.")
    timings: dict[str, float]
    usage: dict[str, int]
    engine: str = Field(description="For answers: the inference engine that wrote it.")
    finish_reason: str
    feedback: FeedbackPublic | None = Field(description="Your feedback on this answer, if any.")
    cards: list[WordCardPublic] = Field(default_factory=list, description="For answers: its word cards.")
    terms: list[LinkedTermPublic] = Field(
        default_factory=list, description="For answers: the Puxian words it presents, with entries."
    )
    grounded: bool | None = Field(
        None, description="For answers: passed the grounding check (null: not checked)."
    )
    fallback: str = Field("", description="For answers: what replaced the model's first answer, if anything.")


class ConversationDetail(ConversationPublic):
    messages: list[MessagePublic] = Field(description="In the order they were written.")
