"""Inference engines behind one interface: Transformers (CPU/GPU) and vLLM (GPU).

Standalone: nothing here imports the web application. Heavy libraries (torch, transformers,
vllm) are imported when a model is loaded, not when this package is imported.
"""

from inference_engine.base_engine import BaseInferenceEngine, GenerationStream
from inference_engine.config import InferenceConfig
from inference_engine.datatypes import ChatMessage, EngineState, GenerationResult, Prompt, SamplingOverrides
from inference_engine.errors import (
    EngineError,
    EngineNotLoaded,
    EngineUnavailable,
    GenerationError,
    InvalidConfig,
    InvalidPrompt,
    ModelLoadError,
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
    "GenerationError",
    "GenerationResult",
    "GenerationStream",
    "InferenceConfig",
    "InvalidConfig",
    "InvalidPrompt",
    "ModelLoadError",
    "Prompt",
    "SamplingOverrides",
    "TransformersEngine",
    "VLLMEngine",
]
