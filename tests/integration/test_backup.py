"""`puxian backup` and `puxian restore`: a restore into an empty data folder (and database) on another
checkout brings back every user, key, conversation and document, and the indexes are rebuilt."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.auth.api_keys import create_api_key, find_usable_key
from app.backup.archive import BackupError, create_backup, restore_backup
from app.bootstrap import open_knowledge
from app.conversations.service import create_conversation, list_conversations
from app.core.config import Settings
from app.knowledge.embedder import Embedder
from app.knowledge.uploads import ingest_upload
from app.users.models import Role
from app.users.service import create_user, find_user
from tests.databases import postgres_database

FACT = "# 溪口村的石狮\n\n溪口村的石狮子叫做“镇溪公”，是村里最老的石雕。\n"
CURATED = "---\nid: backup-curated\ntitle: 备份用的文档\ncategory: culture\nsources:\n  - title: 自编\n---\n# 备份\n\n莆田的元宵节很热闹。\n"


@pytest.fixture
def target_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the source's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'puxian.db'}"
        return
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(postgres_database())


def settings_for(base: Settings, data_dir: Path, url: str, knowledge: Path) -> Settings:
    return Settings.model_validate(
        {**base.model_dump(), "data_dir": data_dir, "database_url": url, "knowledge_dir": knowledge}
    )


def test_a_restore_on_another_checkout_brings_everything_back(
    settings: Settings, embedder: Embedder, database_url: str, target_url: str, tmp_path: Path
) -> None:
    knowledge_dir = tmp_path / "knowledge"
    (knowledge_dir / "docs").mkdir(parents=True)
    (knowledge_dir / "docs" / "backup-curated.md").write_text(CURATED, encoding="utf-8")
    source = settings_for(settings, tmp_path / "source", database_url, knowledge_dir)
    knowledge = open_knowledge(source, embedder)
    with knowledge.database.session() as session:
        user = create_user(
            session, username="alice", password="a-long-password", role=Role.ADMIN,
            min_password_length=8, actor_id=None,
        )  # fmt: skip
        key = create_api_key(session, user.id, "script", "").key
        conversation = create_conversation(session, user.id, "石狮子")
    upload = ingest_upload(knowledge.ingestor, source, "石狮.txt", FACT.encode())
    assert upload.status == "added"

    backup = tmp_path / "backups" / "puxian.tar.gz"
    written = create_backup(source, backup)
    assert (written.users, written.documents, written.uploads) == (1, 2, 1)

    target = settings_for(settings, tmp_path / "restored", target_url, knowledge_dir)
    restored = restore_backup(target, backup)
    assert (restored.users, restored.documents, restored.uploads) == (1, 2, 1)
    reopened = open_knowledge(target, embedder)  # the indexes are rebuilt from the database
    assert (target.data_dir / "uploads" / "石狮.txt").read_text(encoding="utf-8") == FACT
    assert {doc.id for doc in reopened.base.store.documents()} == {"backup-curated", upload.document_id}
    hits = reopened.retriever.retrieve("溪口村的石狮子叫什么", 3).hits
    assert hits[0].chunk.doc_id == upload.document_id
    with reopened.database.session() as session:
        alice = find_user(session, "alice")
        assert alice is not None
        assert alice.role == Role.ADMIN.value
        found = find_usable_key(session, key)
        assert found is not None
        assert found.user_id == alice.id
        conversations, count = list_conversations(session, alice.id, 0, 10)
        assert count == 1
        assert conversations[0].conversation.id == conversation.id

    with pytest.raises(BackupError, match="already holds"):
        restore_backup(target, backup)  # never over data


def test_a_backup_of_the_other_kind_of_database_is_refused(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    source = settings_for(settings, tmp_path / "source", "", tmp_path / "no-knowledge")
    open_knowledge(source, embedder)
    backup = tmp_path / "sqlite.tar.gz"
    create_backup(source, backup)
    with postgres_database() as url:
        target = settings_for(settings, tmp_path / "target", url, tmp_path / "no-knowledge")
        with pytest.raises(BackupError, match="same kind of database"):
            restore_backup(target, backup)
