"""The OpenAI-compatible API with the official `openai` client, against the real app on a real port.

The app is served by uvicorn on a free port with the session's real models (the default model on
the CPU), so streaming goes over a real socket. Answers are cut short: each costs the prompt.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import openai
import pytest
import uvicorn
from fastapi import FastAPI

from app.bootstrap import Services
from app.chat.history import Turn
from app.chat.prompting import NO_ANSWER
from app.chat.service import PreparedAnswer
from app.core.config import Settings
from app.db.migrate import upgrade_to_head
from app.db.session import Database
from app.main import create_app
from app.users.models import Role
from app.users.service import create_user
from tests.integration.accounts import PASSWORD, borrow

QUESTION = "如何用莆仙话说“吃饭”？"
CHAT: list[Any] = [{"role": "user", "content": QUESTION}]


@pytest.fixture(scope="module")
def app_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path_factory.mktemp('openai-api') / 'app.db'}"
    upgrade_to_head(url)
    database = Database(url)
    yield database
    database.dispose()


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app on uvicorn on a free port of this machine, until the block ends; yields its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def make_api_key(base_url: str, database: Database, username: str) -> str:
    """A user's API key, made as a person makes one: sign in, then POST /api/keys."""
    with database.session() as session:
        create_user(
            session, username=username, password=PASSWORD, role=Role.USER,
            min_password_length=8, actor_id=None, via="test",
        )  # fmt: skip
    with httpx.Client(base_url=base_url) as http:
        login = http.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        token = login.json()["access_token"]
        created = http.post(
            "/api/keys", json={"name": "openai"}, headers={"Authorization": f"Bearer {token}"}
        )
    assert created.status_code == 201, created.text
    key: str = created.json()["key"]
    assert key.startswith("pk-")
    return key


@pytest.fixture(scope="module")
def base_url(settings: Settings, short_answer_services: Services, app_database: Database) -> Iterator[str]:
    """The app on uvicorn, on a database of its own, with the session's models and knowledge."""
    app = create_app(
        settings, services_factory=lambda _: borrow(short_answer_services, app_database, settings)
    )
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def api_key(base_url: str, app_database: Database) -> str:
    return make_api_key(base_url, app_database, "openai_user")


@pytest.fixture(scope="module")
def client(base_url: str, api_key: str) -> openai.OpenAI:
    # No retries: a refused request must fail the test at once, not be sent again.
    return openai.OpenAI(base_url=base_url + "/v1", api_key=api_key, max_retries=0)


@pytest.fixture(scope="module")
def model(short_answer_services: Services) -> str:
    return short_answer_services.engines.default_name


@pytest.fixture(scope="module")
def whole(client: openai.OpenAI, model: str) -> Any:
    """One whole answer of up to 8 tokens, greedy, for the tests that compare with it."""
    return client.chat.completions.create(model=model, messages=CHAT, max_tokens=8, temperature=0)


# ------------------------------------------------------------------------------------ models


def test_the_models_are_the_configured_engines(
    client: openai.OpenAI, short_answer_services: Services
) -> None:
    models = client.models.list().data
    engines = short_answer_services.engines
    assert [m.id for m in models] == engines.names
    default = next(m for m in models if m.id == engines.default_name)
    extra = default.model_extra or {}
    assert (extra["default"], extra["state"], extra["kind"]) == (True, "ready", engines.spec(default.id).kind)
    assert all(m.object == "model" and m.owned_by == "puxian" for m in models)


# ------------------------------------------------------------------------------------ answers


def test_a_whole_answer_comes_with_usage_and_its_sources(whole: Any, model: str) -> None:
    assert whole.object == "chat.completion"
    assert whole.id.startswith("chatcmpl-")
    assert whole.model == model
    (choice,) = whole.choices
    assert choice.message.role == "assistant"
    assert choice.message.content.strip()
    assert choice.finish_reason in ("stop", "length")
    usage = whole.usage
    assert 0 < usage.completion_tokens <= 8
    assert usage.prompt_tokens > 100  # the RAG prompt: instructions and passages
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    sources = whole.model_extra["sources"]
    assert [s["number"] for s in sources] == list(range(1, len(sources) + 1))
    assert any("食饭" in s["text"] for s in sources)  # the lexicon entry that answers it


