"""`/api/conversations` and `/api/messages/{id}/feedback`: the signed-in user's own conversations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from app.api.deps import ClientIp, CurrentUser, PageDep, SessionDep
from app.chat.schemas import LinkedTermPublic, SourcePublic, WordCardPublic
from app.conversations import service
from app.conversations.models import Conversation, Feedback, Message, MessageRole
from app.conversations.schemas import (
    ConversationCreate,
    ConversationDetail,
    ConversationPublic,
    ConversationsPublic,
    ConversationUpdate,
    FeedbackIn,
    FeedbackPublic,
    MessagePublic,
)
from app.core.error_docs import documented_errors
from app.core.limits import RowId

router = APIRouter(prefix="/api", tags=["conversations"])


def _public(conversation: Conversation, message_count: int) -> ConversationPublic:
    return ConversationPublic(
        id=conversation.id,
        title=conversation.title,
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
        message_count=message_count,
    )


def _message(message: Message, feedback: Feedback | None) -> MessagePublic:
    return MessagePublic(
        id=message.id,
        role=MessageRole(message.role),
        content=message.content,
        created_at=message.created_at,
        sources=[SourcePublic(**source) for source in message.sources],
        timings=message.timings,
        usage=message.usage,
        engine=message.engine,
        finish_reason=message.finish_reason,
        feedback=FeedbackPublic.model_validate(feedback) if feedback else None,
        cards=[WordCardPublic(**card) for card in message.cards or []],
        terms=[LinkedTermPublic(**term) for term in message.terms or []],
        grounded=message.grounded,
        fallback=message.fallback or "",
    )


@router.get("/conversations", operation_id="conversations-list", response_model=ConversationsPublic)
def list_conversations(principal: CurrentUser, session: SessionDep, page: PageDep) -> ConversationsPublic:
    summaries, count = service.list_conversations(session, principal.user_id, page.offset, page.limit)
    return ConversationsPublic(
        data=[_public(s.conversation, s.message_count) for s in summaries], count=count
    )


@router.post(
    "/conversations", operation_id="conversations-create", response_model=ConversationPublic, status_code=201
)
def create_conversation(
    body: ConversationCreate, principal: CurrentUser, session: SessionDep
) -> ConversationPublic:
    """An empty conversation; `POST /api/chat` with its id adds to it (or, without one, starts one)."""
    return _public(service.create_conversation(session, principal.user_id, body.title), 0)


@router.get(
    "/conversations/{conversation_id}", operation_id="conversations-get", response_model=ConversationDetail
)
def get_conversation(
    conversation_id: uuid.UUID, principal: CurrentUser, session: SessionDep
) -> ConversationDetail:
    conversation = service.owned_conversation(session, principal.user_id, conversation_id)
    messages = [
        _message(m, f) for m, f in service.messages_with_feedback(session, principal.user_id, conversation_id)
    ]
    return ConversationDetail(**_public(conversation, len(messages)).model_dump(), messages=messages)


@router.patch(
    "/conversations/{conversation_id}", operation_id="conversations-rename", response_model=ConversationPublic
)
def rename_conversation(
    conversation_id: uuid.UUID, body: ConversationUpdate, principal: CurrentUser, session: SessionDep
) -> ConversationPublic:
    conversation = service.rename_conversation(session, principal.user_id, conversation_id, body.title)
    return _public(conversation, service.message_count(session, conversation_id))


@router.delete("/conversations/{conversation_id}", operation_id="conversations-delete", status_code=204)
def delete_conversation(
    conversation_id: uuid.UUID, principal: CurrentUser, session: SessionDep, client_ip: ClientIp
) -> Response:
    """Delete the conversation with all its messages and their feedback."""
    service.delete_conversation(session, principal.user_id, conversation_id, client_ip)
    return Response(status_code=204)


@router.put(
    "/messages/{message_id}/feedback",
    operation_id="feedback-set",
    response_model=FeedbackPublic,
    responses=documented_errors(409),  # not_an_answer
)
def set_feedback(
    message_id: RowId, body: FeedbackIn, principal: CurrentUser, session: SessionDep
) -> FeedbackPublic:
    """Thumbs up or down, with an optional comment, on one of your answers (replaces earlier feedback)."""
    feedback = service.set_feedback(session, principal.user_id, message_id, body.rating, body.comment)
    return FeedbackPublic.model_validate(feedback)


@router.delete(
    "/messages/{message_id}/feedback",
    operation_id="feedback-delete",
    status_code=204,
    responses=documented_errors(409),  # not_an_answer
)
def delete_feedback(message_id: RowId, principal: CurrentUser, session: SessionDep) -> Response:
    service.delete_feedback(session, principal.user_id, message_id)
    return Response(status_code=204)
