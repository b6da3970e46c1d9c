"""Storing a streamed exchange in two steps (the question before the answer exists), and reading a
conversation's earlier turns for the prompt.

`conversations.service.record_exchange` stores a whole exchange at once; a stream must give the
question's id before the model starts and store whatever part of the answer there is at the end.
Writers serialize on the conversation row, as there.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.chat.history import Turn
from app.chat.service import RAGAnswer
from app.conversations import errors
from app.conversations.models import Conversation, Message, MessageRole
from app.conversations.service import TITLE_FROM_QUESTION_CHARS
from app.db.types import utc_now


@dataclass(frozen=True)
class StoredQuestion:
    conversation_id: uuid.UUID
    message_id: int


def earlier_turns(session: Session, user_id: int, conversation_id: uuid.UUID, limit: int) -> list[Turn]:
    """The conversation's last `limit` messages as turns, oldest first (an unanswered question: answer "")."""
    rows = session.scalars(
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.conversation_id == conversation_id, Conversation.user_id == user_id)
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    turns: list[Turn] = []
    question: str | None = None
    for message in reversed(rows):
        if message.role == MessageRole.USER.value:
            if question is not None:
                turns.append(Turn(question, ""))
            question = message.content
        elif question is not None:  # an answer whose question fell outside the window is skipped
            turns.append(Turn(question, message.content))
            question = None
    if question is not None:
        turns.append(Turn(question, ""))
    return turns


def store_question(
    session: Session, user_id: int, conversation_id: uuid.UUID | None, question: str, asked_at: datetime
) -> StoredQuestion:
    """Store the question, in the named conversation or a new one titled with its start; commits."""
    if conversation_id is None:
        conversation_id = uuid.uuid4()
        title = " ".join(question.split())[:TITLE_FROM_QUESTION_CHARS]
        session.execute(
            insert(Conversation).values(
                id=conversation_id, user_id=user_id, title=title, created_at=asked_at, updated_at=utc_now()
            )
        )
    else:
        _touch(session, user_id, conversation_id)
    row = Message(
        conversation_id=conversation_id, role=MessageRole.USER.value, content=question, created_at=asked_at
    )
    session.add(row)
    session.commit()
    return StoredQuestion(conversation_id, row.id)


def store_answer(session: Session, user_id: int, conversation_id: uuid.UUID, answer: RAGAnswer) -> int:
    """Store a whole or partial answer (see its finish_reason); commits and returns its id."""
    _touch(session, user_id, conversation_id)
    row = Message(
        conversation_id=conversation_id,
        role=MessageRole.ASSISTANT.value,
        content=answer.answer,
        sources=[dataclasses.asdict(source) for source in answer.sources],
        timings=answer.timings,
        usage=answer.usage,
        engine=answer.engine,
        finish_reason=answer.finish_reason,
        created_at=utc_now(),
    )
    session.add(row)
    session.commit()
    return row.id


def _touch(session: Session, user_id: int, conversation_id: uuid.UUID) -> None:
    """Mark the conversation active; the row write serializes concurrent writers to it."""
    touched = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.user_id == user_id)
        .values(updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    if touched.rowcount == 0:  # type: ignore[attr-defined]  # deleted meanwhile, or someone else's
        raise errors.conversation_not_found(conversation_id)
