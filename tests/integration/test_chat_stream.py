"""`POST /api/chat/stream` (issue 6): the events, what is stored, and streams that break off.

The event contract is checked through the test client on SQLite and PostgreSQL. A client that goes
away and an engine that dies mid-answer need a real server: a live uvicorn with the default model
(`transformers`) and an `openai` engine on a real `transformers serve` process, killed mid-stream.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.conversations.models import Message
from app.core.config import Settings
from app.db.session import Database
from app.users.models import Role
from tests.integration.accounts import Api
from tests.integration.engine_apps import LiveApp, live_app, migrated_database, stream
from tests.integration.openai_servers import Replica, replicas
from tests.sse import Event, EventReader, parse_events

QUESTION = "莆仙话“今天”怎么说？"
# The default model answers this at length (past 100 tokens), so a stream is cut well before its end.
LONG_QUESTION = "请详细介绍莆仙戏的历史、剧目和表演特点。"


def stored_messages(database: Database, conversation_id: str) -> list[Message]:
    with database.session() as session:
        return list(
            session.scalars(
                select(Message)
                .where(Message.conversation_id == uuid.UUID(conversation_id))
                .order_by(Message.id)
            ).all()
        )


def stream_events(api: Api, headers: dict[str, str], **body: Any) -> list[Event]:
    with api.client.stream("POST", "/api/chat/stream", json=body, headers=headers) as response:
        assert response.status_code == 200, response.read().decode()
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        return list(parse_events(response.iter_lines()))


def test_sources_then_deltas_then_done_and_the_exchange_is_stored(api: Api) -> None:
    user = api.account("streamer")
    events = stream_events(api, user.headers, question=QUESTION)

    names = [event.name for event in events]
    assert names[0] == "sources"
    assert names[1] == "cards"  # a question about a word: its word card, before any text
    assert names[-1] == "done"
    assert set(names[2:-1]) == {"delta"}
    assert events[1].data["cards"][0]["simplified"] == "今旦"
    sources, done = events[0].data, events[-1].data
    assert {source["doc_id"] for source in sources["sources"]} & {"vocab-time", "lexicon-time-numbers"}
    assert [source["number"] for source in sources["sources"]] == list(range(1, len(sources["sources"]) + 1))
    assert sources["conversation_id"] == done["conversation_id"]
    assert done["engine"] == "transformers"
    assert done["finish_reason"] in ("stop", "length")
    assert done["usage"]["completion_tokens"] > 0
    assert done["usage"]["prompt_tokens"] > 0
    timings = done["timings"]
    assert 0 < timings["retrieval_ms"] < timings["ttft_ms"] <= timings["total_ms"]
    assert timings["tokens_per_s"] > 0

    answer = "".join(event.data["text"] for event in events if event.name == "delta")
    question, stored = stored_messages(api.database, done["conversation_id"])
    assert (question.id, question.role, question.content) == (sources["message_id"], "user", QUESTION)
    assert (stored.id, stored.role, stored.content) == (done["message_id"], "assistant", answer)
    assert (stored.engine, stored.finish_reason) == ("transformers", done["finish_reason"])
    assert stored.usage == done["usage"]
    assert [source["id"] for source in stored.sources] == [source["id"] for source in sources["sources"]]

    # The conversation API shows the streamed exchange as it shows any other.
    listed = api.client.get(f"/api/conversations/{done['conversation_id']}", headers=user.headers)
    assert listed.status_code == 200, listed.text
    assert [m["content"] for m in listed.json()["messages"]] == [QUESTION, answer]


def test_problems_found_before_the_stream_starts_are_json_errors(api: Api) -> None:
    owner, other = api.account("owner"), api.account("other")
    conversation = stream_events(api, owner.headers, question="如何用Python写快速排序？")[-1]
    assert conversation.name == "done", "a question the knowledge base cannot answer is answered plainly"
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"question": "   "}, 422, "question_empty"),
        ({"question": "问" * (api.settings.max_question_chars + 1)}, 422, "question_too_long"),
        ({"question": QUESTION, "engine": "gpt-9"}, 422, "engine_unknown"),
        ({"question": QUESTION, "top_k": 0}, 422, "greater_than_equal"),
        ({"question": QUESTION, "conversation_id": conversation.data["conversation_id"]}, 404, "not_found"),
        ({"question": QUESTION, "conversation_id": str(uuid.uuid4())}, 404, "not_found"),
    ]
    for body, status, code in cases:
        response = api.client.post("/api/chat/stream", json=body, headers=other.headers)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"] == "application/json"
        assert response.json()["code"].endswith(code), (body, response.json())
    assert api.client.post("/api/chat/stream", json={"question": QUESTION}).status_code == 401
    # Nothing was stored for the refused requests.
    with api.database.session() as session:
        assert len(session.scalars(select(Message)).all()) == 2


# --------------------------------------------------------- streams that break off


@pytest.fixture(scope="module")
def remote(llm_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    with replicas(llm_path, tmp_path_factory.mktemp("stream-remote"), 1) as (replica,):
        yield replica


@pytest.fixture(scope="module")
def live(
    services: Services, settings: Settings, remote: Replica, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """The default model as `transformers`, and the remote as `remote`, loaded at start (keep_loaded)."""
    database = tmp_path_factory.mktemp("stream-live") / "live.db"
    app_settings = Settings.model_validate(
        {
            **settings.model_dump(),
            "database_url": f"sqlite:///{database}",
            "engines": [
                {"name": "transformers", "kind": "transformers"},
                {
                    "name": "remote",
                    "kind": "openai",
                    "keep_loaded": True,
                    "config": {"server_urls": [remote.url], "max_retries": 0},
                },
            ],
            "llm_max_tokens": 160,
            # These tests are about the stream itself: a check that ends the answer early would race
            # them, and so would an answer that opens with a quoted passage and stops there.
            "grounding_check": False,
            "quote_first": False,
            "top_k": 1,
            "engine_warmup": False,
        }
    )
    with live_app(services, migrated_database(app_settings.database), app_settings) as started:
        yield started


@pytest.fixture(scope="module")
def live_user(live: LiveApp) -> dict[str, str]:
    return live.sign_in("live_user")


def _generation_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "transformers-generate"]


def test_a_client_that_goes_away_aborts_the_generation_and_the_partial_answer_is_kept(
    live: LiveApp, live_user: dict[str, str]
) -> None:
    deltas: list[str] = []
    conversation_id, first_at, seconds_per_delta = "", 0.0, 0.0
    with (
        httpx.Client(timeout=120) as http,
        http.stream(
            "POST", live.url + "/api/chat/stream", json={"question": LONG_QUESTION}, headers=live_user
        ) as response,
    ):
        reader = EventReader()
        lines = response.iter_lines()
        for line in lines:
            event = reader.feed(line)
            if event is not None and event.name == "sources":
                conversation_id = event.data["conversation_id"]
            elif event is not None and event.name == "delta":
                if not deltas:
                    first_at = time.monotonic()
                deltas.append(event.data["text"])
                if len(deltas) == 5:
                    assert live.engine(live_user, "transformers")["in_flight"] == 1
                    assert _generation_threads(), "the model is generating"
                if len(deltas) == 6:
                    seconds_per_delta = (time.monotonic() - first_at) / 5
                    break
        response.close()  # closes the connection: the client has gone away
        left_at = time.monotonic()

    deadline = left_at + 30
    while _generation_threads() or live.engine(live_user, "transformers")["in_flight"]:
        assert time.monotonic() < deadline, "the generation went on after the client left"
        time.sleep(0.02)
    stopped_after = time.monotonic() - left_at
    # The answer had over 150 tokens to go: finishing them would take far longer than stopping did.
    assert stopped_after < 150 * seconds_per_delta / 3, (stopped_after, seconds_per_delta)

    deadline = time.monotonic() + 10
    while len(messages := stored_messages(live.database, conversation_id)) < 2:
        assert time.monotonic() < deadline, "the partial answer was not stored"
        time.sleep(0.05)
    question, partial = messages
    assert question.content == LONG_QUESTION
    assert partial.finish_reason == "aborted"
    assert partial.engine == "transformers"
    assert partial.content.startswith("".join(deltas).strip())
    assert len(partial.content) < 200, "only the part generated before the client left"
    assert partial.sources, "the sources it was answered from are kept"

    # The engine is free: the next stream is answered at once.
    done = stream(live.url, live_user, question=QUESTION)[-1]
    assert (done.name, done.data["engine"]) == ("done", "transformers")


def test_a_client_that_leaves_a_whole_answer_aborts_it_and_the_question_is_kept(
    live: LiveApp, live_user: dict[str, str]
) -> None:
    """`POST /api/chat` (not streamed) stops the model too when its client goes away."""
    conversation = httpx.post(live.url + "/api/conversations", json={}, headers=live_user).json()["id"]
    body = {"question": LONG_QUESTION, "conversation_id": conversation}
    with pytest.raises(httpx.ReadTimeout):  # the client gives up while the model answers at length
        httpx.post(live.url + "/api/chat", json=body, headers=live_user, timeout=httpx.Timeout(60, read=4))
    left_at = time.monotonic()
    deadline = left_at + 60
    while len(messages := stored_messages(live.database, conversation)) < 2:
        assert time.monotonic() < deadline, "nothing was stored"
        time.sleep(0.05)
    question, answer = messages
    assert question.content == LONG_QUESTION
    assert answer.finish_reason == "aborted", "the model was stopped, not left to finish"
    assert live.engine(live_user, "transformers")["in_flight"] == 0
    assert not _generation_threads()


def test_an_admin_who_leaves_the_playground_stops_the_model(live: LiveApp) -> None:
    admin = live.sign_in("playground_leaver", Role.ADMIN)
    body = {"prompt": "请写一篇很长的文章，介绍莆田的历史。", "max_tokens": 600, "temperature": 0}
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            live.url + "/api/admin/generate", json=body, headers=admin, timeout=httpx.Timeout(60, read=3)
        )
    deadline = time.monotonic() + 60
    while live.engine(admin, "transformers")["in_flight"] or _generation_threads():
        assert time.monotonic() < deadline, "the generation went on after the admin left"
        time.sleep(0.05)
    audit = httpx.get(live.url + "/api/admin/audit-events?action=playground.generated", headers=admin).json()
    assert [event["details"]["outcome"] for event in audit["data"]] == ["client_closed"], audit
    assert time.monotonic() - started < 30  # 600 tokens take far longer on this CPU


def test_a_ready_engine_other_than_the_default_answers_when_named(
    live: LiveApp, live_user: dict[str, str]
) -> None:
    listing = live.engines(live_user)
    assert listing["default"] == "transformers"
    remote = next(engine for engine in listing["engines"] if engine["name"] == "remote")
    assert (remote["state"], remote["device"], remote["kind"]) == ("ready", "remote", "openai")

    events = stream(live.url, live_user, question=QUESTION, engine="remote")
    assert events[-1].name == "done", events[-1]
    assert events[-1].data["engine"] == "remote"
    answered = httpx.post(
        live.url + "/api/chat",
        json={"question": QUESTION, "engine": "remote"},
        headers=live_user,
        timeout=120,
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["engine"] == "remote"
    texts = "".join(event.data["text"] for event in events if event.name == "delta")
    assert answered.json()["answer"] == texts, "greedy answers of one engine agree, streamed or not"


def test_an_engine_that_dies_mid_stream_ends_it_with_an_error_event_and_keeps_the_partial_answer(
    live: LiveApp, live_user: dict[str, str], remote: Replica
) -> None:
    events: list[Event] = []
    with (
        httpx.Client(timeout=120) as http,
        http.stream(
            "POST",
            live.url + "/api/chat/stream",
            json={"question": LONG_QUESTION, "engine": "remote"},
            headers=live_user,
        ) as response,
    ):
        assert response.status_code == 200
        reader = EventReader()
        for line in response.iter_lines():  # the connection stays open until the error event
            event = reader.feed(line)
            if event is None:
                continue
            events.append(event)
            if event.name == "delta" and sum(e.name == "delta" for e in events) == 3:
                remote.crash()
        if (last := reader.feed("")) is not None:
            events.append(last)

    names = [event.name for event in events]
    assert names[0] == "sources"
    assert names[-1] == "error", names[-3:]
    assert "done" not in names
    error = events[-1].data
    assert error["code"] == "engine_failed"
    assert "partial answer was kept" in error["detail"]
    partial_text = "".join(event.data["text"] for event in events if event.name == "delta")
    question, partial = stored_messages(live.database, events[0].data["conversation_id"])
    assert question.id == events[0].data["message_id"]
    assert partial.id == error["message_id"]
    assert (partial.finish_reason, partial.engine) == ("error", "remote")
    assert partial.content.startswith(partial_text.strip())
    assert partial.content

    assert live.engine(live_user, "remote")["in_flight"] == 0
    # The default engine is unaffected.
    done = stream(live.url, live_user, question=QUESTION)[-1]
    assert (done.name, done.data["engine"]) == ("done", "transformers")
