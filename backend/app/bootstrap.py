"""Building the running services (database, models, knowledge base, engine, RAG) from the settings."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.chat.prompting import PromptBuilder
from app.chat.service import RAGService
from app.core.config import Settings
from app.core.engine_specs import EngineSpec
from app.db.migrate import upgrade_to_head
from app.db.session import Database
from app.engines.admission import AdmissionLimits
from app.engines.manager import EngineManager
from app.engines.service import restored_default
from app.engines.slot import EngineSlot
from app.knowledge.embedder import Embedder
from app.knowledge.ingest import CURATED, Ingestor, IngestReport
from app.knowledge.knowledge_base import KnowledgeBase
from app.knowledge.retriever import RetrievalWeights, Retriever
from app.knowledge.store import KnowledgeStore
from app.model_prep.prepare import DEFAULT_EMBEDDING, DEFAULT_LLM, prepared_llm_folder, resolve_model_folder
from inference_engine import BaseInferenceEngine, InferenceConfig

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Knowledge:
    """The knowledge base and what reads and writes it."""

    database: Database
    embedder: Embedder
    base: KnowledgeBase
    ingestor: Ingestor
    retriever: Retriever
    curated_report: IngestReport


@dataclass
class Services:
    settings: Settings
    knowledge: Knowledge
    engines: EngineManager
    rag: RAGService
    # Seconds spent loading each part at startup (embedding_model, knowledge, llm).
    load_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def engine(self) -> BaseInferenceEngine:
        """The current default engine; it may change at any time (requests lease one instead)."""
        return self.engines.default_engine()

    def close(self) -> None:
        self.engines.close()
        self.knowledge.database.dispose()


def open_database(settings: Settings) -> Database:
    upgrade_to_head(settings.database)
    return Database(settings.database)


def load_embedder(settings: Settings) -> Embedder:
    folder = resolve_model_folder(settings.embedding_path, DEFAULT_EMBEDDING, settings.model_cache)
    return Embedder(
        folder,
        settings.embedding_query_prefix,
        settings.embedding_passage_prefix,
        settings.torch_threads,
        settings.bulk_threads,
    )


def retrieval_weights(settings: Settings) -> RetrievalWeights:
    return RetrievalWeights(
        dense=settings.dense_weight,
        lexical=settings.lexical_weight,
        headword=settings.headword_weight,
        romanized=settings.romanized_weight,
        rrf_k=settings.rrf_k,
        candidates=settings.retrieval_candidates,
    )


def open_knowledge(settings: Settings, embedder: Embedder, show_progress: bool = False) -> Knowledge:
    """Open the knowledge base and bring the curated folders into it (cheap when unchanged)."""
    database = open_database(settings)
    base = KnowledgeBase(KnowledgeStore(database), embedder, settings.index_dir)
    base.open(show_progress=show_progress)
    ingestor = Ingestor(base, settings.chunk_chars, settings.chunk_overlap_chars)
    folders = [folder for folder in settings.curated_dirs if folder.is_dir()]
    report = ingestor.ingest(folders, collection=CURATED, sync=True, show_progress=show_progress)
    for error in report.errors:
        log.error("curated knowledge not loaded: %s", error)
    return Knowledge(database, embedder, base, ingestor, Retriever(base, retrieval_weights(settings)), report)


def _llm_fields(settings: Settings) -> dict[str, Any]:
    """The `PUXIAN_LLM_*` settings as `InferenceConfig` fields (all but the model folder)."""
    return {
        "gpu_id": settings.llm_gpu_id,
        "device": settings.llm_device,
        "quantization": settings.llm_quantization,
        "max_tokens": settings.llm_max_tokens,
        "max_request_tokens": settings.llm_request_max_tokens,
        "temperature": settings.llm_temperature,
        "repetition_penalty": settings.llm_repetition_penalty,
        "num_threads": settings.torch_threads,
    }


def inference_config(settings: Settings) -> InferenceConfig:
    folder = resolve_model_folder(settings.llm_path, DEFAULT_LLM, settings.model_cache)
    return InferenceConfig(model_path=str(folder), **_llm_fields(settings))


def engine_config(settings: Settings, spec: EngineSpec) -> InferenceConfig:
    """The `PUXIAN_LLM_*` configuration with the spec's fields over it.

    A spec's prepared `model` is found in the model cache (`ModelNotPrepared` says how to prepare it).
    The default model folder is resolved only when the spec names none (a remote, or a vLLM model
    elsewhere, needs no prepared default).
    """
    values = {**_llm_fields(settings), **spec.config}
    if spec.model is not None:
        values["model_path"] = str(prepared_llm_folder(spec.model, settings.model_cache))
    elif "model_path" not in values:
        values["model_path"] = str(resolve_model_folder(settings.llm_path, DEFAULT_LLM, settings.model_cache))
    return InferenceConfig.from_mapping(values)


def build_engine_manager(settings: Settings, stored_default: str | None = None) -> EngineManager:
    """The configured engines, none loaded; the default is the stored choice if it is still configured."""
    slots = [EngineSlot(spec, functools.partial(engine_config, settings, spec)) for spec in settings.engines]
    names = {spec.name for spec in settings.engines}
    default = settings.default_engine
    if stored_default is not None and stored_default != default:
        if stored_default in names:
            log.info("restoring the default engine chosen by an admin: %s", stored_default)
            default = stored_default
        else:
            log.warning(
                "the stored default engine %s is no longer configured; using %s", stored_default, default
            )
    limits = AdmissionLimits(
        settings.max_pending_generations, settings.user_concurrent_requests, settings.user_requests_per_minute
    )
    return EngineManager(slots, default, warmup=settings.engine_warmup, limits=limits)


def build_services(settings: Settings, show_progress: bool = False) -> Services:
    """Load the embedding model, the knowledge base (updated if stale) and the default LLM engine."""
    timer = _StepTimer()
    embedder = timer.run("embedding_model", lambda: load_embedder(settings))
    knowledge = timer.run("knowledge", lambda: open_knowledge(settings, embedder, show_progress))
    engines = build_engine_manager(settings, restored_default(knowledge.database))
    # A stored choice that no longer loads falls back to the configured default.
    timer.run("llm", lambda: engines.start(fallback=settings.default_engine))
    rag = build_rag_service(settings, knowledge, engines)
    log.info("services ready in %.1f s", sum(timer.seconds.values()))
    return Services(settings, knowledge, engines, rag, timer.seconds)


def build_rag_service(settings: Settings, knowledge: Knowledge, engines: EngineManager) -> RAGService:
    return RAGService(
        knowledge.retriever,
        engines,
        PromptBuilder(),
        settings.top_k,
        settings.min_relevance,
        settings.history_max_tokens,
        settings.history_max_turns,
        history_with_answers=settings.history_mode == "turns",
        grounding_check=settings.grounding_check,
        quote_first=settings.quote_first,
    )


class _StepTimer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, name: str, step: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = step()
        self.seconds[name] = round(time.perf_counter() - started, 2)
        return result
