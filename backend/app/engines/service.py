"""Switching the default engine for an admin: the switch, then the stored choice and the audit record."""

from __future__ import annotations

from app.audit.service import record_event
from app.db.session import Database
from app.engines.manager import EngineManager, SwitchOutcome, SwitchTicket
from app.engines.store import store_default, stored_default


def switch_default(
    manager: EngineManager, database: Database, engine: str, actor_id: int | None, client_ip: str
) -> SwitchTicket:
    """Start the switch; once it has succeeded or failed, store the choice and audit-log the outcome."""

    def record(outcome: SwitchOutcome) -> None:
        with database.session() as session:
            details: dict[str, object] = {"previous": outcome.previous, "seconds": round(outcome.seconds, 2)}
            if outcome.error is None:
                store_default(session, outcome.engine, dict(manager.spec(outcome.engine).config), actor_id)
                action = "engine.default_changed"
            else:
                action, details["error"] = "engine.switch_failed", outcome.error
            record_event(session, action, actor_id, "engine", outcome.engine, details, client_ip)

    return manager.switch(engine, on_done=record)


def restored_default(database: Database) -> str | None:
    with database.session() as session:
        return stored_default(session)
