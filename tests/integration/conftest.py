"""Integration fixtures: the real default models, a real index in a temporary data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.bootstrap import Services, build_services
from app.core.config import Settings
from app.main import create_app
from inference_engine import BaseInferenceEngine
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("data"),
        knowledge_dir=REPO_ROOT / "knowledge",
        torch_threads=1,
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
    app = create_app(settings, services_factory=lambda _: services)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def llm_path(settings: Settings) -> Path:
    from app.bootstrap import inference_config

    return Path(inference_config(settings).model_path)
