from pathlib import Path

import numpy as np
import pytest

from app.knowledge.chunking import Chunk
from app.knowledge.vector_index import CHUNKS_FILE, MANIFEST_FILE, VECTORS_FILE, IndexMismatch, VectorIndex


def make_chunks(count: int) -> list[Chunk]:
    return [
        Chunk(f"doc#{i}", "doc", "标题", f"节{i}", f"内容{i}", i, "vocabulary", ("莆田",), "来源")
        for i in range(count)
    ]


def unit_vectors(count: int, dimension: int = 8, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_search_ranks_the_most_similar_chunk_first() -> None:
    vectors = unit_vectors(20)
    index = VectorIndex.build(make_chunks(20), vectors, "model:1", "corpus")
    hits = index.search(vectors[7], top_k=3)
    assert hits[0].chunk.id == "doc#7"
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].score >= hits[1].score >= hits[2].score


def test_saved_index_loads_back_identically(tmp_path: Path) -> None:
    vectors = unit_vectors(12)
    index = VectorIndex.build(make_chunks(12), vectors, "model:1", "corpus-hash")
    manifest = index.save(tmp_path)
    assert manifest.count == 12
    assert manifest.dimension == 8
    loaded = VectorIndex.load(tmp_path, "model:1", 8)
    assert loaded.chunks == index.chunks
    assert loaded.corpus_fingerprint == "corpus-hash"
    assert [h.chunk.id for h in loaded.search(vectors[3], 5)] == [
        h.chunk.id for h in index.search(vectors[3], 5)
    ]
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_index_from_another_model_or_dimension_is_refused(tmp_path: Path) -> None:
    VectorIndex.build(make_chunks(3), unit_vectors(3), "model:1", "c").save(tmp_path)
    with pytest.raises(IndexMismatch, match="built with embedding model model:1, now model:2"):
        VectorIndex.load(tmp_path, "model:2", 8)
    with pytest.raises(IndexMismatch, match="dimension"):
        VectorIndex.load(tmp_path, "model:1", 384)


@pytest.mark.parametrize("damaged", [VECTORS_FILE, CHUNKS_FILE])
def test_a_damaged_file_fails_its_checksum(tmp_path: Path, damaged: str) -> None:
    VectorIndex.build(make_chunks(3), unit_vectors(3), "model:1", "c").save(tmp_path)
    with (tmp_path / damaged).open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(IndexMismatch, match=f"{damaged} does not match its checksum"):
        VectorIndex.load(tmp_path, "model:1", 8)


def test_missing_or_unreadable_manifest_is_a_mismatch(tmp_path: Path) -> None:
    with pytest.raises(IndexMismatch, match="no index"):
        VectorIndex.load(tmp_path, "model:1", 8)
    (tmp_path / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexMismatch, match="unreadable"):
        VectorIndex.load(tmp_path, "model:1", 8)


def test_an_empty_index_returns_no_hits() -> None:
    index = VectorIndex.build([], np.zeros((0, 8), dtype=np.float32), "model:1", "c")
    assert index.search(unit_vectors(1)[0], 3) == []
