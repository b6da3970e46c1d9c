"""`TransformersEngine`: Hugging Face Transformers on CPU or one GPU (the debug and CPU default)."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, Unpack

from inference_engine.base_engine import BaseInferenceEngine, GenerationStream, Sampling
from inference_engine.datatypes import (
    EngineInfo,
    EngineState,
    FinishReason,
    GenerationResult,
    Prompt,
    SamplingOverrides,
    make_result,
)
from inference_engine.errors import (
    EngineUnavailable,
    GenerationAborted,
    GenerationError,
    InvalidConfig,
    InvalidPrompt,
    ModelLoadError,
)
from inference_engine.memory import cuda_memory, process_rss_bytes
from inference_engine.prompt_text import render_prompt
from inference_engine.stop_text import StopTextFilter, cut_at_stop

log = logging.getLogger(__name__)


class TransformersEngine(BaseInferenceEngine):
    """Runs a local Hugging Face model folder with `generate()`.

    One generation runs at a time (a lock queues the others): a CPU gains nothing from
    interleaving them, and `generate()` is not safe to call concurrently on one model.
    """

    name: ClassVar[str] = "transformers"

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        self._model: Any = None
        self._tokenizer: Any = None
        self._torch: Any = None
        self._device: Any = None
        self._lock = threading.Lock()
        self._eos_ids: set[int] = set()
        self._context_limit = 0

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        path = Path(self.config.model_path).expanduser()
        if not (path / "config.json").is_file():
            raise ModelLoadError(f"no model at {path}: expected a Hugging Face model folder with config.json")
        try:
            import torch
            from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:
            raise EngineUnavailable(f"the Transformers engine needs torch and transformers: {exc}") from exc
        self._torch = torch
        if self.config.num_threads:
            torch.set_num_threads(self.config.num_threads)
        self._device = self._pick_device(torch)
        dtype = self._pick_dtype(torch)
        log.info("loading tokenizer from %s", path)
        tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=self.config.trust_remote_code)
        tokenizer.padding_side = "left"  # batched decoding appends on the right
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        if self.config.load_format == "dummy":
            log.info("building the architecture with random weights (%s) on %s", dtype, self._device)
            model_config = AutoConfig.from_pretrained(path, trust_remote_code=self.config.trust_remote_code)
            with torch.device(self._device):  # initialised in place: no copy of 15 GB through the CPU
                model = AutoModelForCausalLM.from_config(
                    model_config, dtype=dtype, trust_remote_code=self.config.trust_remote_code
                )
        else:
            log.info("loading weights (%s) onto %s", dtype, self._device)
            model = AutoModelForCausalLM.from_pretrained(
                path, dtype=dtype, trust_remote_code=self.config.trust_remote_code
            )
        model = model.to(self._device).eval()
        if self.config.quantization == "int8":
            if self._device.type != "cpu":
                raise InvalidConfig("quantization=int8 is the CPU dynamic quantization; on a GPU use vLLM")
            from inference_engine.hf_hooks import quantize_int8_dynamic

            log.info("quantizing linear layers to int8")
            model = quantize_int8_dynamic(model)
        elif self.config.quantization:
            raise InvalidConfig(
                f"quantization={self.config.quantization!r} is not supported by the Transformers engine "
                "(use int8 on a CPU, or a vLLM engine for GPTQ/AWQ checkpoints)"
            )
        self._model, self._tokenizer = model, tokenizer
        self._eos_ids = _eos_ids(model, tokenizer)
        self._context_limit = self.config.max_model_len or int(
            getattr(model.config, "max_position_embeddings", 0) or 32768
        )

    def _pick_device(self, torch: Any) -> Any:
        wants = self.config.device
        if wants == "cpu":
            return torch.device("cpu")
        if not torch.cuda.is_available():
            if wants == "cuda":
                raise EngineUnavailable("device=cuda was asked for, but no CUDA device is available")
            if self.config.gpu_id is not None:
                log.warning(
                    "gpu_id=%s was set but no CUDA device is available; running on the CPU",
                    self.config.gpu_id,
                )
            return torch.device("cpu")
        index = self.config.gpu_id or 0
        if index >= torch.cuda.device_count():
            raise InvalidConfig(f"gpu_id={index}, but this machine has {torch.cuda.device_count()} GPU(s)")
        return torch.device("cuda", index)

    def _pick_dtype(self, torch: Any) -> Any:
        if self.config.dtype != "auto":
            return getattr(torch, self.config.dtype)
        if self._device.type == "cuda":
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32  # this CPU has no fast bf16 kernels

    def _release(self) -> None:
        self._model = self._tokenizer = None

    def _loaded_description(self) -> str:
        return f"{self.config.model_path} on {self._device}"

    def unload(self) -> None:
        with self._lock:
            self._model = self._tokenizer = None
            gc.collect()
            if self._torch is not None and self._device is not None and self._device.type == "cuda":
                self._torch.cuda.empty_cache()
        self.state = EngineState.UNLOADED
        log.info("model unloaded")

    # --------------------------------------------------------------- generation

    def generate(
        self, prompt: Prompt, abort: threading.Event | None = None, **overrides: Unpack[SamplingOverrides]
    ) -> GenerationResult:
        return self._generate_batch([prompt], self._sampling(overrides), abort)[0]

    def batch_generate(
        self, prompts: Sequence[Prompt], **overrides: Unpack[SamplingOverrides]
    ) -> list[GenerationResult]:
        """Generate all prompts in one left-padded batch."""
        return self._generate_batch(prompts, self._sampling(overrides), None)

    def _generate_batch(
        self, prompts: Sequence[Prompt], sampling: Sampling, abort: threading.Event | None
    ) -> list[GenerationResult]:
        self._require_loaded()
        if not prompts:
            return []
        texts = [self._render(prompt, sampling) for prompt in prompts]
        encoded = self._tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        prompt_lengths = [int(n) for n in encoded["attention_mask"].sum(dim=1)]
        max_new = self._room_for(max(prompt_lengths), sampling.max_tokens)
        from inference_engine.hf_hooks import AbortCriteria, FirstTokenTimer

        timer = FirstTokenTimer()
        started = time.perf_counter()
        with self._lock, self._torch.inference_mode():
            if abort is not None and abort.is_set():  # the client left while this request waited
                raise GenerationAborted("the request was aborted before it started")
            self._seed(sampling)
            try:
                output = self._model.generate(
                    **encoded.to(self._device),
                    **self._generation_kwargs(sampling, max_new),
                    logits_processor=[timer],
                    stopping_criteria=[AbortCriteria(abort)] if abort is not None else None,
                )
            except Exception as exc:
                raise GenerationError(f"generation failed: {exc}") from exc
        if abort is not None and abort.is_set():
            raise GenerationAborted("the request was aborted")
        latency = time.perf_counter() - started
        ttft = (timer.first_token_at or time.perf_counter()) - started
        width = encoded["input_ids"].shape[1]
        return [
            self._result(output[row, width:].tolist(), prompt_lengths[row], sampling, latency, ttft, max_new)
            for row in range(len(texts))
        ]

    def stream(self, prompt: Prompt, **overrides: Unpack[SamplingOverrides]) -> GenerationStream:
        return GenerationStream(self._stream_events(prompt, overrides))

    async def _stream_events(
        self, prompt: Prompt, overrides: SamplingOverrides
    ) -> AsyncIterator[str | GenerationResult]:
        from inference_engine.hf_hooks import AbortCriteria, CountingTextStreamer

        self._require_loaded()
        sampling = self._sampling(overrides)
        encoded = self._tokenizer(
            self._render(prompt, sampling), return_tensors="pt", add_special_tokens=False
        )
        prompt_tokens = int(encoded["input_ids"].shape[1])
        max_new = self._room_for(prompt_tokens, sampling.max_tokens)
        streamer = CountingTextStreamer(self._tokenizer)
        abort = threading.Event()
        failure: list[BaseException] = []
        started = time.perf_counter()

        def work() -> None:
            try:
                with self._lock, self._torch.inference_mode():
                    if abort.is_set():  # the client left while this request was queued
                        return
                    self._seed(sampling)
                    self._model.generate(
                        **encoded.to(self._device),
                        **self._generation_kwargs(sampling, max_new),
                        streamer=streamer,
                        stopping_criteria=[AbortCriteria(abort)],
                    )
            except BaseException as exc:
                failure.append(exc)
            finally:
                streamer.end()

        worker = threading.Thread(target=work, name="transformers-generate", daemon=True)
        worker.start()
        text_filter = StopTextFilter(sampling.stop)
        pieces: list[str] = [sampling.response_prefix] if sampling.response_prefix else []
        first_token_at: float | None = None
        try:
            if pieces:
                yield pieces[0]
            async for delta in streamer:
                first_token_at = first_token_at or time.perf_counter()
                safe = text_filter.feed(delta)
                if safe:
                    pieces.append(safe)
                    yield safe
                if text_filter.stopped:
                    abort.set()
            tail = text_filter.flush()
            if tail:
                pieces.append(tail)
                yield tail
            await asyncio.to_thread(worker.join)
            if failure:
                raise GenerationError(f"generation failed: {failure[0]}") from failure[0]
            latency = time.perf_counter() - started
            finish = self._finish_reason(
                streamer.last_token, text_filter.stopped, streamer.new_tokens, max_new
            )
            yield make_result(
                "".join(pieces),
                prompt_tokens,
                streamer.new_tokens,
                latency,
                (first_token_at or time.perf_counter()) - started,
                finish,
            )
        finally:
            # Reached with the worker alive only when the consumer stopped early: free the model.
            abort.set()

    # ------------------------------------------------------------------ helpers

    def _render(self, prompt: Prompt, sampling: Sampling) -> str:
        return render_prompt(self._tokenizer, prompt, sampling.response_prefix)

    def _room_for(self, prompt_tokens: int, max_tokens: int) -> int:
        room = self._context_limit - prompt_tokens
        if room < 1:
            raise InvalidPrompt(
                f"the prompt has {prompt_tokens} tokens; the model accepts at most {self._context_limit}"
            )
        return min(max_tokens, room)

    def _generation_kwargs(self, sampling: Sampling, max_new: int) -> dict[str, Any]:
        sample = sampling.temperature > 0
        kwargs: dict[str, Any] = {
            "max_new_tokens": max_new,
            "do_sample": sample,
            "repetition_penalty": sampling.repetition_penalty,
            "pad_token_id": self._tokenizer.pad_token_id,
            # Greedy decoding must not inherit sampling values from the model's generation_config.
            "temperature": sampling.temperature if sample else None,
            "top_p": sampling.top_p if sample else None,
            "top_k": (sampling.top_k or None) if sample else None,
        }
        if sampling.ignore_eos:  # end-of-turn tokens are suppressed until max_new tokens are out
            kwargs["min_new_tokens"] = max_new
        if sampling.stop:
            kwargs.update(stop_strings=sampling.stop, tokenizer=self._tokenizer)
        return kwargs

    def _seed(self, sampling: Sampling) -> None:
        if sampling.seed is not None:
            self._torch.manual_seed(sampling.seed)

    def _result(
        self,
        new_ids: list[int],
        prompt_tokens: int,
        sampling: Sampling,
        latency: float,
        ttft: float,
        max_new: int,
    ) -> GenerationResult:
        end = (
            None
            if sampling.ignore_eos
            else next((i for i, token in enumerate(new_ids) if token in self._eos_ids), None)
        )
        kept = new_ids if end is None else new_ids[:end]
        text, stopped = cut_at_stop(self._tokenizer.decode(kept, skip_special_tokens=True), sampling.stop)
        completion_tokens = len(kept) + (0 if end is None else 1)
        finish = self._finish_reason(
            None if end is None else new_ids[end], stopped, completion_tokens, max_new
        )
        return make_result(
            sampling.response_prefix + text, prompt_tokens, completion_tokens, latency, ttft, finish
        )

    def _finish_reason(
        self, last_token: int | None, stopped: bool, tokens: int, max_new: int
    ) -> FinishReason:
        if stopped or (last_token is not None and last_token in self._eos_ids):
            return "stop"
        return "length" if tokens >= max_new else "aborted"

    def info(self) -> EngineInfo:
        info = super().info()
        info.update(
            device=str(self._device) if self._device is not None else None,
            dtype=str(self._model.dtype).removeprefix("torch.") if self._model is not None else None,
            num_threads=self._torch.get_num_threads() if self._torch is not None else None,
            context_limit=self._context_limit or None,
            process_rss_bytes=process_rss_bytes(),
        )
        if self._device is not None and self._device.type == "cuda":
            info.update(cuda_memory(self._torch, self._device.index or 0))
        return info


def _eos_ids(model: Any, tokenizer: Any) -> set[int]:
    """Every id that ends a turn: the generation config's (an int or a list) and the tokenizer's."""
    configured = getattr(model.generation_config, "eos_token_id", None)
    ids = set(configured if isinstance(configured, list) else [configured])
    ids.add(tokenizer.eos_token_id)
    return {int(i) for i in ids if i is not None}
