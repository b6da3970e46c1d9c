"""The `conversations`, `messages` and `feedback` tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import BigId, UtcDateTime, utc_now


class MessageRole(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


class Rating(StrEnum):
    UP = "up"
    DOWN = "down"


class Conversation(Base):
    __tablename__ = "conversations"
    # The list a user sees: their conversations, most recently active first.
    __table_args__ = (Index("ix_conversations_user_id_updated_at", "user_id", "updated_at"),)

    # Random, not sequential: ids appear in URLs and must not hint at how many others exist.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Message(Base):
    """One question or answer. Ids only grow, so a conversation reads in id order."""

    __tablename__ = "messages"
    __table_args__ = (CheckConstraint("role IN ('user', 'assistant')", name="role"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    content: Mapped[str] = mapped_column(Text)
    # For answers: the passages shown to the model, the timings and token counts, and the engine.
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    timings: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    usage: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    engine: Mapped[str] = mapped_column(String(50), default="")
    finish_reason: Mapped[str] = mapped_column(String(20), default="")
    # Word cards the answer states; the Puxian words it presents, each with its lexicon entry.
    cards: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    terms: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The grounding check (chat/grounding.py): passed (True), failed even after its fallback (False),
    # not run (None: a refusal, a partial answer); and what was shown instead of the first
    # answer: "" (it passed), "regenerated", "card", "extractive" or "truncated" (chat/answer_check.py).
    grounded: Mapped[bool | None] = mapped_column(default=None)
    fallback: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Feedback(Base):
    """A user's thumbs up or down, and comment, on one answer (one per user and answer)."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("message_id", "user_id", name="uq_feedback_message_id_user_id"),
        CheckConstraint("rating IN ('up', 'down')", name="rating"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[str] = mapped_column(String(4))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
