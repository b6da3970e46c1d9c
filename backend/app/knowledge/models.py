"""Database tables of the knowledge base: documents, their chunks (with vectors and terms), state.

The database is the source of truth. The FAISS file and the in-memory lexical indexes are derived
from it and rebuilt from it (without re-embedding) whenever they disagree with `version`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import UtcDateTime, utc_now

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
RowId = BigInteger().with_variant(Integer(), "sqlite")




class DocumentRow(Base):
    __tablename__ = "knowledge_documents"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))  # markdown, text, lexicon, rime, pdf, docx
    # "curated": the repository's knowledge folder, kept in step at every start; "imported": added by
    # `puxian ingest` or an upload, removed only when asked.
    collection: Mapped[str] = mapped_column(String(20), index=True)
    source_path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)


class ChunkRow(Base):
    __tablename__ = "knowledge_chunks"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012  (row ids are FAISS ids: never reuse)

    row_id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(300), unique=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("knowledge_documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    section: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    terms: Mapped[str] = mapped_column(Text)  # lexical terms, space separated (tokenized once)
    embedding_hash: Mapped[str] = mapped_column(String(64), index=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, normalized


class KnowledgeState(Base):
    """One row: a version bumped by every change, and the embedding model of the stored vectors."""

    __tablename__ = "knowledge_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    embedding_model: Mapped[str] = mapped_column(String(200), default="")
