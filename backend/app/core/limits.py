"""Bounds on the integers a client may send, so that none reaches the database out of its range.

SQLite and PostgreSQL store ids as signed 64-bit integers: an id or offset past 2⁶³−1 is refused
with a 422 at the edge rather than failing inside the driver (OverflowError, a 500).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"-?[0-9]+")


def _integer_text(value: Any) -> Any:
    """A path or query integer is written in digits: pydantic alone would take `5.0` and `1e3`."""
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise PydanticCustomError("int_parsing", "Input should be a valid integer, written in digits.")
    return value


Digits = BeforeValidator(_integer_text)
# The validator after Path/Query: before them, FastAPI writes `ge` into the document, not `minimum`.
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id."), Digits]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="How many items to skip."), Digits]
PageLimit = Annotated[int, Query(ge=1, le=100, description="How many items to return."), Digits]
