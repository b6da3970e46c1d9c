"""Usernames: one normalized spelling, and a clear rule for what is refused."""

from __future__ import annotations

import pytest

from app.users.usernames import InvalidUsername, normalize_username


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Alice", "alice"),
        ("  alice ", "alice"),
        ("ＡＬＩＣＥ", "alice"),  # full-width, as typed with a Chinese input method
        ("lin.xiao-ming_2", "lin.xiao-ming_2"),
        ("莆田人", "莆田人"),
        ("_bot_", "_bot_"),
    ],
)
def test_usernames_are_normalized(raw: str, normalized: str) -> None:
    assert normalize_username(raw) == normalized


@pytest.mark.parametrize(
    "raw", ["ab", "a" * 33, "a b", "-alice", "alice.", "alice@example.com", "", "ali\nce"]
)
def test_malformed_usernames_are_refused_with_the_rule(raw: str) -> None:
    with pytest.raises(InvalidUsername, match="3–32 letters, digits"):
        normalize_username(raw)
