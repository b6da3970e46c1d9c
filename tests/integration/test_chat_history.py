"""Multi-turn chat (issue 6): a follow-up such as “那‘吃饭’呢？” retrieves with the conversation's
context, and earlier turns go into the prompt within the token budget, in either history mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import Services
from app.chat.history import Turn
from app.chat.prompting import PromptBuilder
from app.chat.service import RAGService
from tests.integration.accounts import Api
from tests.sse import Event, parse_events

FIRST, FOLLOW_UP, STANDALONE = "莆仙话“今天”怎么说？", "那‘吃饭’呢？", "莆仙话“吃饭”怎么说？"
EATING_DOCUMENTS = {"vocab-food-drink", "lexicon-verbs-actions"}
EARLIER = [Turn(FIRST, "根据资料，莆仙话“今天”说“今旦” [1]。")]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the streamed exchange's storage is tested on both in test_chat_stream.py."""
    return f"sqlite:///{tmp_path / 'history.db'}"


def rag(services: Services, **history: Any) -> RAGService:
    """The session's retriever with other history settings (the model is not asked here)."""
    settings = services.settings
    options = {"history_max_tokens": 400, "history_max_turns": 3, "history_with_answers": False, **history}
    return RAGService(
        services.knowledge.retriever, services.engines, PromptBuilder(), settings.top_k,
        settings.min_relevance, **options,
    )  # fmt: skip


def streamed(api: Api, headers: dict[str, str], **body: Any) -> list[Event]:
    with api.client.stream("POST", "/api/chat/stream", json=body, headers=headers) as response:
        assert response.status_code == 200, response.read().decode()
        return list(parse_events(response.iter_lines()))


def test_a_follow_up_in_a_conversation_retrieves_what_it_asks_about(api: Api) -> None:
    user = api.account("multi_turn")
    first = streamed(api, user.headers, question=FIRST)
    assert first[-1].name == "done"
    conversation = first[-1].data["conversation_id"]
    follow_up = streamed(api, user.headers, question=FOLLOW_UP, conversation_id=conversation)
    assert follow_up[-1].name == "done"
    assert follow_up[0].data["conversation_id"] == conversation
    documents = [source["doc_id"] for source in follow_up[0].data["sources"]]
    assert EATING_DOCUMENTS & set(documents), documents
    assert not {"vocab-time", "lexicon-time-numbers"} & set(documents), "not the first question's passages"
    sections = [source["section"] for source in follow_up[0].data["sources"]]
    assert any("吃饭" in section or "食饭" in section for section in sections), sections


def test_prepare_retrieves_for_the_standalone_question_and_lists_the_earlier_ones(services: Services) -> None:
    prepared = rag(services).prepare(FOLLOW_UP, None, EARLIER)
    assert prepared.question == FOLLOW_UP
    assert prepared.query == STANDALONE
    assert EATING_DOCUMENTS & {source.doc_id for source in prepared.sources}
    assert prepared.prompt is not None
    messages = prepared.prompt.messages
    assert [message["role"] for message in messages] == ["system", "user"]
    assert f"此前的问题：\n{FIRST}" in messages[1]["content"]
    assert messages[1]["content"].endswith(f"问题：{STANDALONE}")

    alone = rag(services).prepare(FOLLOW_UP)
    assert alone.query == FOLLOW_UP, "without a conversation there is nothing to resolve it from"
    assert alone.prompt is not None
    assert "此前的问题" not in alone.prompt.messages[1]["content"]


def test_the_history_budget_and_turn_limit_leave_older_questions_out(services: Services) -> None:
    # FIRST is 10 estimated tokens: a budget of 8 leaves it out, but the follow-up is still resolved.
    tight = rag(services, history_max_tokens=8).prepare(FOLLOW_UP, None, EARLIER)
    assert tight.query == STANDALONE
    assert tight.prompt is not None
    assert "此前的问题" not in tight.prompt.messages[1]["content"]

    many = [Turn(f"莆仙话“词{n}”怎么说？", "…") for n in range(5)] + EARLIER
    limited = rag(services, history_max_turns=2).prepare(FOLLOW_UP, None, many)
    assert limited.prompt is not None
    user = limited.prompt.messages[1]["content"]
    assert "词4" in user
    assert FIRST in user
    assert "词3" not in user

    unanswered = rag(services).prepare(FOLLOW_UP, None, [Turn(FIRST, "")])
    assert unanswered.query == STANDALONE, "a question left unanswered still gives the context"
    assert unanswered.prompt is not None
    assert "此前的问题" not in unanswered.prompt.messages[1]["content"], "but is not in the prompt"


def test_turns_mode_gives_the_earlier_answers_as_chat_turns(services: Services) -> None:
    prepared = rag(services, history_with_answers=True).prepare(FOLLOW_UP, None, EARLIER)
    assert prepared.query == STANDALONE
    assert prepared.prompt is not None
    messages = prepared.prompt.messages
    assert [message["role"] for message in messages] == ["system", "user", "assistant", "user"]
    assert messages[1]["content"] == FIRST
    assert messages[2]["content"] == "根据资料，莆仙话“今天”说“今旦”。", "citation markers dropped"
    assert "此前的问题" not in messages[3]["content"]
    # The earlier answer counts against the budget in this mode: 10 + 17 tokens do not fit 20.
    tight = rag(services, history_with_answers=True, history_max_tokens=20).prepare(FOLLOW_UP, None, EARLIER)
    assert tight.prompt is not None
    assert [message["role"] for message in tight.prompt.messages] == ["system", "user"]
