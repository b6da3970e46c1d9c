"""The accounts migration (0002) on SQLite and PostgreSQL: from empty, matching the models, reversible."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import app.audit.models
import app.auth.models
import app.conversations.models
import app.engine_settings.models
import app.knowledge.models
import app.users.models  # noqa: F401  (the models compared with the migrated schema)
from app.db.base import Base
from app.db.migrate import alembic_config, upgrade_to_head
from app.db.session import make_engine

ACCOUNT_TABLES = {
    "users",
    "api_keys",
    "login_throttles",
    "conversations",
    "messages",
    "feedback",
    "engine_settings",
    "audit_events",
}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_empty_database_migrates_to_exactly_the_models(database_url: str) -> None:
    upgrade_to_head(database_url)
    assert _tables(database_url) >= ACCOUNT_TABLES | {"knowledge_documents", "knowledge_chunks"}
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_the_migration_downgrades_to_the_knowledge_base_and_upgrades_again(database_url: str) -> None:
    upgrade_to_head(database_url)
    command.downgrade(alembic_config(database_url), "0001")
    remaining = _tables(database_url)
    assert not remaining & ACCOUNT_TABLES
    assert {"knowledge_documents", "knowledge_chunks", "knowledge_state"} <= remaining
    upgrade_to_head(database_url)
    assert _tables(database_url) >= ACCOUNT_TABLES
