"""Errors of the conversation routes. Another user's conversation is "not found", never "forbidden":
the answer must not reveal that it exists."""

from __future__ import annotations

import uuid

from app.core.errors import ApiError


def conversation_not_found(conversation_id: uuid.UUID) -> ApiError:
    return ApiError(404, "conversation_not_found", f"There is no conversation {conversation_id}.")


def message_not_found(message_id: int) -> ApiError:
    return ApiError(404, "message_not_found", f"There is no message {message_id}.")


def feedback_not_found(message_id: int) -> ApiError:
    return ApiError(404, "feedback_not_found", f"There is no feedback of yours on message {message_id}.")


def not_an_answer(message_id: int) -> ApiError:
    # 409: the message exists and the request is well formed; it is the message's kind that conflicts.
    return ApiError(
        409, "not_an_answer", f"Message {message_id} is a question; feedback is given on answers."
    )
