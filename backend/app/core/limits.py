"""Bounds on the integers a client may send, so that none reaches the database out of its range.

SQLite and PostgreSQL store ids as signed 64-bit integers: an id or offset past 2⁶³−1 is refused
with a 422 at the edge rather than failing inside the driver (OverflowError, a 500).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2**63 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="How many items to skip.")]
