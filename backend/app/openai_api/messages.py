"""Reading an OpenAI chat (`messages`) as the RAG service asks: the question and the turns before it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.chat.history import Turn
from app.openai_api.errors import invalid_request
from app.openai_api.schemas import ChatCompletionRequest, ChatMessageIn
from inference_engine import SamplingOverrides


@dataclass(frozen=True)
class Exchange:
    question: str
    history: list[Turn]  # oldest first


def read_exchange(messages: Sequence[ChatMessageIn], max_question_chars: int) -> Exchange:
    """The last message is the question; earlier user and assistant messages pair into turns.

    System (and developer) messages are dropped: the answer follows the assistant's own prompt,
    which demands citations from the knowledge base, not a client's instructions.
    """
    *earlier, last = messages
    question = last.text.strip()
    if last.role != "user" or not question:
        raise invalid_request("The last message must be the user's question, with text.", "messages")
    if len(question) > max_question_chars:
        raise invalid_request(f"The question is longer than {max_question_chars} characters.", "messages")
    turns: list[Turn] = []
    asked: str | None = None
    for index, message in enumerate(earlier):
        if message.role == "tool":
            raise invalid_request("Tool messages are not supported.", f"messages.{index}.role")
        if message.role == "user":
            if asked is not None:  # a question that got no answer
                turns.append(Turn(asked, ""))
            asked = message.text
        elif message.role == "assistant" and asked is not None:
            turns.append(Turn(asked, message.text))
            asked = None
    if asked is not None:
        turns.append(Turn(asked, ""))
    return Exchange(question, turns)


def sampling_overrides(body: ChatCompletionRequest) -> SamplingOverrides:
    """The request's sampling values that replace the engine's defaults (absent ones keep them)."""
    overrides = SamplingOverrides()
    if body.temperature is not None:
        overrides["temperature"] = body.temperature
    if body.top_p is not None:
        overrides["top_p"] = body.top_p
    if body.answer_tokens is not None:
        overrides["max_tokens"] = body.answer_tokens
    if body.stop_sequences:
        overrides["stop"] = body.stop_sequences
    if body.seed is not None:
        overrides["seed"] = body.seed
    return overrides
