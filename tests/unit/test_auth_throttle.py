"""Login throttling on both databases, with the clock passed in (no waiting)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from app.auth.models import LoginThrottle
from app.auth.throttle import ThrottlePolicy, clear_failures, record_failure, seconds_locked
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


def _fail(database: Database, name: str, minutes: float) -> bool:
    with database.session() as session:
        return record_failure(session, name, START + timedelta(minutes=minutes), POLICY)


def _locked_for(database: Database, name: str, minutes: float) -> float:
    with database.session() as session:
        return seconds_locked(session, name, START + timedelta(minutes=minutes))


def test_the_third_failure_locks_for_the_lockout_period(database: Database) -> None:
    assert [_fail(database, "alice", m) for m in (0, 1, 2)] == [False, False, True]
    assert _locked_for(database, "alice", 2) == 15 * 60
    assert _locked_for(database, "alice", 10) == 7 * 60
    assert _locked_for(database, "bob", 10) == 0, "other names are not affected"
    assert _locked_for(database, "alice", 17) == 0, "the lock ends"
    assert not _fail(database, "alice", 18), "and counting starts over"


def test_failures_spread_wider_than_the_window_never_lock(database: Database) -> None:
    assert not any(_fail(database, "alice", m) for m in (0, 10, 20, 30, 40, 50))
    assert _locked_for(database, "alice", 50) == 0


def test_a_successful_sign_in_clears_the_count(database: Database) -> None:
    _fail(database, "alice", 0)
    _fail(database, "alice", 1)
    with database.session() as session:
        clear_failures(session, "alice")
    assert not _fail(database, "alice", 2)
    assert not _fail(database, "alice", 3)
    assert _fail(database, "alice", 4)


def test_the_times_survive_the_database_round_trip_with_their_zone(database: Database) -> None:
    _fail(database, "alice", 0)
    with database.session() as session:
        row = session.get(LoginThrottle, "user:alice")
        assert row is not None
        assert row.window_started_at == START
        assert row.window_started_at.utcoffset() == timedelta(0)
