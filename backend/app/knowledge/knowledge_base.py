"""The knowledge base at run time: the store plus the derived indexes, kept in step with it.

Changes made in this process are applied to the indexes in place. Changes made elsewhere (a
`puxian ingest` beside a running server, another replica) show as a newer version in the
database, checked at most every few seconds, and the indexes are then reloaded from it.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
from romanization.readings import Readings
from tqdm import tqdm

from app.knowledge.chunking import Chunk
from app.knowledge.dense_index import DenseIndex, IndexMismatch
from app.knowledge.embedder import Embedder
from app.knowledge.headword_index import HeadwordIndex
from app.knowledge.lexical_index import LexicalIndex
from app.knowledge.recorded_readings import RecordedReadings
from app.knowledge.romanized_index import RomanizedIndex, RomanizedSearch
from app.knowledge.sources.model import ParsedDocument
from app.knowledge.store import ChunkChange, KnowledgeStore
from app.knowledge.text_norm import lexical_terms

log = logging.getLogger(__name__)
REFRESH_SECONDS = 3.0


class KnowledgeBase:
    def __init__(self, store: KnowledgeStore, embedder: Embedder, index_dir: Path) -> None:
        self.store = store
        self.embedder = embedder
        self.index_dir = index_dir
        self.version = -1
        self._lock = threading.RLock()
        self._dense = DenseIndex(embedder.dimension)
        self._lexical = LexicalIndex()
        self._headwords = HeadwordIndex()
        self._romanized = RomanizedIndex()
        self._recorded = RecordedReadings()
        self._checked_at = 0.0

    # ------------------------------------------------------------ lifecycle

    def open(self, show_progress: bool = False) -> None:
        """Re-embed if the embedding model changed, then load (or rebuild) the indexes."""
        lexical_terms("预热")  # loads jieba's dictionary now rather than in the first request
        stored_model = self.store.embedding_model()
        if stored_model != self.embedder.model_id:
            if stored_model and self.store.chunk_count():
                log.warning("the embedding model changed (%s → %s): re-embedding every chunk",
                            stored_model, self.embedder.model_id)
                self._reembed_all(show_progress)
            else:
                self.store.set_embedding_model(self.embedder.model_id)
        self.reload()

    def reload(self) -> None:
        """Rebuild the in-memory indexes from the database; the dense one from its file when current."""
        started = time.perf_counter()
        version, count = self.store.version(), self.store.chunk_count()
        dense: DenseIndex | None
        try:
            dense = DenseIndex.load(self.index_dir, self.embedder.model_id, self.embedder.dimension, version, count)
        except IndexMismatch as exc:
            log.warning("rebuilding the dense index from the stored vectors: %s", exc)
            dense = None
        lexical, headwords, romanized, recorded = LexicalIndex(), HeadwordIndex(), RomanizedIndex(), RecordedReadings()
        row_ids: list[int] = []
        vectors: list[np.ndarray] = []
        for item in self.store.iter_indexed():
            lexical.add(item.row_id, item.terms)
            headwords.add(item.row_id, item.chunk)
            romanized.add(item.row_id, item.chunk)
            recorded.add(item.row_id, item.chunk)
            if dense is None:
                row_ids.append(item.row_id)
                vectors.append(item.vector)
        if dense is None:
            dense = DenseIndex(self.embedder.dimension)
            if vectors:
                dense.add(np.asarray(row_ids, dtype=np.int64), np.vstack(vectors))
            dense.save(self.index_dir, self.embedder.model_id, version)
        with self._lock:
            self._dense, self._lexical, self._headwords, self.version = dense, lexical, headwords, version
            self._romanized, self._recorded = romanized, recorded
            self._checked_at = time.monotonic()
        log.info("knowledge indexes ready: %d chunks, version %d, in %.1f s", count, version,
                 time.perf_counter() - started)

    def apply(self, change: ChunkChange) -> None:
        """Apply one stored change to the indexes in place (or reload if others changed the store too)."""
        with self._lock:
            if change.version != self.version + 1:
                self.reload()
                return
            self._dense.remove(change.removed)
            self._lexical.remove(change.removed)
            self._headwords.remove(change.removed)
            self._romanized.remove(change.removed)
            self._recorded.remove(change.removed)
            if change.added:
                self._dense.add(
                    np.asarray([c.row_id for c in change.added], dtype=np.int64),
                    np.vstack([c.vector for c in change.added]),
                )
            for item in change.added:
                self._lexical.add(item.row_id, item.terms)
                self._headwords.add(item.row_id, item.chunk)
                self._romanized.add(item.row_id, item.chunk)
                self._recorded.add(item.row_id, item.chunk)
            self.version = change.version

    def persist(self) -> None:
        """Write the dense index file for the current version."""
        with self._lock:
            self._dense.save(self.index_dir, self.embedder.model_id, self.version)

    def refresh_if_changed(self) -> None:
        """Reload when another process changed the knowledge (checked at most every few seconds)."""
        now = time.monotonic()
        if now - self._checked_at < REFRESH_SECONDS:
            return
        self._checked_at = now
        if self.store.version() != self.version:
            log.info("the knowledge base changed elsewhere; reloading its indexes")
            self.reload()

    # --------------------------------------------------------------- search

    def __len__(self) -> int:
        return len(self._dense)

    def search_dense(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        with self._lock:
            return self._dense.search(vector, k)

    def search_lexical(self, terms: list[str], k: int) -> list[tuple[int, float]]:
        with self._lock:
            return self._lexical.search(terms, k)

    def lookup_headword(self, term: str, kind: int | None = None) -> list[int]:
        """Entries whose headword (HEADWORD) or Mandarin gloss (GLOSS) is `term`; both when no kind."""
        with self._lock:
            return self._headwords.lookup(term, kind)

    def has_headword(self, term: str) -> bool:
        with self._lock:
            return term in self._headwords

    def search_romanized(self, query: str, k: int) -> RomanizedSearch:
        with self._lock:
            return self._romanized.search(query, k, popularity=self._lexical.document_frequency)

    @property
    def readings(self) -> Readings:
        """What the lexicons and dictionaries record, for choosing among romanization candidates."""
        with self._lock:
            return self._recorded.readings

    def readings_with(self, documents: list[ParsedDocument]) -> Readings:
        """The readings plus those of documents about to be ingested."""
        with self._lock:
            return self._recorded.with_documents(documents)

    def chunks(self, row_ids: list[int]) -> dict[int, Chunk]:
        return self.store.chunks(row_ids)

    # -------------------------------------------------------------- helpers

    def _reembed_all(self, show_progress: bool) -> None:
        items = [(item.row_id, item.chunk.embedding_text()) for item in self.store.iter_indexed()]
        vectors = self.embedder.embed_passages([text for _, text in items], show_progress=show_progress)
        self.store.replace_vectors(
            self.embedder.model_id,
            tqdm(zip((row for row, _ in items), vectors, strict=True), total=len(items), disable=not show_progress,
                 desc="storing vectors"),
        )
