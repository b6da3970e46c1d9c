"""Sentence embeddings for passages and queries (sentence-transformers, normalized vectors)."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


class Embedder:
    """Wraps a sentence-transformers model folder; e5 models need the query/passage prefixes."""

    def __init__(self, folder: Path, query_prefix: str, passage_prefix: str, num_threads: int) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(num_threads)
        started = time.perf_counter()
        self._model: Any = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        self.folder = folder
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        self.dimension = int(self._model.get_embedding_dimension())
        self.model_id = f"{folder.name}:{_folder_fingerprint(folder)}"
        log.info("embedding model %s loaded in %.1f s (dimension %d)", folder.name,
                 time.perf_counter() - started, self.dimension)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts], show_progress)

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._encode([self.query_prefix + text], False)[0]
        return vector

    def _encode(self, texts: list[str], show_progress: bool) -> np.ndarray:
        vectors = self._model.encode(
            texts, batch_size=16, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        result: np.ndarray = np.ascontiguousarray(vectors, dtype=np.float32)
        return result


def _folder_fingerprint(folder: Path) -> str:
    """Short hash of the folder's config files: a different model gives a different index."""
    digest = hashlib.sha256()
    for name in ("modules.json", "config.json", "puxian-model.json"):
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]
