"""Keeping the dense index in step with the knowledge folder: load it, or rebuild what changed."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from app.knowledge.chunking import Chunk, chunk_documents
from app.knowledge.documents import load_documents
from app.knowledge.embedder import Embedder
from app.knowledge.vector_index import IndexMismatch, VectorIndex

log = logging.getLogger(__name__)


def corpus_fingerprint(chunks: list[Chunk]) -> str:
    """Hash of everything the vectors depend on besides the model: ids and embedded texts."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk.id.encode() + b"\0" + chunk.embedding_text().encode() + b"\0")
    return digest.hexdigest()


def load_chunks(documents_dir: Path, chunk_chars: int, overlap_chars: int) -> list[Chunk]:
    documents = load_documents(documents_dir)
    chunks = chunk_documents(documents, chunk_chars, overlap_chars)
    log.info("knowledge: %d documents, %d chunks from %s", len(documents), len(chunks), documents_dir)
    return chunks


def ensure_index(
    chunks: list[Chunk], embedder: Embedder, index_dir: Path, rebuild: bool = False, show_progress: bool = True
) -> VectorIndex:
    """Load the index from `index_dir` if it matches `chunks` and the model, else build and save it."""
    fingerprint = corpus_fingerprint(chunks)
    if not rebuild:
        try:
            index = VectorIndex.load(index_dir, embedder.model_id, embedder.dimension)
        except IndexMismatch as exc:
            log.warning("rebuilding the index: %s", exc)
        else:
            if index.corpus_fingerprint == fingerprint:
                log.info("index up to date: %d chunks in %s", len(index), index_dir)
                return index
            log.info("rebuilding the index: the knowledge documents changed since it was built")
    started = time.perf_counter()
    log.info("embedding %d chunks", len(chunks))
    vectors = embedder.embed_passages([c.embedding_text() for c in chunks], show_progress=show_progress)
    index = VectorIndex.build(chunks, vectors, embedder.model_id, fingerprint)
    index.save(index_dir)
    log.info("index built: %d chunks in %.1f s, saved to %s", len(index), time.perf_counter() - started, index_dir)
    return index
