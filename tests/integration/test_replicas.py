"""Several OpenAI-compatible replicas behind one `OpenAIEngine`: shared load, and one stopped mid-run.

Two real `transformers serve` processes serve the default model on the CPU, standing in for replicas
of `vllm serve` (docs/deployment.md), first behind the engine alone, then behind the whole backend
asked through /v1 with the `openai` client. Which replica answered is read from its access log.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai
import pytest

from app.bootstrap import build_services
from app.core.config import Settings
from app.core.engine_specs import EngineSpec
from app.main import create_app
from inference_engine import ChatMessage, GenerationResult, InferenceConfig, OpenAIEngine
from tests.integration.openai_servers import Replica, replicas
from tests.integration.test_openai_api import make_api_key, serving

CHAT: list[ChatMessage] = [{"role": "user", "content": "你好"}]


@pytest.fixture(scope="module")
def two_replicas(llm_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Replica]]:
    with replicas(llm_path, tmp_path_factory.mktemp("replicas"), 2) as started:
        yield started


@pytest.fixture(scope="module")
def engine(two_replicas: list[Replica], llm_path: Path) -> Iterator[OpenAIEngine]:
    config = InferenceConfig(
        model_path=str(llm_path),
        server_urls=[replica.url for replica in two_replicas],
        temperature=0.0,
        max_tokens=4,
        max_retries=1,
    )
    with OpenAIEngine(config) as client:
        yield client


@dataclass
class Run:
    results: list[GenerationResult] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def test_requests_are_shared_between_the_replicas(engine: OpenAIEngine, two_replicas: list[Replica]) -> None:
    before = [replica.answered() for replica in two_replicas]
    results = engine.batch_generate(["1, 2, 3,", "a, b, c,", "你好", "莆田"], max_tokens=2)
    assert [r["completion_tokens"] for r in results] == [2, 2, 2, 2]
    for _ in range(2):  # one after another: they go round the replicas
        assert engine.generate(CHAT)["completion_tokens"] == 4
    served = [replica.answered() - start for replica, start in zip(two_replicas, before, strict=True)]
    assert sum(served) == 6
    assert served[0] >= 2
    assert served[1] >= 2
    assert all(server["in_flight"] == 0 for server in engine.info()["servers"])


def test_a_replica_stopped_mid_run_leaves_the_requests_answered_by_the_other(
    engine: OpenAIEngine, two_replicas: list[Replica]
) -> None:
    doomed, survivor = two_replicas
    survivor_before = survivor.answered()
    run = Run()

    def ask_in_turn() -> None:
        for _ in range(6):
            try:
                run.results.append(engine.generate(CHAT, max_tokens=8))
            except Exception as exc:  # the assertions below say what failed
                run.errors.append(exc)

    killed_while_busy = _crash_while_busy(engine, doomed, ask_in_turn)

    assert killed_while_busy, "the stopped replica had a request in flight"
    assert run.errors == []
    assert len(run.results) == 6
    assert all(result["completion_tokens"] == 8 and result["text"] for result in run.results)
    # The request the dead replica was answering was sent again to the survivor, and so were the rest.
    assert survivor.answered() - survivor_before >= 5
    dead = next(server for server in engine.info()["servers"] if server["url"] == doomed.url)
    assert dead["answering"] is False
    assert dead["error"]

    async def stream_once() -> str:
        return "".join([delta async for delta in engine.stream(CHAT)])

    assert asyncio.run(stream_once())  # streams go to the survivor too


def _in_flight(engine: OpenAIEngine, url: str) -> int:
    return int(next(s["in_flight"] for s in engine.info()["servers"] if s["url"] == url))


def _crash_while_busy(engine: OpenAIEngine, doomed: Replica, ask_in_turn: Callable[[], None]) -> bool:
    """Run `ask_in_turn` in a thread and kill `doomed` once it is answering one of its requests
    (8 tokens take over a second on this CPU); True if it was killed while busy."""
    asker = threading.Thread(target=ask_in_turn)
    asker.start()
    deadline = time.monotonic() + 120
    while _in_flight(engine, doomed.url) == 0 and asker.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    busy = _in_flight(engine, doomed.url) > 0
    doomed.crash()
    asker.join(timeout=300)
    assert not asker.is_alive()
    return busy


@pytest.fixture
def backend_on_two_replicas(
    llm_path: Path, settings: Settings, tmp_path: Path
) -> Iterator[tuple[openai.OpenAI, list[Replica], OpenAIEngine]]:
    """The backend with its answers from two replicas (as the compose stack's `vllm` engine), over /v1."""
    with replicas(llm_path, tmp_path, 2) as started:
        spec = EngineSpec(
            name="vllm",
            kind="openai",
            keep_loaded=True,
            config={"server_urls": [replica.url for replica in started], "max_retries": 1},
        )
        backend_settings = Settings.model_validate(
            {**settings.model_dump(), "engines": [spec], "default_engine": "vllm", "llm_max_tokens": 8}
        )
        services = build_services(backend_settings)  # the session's knowledge, this engine
        try:
            engine = services.engines.default_engine()
            assert isinstance(engine, OpenAIEngine)
            with serving(create_app(backend_settings, services_factory=lambda _: services)) as url:
                key = make_api_key(url, services.knowledge.database, f"replicas_{tmp_path.name[-8:]}")
                yield openai.OpenAI(base_url=url + "/v1", api_key=key, max_retries=0), started, engine
        finally:
            services.close()


def test_the_backend_keeps_answering_when_a_replica_stops_mid_run(
    backend_on_two_replicas: tuple[openai.OpenAI, list[Replica], OpenAIEngine],
) -> None:
    client, (doomed, survivor), engine = backend_on_two_replicas
    survivor_before = survivor.answered()
    question: list[Any] = [{"role": "user", "content": "如何用莆仙话说“吃饭”？"}]
    answers: list[str] = []
    errors: list[BaseException] = []

    def ask_in_turn() -> None:
        for _ in range(4):
            try:
                completion = client.chat.completions.create(model="vllm", messages=question, temperature=0)
                answers.append(completion.choices[0].message.content or "")
            except Exception as exc:  # the assertions below say what failed
                errors.append(exc)

    killed_while_busy = _crash_while_busy(engine, doomed, ask_in_turn)

    assert killed_while_busy, "the stopped replica had a request in flight"
    assert errors == []
    assert len(answers) == 4
    assert len(set(answers)) == 1, "greedy answers from either replica are the same"
    assert "食饭" in answers[0] or answers[0].startswith("根据资料")
    assert survivor.answered() - survivor_before >= 3
    stream = client.chat.completions.create(model="vllm", messages=question, temperature=0, stream=True)
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert streamed == answers[0]
