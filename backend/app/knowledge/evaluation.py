"""Retrieval evaluation: recall@1, recall@5, MRR and latency per retrieval mode, and the no-answer gate.

The question sets (`knowledge/eval/*.jsonl`: the questions, and the romanized queries generated
from the lexicon and written by hand) name the documents (whole prose documents) or chunks
(single lexicon entries, `doc#entry`) that answer them; unanswerable ones name none.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.core.stats import percentile
from app.knowledge.chunking import Chunk
from app.knowledge.retriever import MODES, Mode, Retriever, is_answerable

DEPTH = 10  # MRR looks this deep
MISSES_SHOWN = 25
ROMANIZED = "romanized"  # the category of the romanized queries


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    category: str
    relevant: tuple[str, ...]
    variant: str = ""  # romanized queries: how the word was typed (toneless, buc, ...)
    # For the answer evaluation (chat/answer_eval.py): terms a right answer contains (any one, or
    # all with accept_all), the split (dev: tune on it; test: report only), the language asked in
    # (en, or "" for Chinese), and for an unanswerable question why (out_of_scope, false_premise,
    # absent); a false premise's `correction`: terms of the fact that corrects it (an answer stating
    # it handles the question as well as a refusal).
    accept: tuple[str, ...] = ()
    accept_all: bool = False
    split: str = ""
    lang: str = ""
    kind: str = ""
    correction: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return bool(self.relevant)


@dataclass
class ModeReport:
    mode: str
    questions: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    latency_p50_ms: float
    latency_p95_ms: float
    recall_at_5_by_category: dict[str, float] = field(default_factory=dict)
    recall_at_1_by_category: dict[str, float] = field(default_factory=dict)
    # The romanized queries and the other questions apart: {set: [recall@1, recall@5, count]}.
    recall_by_set: dict[str, list[float]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # question ids not found in the top 5


@dataclass
class GateReport:
    """How the no-answer decision (hybrid retrieval) fares on both kinds of question."""

    unanswerable: int
    correctly_refused: int
    answerable: int
    wrongly_refused: int
    wrongly_refused_ids: list[str] = field(default_factory=list)
    wrongly_answered_ids: list[str] = field(default_factory=list)


@dataclass
class EvaluationReport:
    modes: list[ModeReport]
    gate: GateReport

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def table(self) -> str:
        lines = [
            "| mode | questions | recall@1 | recall@5 | MRR | p50 ms | p95 ms |",
            "|---|---|---|---|---|---|---|",
        ]
        for m in self.modes:
            lines.append(
                f"| {m.mode} | {m.questions} | {m.recall_at_1:.3f} | {m.recall_at_5:.3f} | {m.mrr:.3f} | "
                f"{m.latency_p50_ms:.1f} | {m.latency_p95_ms:.1f} |"
            )
        g = self.gate
        lines.append("")
        lines.append(
            f"retrieval's no-answer signal alone: refused {g.correctly_refused}/{g.unanswerable} unanswerable "
            f"questions, wrongly refused {g.wrongly_refused}/{g.answerable} answerable ones "
            "(the whole decision: puxian eval refusals)"
        )
        for m in self.modes:
            by_category = ", ".join(
                f"{c} {m.recall_at_1_by_category[c]:.2f}/{r:.2f}" for c, r in sorted(m.recall_at_5_by_category.items())
            )
            lines.append(f"{m.mode} recall@1/recall@5 by category: {by_category}")
            by_set = ", ".join(f"{name} ({int(n)}) {r1:.3f}/{r5:.3f}" for name, (r1, r5, n) in m.recall_by_set.items())
            lines.append(f"{m.mode} recall@1/recall@5 by question set: {by_set}")
            if m.misses:
                shown = " ".join(m.misses[:MISSES_SHOWN])
                more = f" … and {len(m.misses) - MISSES_SHOWN} more" if len(m.misses) > MISSES_SHOWN else ""
                lines.append(f"{m.mode} misses (not in top 5): {shown}{more}")
        return "\n".join(lines)


def default_question_files(knowledge_dir: Path) -> list[Path]:
    """Every question set of the knowledge base (`knowledge/eval/*.jsonl`)."""
    return sorted((knowledge_dir / "eval").glob("*.jsonl"))


def load_questions(*paths: Path) -> list[Question]:
    questions = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                values = json.loads(line)
                questions.append(
                    Question(
                        values["id"], values["question"], values["category"], tuple(values["relevant"]),
                        values.get("variant", ""), tuple(values.get("accept", ())),
                        bool(values.get("accept_all", False)), values.get("split", ""),
                        values.get("lang", ""), values.get("kind", ""), tuple(values.get("correction", ())),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a question object ({exc})") from exc
    return questions


def is_relevant(chunk: Chunk, relevant: Sequence[str]) -> bool:
    return chunk.doc_id in relevant or chunk.id in relevant


def evaluate(
    retriever: Retriever, questions: Sequence[Question], min_relevance: float, modes: Sequence[Mode] = MODES
) -> EvaluationReport:
    """Run every question through every mode, and every question through the no-answer gate."""
    retriever.retrieve("预热", 1)  # first-call costs (tokenizer dictionaries) are not latency
    answerable = [q for q in questions if q.answerable]
    reports = [_evaluate_mode(retriever, answerable, mode) for mode in modes]
    return EvaluationReport(reports, _evaluate_gate(retriever, questions, min_relevance))


def _evaluate_mode(retriever: Retriever, questions: Sequence[Question], mode: Mode) -> ModeReport:
    ranks: list[int | None] = []
    latencies: list[float] = []
    for question in questions:
        started = time.perf_counter()
        result = retriever.retrieve(question.question, DEPTH, mode)
        latencies.append((time.perf_counter() - started) * 1000)
        ranks.append(
            next((hit.rank for hit in result.hits if is_relevant(hit.chunk, question.relevant)), None)
        )
    by_category: dict[str, list[int | None]] = defaultdict(list)
    for question, rank in zip(questions, ranks, strict=True):
        by_category[question.category].append(rank)
    count = len(questions)
    return ModeReport(
        mode=mode,
        questions=count,
        recall_at_1=sum(1 for r in ranks if r == 1) / count,
        recall_at_5=sum(1 for r in ranks if r is not None and r <= 5) / count,
        mrr=sum(1 / r for r in ranks if r is not None) / count,
        latency_p50_ms=round(statistics.median(latencies), 2),
        latency_p95_ms=round(percentile(latencies, 0.95), 2),
        recall_at_5_by_category={c: _recall(v, 5) for c, v in by_category.items()},
        recall_at_1_by_category={c: _recall(v, 1) for c, v in by_category.items()},
        recall_by_set=_recall_by_set(questions, ranks),
        misses=[q.id for q, r in zip(questions, ranks, strict=True) if r is None or r > 5],
    )


def _recall_by_set(questions: Sequence[Question], ranks: list[int | None]) -> dict[str, list[float]]:
    sets: dict[str, list[int | None]] = defaultdict(list)
    for question, rank in zip(questions, ranks, strict=True):
        sets["romanized queries" if question.category == ROMANIZED else "questions"].append(rank)
    return {name: [_recall(r, 1), _recall(r, 5), len(r)] for name, r in sorted(sets.items())}


def _recall(ranks: list[int | None], depth: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= depth) / len(ranks)


def _evaluate_gate(retriever: Retriever, questions: Sequence[Question], min_relevance: float) -> GateReport:
    refused = {
        q.id: not is_answerable(retriever.retrieve(q.question, 5, "hybrid"), min_relevance) for q in questions
    }
    unanswerable = [q for q in questions if not q.answerable]
    answerable = [q for q in questions if q.answerable]
    return GateReport(
        unanswerable=len(unanswerable),
        correctly_refused=sum(refused[q.id] for q in unanswerable),
        answerable=len(answerable),
        wrongly_refused=sum(refused[q.id] for q in answerable),
        wrongly_refused_ids=[q.id for q in answerable if refused[q.id]],
        wrongly_answered_ids=[q.id for q in unanswerable if not refused[q.id]],
    )

