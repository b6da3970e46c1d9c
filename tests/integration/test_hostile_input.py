"""Input an attacker (or an unlucky client) sends is refused with a clear 4xx, never a 500: integers
past the database's range, text that is not valid Unicode, NUL bytes in paths, validly signed
tokens with odd claims; and the error details clients rely on (405's Allow, /v1's error shape)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from app.auth.tokens import ALGORITHM, ISSUER
from app.users.models import Role
from tests.integration.accounts import Api, bearer

TOO_BIG = 2**63  # one past the largest id SQLite and PostgreSQL store


def test_ids_and_offsets_past_the_database_s_range_are_refused_with_422(api: Api) -> None:
    admin = api.account("bigids", Role.ADMIN)
    attempts = [
        ("GET", f"/api/conversations?offset={TOO_BIG}", None),
        ("GET", f"/api/admin/users?offset={TOO_BIG}", None),
        ("PUT", f"/api/messages/{TOO_BIG}/feedback", {"rating": 1}),
        ("DELETE", f"/api/messages/{TOO_BIG}/feedback", None),
        ("DELETE", f"/api/keys/{TOO_BIG}", None),
        ("PATCH", f"/api/admin/users/{TOO_BIG}", {"is_active": True}),
        ("POST", f"/api/admin/users/{TOO_BIG}/password", {"new_password": "a-long-new-password"}),
    ]
    for method, path, body in attempts:
        response = api.client.request(method, path, json=body, headers=admin.headers)
        assert response.status_code == 422, (method, path, response.text)
        assert set(response.json()) >= {"detail", "code"}
    # The largest id that can exist is looked up and simply not found.
    largest = api.client.delete(f"/api/keys/{TOO_BIG - 1}", headers=admin.headers)
    assert largest.status_code == 404


@pytest.mark.parametrize("path", ["/api/chat", "/api/chat/stream"])
def test_a_lone_surrogate_in_a_question_is_refused_before_any_model(api: Api, path: str) -> None:
    user = api.account("surrogate")
    response = api.client.post(
        path,
        content=b'{"question": "\\ud800 \xe6\x80\x8e\xe4\xb9\x88\xe8\xaf\xb4"}',
        headers={**user.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_text"
    assert "question" in response.json()["detail"]
    conversations = api.client.get("/api/conversations", headers=user.headers).json()
    assert conversations["count"] == 0  # nothing stored, not even the question


def test_a_lone_surrogate_on_the_openai_api_gets_openai_s_error_shape(api: Api) -> None:
    user = api.account("surrogate-v1")
    body = b'{"model": "puxian-rag", "messages": [{"role": "user", "content": "\\udfff"}]}'
    response = api.client.post(
        "/v1/chat/completions", content=body, headers={**user.headers, "Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_a_nul_in_a_web_path_is_not_found(api: Api) -> None:
    response = api.client.get("/index.html%00.js")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def _signed(api: Api, **claims: object) -> dict[str, str]:
    now = datetime.now(UTC)
    base: dict[str, object] = {
        "sub": "1", "ver": 0, "typ": "access", "iss": ISSUER, "iat": now, "exp": now + timedelta(minutes=5),
    }  # fmt: skip
    token = jwt.encode({**base, **claims}, api.app.state.token_codec._secret, algorithm=ALGORITHM)
    return bearer(token)


def test_validly_signed_tokens_with_odd_claims_are_401_not_500(api: Api) -> None:
    user = api.account("claims")
    assert api.client.get("/api/auth/me", headers=_signed(api, sub=str(user.id))).status_code == 200
    odd = [
        {"sub": str(user.id), "exp": "tomorrow"},
        {"sub": "1" * 40},
        {"sub": "١"},  # ARABIC-INDIC DIGIT ONE: str.isdigit() takes it, int() reads it as 1
        {"sub": str(user.id), "ver": "0"},
        {"sub": user.id},  # a number, not the string this server issues
        {"sub": "-1"},
        {"sub": str(TOO_BIG)},
    ]
    for claims in odd:
        response = api.client.get("/api/auth/me", headers=_signed(api, **claims))
        assert response.status_code == 401, (claims, response.text)


def test_405_names_the_allowed_methods(api: Api) -> None:
    response = api.client.put("/api/health")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["code"] == "method_not_allowed"
    # GET and POST of one path are two routes: both are named, not only the first that matched.
    assert api.client.options("/api/setup").headers["allow"] == "GET, POST"
    # The document's most specific path decides: DELETE /api/admin/documents/{id} does not count here.
    assert api.client.options("/api/admin/documents/reindex").headers["allow"] == "POST"
    openai = api.client.put("/v1/models", headers=api.account("method_tester").headers)
    assert (openai.status_code, openai.headers["allow"]) == (405, "GET")
    assert openai.json()["error"]["code"] == "method_not_allowed"


def test_an_oversized_body_on_the_openai_api_gets_openai_s_error_shape(api: Api) -> None:
    big = b"x" * (api.settings.max_body_bytes + 1)
    response = api.client.post(
        "/v1/chat/completions", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
    ours = api.client.post("/api/chat", content=big, headers={"Content-Type": "application/json"})
    assert ours.status_code == 413
    assert ours.json()["code"] == "body_too_large"


def test_every_response_carries_the_security_headers(api: Api) -> None:
    for path in ("/api/health", "/api/no-such-route", "/", "/docs"):
        headers = api.client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "same-origin", path
        assert "strict-transport-security" not in headers, "not over plain HTTP"
    assert "max-age=" in api.client.get("https://testserver/api/health").headers["strict-transport-security"]


def test_the_api_docs_load_their_assets_from_this_server(api: Api) -> None:
    for page, asset in (
        ("/docs", "/docs/assets/swagger-ui-bundle.js"),
        ("/redoc", "/docs/assets/redoc.standalone.js"),
    ):
        html = api.client.get(page).text
        assert asset in html
        assert "cdn." not in html
        assert "fonts.googleapis" not in html
        served = api.client.get(asset)
        assert served.status_code == 200
        assert len(served.content) > 100_000
    assert api.client.get("/docs/assets/swagger-ui.css").status_code == 200
