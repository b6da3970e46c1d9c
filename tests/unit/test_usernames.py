"""Usernames: one normalized spelling, and a clear rule for what is refused."""

from __future__ import annotations

import jsonschema_rs
import pytest

from app.users.usernames import SCHEMA_PATTERN, InvalidUsername, matches_schema_pattern, normalize_username


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


@pytest.mark.parametrize(
    ("raw", "matches"),
    [
        ("alice", True),
        (" Ａｌｉｃｅ ", True),  # white space around, full-width letters: letters all the same
        ("林小明", True),
        ("a.b", True),
        ("ab", False),
        (".ab", False),
        ("e\u0301xx", False),  # a combining mark is no letter to a JSON Schema validator
        ("ab\x1c", False),  # Python strips this; the document's \\s does not
    ],
)
def test_new_names_match_the_documents_pattern_as_its_validators_read_it(raw: str, matches: bool) -> None:
    assert matches_schema_pattern(raw) is matches
    # The same answer as a JSON Schema validator (the one schemathesis uses) gives for the pattern.
    validator = jsonschema_rs.validator_for({"type": "string", "pattern": SCHEMA_PATTERN})
    assert validator.is_valid(raw) is matches