def test_a_streamed_answer_is_the_whole_answer_in_chunks(
    client: openai.OpenAI, model: str, whole: Any
) -> None:
    stream = client.chat.completions.create(
        model=model,
        messages=CHAT,
        max_tokens=8,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    first, *middle, finish, usage = chunks
    assert all(chunk.object == "chat.completion.chunk" and chunk.model == model for chunk in chunks)
    assert len({chunk.id for chunk in chunks}) == 1
    assert first.choices[0].delta.role == "assistant"
    assert (first.model_extra or {})["sources"] == whole.model_extra["sources"]  # before the first token
    texts = [chunk.choices[0].delta.content or "" for chunk in middle]
    assert len(texts) > 1, "the answer arrives in pieces"
    assert "".join(texts) == whole.choices[0].message.content
    assert finish.choices[0].finish_reason == whole.choices[0].finish_reason
    assert usage.choices == []
    assert usage.usage == whole.usage


def test_the_sampling_values_reach_the_engine(
    client: openai.OpenAI, model: str, short_answer_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = short_answer_services.engines.default_engine()
    seen: list[dict[str, Any]] = []
    generate = engine.generate

    def spy(prompt: Any, abort: Any = None, **overrides: Any) -> Any:
        seen.append(overrides)
        return generate(prompt, abort, **overrides)

    monkeypatch.setattr(engine, "generate", spy)
    answer = client.chat.completions.create(
        model=model, messages=CHAT, temperature=0.7, top_p=0.5, max_tokens=3, stop=["。", "\n\n"], seed=7
    )
    (overrides,) = seen
    assert {k: v for k, v in overrides.items() if k != "response_prefix"} == {
        "temperature": 0.7,
        "top_p": 0.5,
        "max_tokens": 3,
        "stop": ["。", "\n\n"],
        "seed": 7,
    }
    assert answer.usage is not None
    assert answer.usage.completion_tokens <= 3


def test_a_stop_sequence_ends_the_answer_before_it(
    client: openai.OpenAI, model: str, short_answer_services: Services
) -> None:
    # The answer starts with the prompt's fixed opening, which is given, not generated: the stop is
    # taken from what the model generated after it.
    # A question without a word card: the answer's opening is the template's, and the model goes on.
    messages: list[Any] = [{"role": "user", "content": "莆仙话有几个声调？"}]
    prompt = short_answer_services.rag.prepare(messages[0]["content"]).prompt
    assert prompt is not None
    whole = client.chat.completions.create(model=model, messages=messages, max_tokens=8, temperature=0)
    text = whole.choices[0].message.content
    assert text.startswith(prompt.response_prefix)
    generated = text[len(prompt.response_prefix) :]
    stop = generated[2]
    assert stop not in generated[:2], "the test needs a stop that first appears after the start"
    answer = client.chat.completions.create(
        model=model, messages=messages, max_tokens=8, temperature=0, stop=[stop]
    )
    content = answer.choices[0].message.content or ""
    assert answer.choices[0].finish_reason == "stop"
    assert content.startswith(prompt.response_prefix + generated[:2])
    assert stop not in content[len(prompt.response_prefix) :]
    assert answer.usage is not None
    assert answer.usage.completion_tokens < whole.usage.completion_tokens


def test_earlier_messages_are_the_history_and_system_messages_are_dropped(
    client: openai.OpenAI, model: str, short_answer_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, list[Turn]]] = []

    def prepare(question: str, top_k: int | None = None, history: Any = ()) -> PreparedAnswer:
        asked.append((question, list(history)))
        return PreparedAnswer(question, question, [], None, 1.0)  # nothing relevant: no model call

    monkeypatch.setattr(short_answer_services.rag, "prepare", prepare)
    answer = client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": "Answer in English."},
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": "食饭 [1]"},
            {"role": "user", "content": [{"type": "text", "text": "“今天”呢？"}]},
        ],
    )
    assert asked == [("“今天”呢？", [Turn(QUESTION, "食饭 [1]")])]
    assert answer.choices[0].message.content == NO_ANSWER
    assert (answer.model_extra or {})["sources"] == []
    assert answer.usage is not None
    assert (answer.usage.prompt_tokens, answer.usage.completion_tokens) == (0, 0)


