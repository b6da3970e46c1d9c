"""Several backend replicas on one PostgreSQL database: what they share and what each keeps to itself.

Each replica is an app of its own (as each container of `docker compose up --scale backend=N` is)
over one PostgreSQL database: accounts, tokens, API keys, login throttling and conversations are in
the database, so any replica answers any request; the knowledge indexes are rebuilt by each replica
from the database into its own data folder (docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.bootstrap import Knowledge, Services, open_knowledge
from app.core.config import Settings
from app.db.migrate import upgrade_to_head
from app.db.session import Database
from app.knowledge import knowledge_base
from app.knowledge.dense_index import MANIFEST_FILE
from app.knowledge.embedder import Embedder
from app.main import create_app
from tests.databases import postgres_database
from tests.integration.accounts import PASSWORD, Api, bearer, borrow

SECRET = "one-secret-shared-by-every-replica-0123456789"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        upgrade_to_head(url)
        yield url


@pytest.fixture
def replica(
    postgres_url: str, settings: Settings, short_answer_services: Services, tmp_path: Path
) -> Iterator[Callable[..., Api]]:
    """Starts backend replicas on the shared database, each with its own data folder."""
    database = Database(postgres_url)
    with contextlib.ExitStack() as stack:
        count = 0

        def start(**overrides: Any) -> Api:
            nonlocal count
            count += 1
            values = {
                "jwt_secret": SECRET,
                "data_dir": tmp_path / f"replica-{count}",
                "login_max_failures": 3,
            }
            app_settings = Settings.model_validate({**settings.model_dump(), **values, **overrides})
            services = borrow(short_answer_services, database, app_settings)
            app = create_app(app_settings, services_factory=lambda _: services)
            client = stack.enter_context(TestClient(app, raise_server_exceptions=False))
            return Api(app, client, database, app_settings)

        yield start
    database.dispose()


def test_a_sign_in_on_one_replica_is_good_on_another(replica: Callable[..., Api]) -> None:
    first, second = replica(), replica()
    alice = first.account("alice")
    assert second.client.get("/api/auth/me", headers=alice.headers).json()["username"] == "alice"
    key = first.api_key(alice)
    assert second.client.get("/api/auth/me", headers=bearer(key)).status_code == 200
    refreshed = second.client.post("/api/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert refreshed.status_code == 200
    # A conversation started on one replica is read and renamed on another.
    created = first.client.post("/api/conversations", json={"title": "吃饭"}, headers=alice.headers)
    conversation = f"/api/conversations/{created.json()['id']}"
    assert second.client.patch(conversation, json={"title": "食饭"}, headers=alice.headers).status_code == 200
    assert first.client.get(conversation, headers=alice.headers).json()["title"] == "食饭"


def test_a_replica_with_another_secret_refuses_the_others_tokens(replica: Callable[..., Api]) -> None:
    first = replica()
    stray = replica(jwt_secret="a-different-secret-of-thirty-two-characters-or-more")
    alice = first.account("alice")
    refused = stray.client.get("/api/auth/me", headers=alice.headers)
    assert (refused.status_code, refused.json()["code"]) == (401, "invalid_token")
    key = first.api_key(alice)  # API keys are checked against the database, not signed
    assert stray.client.get("/api/auth/me", headers=bearer(key)).status_code == 200


def test_failed_sign_ins_on_any_replica_count_towards_one_lock(replica: Callable[..., Api]) -> None:
    replicas = [replica(), replica(), replica()]
    replicas[0].account("alice")
    for api in replicas:  # one failure on each
        failed = api.client.post("/api/auth/login", json={"username": "alice", "password": "guess"})
        assert failed.status_code == 401
    locked = replicas[1].client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    assert (locked.status_code, locked.json()["code"]) == (429, "too_many_login_attempts")


def test_a_password_change_on_one_replica_ends_the_sessions_on_all(replica: Callable[..., Api]) -> None:
    first, second = replica(), replica()
    alice = first.account("alice")
    changed = first.client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "another long password"},
        headers=alice.headers,
    )
    assert changed.status_code == 200
    old = second.client.get("/api/auth/me", headers=alice.headers)
    assert (old.status_code, old.json()["code"]) == (401, "token_revoked")


@pytest.fixture
def two_knowledge_replicas(
    postgres_url: str, embedder: Embedder, tmp_path: Path
) -> Iterator[tuple[Knowledge, Knowledge]]:
    opened = []
    for number in (1, 2):
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=postgres_url,
            data_dir=tmp_path / f"replica-{number}",
            knowledge_dir=tmp_path / "no-curated-knowledge",
        )
        opened.append(open_knowledge(settings, embedder))
    yield opened[0], opened[1]
    for knowledge in opened:
        knowledge.database.dispose()


def test_knowledge_ingested_through_one_replica_reaches_the_others_indexes(
    two_knowledge_replicas: tuple[Knowledge, Knowledge], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_knowledge_replicas
    note = tmp_path / "uploads" / "今旦.txt"
    note.parent.mkdir()
    note.write_text("莆仙话“今天”说“今旦”，“明天”说“明旦”。\n", encoding="utf-8")
    question = "莆仙话“今天”怎么说？"
    # Each replica looks for changes made elsewhere at most every REFRESH_SECONDS: first not at all,
    # then at once.
    monkeypatch.setattr(knowledge_base, "REFRESH_SECONDS", 1e9)
    assert len(first.ingestor.ingest([note.parent], show_progress=False).added) == 1
    assert "今旦" in first.retriever.retrieve(question, 3).hits[0].chunk.text
    assert second.retriever.retrieve(question, 3).hits == []  # its indexes still hold the old version
    monkeypatch.setattr(knowledge_base, "REFRESH_SECONDS", 0.0)
    second.base.refresh_if_changed()
    assert second.base.version == first.base.version
    assert "今旦" in second.retriever.retrieve(question, 3).hits[0].chunk.text
    # Each replica keeps its own dense index file, for the version it has loaded.
    for knowledge in (first, second):
        manifest = json.loads((knowledge.base.index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        assert manifest["knowledge_version"] == knowledge.base.version
    assert first.base.index_dir != second.base.index_dir
