"""An app of its own per test (its own database, the session's loaded models), and account helpers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.bootstrap import Services
from app.core.config import Settings
from app.db.session import Database
from app.users.models import Role
from app.users.service import create_user

PASSWORD = "correct horse battery"


class BorrowedServices(Services):
    """The session's loaded models and index with a database of the test's own.

    Closing it disposes that database only: the models stay loaded for the tests after it.
    """

    def close(self) -> None:
        self.knowledge.database.dispose()


def borrow(services: Services, database: Database, settings: Settings) -> BorrowedServices:
    knowledge = dataclasses.replace(services.knowledge, database=database)
    return BorrowedServices(settings, knowledge, services.engines, services.rag, services.load_seconds)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Account:
    id: int
    username: str
    password: str
    headers: dict[str, str] = field(repr=False)
    refresh_token: str = field(repr=False)


class Api:
    """A test client for one app, and shortcuts to make signed-in accounts."""

    def __init__(self, app: FastAPI, client: TestClient, database: Database, settings: Settings) -> None:
        self.app, self.client, self.database, self.settings = app, client, database, settings

    def account(self, username: str, role: Role = Role.USER, password: str = PASSWORD) -> Account:
        """A new account (made directly in the database) signed in through the API."""
        with self.database.session() as session:
            user = create_user(
                session,
                username=username,
                password=password,
                role=role,
                min_password_length=self.settings.password_min_length,
                actor_id=None,
                via="test",
            )
        tokens = self.login(username, password)
        return Account(user.id, username, password, bearer(tokens["access_token"]), tokens["refresh_token"])

    def login(self, username: str, password: str) -> dict[str, Any]:
        response = self.client.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def api_key(self, account: Account, name: str = "script") -> str:
        response = self.client.post("/api/keys", json={"name": name}, headers=account.headers)
        assert response.status_code == 201, response.text
        key: str = response.json()["key"]
        return key

    def ask(self, account_headers: dict[str, str], question: str, **fields: object) -> dict[str, Any]:
        response = self.client.post(
            "/api/chat", json={"question": question, **fields}, headers=account_headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body
