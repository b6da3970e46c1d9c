"""Building the running services (models, index, engine, RAG) from the settings."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from app.chat.prompting import PromptBuilder
from app.chat.service import RAGService
from app.core.config import Settings
from app.knowledge.embedder import Embedder
from app.knowledge.index_builder import ensure_index, load_chunks
from app.knowledge.retriever import Retriever
from app.knowledge.vector_index import VectorIndex
from app.model_prep.prepare import DEFAULT_EMBEDDING, DEFAULT_LLM, resolve_model_folder
from inference_engine import BaseInferenceEngine, InferenceConfig, TransformersEngine

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Services:
    settings: Settings
    embedder: Embedder
    index: VectorIndex
    engine: BaseInferenceEngine
    rag: RAGService
    # Seconds spent loading each part at startup (embedding_model, index, llm).
    load_seconds: dict[str, float] = field(default_factory=dict)

    def close(self) -> None:
        self.engine.unload()


def load_embedder(settings: Settings) -> Embedder:
    folder = resolve_model_folder(settings.embedding_path, DEFAULT_EMBEDDING, settings.model_cache)
    return Embedder(
        folder, settings.embedding_query_prefix, settings.embedding_passage_prefix, settings.torch_threads
    )


def load_index(
    settings: Settings, embedder: Embedder, rebuild: bool = False, show_progress: bool = False
) -> VectorIndex:
    chunks = load_chunks(settings.documents_dir, settings.chunk_chars, settings.chunk_overlap_chars)
    return ensure_index(chunks, embedder, settings.index_dir, rebuild=rebuild, show_progress=show_progress)


def inference_config(settings: Settings) -> InferenceConfig:
    folder = resolve_model_folder(settings.llm_path, DEFAULT_LLM, settings.model_cache)
    return InferenceConfig(
        model_path=str(folder),
        gpu_id=settings.llm_gpu_id,
        device=settings.llm_device,
        quantization=settings.llm_quantization,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
        repetition_penalty=settings.llm_repetition_penalty,
        num_threads=settings.torch_threads,
    )


def build_services(settings: Settings, show_progress: bool = False) -> Services:
    """Load the embedding model, the index (rebuilt if stale) and the LLM; minutes the first time."""
    timer = _StepTimer()
    embedder = timer.run("embedding_model", lambda: load_embedder(settings))
    index = timer.run("index", lambda: load_index(settings, embedder, show_progress=show_progress))
    engine = TransformersEngine(inference_config(settings))
    timer.run("llm", engine.load_model)
    rag = RAGService(
        Retriever(embedder, index), engine, PromptBuilder(), settings.top_k, settings.min_relevance
    )
    log.info("services ready in %.1f s", sum(timer.seconds.values()))
    return Services(settings, embedder, index, engine, rag, timer.seconds)


class _StepTimer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, name: str, step: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = step()
        self.seconds[name] = round(time.perf_counter() - started, 2)
        return result
