"""Running the measurements on one engine."""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from inference_engine.base_engine import BaseInferenceEngine
from inference_engine.datatypes import GenerationResult, SamplingOverrides
from inference_engine.memory import process_peak_rss_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """What to measure: lengths, repetitions, batch sizes and numbers of concurrent streams."""

    prompt_tokens: int
    output_tokens: int
    num_runs: int
    batch_sizes: list[int] = field(default_factory=list)
    concurrency: list[int] = field(default_factory=list)

    @property
    def first_stream_prompt(self) -> int:
        """Streams read prompts no earlier step has read (see `measure_engine`)."""
        return max([self.num_runs, *self.batch_sizes])

    @property
    def prompts_needed(self) -> int:
        return self.first_stream_prompt + sum(self.concurrency)


def measure_engine(engine: BaseInferenceEngine, prompts: list[str], plan: Plan) -> dict[str, Any]:
    """Load the engine, measure it, unload it; returns the engine's section of the report.

    Single requests and batches read the same prompts, in order (prompt 0 first), as the reference
    script of raw vLLM and transformers does, so that the figures compare: an engine that caches
    prompt prefixes (vLLM) finds part of a batch's prompts cached there. Each round of concurrent
    streams reads prompts of its own, so that it measures clients with new questions.
    """
    fixed: SamplingOverrides = {"temperature": 0.0, "ignore_eos": True, "max_tokens": plan.output_tokens}
    section: dict[str, Any] = {"engine": engine.name}
    started = time.perf_counter()
    log.info("%s: loading", engine.name)
    engine.load_model()
    try:
        section["load_s"] = round(time.perf_counter() - started, 1)
        engine.warmup()
        log.info("%s: loaded in %.1f s; time to first token", engine.name, section["load_s"])
        first_tokens = [
            engine.generate(prompts[i], **(fixed | {"max_tokens": 1}))["latency"]
            for i in range(plan.num_runs)
        ]
        section["ttft_s"] = round(statistics.median(first_tokens), 4)
        log.info("%s: %d single requests of %d tokens", engine.name, plan.num_runs, plan.output_tokens)
        section["single"] = _single(engine, prompts[: plan.num_runs], fixed)
        section["batches"] = []
        for size in plan.batch_sizes:
            log.info("%s: batch of %d", engine.name, size)
            section["batches"].append(_batch(engine, prompts[:size], fixed))
            log.info("%s: batch of %d: %.1f tokens/s", engine.name, size, section["batches"][-1]["tok_per_s"])
        section["streams"] = []
        start = plan.first_stream_prompt
        for count in plan.concurrency:
            log.info("%s: %d concurrent streams", engine.name, count)
            section["streams"].append(asyncio.run(_streams(engine, prompts[start : start + count], fixed)))
            start += count
            log.info("%s: %d streams: %.1f tokens/s", engine.name, count, section["streams"][-1]["tok_per_s"])
        section["info"] = engine.info()
        section["peak_memory"] = _peak_memory(section["info"])
    finally:
        engine.unload()
    return section


def _single(engine: BaseInferenceEngine, prompts: list[str], fixed: SamplingOverrides) -> dict[str, Any]:
    results = [engine.generate(prompt, **fixed) for prompt in prompts]
    return {
        "runs": len(results),
        "prompt_tokens": statistics.mean(r["prompt_tokens"] for r in results),
        "out_tokens": statistics.mean(r["completion_tokens"] for r in results),
        "latency_p50_s": round(statistics.median(r["latency"] for r in results), 3),
        "ttft_p50_s": round(statistics.median(r["ttft"] for r in results), 4),
        "tok_per_s": round(statistics.median(r["completion_tokens"] / r["latency"] for r in results), 1),
    }


def _batch(engine: BaseInferenceEngine, prompts: list[str], fixed: SamplingOverrides) -> dict[str, Any]:
    started = time.perf_counter()
    results = engine.batch_generate(prompts, **fixed)
    wall = time.perf_counter() - started
    return _throughput("size", len(prompts), results, wall)


async def _streams(
    engine: BaseInferenceEngine, prompts: list[str], fixed: SamplingOverrides
) -> dict[str, Any]:
    """Open all streams at once and read them together, as a server with that many clients would."""

    async def read(prompt: str) -> tuple[GenerationResult, float]:
        opened = time.perf_counter()
        first: float | None = None
        stream = engine.stream(prompt, **fixed)
        async for _ in stream:
            first = first or time.perf_counter()
        assert stream.result is not None, "a stream read to its end holds its result"
        return stream.result, (first or time.perf_counter()) - opened

    started = time.perf_counter()
    outcomes = await asyncio.gather(*(read(prompt) for prompt in prompts))
    wall = time.perf_counter() - started
    section = _throughput("streams", len(prompts), [result for result, _ in outcomes], wall)
    first_tokens = sorted(ttft for _, ttft in outcomes)
    section["ttft_p50_s"] = round(statistics.median(first_tokens), 4)
    section["ttft_p95_s"] = round(
        first_tokens[min(len(first_tokens) - 1, round(0.95 * (len(first_tokens) - 1)))], 4
    )
    return section


def _throughput(key: str, count: int, results: list[GenerationResult], wall: float) -> dict[str, Any]:
    tokens = sum(r["completion_tokens"] for r in results)
    return {
        key: count,
        "wall_s": round(wall, 3),
        "out_tokens": tokens,
        "tok_per_s": round(tokens / wall, 1),
        "latency_p50_s": round(statistics.median(r["latency"] for r in results), 3),
    }


def _peak_memory(info: dict[str, Any]) -> dict[str, Any]:
    """The memory figure that means most for the engine: GPU where it runs on one, else this process."""
    if info.get("gpu_used_bytes") is not None:
        return {
            "bytes": info["gpu_used_bytes"],
            "what": "GPU memory in use (NVML; vLLM reserves its KV cache)",
        }
    if info.get("gpu_peak_bytes") is not None:
        return {"bytes": info["gpu_peak_bytes"], "what": "peak GPU memory allocated by torch"}
    if info.get("device") == "remote":
        return {"bytes": None, "what": "on the server"}
    return {"bytes": process_peak_rss_bytes(), "what": "peak resident memory of this process"}
