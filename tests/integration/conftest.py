"""Integration fixtures: the real default models, a real index in a temporary data folder."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.bootstrap import Knowledge, Services, build_services, open_knowledge
from app.core.config import Settings
from app.db.migrate import upgrade_to_head
from app.db.session import Database
from app.knowledge.embedder import Embedder
from app.main import create_app
from inference_engine import BaseInferenceEngine
from tests.conftest import REPO_ROOT
from tests.integration.accounts import Api, borrow


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("data"),
        knowledge_dir=REPO_ROOT / "knowledge",
        torch_threads=1,
        # Tests load one account on purpose (50 parallel chats, 20 streams during a switch); the
        # admission limits themselves are tested with their own values (test_back_pressure.py).
        max_pending_generations=1000,
        user_concurrent_requests=1000,
        user_requests_per_minute=100_000,
    )


@pytest.fixture(scope="session")
def services(settings: Settings) -> Iterator[Services]:
    built = build_services(settings)
    yield built
    built.close()


@pytest.fixture(scope="session")
def engine(services: Services) -> BaseInferenceEngine:
    return services.engine


@pytest.fixture(scope="session")
def client(settings: Settings, services: Services) -> Iterator[TestClient]:
    """Signed in as a user made for the session (every route but health and sign-in needs one)."""
    app = create_app(settings, services_factory=lambda _: services)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        account = Api(app, test_client, services.knowledge.database, settings).account("session_user")
        test_client.headers.update(account.headers)
        yield test_client


@pytest.fixture(scope="session")
def llm_path(settings: Settings) -> Path:
    from app.bootstrap import inference_config

    return Path(inference_config(settings).model_path)


@pytest.fixture(scope="session")
def embedder(services: Services) -> Embedder:
    return services.knowledge.embedder


@pytest.fixture
def empty_knowledge(tmp_path: Path, embedder: Embedder) -> Iterator[Knowledge]:
    """A knowledge base of its own (SQLite file and index folder in tmp_path), initially empty."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        knowledge_dir=tmp_path / "no-curated-knowledge",
    )
    knowledge = open_knowledge(settings, embedder)
    yield knowledge
    knowledge.database.dispose()


@pytest.fixture(scope="session")
def short_answer_services(settings: Settings, services: Services) -> Iterator[Services]:
    """The real models with answers cut at 8 tokens: the API tests pay the prompt, not long answers.
    The grounding check is off: an answer cut at 8 tokens is checked, and written again, for nothing;
    and answers do not open with a quoted passage, after which the model often writes nothing more
    (tests/integration/test_grounded_answers.py checks both).

    Built after `services`, in the same data folder, so that it reuses the index (seconds, not minutes).
    """
    built = build_services(
        Settings.model_validate(
            {**settings.model_dump(), "llm_max_tokens": 8, "grounding_check": False, "quote_first": False}
        )
    )
    yield built
    built.close()


@pytest.fixture
def make_api(
    database_url: str, settings: Settings, short_answer_services: Services
) -> Iterator[Callable[..., Api]]:
    """Builds apps on the test's database (SQLite or PostgreSQL) with settings overrides."""
    upgrade_to_head(database_url)
    database = Database(database_url)
    with contextlib.ExitStack() as stack:

        def build(**overrides: Any) -> Api:
            app_settings = Settings.model_validate({**settings.model_dump(), **overrides})
            services = borrow(short_answer_services, database, app_settings)
            app = create_app(app_settings, services_factory=lambda _: services)
            client = stack.enter_context(TestClient(app, raise_server_exceptions=False))
            return Api(app, client, database, app_settings)

        yield build
    database.dispose()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()
