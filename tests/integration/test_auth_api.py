"""Sign-in, tokens, API keys, throttling and the route guards, through the HTTP API on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from app.auth.models import ApiKey
from app.auth.signing_key import jwt_secret
from app.auth.tokens import TokenCodec, TokenKind
from app.db.types import utc_now
from app.users.models import Role
from tests.integration.accounts import PASSWORD, Api, bearer

# /metrics is public unless PUXIAN_METRICS_TOKEN is set (Prometheus scrapes it; test_metrics.py).
PUBLIC_PATHS = {
    "/api/health",
    "/api/auth/login",
    "/api/auth/refresh",
    "/api/auth/register",
    "/metrics",
    "/api/setup",
}


def _fill_path(path: str) -> str:
    return (
        path.replace("{conversation_id}", str(uuid.uuid4()))
        .replace("{user_id}", "1")
        .replace("{key_id}", "1")
        .replace("{message_id}", "1")
    )


def test_every_route_but_health_sign_in_and_setup_needs_a_credential(api: Api) -> None:
    # From the OpenAPI schema: every route the app serves, however its routers are nested.
    operations = [
        (method.upper(), path, operation)
        for path, methods in api.app.openapi()["paths"].items()
        for method, operation in methods.items()
    ]
    assert {path for _, path, _ in operations} >= PUBLIC_PATHS
    protected = [(method, path, op) for method, path, op in operations if path not in PUBLIC_PATHS]
    assert len(protected) >= 15, "the account, conversation and admin routes must all be mounted"
    for method, path, operation in protected:
        assert operation.get("security") == [{"HTTPBearer": []}], f"{method} {path} is not marked secured"
        response = api.client.request(method, _fill_path(path), json={})
        assert response.status_code == 401, f"{method} {path} answered {response.status_code}"
        body = response.json()
        # The OpenAI-compatible routes answer in OpenAI's error format (docs/openai-api.md).
        code = body["error"]["code"] if path.startswith("/v1/") else body["code"]
        assert code == ("invalid_api_key" if path.startswith("/v1/") else "not_authenticated")
        assert response.headers["www-authenticate"] == "Bearer"
    assert api.client.get("/api/health").status_code == 200


def test_a_user_signs_in_and_reads_their_account(api: Api) -> None:
    alice = api.account("alice")
    me = api.client.get("/api/auth/me", headers=alice.headers)
    assert me.status_code == 200
    body = me.json()
    assert (body["username"], body["role"], body["is_active"]) == ("alice", "user", True)
    assert body["last_login_at"] is not None
    assert "password" not in str(body)


def test_usernames_are_one_account_whatever_their_case_or_width(api: Api) -> None:
    api.account("alice")
    assert (
        api.client.post("/api/auth/login", json={"username": "ＡLICE", "password": PASSWORD}).status_code
        == 200
    )


def test_wrong_password_and_unknown_username_get_the_same_answer(api: Api) -> None:
    api.account("alice")
    wrong = api.client.post("/api/auth/login", json={"username": "alice", "password": "wrong password"})
    unknown = api.client.post("/api/auth/login", json={"username": "nobody", "password": "wrong password"})
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {"detail": "Wrong username or password.", "code": "invalid_credentials"}
    )


def test_repeated_failures_make_that_client_wait_for_that_username_only(make_api: Callable[..., Api]) -> None:
    api = make_api(login_max_failures=3)
    api.account("alice")
    api.account("bob")
    for _ in range(3):
        failed = api.client.post("/api/auth/login", json={"username": "alice", "password": "guess"})
        assert failed.status_code == 401
    locked = api.client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429, "even the right password must wait out the lock"
    assert locked.json()["code"] == "too_many_login_attempts"
    assert 0 < int(locked.headers["retry-after"]) <= 60, "a minute at first"
    assert "1 minute" in locked.json()["detail"]
    # An attacker elsewhere cannot lock alice out: from another address she signs in.
    elsewhere = TestClient(api.app, client=("198.51.100.7", 40000))  # the app is already started
    from_elsewhere = elsewhere.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    assert from_elsewhere.status_code == 200
    assert (
        api.client.post("/api/auth/login", json={"username": "bob", "password": PASSWORD}).status_code == 200
    )
    for _ in range(3):  # an unknown name locks the same way: a lock reveals nothing
        api.client.post("/api/auth/login", json={"username": "ghost", "password": "guess"})
    assert api.client.post("/api/auth/login", json={"username": "ghost", "password": "x"}).status_code == 429


def test_a_successful_sign_in_resets_the_failure_count(make_api: Callable[..., Api]) -> None:
    api = make_api(login_max_failures=3)
    api.account("alice")
    for _ in range(2):
        api.client.post("/api/auth/login", json={"username": "alice", "password": "guess"})
    api.login("alice", PASSWORD)
    for _ in range(2):
        api.client.post("/api/auth/login", json={"username": "alice", "password": "guess"})
    assert (
        api.client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD}).status_code
        == 200
    )


def test_refresh_gives_a_working_pair_and_tokens_are_not_interchangeable(api: Api) -> None:
    alice = api.account("alice")
    refreshed = api.client.post("/api/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert refreshed.status_code == 200
    pair = refreshed.json()
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == api.settings.access_token_minutes * 60
    assert api.client.get("/api/auth/me", headers=bearer(pair["access_token"])).status_code == 200
    access_as_refresh = api.client.post("/api/auth/refresh", json={"refresh_token": pair["access_token"]})
    assert (access_as_refresh.status_code, access_as_refresh.json()["code"]) == (401, "invalid_token")
    refresh_as_access = api.client.get("/api/auth/me", headers=bearer(pair["refresh_token"]))
    assert (refresh_as_access.status_code, refresh_as_access.json()["code"]) == (401, "invalid_token")


def refreshed(api: Api, token: str) -> Response:
    return api.client.post("/api/auth/refresh", json={"refresh_token": token})


def test_refresh_tokens_rotate_and_reusing_one_revokes_its_family(api: Api) -> None:
    alice = api.account("alice")
    other_device = api.login("alice", PASSWORD)["refresh_token"]  # a second sign-in: another family
    first = refreshed(api, alice.refresh_token)
    assert first.status_code == 200
    second = refreshed(api, first.json()["refresh_token"])
    assert second.status_code == 200, "each new refresh token works once"
    # A thief replays the first token: the whole family ends, the owner's newest token included.
    replay = refreshed(api, alice.refresh_token)
    assert (replay.status_code, replay.json()["code"]) == (401, "token_revoked")
    owner = refreshed(api, second.json()["refresh_token"])
    assert (owner.status_code, owner.json()["code"]) == (401, "token_revoked")
    assert refreshed(api, other_device).status_code == 200, "another sign-in is not affected"
    events = api.client.get(
        "/api/admin/audit-events?action=auth.refresh_token_reused",
        headers=api.account("auditor", Role.ADMIN).headers,
    )
    assert events.json()["count"] == 1


def test_forged_malformed_and_expired_tokens_are_refused(api: Api) -> None:
    alice = api.account("alice")
    hour = timedelta(hours=1)
    forged = TokenCodec("another secret of at least thirty-two characters", hour, hour)
    ours = TokenCodec(jwt_secret(api.settings), hour, hour)
    cases = {
        "not-a-jwt": "invalid_token",
        forged.issue(alice.id, 0, TokenKind.ACCESS): "invalid_token",
        ours.issue(alice.id, 0, TokenKind.ACCESS, now=utc_now() - 2 * hour): "token_expired",
        ours.issue(alice.id + 1000, 0, TokenKind.ACCESS): "invalid_token",
        "pk-not-a-real-key": "invalid_api_key",
    }
    for token, code in cases.items():
        response = api.client.get("/api/auth/me", headers=bearer(token))
        assert (response.status_code, response.json()["code"]) == (401, code), token
    # the same claims signed with our secret and unexpired do work:
    assert (
        api.client.get("/api/auth/me", headers=bearer(ours.issue(alice.id, 0, TokenKind.ACCESS))).status_code
        == 200
    )
    basic = api.client.get("/api/auth/me", headers={"Authorization": "Basic YWxpY2U6eA=="})
    assert (basic.status_code, basic.json()["code"]) == (401, "not_authenticated")


def test_a_password_change_ends_every_older_session(api: Api) -> None:
    alice = api.account("alice")
    wrong = api.client.post(
        "/api/auth/password",
        json={"current_password": "not it", "new_password": "a new long password"},
        headers=alice.headers,
    )
    assert (wrong.status_code, wrong.json()["code"]) == (403, "wrong_password")
    short = api.client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=alice.headers,
    )
    assert (short.status_code, short.json()["code"]) == (422, "password_too_short")
    changed = api.client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a new long password"},
        headers=alice.headers,
    )
    assert changed.status_code == 200
    old = api.client.get("/api/auth/me", headers=alice.headers)
    assert (old.status_code, old.json()["code"]) == (401, "token_revoked")
    old_refresh = api.client.post("/api/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert old_refresh.status_code == 401
    assert api.client.get("/api/auth/me", headers=bearer(changed.json()["access_token"])).status_code == 200
    assert (
        api.client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD}).status_code
        == 401
    )
    api.login("alice", "a new long password")


def test_registration_is_closed_unless_opened(make_api: Callable[..., Api]) -> None:
    closed = make_api()
    refused = closed.client.post("/api/auth/register", json={"username": "carol", "password": PASSWORD})
    assert (refused.status_code, refused.json()["code"]) == (403, "registration_closed")
    opened = make_api(registration="open")
    created = opened.client.post("/api/auth/register", json={"username": "Carol", "password": PASSWORD})
    assert created.status_code == 201
    assert (created.json()["username"], created.json()["role"]) == ("carol", "user")
    opened.login("carol", PASSWORD)
    again = opened.client.post("/api/auth/register", json={"username": "CAROL", "password": PASSWORD})
    assert (again.status_code, again.json()["code"]) == (409, "username_taken")
    as_admin = opened.client.post(
        "/api/auth/register", json={"username": "mallory", "password": PASSWORD, "role": "admin"}
    )
    assert (as_admin.status_code, as_admin.json()["code"]) == (422, "unknown_field")


def test_bad_registrations_get_clear_422s(make_api: Callable[..., Api]) -> None:
    api = make_api(registration="open")
    cases = [
        ({"username": "ab", "password": PASSWORD}, "username_invalid", "3–32"),
        ({"username": "a b c", "password": PASSWORD}, "username_invalid", "letters"),
        ({"username": "-dash", "password": PASSWORD}, "username_invalid", "either end"),
        ({"username": "dave", "password": "short"}, "password_too_short", "at least 8"),
        ({"username": "davedave", "password": "DaveDave"}, "password_is_username", "username"),
        ({"username": "dave"}, "missing_field", "'password'"),
    ]
    for body, code, words in cases:
        response = api.client.post("/api/auth/register", json=body)
        assert (response.status_code, response.json()["code"]) == (422, code), body
        assert words in response.json()["detail"]
    assert (
        api.client.post("/api/auth/register", json={"username": "莆田人", "password": PASSWORD}).status_code
        == 201
    )


def test_api_keys_are_shown_once_stored_hashed_and_revocable(api: Api) -> None:
    alice = api.account("alice")
    key = api.api_key(alice, "nightly script")
    assert key.startswith("pk-")
    assert len(key) > 40
    listed = api.client.get("/api/keys", headers=alice.headers).json()
    assert [(k["name"], k["prefix"], k["revoked_at"]) for k in listed] == [("nightly script", key[:11], None)]
    assert key not in str(listed)
    with api.database.session() as session:
        stored = session.scalars(select(ApiKey)).one()
        assert key not in {stored.key_hash, stored.prefix, stored.name}
    me = api.client.get("/api/auth/me", headers=bearer(key))
    assert (me.status_code, me.json()["username"]) == (200, "alice")
    assert api.client.get("/api/keys", headers=alice.headers).json()[0]["last_used_at"] is not None
    revoked = api.client.delete(f"/api/keys/{listed[0]['id']}", headers=alice.headers)
    assert revoked.status_code == 204
    after = api.client.get("/api/auth/me", headers=bearer(key))
    assert (after.status_code, after.json()["code"]) == (401, "invalid_api_key")
    assert api.client.get("/api/keys", headers=alice.headers).json()[0]["revoked_at"] is not None


def test_an_api_key_cannot_manage_keys_or_the_password(api: Api) -> None:
    alice = api.account("alice")
    key = bearer(api.api_key(alice))
    for method, path, body in [
        ("POST", "/api/keys", {"name": "more"}),
        ("GET", "/api/keys", None),
        ("DELETE", "/api/keys/1", None),
        ("POST", "/api/auth/password", {"current_password": PASSWORD, "new_password": "x" * 12}),
    ]:
        response = api.client.request(method, path, json=body, headers=key)
        assert (response.status_code, response.json()["code"]) == (403, "session_required"), path


def test_a_user_cannot_see_or_revoke_another_users_keys(api: Api) -> None:
    alice, bob = api.account("alice"), api.account("bob")
    alice_key = api.api_key(alice)
    alice_key_id = api.client.get("/api/keys", headers=alice.headers).json()[0]["id"]
    assert api.client.get("/api/keys", headers=bob.headers).json() == []
    refused = api.client.delete(f"/api/keys/{alice_key_id}", headers=bob.headers)
    assert (refused.status_code, refused.json()["code"]) == (404, "api_key_not_found")
    assert api.client.get("/api/auth/me", headers=bearer(alice_key)).status_code == 200


def test_a_deactivated_account_is_locked_out_everywhere(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    alice = api.account("alice")
    key = api.api_key(alice)
    deactivated = api.client.patch(
        "/api/admin/users/" + str(alice.id), json={"is_active": False}, headers=admin.headers
    )
    assert deactivated.status_code == 200
    for headers in (alice.headers, bearer(key)):
        response = api.client.get("/api/auth/me", headers=headers)
        assert (response.status_code, response.json()["code"]) == (403, "account_disabled")
    login = api.client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    assert (login.status_code, login.json()["code"]) == (403, "account_disabled")
    refresh = api.client.post("/api/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert refresh.status_code == 403
    api.client.patch(f"/api/admin/users/{alice.id}", json={"is_active": True}, headers=admin.headers)
    stale = api.client.get("/api/auth/me", headers=alice.headers)
    assert (stale.status_code, stale.json()["code"]) == (401, "token_revoked"), "old tokens stay dead"
    api.login("alice", PASSWORD)


def test_admin_routes_refuse_users_and_admit_admins(api: Api) -> None:
    admin, alice = api.account("admin", Role.ADMIN), api.account("alice")
    alice_key = bearer(api.api_key(alice))
    for path in ("/api/admin/users", "/api/admin/audit-events"):
        for headers in (alice.headers, alice_key):
            refused = api.client.get(path, headers=headers)
            assert (refused.status_code, refused.json()["code"]) == (403, "admin_required")
        assert api.client.get(path, headers=admin.headers).status_code == 200
    create = api.client.post(
        "/api/admin/users",
        json={"username": "eve", "password": PASSWORD, "role": "admin"},
        headers=alice.headers,
    )
    assert create.status_code == 403
    assert (
        api.client.post("/api/auth/login", json={"username": "eve", "password": PASSWORD}).status_code == 401
    )


def test_development_creates_the_first_admin_from_the_environment(make_api: Callable[..., Api]) -> None:
    api = make_api(first_admin_username="Root", first_admin_password="a long dev password")
    tokens = api.login("root", "a long dev password")
    assert tokens["user"]["role"] == "admin"
    make_api(first_admin_username="root", first_admin_password="another password")  # restart: kept
    api.login("root", "a long dev password")
