"""Sentence embeddings for passages and queries (sentence-transformers, normalized vectors)."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


class Embedder:
    """Wraps a sentence-transformers model folder; e5 models need the query/passage prefixes.

    One query is a small matrix product, fastest on one thread here; a bulk of passages is a large
    one, and `bulk_threads` (all cores by default) roughly doubles its speed on two cores.
    """

    def __init__(
        self, folder: Path, query_prefix: str, passage_prefix: str, num_threads: int, bulk_threads: int
    ) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        self._torch = torch
        torch.set_num_threads(num_threads)
        started = time.perf_counter()
        self._model: Any = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        self.folder = folder
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        self.num_threads, self.bulk_threads = num_threads, bulk_threads
        self.dimension = int(self._model.get_embedding_dimension())
        self.model_id = f"{folder.name}:{_folder_fingerprint(folder)}"
        self._bulk_lock = threading.Lock()
        log.info(
            "embedding model %s loaded in %.1f s (dimension %d)",
            folder.name,
            time.perf_counter() - started,
            self.dimension,
        )

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._bulk_threads():
            return self._encode([self.passage_prefix + t for t in texts], show_progress, batch_size=64)

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._encode([self.query_prefix + text], False, batch_size=1)[0]
        return vector

    @contextmanager
    def _bulk_threads(self) -> Iterator[None]:
        with self._bulk_lock:
            self._torch.set_num_threads(self.bulk_threads)
            try:
                yield
            finally:
                self._torch.set_num_threads(self.num_threads)

    def _encode(self, texts: list[str], show_progress: bool, batch_size: int) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        result: np.ndarray = np.ascontiguousarray(vectors, dtype=np.float32)
        return result


def _folder_fingerprint(folder: Path) -> str:
    """Short hash of the folder's configs and weight sizes: another model gives another id."""
    digest = hashlib.sha256()
    for name in ("modules.json", "config.json", "sentence_bert_config.json"):
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + path.read_bytes())
    for weights in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return digest.hexdigest()[:12]
