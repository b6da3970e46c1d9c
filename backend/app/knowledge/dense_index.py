"""The dense index: FAISS inner product over normalized vectors, keyed by chunk row id, on disk.

The file is a cache of the vectors stored in the database. It is written to a temporary name,
fsynced and renamed, with a manifest (model, dimension, count, knowledge version, checksum) written
last. At load a manifest that disagrees with the database or the model is a mismatch, and the
caller rebuilds the index from the stored vectors (no re-embedding).
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

FORMAT = 2
VECTORS_FILE = "vectors.faiss"
MANIFEST_FILE = "manifest.json"


class IndexMismatch(RuntimeError):
    """The index on disk is missing, damaged, or was built from other data or another model."""


@dataclass(frozen=True)
class Manifest:
    format: int
    model_id: str
    dimension: int
    count: int
    knowledge_version: int
    checksum: str
    built_at: float

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            return cls(**json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise IndexMismatch(f"no index in {folder}") from None
        except (ValueError, TypeError) as exc:
            raise IndexMismatch(f"the index manifest in {folder} is unreadable: {exc}") from exc


class DenseIndex:
    """Exact cosine search (vectors are normalized) over ids that are chunk row ids."""

    def __init__(self, dimension: int, index: Any | None = None) -> None:
        self.dimension = dimension
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, row_ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(row_ids):
            self._index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(row_ids, dtype=np.int64)
            )

    def remove(self, row_ids: list[int]) -> None:
        if row_ids:
            self._index.remove_ids(np.asarray(row_ids, dtype=np.int64))  # type: ignore[arg-type]  # faiss wraps arrays

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        if not len(self):
            return []
        scores, ids = self._index.search(vector.reshape(1, -1).astype(np.float32), min(k, len(self)))
        return [(int(i), float(s)) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0]

    def save(self, folder: Path, model_id: str, knowledge_version: int) -> Manifest:
        folder.mkdir(parents=True, exist_ok=True)
        data = faiss.serialize_index(self._index).tobytes()
        checksum = write_atomic(folder / VECTORS_FILE, data)
        manifest = Manifest(FORMAT, model_id, self.dimension, len(self), knowledge_version, checksum, time.time())
        write_atomic(folder / MANIFEST_FILE, json.dumps(dataclasses.asdict(manifest), indent=2).encode())
        return manifest

    @classmethod
    def load(cls, folder: Path, model_id: str, dimension: int, knowledge_version: int, count: int) -> DenseIndex:
        """Load and verify against what the database holds now; `IndexMismatch` says what differs."""
        manifest = Manifest.read(folder)
        expected = {
            "format": (manifest.format, FORMAT),
            "embedding model": (manifest.model_id, model_id),
            "dimension": (manifest.dimension, dimension),
            "knowledge version": (manifest.knowledge_version, knowledge_version),
            "chunk count": (manifest.count, count),
        }
        for what, (found, wanted) in expected.items():
            if found != wanted:
                raise IndexMismatch(f"the index's {what} is {found}, the database's is {wanted}")
        try:
            data = (folder / VECTORS_FILE).read_bytes()
        except FileNotFoundError:
            raise IndexMismatch(f"{VECTORS_FILE} is missing") from None
        if hashlib.sha256(data).hexdigest() != manifest.checksum:
            raise IndexMismatch(f"{VECTORS_FILE} does not match its checksum (damaged or partly written)")
        index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        if index.ntotal != count or index.d != dimension:
            raise IndexMismatch(f"{VECTORS_FILE} holds {index.ntotal} vectors of {index.d} dimensions")
        return cls(dimension, index)


def write_atomic(path: Path, data: bytes) -> str:
    """Write via a temporary file, fsync, rename, fsync the folder; returns the data's sha256."""
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
