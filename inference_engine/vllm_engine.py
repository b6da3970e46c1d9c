"""`VLLMEngine`: in-process vLLM on NVIDIA GPUs (production).

vLLM is imported only when a model is loaded, so that this package imports on machines without it.
"""

from __future__ import annotations

import importlib.util
from typing import ClassVar, Unpack

from inference_engine.base_engine import BaseInferenceEngine, GenerationStream
from inference_engine.datatypes import EngineState, GenerationResult, Prompt, SamplingOverrides
from inference_engine.errors import EngineUnavailable


def vllm_installed() -> bool:
    return importlib.util.find_spec("vllm") is not None


class VLLMEngine(BaseInferenceEngine):
    """In-process vLLM. Without vLLM installed, `load_model()` raises `EngineUnavailable`."""

    name: ClassVar[str] = "vllm"

    def load_model(self) -> None:
        if not vllm_installed():
            error = EngineUnavailable(
                "vLLM is not installed on this machine: it needs an NVIDIA GPU and `pip install vllm`; "
                "use the transformers engine on a CPU"
            )
            self.state, self.last_error = EngineState.FAILED, str(error)
            raise error
        raise EngineUnavailable("the in-process vLLM engine is not implemented yet (tracked in issue 4)")

    def unload(self) -> None:
        self.state = EngineState.UNLOADED

    def generate(self, prompt: Prompt, **overrides: Unpack[SamplingOverrides]) -> GenerationResult:
        self._require_loaded()
        raise AssertionError("unreachable: the engine never becomes ready")

    def stream(self, prompt: Prompt, **overrides: Unpack[SamplingOverrides]) -> GenerationStream:
        self._require_loaded()
        raise AssertionError("unreachable: the engine never becomes ready")
