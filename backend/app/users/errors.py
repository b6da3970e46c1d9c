"""Errors of account management."""

from __future__ import annotations

from app.core.errors import ApiError


def username_taken(username: str) -> ApiError:
    return ApiError(409, "username_taken", f"The username '{username}' is already taken.")


def user_not_found(user_id: int) -> ApiError:
    return ApiError(404, "user_not_found", f"There is no user {user_id}.")


def own_account() -> ApiError:
    # So that the last administrator cannot lock everyone out by accident.
    return ApiError(409, "own_account", "Administrators cannot deactivate or demote their own account.")


def password_too_short(min_length: int) -> ApiError:
    return ApiError(422, "password_too_short", f"The password needs at least {min_length} characters.")


def password_same_as_username() -> ApiError:
    return ApiError(422, "password_is_username", "The password must not be the username.")
