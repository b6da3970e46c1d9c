"""Ingestion on the real embedding model and database: incremental, atomic per file, self-healing."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from app.bootstrap import Knowledge
from app.knowledge.dense_index import VECTORS_FILE
from app.knowledge.ingest import CURATED
from app.knowledge.knowledge_base import KnowledgeBase
from app.knowledge.store import KnowledgeStore
from tests.conftest import REPO_ROOT

NOTE = "# 红团\n\n## 做法\n红团用糯米粉做皮，里面包绿豆馅，用木模压出花纹后染红。\n\n## 用途\n红团是莆田人过年和喜庆时做的食品。\n"
LEXICON = (
    "# title: 小词表\n# source: 自编 | https://example.org\n"
    "hanzi\tgloss\tpsp\n箸\t筷子\tdy5\n厝\t房子；家\tcou4\n"
)


def folder_with_files(root: Path) -> Path:
    folder = root / "uploads"
    folder.mkdir()
    (folder / "红团.md").write_text(NOTE, encoding="utf-8")
    (folder / "words.tsv").write_text(LEXICON, encoding="utf-8")
    (folder / "笔记.txt").write_text("莆仙话“今天”说“今旦”。\n", encoding="utf-8")
    return folder


def top_texts(knowledge: Knowledge, question: str, k: int = 3) -> list[str]:
    return [hit.chunk.text for hit in knowledge.retriever.retrieve(question, k).hits]


def forbid(monkeypatch: pytest.MonkeyPatch, target: object, name: str) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{name} was called")

    monkeypatch.setattr(target, name, fail)


def test_ingest_a_folder_of_mixed_files_then_again_for_free(
    empty_knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = folder_with_files(tmp_path)
    report = empty_knowledge.ingestor.ingest([folder], show_progress=False)
    assert len(report.added) == 3
    assert report.errors == []
    assert report.chunks_added == report.chunks_embedded == 2 + 2 + 1
    assert any("筷子" in text for text in top_texts(empty_knowledge, "“筷子”怎么说？"))
    forbid(monkeypatch, empty_knowledge.embedder, "embed_passages")
    again = empty_knowledge.ingestor.ingest([folder], show_progress=False)
    assert len(again.unchanged) == 3
    assert again.chunks_added == 0


def test_a_changed_file_updates_the_indexes_in_place(
    empty_knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = folder_with_files(tmp_path)
    empty_knowledge.ingestor.ingest([folder], show_progress=False)
    version = empty_knowledge.base.version
    forbid(monkeypatch, empty_knowledge.base, "reload")  # no full rebuild
    changed = NOTE.replace("绿豆馅", "花生馅")
    (folder / "红团.md").write_text(changed, encoding="utf-8")
    report = empty_knowledge.ingestor.ingest([folder], show_progress=False)
    assert len(report.updated) == 1
    assert report.chunks_embedded == 1  # the unchanged section kept its vector
    assert empty_knowledge.base.version == version + 1
    texts = top_texts(empty_knowledge, "红团的馅是什么？")
    assert any("花生馅" in t for t in texts)
    assert not any("绿豆馅" in t for t in texts)


def test_a_deleted_file_leaves_every_index(empty_knowledge: Knowledge, tmp_path: Path) -> None:
    folder = folder_with_files(tmp_path)
    empty_knowledge.ingestor.ingest([folder], show_progress=False)
    assert empty_knowledge.retriever.headword_terms("“箸”是什么意思？") == ["箸"]
    (folder / "words.tsv").unlink()
    report = empty_knowledge.ingestor.ingest([folder], show_progress=False)
    assert len(report.deleted) == 1
    assert empty_knowledge.retriever.headword_terms("“箸”是什么意思？") == []
    for mode in ("dense", "lexical", "hybrid"):
        hits = empty_knowledge.retriever.retrieve("箸 筷子 dy5", 10, mode).hits
        assert not any(hit.chunk.doc_id.startswith("words-") for hit in hits), mode


def test_a_malformed_file_is_reported_and_nothing_of_it_is_stored(
    empty_knowledge: Knowledge, tmp_path: Path
) -> None:
    folder = folder_with_files(tmp_path)
    empty_knowledge.ingestor.ingest([folder], show_progress=False)
    before = {d.id: d.chunk_count for d in empty_knowledge.base.store.documents()}
    broken = LEXICON + "箸\t筷子\tdy5\textra\n"  # line 6 has a column too many
    (folder / "words.tsv").write_text(broken, encoding="utf-8")
    (folder / "new.md").write_text("# 新\n\n新的一段。\n", encoding="utf-8")
    report = empty_knowledge.ingestor.ingest([folder], show_progress=False)
    assert report.errors == [f"{folder / 'words.tsv'}:6: 4 columns, but the header names 3"]
    assert len(report.added) == 1  # the good new file still went in
    after = {d.id: d.chunk_count for d in empty_knowledge.base.store.documents()}
    assert {k: v for k, v in after.items() if k in before} == before  # the old version of words.tsv stays


def test_a_damaged_index_file_is_rebuilt_from_stored_vectors(
    empty_knowledge: Knowledge,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty_knowledge.ingestor.ingest([folder_with_files(tmp_path)], show_progress=False)
    index_dir = empty_knowledge.base.index_dir
    (index_dir / VECTORS_FILE).write_bytes(b"damaged")
    forbid(monkeypatch, empty_knowledge.embedder, "embed_passages")
    reopened = KnowledgeBase(empty_knowledge.base.store, empty_knowledge.embedder, index_dir)
    with caplog.at_level(logging.WARNING):
        reopened.open()
    assert "rebuilding the dense index from the stored vectors" in caplog.text
    assert "checksum" in caplog.text
    assert len(reopened) == empty_knowledge.base.store.chunk_count()
    query = empty_knowledge.embedder.embed_query("红团怎么做")
    assert reopened.search_dense(query, 1)[0][0] in [i.row_id for i in reopened.store.iter_indexed()]


def test_a_change_made_by_another_process_is_picked_up(empty_knowledge: Knowledge, tmp_path: Path) -> None:
    other = KnowledgeBase(
        KnowledgeStore(empty_knowledge.database), empty_knowledge.embedder, tmp_path / "other-index"
    )
    other.open()
    from app.knowledge.ingest import Ingestor

    Ingestor(other, 300, 60).ingest([folder_with_files(tmp_path)], show_progress=False)
    empty_knowledge.base._checked_at = 0.0  # as if the refresh interval had passed
    assert any("今旦" in t for t in top_texts(empty_knowledge, "今天怎么说"))


def test_an_embedding_model_change_reembeds_everything(
    empty_knowledge: Knowledge, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    empty_knowledge.ingestor.ingest([folder_with_files(tmp_path)], show_progress=False)
    store = empty_knowledge.base.store
    store.set_embedding_model("another-model:000")
    first_vector = next(store.iter_indexed()).vector.copy()
    with caplog.at_level(logging.WARNING):
        KnowledgeBase(store, empty_knowledge.embedder, empty_knowledge.base.index_dir).open()
    assert "the embedding model changed" in caplog.text
    assert store.embedding_model() == empty_knowledge.embedder.model_id
    np.testing.assert_allclose(next(store.iter_indexed()).vector, first_vector, atol=1e-5)


def test_a_slice_of_the_real_rime_dictionary_imports(empty_knowledge: Knowledge, tmp_path: Path) -> None:
    source = REPO_ROOT.parent / "shared" / "data" / "puxian" / "Pouleng.dict.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    sliced = tmp_path / "Pouleng-slice.dict.yaml"
    sliced.write_text("\n".join(lines[:1500]) + "\n", encoding="utf-8")
    report = empty_knowledge.ingestor.ingest([sliced], show_progress=False)
    assert report.errors == []
    assert report.chunks_added > 1000
    terms = empty_knowledge.retriever.headword_terms("“食”是什么意思？")
    assert terms == ["食"]
    hits = empty_knowledge.retriever.retrieve("“食”是什么意思？", 5).hits
    assert hits[0].chunk.section == "食"
    assert "headword" in hits[0].found_by
    shutil.rmtree(tmp_path / "data")


def curated_copy(root: Path) -> Path:
    """Two of the curated documents, as a knowledge folder of their own at `root`."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    for name in ("culture-food.md", "culture-mazu.md"):
        shutil.copy(REPO_ROOT / "knowledge" / "docs" / name, docs / name)
    return root


