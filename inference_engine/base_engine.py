"""`BaseInferenceEngine`: the one interface every backend implements."""

from __future__ import annotations

import abc
import dataclasses
import logging
import statistics
import threading
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Self, Unpack

from inference_engine.config import InferenceConfig
from inference_engine.datatypes import (
    EngineInfo,
    EngineState,
    GenerationResult,
    Prompt,
    SamplingOverrides,
)
from inference_engine.errors import EngineError, EngineNotLoaded, ModelLoadError

log = logging.getLogger(__name__)


GREEDY_BELOW_TEMPERATURE = 1e-3


@dataclass(frozen=True)
class Sampling:
    """The sampling values of one request: the config's defaults with the request's overrides."""

    max_tokens: int
    temperature: float
    top_p: float
    top_k: int
    repetition_penalty: float
    stop: list[str]
    seed: int | None
    response_prefix: str
    ignore_eos: bool = False


# Overrides that have no config field to validate against.
_REQUEST_ONLY = frozenset({"response_prefix", "ignore_eos"})


class GenerationStream:
    """Async iterator of text deltas; once exhausted, `result` holds the whole `GenerationResult`.

    Closing it early (`await stream.aclose()`, or leaving an `async for` with `break`) aborts the
    request in the engine.
    """

    def __init__(self, events: AsyncIterator[str | GenerationResult]) -> None:
        self._events = events
        self.result: GenerationResult | None = None

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> str:
        event = await anext(self._events)
        if isinstance(event, str):
            return event
        self.result = event
        raise StopAsyncIteration

    async def aclose(self) -> None:
        aclose = getattr(self._events, "aclose", None)
        if aclose is not None:
            await aclose()


class BaseInferenceEngine(abc.ABC):
    """Loads one model and generates text from plain prompts or chat messages."""

    name: ClassVar[str] = "base"

    def __init__(self, config: InferenceConfig) -> None:
        self.config = config
        self.state = EngineState.UNLOADED
        self.load_seconds: float | None = None
        self.last_error: str | None = None

    @classmethod
    def unavailable_reasons(cls) -> list[str]:
        """Why engines of this kind cannot run on this machine at all (checked without loading); [] if
        they can try."""
        return []

    def load_model(self) -> None:
        """Load weights and tokenizer (or connect); raises `ModelLoadError` or `EngineUnavailable`.

        Idempotent once ready. A failure leaves the engine `failed` with the reason in `info()`,
        and whatever was half-loaded released.
        """
        if self.state is EngineState.READY:
            return
        self.state, self.last_error = EngineState.LOADING, None
        started = time.perf_counter()
        try:
            self._load()
        except EngineError as exc:
            self._fail(exc)
            raise
        except Exception as exc:  # the model libraries raise many types: CUDA, memory, a bad folder
            error = ModelLoadError(f"{self.name} cannot load {self.config.model_path}: {exc}")
            self._fail(error)
            raise error from exc
        self.load_seconds = time.perf_counter() - started
        self.state = EngineState.READY
        log.info("%s engine ready (%s) in %.1f s", self.name, self._loaded_description(), self.load_seconds)

    @abc.abstractmethod
    def _load(self) -> None:
        """Do the loading; `load_model` keeps the state and the timing."""

    def _fail(self, error: Exception) -> None:
        """Record a failed load and release what it left behind."""
        self.state, self.last_error = EngineState.FAILED, str(error)
        self._release()

    @abc.abstractmethod
    def _release(self) -> None:
        """Free whatever `_load` has set up so far (also called by a failed load)."""

    def _loaded_description(self) -> str:
        """Where the loaded model runs, for the log line."""
        return str(self.config.model_path)

    @abc.abstractmethod
    def unload(self) -> None:
        """Free the model and the memory it holds (GPU memory included)."""

    @abc.abstractmethod
    def generate(
        self, prompt: Prompt, abort: threading.Event | None = None, **overrides: Unpack[SamplingOverrides]
    ) -> GenerationResult:
        """Generate one completion and wait for it. Setting `abort` (from another thread: the client
        went away) stops the generation and raises `GenerationAborted`."""

    @abc.abstractmethod
    def stream(self, prompt: Prompt, **overrides: Unpack[SamplingOverrides]) -> GenerationStream:
        """Generate one completion, yielding text deltas as they are produced."""

    def batch_generate(
        self, prompts: Sequence[Prompt], **overrides: Unpack[SamplingOverrides]
    ) -> list[GenerationResult]:
        """Generate a completion for each prompt; backends that batch override this."""
        return [self.generate(prompt, **overrides) for prompt in prompts]

    def warmup(self) -> float:
        """Run one short generation so that the first real request is not slow; returns seconds."""
        started = time.perf_counter()
        self.generate("你好", max_tokens=4, temperature=0.0)
        return time.perf_counter() - started

    def benchmark(
        self, prompts: Sequence[Prompt], num_runs: int = 3, **overrides: Unpack[SamplingOverrides]
    ) -> dict[str, Any]:
        """Time single requests and one batch over the same prompts."""
        singles = [self.generate(p, **overrides) for _ in range(num_runs) for p in prompts]
        started = time.perf_counter()
        batch = self.batch_generate(prompts, **overrides)
        batch_seconds = time.perf_counter() - started
        return {
            "engine": self.name,
            "requests": len(singles),
            "latency_p50_s": statistics.median(r["latency"] for r in singles),
            "ttft_p50_s": statistics.median(r["ttft"] for r in singles),
            "tokens_per_s_single": statistics.median(r["throughput"] for r in singles),
            "batch_size": len(prompts),
            "tokens_per_s_batch": sum(r["completion_tokens"] for r in batch) / batch_seconds,
        }

    def info(self) -> EngineInfo:
        """Describe the engine: backend, model, state, load time and the last error."""
        return {
            "engine": self.name,
            "model_path": self.config.model_path,
            "state": self.state.value,
            "load_seconds": self.load_seconds,
            "error": self.last_error,
            "quantization": self.config.quantization,
        }

    @property
    def is_ready(self) -> bool:
        return self.state is EngineState.READY

    def _require_loaded(self) -> None:
        if self.state is not EngineState.READY:
            raise EngineNotLoaded(f"the {self.name} engine is {self.state.value}; call load_model() first")

    def _sampling(self, overrides: SamplingOverrides) -> Sampling:
        """Merge overrides into the config's defaults; the config's checks validate them."""
        values: dict[str, Any] = {k: v for k, v in overrides.items() if k not in _REQUEST_ONLY}
        merged = dataclasses.replace(self.config, **values) if values else self.config
        limit = self.config.max_request_tokens
        return Sampling(
            max_tokens=merged.max_tokens if limit is None else min(merged.max_tokens, limit),
            # Colder than this is greedy decoding; dividing logits by ~0 would make them inf (NaN).
            temperature=0.0 if merged.temperature < GREEDY_BELOW_TEMPERATURE else merged.temperature,
            top_p=merged.top_p,
            top_k=merged.top_k,
            repetition_penalty=merged.repetition_penalty,
            stop=list(merged.stop),
            seed=merged.seed,
            response_prefix=overrides.get("response_prefix", ""),
            ignore_eos=overrides.get("ignore_eos", False),
        )

    def __enter__(self) -> Self:
        self.load_model()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.unload()
