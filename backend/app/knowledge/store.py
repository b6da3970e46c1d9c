"""The knowledge base's rows in the database: documents and chunks, changed one document per transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db.session import Database
from app.knowledge.chunking import Chunk
from app.knowledge.models import ChunkRow, DocumentRow, KnowledgeState
from app.knowledge.sources.model import ParsedDocument

STATE_ROW = 1


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    kind: str
    collection: str
    source_path: str
    content_hash: str
    chunk_count: int
    updated_at: datetime
    metadata: dict[str, Any]


@dataclass(frozen=True)
class IndexedChunk:
    """A chunk with what the derived indexes need: its row id (the FAISS id), terms and vector."""

    row_id: int
    chunk: Chunk
    terms: list[str]
    vector: np.ndarray


@dataclass(frozen=True)
class ChunkChange:
    removed: list[int]  # row ids
    added: list[IndexedChunk]
    version: int  # the knowledge version this change produced


class KnowledgeStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # ----------------------------------------------------------------- reading

    def version(self) -> int:
        with self.database.session() as session:
            return int(self._state(session).version)

    def embedding_model(self) -> str:
        with self.database.session() as session:
            return self._state(session).embedding_model

    def documents(self, collection: str | None = None) -> list[DocumentInfo]:
        query = select(DocumentRow).order_by(DocumentRow.id)
        if collection is not None:
            query = query.where(DocumentRow.collection == collection)
        with self.database.session() as session:
            return [_document_info(row) for row in session.scalars(query)]

    def chunk_count(self) -> int:
        with self.database.session() as session:
            return int(session.scalar(select(func.count()).select_from(ChunkRow)) or 0)

    def vectors_for_hashes(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored vectors of chunks whose embedded text has one of these hashes (to skip re-embedding)."""
        wanted = list(set(hashes))
        found: dict[str, np.ndarray] = {}
        with self.database.session() as session:
            for start in range(0, len(wanted), 500):
                query = select(ChunkRow.embedding_hash, ChunkRow.vector).where(
                    ChunkRow.embedding_hash.in_(wanted[start : start + 500])
                )
                for embedding_hash, vector in session.execute(query):
                    found.setdefault(embedding_hash, np.frombuffer(vector, dtype=np.float32))
        return found

    def iter_indexed(self, batch: int = 2000) -> Iterator[IndexedChunk]:
        """Every chunk with its terms and vector, in row order (for rebuilding derived indexes)."""
        last = 0
        while True:
            with self.database.session() as session:
                rows = session.scalars(
                    select(ChunkRow).where(ChunkRow.row_id > last).order_by(ChunkRow.row_id).limit(batch)
                ).all()
            if not rows:
                return
            for row in rows:
                yield _indexed(row)
            last = rows[-1].row_id

    def chunks(self, row_ids: Sequence[int]) -> dict[int, Chunk]:
        if not row_ids:
            return {}
        with self.database.session() as session:
            rows = session.scalars(select(ChunkRow).where(ChunkRow.row_id.in_(list(row_ids))))
            return {row.row_id: _chunk(row) for row in rows}

    # ----------------------------------------------------------------- writing

    def replace_document(
        self,
        document: ParsedDocument,
        collection: str,
        chunks: Sequence[Chunk],
        terms: Sequence[list[str]],
        embedding_hashes: Sequence[str],
        vectors: np.ndarray,
    ) -> ChunkChange:
        """Store a document and its chunks in one transaction, replacing any earlier version."""
        with self.database.session() as session:
            removed = self._remove_chunks(session, [document.id])
            row = session.get(DocumentRow, document.id) or DocumentRow(id=document.id)
            row.title, row.kind, row.collection = document.title, document.kind, collection
            row.source_path, row.content_hash = document.source_path, document.content_hash
            row.meta = {**document.metadata, "warnings": list(document.warnings)}
            row.chunk_count = len(chunks)
            session.add(row)
            session.flush()
            added_rows = [
                ChunkRow(
                    id=chunk.id, document_id=document.id, position=chunk.position, title=chunk.title,
                    section=chunk.section, text=chunk.text, meta=chunk.metadata, terms=" ".join(chunk_terms),
                    embedding_hash=embedding_hash, vector=np.asarray(vector, dtype=np.float32).tobytes(),
                )
                for chunk, chunk_terms, embedding_hash, vector in zip(
                    chunks, terms, embedding_hashes, vectors, strict=True
                )
            ]
            session.add_all(added_rows)
            session.flush()
            version = self._bump(session)
            added = [_indexed(r) for r in added_rows]
        return ChunkChange(removed, added, version)

    def delete_documents(self, document_ids: Sequence[str]) -> ChunkChange:
        """Delete documents and their chunks."""
        with self.database.session() as session:
            removed = self._remove_chunks(session, document_ids)
            session.execute(delete(DocumentRow).where(DocumentRow.id.in_(list(document_ids))))
            version = self._bump(session)
        return ChunkChange(removed, [], version)

    def replace_vectors(self, model_id: str, vectors: Iterable[tuple[int, np.ndarray]]) -> None:
        """Store vectors of another embedding model for existing chunks, and record the model."""
        with self.database.session() as session:
            for row_id, vector in vectors:
                session.execute(
                    update(ChunkRow).where(ChunkRow.row_id == row_id).values(vector=vector.astype(np.float32).tobytes())
                )
            self._state(session).embedding_model = model_id
            self._bump(session)

    def set_embedding_model(self, model_id: str) -> None:
        with self.database.session() as session:
            self._state(session).embedding_model = model_id

    # ----------------------------------------------------------------- helpers

    def _remove_chunks(self, session: Session, document_ids: Sequence[str]) -> list[int]:
        removed = list(session.scalars(select(ChunkRow.row_id).where(ChunkRow.document_id.in_(list(document_ids)))))
        if removed:
            session.execute(delete(ChunkRow).where(ChunkRow.document_id.in_(list(document_ids))))
        return removed

    def _state(self, session: Session) -> KnowledgeState:
        state = session.get(KnowledgeState, STATE_ROW)
        if state is None:
            state = KnowledgeState(id=STATE_ROW, version=0, embedding_model="")
            session.add(state)
            session.flush()
        return state

    def _bump(self, session: Session) -> int:
        """Increment the version inside the caller's transaction; returns the new version."""
        self._state(session)
        session.execute(update(KnowledgeState).values(version=KnowledgeState.version + 1))
        return int(session.scalar(select(KnowledgeState.version).where(KnowledgeState.id == STATE_ROW)) or 0)


def _chunk(row: ChunkRow) -> Chunk:
    return Chunk(row.id, row.document_id, row.title, row.section, row.text, row.position, dict(row.meta or {}))


def _indexed(row: ChunkRow) -> IndexedChunk:
    return IndexedChunk(row.row_id, _chunk(row), row.terms.split(), np.frombuffer(row.vector, dtype=np.float32))


def _document_info(row: DocumentRow) -> DocumentInfo:
    return DocumentInfo(
        row.id, row.title, row.kind, row.collection, row.source_path, row.content_hash, row.chunk_count,
        row.updated_at, dict(row.meta or {}),
    )
