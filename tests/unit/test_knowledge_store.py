"""The knowledge store on a real database (SQLite and PostgreSQL), migrated from empty."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from app.db.migrate import upgrade_to_head
from app.db.session import Database
from app.knowledge.chunking import chunk_document
from app.knowledge.sources.model import LexiconEntry, ParsedDocument
from app.knowledge.store import KnowledgeStore


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def document(doc_id: str, body: str = "", entries: tuple[LexiconEntry, ...] = ()) -> ParsedDocument:
    return ParsedDocument(
        doc_id,
        f"标题 {doc_id}",
        "markdown",
        f"/k/{doc_id}.md",
        f"hash-{doc_id}-{body}",
        body=body,
        entries=entries,
    )


@pytest.fixture
def store(database_url: str) -> KnowledgeStore:
    upgrade_to_head(database_url)
    upgrade_to_head(database_url)  # running it again is a no-op
    return KnowledgeStore(Database(database_url))


def save(store: KnowledgeStore, parsed: ParsedDocument, seed: int = 0):  # type: ignore[no-untyped-def]
    chunks = chunk_document(parsed, 300, 0)
    vectors = np.random.default_rng(seed).normal(size=(len(chunks), 4)).astype(np.float32)
    hashes = [text_hash(c.text) for c in chunks]
    return store.replace_document(
        parsed, "curated", chunks, [c.text.split() for c in chunks], hashes, vectors
    )


def test_a_document_and_its_chunks_are_stored_and_versioned(store: KnowledgeStore) -> None:
    assert store.version() == 0
    change = save(store, document("a", "## 一\n第一段。\n\n## 二\n第二段。"))
    assert change.removed == []
    assert [c.chunk.id for c in change.added] == ["a#0", "a#1"]
    assert change.version == store.version() == 1
    [info] = store.documents()
    assert (info.id, info.chunk_count, info.collection) == ("a", 2, "curated")
    chunks = store.chunks([c.row_id for c in change.added])
    assert chunks[change.added[1].row_id].section == "二"
    assert store.chunk_count() == 2


def test_replacing_a_document_swaps_its_chunks_in_one_step(store: KnowledgeStore) -> None:
    first = save(store, document("a", "旧的。"))
    second = save(store, document("a", "新的。\n\n另一段。"), seed=1)
    assert second.removed == [first.added[0].row_id]
    assert [c.chunk.text for c in second.added] == ["新的。\n另一段。"]
    assert min(c.row_id for c in second.added) > first.added[0].row_id  # row ids are never reused
    assert store.chunk_count() == 1
    assert store.version() == 2


def test_deleting_documents_removes_their_chunks(store: KnowledgeStore) -> None:
    kept = save(store, document("keep", "留下。"))
    gone = save(store, document("gone", "删除。"))
    change = store.delete_documents(["gone"])
    assert change.removed == [gone.added[0].row_id]
    assert [d.id for d in store.documents()] == ["keep"]
    assert [item.row_id for item in store.iter_indexed()] == [kept.added[0].row_id]


def test_vectors_are_found_again_by_the_hash_of_their_text(store: KnowledgeStore) -> None:
    change = save(store, document("a", "一段文字。"))
    stored = change.added[0]
    found = store.vectors_for_hashes([text_hash(stored.chunk.text), text_hash("unknown")])
    assert list(found) == [text_hash(stored.chunk.text)]
    np.testing.assert_array_equal(found[text_hash(stored.chunk.text)], stored.vector)


def test_lexicon_entries_keep_their_metadata(store: KnowledgeStore) -> None:
    entry = LexiconEntry("t1", "食飯", "食饭", ("吃饭",), "sia2 bue5", "sia2 mue5")
    change = save(store, document("lex", entries=(entry,)))
    [item] = list(store.iter_indexed())
    assert item.row_id == change.added[0].row_id
    assert item.chunk.metadata["glosses"] == ["吃饭"]
    assert item.chunk.is_entry


def test_embedding_model_is_recorded(store: KnowledgeStore) -> None:
    assert store.embedding_model() == ""
    store.set_embedding_model("e5:abc")
    assert store.embedding_model() == "e5:abc"
