"""Back-pressure over HTTP: a full engine refuses at once (503 with Retry-After, in our shape and
OpenAI's, streams included), a user over a limit gets 429, and a waiting stream says its place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from app.engines.admission import Admission
from tests.integration.accounts import Api, bearer
from tests.sse import parse_events

REFUSED = "What is the capital of Australia?"  # refused without the model: fast, still admitted


@contextmanager
def limited(api: Api, **limits: int) -> Iterator[None]:
    """These admission limits on the app's engines (shared by the session's apps), then the old ones."""
    engines = api.app.state.services.engines
    before = engines.admission
    engines.admission = Admission(replace(before.limits, **limits))
    try:
        yield
    finally:
        engines.admission = before


def test_a_full_engine_refuses_at_once_on_every_chat_route(make_api: Callable[..., Api]) -> None:
    api = make_api()
    user = api.account("busy_user")
    key = api.api_key(user)
    openai_body = {"model": "transformers", "messages": [{"role": "user", "content": REFUSED}]}
    with limited(api, max_pending=1):
        held = api.app.state.services.engines.lease()  # one request already on the engine
        try:
            for path in ("/api/chat", "/api/chat/stream"):
                refused = api.client.post(path, json={"question": REFUSED}, headers=user.headers)
                assert (refused.status_code, refused.json()["code"]) == (503, "engine_busy"), path
                assert int(refused.headers["retry-after"]) >= 1
            for streamed in (False, True):
                openai = api.client.post(
                    "/v1/chat/completions", json={**openai_body, "stream": streamed}, headers=bearer(key)
                )
                assert openai.status_code == 503
                assert (openai.json()["error"]["code"], openai.json()["error"]["type"]) == (
                    "engine_busy",
                    "server_error",
                )
                assert int(openai.headers["retry-after"]) >= 1
        finally:
            held.release()
        again = api.client.post("/api/chat", json={"question": REFUSED}, headers=user.headers)
        assert again.status_code == 200
    assert api.client.get("/api/health").status_code == 200


def test_a_user_over_the_per_minute_limit_gets_429_and_others_do_not(make_api: Callable[..., Api]) -> None:
    api = make_api()
    eager, other = api.account("eager"), api.account("other")
    with limited(api, per_user_per_minute=2):
        for _ in range(2):
            answered = api.client.post("/api/chat", json={"question": REFUSED}, headers=eager.headers)
            assert answered.status_code == 200
        third = api.client.post("/api/chat/stream", json={"question": REFUSED}, headers=eager.headers)
        assert (third.status_code, third.json()["code"]) == (429, "too_many_requests")
        assert 1 <= int(third.headers["retry-after"]) <= 60
        elsewhere = api.client.post("/api/chat", json={"question": REFUSED}, headers=other.headers)
        assert elsewhere.status_code == 200


def test_a_stream_admitted_behind_others_says_its_place_first(make_api: Callable[..., Api]) -> None:
    api = make_api()
    user = api.account("patient")
    engines = api.app.state.services.engines
    held = [engines.lease() for _ in range(2)]
    try:
        with api.client.stream(
            "POST", "/api/chat/stream", json={"question": REFUSED}, headers=user.headers
        ) as response:
            events = list(parse_events(response.iter_lines()))
    finally:
        for lease in held:
            lease.release()
    assert events[0].name == "queued"
    assert events[0].data == {"position": 2}
    assert events[-1].name == "done"
    assert engines.status(engines.default_name).in_flight == 0, "every lease released"
