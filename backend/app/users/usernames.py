"""What a username may be, and its one normalized spelling."""

from __future__ import annotations

import re
import unicodedata

MIN_LENGTH, MAX_LENGTH = 3, 32
# Letters of any script (Chinese names included), digits, and . _ - inside.
_ALLOWED = re.compile(rf"^\w[\w.-]{{{MIN_LENGTH - 2},{MAX_LENGTH - 2}}}\w$")
RULE = f"{MIN_LENGTH}–{MAX_LENGTH} letters, digits, '_', '.' and '-' ('.' and '-' not at either end)"


class InvalidUsername(ValueError):
    def __init__(self) -> None:
        super().__init__(f"A username is {RULE}.")


def normalize_username(raw: str) -> str:
    """NFKC and lower case, so that 'Alice', 'alice' and 'ａｌｉｃｅ' are one account."""
    username = unicodedata.normalize("NFKC", raw).strip().casefold()
    if not _ALLOWED.match(username):
        raise InvalidUsername()
    return username