def test_curated_knowledge_from_a_new_folder_takes_its_documents_over(
    empty_knowledge: Knowledge, tmp_path: Path
) -> None:
    # A checkout moved, or a second one sharing the data folder: the first folder still exists.
    first = curated_copy(tmp_path / "first")
    assert empty_knowledge.ingestor.ingest([first], CURATED, show_progress=False).errors == []
    second = curated_copy(tmp_path / "second")
    report = empty_knowledge.ingestor.ingest([second], CURATED, show_progress=False)
    assert report.errors == []
    assert report.chunks_embedded == 0  # the same chunks: their vectors are reused
    assert sorted(report.updated) == ["culture-food", "culture-mazu"]
    sources = {doc.id: doc.source_path for doc in empty_knowledge.base.store.documents()}
    assert all(Path(path).is_relative_to(second.resolve()) for path in sources.values()), sources


def test_an_import_with_the_id_of_another_existing_file_is_refused(
    empty_knowledge: Knowledge, tmp_path: Path
) -> None:
    curated = curated_copy(tmp_path / "curated")
    empty_knowledge.ingestor.ingest([curated], CURATED, show_progress=False)
    clash = tmp_path / "imports"
    clash.mkdir()
    shutil.copy(curated / "docs" / "culture-food.md", clash / "culture-food.md")
    report = empty_knowledge.ingestor.ingest([clash], show_progress=False)
    assert report.added == []
    assert report.updated == []
    assert len(report.errors) == 1
    assert "'culture-food' is already used by" in report.errors[0]
