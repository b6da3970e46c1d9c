"""The first administrator: `puxian create-admin`, or in development the PUXIAN_FIRST_ADMIN_* variables."""

from __future__ import annotations

import logging

from app.audit.service import record_event
from app.core.config import Settings
from app.core.errors import ApiError
from app.db.session import Database
from app.users.models import Role, User
from app.users.service import create_user, find_user, set_password
from app.users.usernames import InvalidUsername, normalize_username

log = logging.getLogger(__name__)


def create_admin(
    database: Database, username: str, password: str, min_password_length: int, reset: bool = False
) -> tuple[User, bool]:
    """Create an admin; with `reset`, an existing account becomes an active admin with this password.

    Returns the user and whether it was created (False: reset). Raises ApiError (409 when the
    username is taken and `reset` is not given, 422 for a weak password) and InvalidUsername.
    """
    name = normalize_username(username)
    with database.session() as session:
        existing = find_user(session, name)
        if existing is None or not reset:
            user = create_user(
                session,
                username=name,
                password=password,
                role=Role.ADMIN,
                min_password_length=min_password_length,
                actor_id=None,
                via="cli",
            )
            return user, True
        set_password(session, existing, password, min_password_length)
        existing.role, existing.is_active = Role.ADMIN.value, True
        record_event(session, "user.admin_reset", None, "user", existing.id, {"username": name, "via": "cli"})
        session.commit()
        return existing, False


def ensure_first_admin(database: Database, settings: Settings) -> None:
    """In development, create the admin named by the settings if it does not exist yet."""
    if not (settings.first_admin_username and settings.first_admin_password):
        return
    if settings.env != "development":  # Settings refuse this combination; kept as a guard
        raise RuntimeError("PUXIAN_FIRST_ADMIN_* are honoured only in development")
    try:
        name = normalize_username(settings.first_admin_username)
        with database.session() as session:
            if find_user(session, name) is not None:
                return  # never overwrite a password someone may have changed since
            create_user(
                session,
                username=name,
                password=settings.first_admin_password.get_secret_value(),
                role=Role.ADMIN,
                min_password_length=settings.password_min_length,
                actor_id=None,
                via="env",
            )
    except (InvalidUsername, ApiError) as exc:  # a startup error names the variable to fix
        raise RuntimeError(f"PUXIAN_FIRST_ADMIN_USERNAME/PASSWORD: {exc}") from None
    log.warning("development mode: created the admin %r from PUXIAN_FIRST_ADMIN_*", name)
