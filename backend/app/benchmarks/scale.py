"""`puxian bench scale`: the knowledge base at size — a real dictionary import, or N synthetic chunks.

Runs in a throwaway data folder: the database and index under test are built from the curated
knowledge plus the extra load, then reopened as a server would, and queried with the evaluation
questions. The synthetic chunks are sentences recombined from the knowledge base with random
unit vectors: they measure storage, memory, loading and search at size, not embedding speed
(the dictionary import measures that).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from app.bootstrap import load_embedder, open_knowledge
from app.core.config import Settings
from app.knowledge.chunking import chunk_document
from app.knowledge.evaluation import evaluate, load_questions
from app.knowledge.ingest import IMPORTED
from app.knowledge.knowledge_base import KnowledgeBase
from app.knowledge.retriever import Retriever
from app.knowledge.sources.model import LexiconEntry, ParsedDocument
from app.knowledge.text_norm import lexical_terms
from inference_engine.memory import process_peak_rss_bytes, process_rss_bytes


@dataclass
class ScaleReport:
    load: str
    chunks: int
    import_seconds: float
    chunks_embedded_per_second: float | None
    database_mb: float
    dense_index_mb: float
    reopen_seconds: float
    rss_after_reopen_mb: float
    peak_rss_mb: float
    search: dict[str, dict[str, float]]  # mode → p50/p95 ms, recall@5

    def table(self) -> str:
        rows = [f"{key:28} {value}" for key, value in asdict(self).items() if key != "search"]
        rows += [f"{mode:28} {values}" for mode, values in self.search.items()]
        return "\n".join(rows)


def run_scale_bench(settings: Settings, dictionary: Path | None, synthetic: int, keep: bool) -> ScaleReport:
    workdir = Path(tempfile.mkdtemp(prefix="puxian-scale-", dir=settings.data_dir.parent.resolve()))
    bench_settings = settings.model_copy(update={"data_dir": workdir, "database_url": ""})
    try:
        embedder = load_embedder(bench_settings)
        knowledge = open_knowledge(bench_settings, embedder, show_progress=True)
        started = time.perf_counter()
        embedded: int | None = None
        if dictionary is not None:
            report = knowledge.ingestor.ingest([dictionary], collection=IMPORTED, show_progress=True)
            if report.errors:
                raise RuntimeError("; ".join(report.errors))
            embedded = report.chunks_embedded
            warnings = len(report.warnings)
            load = f"import of {dictionary.name} ({report.chunks_added} entries, {warnings} warnings)"
        else:
            _add_synthetic(knowledge.base, synthetic)
            load = f"{synthetic} synthetic chunks"
        import_seconds = time.perf_counter() - started
        knowledge.base.persist()
        knowledge.database.dispose()
        started = time.perf_counter()
        reopened = open_knowledge(bench_settings, embedder)
        reopen_seconds = time.perf_counter() - started
        rss = process_rss_bytes()
        search = _search_figures(bench_settings, reopened.retriever)
        return ScaleReport(
            load=load,
            chunks=len(reopened.base),
            import_seconds=round(import_seconds, 1),
            chunks_embedded_per_second=round(embedded / import_seconds, 1) if embedded else None,
            database_mb=_mb(workdir / "puxian.db"),
            dense_index_mb=_mb(workdir / "index" / "vectors.faiss"),
            reopen_seconds=round(reopen_seconds, 2),
            rss_after_reopen_mb=round(rss / 2**20),
            peak_rss_mb=round(process_peak_rss_bytes() / 2**20),
            search=search,
        )
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _search_figures(settings: Settings, retriever: Retriever) -> dict[str, dict[str, float]]:
    questions = load_questions(settings.knowledge_dir / "eval" / "questions.jsonl")
    report = evaluate(retriever, questions, settings.min_relevance)
    return {
        m.mode: {
            "p50_ms": m.latency_p50_ms,
            "p95_ms": m.latency_p95_ms,
            "recall_at_5": round(m.recall_at_5, 3),
        }
        for m in report.modes
    }


def _add_synthetic(base: KnowledgeBase, count: int) -> None:
    """Store `count` chunks of recombined knowledge-base sentences with random unit vectors."""
    sentences = [s for item in base.store.iter_indexed() for s in item.chunk.text.split("。") if len(s) > 8]
    rng = np.random.default_rng(0)
    batch = 10_000
    for start in tqdm(range(0, count, batch), desc="synthetic chunks", unit="batch"):
        size = min(batch, count - start)
        entries = tuple(
            LexiconEntry(
                f"s{start + i}",
                f"合成{start + i}",
                f"合成{start + i}",
                note="。".join(rng.choice(sentences, 3)) + "。",
            )
            for i in range(size)
        )
        document = ParsedDocument(
            f"synthetic-{start // batch}",
            "合成数据",
            "lexicon",
            f"synthetic:{start}",
            hashlib.sha256(str(start).encode()).hexdigest(),
            entries=entries,
        )
        chunks = chunk_document(document, 300, 0)
        vectors = rng.normal(size=(len(chunks), base.embedder.dimension)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        hashes = [hashlib.sha256(c.embedding_text().encode()).hexdigest() for c in chunks]
        terms = [lexical_terms(c.lexical_text()) for c in chunks]
        base.apply(base.store.replace_document(document, IMPORTED, chunks, terms, hashes, vectors))


def _mb(path: Path) -> float:
    return round(path.stat().st_size / 2**20, 1) if path.exists() else 0.0
