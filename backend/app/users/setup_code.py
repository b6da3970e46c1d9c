"""The first administrator, made from the browser with a one-time setup code.

A newcomer's first `make run` has no account at all. With no administrator yet, the server makes
a random setup code at start-up and prints it in its log (only there: whoever can read the log
runs the server). The browser's sign-in page offers "create the first administrator" with it. The
code works once, expires (PUXIAN_SETUP_CODE_MINUTES), is burnt after MAX_WRONG_CODES wrong tries,
and the route answers 404 as soon as any administrator exists. Two browsers racing for it are
serialised: one makes the administrator, the other is told setup is done. `puxian create-admin`
stays for scripted installs.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import ApiError
from app.db.session import Database
from app.db.types import utc_now
from app.users.models import Role, User

log = logging.getLogger(__name__)

MAX_WRONG_CODES = 10
RESTART = "restart the server for a new one (printed in its log)."
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a terminal, typed by hand


def has_admin(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.role == Role.ADMIN.value).limit(1)) is not None


def setup_done() -> ApiError:
    return ApiError(404, "setup_done", "An administrator already exists; sign in instead.")


@dataclass
class SetupCode:
    """The one code of this server's run; only its digest is kept after it is logged."""

    digest: bytes
    expires_at: datetime
    wrong: int = 0
    used: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def issue(cls, lifetime: timedelta) -> tuple[SetupCode, str]:
        code = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
        return cls(_digest(code), utc_now() + lifetime), code

    def check(self, code: str) -> None:
        """Raise the ApiError that refuses `code`, or return if it is this run's valid code."""
        if self.used or self.wrong >= MAX_WRONG_CODES:
            raise ApiError(
                403,
                "setup_code_invalid",
                "The setup code is no longer valid; restart the server for a new one.",
            )
        if utc_now() >= self.expires_at:
            raise ApiError(
                410, "setup_code_expired", "The setup code has expired; restart the server for a new one."
            )
        if not hmac.compare_digest(self.digest, _digest(code)):
            self.wrong += 1
            raise ApiError(
                403, "setup_code_invalid", "The setup code is wrong; it is printed in the server's log."
            )


def _digest(code: str) -> bytes:
    normalized = code.strip().upper().replace(" ", "").replace("-", "")
    return hashlib.sha256(normalized.encode()).digest()


def issue_setup_code_if_needed(database: Database, lifetime: timedelta, url: str) -> SetupCode | None:
    """A setup code, logged, when no administrator exists; None otherwise."""
    with database.session() as session:
        if has_admin(session):
            return None
    setup, code = SetupCode.issue(lifetime)
    minutes = int(lifetime.total_seconds() // 60)
    log.warning(
        "no administrator yet: open %s and choose 'create the first administrator' with the one-time "
        "setup code %s (valid %d minutes; or run `puxian create-admin`)",
        url, code, minutes,
    )  # fmt: skip
    return setup
