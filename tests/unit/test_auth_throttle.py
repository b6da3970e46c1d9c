"""Login throttling on both databases, with the clock passed in (no waiting)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from app.auth.models import LoginThrottle
from app.auth.throttle import (
    CLIENT_FAILURES_PER_USERNAME,
    ThrottleKeys,
    ThrottlePolicy,
    clear_failures,
    record_failure,
    seconds_locked,
)
from app.db.migrate import upgrade_to_head
from app.db.session import Database
from app.db.types import utc_now

POLICY = ThrottlePolicy(max_failures=3, lockout=timedelta(minutes=15))
START = utc_now()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    upgrade_to_head(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


def keys(name: str, client: str = "10.0.0.1") -> ThrottleKeys:
    return ThrottleKeys.of(name, client)


def _fail(database: Database, name: str, minutes: float, client: str = "10.0.0.1") -> bool:
    with database.session() as session:
        locked = record_failure(session, keys(name, client), START + timedelta(minutes=minutes), POLICY)
        session.commit()
        return locked


def _locked_for(database: Database, name: str, minutes: float, client: str = "10.0.0.1") -> float:
    with database.session() as session:
        k = keys(name, client)
        return seconds_locked(session, (k.pair, k.client), START + timedelta(minutes=minutes))


def test_the_third_failure_locks_that_client_for_a_minute_and_each_further_one_doubles_it(
    database: Database,
) -> None:
    assert [_fail(database, "alice", m) for m in (0, 0.1, 0.2)] == [False, False, True]
    assert _locked_for(database, "alice", 0.2) == 60
    assert _locked_for(database, "bob", 0.5) == 0, "other names are not affected"
    assert _locked_for(database, "alice", 0.5, client="10.0.0.2") == 0, "nor other clients"
    assert _locked_for(database, "alice", 1.3) == 0, "the lock ends"
    assert _fail(database, "alice", 1.3)
    assert _locked_for(database, "alice", 1.3) == 120
    assert _fail(database, "alice", 3.4)
    assert _locked_for(database, "alice", 3.4) == 240
    for minute in range(10, 16):
        _fail(database, "alice", minute)
    assert _locked_for(database, "alice", 15) == 15 * 60, "never longer than the lockout"
    assert not _fail(database, "alice", 31), "a client idle for a lockout starts over"


def test_a_client_guessing_many_usernames_is_slowed_by_its_own_count(database: Database) -> None:
    limit = POLICY.max_failures * CLIENT_FAILURES_PER_USERNAME
    names = [f"user{i}" for i in range(limit)]
    assert not any(_fail(database, name, 0) for name in names[:-1])
    assert _fail(database, names[-1], 0)
    assert _locked_for(database, "someone_new", 0) == 60, "the client waits, whatever name it tries"
    assert _locked_for(database, "someone_new", 0, client="10.0.0.9") == 0


def test_failures_spread_wider_than_the_window_never_lock(database: Database) -> None:
    assert not any(_fail(database, "alice", m) for m in (0, 16, 32, 48, 64, 80))
    assert _locked_for(database, "alice", 80) == 0


def test_a_successful_sign_in_clears_the_count(database: Database) -> None:
    _fail(database, "alice", 0)
    _fail(database, "alice", 0.1)
    with database.session() as session:
        clear_failures(session, keys("alice"))
        session.commit()
    assert not _fail(database, "alice", 0.2)
    assert not _fail(database, "alice", 0.3)
    assert _fail(database, "alice", 0.4)


def test_the_times_survive_the_database_round_trip_with_their_zone(database: Database) -> None:
    _fail(database, "alice", 0)
    with database.session() as session:
        row = session.get(LoginThrottle, keys("alice").pair)
        assert row is not None
        assert row.window_started_at == START
        assert row.window_started_at.utcoffset() == timedelta(0)
