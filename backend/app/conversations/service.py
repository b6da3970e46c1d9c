"""Conversations, their messages and feedback, always scoped to one user.

Every query filters by the user's id, so that one user's data never reaches another: a conversation
or message of someone else is "not found". Functions that change data commit before they return.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.chat.service import RAGAnswer
from app.conversations import errors
from app.conversations.models import Conversation, Feedback, Message, MessageRole, Rating
from app.db.dialect_insert import upsertable_insert
from app.db.types import utc_now

TITLE_FROM_QUESTION_CHARS = 60


@dataclass(frozen=True)
class ConversationSummary:
    conversation: Conversation
    message_count: int


@dataclass(frozen=True)
class StoredExchange:
    conversation_id: uuid.UUID
    question_id: int
    answer_id: int


def create_conversation(session: Session, user_id: int, title: str) -> Conversation:
    conversation = Conversation(user_id=user_id, title=title)
    session.add(conversation)
    session.commit()
    return conversation


def list_conversations(
    session: Session, user_id: int, offset: int, limit: int
) -> tuple[list[ConversationSummary], int]:
    """A page of the user's conversations, most recently active first, and their total number."""
    total = session.scalar(select(func.count()).where(Conversation.user_id == user_id)) or 0
    counts = (
        select(Message.conversation_id, func.count().label("n"))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.user_id == user_id)
        .group_by(Message.conversation_id)
        .subquery()
    )
    rows = session.execute(
        select(Conversation, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.conversation_id == Conversation.id)
        .where(Conversation.user_id == user_id)
        .order_by(Conversation.updated_at.desc(), Conversation.created_at.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [ConversationSummary(conversation, count) for conversation, count in rows], total


def owned_conversation(session: Session, user_id: int, conversation_id: uuid.UUID) -> Conversation:
    conversation = session.scalars(
        select(Conversation).where(Conversation.id == conversation_id, Conversation.user_id == user_id)
    ).one_or_none()
    if conversation is None:
        raise errors.conversation_not_found(conversation_id)
    return conversation


def message_count(session: Session, conversation_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).where(Message.conversation_id == conversation_id)) or 0


def messages_with_feedback(
    session: Session, user_id: int, conversation_id: uuid.UUID
) -> list[tuple[Message, Feedback | None]]:
    """The conversation's messages in order, each with this user's feedback on it."""
    rows = session.execute(
        select(Message, Feedback)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .outerjoin(Feedback, (Feedback.message_id == Message.id) & (Feedback.user_id == user_id))
        .where(Message.conversation_id == conversation_id, Conversation.user_id == user_id)
        .order_by(Message.id)
    ).all()
    return [(message, feedback) for message, feedback in rows]


def rename_conversation(
    session: Session, user_id: int, conversation_id: uuid.UUID, title: str
) -> Conversation:
    conversation = owned_conversation(session, user_id, conversation_id)
    conversation.title = title
    session.commit()
    return conversation


def delete_conversation(session: Session, user_id: int, conversation_id: uuid.UUID, client_ip: str) -> None:
    """Delete a conversation with its messages and their feedback (the database cascades)."""
    deleted = session.execute(
        delete(Conversation)
        .where(Conversation.id == conversation_id, Conversation.user_id == user_id)
        .execution_options(synchronize_session=False)
    )
    if deleted.rowcount == 0:  # type: ignore[attr-defined]
        raise errors.conversation_not_found(conversation_id)
    record_event(session, "conversation.deleted", user_id, "conversation", conversation_id, {}, client_ip)
    session.commit()


def record_exchange(
    session: Session,
    user_id: int,
    conversation_id: uuid.UUID | None,
    question: str,
    answer: RAGAnswer,
    asked_at: datetime,
) -> StoredExchange:
    """Store a question and its answer together, in the named conversation or a new one.

    Safe with many writers on one conversation: the first statement writes the conversation row,
    which serializes them on both databases (a row lock on PostgreSQL, the write lock on SQLite)
    before anything is read; message ids then keep each question next to its answer.
    """
    conversation_id = open_for_question(session, user_id, conversation_id, question, asked_at)
    question_row = add_question(session, conversation_id, question, asked_at)
    session.flush()  # the question gets the smaller id
    answer_row = add_answer(session, conversation_id, answer)
    session.commit()
    return StoredExchange(conversation_id, question_row.id, answer_row.id)


def open_for_question(
    session: Session, user_id: int, conversation_id: uuid.UUID | None, question: str, asked_at: datetime
) -> uuid.UUID:
    """The named conversation, marked active (404 if it is not the user's), or a new one titled with
    the question's start. Writes the conversation row first: that serializes writers to it."""
    if conversation_id is not None:
        touch_conversation(session, user_id, conversation_id)
        return conversation_id
    conversation_id = uuid.uuid4()
    title = " ".join(question.split())[:TITLE_FROM_QUESTION_CHARS]
    session.execute(
        insert(Conversation).values(
            id=conversation_id, user_id=user_id, title=title, created_at=asked_at, updated_at=utc_now()
        )
    )
    return conversation_id


def touch_conversation(session: Session, user_id: int, conversation_id: uuid.UUID) -> None:
    """Mark the conversation active; the row write serializes concurrent writers to it."""
    touched = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.user_id == user_id)
        .values(updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    if touched.rowcount == 0:  # type: ignore[attr-defined]  # deleted meanwhile, or someone else's
        raise errors.conversation_not_found(conversation_id)


def add_question(session: Session, conversation_id: uuid.UUID, question: str, asked_at: datetime) -> Message:
    row = Message(
        conversation_id=conversation_id, role=MessageRole.USER.value, content=question, created_at=asked_at
    )
    session.add(row)
    return row


def add_answer(session: Session, conversation_id: uuid.UUID, answer: RAGAnswer) -> Message:
    """A whole or partial answer (see its finish_reason), with its sources, timings and engine."""
    row = Message(
        conversation_id=conversation_id,
        role=MessageRole.ASSISTANT.value,
        content=answer.answer,
        sources=[dataclasses.asdict(source) for source in answer.sources],
        timings=answer.timings,
        usage=answer.usage,
        engine=answer.engine,
        finish_reason=answer.finish_reason,
        cards=[dataclasses.asdict(card) for card in answer.cards],
        terms=[dataclasses.asdict(term) for term in answer.terms],
        grounded=answer.grounded,
        fallback=answer.fallback,
        created_at=utc_now(),
    )
    session.add(row)
    return row


def owned_answer(session: Session, user_id: int, message_id: int) -> Message:
    message = session.scalars(
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.id == message_id, Conversation.user_id == user_id)
    ).one_or_none()
    if message is None:
        raise errors.message_not_found(message_id)
    if message.role != MessageRole.ASSISTANT.value:
        raise errors.not_an_answer(message_id)
    return message


def set_feedback(session: Session, user_id: int, message_id: int, rating: Rating, comment: str) -> Feedback:
    """Give or replace the user's feedback on one of their answers."""
    owned_answer(session, user_id, message_id)
    now = utc_now()
    values = {"rating": rating.value, "comment": comment, "updated_at": now}
    statement = (
        upsertable_insert(session, Feedback)
        .values(message_id=message_id, user_id=user_id, created_at=now, **values)
        # One row per user and answer, also when two requests race (a plain insert would fail one).
        .on_conflict_do_update(index_elements=["message_id", "user_id"], set_=values)
    )
    session.execute(statement)
    session.commit()
    return session.scalars(
        select(Feedback)
        .where(Feedback.message_id == message_id, Feedback.user_id == user_id)
        .execution_options(populate_existing=True)
    ).one()


def delete_feedback(session: Session, user_id: int, message_id: int) -> None:
    owned_answer(session, user_id, message_id)
    deleted = session.execute(
        delete(Feedback)
        .where(Feedback.message_id == message_id, Feedback.user_id == user_id)
        .execution_options(synchronize_session=False)
    )
    if deleted.rowcount == 0:  # type: ignore[attr-defined]
        raise errors.feedback_not_found(message_id)
    session.commit()
