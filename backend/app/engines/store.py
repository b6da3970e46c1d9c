"""The admin's choice of default engine in the `engine_settings` table, restored at the next start."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.engine_settings.models import EngineSetting


def stored_default(session: Session) -> str | None:
    """The engine an admin last made the default, if any."""
    return session.scalars(select(EngineSetting.engine).where(EngineSetting.is_active).limit(1)).first()


def store_default(session: Session, engine: str, config: dict[str, Any], actor_id: int | None) -> None:
    """Mark `engine` as the default (one active row at most); the caller commits."""
    session.execute(
        update(EngineSetting)
        .where(EngineSetting.engine != engine, EngineSetting.is_active)
        .values(is_active=False)
        .execution_options(synchronize_session=False)
    )
    row = session.scalars(select(EngineSetting).where(EngineSetting.engine == engine)).one_or_none()
    if row is None:
        row = EngineSetting(engine=engine)
        session.add(row)
    # The configuration it was switched to, for the record; the settings stay the source of truth.
    row.config, row.is_active, row.updated_by_id = config, True, actor_id
