"""Request bodies for OpenAI-compatible servers and the reading of their answers."""

from __future__ import annotations

import pytest

from inference_engine.base_engine import Sampling
from inference_engine.errors import GenerationError
from inference_engine.openai_requests import (
    PrefixJoiner,
    build_request,
    error_detail,
    parse_event_line,
    prefixed_text,
    read_choice,
    refused_extensions,
)

CHAT = [{"role": "system", "content": "只依据资料回答。"}, {"role": "user", "content": "莆田在哪里？"}]


def sampling(**changes: object) -> Sampling:
    values: dict[str, object] = {
        "max_tokens": 32,
        "temperature": 0.0,
        "top_p": 0.9,
        "top_k": 50,
        "repetition_penalty": 1.0,
        "stop": [],
        "seed": None,
        "response_prefix": "",
        "ignore_eos": False,
    }
    return Sampling(**(values | changes))  # type: ignore[arg-type]


def test_a_plain_prompt_goes_to_completions_with_the_prefix_appended() -> None:
    request = build_request("1, 2, 3,", sampling(response_prefix=" 4,"), "qwen", stream=False)
    assert request.path == "/completions"
    assert request.body == {
        "model": "qwen",
        "max_tokens": 32,
        "temperature": 0.0,
        "stream": False,
        "prompt": "1, 2, 3, 4,",
    }
    assert request.extensions == {}
    assert request.plain_body_continues_prefix


def test_chat_messages_go_to_chat_completions() -> None:
    request = build_request(CHAT, sampling(stop=["\n\n"], seed=5), "qwen", stream=True)
    assert request.path == "/chat/completions"
    assert request.body["messages"] == CHAT
    assert request.body["stop"] == ["\n\n"]
    assert request.body["seed"] == 5
    assert request.body["stream_options"] == {"include_usage": True}
    assert "top_p" not in request.body  # greedy


def test_a_response_prefix_is_continued_through_vllms_fields_only() -> None:
    request = build_request(CHAT, sampling(response_prefix="根据资料，"), "qwen", stream=False)
    with_extensions = request.payload(with_extensions=True)
    assert with_extensions["messages"][-1] == {"role": "assistant", "content": "根据资料，"}
    assert with_extensions["continue_final_message"] is True
    assert with_extensions["add_generation_prompt"] is False
    plain = request.payload(with_extensions=False)
    assert plain["messages"] == CHAT
    assert "continue_final_message" not in plain
    assert not request.plain_body_continues_prefix


def test_vllm_sampling_fields_travel_as_extensions() -> None:
    request = build_request(
        "你好", sampling(temperature=0.7, repetition_penalty=1.05, ignore_eos=True), "m", False
    )
    assert request.body["top_p"] == 0.9
    assert request.extensions == {"top_k": 50, "repetition_penalty": 1.05, "ignore_eos": True}
    assert "top_k" not in request.payload(with_extensions=False)


def test_transformers_serve_refusal_of_extra_fields_is_recognised() -> None:
    detail = "Unexpected fields in the request: {'repetition_penalty', 'continue_final_message'}"
    assert refused_extensions(422, detail)
    assert not refused_extensions(422, "max_tokens must be positive")
    assert not refused_extensions(500, detail)


@pytest.mark.parametrize(
    ("generated", "continued", "expected"),
    [
        ("莆田在福建。", True, "根据资料，莆田在福建。"),
        ("莆田在福建。", False, "根据资料，莆田在福建。"),
        ("根据资料，莆田在福建。", False, "根据资料，莆田在福建。"),  # not doubled
        ("", True, "根据资料，"),
    ],
)
def test_the_prefix_is_put_in_front_once(generated: str, continued: bool, expected: str) -> None:
    assert prefixed_text("根据资料，", generated, continued) == expected


def test_a_streamed_answer_is_held_back_until_the_prefix_question_is_settled() -> None:
    joiner = PrefixJoiner("根据资料，", continued=False)
    assert joiner.feed("根据") == ""
    assert joiner.feed("资料，莆田") == "根据资料，莆田"
    assert joiner.feed("在福建。") == "在福建。"
    assert joiner.flush() == ""


def test_choices_are_read_from_every_answer_shape() -> None:
    chat = {
        "choices": [{"message": {"content": "你好"}, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 30, "completion_tokens": 5},
    }
    assert read_choice(chat).text == "你好"
    assert (
        read_choice(chat).finish,
        read_choice(chat).prompt_tokens,
        read_choice(chat).completion_tokens,
    ) == ("length", 30, 5)
    assert read_choice({"choices": [{"text": " 4,", "finish_reason": "stop"}]}).finish == "stop"
    chunk = read_choice({"choices": [{"delta": {"content": "莆"}, "index": 0}]})
    assert (chunk.text, chunk.finish) == ("莆", None)
    usage_only = read_choice({"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 2}})
    assert (usage_only.text, usage_only.completion_tokens) == ("", 2)


def test_an_error_object_in_an_answer_is_raised() -> None:
    with pytest.raises(GenerationError, match="out of memory"):
        read_choice({"error": {"message": "CUDA out of memory", "code": 500}})


def test_event_lines() -> None:
    assert parse_event_line('data: {"choices": []}') == {"choices": []}
    assert parse_event_line("data: [DONE]") is None
    assert parse_event_line(": keep-alive") is None
    assert parse_event_line("") is None
    with pytest.raises(GenerationError, match="malformed"):
        parse_event_line("data: {not json")


def test_error_details_are_read_from_common_error_bodies() -> None:
    assert error_detail('{"detail": "Server is pinned to m"}') == "Server is pinned to m"
    assert error_detail('{"error": {"message": "too long", "type": "BadRequestError"}}') == "too long"
    assert error_detail("Internal Server Error") == "Internal Server Error"
