"""Sign-in and API-key lookups on both databases, below the HTTP layer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import update

from app.auth.api_keys import create_api_key, find_usable_key
from app.auth.models import ApiKey
from app.auth.service import login
from app.auth.throttle import ThrottlePolicy
from app.auth.tokens import TokenCodec, TokenKind
from app.db.migrate import upgrade_to_head
from app.db.session import Database
from app.db.types import utc_now
from app.users.models import Role, User
from app.users.service import create_user, find_user

CODEC = TokenCodec(
    "a unit-test secret that is at least sixty-four bytes long, for HS256",
    timedelta(hours=1),
    timedelta(days=1),
)
POLICY = ThrottlePolicy(5, timedelta(minutes=15))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    upgrade_to_head(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


def test_a_sign_in_upgrades_a_hash_made_with_weaker_parameters(database: Database) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("old style password")
    with database.session() as session:
        session.add(User(username="alice", password_hash=weak, role=Role.USER.value))
    with database.session() as session:
        signed_in = login(
            session, CODEC, POLICY, username="Alice", password="old style password", client_ip=""
        )
        assert CODEC.decode(signed_in.tokens.access_token, TokenKind.ACCESS).user_id == signed_in.user.id
    with database.session() as session:
        user = find_user(session, "alice")
        assert user is not None
        assert user.password_hash != weak
        assert user.password_hash.startswith("$argon2id$v=19$m=65536")
        assert user.last_login_at is not None


def test_a_keys_last_use_is_written_at_most_once_a_minute(database: Database) -> None:
    with database.session() as session:
        user = create_user(
            session,
            username="alice",
            password="a long password",
            role=Role.USER,
            min_password_length=8,
            actor_id=None,
        )
        key = create_api_key(session, user.id, "script", "").key
    with database.session() as session:
        first = find_usable_key(session, key)
        assert first is not None
    with database.session() as session:
        stamped = session.get(ApiKey, first.id)
        assert stamped is not None
        assert stamped.last_used_at is not None
        first_use = stamped.last_used_at
    with database.session() as session:
        find_usable_key(session, key)
        assert session.get(ApiKey, first.id).last_used_at == first_use  # type: ignore[union-attr]
        # A use more than a minute after the last one is written.
        session.execute(update(ApiKey).values(last_used_at=utc_now() - timedelta(minutes=2)))
        session.commit()
        find_usable_key(session, key)
    with database.session() as session:
        later = session.get(ApiKey, first.id)
        assert later is not None
        assert later.last_used_at is not None
        assert later.last_used_at > first_use


def test_a_revoked_or_unknown_key_finds_nothing(database: Database) -> None:
    with database.session() as session:
        user = create_user(
            session,
            username="alice",
            password="a long password",
            role=Role.USER,
            min_password_length=8,
            actor_id=None,
        )
        key = create_api_key(session, user.id, "script", "").key
        session.execute(update(ApiKey).values(revoked_at=utc_now()))
        session.commit()
        assert find_usable_key(session, key) is None
        assert find_usable_key(session, key[:-1] + ("x" if key[-1] != "x" else "y")) is None
