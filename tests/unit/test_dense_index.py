from pathlib import Path

import numpy as np
import pytest

from app.knowledge.dense_index import MANIFEST_FILE, VECTORS_FILE, DenseIndex, IndexMismatch


def unit_vectors(count: int, dimension: int = 8, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def build(count: int = 20) -> tuple[DenseIndex, np.ndarray]:
    vectors = unit_vectors(count)
    index = DenseIndex(8)
    index.add(np.arange(100, 100 + count), vectors)
    return index, vectors


def test_search_returns_row_ids_best_first() -> None:
    index, vectors = build()
    hits = index.search(vectors[7], 3)
    assert hits[0][0] == 107
    assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert hits[0][1] >= hits[1][1] >= hits[2][1]


def test_removed_ids_disappear() -> None:
    index, vectors = build()
    index.remove([107])
    assert len(index) == 19
    assert all(row != 107 for row, _ in index.search(vectors[7], 19))


def test_save_and_load_verify_the_manifest(tmp_path: Path) -> None:
    index, vectors = build()
    index.save(tmp_path, "model:1", knowledge_version=5)
    loaded = DenseIndex.load(tmp_path, "model:1", 8, knowledge_version=5, count=20)
    assert loaded.search(vectors[3], 1)[0][0] == 103
    with pytest.raises(IndexMismatch, match="embedding model is model:1, the database's is model:2"):
        DenseIndex.load(tmp_path, "model:2", 8, 5, 20)
    with pytest.raises(IndexMismatch, match="knowledge version is 5, the database's is 6"):
        DenseIndex.load(tmp_path, "model:1", 8, 6, 20)
    with pytest.raises(IndexMismatch, match="chunk count is 20, the database's is 21"):
        DenseIndex.load(tmp_path, "model:1", 8, 5, 21)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_damaged_or_missing_file_is_a_mismatch(tmp_path: Path) -> None:
    with pytest.raises(IndexMismatch, match="no index"):
        DenseIndex.load(tmp_path, "m", 8, 0, 0)
    index, _ = build()
    index.save(tmp_path, "m", 1)
    with (tmp_path / VECTORS_FILE).open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(IndexMismatch, match="does not match its checksum"):
        DenseIndex.load(tmp_path, "m", 8, 1, 20)
    (tmp_path / MANIFEST_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(IndexMismatch, match="unreadable"):
        DenseIndex.load(tmp_path, "m", 8, 1, 20)