def test_a_stream_the_client_leaves_is_aborted_and_frees_the_engine(
    base_url: str, api_key: str, model: str, short_answer_services: Services
) -> None:
    body = {"model": model, "messages": CHAT, "stream": True, "max_tokens": 60, "temperature": 0}
    headers = {"Authorization": f"Bearer {api_key}"}
    with (
        httpx.Client(base_url=base_url, timeout=120) as http,
        http.stream("POST", "/v1/chat/completions", json=body, headers=headers) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        text_events = (
            line for line in response.iter_lines() if '"content":"' in line and '"content":""' not in line
        )
        assert next(text_events)  # the model is generating: leave now
    # The server notices the client has gone, aborts the generation and releases the engine.
    engines = short_answer_services.engines
    deadline = time.monotonic() + 60
    while engines.status(model).in_flight and time.monotonic() < deadline:
        time.sleep(0.05)
    assert engines.status(model).in_flight == 0


# ------------------------------------------------------------------------------------ errors


def test_a_wrong_key_is_an_authentication_error(base_url: str) -> None:
    stranger = openai.OpenAI(base_url=base_url + "/v1", api_key="pk-not-a-real-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as raised:
        stranger.models.list()
    error = raised.value
    assert (error.status_code, error.code, error.type) == (401, "invalid_api_key", "invalid_request_error")
    assert error.response.headers["www-authenticate"] == "Bearer"


def test_an_unknown_model_is_not_found_streaming_or_not(client: openai.OpenAI) -> None:
    for stream in (False, True):
        with pytest.raises(openai.NotFoundError) as raised:
            client.chat.completions.create(model="gpt-4o", messages=CHAT, stream=stream)
        assert (raised.value.code, raised.value.param) == ("model_not_found", "model")
        assert "gpt-4o" in raised.value.message


def test_bad_parameters_are_invalid_requests_that_name_the_parameter(
    client: openai.OpenAI, model: str
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"messages": CHAT, "temperature": 5}, "temperature"),
        ({"messages": CHAT, "top_p": 0}, "top_p"),
        ({"messages": CHAT, "n": 2}, "n"),
        ({"messages": CHAT, "stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"messages": [*CHAT, {"role": "assistant", "content": "食饭"}]}, "messages"),
        ({"messages": []}, "messages"),
    ]
    for arguments, param in cases:
        with pytest.raises(openai.BadRequestError) as raised:
            client.chat.completions.create(model=model, **arguments)
        assert (raised.value.type, raised.value.param) == ("invalid_request_error", param), arguments


def test_unknown_paths_and_methods_under_v1_are_openai_errors(base_url: str, api_key: str) -> None:
    headers = {"Authorization": f"Bearer {api_key}"}
    with httpx.Client(base_url=base_url, headers=headers) as http:
        missing = http.get("/v1/embeddings")
        wrong_method = http.get("/v1/chat/completions")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["error"]["code"]) == (405, "method_not_allowed")


def test_only_v1_answers_in_openai_s_format(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as http:
        v1 = http.post("/v1/chat/completions", json={})
        api = http.post("/api/chat", json={})
    assert v1.status_code == api.status_code == 401
    error = v1.json()["error"]
    assert set(v1.json()) == {"error"}
    assert (error["type"], error["code"], error["param"]) == (
        "invalid_request_error",
        "invalid_api_key",
        None,
    )
    assert "Bearer" in error["message"]
    assert api.json()["code"] == "not_authenticated"
