"""`RAGService`: retrieve passages, find word cards, build the prompt, ask an engine, check the
answer against what it cites, and return it with its sources.

Every answer is either grounded or replaced (`answer_check.py`): a word question's answer starts
with its card's statement, which the model only continues; an answer that states a word, a
romanization or a number its passages lack is written again with a stricter prompt, and failing
that, replaced by the card's statement or the best passage's own sentence.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from app.chat.answer_check import (
    CARD,
    EXTRACTIVE,
    REGENERATED,
    TRUNCATED,
    LinkedTerm,
    evidence_for,
    extractive_answer,
    link_terms,
)
from app.chat.card_answer import card_statement
from app.chat.cards import CardFinder, WordCard
from app.chat.citations import attach_citations
from app.chat.followup import standalone_question
from app.chat.grounding import Evidence, check_grounding
from app.chat.grounding_gate import GroundingGate
from app.chat.history import Turn, fit_history
from app.chat.input_reading import InputReading, question_for_model, read_input
from app.chat.intent import word_question
from app.chat.prompting import BuiltPrompt, Passage, PromptBuilder, no_answer_text
from app.chat.refusal import decide
from app.chat.sources import SourceRef, answer_sources
from app.engines.manager import EngineManager
from app.knowledge.retriever import RetrievalResult, Retriever
from app.knowledge.text_norm import is_english
from inference_engine import BaseInferenceEngine, GenerationResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RAGAnswer:
    answer: str
    sources: list[SourceRef]
    timings: dict[str, float]
    usage: dict[str, int] = field(default_factory=dict)
    finish_reason: str = "stop"
    engine: str = ""
    reading: InputReading | None = None  # how a romanized question was read (its sentence opens the answer)
    cards: list[WordCard] = field(default_factory=list)  # the lexicon entries a word question is answered by
    terms: list[LinkedTerm] = field(default_factory=list)  # the Puxian words it presents
    grounded: bool | None = None  # None: not checked (a refusal, a partial answer)
    fallback: str = ""  # "", regenerated, card, extractive or truncated (answer_check.py)


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
    cards: list[WordCard] = field(default_factory=list)
    english: bool = False
    strict_prompt: BuiltPrompt | None = None  # the second try after a failed grounding check
    evidence: Evidence = field(default_factory=lambda: Evidence({}))
    statement: str = ""  # the cards' statement, the answer's first sentence
    quote: str = ""  # without cards: the best passage's sentence the answer opens with

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
        grounding_check: bool = True,
        quote_first: bool = True,
    ) -> None:
        self.retriever = retriever
        self.engines = engines
        self.prompts = prompts
        self.top_k = top_k
        self.cards = CardFinder(retriever.knowledge)
        # Without an exact headword match and with the best dense score below this, the knowledge
        # base is taken not to hold the answer: the fixed no-answer reply is given without asking
        # the model (which would invent one).
        self.min_relevance = min_relevance
        self.history_max_tokens = history_max_tokens
        self.history_max_turns = history_max_turns
        # Earlier answers in the prompt: off for the 0.5B default, which copies them (docs/streaming.md).
        self.history_with_answers = history_with_answers
        # Off: answers are shown as written (still marked grounded or not), to measure the model alone.
        self.grounding_check = grounding_check
        # An answer without a word card opens with the best passage's sentence (docs/answers.md).
        self.quote_first = quote_first

    @property
    def engine(self) -> BaseInferenceEngine:
        """The current default engine. Prefer `engines.lease()`: a switch may unload this one under you."""
        return self.engines.default_engine()

    def answer(
        self,
        question: str,
        top_k: int | None = None,
        engine: str | None = None,
        history: Sequence[Turn] = (),
        owner: int | None = None,
        abort: threading.Event | None = None,
    ) -> RAGAnswer:
        """Answer one question from the knowledge base (blocking: seconds on a CPU).

        `engine` names a ready engine (None: the default); `history` holds the conversation's earlier
        turns, oldest first; `owner` the asking user, held to the per-user limits (engines/admission.py).
        Setting `abort` (the client went away) stops the model: `GenerationAborted` is raised.
        """
        started = time.perf_counter()
        with self.engines.lease(engine, owner) as lease:
            prepared = self.prepare(question, top_k, history)
            if prepared.prompt is None:
                return self.no_answer(prepared, started)
            result = lease.engine.generate(prepared.prompt.messages, abort=abort, **prepared.prompt.overrides)
            answer = self.checked_answer(prepared, result, lease.engine, abort)
        ttft_ms = round(result["ttft"] * 1000, 1)
        timings = {
            "retrieval_ms": prepared.retrieval_ms,
            "ttft_ms": ttft_ms,
            # When streamed, the card's statement or the quoted sentence is sent before the model
            # starts: the first text a reader sees.
            "first_text_ms": prepared.retrieval_ms + (0 if prepared.statement or prepared.quote else ttft_ms),
            "generation_ms": round(result["latency"] * 1000, 1),
            "total_ms": _ms_since(started),
            "tokens_per_s": round(result["throughput"], 2),
        }
        log.info(
            "answered in %.0f ms (retrieval %.0f ms, %d prompt + %d completion tokens, %s)",
            timings["total_ms"],
            prepared.retrieval_ms,
            result["prompt_tokens"],
            result["completion_tokens"],
            "grounded" if answer.grounded else f"fallback {answer.fallback}",
        )
        return replace(answer, timings=timings, engine=lease.name)

    def checked_answer(
        self,
        prepared: PreparedAnswer,
        result: GenerationResult,
        engine: BaseInferenceEngine,
        abort: threading.Event | None = None,
    ) -> RAGAnswer:
        """The model's answer if it passes the grounding check; else a second try with the strict
        prompt; else the card's statement or the best passage's sentence (blocking)."""
        text = self.final_text(prepared, result["text"])
        fallback = ""
        if self.grounding_check and not self.grounded(prepared, text) and prepared.strict_prompt is not None:
            log.info("the answer failed its grounding check; asking again with the strict prompt")
            second = engine.generate(
                prepared.strict_prompt.messages, abort=abort, **prepared.strict_prompt.overrides
            )
            text, fallback = self.final_text(prepared, second["text"]), REGENERATED
            if not self.grounded(prepared, text):
                text, fallback = self.replacement(prepared)
        return self.result(prepared, text, result, fallback)

    def after_failed_stream(
        self, prepared: PreparedAnswer, released: str, engine: BaseInferenceEngine
    ) -> tuple[str, str]:
        """(model text, fallback) of a streamed answer a clause of which failed the check (blocking):
        what was shown stands (truncated); if nothing was, as for a whole answer."""
        if released.strip():
            return released, TRUNCATED
        if prepared.strict_prompt is not None:
            second = engine.generate(prepared.strict_prompt.messages, **prepared.strict_prompt.overrides)
            if self.grounded(prepared, self.final_text(prepared, second["text"])):
                return second["text"], REGENERATED
        text, fallback = self.replacement(prepared)
        return text.removeprefix(prepared.opening), fallback

    def gate(self, prepared: PreparedAnswer) -> GroundingGate:
        """The gate a streamed answer passes through, clause by clause (open when the check is off)."""
        if not self.grounding_check:
            return GroundingGate(None)
        return GroundingGate(lambda text: self.grounded(prepared, self.final_text(prepared, text)))

    def grounded(self, prepared: PreparedAnswer, text: str) -> bool:
        """Whether an answer's words, romanizations and numbers are all in what it cites."""
        return check_grounding(text.removeprefix(prepared.opening), prepared.evidence).grounded

    def replacement(self, prepared: PreparedAnswer) -> tuple[str, str]:
        """(text, fallback) shown instead of an answer that failed twice."""
        if prepared.statement:
            return prepared.opening + prepared.statement, CARD
        return prepared.opening + extractive_answer(
            prepared.query, prepared.sources, prepared.english
        ), EXTRACTIVE

    def result(
        self, prepared: PreparedAnswer, text: str, result: GenerationResult | None, fallback: str
    ) -> RAGAnswer:
        return RAGAnswer(
            answer=text,
            sources=prepared.sources,
            timings={},
            usage=usage_of(result) if result is not None else {},
            finish_reason=result["finish_reason"] if result is not None else "stop",
            reading=prepared.reading,
            cards=prepared.cards,
            terms=link_terms(text, self.retriever.knowledge, prepared.evidence),
            grounded=self.grounded(prepared, text),
            fallback=fallback,
        )

    def prepare(
        self, question: str, top_k: int | None = None, history: Sequence[Turn] = ()
    ) -> PreparedAnswer:
        """Retrieve for the (standalone) question, find its word cards and build the prompts; blocking,
        milliseconds."""
        started = time.perf_counter()
        query = standalone_question(
            question, [turn.question for turn in history], self.retriever.headword_terms
        )
        if query != question:
            log.info("follow-up %r retrieved as %r", question, query)
        english = is_english(query)
        retrieval = self.retriever.retrieve(query, top_k or self.top_k)
        asked = word_question(query)
        cards, entries = self.cards.find(asked, retrieval)
        retrieval_ms = _ms_since(started)
        decision = decide(query, asked, len(cards), retrieval, self.min_relevance)
        if decision.refuse:
            log.info(
                "the knowledge base does not answer this (%s; best dense %.3f): the no-answer reply",
                decision.reason,
                retrieval.best_dense,
            )
            return PreparedAnswer(question, query, [], None, retrieval_ms, english=english)
        sources = answer_sources(retrieval.hits, entries, top_k or self.top_k)
        numbers = {source.id: source.number for source in sources}
        statement = card_statement(asked, cards, numbers)
        # Without a card, the answer opens with the passage's sentence that answers it, quoted: the
        # model explains it rather than restating the passage in words of its own (docs/answers.md).
        quote = "" if statement or not self.quote_first else extractive_answer(query, sources, english)
        reading = self._input_reading(retrieval)
        prompt, strict = self._prompts(query, sources, history, reading, english, statement or quote)
        return PreparedAnswer(
            question, query, sources, prompt, retrieval_ms, reading, cards, english, strict,
            evidence_for(sources, cards, asked), statement, quote,
        )  # fmt: skip

    def _prompts(
        self,
        query: str,
        sources: list[SourceRef],
        history: Sequence[Turn],
        reading: InputReading | None,
        english: bool,
        statement: str,
    ) -> tuple[BuiltPrompt, BuiltPrompt]:
        """The prompt, and the strict one for a second try."""
        answered = [turn for turn in history if turn.answer.strip()]
        with_answers = self.history_with_answers
        turns = fit_history(answered, self.history_max_tokens, self.history_max_turns, with_answers)
        passages = [Passage(s.number, s.heading, s.text) for s in sources]
        asked = question_for_model(query, reading) if reading is not None else query
        prompts = [
            self.prompts.build(
                asked, passages, turns, with_answers, english=english, opening=statement, strict=strict
            )
            for strict in (False, True)
        ]
        return prompts[0], prompts[1]

    def _input_reading(self, retrieval: RetrievalResult) -> InputReading | None:
        words = retrieval.romanized.words
        if len(words) != 1:
            return None
        rows = retrieval.romanized.word_rows()
        return read_input(words, rows, self.retriever.knowledge.chunks(rows))

    def no_answer(self, prepared: PreparedAnswer, started: float) -> RAGAnswer:
        """The fixed reply for a question the knowledge base cannot answer; the model is not asked."""
        return RAGAnswer(
            no_answer_text(prepared.english), [],
            {"retrieval_ms": prepared.retrieval_ms, "total_ms": _ms_since(started)},
        )  # fmt: skip

    def final_text(self, prepared: PreparedAnswer, text: str) -> str:
        """The model's text with a citation marker added when it cites nothing, after the opening."""
        passages = [(s.number, f"{s.heading} {s.text}") for s in prepared.sources]
        return prepared.opening + attach_citations(text.strip(), prepared.query, passages)


def usage_of(result: GenerationResult) -> dict[str, int]:
    return {"prompt_tokens": result["prompt_tokens"], "completion_tokens": result["completion_tokens"]}


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
