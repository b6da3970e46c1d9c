"""`puxian bench rag`: load times and answer latency of the running configuration."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from app.bootstrap import build_services
from app.core.config import Settings
from app.core.stats import percentile

# Questions in the words users type; all answerable from the knowledge base.
QUESTIONS = (
    "如何用莆仙话说“吃饭”？",
    "莆仙话“今天”怎么说？",
    "莆仙话有几个声调？",
    "什么是声母类化？",
    "莆仙话“下雨”怎么说？",
    "做大岁是怎么来的？",
    "兴化平话字是谁发明的？",
    "“厝”是什么意思？",
    "莆仙话的否定词有哪些？",
    "妈祖出生在哪里？",
)


@dataclass(frozen=True)
class BenchReport:
    embedder_load_s: float
    knowledge_load_s: float
    llm_load_s: float
    answers: int
    latency_p50_s: float
    latency_p95_s: float
    ttft_p50_s: float
    decode_tokens_per_s_p50: float
    prompt_tokens_p50: float
    completion_tokens_p50: float

    def as_dict(self) -> dict[str, Any]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def run_rag_bench(settings: Settings, rounds: int = 1) -> BenchReport:
    services = build_services(settings)
    services.engine.warmup()
    questions = [q for _ in range(rounds) for q in QUESTIONS]
    latencies, ttfts, decode_rates, prompt_tokens, completion_tokens = [], [], [], [], []
    try:
        for question in tqdm(questions, desc="answering", unit="question"):
            answer = services.rag.answer(question)
            timings = answer.timings
            latencies.append(timings["total_ms"] / 1000)
            ttfts.append(timings.get("ttft_ms", 0.0) / 1000)
            decode_s = (timings.get("generation_ms", 0.0) - timings.get("ttft_ms", 0.0)) / 1000
            tokens = answer.usage.get("completion_tokens", 0)
            if decode_s > 0 and tokens > 1:
                decode_rates.append((tokens - 1) / decode_s)
            prompt_tokens.append(float(answer.usage.get("prompt_tokens", 0)))
            completion_tokens.append(float(tokens))
    finally:
        services.close()
    return BenchReport(
        embedder_load_s=services.load_seconds["embedding_model"],
        knowledge_load_s=services.load_seconds["knowledge"],
        llm_load_s=services.load_seconds["llm"],
        answers=len(latencies),
        latency_p50_s=statistics.median(latencies),
        latency_p95_s=percentile(latencies, 0.95),
        ttft_p50_s=statistics.median(ttfts),
        decode_tokens_per_s_p50=statistics.median(decode_rates) if decode_rates else 0.0,
        prompt_tokens_p50=statistics.median(prompt_tokens),
        completion_tokens_p50=statistics.median(completion_tokens),
    )


def format_report(report: BenchReport, as_json: bool) -> str:
    if as_json:
        return json.dumps(report.as_dict(), indent=2)
    return "\n".join(f"{name:28} {value}" for name, value in report.as_dict().items())
