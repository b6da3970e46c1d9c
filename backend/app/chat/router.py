"""`POST /api/chat`: one question in, answer and sources out."""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter

from app.api.deps import RagDep, SettingsDep
from app.chat.schemas import ChatRequest, ChatResponse, SourcePublic
from app.core.errors import ApiError

router = APIRouter(prefix="/api", tags=["chat"])


@router.post("/chat", operation_id="chat-ask", response_model=ChatResponse)
def ask(body: ChatRequest, rag: RagDep, settings: SettingsDep) -> ChatResponse:
    """Answer a question about the Puxian dialect from the knowledge base, with numbered sources."""
    if len(body.question) > settings.max_question_chars:
        raise ApiError(
            422, "question_too_long", f"The question is longer than {settings.max_question_chars} characters."
        )
    answer = rag.answer(body.question, top_k=body.top_k)
    return ChatResponse(
        answer=answer.answer,
        sources=[SourcePublic(**dataclasses.asdict(source)) for source in answer.sources],
        timings=answer.timings,
        usage=answer.usage,
        engine=answer.engine,
        finish_reason=answer.finish_reason,
    )
