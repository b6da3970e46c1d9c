"""Translating our config and sampling values to vLLM's, and vLLM's outputs back: no vLLM import here.

Kept apart from `vllm_engine` so that the translation is tested on machines without a GPU.
"""

from __future__ import annotations

from typing import Any

from inference_engine.base_engine import Sampling
from inference_engine.config import InferenceConfig
from inference_engine.datatypes import FinishReason
from inference_engine.errors import GenerationError, InvalidConfig

# Checkpoint formats of the Transformers engine only; vLLM checks the names it knows itself.
_TRANSFORMERS_ONLY_QUANTIZATION = {"int8"}


def engine_arguments(config: InferenceConfig) -> dict[str, Any]:
    """Keyword arguments for `vllm.AsyncEngineArgs` (the model folder was checked by the caller)."""
    if config.quantization in _TRANSFORMERS_ONLY_QUANTIZATION:
        raise InvalidConfig(
            f"quantization={config.quantization!r} is the Transformers engine's CPU quantization; "
            "vLLM loads quantized checkpoints (quantization='gptq', 'awq', ...) or none"
        )
    arguments: dict[str, Any] = {
        "model": config.model_path,
        "tensor_parallel_size": config.tensor_parallel_size,
        "gpu_memory_utilization": config.gpu_memory_utilization,
        "dtype": config.dtype,
        "trust_remote_code": config.trust_remote_code,
        "load_format": config.load_format,
        "enforce_eager": config.enforce_eager,
        # Per-request figures are our own (GenerationResult); vLLM's periodic log lines are noise here.
        "disable_log_stats": True,
    }
    if config.max_model_len is not None:
        arguments["max_model_len"] = config.max_model_len
    if config.quantization:
        arguments["quantization"] = config.quantization
    if config.seed is not None:
        arguments["seed"] = config.seed
    return arguments


def visible_devices(gpu_id: int | None, tensor_parallel_size: int, inherited: str | None) -> str | None:
    """The CUDA_VISIBLE_DEVICES value that puts the engine on GPUs gpu_id .. gpu_id+tp-1.

    vLLM places its workers on the first visible GPUs, so choosing GPUs means narrowing that list.
    An inherited CUDA_VISIBLE_DEVICES is respected: gpu_id then counts within it. None: leave as is.
    """
    if gpu_id is None:
        return None
    available = [d.strip() for d in inherited.split(",") if d.strip()] if inherited else None
    wanted = range(gpu_id, gpu_id + tensor_parallel_size)
    if available is None:
        return ",".join(str(index) for index in wanted)
    if wanted.stop > len(available):
        raise InvalidConfig(
            f"gpu_id={gpu_id} with tensor_parallel_size={tensor_parallel_size} needs GPUs "
            f"{wanted.start}..{wanted.stop - 1}, but CUDA_VISIBLE_DEVICES={inherited!r} "
            f"shows {len(available)}"
        )
    return ",".join(available[index] for index in wanted)


def sampling_arguments(sampling: Sampling) -> dict[str, Any]:
    """Keyword arguments for `vllm.SamplingParams` (the output kind is added by the engine)."""
    greedy = sampling.temperature == 0
    arguments: dict[str, Any] = {
        "max_tokens": sampling.max_tokens,
        "temperature": sampling.temperature,
        # vLLM ignores these when greedy; neutral values keep its checks quiet.
        "top_p": 1.0 if greedy else sampling.top_p,
        "top_k": 0 if greedy else sampling.top_k,  # 0: no top-k, as in our config
        "repetition_penalty": sampling.repetition_penalty,
        "ignore_eos": sampling.ignore_eos,
        "skip_special_tokens": True,
    }
    if sampling.stop:
        arguments["stop"] = list(sampling.stop)
    if sampling.seed is not None:
        arguments["seed"] = sampling.seed
    return arguments


def finish_reason(vllm_reason: str | None) -> FinishReason:
    """Map vLLM's finish reason (stop, length, abort, error, repetition) to ours."""
    if vllm_reason in ("stop", "repetition"):
        return "stop"
    if vllm_reason == "length":
        return "length"
    if vllm_reason == "abort" or vllm_reason is None:
        return "aborted"
    raise GenerationError(f"vLLM ended the request with {vllm_reason!r}")
