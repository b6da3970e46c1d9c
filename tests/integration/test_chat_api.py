"""The HTTP API with the real services: answers, health, and clear errors for bad input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient


def test_health_reports_the_engine_and_index(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["engine"]["state"] == "ready"
    assert body["index"]["documents"] >= 60
    assert body["index"]["chunks"] > 1500  # prose chunks and lexicon entries
    assert body["index"]["version"] > 0


def test_chat_returns_answer_sources_and_timings(client: TestClient) -> None:
    response = client.post("/api/chat", json={"question": "如何用莆仙话说“吃饭”？"})
    assert response.status_code == 200
    body = response.json()
    assert "食饭" in body["answer"]
    assert body["sources"], "an answer must come with its sources"
    first = body["sources"][0]
    assert set(first) >= {"id", "title", "text", "score", "number", "doc_id", "found_by"}
    assert set(first["found_by"]) <= {"dense", "lexical", "headword", "romanized", "card"}
    assert first["found_by"]
    assert first["id"].startswith(first["doc_id"] + "#")
    assert set(body["timings"]) >= {"retrieval_ms", "ttft_ms", "generation_ms", "total_ms"}
    assert body["engine"] == "transformers"


@pytest.mark.parametrize(
    ("payload", "status", "code", "words"),
    [
        ({"question": ""}, 422, "question_empty", "empty"),
        ({"question": "   \n "}, 422, "question_empty", "empty"),
        ({}, 422, "missing_field", "'question' is required"),
        ({"question": "你好", "extra": 1}, 422, "unknown_field", "'extra'"),
        ({"question": 5}, 422, "string_type", "question"),
        ({"question": "你好", "top_k": 0}, 422, "greater_than_equal", "top_k"),
        ({"question": "啊" * 2001}, 422, "question_too_long", "2000"),
        (["question"], 422, "invalid_body", "JSON object"),
    ],
)
def test_bad_requests_get_a_clear_4xx(
    client: TestClient, payload: object, status: int, code: str, words: str
) -> None:
    response = client.post("/api/chat", json=payload)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert words in body["detail"]


def test_malformed_json_is_a_400(client: TestClient) -> None:
    response = client.post(
        "/api/chat", content=b'{"question": "', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON.", "code": "invalid_json"}


def test_a_10_mb_question_is_refused_before_it_is_read(client: TestClient) -> None:
    payload = json.dumps({"question": "问" * (10 * 2**20 // 3)}).encode()
    response = client.post("/api/chat", content=payload, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_a_body_sent_without_length_is_still_limited(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"question": "'
        for _ in range(200):
            yield "问".encode() * 1000
        yield b'"}'

    response = client.post("/api/chat", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_unknown_routes_and_methods_answer_in_the_same_error_shape(client: TestClient) -> None:
    missing = client.get("/api/nothing-here")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    wrong_method = client.get("/api/chat")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")
