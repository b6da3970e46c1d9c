"""`InferenceConfig`: everything an engine needs to load a model and sample from it."""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inference_engine.errors import InvalidConfig

DEVICES = ("auto", "cpu", "cuda")
DTYPES = ("auto", "float32", "float16", "bfloat16")
# "dummy": random weights of the folder's architecture (config.json), for benchmarks without weights.
LOAD_FORMATS = ("auto", "dummy")


@dataclass
class InferenceConfig:
    """Model location, placement and default sampling parameters.

    `gpu_id` picks the CUDA device when one is present; on a machine without a GPU and with
    `device="auto"` the engine falls back to the CPU (and says so in its log and `info()`).
    `quantization` names a checkpoint format for vLLM (`gptq`, `awq`, ...) or, for the
    Transformers engine on a CPU, `int8` (dynamic int8 linear layers).

    The `openai` engine talks to OpenAI-compatible servers (`vllm serve`): `server_urls` are their
    base URLs (`http://host:8000/v1`), tried in order, and `served_model_name` is the model name they
    serve (default: `model_path`, which is what `vllm serve PATH` calls it).
    """

    model_path: str
    gpu_id: int | None = None
    tensor_parallel_size: int = 1
    max_tokens: int = 512
    # The most tokens one request may ask for; a request asking more gets this many (None: no cap).
    # A CPU serves one answer at a time: a 4,096-token answer would hold it for minutes.
    max_request_tokens: int | None = None
    temperature: float = 0.7
    top_p: float = 0.9
    top_k: int = 50
    repetition_penalty: float = 1.0
    quantization: str | None = None
    gpu_memory_utilization: float = 0.9
    max_model_len: int | None = None
    dtype: str = "auto"
    seed: int | None = None
    device: str = "auto"
    num_threads: int | None = None
    stop: list[str] = field(default_factory=list)
    trust_remote_code: bool = False
    load_format: str = "auto"
    # vLLM: skip CUDA graphs and torch.compile (starts in seconds, decodes slower).
    enforce_eager: bool = False
    server_urls: list[str] = field(default_factory=list)
    served_model_name: str | None = None
    api_key: str | None = None
    request_timeout: float = 300.0  # seconds for one whole (non-streamed) answer
    max_retries: int = 2  # extra rounds over all servers after connection errors

    def __post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise InvalidConfig("invalid inference config: " + "; ".join(problems))

    def _problems(self) -> typing.Iterator[str]:
        if not str(self.model_path).strip():
            yield "model_path is empty"
        if self.gpu_id is not None and self.gpu_id < 0:
            yield f"gpu_id must be >= 0, got {self.gpu_id}"
        if self.tensor_parallel_size < 1:
            yield f"tensor_parallel_size must be >= 1, got {self.tensor_parallel_size}"
        if self.max_tokens < 1:
            yield f"max_tokens must be >= 1, got {self.max_tokens}"
        if self.max_request_tokens is not None and self.max_request_tokens < 1:
            yield f"max_request_tokens must be >= 1, got {self.max_request_tokens}"
        if self.temperature < 0:
            yield f"temperature must be >= 0, got {self.temperature}"
        if not 0 < self.top_p <= 1:
            yield f"top_p must be in (0, 1], got {self.top_p}"
        if self.top_k < 0:
            yield f"top_k must be >= 0 (0 turns it off), got {self.top_k}"
        if self.repetition_penalty <= 0:
            yield f"repetition_penalty must be > 0, got {self.repetition_penalty}"
        if not 0 < self.gpu_memory_utilization <= 1:
            yield f"gpu_memory_utilization must be in (0, 1], got {self.gpu_memory_utilization}"
        if self.max_model_len is not None and self.max_model_len < 1:
            yield f"max_model_len must be >= 1, got {self.max_model_len}"
        if self.dtype not in DTYPES:
            yield f"dtype must be one of {', '.join(DTYPES)}, got {self.dtype!r}"
        if self.device not in DEVICES:
            yield f"device must be one of {', '.join(DEVICES)}, got {self.device!r}"
        if self.num_threads is not None and self.num_threads < 1:
            yield f"num_threads must be >= 1, got {self.num_threads}"
        if self.load_format not in LOAD_FORMATS:
            yield f"load_format must be one of {', '.join(LOAD_FORMATS)}, got {self.load_format!r}"
        for url in self.server_urls:
            if not url.startswith(("http://", "https://")):
                yield f"server_urls must be http(s) URLs, got {url!r}"
        if self.request_timeout <= 0:
            yield f"request_timeout must be > 0, got {self.request_timeout}"
        if self.max_retries < 0:
            yield f"max_retries must be >= 0, got {self.max_retries}"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> InferenceConfig:
        """Build from a mapping (a parsed file); unknown keys are an error, not silently ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InvalidConfig(f"unknown inference config keys: {', '.join(unknown)}")
        return cls(**dict(values))

    @classmethod
    def from_file(cls, path: str | Path) -> InferenceConfig:
        """Read a `.json` or `.toml` file whose keys are the field names."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidConfig(f"cannot read inference config {path}: {exc.strerror}") from exc
        try:
            if path.suffix == ".toml":
                values: Any = tomllib.loads(text)
            elif path.suffix == ".json":
                values = json.loads(text)
            else:
                raise InvalidConfig(f"inference config {path} must be .json or .toml")
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InvalidConfig(f"inference config {path} is not valid: {exc}") from exc
        if not isinstance(values, dict):
            raise InvalidConfig(f"inference config {path} must hold a table of settings")
        return cls.from_mapping(values)

    @classmethod
    def from_env(
        cls, prefix: str = "INFERENCE_", environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> InferenceConfig:
        """Build from environment variables such as `INFERENCE_MODEL_PATH`, `INFERENCE_GPU_ID`."""
        environ = os.environ if environ is None else environ
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(prefix + f.name.upper())
            if raw is not None:
                values[f.name] = _parse_env_value(f.name, raw, hints[f.name])
        values.update(overrides)
        return cls.from_mapping(values)


def _parse_env_value(name: str, raw: str, hint: Any) -> Any:
    """Convert one environment string to the field's type (`int | None` accepts an empty string)."""
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and type(None) in args:
        if raw.strip() == "":
            return None
        hint = next(a for a in args if a is not type(None))
    try:
        if hint is bool:
            lowered = raw.strip().lower()
            if lowered not in {"1", "0", "true", "false", "yes", "no"}:
                raise ValueError(raw)
            return lowered in {"1", "true", "yes"}
        if hint is int:
            return int(raw)
        if hint is float:
            return float(raw)
        if typing.get_origin(hint) is list:
            return [part for part in raw.split(",") if part]
    except ValueError as exc:
        raise InvalidConfig(f"environment value for {name} is not a valid {hint.__name__}: {raw!r}") from exc
    return raw
