"""Login throttling: repeated failed sign-ins make one client wait, with growing delays.

Counted per (username, client) and per client, never per username alone: five wrong passwords for
`admin` from one address make that address wait, while the admin signs in from anywhere else. A
client guessing many usernames is slowed by its own count. The first lock lasts FIRST_LOCK and
each further failure doubles it, up to the policy's lockout; a client that stops failing for that
long is forgiven. Kept in the database, so that every worker process and a restart see the same
counts, and counted whether or not the account exists, so that a lock reveals nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth.models import LoginThrottle
from app.db.dialect_insert import upsertable_insert

FIRST_LOCK = timedelta(seconds=60)
CLIENT_FAILURES_PER_USERNAME = 4  # a client may miss this many times more, over all usernames


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int  # per (username, client); a client may fail CLIENT_FAILURES_PER_USERNAME times more
    lockout: timedelta  # the longest lock, and how long failures are remembered

    def lock_after(self, failures: int, limit: int) -> timedelta | None:
        """How long `failures` recent failures lock, against a limit; None below it."""
        if failures < limit:
            return None
        doubled: timedelta = FIRST_LOCK * 2 ** min(failures - limit, 30)
        return min(self.lockout, doubled)


@dataclass(frozen=True)
class ThrottleKeys:
    """The counters one sign-in attempt touches."""

    pair: str
    client: str

    @classmethod
    def of(cls, username: str, client_ip: str) -> ThrottleKeys:
        return cls(f"pair:{client_ip}|{username}"[:100], f"client:{client_ip}"[:100])


def seconds_locked(session: Session, keys: Iterable[str], now: datetime) -> float:
    """Seconds until these counters allow another try; 0 when none is locked."""
    wait = 0.0
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            wait = max(wait, (row.locked_until - now).total_seconds())
    return wait


def record_failure(session: Session, keys: ThrottleKeys, now: datetime, policy: ThrottlePolicy) -> bool:
    """Count one failed sign-in on both counters; True when it locks either. The caller commits."""
    limits = {keys.pair: policy.max_failures, keys.client: policy.max_failures * CLIENT_FAILURES_PER_USERNAME}
    locked = False
    for key, limit in limits.items():
        row = _locked_row(session, key, now)
        # window_started_at holds the last failure: a counter idle for a lockout starts over.
        if now - row.window_started_at > policy.lockout:
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.window_started_at = now
        lock = policy.lock_after(row.failures, limit)
        if lock is not None:
            row.locked_until = now + lock
            locked = True
    return locked


def clear_failures(session: Session, keys: ThrottleKeys) -> None:
    """A successful sign-in forgives its (username, client) counter; the client's own stays."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == keys.pair))


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
