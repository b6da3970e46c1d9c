"""Storing a streamed exchange in two steps (the question before the answer exists), and reading a
conversation's earlier turns for the prompt.

`conversations.service.record_exchange` stores a whole exchange at once; a stream must give the
question's id before the model starts and store whatever part of the answer there is at the end.
Both share its helpers; writers serialize on the conversation row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.chat.history import Turn
from app.chat.service import RAGAnswer
from app.conversations import service as conversations
from app.conversations.models import Conversation, Message, MessageRole


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
    conversation_id = conversations.open_for_question(session, user_id, conversation_id, question, asked_at)
    row = conversations.add_question(session, conversation_id, question, asked_at)
    session.commit()
    return StoredQuestion(conversation_id, row.id)


def store_answer(session: Session, user_id: int, conversation_id: uuid.UUID, answer: RAGAnswer) -> int:
    """Store a whole or partial answer (see its finish_reason); commits and returns its id."""
    conversations.touch_conversation(session, user_id, conversation_id)
    row = conversations.add_answer(session, conversation_id, answer)
    session.commit()
    return row.id
