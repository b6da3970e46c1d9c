"""Login throttling: after repeated failed sign-ins a username is locked for a while.

Kept in the database, so that every worker process and a restart see the same counts. Counted per
username whether or not the account exists, so that a lockout does not reveal which ones do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth.models import LoginThrottle
from app.db.dialect_insert import upsertable_insert


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    lockout: timedelta  # also the window in which failures are counted


def _key(username: str) -> str:
    return f"user:{username}"[:100]


def seconds_locked(session: Session, username: str, now: datetime) -> float:
    """Seconds until the username may try again; 0 when it is not locked."""
    row = session.get(LoginThrottle, _key(username))
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0.0
    return (row.locked_until - now).total_seconds()


def record_failure(session: Session, username: str, now: datetime, policy: ThrottlePolicy) -> bool:
    """Count one failed sign-in; True when it locks the username. The caller commits."""
    row = _locked_row(session, _key(username), now)
    if now - row.window_started_at > policy.lockout or (row.locked_until and row.locked_until <= now):
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= policy.max_failures:
        row.locked_until = now + policy.lockout
        return True
    return False


def clear_failures(session: Session, username: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == _key(username)))


def _locked_row(session: Session, key: str, now: datetime) -> LoginThrottle:
    """The row for `key`, created if missing and locked until commit (concurrent failures all count)."""
    session.execute(
        upsertable_insert(session, LoginThrottle)
        .values(key=key, failures=0, window_started_at=now, locked_until=None)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    # FOR UPDATE on PostgreSQL; SQLite already serialized writers with the insert's write lock.
    statement = select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    return session.execute(statement.execution_options(populate_existing=True)).scalar_one()
