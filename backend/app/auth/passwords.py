"""Password hashing with argon2id (argon2-cffi's defaults: RFC 9106's low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Checked against when the username does not exist, so that a wrong username takes as long to
# refuse as a wrong password: response times do not reveal which accounts exist.
_DECOY_HASH = _hasher.hash("decoy password that no account has")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (rehash at the next login)."""
    return _hasher.check_needs_rehash(password_hash)


def spend_verification_time(password: str) -> None:
    verify_password(_DECOY_HASH, password)
