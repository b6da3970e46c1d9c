"""What a username may be, and its one normalized spelling."""

from __future__ import annotations

import re
import unicodedata

MIN_LENGTH, MAX_LENGTH = 3, 32
# Letters of any script (Chinese names included), digits, and . _ - inside.
_ALLOWED = re.compile(rf"^\w[\w.-]{{{MIN_LENGTH - 2},{MAX_LENGTH - 2}}}\w$")
RULE = f"{MIN_LENGTH}–{MAX_LENGTH} letters, digits, '_', '.' and '-' ('.' and '-' not at either end)"
# The rule for the OpenAPI document, in the ECMA dialect of JSON Schema (where \w is ASCII only).
_WORD = r"[\p{L}\p{N}_]"
SCHEMA_PATTERN = rf"^\s*{_WORD}[\p{{L}}\p{{N}}_.-]{{{MIN_LENGTH - 2},{MAX_LENGTH - 2}}}{_WORD}\s*$"


class InvalidUsername(ValueError):
    def __init__(self) -> None:
        super().__init__(f"A username is {RULE}.")


# White space as JSON Schema's (ECMA) \s has it, which the document's pattern allows around a name.
_SCHEMA_SPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(code) for code in range(0x2000, 0x200B)
)


def matches_schema_pattern(raw: str) -> bool:
    """Whether `raw` matches SCHEMA_PATTERN as a JSON Schema validator reads it: a new name must, so
    that the document refuses exactly what is refused (normalizing may still break the rule)."""
    name = raw.strip(_SCHEMA_SPACE)
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        return False
    inner = all(_is_word(char) or char in ".-" for char in name[1:-1])
    return inner and _is_word(name[0]) and _is_word(name[-1])


def _is_word(char: str) -> bool:
    return char == "_" or unicodedata.category(char)[0] in "LN"


def normalize_username(raw: str) -> str:
    """NFKC and lower case, so that 'Alice', 'alice' and 'ａｌｉｃｅ' are one account."""
    username = unicodedata.normalize("NFKC", raw).strip().casefold()
    if not _ALLOWED.match(username):
        raise InvalidUsername()
    return username
