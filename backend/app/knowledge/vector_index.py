"""The dense index on disk: FAISS inner-product vectors, the chunks they stand for, a manifest.

Files are written to a temporary name, fsynced and renamed; the manifest is written last and is
the commit point. At load the manifest's model, dimension, count and checksums are checked, so
that an index built by another model or cut short is never used to answer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from app.knowledge.chunking import Chunk

FORMAT = 1
VECTORS_FILE = "vectors.faiss"
CHUNKS_FILE = "chunks.jsonl"
MANIFEST_FILE = "manifest.json"


class IndexMismatch(RuntimeError):
    """The index on disk is missing, damaged, or was built differently from what is asked."""


@dataclass(frozen=True)
class SearchHit:
    chunk: Chunk
    score: float
    rank: int


@dataclass(frozen=True)
class Manifest:
    format: int
    model_id: str
    dimension: int
    count: int
    corpus_fingerprint: str
    checksums: dict[str, str]
    built_at: float

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            values = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
            return cls(**values)
        except FileNotFoundError:
            raise IndexMismatch(f"no index in {folder}") from None
        except (ValueError, TypeError) as exc:
            raise IndexMismatch(f"the index manifest in {folder} is unreadable: {exc}") from exc


class VectorIndex:
    """Chunks and their normalized vectors; `search` returns the most similar chunks."""

    def __init__(self, chunks: list[Chunk], index: Any, model_id: str, corpus_fingerprint: str) -> None:
        if len(chunks) != index.ntotal:
            raise ValueError(f"{len(chunks)} chunks but {index.ntotal} vectors")
        self.chunks = chunks
        self.model_id = model_id
        self.corpus_fingerprint = corpus_fingerprint
        self.dimension = int(index.d)
        self._faiss = index

    @classmethod
    def build(cls, chunks: list[Chunk], vectors: np.ndarray, model_id: str, corpus_fingerprint: str) -> VectorIndex:
        """An index over `vectors` (one normalized row per chunk)."""
        index = faiss.IndexFlatIP(int(vectors.shape[1]))
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(chunks, index, model_id, corpus_fingerprint)

    def __len__(self) -> int:
        return len(self.chunks)

    def search(self, query_vector: np.ndarray, top_k: int) -> list[SearchHit]:
        if not self.chunks:
            return []
        k = min(top_k, len(self.chunks))
        scores, rows = self._faiss.search(query_vector.reshape(1, -1).astype(np.float32), k)
        return [
            SearchHit(self.chunks[int(row)], float(score), rank)
            for rank, (score, row) in enumerate(zip(scores[0], rows[0], strict=True), start=1)
            if row >= 0
        ]

    def save(self, folder: Path) -> Manifest:
        """Write the index atomically; the manifest goes last."""
        folder.mkdir(parents=True, exist_ok=True)
        chunk_lines = "".join(json.dumps(_chunk_to_json(c), ensure_ascii=False) + "\n" for c in self.chunks)
        checksums = {
            VECTORS_FILE: _write_atomic(folder / VECTORS_FILE, faiss.serialize_index(self._faiss).tobytes()),
            CHUNKS_FILE: _write_atomic(folder / CHUNKS_FILE, chunk_lines.encode("utf-8")),
        }
        manifest = Manifest(
            FORMAT, self.model_id, self.dimension, len(self.chunks), self.corpus_fingerprint, checksums, time.time()
        )
        _write_atomic(folder / MANIFEST_FILE, json.dumps(dataclasses.asdict(manifest), indent=2).encode("utf-8"))
        return manifest

    @classmethod
    def load(cls, folder: Path, model_id: str, dimension: int) -> VectorIndex:
        """Load and verify; raises `IndexMismatch` saying what differs."""
        manifest = Manifest.read(folder)
        if manifest.format != FORMAT:
            raise IndexMismatch(f"index format {manifest.format}, this version reads {FORMAT}")
        if manifest.model_id != model_id:
            raise IndexMismatch(f"index was built with embedding model {manifest.model_id}, now {model_id}")
        if manifest.dimension != dimension:
            raise IndexMismatch(f"index dimension {manifest.dimension}, the model gives {dimension}")
        for name, expected in manifest.checksums.items():
            actual = _sha256_file(folder / name)
            if actual != expected:
                raise IndexMismatch(f"{name} does not match its checksum in the manifest (damaged or partial)")
        index = faiss.read_index(str(folder / VECTORS_FILE))
        with (folder / CHUNKS_FILE).open(encoding="utf-8") as lines:
            chunks = [_chunk_from_json(json.loads(line)) for line in lines if line.strip()]
        if index.ntotal != manifest.count or len(chunks) != manifest.count:
            raise IndexMismatch(
                f"manifest says {manifest.count} chunks, found {index.ntotal} vectors and {len(chunks)} chunks"
            )
        return cls(chunks, index, model_id, manifest.corpus_fingerprint)


def _chunk_to_json(chunk: Chunk) -> dict[str, Any]:
    return dataclasses.asdict(chunk)


def _chunk_from_json(values: dict[str, Any]) -> Chunk:
    values["dialect_points"] = tuple(values.get("dialect_points", ()))
    return Chunk(**values)


def _write_atomic(path: Path, data: bytes) -> str:
    """Write `data` to `path` via a temporary file and rename; returns its sha256."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except FileNotFoundError:
        raise IndexMismatch(f"{path.name} is missing") from None
    return digest.hexdigest()
