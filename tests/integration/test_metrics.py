"""`GET /metrics` (Prometheus text) and request ids in headers and log lines (issue 6)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.accounts import Api
from tests.sse import parse_events

QUESTION = "莆仙话“今天”怎么说？"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the metrics do not depend on the database (the chat tests run on both)."""
    return f"sqlite:///{tmp_path / 'metrics.db'}"


def scrape(api: Api, headers: dict[str, str] | None = None) -> Samples:
    response = api.client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_count_requests_answers_ttft_retrieval_and_engine_state(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    user = api.account("metrics_user")
    before = scrape(api)
    assert (
        value(before, "puxian_engine_state", engine="transformers", kind="transformers", state="ready") == 1
    )
    assert (
        value(before, "puxian_engine_state", engine="transformers", kind="transformers", state="loading") == 0
    )
    assert value(before, "puxian_engine_default", engine="transformers") == 1
    assert value(before, "puxian_engine_load_progress", engine="transformers") == 1
    assert value(before, "puxian_engine_requests_in_flight", engine="transformers") == 0
    assert value(before, "puxian_http_requests_in_flight") == 1, "the scrape itself is being served"
    assert value(before, "process_resident_memory_bytes") > 0
    assert (
        value(before, "puxian_chat_requests_total", endpoint="chat", engine="transformers", outcome="ok") == 0
    )

    caplog.set_level(logging.INFO)
    answered = api.client.post(
        "/api/chat", json={"question": QUESTION}, headers={**user.headers, "X-Request-ID": "chat-req-1"}
    )
    assert answered.status_code == 200, answered.text
    with api.client.stream(
        "POST", "/api/chat/stream", json={"question": QUESTION}, headers=user.headers
    ) as streamed:
        assert [event.name for event in parse_events(streamed.iter_lines())][-1] == "done"
    refused = api.client.post("/api/chat", json={"question": " "}, headers=user.headers)
    assert refused.status_code == 422

    after = scrape(api)
    for endpoint in ("chat", "stream"):
        labels = {"endpoint": endpoint, "engine": "transformers"}
        assert value(after, "puxian_chat_requests_total", **labels, outcome="ok") == 1
        assert value(after, "puxian_chat_duration_seconds_count", **labels) == 1
        assert value(after, "puxian_chat_duration_seconds_sum", **labels) > 0
    assert value(after, "puxian_chat_ttft_seconds_count", engine="transformers") == 2
    assert value(after, "puxian_chat_ttft_seconds_bucket", engine="transformers", le="+Inf") == 2
    assert value(after, "puxian_retrieval_duration_seconds_count") == 2
    assert value(after, "puxian_generation_tokens_per_second_count", engine="transformers") == 2
    completion = answered.json()["usage"]["completion_tokens"]
    assert value(after, "puxian_completion_tokens_total", engine="transformers") >= completion > 0
    http = {"method": "POST", "route": "/api/chat"}
    assert value(after, "puxian_http_requests_total", **http, status="200") == 1
    assert value(after, "puxian_http_requests_total", **http, status="422") == 1
    assert value(after, "puxian_http_request_duration_seconds_count", **http) == 2
    stream_route = {"method": "POST", "route": "/api/chat/stream"}
    assert value(after, "puxian_http_requests_total", **stream_route, status="200") == 1
    assert value(after, "puxian_http_requests_total", method="GET", route="/metrics", status="200") == 1

    # The request id: the caller's if acceptable, in the response header and on every log line.
    assert answered.headers["x-request-id"] == "chat-req-1"
    tagged = [record for record in caplog.records if getattr(record, "request_id", None) == "chat-req-1"]
    messages = [record.getMessage() for record in tagged]
    assert any(message.startswith("POST /api/chat 200") for message in messages), messages
    assert any(message.startswith("answered in") for message in messages), "the RAG service's line too"
    assert {record.name for record in tagged} >= {"app.access", "app.chat.service"}
    generated = refused.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    replaced = api.client.get("/metrics", headers={"X-Request-ID": "no spaces allowed"})
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"])


def test_metrics_need_the_token_when_one_is_set(make_api: Callable[..., Api]) -> None:
    api = make_api(metrics_token="metrics-secret-1")
    missing = api.client.get("/metrics")
    assert (missing.status_code, missing.json()["code"]) == (401, "invalid_metrics_token")
    wrong = api.client.get("/metrics", headers={"Authorization": "Bearer metrics-secret-2"})
    assert wrong.status_code == 401
    user = api.account("token_user")
    assert api.client.get("/metrics", headers=user.headers).status_code == 401, "a user's token is not it"
    assert scrape(api, {"Authorization": "Bearer metrics-secret-1"})

    disabled = make_api(metrics_enabled=False)
    assert disabled.client.get("/metrics").status_code == 404
