"""`puxian eval answers`: answer-level evaluation through the real RAGService and engine.

Each question of the set (`knowledge/eval/questions.jsonl`, with its acceptable answer terms) is
answered as the API answers it, grounding check and fallbacks included, and scored:

- accuracy: answerable questions whose answer contains an acceptable term (and does not refuse);
- grounded rate: checked answers that passed the grounding check (after any fallback); an answer
  shown ungrounded is counted apart, since the goal is none;
- refusal recall: unanswerable questions refused; and refused or corrected: a false premise's
  answer that states the fact correcting it (莆仙话为什么没有声调？ → …有七个声调) counts as
  handled; false-refusal rate: answerable questions refused;
- time to the first text a reader sees when the answer is streamed (the card's statement or the
  quoted sentence goes out before the model starts; otherwise the model's first token), the
  model's first token (after retrieval) apart, and the whole answer, p50 and p95; a refusal's
  whole time for all three.

Reported overall, per category, for the English questions as a group of their own, and per kind
of unanswerable question, for one engine per run.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from tqdm import tqdm

from app.chat.answer_scoring import is_correct, is_refusal
from app.chat.service import RAGAnswer, RAGService
from app.core.stats import percentile
from app.knowledge.evaluation import Question

ENGLISH = "english"  # the group of the questions asked in English
ALL = "all"


@dataclass(frozen=True)
class Outcome:
    """One question's answer, scored."""

    id: str
    question: str
    category: str
    answerable: bool
    refused: bool
    correct: bool  # answerable: a right answer; unanswerable: refused, or its false premise corrected
    grounded: bool | None
    fallback: str
    ttft_s: float  # the first text a reader sees when streamed (an opening is sent before the model starts)
    model_ttft_s: float  # retrieval and the model's first token
    total_s: float
    answer: str


@dataclass
class GroupReport:
    questions: int
    answerable: int
    unanswerable: int
    accuracy: float | None  # right answers / answerable questions
    grounded_rate: float | None  # passed checks / checked answers
    ungrounded_shown: int  # answers shown although they failed the check
    refusal_recall: float | None  # refused / unanswerable
    handled_rate: float | None  # refused, or a false premise corrected / unanswerable
    false_refusal_rate: float | None  # refused / answerable
    fallbacks: dict[str, int]
    ttft_p50_s: float
    ttft_p95_s: float
    model_ttft_p50_s: float
    total_p50_s: float
    total_p95_s: float


