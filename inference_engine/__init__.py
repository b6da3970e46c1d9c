"""Inference engines behind one interface: Transformers (CPU/GPU), vLLM (GPU), OpenAI-compatible servers.

Standalone: nothing here imports the web application. Heavy libraries (torch, transformers,
vllm) are imported when a model is loaded, not when this package is imported; `httpx` is the one
import beyond the standard library.
"""

from inference_engine.base_engine import BaseInferenceEngine, GenerationStream
from inference_engine.config import InferenceConfig
from inference_engine.datatypes import ChatMessage, EngineState, GenerationResult, Prompt, SamplingOverrides
from inference_engine.errors import (
    EngineError,
    EngineNotLoaded,
    EngineUnavailable,
    GenerationAborted,
    GenerationError,
    InvalidConfig,
    InvalidPrompt,
    ModelLoadError,
)
from inference_engine.openai_engine import OpenAIEngine
from inference_engine.registry import (
    build_engine,
    engine_from_env,
    engine_from_settings,
    engine_names,
    unavailable_reasons,
)
from inference_engine.transformers_engine import TransformersEngine
from inference_engine.vllm_engine import VLLMEngine

__all__ = [
    "BaseInferenceEngine",
    "ChatMessage",
    "EngineError",
    "EngineNotLoaded",
    "EngineState",
    "EngineUnavailable",
    "GenerationAborted",
    "GenerationError",
    "GenerationResult",
    "GenerationStream",
    "InferenceConfig",
    "InvalidConfig",
    "InvalidPrompt",
    "ModelLoadError",
    "OpenAIEngine",
    "Prompt",
    "SamplingOverrides",
    "TransformersEngine",
    "VLLMEngine",
    "build_engine",
    "engine_from_env",
    "engine_from_settings",
    "engine_names",
    "unavailable_reasons",
]
