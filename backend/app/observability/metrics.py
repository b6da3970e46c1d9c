"""Prometheus metrics of one app: HTTP requests, answers (latency, TTFT, tokens/s), retrieval, engines.

Each app has a registry of its own (tests build many apps in one process). Engine state is read
from the engine manager when Prometheus scrapes, so it is never stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from app.engines.manager import EngineManager

_ENGINE_STATES = ("unloaded", "loading", "ready", "failed")
# Seconds: a CPU answer takes 2–60 s, a GPU one well under 1 s.
_ANSWER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)
_TTFT_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60)
_RETRIEVAL_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
_TOKENS_PER_S_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000)


class Metrics:
    def __init__(self, engines: Callable[[], EngineManager | None]) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.http_requests = Counter(
            "puxian_http_requests",
            "HTTP requests answered.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.http_duration = Histogram(
            "puxian_http_request_duration_seconds",
            "HTTP request duration (a stream: until its last event).",
            ["method", "route"],
            buckets=_ANSWER_BUCKETS,
            registry=registry,
        )
        self.http_in_flight = Gauge(
            "puxian_http_requests_in_flight", "HTTP requests being served.", registry=registry
        )
        self.chat_requests = Counter(
            "puxian_chat_requests",
            "Questions answered, by endpoint (chat, stream), engine and outcome "
            "(ok, no_answer, error, aborted).",
            ["endpoint", "engine", "outcome"],
            registry=registry,
        )
        self.chat_duration = Histogram(
            "puxian_chat_duration_seconds",
            "Whole answer time, retrieval included, of answers that completed.",
            ["endpoint", "engine"],
            buckets=_ANSWER_BUCKETS,
            registry=registry,
        )
        self.ttft = Histogram(
            "puxian_chat_ttft_seconds",
            "Time from the request to the model's first token.",
            ["engine"],
            buckets=_TTFT_BUCKETS,
            registry=registry,
        )
        self.tokens_per_second = Histogram(
            "puxian_generation_tokens_per_second",
            "Completion tokens per second of generation, per answer.",
            ["engine"],
            buckets=_TOKENS_PER_S_BUCKETS,
            registry=registry,
        )
        self.completion_tokens = Counter(
            "puxian_completion_tokens", "Tokens generated.", ["engine"], registry=registry
        )
        self.answer_checks = Counter(
            "puxian_answer_checks",
            "Grounding checks of generated answers by endpoint and outcome: passed, regenerated "
            "(passed on the second try), card or extractive (replaced), truncated (a stream cut "
            "before its first unchecked clause), failed (shown all the same).",
            ["endpoint", "outcome"],
            registry=registry,
        )
        self.retrieval = Histogram(
            "puxian_retrieval_duration_seconds",
            "Hybrid retrieval time per question.",
            buckets=_RETRIEVAL_BUCKETS,
            registry=registry,
        )
        ProcessCollector(registry=registry)  # process_resident_memory_bytes and friends
        registry.register(EngineCollector(engines))

    def observe_answer(
        self,
        endpoint: str,
        engine: str,
        outcome: str,
        timings: Mapping[str, float],
        completion_tokens: int = 0,
        check: str | None = None,
    ) -> None:
        """Record one question's outcome; timings in milliseconds as the API reports them; `check`:
        its grounding check's outcome (None: not checked)."""
        label = engine or "none"  # the no-answer reply involves no engine
        self.chat_requests.labels(endpoint, label, outcome).inc()
        if check is not None:
            self.answer_checks.labels(endpoint, check).inc()
        if "retrieval_ms" in timings:
            self.retrieval.observe(timings["retrieval_ms"] / 1000)
        if completion_tokens:
            self.completion_tokens.labels(label).inc(completion_tokens)
        if outcome not in ("ok", "no_answer"):
            return
        if "total_ms" in timings:
            self.chat_duration.labels(endpoint, label).observe(timings["total_ms"] / 1000)
        if timings.get("ttft_ms"):
            self.ttft.labels(label).observe(timings["ttft_ms"] / 1000)
        if timings.get("tokens_per_s"):
            self.tokens_per_second.labels(label).observe(timings["tokens_per_s"])


class EngineCollector(Collector):
    """Engine state, default, requests in flight, load progress, memory and switches, read at scrape time."""

    def __init__(self, engines: Callable[[], EngineManager | None]) -> None:
        self._engines = engines

    def collect(self) -> Iterator[Metric]:
        manager = self._engines()
        if manager is None:  # before startup has built the services
            return
        snapshot = manager.snapshot()
        state = GaugeMetricFamily(
            "puxian_engine_state", "1 for the engine's current state.", labels=["engine", "kind", "state"]
        )
        default = GaugeMetricFamily("puxian_engine_default", "1 for the default engine.", labels=["engine"])
        in_flight = GaugeMetricFamily(
            "puxian_engine_requests_in_flight", "Requests running on the engine.", labels=["engine"]
        )
        progress = GaugeMetricFamily(
            "puxian_engine_load_progress", "Load progress 0..1 (1: ready).", labels=["engine"]
        )
        memory = GaugeMetricFamily(
            "puxian_engine_memory_bytes",
            "Memory the loaded engine holds (see GET /api/engines).",
            labels=["engine"],
        )
        for engine in snapshot.engines:
            for name in _ENGINE_STATES:
                state.add_metric([engine.name, engine.kind, name], 1.0 if engine.state == name else 0.0)
            default.add_metric([engine.name], 1.0 if engine.name == snapshot.default else 0.0)
            in_flight.add_metric([engine.name], engine.in_flight)
            progress.add_metric([engine.name], engine.progress or 0.0)
            if engine.memory_mb is not None:
                memory.add_metric([engine.name], engine.memory_mb * 2**20)
        switches = CounterMetricFamily(
            "puxian_engine_switches",
            "Default-engine switches by target and outcome.",
            labels=["engine", "outcome"],
        )
        for (engine_name, outcome), count in sorted(manager.switch_counts.items()):
            switches.add_metric([engine_name, outcome], count)
        yield from (state, default, in_flight, progress, memory, switches)