@dataclass
class AnswerReport:
    engine: str
    split: str
    groups: dict[str, GroupReport]  # "all", each category, "english", "unanswerable: <kind>"
    wrong: list[str] = field(default_factory=list)  # "id: question → answer" of each miss
    outcomes: list[Outcome] = field(default_factory=list)

    def as_dict(self, with_outcomes: bool = False) -> dict[str, Any]:
        report = asdict(self)
        if not with_outcomes:
            report.pop("outcomes")
        return report

    def table(self) -> str:
        lines = [
            f"engine {self.engine}, split {self.split}",
            "| group | n | accuracy | grounded | ungrounded shown | refusal recall | refused or corrected | "
            "false refusals | first text p50/p95 s | model's first token p50 s | answer p50/p95 s |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, g in self.groups.items():
            lines.append(
                f"| {name} | {g.questions} | {_fraction(g.accuracy)} | {_fraction(g.grounded_rate)} | "
                f"{g.ungrounded_shown} | {_fraction(g.refusal_recall)} | {_fraction(g.handled_rate)} | "
                f"{_fraction(g.false_refusal_rate)} | "
                f"{g.ttft_p50_s:.2f} / {g.ttft_p95_s:.2f} | {g.model_ttft_p50_s:.2f} | "
                f"{g.total_p50_s:.2f} / {g.total_p95_s:.2f} |"
            )
        fallbacks = self.groups[ALL].fallbacks
        if fallbacks:
            lines.append("fallbacks: " + ", ".join(f"{name} {count}" for name, count in fallbacks.items()))
        if self.wrong:
            lines.append(f"wrong ({len(self.wrong)}):")
            lines.extend(f"  {line}" for line in self.wrong)
        return "\n".join(lines)


def select(questions: Iterable[Question], split: str, categories: Sequence[str] = ()) -> list[Question]:
    """The questions with acceptable terms or none to find (unanswerable) of a split ("all": both)."""
    chosen = [q for q in questions if q.accept or not q.answerable]  # the romanized queries have none
    if split != ALL:
        chosen = [q for q in chosen if q.split == split]
    if categories:
        chosen = [q for q in chosen if q.category in categories or (ENGLISH in categories and q.lang == "en")]
    return chosen


def evaluate_answers(rag: RAGService, questions: Sequence[Question], split: str) -> AnswerReport:
    """Answer every question on the current default engine (blocking: seconds per question)."""
    engine = rag.engines.default_name
    outcomes = [
        score(question, rag.answer(question.question))
        for question in tqdm(questions, desc=f"answering on {engine}", unit="question")
    ]
    return report_of(engine, split, questions, outcomes)


def score(question: Question, answer: RAGAnswer) -> Outcome:
    timings = answer.timings
    total = timings.get("total_ms", 0.0) / 1000
    model_first = timings.get("ttft_ms")
    model_ttft = (timings.get("retrieval_ms", 0.0) + model_first) / 1000 if model_first else total
    ttft = timings["first_text_ms"] / 1000 if "first_text_ms" in timings else model_ttft
    refused = is_refusal(answer.answer)
    if question.answerable:
        correct = is_correct(answer.answer, question.accept, question.accept_all)
    else:
        correct = refused or is_correct(answer.answer, question.correction)
    return Outcome(
        question.id, question.question, question.category, question.answerable, refused, correct,
        answer.grounded, answer.fallback, round(ttft, 3), round(model_ttft, 3), round(total, 3),
        answer.answer,
    )  # fmt: skip


def report_of(
    engine: str, split: str, questions: Sequence[Question], outcomes: Sequence[Outcome]
) -> AnswerReport:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for question, outcome in zip(questions, outcomes, strict=True):
        groups[ALL].append(outcome)
        groups[question.category].append(outcome)
        if question.lang == "en":
            groups[ENGLISH].append(outcome)
        if not question.answerable:
            groups[f"unanswerable: {question.kind or 'unspecified'}"].append(outcome)
    ordered = {ALL: groups.pop(ALL), **dict(sorted(groups.items()))}
    wrong = [
        f"{o.id} [{o.category}] {o.question} → {o.answer[:80]!r}"
        + ("" if o.grounded is not False else " (ungrounded)")
        for o in outcomes
        if not o.correct or o.grounded is False
    ]
    return AnswerReport(
        engine, split, {name: _group(members) for name, members in ordered.items()}, wrong, list(outcomes)
    )


def _group(outcomes: Sequence[Outcome]) -> GroupReport:
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    checked = [o for o in outcomes if o.grounded is not None]
    fallbacks: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        if outcome.fallback:
            fallbacks[outcome.fallback] += 1
    ttfts = [o.ttft_s for o in outcomes]
    totals = [o.total_s for o in outcomes]
    return GroupReport(
        questions=len(outcomes),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        accuracy=_share(answerable, lambda o: o.correct),
        grounded_rate=_share(checked, lambda o: bool(o.grounded)),
        ungrounded_shown=sum(1 for o in outcomes if o.grounded is False),
        refusal_recall=_share(unanswerable, lambda o: o.refused),
        handled_rate=_share(unanswerable, lambda o: o.correct),
        false_refusal_rate=_share(answerable, lambda o: o.refused),
        fallbacks=dict(sorted(fallbacks.items())),
        ttft_p50_s=round(statistics.median(ttfts), 3),
        ttft_p95_s=round(percentile(ttfts, 0.95), 3),
        model_ttft_p50_s=round(statistics.median(o.model_ttft_s for o in outcomes), 3),
        total_p50_s=round(statistics.median(totals), 3),
        total_p95_s=round(percentile(totals, 0.95), 3),
    )


def _share(outcomes: Sequence[Outcome], test: Any) -> float | None:
    if not outcomes:
        return None
    return round(sum(1 for o in outcomes if test(o)) / len(outcomes), 4)


def _fraction(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def dump(report: AnswerReport, with_outcomes: bool) -> str:
    return json.dumps(report.as_dict(with_outcomes), ensure_ascii=False, indent=2)
