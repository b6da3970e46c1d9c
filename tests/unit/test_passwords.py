"""Password hashing with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher

from app.auth.passwords import hash_password, needs_rehash, verify_password


def test_a_hash_is_salted_argon2id_and_verifies_only_the_password() -> None:
    first, second = hash_password("莆仙话 password"), hash_password("莆仙话 password")
    assert first.startswith("$argon2id$")
    assert first != second, "each hash has its own salt"
    assert "password" not in first
    assert verify_password(first, "莆仙话 password")
    assert not verify_password(first, "莆仙话 passwore")
    assert not verify_password(first, "")


def test_a_malformed_hash_is_a_failed_check_not_an_error() -> None:
    assert not verify_password("not a hash", "anything")
    assert not verify_password("", "anything")


def test_hashes_made_with_weaker_parameters_are_marked_for_rehashing() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("secret words")
    assert verify_password(weak, "secret words")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("secret words"))
