"""Ingestion: read files, chunk them, embed what is new, store each document atomically.

A file whose content is unchanged costs one hash. A changed file replaces its document in one
transaction; chunks whose text is unchanged keep their stored vectors. Files gone from a folder
that is ingested again are deleted. A malformed file is reported with its path and line and
nothing of it is stored (its previous version, if any, stays).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from tqdm import tqdm

from romanization.readings import Readings

from app.knowledge.chunking import chunk_document
from app.knowledge.knowledge_base import KnowledgeBase
from app.knowledge.sources.model import ParsedDocument, SourceError
from app.knowledge.sources.reader import content_hash, is_supported, read_source
from app.knowledge.store import DocumentInfo
from app.knowledge.text_norm import lexical_terms

log = logging.getLogger(__name__)
CURATED, IMPORTED = "curated", "imported"
# Folder walks skip these: notes about a folder, not knowledge.
SKIPPED_NAMES = frozenset({"readme.md", "license.md", "changelog.md"})


class TooManyChunks(ValueError):
    def __init__(self, chunks: int, limit: int) -> None:
        super().__init__(f"the document makes {chunks} chunks; at most {limit} are accepted per upload")


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_embedded: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.deleted)} deleted documents; {self.chunks_added} chunks stored "
            f"({self.chunks_embedded} embedded, the rest reused), {self.chunks_removed} removed; "
            f"{len(self.errors)} errors, {len(self.warnings)} warnings; {self.seconds:.1f} s"
        )


class Ingestor:
    def __init__(self, knowledge: KnowledgeBase, chunk_chars: int, overlap_chars: int) -> None:
        self.knowledge = knowledge
        self.store = knowledge.store
        self.chunk_chars, self.overlap_chars = chunk_chars, overlap_chars

    def ingest(
        self,
        paths: Sequence[Path],
        collection: str = IMPORTED,
        sync: bool = True,
        show_progress: bool = True,
        max_chunks: int | None = None,
    ) -> IngestReport:
        """Ingest files and folders; with `sync`, documents gone from those folders are deleted.

        A document of more than `max_chunks` chunks is refused (an error) before any is embedded.
        """
        started = time.perf_counter()
        report = IngestReport()
        roots = [path.resolve() for path in paths]
        files = list(self._discover(roots, report))
        stored = {doc.id: doc for doc in self.store.documents()}
        stored_by_path = {doc.source_path: doc for doc in stored.values()}
        seen_paths: set[str] = set()
        documents: list[ParsedDocument] = []
        for path in files:
            seen_paths.add(str(path))
            document = self._read_file(path, collection, roots, stored, stored_by_path, report)
            if document is not None:
                documents.append(document)
        # All the new documents' readings help derive each one's pronunciations (pronunciation.py).
        readings = self.knowledge.readings_with(documents)
        for document in tqdm(documents, desc="ingesting", unit="file", disable=not show_progress or len(documents) < 2):
            try:
                self._store_new(document, collection, stored, stored_by_path, report, show_progress, readings, max_chunks)
            except TooManyChunks as exc:
                report.errors.append(f"{document.source_path}: {exc}")
        if sync:
            self._delete_missing(roots, collection, seen_paths, report)
        self.knowledge.persist()
        report.seconds = time.perf_counter() - started
        log.info("ingestion: %s", report.summary())
        return report

    def delete(self, document_ids: Sequence[str]) -> list[str]:
        """Delete documents by id; returns the ids that existed."""
        existing = {doc.id for doc in self.store.documents()}
        found = [doc_id for doc_id in document_ids if doc_id in existing]
        if found:
            self.knowledge.apply(self.store.delete_documents(found))
            self.knowledge.persist()
        return found

    def _discover(self, roots: list[Path], report: IngestReport) -> Iterator[Path]:
        for root in roots:
            if root.is_file():
                yield root
            elif root.is_dir():
                for path in sorted(root.rglob("*")):
                    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
                    if path.is_file() and not hidden and is_supported(path) and path.name.lower() not in SKIPPED_NAMES:
                        yield path
            else:
                report.errors.append(f"{root}: no such file or folder")

    def _read_file(
        self,
        path: Path,
        collection: str,
        roots: list[Path],
        stored: dict[str, DocumentInfo],
        stored_by_path: dict[str, DocumentInfo],
        report: IngestReport,
    ) -> ParsedDocument | None:
        """The file parsed, or None when it is unchanged or cannot be ingested (reported)."""
        try:
            current = stored_by_path.get(str(path))
            if current is not None and current.content_hash == content_hash(path.read_bytes()):
                report.unchanged.append(current.id)
                return None
            document = read_source(path, curated=collection == CURATED)
        except SourceError as exc:
            report.errors.append(str(exc))
            log.error("not ingested: %s", exc)
            return None
        except OSError as exc:
            report.errors.append(f"{path}: cannot be read ({exc.strerror})")
            return None
        owner = stored.get(document.id)
        if owner is not None and _claimed_elsewhere(owner, path, collection, roots):
            report.errors.append(f"{path}: document id {document.id!r} is already used by {owner.source_path}")
            return None
        return document

    def _store_new(
        self,
        document: ParsedDocument,
        collection: str,
        stored: dict[str, DocumentInfo],
        stored_by_path: dict[str, DocumentInfo],
        report: IngestReport,
        show_progress: bool,
        readings: Readings,
        max_chunks: int | None,
    ) -> None:
        chunk_count = self._store(document, collection, report, show_progress, readings, max_chunks)
        report.warnings.extend(document.warnings)
        (report.updated if document.id in stored else report.added).append(document.id)
        info = DocumentInfo(
            document.id, document.title, document.kind, collection, document.source_path, document.content_hash,
            chunk_count, datetime.now(UTC), document.metadata,
        )
        stored[document.id] = stored_by_path[document.source_path] = info

    def _store(
        self,
        document: ParsedDocument,
        collection: str,
        report: IngestReport,
        show_progress: bool,
        readings: Readings,
        max_chunks: int | None,
    ) -> int:
        """Chunk, embed (what is new) and store one document; returns its chunk count."""
        chunks = chunk_document(document, self.chunk_chars, self.overlap_chars, readings)
        if max_chunks is not None and len(chunks) > max_chunks:
            raise TooManyChunks(len(chunks), max_chunks)
        texts = [chunk.embedding_text() for chunk in chunks]
        hashes = [hashlib.sha256(text.encode()).hexdigest() for text in texts]
        reusable = self.store.vectors_for_hashes(hashes)
        missing = [i for i, h in enumerate(hashes) if h not in reusable]
        fresh = self.knowledge.embedder.embed_passages(
            [texts[i] for i in missing], show_progress=show_progress and len(missing) > 200
        )
        vectors = np.zeros((len(chunks), self.knowledge.embedder.dimension), dtype=np.float32)
        for row, index in enumerate(missing):
            vectors[index] = fresh[row]
        for index, embedding_hash in enumerate(hashes):
            if embedding_hash in reusable:
                vectors[index] = reusable[embedding_hash]
        terms = [lexical_terms(chunk.lexical_text()) for chunk in chunks]
        change = self.store.replace_document(document, collection, chunks, terms, hashes, vectors)
        self.knowledge.apply(change)
        report.chunks_added += len(change.added)
        report.chunks_removed += len(change.removed)
        report.chunks_embedded += len(missing)
        return len(chunks)

    def _delete_missing(self, roots: list[Path], collection: str, seen: set[str], report: IngestReport) -> None:
        folders = [root for root in roots if root.is_dir()]
        gone = [
            doc.id
            for doc in self.store.documents(collection)
            if doc.source_path not in seen and any(Path(doc.source_path).is_relative_to(f) for f in folders)
        ]
        if gone:
            change = self.store.delete_documents(gone)
            self.knowledge.apply(change)
            report.deleted.extend(gone)
            report.chunks_removed += len(change.removed)


def _claimed_elsewhere(owner: DocumentInfo, path: Path, collection: str, roots: list[Path]) -> bool:
    """Whether another existing file holds the document id `path` declares.

    Curated knowledge ingested from another folder than before (a checkout moved, or a second
    checkout sharing the data folder) is the same knowledge moved: it takes its documents over
    (unchanged chunks keep their vectors). Two files with one id among the files ingested now, or
    an import clashing with another file, are a real clash.
    """
    if owner.source_path == str(path) or not Path(owner.source_path).exists():
        return False
    moved_curated = collection == CURATED and owner.collection == CURATED
    return not moved_curated or any(Path(owner.source_path).is_relative_to(root) for root in roots)
