"""Admin account management through the HTTP API on both databases, with its audit trail."""

from __future__ import annotations

from app.users.models import Role
from tests.integration.accounts import PASSWORD, Api


def test_admins_list_users_a_page_at_a_time(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    for name in ("alice", "bob", "carol"):
        api.account(name)
    first = api.client.get("/api/admin/users?limit=2", headers=admin.headers).json()
    second = api.client.get("/api/admin/users?limit=2&offset=2", headers=admin.headers).json()
    assert first["count"] == second["count"] == 4
    assert [u["username"] for u in first["data"] + second["data"]] == ["admin", "alice", "bob", "carol"]
    too_many = api.client.get("/api/admin/users?limit=1000", headers=admin.headers)
    assert (too_many.status_code, too_many.json()["code"]) == (422, "less_than_equal")
    assert "limit" in too_many.json()["detail"]


def test_admins_create_accounts_that_can_sign_in(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    created = api.client.post(
        "/api/admin/users", json={"username": "Dora", "password": PASSWORD}, headers=admin.headers
    )
    assert created.status_code == 201
    assert (created.json()["username"], created.json()["role"]) == ("dora", "user")
    api.login("dora", PASSWORD)
    taken = api.client.post(
        "/api/admin/users", json={"username": "DORA", "password": PASSWORD}, headers=admin.headers
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "username_taken")
    assert "dora" in taken.json()["detail"]
    bad_role = api.client.post(
        "/api/admin/users",
        json={"username": "erin", "password": PASSWORD, "role": "root"},
        headers=admin.headers,
    )
    assert (bad_role.status_code, bad_role.json()["code"]) == (422, "enum")


def test_promotion_and_demotion_change_what_a_user_may_do(api: Api) -> None:
    admin, alice = api.account("admin", Role.ADMIN), api.account("alice")
    promoted = api.client.patch(f"/api/admin/users/{alice.id}", json={"role": "admin"}, headers=admin.headers)
    assert promoted.json()["role"] == "admin"
    assert api.client.get("/api/admin/users", headers=alice.headers).status_code == 200
    api.client.patch(f"/api/admin/users/{alice.id}", json={"role": "user"}, headers=admin.headers)
    assert api.client.get("/api/admin/users", headers=alice.headers).status_code == 403


def test_an_admin_cannot_deactivate_or_demote_themselves(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    for change in ({"is_active": False}, {"role": "user"}):
        refused = api.client.patch(f"/api/admin/users/{admin.id}", json=change, headers=admin.headers)
        assert (refused.status_code, refused.json()["code"]) == (409, "own_account")
    assert api.client.get("/api/admin/users", headers=admin.headers).status_code == 200


def test_bad_updates_get_clear_errors(api: Api) -> None:
    admin = api.account("admin", Role.ADMIN)
    missing = api.client.patch("/api/admin/users/9999", json={"is_active": False}, headers=admin.headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "user_not_found")
    empty = api.client.patch(f"/api/admin/users/{admin.id}", json={}, headers=admin.headers)
    assert (empty.status_code, empty.json()["code"]) == (422, "update_empty")
    not_a_number = api.client.patch("/api/admin/users/abc", json={"role": "user"}, headers=admin.headers)
    assert (not_a_number.status_code, not_a_number.json()["code"]) == (422, "int_parsing")


def test_the_audit_log_records_who_did_what(api: Api) -> None:
    admin, alice = api.account("admin", Role.ADMIN), api.account("alice")
    api.client.patch(f"/api/admin/users/{alice.id}", json={"is_active": False}, headers=admin.headers)
    api.client.post("/api/auth/login", json={"username": "alice", "password": "wrong"})
    events = api.client.get("/api/admin/audit-events", headers=admin.headers).json()
    actions = [e["action"] for e in events["data"]]
    assert actions[:2] == ["user.login_failed", "user.deactivated"], "newest first"
    assert {"user.created", "user.login"} <= set(actions)
    deactivated = events["data"][1]
    assert (deactivated["actor_id"], deactivated["target_id"]) == (admin.id, str(alice.id))
    assert deactivated["client_ip"] == "testclient"
    failed = events["data"][0]
    assert (failed["actor_id"], failed["details"]["username"]) == (None, "alice")
    only_logins = api.client.get("/api/admin/audit-events?action=user.login", headers=admin.headers).json()
    assert only_logins["count"] == 2
    assert {e["action"] for e in only_logins["data"]} == {"user.login"}
