"""`VLLMEngine`: in-process vLLM on NVIDIA GPUs (production).

vLLM is imported only when a model is loaded, so that this package imports on machines without it.
Requests go to vLLM's async engine (`AsyncLLM`), which batches whatever is in flight continuously:
concurrent `generate()` calls, `batch_generate()` and concurrent streams all share the GPU's steps.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import itertools
import logging
import os
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

from inference_engine.async_engine import AsyncBackedEngine
from inference_engine.base_engine import Sampling
from inference_engine.completion import CompletionTracker
from inference_engine.config import InferenceConfig
from inference_engine.datatypes import EngineInfo, EngineState, GenerationResult, Prompt
from inference_engine.errors import (
    EngineUnavailable,
    GenerationError,
    InvalidPrompt,
    ModelLoadError,
)
from inference_engine.memory import nvml_memory, process_rss_bytes
from inference_engine.prompt_text import render_prompt
from inference_engine.vllm_requests import (
    engine_arguments,
    finish_reason,
    sampling_arguments,
    visible_devices,
)

log = logging.getLogger(__name__)


def vllm_installed() -> bool:
    return importlib.util.find_spec("vllm") is not None


@cache
def nvidia_gpu_count() -> int:
    """NVIDIA GPUs this process may use (through torch: NVML where it can, so no CUDA context is made)."""
    try:
        import torch
    except ImportError:
        return 0
    return int(torch.cuda.device_count())


class VLLMEngine(AsyncBackedEngine):
    """In-process vLLM. Without vLLM installed, `load_model()` raises `EngineUnavailable`.

    `gpu_id` picks the first GPU (through CUDA_VISIBLE_DEVICES, which vLLM's workers read), and
    `tensor_parallel_size` GPUs from there on serve the model.
    """

    name: ClassVar[str] = "vllm"

    @classmethod
    def unavailable_reasons(cls) -> list[str]:
        reasons = []
        if nvidia_gpu_count() == 0:
            reasons.append("no NVIDIA GPU on this machine")
        if not vllm_installed():
            reasons.append("vLLM is not installed")
        return reasons

    def __init__(self, config: InferenceConfig) -> None:
        super().__init__(config)
        self._vllm: Any = None
        self._engine: Any = None
        self._tokenizer: Any = None
        self._devices: str | None = None
        self._request_numbers = itertools.count()

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        if not vllm_installed():
            raise EngineUnavailable(
                "vLLM is not installed on this machine: it needs an NVIDIA GPU and `pip install vllm`; "
                "use the transformers engine on a CPU"
            )
        path = Path(self.config.model_path).expanduser()
        if not (path / "config.json").is_file():
            raise ModelLoadError(f"no model at {path}: expected a Hugging Face model folder with config.json")
        arguments = engine_arguments(self.config) | {"model": str(path)}
        devices = visible_devices(
            self.config.gpu_id, self.config.tensor_parallel_size, os.environ.get("CUDA_VISIBLE_DEVICES")
        )
        if devices is not None:
            os.environ["CUDA_VISIBLE_DEVICES"] = devices
        # This process has threads (the engine's loop, a web server's), and CUDA may have been started
        # in it (an embedding model): vLLM's worker processes must be spawned then, never forked.
        os.environ.setdefault("VLLM_WORKER_MULTIPROC_METHOD", "spawn")
        self._devices = os.environ.get("CUDA_VISIBLE_DEVICES")
        self._vllm = _import_vllm()
        log.info(
            "starting vLLM on %s (compiling and capturing CUDA graphs takes a minute)", self._device_label()
        )
        self._engine = self._start_runner().call(self._create_engine(arguments))
        self._tokenizer = self._engine.get_tokenizer()

    async def _create_engine(self, arguments: dict[str, Any]) -> Any:
        # Made on the engine's loop: AsyncLLM attaches its output handler to the running loop.
        # LLM_CLASS: the scheduler budget of vLLM's offline LLM class (on an H100/H200: 16k tokens a
        # step, 1024 sequences) rather than the default context's 2k tokens and 128 sequences.
        return self._vllm.AsyncLLM.from_engine_args(
            self._vllm.AsyncEngineArgs(**arguments), usage_context=self._vllm.UsageContext.LLM_CLASS
        )

    def _loaded_description(self) -> str:
        return f"{self.config.model_path} on {self._device_label()}"

    def unload(self) -> None:
        self._release()
        self.state = EngineState.UNLOADED
        log.info("vLLM engine shut down")

    def _release(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.shutdown()  # ends the engine-core and worker processes, which frees their GPU memory
        self._stop_runner()
        self._tokenizer = None
        gc.collect()

    # --------------------------------------------------------------- generation

    async def _events(self, prompt: Prompt, sampling: Sampling) -> AsyncIterator[str | GenerationResult]:
        text = render_prompt(self._tokenizer, prompt, sampling.response_prefix)
        params = self._vllm.SamplingParams(
            **sampling_arguments(sampling), output_kind=self._vllm.RequestOutputKind.DELTA
        )
        tracker = CompletionTracker(sampling.response_prefix)
        if sampling.response_prefix:
            yield sampling.response_prefix
        request_id = f"puxian-{next(self._request_numbers)}"
        prompt_tokens, reason = 0, None
        try:
            # Cancelling this generator (a client that went away) makes vLLM abort the request.
            async for output in self._engine.generate(text, params, request_id):
                completion = output.outputs[0]
                delta = tracker.add(completion.text, len(completion.token_ids))
                if delta:
                    yield delta
                if output.prompt_token_ids:
                    prompt_tokens = len(output.prompt_token_ids)
                if output.finished:
                    reason = completion.finish_reason
        except ValueError as exc:  # vLLM's request checks: longer than the context, bad values
            raise InvalidPrompt(f"vLLM refused the request: {exc}") from exc
        except Exception as exc:
            raise GenerationError(f"vLLM failed while generating: {exc}") from exc
        yield tracker.result(prompt_tokens, finish_reason(reason))

    # --------------------------------------------------------------------- info

    def _device_label(self) -> str:
        return f"cuda:{self._devices}" if self._devices else "cuda"

    def _physical_gpus(self) -> list[int]:
        listed = self._devices.split(",") if self._devices else []
        if not listed:
            return list(range(self.config.tensor_parallel_size))
        return [int(d) for d in listed[: self.config.tensor_parallel_size] if d.strip().isdigit()]

    def info(self) -> EngineInfo:
        info = super().info()
        info.update(
            device=self._device_label() if self.state is EngineState.READY else None,
            tensor_parallel_size=self.config.tensor_parallel_size,
            gpu_memory_utilization=self.config.gpu_memory_utilization,
            load_format=self.config.load_format,
            enforce_eager=self.config.enforce_eager,
            process_rss_bytes=process_rss_bytes(),
        )
        if self._engine is not None:
            model_config = self._engine.model_config
            info.update(
                dtype=str(model_config.dtype).removeprefix("torch."),
                context_limit=int(model_config.max_model_len),
                kv_cache_blocks=self._engine.vllm_config.cache_config.num_gpu_blocks,
                vllm_version=getattr(importlib.import_module("vllm"), "__version__", None),
            )
            info.update(nvml_memory(self._physical_gpus()))
        return info


def _import_vllm() -> SimpleNamespace:
    """The few vLLM classes the engine uses, imported on first load."""
    try:
        arg_utils = importlib.import_module("vllm.engine.arg_utils")
        async_llm = importlib.import_module("vllm.v1.engine.async_llm")
        sampling_params = importlib.import_module("vllm.sampling_params")
        usage_lib = importlib.import_module("vllm.usage.usage_lib")
    except ImportError as exc:
        raise EngineUnavailable(f"vLLM is installed but does not import: {exc}") from exc
    return SimpleNamespace(
        AsyncEngineArgs=arg_utils.AsyncEngineArgs,
        AsyncLLM=async_llm.AsyncLLM,
        SamplingParams=sampling_params.SamplingParams,
        RequestOutputKind=sampling_params.RequestOutputKind,
        UsageContext=usage_lib.UsageContext,
    )
