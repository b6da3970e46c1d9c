"""`puxian eval refusals`: the refusal decision (`refusal.py`) on the question set, without the model.

Retrieval and cards only, so it runs in about a minute: the decision for every question, refusal
recall and false-refusal rate per split and per kind of unanswerable question, and which signal
refused each. With `--calibrate`, the best-dense threshold (`PUXIAN_MIN_RELEVANCE`) is chosen on
the dev split — the highest refusal recall whose false-refusal rate stays within the bound — and
only then measured on test, which plays no part in the choice. Among thresholds of equal recall
the highest is kept: a refusal costs a learner less than a wrong answer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from tqdm import tqdm

from app.chat.cards import CardFinder
from app.chat.intent import word_question
from app.chat.refusal import RefusalDecision, decide
from app.knowledge.evaluation import Question
from app.knowledge.retriever import RetrievalResult, Retriever

DEV, TEST = "dev", "test"
# Candidate best-dense thresholds for --calibrate, and the false-refusal bound on dev.
THRESHOLDS = tuple(round(0.80 + 0.01 * step, 2) for step in range(13))
MAX_FALSE_REFUSALS = 0.02


@dataclass
class SplitReport:
    split: str
    unanswerable: int
    refused: int
    answerable: int
    falsely_refused: int
    refusal_recall: float
    false_refusal_rate: float
    recall_by_kind: dict[str, float]
    reasons: dict[str, int]  # which signal refused, over the refused questions
    missed: list[str] = field(default_factory=list)  # unanswerable, answered
    false_refusals: list[str] = field(default_factory=list)


@dataclass
class RefusalReport:
    min_relevance: float
    calibrated: bool
    splits: list[SplitReport]
    sweep: list[tuple[float, float, float]] = field(default_factory=list)  # dev: threshold, recall, false

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def table(self) -> str:
        lines = []
        if self.sweep:
            lines.append("dev sweep of the best-dense threshold (refusal recall / false refusals):")
            lines += [f"  {t:.2f}: {recall:.3f} / {false:.3f}" for t, recall, false in self.sweep]
        how = "calibrated on dev" if self.calibrated else "as configured"
        lines.append(f"min_relevance {self.min_relevance:.2f} ({how})")
        lines.append("| split | refusal recall | false refusals | by kind | refused by |")
        lines.append("|---|---|---|---|---|")
        for s in self.splits:
            kinds = ", ".join(f"{kind} {value:.2f}" for kind, value in s.recall_by_kind.items())
            reasons = ", ".join(f"{reason} {count}" for reason, count in s.reasons.items())
            lines.append(
                f"| {s.split} | {s.refused}/{s.unanswerable} = {s.refusal_recall:.3f} | "
                f"{s.falsely_refused}/{s.answerable} = {s.false_refusal_rate:.3f} | {kinds} | {reasons} |"
            )
        for s in self.splits:
            if s.false_refusals:
                lines.append(f"{s.split} false refusals: " + "; ".join(s.false_refusals))
            if s.missed:
                lines.append(f"{s.split} answered, unanswerable: " + "; ".join(s.missed))
        return "\n".join(lines)


@dataclass(frozen=True)
class _Seen:
    """What the decision needs of one question, computed once for every threshold."""

    question: Question
    retrieval: RetrievalResult
    cards: int


def evaluate_refusals(
    retriever: Retriever, questions: Sequence[Question], min_relevance: float, calibrate: bool
) -> RefusalReport:
    finder = CardFinder(retriever.knowledge)
    seen = []
    for question in tqdm(questions, desc="retrieving", unit="question"):
        retrieval = retriever.retrieve(question.question, 5)
        cards, _ = finder.find(word_question(question.question), retrieval)
        seen.append(_Seen(question, retrieval, len(cards)))
    sweep: list[tuple[float, float, float]] = []
    if calibrate:
        dev = [s for s in seen if s.question.split == DEV]
        for threshold in THRESHOLDS:
            report = _split(DEV, dev, threshold)
            sweep.append((threshold, report.refusal_recall, report.false_refusal_rate))
        allowed = [row for row in sweep if row[2] <= MAX_FALSE_REFUSALS]
        # The highest recall within the bound; among equals the highest threshold: a refusal costs
        # a learner less than a wrong answer.
        min_relevance = max(allowed, key=lambda row: (row[1], row[0]))[0] if allowed else min_relevance
    splits = [
        _split(name, [s for s in seen if s.question.split == name], min_relevance) for name in (DEV, TEST)
    ]
    return RefusalReport(
        min_relevance, calibrate, [s for s in splits if s.unanswerable + s.answerable], sweep
    )


def _decision(seen: _Seen, min_relevance: float) -> RefusalDecision:
    question = seen.question.question
    return decide(question, word_question(question), seen.cards, seen.retrieval, min_relevance)


def _split(name: str, seen: Sequence[_Seen], min_relevance: float) -> SplitReport:
    decisions = [(s.question, _decision(s, min_relevance)) for s in seen]
    unanswerable = [(q, d) for q, d in decisions if not q.answerable]
    answerable = [(q, d) for q, d in decisions if q.answerable]
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for question, decision in unanswerable:
        by_kind[question.kind or "unspecified"].append(decision.refuse)
    refused = sum(d.refuse for _, d in unanswerable)
    falsely = sum(d.refuse for _, d in answerable)
    return SplitReport(
        split=name,
        unanswerable=len(unanswerable),
        refused=refused,
        answerable=len(answerable),
        falsely_refused=falsely,
        refusal_recall=round(refused / len(unanswerable), 4) if unanswerable else 0.0,
        false_refusal_rate=round(falsely / len(answerable), 4) if answerable else 0.0,
        recall_by_kind={k: round(sum(v) / len(v), 3) for k, v in sorted(by_kind.items())},
        reasons=dict(Counter(d.reason for _, d in decisions if d.refuse).most_common()),
        missed=[f"{q.id} {q.question}" for q, d in unanswerable if not d.refuse],
        false_refusals=[f"{q.id} {q.question} ({d.reason})" for q, d in answerable if d.refuse],
    )
