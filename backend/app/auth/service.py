"""Signing in and out of sessions: login, refresh, password change, registration, and resolving
the bearer credential of a request into a Principal."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth import errors
from app.auth.api_keys import find_usable_key, is_api_key
from app.auth.passwords import hash_password, needs_rehash, spend_verification_time, verify_password
from app.auth.principal import Principal
from app.auth.refresh_tokens import issue_tokens, use_refresh_token
from app.auth.throttle import ThrottleKeys, ThrottlePolicy, clear_failures, record_failure, seconds_locked
from app.auth.tokens import TokenCodec, TokenKind, TokenPair
from app.db.types import utc_now
from app.users.models import Role, User
from app.users.service import create_user, find_user, get_user, set_password
from app.users.usernames import InvalidUsername, normalize_username


@dataclass(frozen=True)
class SignedIn:
    user: User
    tokens: TokenPair


def login(
    session: Session,
    codec: TokenCodec,
    policy: ThrottlePolicy,
    *,
    username: str,
    password: str,
    client_ip: str,
) -> SignedIn:
    """Tokens for a correct username and password; 401 otherwise, 429 after too many failures."""
    try:
        name = normalize_username(username)
    except InvalidUsername:
        name = username.strip().casefold()  # cannot exist, but is throttled like any other
    now = utc_now()
    keys = ThrottleKeys.of(name, client_ip)
    wait = seconds_locked(session, (keys.pair, keys.client), now)
    if wait > 0:
        raise errors.too_many_login_attempts(wait)
    user = find_user(session, name)
    if user is None:
        spend_verification_time(password)
    if user is None or not verify_password(user.password_hash, password):
        locked = record_failure(session, keys, now, policy)
        details = {"username": name[:32], "locked": locked}
        record_event(session, "user.login_failed", None, "user", user.id if user else "", details, client_ip)
        session.commit()
        raise errors.invalid_credentials()
    if not user.is_active:
        raise errors.account_disabled()
    clear_failures(session, keys)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    record_event(session, "user.login", user.id, "user", user.id, {}, client_ip)
    session.commit()
    return SignedIn(user, issue_tokens(session, codec, user))


def refresh(session: Session, codec: TokenCodec, refresh_token: str, client_ip: str = "") -> SignedIn:
    """The next token pair of a valid, unused refresh token of an active account (docs/api.md:
    each refresh token works once; reusing one ends its sign-in's every session)."""
    claims = codec.decode(refresh_token, TokenKind.REFRESH)
    user = _user_of_token(session, claims.user_id, claims.version)
    family = use_refresh_token(session, claims, client_ip)
    return SignedIn(user, issue_tokens(session, codec, user, family))


def change_password(
    session: Session,
    codec: TokenCodec,
    principal: Principal,
    *,
    current_password: str,
    new_password: str,
    min_length: int,
    client_ip: str,
) -> SignedIn:
    """Set a new password; every older token stops working, so fresh ones are returned."""
    user = get_user(session, principal.user_id)
    if not verify_password(user.password_hash, current_password):
        raise errors.wrong_password()
    set_password(session, user, new_password, min_length)
    record_event(session, "user.password_changed", user.id, "user", user.id, {}, client_ip)
    session.commit()
    return SignedIn(user, issue_tokens(session, codec, user))


def register(
    session: Session,
    *,
    open_registration: bool,
    username: str,
    password: str,
    min_length: int,
    client_ip: str,
) -> User:
    if not open_registration:
        raise errors.registration_closed()
    return create_user(
        session,
        username=username,
        password=password,
        role=Role.USER,
        min_password_length=min_length,
        actor_id=None,
        client_ip=client_ip,
        via="register",
    )


def resolve_principal(session: Session, codec: TokenCodec, credential: str) -> Principal:
    """Who sends this bearer credential (an access token or an API key); 401/403 otherwise."""
    if is_api_key(credential):
        key = find_usable_key(session, credential)
        if key is None:
            raise errors.invalid_api_key()
        user = session.get(User, key.user_id)
        if user is None or not user.is_active:
            raise errors.account_disabled()
        return Principal(user.id, user.username, Role(user.role), api_key_id=key.id)
    claims = codec.decode(credential, TokenKind.ACCESS)
    user = _user_of_token(session, claims.user_id, claims.version)
    return Principal(user.id, user.username, Role(user.role))


def _user_of_token(session: Session, user_id: int, version: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise errors.invalid_token()
    if not user.is_active:
        raise errors.account_disabled()
    if user.token_version != version:  # password changed or account deactivated since
        raise errors.NotAuthenticated(
            "token_revoked", "This session has ended (the password was changed); sign in again."
        )
    return user
