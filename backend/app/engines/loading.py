"""Loading an engine (with its stages reported) and unloading it (with its memory given back)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from app.core.engine_specs import EngineSpec
from app.engines.memory import engine_memory_bytes, release_freed_memory
from app.engines.slot import LOADING_MODEL, WARMING_UP
from inference_engine import BaseInferenceEngine, InferenceConfig, build_engine
from inference_engine.memory import process_rss_bytes


@dataclass(frozen=True)
class LoadedEngine:
    engine: BaseInferenceEngine
    seconds: float
    memory_bytes: int | None
    device: str | None


def load_engine(
    spec: EngineSpec, config: InferenceConfig, warmup: bool, on_stage: Callable[[str], None]
) -> LoadedEngine:
    """Build, load and warm up one engine (blocking: seconds to minutes); raises what the engine raises."""
    engine = build_engine(spec.kind, config)
    rss_before = process_rss_bytes()
    started = time.perf_counter()
    on_stage(LOADING_MODEL)
    engine.load_model()  # a failed load releases what it loaded
    try:
        if warmup:
            on_stage(WARMING_UP)
            engine.warmup()
        info = engine.info()
    except BaseException:
        unload_engine(engine)
        raise
    memory = engine_memory_bytes(spec.kind, info, process_rss_bytes() - rss_before)
    device = info.get("device")
    return LoadedEngine(engine, time.perf_counter() - started, memory, str(device) if device else None)


def unload_engine(engine: BaseInferenceEngine) -> None:
    """Free the model (GPU memory included) and give the process's freed memory back to the system."""
    engine.unload()
    release_freed_memory()
