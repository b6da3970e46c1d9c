"""Apps with an engine manager of their own (on the session's knowledge) for the issue-6 tests, served
by a real uvicorn (tests/integration/live_server.py), with accounts signed in and streams read over HTTP.

The session's `services` share one engine manager; switching engines needs a manager no other test uses.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.bootstrap import Services, build_engine_manager, build_rag_service
from app.core.config import Settings
from app.db.migrate import upgrade_to_head
from app.db.session import Database
from app.engines.service import restored_default
from app.main import create_app
from app.users.models import Role
from app.users.service import create_user
from tests.integration.accounts import PASSWORD, bearer
from tests.integration.live_server import live_server
from tests.sse import Event, EventReader


def migrated_database(url: str) -> Database:
    upgrade_to_head(url)
    return Database(url)


def services_with_engines(base: Services, database: Database, settings: Settings) -> Services:
    """`base`'s embedder and index on `database`, with `settings`' engines loaded as at a real start
    (the stored default restored, the configured one as fallback). Closing it unloads them."""
    knowledge = dataclasses.replace(base.knowledge, database=database)
    engines = build_engine_manager(settings, restored_default(database))
    engines.start(fallback=settings.default_engine)
    return Services(settings, knowledge, engines, build_rag_service(settings, knowledge, engines))


@dataclass
class LiveApp:
    url: str
    services: Services
    database: Database

    def sign_in(self, username: str, role: Role = Role.USER) -> dict[str, str]:
        """A new account made in the database, signed in over HTTP; its Authorization header."""
        with self.database.session() as session:
            create_user(
                session, username=username, password=PASSWORD, role=role,
                min_password_length=8, actor_id=None, via="test",
            )  # fmt: skip
        response = httpx.post(self.url + "/api/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return bearer(response.json()["access_token"])

    def engines(self, headers: dict[str, str]) -> dict[str, Any]:
        response = httpx.get(self.url + "/api/engines", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def engine(self, headers: dict[str, str], name: str) -> dict[str, Any]:
        return next(e for e in self.engines(headers)["engines"] if e["name"] == name)


@contextmanager
def live_app(base: Services, database: Database, settings: Settings) -> Iterator[LiveApp]:
    """The app on uvicorn; its lifespan loads the engines and unloads them at the end."""
    built: list[Services] = []

    def factory(app_settings: Settings) -> Services:
        built.append(services_with_engines(base, database, app_settings))
        return built[0]

    with live_server(create_app(settings, services_factory=factory)) as url:
        yield LiveApp(url, built[0], database)


def stream(url: str, headers: dict[str, str], **body: Any) -> list[Event]:
    """POST /api/chat/stream and read it to the end; its events (the status must be 200)."""
    with (
        httpx.Client(timeout=300) as http,
        http.stream("POST", url + "/api/chat/stream", json=body, headers=headers) as response,
    ):
        assert response.status_code == 200, response.read().decode()
        assert response.headers["content-type"].startswith("text/event-stream")
        reader = EventReader()
        events = [event for line in [*response.iter_lines(), ""] if (event := reader.feed(line))]
    return events


@dataclass
class StreamsInBackground:
    """Streams run on threads of their own; `sources_seen` counts those that got their first event."""

    results: dict[int, list[Event]] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)
    sources_seen: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self, number: int, url: str, headers: dict[str, str], **body: Any) -> None:
        def run() -> None:
            events: list[Event] = []
            try:
                with (
                    httpx.Client(timeout=600) as http,
                    http.stream("POST", url + "/api/chat/stream", json=body, headers=headers) as response,
                ):
                    assert response.status_code == 200, response.read().decode()
                    reader = EventReader()
                    for line in response.iter_lines():  # as they come: `sources` is counted at once
                        event = reader.feed(line)
                        if event is None:
                            continue
                        events.append(event)
                        if event.name == "sources":
                            with self._lock:
                                self.sources_seen += 1
                    if (last := reader.feed("")) is not None:
                        events.append(last)
            except BaseException as exc:  # the test asserts there were none
                self.errors.append(exc)
            self.results[number] = events

        thread = threading.Thread(target=run, name=f"stream-{number}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def wait_for_sources(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.sources_seen < count and not self.errors:
            assert time.monotonic() < deadline, f"only {self.sources_seen} of {count} streams started"
            time.sleep(0.05)

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
            assert not thread.is_alive(), f"{thread.name} did not end in {timeout} s"
