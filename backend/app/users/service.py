"""Creating, listing and changing accounts. Functions commit their own changes (with the audit event)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth.passwords import hash_password
from app.auth.principal import Principal
from app.users import errors
from app.users.models import Role, User


def check_password_policy(password: str, username: str, min_length: int) -> None:
    if len(password) < min_length:
        raise errors.password_too_short(min_length)
    if password.casefold() == username.casefold():
        raise errors.password_same_as_username()


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    min_password_length: int,
    actor_id: int | None,
    client_ip: str = "",
    via: str = "api",
) -> User:
    """A new active account; `username` is already normalized. 409 if it is taken."""
    check_password_policy(password, username, min_password_length)
    if find_user(session, username) is not None:
        raise errors.username_taken(username)
    user = User(username=username, password_hash=hash_password(password), role=role.value, is_active=True)
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # taken between the check and the insert
        session.rollback()
        raise errors.username_taken(username) from exc
    details = {"username": username, "role": role.value, "via": via}
    record_event(session, "user.created", actor_id, "user", user.id, details, client_ip)
    session.commit()
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise errors.user_not_found(user_id)
    return user


def list_users(session: Session, offset: int, limit: int) -> tuple[list[User], int]:
    count = session.scalar(select(func.count()).select_from(User)) or 0
    page = session.scalars(select(User).order_by(User.id).offset(offset).limit(limit))
    return list(page), count


def update_user(
    session: Session,
    admin: Principal,
    user_id: int,
    *,
    is_active: bool | None,
    role: Role | None,
    client_ip: str,
) -> User:
    """Activate, deactivate, promote or demote an account (never one's own)."""
    user = get_user(session, user_id)
    if user.id == admin.user_id and (is_active is False or role is Role.USER):
        raise errors.own_account()
    if is_active is not None and is_active != user.is_active:
        user.is_active = is_active
        if not is_active:
            user.token_version += 1  # its tokens stay dead even if it is activated again
        action = "user.activated" if is_active else "user.deactivated"
        record_event(session, action, admin.user_id, "user", user.id, {"username": user.username}, client_ip)
    if role is not None and role.value != user.role:
        details = {"username": user.username, "from": user.role, "to": role.value}
        user.role = role.value
        record_event(session, "user.role_changed", admin.user_id, "user", user.id, details, client_ip)
    session.commit()
    return user


def set_password(session: Session, user: User, password: str, min_length: int) -> None:
    """Set a new password and end every session and refresh token issued before. The caller commits."""
    check_password_policy(password, user.username, min_length)
    user.password_hash = hash_password(password)
    user.token_version += 1
