"""Authentication and authorization errors, each with its HTTP status, stable code and message."""

from __future__ import annotations

import math

from app.core.errors import ApiError


class AuthError(ApiError):
    """An ApiError of authentication, often with headers (`WWW-Authenticate`, `Retry-After`)."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, code, detail)
        self.headers = headers or {}


class NotAuthenticated(AuthError):
    def __init__(self, code: str, detail: str) -> None:
        # RFC 6750: a 401 names the scheme the client should use.
        super().__init__(401, code, detail, {"WWW-Authenticate": "Bearer"})


def missing_credentials() -> NotAuthenticated:
    return NotAuthenticated(
        "not_authenticated", "Sign in first: send 'Authorization: Bearer <access token or API key>'."
    )


def invalid_token() -> NotAuthenticated:
    return NotAuthenticated("invalid_token", "The access token is not valid; sign in again.")


def refresh_token_revoked() -> NotAuthenticated:
    return NotAuthenticated(
        "token_revoked", "This session has ended (its refresh token was used twice); sign in again."
    )


def token_expired() -> NotAuthenticated:
    return NotAuthenticated("token_expired", "The session has expired; refresh the token or sign in again.")


def invalid_api_key() -> NotAuthenticated:
    return NotAuthenticated("invalid_api_key", "The API key is not valid or has been revoked.")


def invalid_credentials() -> NotAuthenticated:
    return NotAuthenticated("invalid_credentials", "Wrong username or password.")


def account_disabled() -> ApiError:
    return ApiError(403, "account_disabled", "This account has been deactivated; ask an administrator.")


def admin_required() -> ApiError:
    return ApiError(403, "admin_required", "Only administrators may do this.")


def session_required() -> ApiError:
    # A leaked key must not be able to mint more keys or lock its owner out.
    return ApiError(
        403, "session_required", "Sign in with a username and password to do this; an API key cannot."
    )


def wrong_password() -> ApiError:
    return ApiError(403, "wrong_password", "The current password is wrong.")


def registration_closed() -> ApiError:
    return ApiError(403, "registration_closed", "Registration is closed; an administrator creates accounts.")


def too_many_login_attempts(retry_after_seconds: float) -> AuthError:
    seconds = max(1, math.ceil(retry_after_seconds))
    return AuthError(
        429,
        "too_many_login_attempts",
        f"Too many failed sign-ins from here; try again in {math.ceil(seconds / 60)} minute(s).",
        {"Retry-After": str(seconds)},
    )


def api_key_not_found(key_id: int) -> ApiError:
    return ApiError(404, "api_key_not_found", f"There is no API key {key_id}.")
