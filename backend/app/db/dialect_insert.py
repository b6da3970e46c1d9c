"""INSERT … ON CONFLICT, which SQLAlchemy spells per dialect (SQLite and PostgreSQL are supported)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsertable_insert(session: Session, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An insert into `table` that offers `on_conflict_do_nothing/do_update` on this session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
