"""Engines by name: the one place that maps a setting such as `engine = "vllm"` to a class."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inference_engine.base_engine import BaseInferenceEngine
from inference_engine.config import InferenceConfig
from inference_engine.errors import InvalidConfig
from inference_engine.openai_engine import OpenAIEngine
from inference_engine.transformers_engine import TransformersEngine
from inference_engine.vllm_engine import VLLMEngine

ENGINES: dict[str, type[BaseInferenceEngine]] = {
    engine.name: engine for engine in (TransformersEngine, VLLMEngine, OpenAIEngine)
}
DEFAULT_ENGINE = TransformersEngine.name


def engine_names() -> list[str]:
    return list(ENGINES)


def engine_class(name: str) -> type[BaseInferenceEngine]:
    try:
        return ENGINES[name.strip().lower()]
    except KeyError:
        raise InvalidConfig(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}") from None


def build_engine(name: str, config: InferenceConfig) -> BaseInferenceEngine:
    """A new, unloaded engine of the named kind (call `load_model()` on it)."""
    return engine_class(name)(config)


def unavailable_reasons(name: str) -> list[str]:
    """Why engines of the named kind cannot run on this machine (no GPU, a library missing); [] if none."""
    return engine_class(name).unavailable_reasons()


def engine_from_settings(settings: Mapping[str, Any]) -> BaseInferenceEngine:
    """Build from stored settings: `engine` names the kind, the other keys are `InferenceConfig` fields."""
    values = dict(settings)
    name = str(values.pop("engine", DEFAULT_ENGINE))
    return build_engine(name, InferenceConfig.from_mapping(values))


def engine_from_env(
    prefix: str = "INFERENCE_", environ: Mapping[str, str] | None = None
) -> BaseInferenceEngine:
    """Build from environment variables: `INFERENCE_ENGINE=vllm`, `INFERENCE_MODEL_PATH=...`, ..."""
    import os

    environ = os.environ if environ is None else environ
    name = environ.get(prefix + "ENGINE", DEFAULT_ENGINE)
    return build_engine(name, InferenceConfig.from_env(prefix, environ))
