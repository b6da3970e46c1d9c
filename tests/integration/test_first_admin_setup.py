"""The first administrator, made from the browser with the one-time setup code of the server's log."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from httpx import Response

from app.db.types import utc_now
from app.users.models import Role
from app.users.setup_code import MAX_WRONG_CODES
from tests.integration.accounts import Api, bearer

CODE = re.compile(r"setup code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")


def started(make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture) -> tuple[Api, str]:
    """A fresh server and the setup code it printed in its log."""
    caplog.clear()
    with caplog.at_level("WARNING", logger="app.users.setup_code"):
        api = make_api()
    found = CODE.search(caplog.text)
    assert found is not None, caplog.text
    return api, found.group(1)


def setup(api: Api, code: str, username: str = "first_admin") -> Response:
    body = {"code": code, "username": username, "password": "a-long-enough-password"}
    return api.client.post("/api/setup", json=body)


def test_the_code_from_the_log_makes_the_first_admin_once(
    make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture
) -> None:
    api, code = started(make_api, caplog)
    assert api.client.get("/api/setup").json() == {"needed": True}
    wrong = setup(api, "AAAA-BBBB-CCCC")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "setup_code_invalid")

    made = setup(api, code.lower().replace("-", " "))  # typed by hand: case and separators do not matter
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["user"]["role"] == Role.ADMIN.value
    me = api.client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.json()["username"] == "first_admin"

    assert api.client.get("/api/setup").json() == {"needed": False}
    again = setup(api, code, "second_admin")
    assert (again.status_code, again.json()["code"]) == (404, "setup_done")


def test_two_browsers_racing_for_the_code_make_one_admin(
    make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture
) -> None:
    api, code = started(make_api, caplog)
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda name: setup(api, code, name), ["racer_one", "racer_two"]))
    assert sorted(r.status_code for r in responses) == [201, 404]
    with api.database.session() as session:
        from sqlalchemy import func, select

        from app.users.models import User

        admins = session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN.value))
    assert admins == 1


def test_the_code_expires_and_is_burnt_by_wrong_guesses(
    make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture
) -> None:
    api, code = started(make_api, caplog)
    for _ in range(MAX_WRONG_CODES):
        assert setup(api, "AAAA-BBBB-CCCC").status_code == 403
    burnt = setup(api, code)
    assert (burnt.status_code, burnt.json()["code"]) == (403, "setup_code_invalid")

    api, code = started(make_api, caplog)
    api.app.state.setup_code.expires_at = utc_now() - timedelta(seconds=1)
    expired = setup(api, code)
    assert (expired.status_code, expired.json()["code"]) == (410, "setup_code_expired")


def test_no_code_when_an_administrator_exists(
    make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture
) -> None:
    api, _ = started(make_api, caplog)
    api.account("existing_admin", Role.ADMIN)
    assert api.client.get("/api/setup").json() == {"needed": False}
    caplog.clear()
    with caplog.at_level("WARNING", logger="app.users.setup_code"):
        later = make_api()
    assert CODE.search(caplog.text) is None
    refused = setup(later, "AAAA-BBBB-CCCC")
    assert (refused.status_code, refused.json()["code"]) == (404, "setup_done")
