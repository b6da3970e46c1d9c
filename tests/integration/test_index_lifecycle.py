"""The index on disk: reused when current, rebuilt (with a log line) when stale or damaged."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import numpy as np
import pytest

from app.bootstrap import Services
from app.knowledge.chunking import Chunk
from app.knowledge.index_builder import ensure_index
from app.knowledge.vector_index import VECTORS_FILE


@pytest.fixture
def sample_chunks(services: Services) -> list[Chunk]:
    return services.index.chunks[:6]


def forbid_embedding(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("the index was rebuilt although it was current")

    monkeypatch.setattr(services.embedder, "embed_passages", fail)


def test_a_current_index_is_loaded_not_rebuilt(
    services: Services, sample_chunks: list[Chunk], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = ensure_index(sample_chunks, services.embedder, tmp_path, show_progress=False)
    forbid_embedding(services, monkeypatch)
    loaded = ensure_index(sample_chunks, services.embedder, tmp_path, show_progress=False)
    assert loaded.chunks == built.chunks
    query = services.embedder.embed_query(sample_chunks[2].text)
    assert loaded.search(query, 1)[0].chunk.id == sample_chunks[2].id


def test_a_damaged_index_is_rebuilt_with_a_log_line(
    services: Services, sample_chunks: list[Chunk], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ensure_index(sample_chunks, services.embedder, tmp_path, show_progress=False)
    (tmp_path / VECTORS_FILE).write_bytes(b"truncated")
    with caplog.at_level(logging.WARNING):
        rebuilt = ensure_index(sample_chunks, services.embedder, tmp_path, show_progress=False)
    assert "rebuilding the index" in caplog.text
    assert "checksum" in caplog.text
    assert len(rebuilt) == len(sample_chunks)


def test_changed_knowledge_rebuilds_the_index(
    services: Services, sample_chunks: list[Chunk], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ensure_index(sample_chunks, services.embedder, tmp_path, show_progress=False)
    changed = [*sample_chunks[:-1], dataclasses.replace(sample_chunks[-1], text="莆仙话把筷子叫做“箸”。")]
    with caplog.at_level(logging.INFO):
        rebuilt = ensure_index(changed, services.embedder, tmp_path, show_progress=False)
    assert "knowledge documents changed" in caplog.text
    query = services.embedder.embed_query("筷子怎么说")
    assert rebuilt.search(query, 1)[0].chunk.text == "莆仙话把筷子叫做“箸”。"
