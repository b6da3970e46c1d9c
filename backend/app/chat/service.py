"""`RAGService`: retrieve passages, build the prompt, ask an engine, return answer and sources."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.chat.citations import attach_citations
from app.chat.followup import standalone_question
from app.chat.history import Turn, fit_history
from app.chat.input_reading import InputReading, question_for_model, read_input
from app.chat.prompting import NO_ANSWER, BuiltPrompt, Passage, PromptBuilder
from app.engines.manager import EngineManager
from app.knowledge.retriever import RetrievalHit, RetrievalResult, Retriever, is_answerable
from inference_engine import BaseInferenceEngine, GenerationResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceRef:
    """A passage shown to the model; `number` is the [n] the answer cites it by."""

    number: int
    id: str
    doc_id: str
    title: str
    section: str
    text: str
    score: float
    # Which retrievers found the passage: {"dense": {"rank": 1, "score": 0.93}, ...}
    found_by: dict[str, dict[str, float]] = field(default_factory=dict)
    # A lexicon entry's PSP, BUC and IPA, citation and connected (knowledge/pronunciation.py).
    pronunciations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RAGAnswer:
    answer: str
    sources: list[SourceRef]
    timings: dict[str, float]
    usage: dict[str, int] = field(default_factory=dict)
    finish_reason: str = "stop"
    engine: str = ""
    reading: InputReading | None = None  # how a romanized question was read (its sentence opens the answer)


@dataclass(frozen=True)
class PreparedAnswer:
    """Everything before generation: the passages and the prompt (None: the knowledge base lacks it)."""

    question: str
    # The question made standalone from the conversation (a follow-up's subject put into the
    # previous question); retrieval and the prompt use it.
    query: str
    sources: list[SourceRef]
    prompt: BuiltPrompt | None
    retrieval_ms: float
    reading: InputReading | None = None

    @property
    def opening(self) -> str:
        """What the answer starts with before the model's text: how romanized input was read."""
        return f"{self.reading.sentence()}\n\n" if self.reading is not None else ""


class RAGService:
    def __init__(
        self,
        retriever: Retriever,
        engines: EngineManager,
        prompts: PromptBuilder,
        top_k: int,
        min_relevance: float = 0.0,
        history_max_tokens: int = 0,
        history_max_turns: int = 0,
        history_with_answers: bool = False,
    ) -> None:
        self.retriever = retriever
        self.engines = engines
        self.prompts = prompts
        self.top_k = top_k
        # Without an exact headword match and with the best dense score below this, the knowledge
        # base is taken not to hold the answer: the fixed no-answer reply is given without asking
        # the model (which would invent one).
        self.min_relevance = min_relevance
        self.history_max_tokens = history_max_tokens
        self.history_max_turns = history_max_turns
        # Earlier answers in the prompt: off for the 0.5B default, which copies them (docs/streaming.md).
        self.history_with_answers = history_with_answers

    @property
    def engine(self) -> BaseInferenceEngine:
        """The current default engine. Prefer `engines.lease()`: a switch may unload this one under you."""
        return self.engines.default_engine()

    def answer(
        self, question: str, top_k: int | None = None, engine: str | None = None, history: Sequence[Turn] = ()
    ) -> RAGAnswer:
        """Answer one question from the knowledge base (blocking: seconds on a CPU).

        `engine` names a ready engine (None: the default); `history` holds the conversation's earlier
        turns, oldest first.
        """
        started = time.perf_counter()
        with self.engines.lease(engine) as lease:
            prepared = self.prepare(question, top_k, history)
            if prepared.prompt is None:
                return self.no_answer(prepared, started)
            prompt = prepared.prompt
            result = lease.engine.generate(prompt.messages, response_prefix=prompt.response_prefix)
        timings = {
            "retrieval_ms": prepared.retrieval_ms,
            "ttft_ms": round(result["ttft"] * 1000, 1),
            "generation_ms": round(result["latency"] * 1000, 1),
            "total_ms": _ms_since(started),
            "tokens_per_s": round(result["throughput"], 2),
        }
        log.info(
            "answered in %.0f ms (retrieval %.0f ms, %d prompt + %d completion tokens)",
            timings["total_ms"],
            prepared.retrieval_ms,
            result["prompt_tokens"],
            result["completion_tokens"],
        )
        return RAGAnswer(
            answer=self.final_text(prepared, result["text"]),
            sources=prepared.sources,
            timings=timings,
            usage=usage_of(result),
            finish_reason=result["finish_reason"],
            engine=lease.name,
            reading=prepared.reading,
        )

    def prepare(
        self, question: str, top_k: int | None = None, history: Sequence[Turn] = ()
    ) -> PreparedAnswer:
        """Retrieve for the (standalone) question and build the prompt; blocking, milliseconds."""
        started = time.perf_counter()
        query = standalone_question(
            question, [turn.question for turn in history], self.retriever.headword_terms
        )
        if query != question:
            log.info("follow-up %r retrieved as %r", question, query)
        retrieval = self.retriever.retrieve(query, top_k or self.top_k)
        retrieval_ms = _ms_since(started)
        sources = [_source_ref(number, hit) for number, hit in enumerate(retrieval.hits, start=1)]
        if not is_answerable(retrieval, self.min_relevance):
            log.info(
                "nothing relevant (best dense %.3f, no headword match); answering that none was found",
                retrieval.best_dense,
            )
            return PreparedAnswer(question, query, [], None, retrieval_ms)
        answered = [turn for turn in history if turn.answer.strip()]
        with_answers = self.history_with_answers
        turns = fit_history(answered, self.history_max_tokens, self.history_max_turns, with_answers)
        passages = [Passage(s.number, _heading(s), s.text) for s in sources]
        reading = self._input_reading(retrieval)
        asked = question_for_model(query, reading) if reading is not None else query
        prompt = self.prompts.build(asked, passages, turns, with_answers)
        return PreparedAnswer(question, query, sources, prompt, retrieval_ms, reading)

    def _input_reading(self, retrieval: RetrievalResult) -> InputReading | None:
        words = retrieval.romanized.words
        if len(words) != 1:
            return None
        rows = retrieval.romanized.word_rows()
        return read_input(words, rows, self.retriever.knowledge.chunks(rows))

    def no_answer(self, prepared: PreparedAnswer, started: float) -> RAGAnswer:
        """The fixed reply for a question the knowledge base cannot answer; the model is not asked."""
        return RAGAnswer(
            NO_ANSWER, [], {"retrieval_ms": prepared.retrieval_ms, "total_ms": _ms_since(started)}
        )

    def final_text(self, prepared: PreparedAnswer, text: str) -> str:
        """The model's text with a citation marker added when it cites nothing, after the opening."""
        passages = [(s.number, f"{_heading(s)} {s.text}") for s in prepared.sources]
        return prepared.opening + attach_citations(text.strip(), prepared.query, passages)


def usage_of(result: GenerationResult) -> dict[str, int]:
    return {"prompt_tokens": result["prompt_tokens"], "completion_tokens": result["completion_tokens"]}


def _source_ref(number: int, hit: RetrievalHit) -> SourceRef:
    chunk = hit.chunk
    found_by = {name: {"rank": f.rank, "score": round(f.score, 4)} for name, f in hit.found_by.items()}
    return SourceRef(
        number,
        chunk.id,
        chunk.doc_id,
        chunk.title,
        chunk.section,
        chunk.text,
        round(hit.score, 4),
        found_by,
        dict(chunk.metadata.get("pronunciations") or {}),
    )


def _heading(source: SourceRef) -> str:
    return f"{source.title}·{source.section}" if source.section else source.title


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
