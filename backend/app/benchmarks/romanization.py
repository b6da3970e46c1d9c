"""`puxian bench romanization`: how long converting, segmenting and the romanized retriever take.

Three figures, each the median of many runs on the machine it runs on:
- converting a 200-character text (Han characters, punctuation and PSP words) into BUC and IPA;
- reading (segmenting) a 200-character romanized query typed without spaces or tones;
- what the fourth retriever adds to hybrid retrieval: the evaluation questions retrieved with
  and without it, and the romanized lookup alone.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from tqdm import tqdm

from app.bootstrap import load_embedder, open_knowledge
from app.core.config import Settings
from app.core.stats import percentile
from app.knowledge.evaluation import default_question_files, load_questions
from app.knowledge.retriever import RetrievalWeights
from romanization.convert import convert
from romanization.segment import read_romanized

# About 200 characters: what a learner might paste, words among Han characters and punctuation.
TEXT = (
    "今旦 ging1 dua4 食飯 sia2 bue5，番薯 horng1 sy2 好食。阿兄 a1 hia1 講：「頭毛 tao2 mung2 長了。」" * 3
)[:200]
# About 200 letters of romanization without spaces or tones, the worst case for segmentation.
QUERY = ("gingduasiamuehorngsyahiataomung" * 7)[:200]


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    runs: int


@dataclass(frozen=True)
class RomanizationBench:
    convert_200_chars: Timing
    segment_200_chars: Timing
    hybrid_with_romanized: Timing
    hybrid_without_romanized: Timing
    romanized_lookup: Timing
    questions: int

    @property
    def romanized_adds_ms(self) -> float:
        return round(self.hybrid_with_romanized.p50_ms - self.hybrid_without_romanized.p50_ms, 2)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "romanized_adds_p50_ms": self.romanized_adds_ms}

    def table(self) -> str:
        rows = [
            ("convert 200 characters (PSP → BUC, IPA)", self.convert_200_chars),
            ("segment a 200-letter query", self.segment_200_chars),
            ("hybrid retrieval, four retrievers", self.hybrid_with_romanized),
            ("hybrid retrieval, without the romanized one", self.hybrid_without_romanized),
            ("romanized lookup alone", self.romanized_lookup),
        ]
        lines = ["| what | p50 ms | p95 ms | runs |", "|---|---|---|---|"]
        lines += [f"| {name} | {t.p50_ms:.2f} | {t.p95_ms:.2f} | {t.runs} |" for name, t in rows]
        adds = self.romanized_adds_ms
        lines.append(f"\nthe romanized retriever adds {adds:.2f} ms p50 over {self.questions} questions")
        return "\n".join(lines)


def _time(action: Callable[[], object], runs: int, label: str) -> Timing:
    action()  # first-call costs (tables built, dictionaries loaded) are not latency
    times = []
    for _ in tqdm(range(runs), desc=label, unit="run", leave=False):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return Timing(round(statistics.median(times), 3), round(percentile(times, 0.95), 3), runs)


def _retrieval(questions: list[str], retrieve: Callable[[str], object], label: str) -> Timing:
    for question in questions[:5]:
        retrieve(question)
    times = []
    for question in tqdm(questions, desc=label, unit="question", leave=False):
        started = time.perf_counter()
        retrieve(question)
        times.append((time.perf_counter() - started) * 1000)
    return Timing(round(statistics.median(times), 2), round(percentile(times, 0.95), 2), len(times))


def run_romanization_bench(settings: Settings, runs: int = 500) -> RomanizationBench:
    convert_timing = _time(lambda: convert(TEXT), runs, "convert")
    segment_timing = _time(lambda: read_romanized(QUERY), runs, "segment")
    knowledge = open_knowledge(settings, load_embedder(settings), show_progress=True)
    try:
        retriever = knowledge.retriever
        questions = [q.question for q in load_questions(*default_question_files(settings.knowledge_dir))]
        weights = retriever.weights
        with_romanized = _retrieval(questions, lambda q: retriever.retrieve(q, 5), "hybrid")
        retriever.weights = RetrievalWeights(**{**asdict(weights), "romanized": 0.0})  # turns it off
        without = _retrieval(questions, lambda q: retriever.retrieve(q, 5), "hybrid without")
        retriever.weights = weights
        lookup = _retrieval(questions, lambda q: knowledge.base.search_romanized(q, 30), "romanized")
    finally:
        knowledge.database.dispose()
    return RomanizationBench(convert_timing, segment_timing, with_romanized, without, lookup, len(questions))


def format_report(report: RomanizationBench, as_json: bool) -> str:
    return json.dumps(report.as_dict(), indent=2) if as_json else report.table()
