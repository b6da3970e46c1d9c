"""The prompt playground (`POST /api/admin/generate`) and the seed's `POST /api/vllm/generate`, on the
real default model and both databases. Answers are cut at 8 tokens: the tests pay for the prompt."""

from __future__ import annotations

from typing import Any

from app.users.models import Role
from tests.integration.accounts import Account, Api

GENERATE = "/api/admin/generate"
SEED_GENERATE = "/api/vllm/generate"
QUESTION = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "用一句话介绍莆田。"},
]


def _generate(api: Api, account: Account, path: str = GENERATE, **body: Any) -> Any:
    return api.client.post(path, json={"max_tokens": 8, "temperature": 0.0, **body}, headers=account.headers)


def _default_engine(api: Api) -> str:
    name: str = api.app.state.services.engines.default_name
    return name


def test_admins_get_text_usage_and_timings_without_the_prompt_in_the_audit_log(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    chat = _generate(api, admin, messages=QUESTION)
    assert chat.status_code == 200, chat.text
    body = chat.json()
    default = _default_engine(api)
    assert body["engine"] == default
    assert body["text"].strip()
    assert body["usage"]["prompt_tokens"] > 10
    assert 1 <= body["usage"]["completion_tokens"] <= 8
    assert body["finish_reason"] in ("stop", "length")
    timings = body["timings"]
    assert 0 < timings["ttft_ms"] <= timings["total_ms"]
    assert timings["tokens_per_s"] > 0

    raw = _generate(api, admin, prompt="The capital of France is", engine=default, max_tokens=4)
    assert raw.status_code == 200, raw.text
    assert raw.json()["usage"]["completion_tokens"] <= 4

    events = api.client.get("/api/admin/audit-events?action=playground.generated", headers=admin.headers)
    recorded = events.json()["data"]
    assert [event["details"]["mode"] for event in recorded] == ["prompt", "messages"]
    assert recorded[0]["actor_id"] == admin.id
    assert (recorded[0]["target_type"], recorded[0]["target_id"]) == ("engine", default)
    assert recorded[0]["details"]["prompt_chars"] == len("The capital of France is")
    assert recorded[1]["details"]["messages"] == 2
    assert "France" not in str(recorded)
    assert "莆田" not in str(recorded)


def test_only_admins_may_generate(api: Api) -> None:
    user = api.account("alice")
    refused = _generate(api, user, prompt="你好")
    assert (refused.status_code, refused.json()["code"]) == (403, "admin_required")
    anonymous = api.client.post(GENERATE, json={"prompt": "你好"})
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    seed = _generate(api, user, SEED_GENERATE, prompt="你好")
    assert seed.status_code == 403
    assert seed.json() == {"success": False, "error": seed.json()["error"], "code": "admin_required"}
    seed_anonymous = api.client.post(SEED_GENERATE, json={"prompt": "你好"})
    assert seed_anonymous.status_code == 401
    assert seed_anonymous.headers["WWW-Authenticate"] == "Bearer"
    assert seed_anonymous.json()["success"] is False


def test_bad_bodies_get_clear_errors_before_any_generation(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"prompt": "你好", "messages": QUESTION}, "prompt_or_messages", "exactly one"),
        ({}, "prompt_or_messages", "exactly one"),
        ({"prompt": "  "}, "prompt_empty", "empty"),
        ({"messages": [{"role": "user", "content": ""}]}, "prompt_empty", "no text"),
        ({"prompt": "字" * 20_001}, "string_too_long", "prompt"),
        ({"prompt": "你好", "max_tokens": 2000}, "less_than_equal", "max_tokens"),
        ({"prompt": "你好", "temperature": 3}, "less_than_equal", "temperature"),
        ({"prompt": "你好", "top_p": 0}, "greater_than", "top_p"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "literal_error", "role"),
        ({"prompt": "你好", "stop": ["a", "b", "c", "d", "e"]}, "value_error", "stop"),
        ({"prompt": "你好", "n": 2}, "unknown_field", "n"),
    ]
    for body, code, words in cases:
        response = api.client.post(GENERATE, json=body, headers=admin.headers)
        assert (response.status_code, response.json()["code"]) == (422, code), body
        assert words in response.json()["detail"], response.json()
    events = api.client.get("/api/admin/audit-events?action=playground.generated", headers=admin.headers)
    assert events.json()["count"] == 0


def test_an_unknown_engine_is_named_with_the_known_ones(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    default = _default_engine(api)
    unknown = _generate(api, admin, prompt="你好", engine="gpt-9")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "engine_unknown")
    assert "'gpt-9'" in unknown.json()["detail"]
    assert default in unknown.json()["detail"]
    seed = _generate(api, admin, SEED_GENERATE, prompt="你好", engine="gpt-9")
    assert seed.status_code == 422
    assert seed.json() == {"success": False, "error": unknown.json()["detail"], "code": "engine_unknown"}


def test_the_seed_route_answers_in_the_seed_shape(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    answered = _generate(api, admin, SEED_GENERATE, prompt="The capital of France is", top_k=20, seed=7)
    assert answered.status_code == 200, answered.text
    assert answered.json() == {"success": True, "text": answered.json()["text"]}
    assert isinstance(answered.json()["text"], str)
    missing = api.client.post(SEED_GENERATE, json={"max_tokens": 8}, headers=admin.headers)
    assert missing.status_code == 422
    assert missing.json() == {
        "success": False,
        "error": "The field 'prompt' is required.",
        "code": "missing_field",
    }
    messages = api.client.post(
        SEED_GENERATE, json={"prompt": "x", "messages": QUESTION}, headers=admin.headers
    )
    assert (messages.status_code, messages.json()["code"]) == (422, "unknown_field")
    operation = api.app.openapi()["paths"][SEED_GENERATE]["post"]
    assert operation["deprecated"] is True
    assert GENERATE in operation["description"]
    events = api.client.get("/api/admin/audit-events?action=playground.generated", headers=admin.headers)
    assert events.json()["data"][0]["details"]["route"] == SEED_GENERATE
