"""The OpenAI-compatible API's request reading and error mapping, without a model."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.auth import errors as auth_errors
from app.chat.history import Turn
from app.core.errors import ApiError
from app.engines import errors as engine_errors
from app.openai_api.errors import OpenAIError, from_exception
from app.openai_api.messages import read_exchange, sampling_overrides
from app.openai_api.schemas import ChatCompletionRequest, ChatMessageIn
from inference_engine import EngineNotLoaded, GenerationError, InvalidPrompt


def messages(*pairs: tuple[str, Any]) -> list[ChatMessageIn]:
    return [ChatMessageIn(role=role, content=content) for role, content in pairs]


def request(**fields: Any) -> ChatCompletionRequest:
    return ChatCompletionRequest.model_validate(
        {"model": "vllm", "messages": [{"role": "user", "content": "你好"}], **fields}
    )


def test_the_last_message_is_the_question_and_the_earlier_ones_pair_into_turns() -> None:
    exchange = read_exchange(
        messages(
            ("system", "You are helpful."),
            ("user", "“吃饭”怎么说？"),
            ("assistant", "食饭 [1]"),
            ("user", "“喝茶”呢？"),  # asked again before an answer came
            ("user", "“今天”呢？"),
            ("assistant", "今旦 [2]"),
            ("user", [{"type": "text", "text": " “明天”"}, {"type": "text", "text": "呢？ "}]),
        ),
        max_question_chars=100,
    )
    assert exchange.question == "“明天”呢？"
    assert exchange.history == [
        Turn("“吃饭”怎么说？", "食饭 [1]"),
        Turn("“喝茶”呢？", ""),
        Turn("“今天”呢？", "今旦 [2]"),
    ]


@pytest.mark.parametrize(
    ("chat", "param"),
    [
        ([("user", "你好"), ("assistant", "你好！")], "messages"),
        ([("user", "   ")], "messages"),
        ([("user", "x" * 101)], "messages"),
        ([("user", "你好"), ("tool", "{}"), ("user", "再问")], "messages.1.role"),
    ],
)
def test_chats_that_end_without_a_question_or_carry_tools_are_refused(
    chat: list[tuple[str, str]], param: str
) -> None:
    with pytest.raises(OpenAIError) as raised:
        read_exchange(messages(*chat), max_question_chars=100)
    assert (raised.value.status, raised.value.type, raised.value.param) == (
        400,
        "invalid_request_error",
        param,
    )


def test_only_the_sampling_values_sent_override_the_engine_s() -> None:
    assert sampling_overrides(request()) == {}
    assert sampling_overrides(request(temperature=0, top_p=0.5, max_tokens=9, stop="。", seed=3)) == {
        "temperature": 0.0,
        "top_p": 0.5,
        "max_tokens": 9,
        "stop": ["。"],
        "seed": 3,
    }
    assert sampling_overrides(request(max_tokens=9, max_completion_tokens=5))["max_tokens"] == 5


@pytest.mark.parametrize(
    "fields",
    [
        {"n": 2},
        {"tools": [{"type": "function", "function": {"name": "f"}}]},
        {"logprobs": True},
        {"stop": ["a", "b", "c", "d", "e"]},
        {"stop": [""]},
        {"temperature": 2.5},
        {"top_p": 0},
        {"max_tokens": 0},
        {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]},
    ],
)
def test_what_would_change_the_answer_s_meaning_is_refused_not_ignored(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        request(**fields)


def test_unknown_fields_of_other_clients_are_ignored() -> None:
    assert request(presence_penalty=0.5, user="u1", response_format={"type": "text"}).model == "vllm"


def test_credentials_problems_are_invalid_api_key_and_keep_their_headers() -> None:
    for problem in (
        auth_errors.missing_credentials(),
        auth_errors.invalid_api_key(),
        auth_errors.token_expired(),
    ):
        error = from_exception(problem)
        assert (error.status, error.code, error.type) == (401, "invalid_api_key", "invalid_request_error")
        assert error.headers == {"WWW-Authenticate": "Bearer"}
    locked = from_exception(auth_errors.too_many_login_attempts(30))
    assert (locked.status, locked.type, locked.headers) == (429, "rate_limit_error", {"Retry-After": "30"})


def test_engine_and_server_failures_map_to_openai_statuses_without_details() -> None:
    cases = {
        engine_errors.engine_not_ready("vllm", "loading"): (409, "invalid_request_error", "model_not_ready"),
        engine_errors.default_engine_not_ready("vllm", "failed"): (503, "server_error", "model_not_ready"),
        ApiError(422, "question_too_long", "long"): (400, "invalid_request_error", "question_too_long"),
        ApiError(403, "account_disabled", "off"): (403, "permission_error", "account_disabled"),
        EngineNotLoaded("not loaded"): (503, "server_error", "engine_not_ready"),
        InvalidPrompt("too long"): (400, "invalid_request_error", "context_length_exceeded"),
        GenerationError("http://gpu-1:8000/v1 answered HTTP 500: boom"): (
            502,
            "server_error",
            "engine_failed",
        ),
        RuntimeError("secret internals"): (500, "server_error", "internal_error"),
    }
    for exc, expected in cases.items():
        error = from_exception(exc)
        assert (error.status, error.type, error.code) == expected, exc
        assert set(error.body()) == {"error"}
        assert set(error.body()["error"]) == {"message", "type", "param", "code"}
    assert "gpu-1" not in from_exception(GenerationError("http://gpu-1:8000/v1 boom")).message
    assert "secret" not in from_exception(RuntimeError("secret internals")).message
