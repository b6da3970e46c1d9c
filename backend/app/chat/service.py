"""`RAGService`: retrieve passages, build the prompt, ask the engine, return answer and sources."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from app.chat.citations import attach_citations
from app.chat.prompting import NO_ANSWER, Passage, PromptBuilder
from app.knowledge.retriever import Retriever
from app.knowledge.vector_index import SearchHit
from inference_engine import BaseInferenceEngine

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


@dataclass(frozen=True)
class RAGAnswer:
    answer: str
    sources: list[SourceRef]
    timings: dict[str, float]
    usage: dict[str, int] = field(default_factory=dict)
    finish_reason: str = "stop"
    engine: str = ""


class RAGService:
    def __init__(
        self,
        retriever: Retriever,
        engine: BaseInferenceEngine,
        prompts: PromptBuilder,
        top_k: int,
        min_relevance: float = 0.0,
    ) -> None:
        self.retriever = retriever
        self.engine = engine
        self.prompts = prompts
        self.top_k = top_k
        # Below this best-passage score the knowledge base is taken not to hold the answer, and
        # the fixed no-answer reply is given without asking the model (which would invent one).
        self.min_relevance = min_relevance

    def answer(self, question: str, top_k: int | None = None) -> RAGAnswer:
        """Answer one question from the knowledge base (blocking: seconds on a CPU)."""
        started = time.perf_counter()
        hits = self.retriever.retrieve(question, top_k or self.top_k)
        retrieval_ms = _ms_since(started)
        sources = [_source_ref(number, hit) for number, hit in enumerate(hits, start=1)]
        if not sources or sources[0].score < self.min_relevance:
            log.info(
                "no passage reaches the relevance threshold %.2f; answering that none was found",
                self.min_relevance,
            )
            return RAGAnswer(NO_ANSWER, [], {"retrieval_ms": retrieval_ms, "total_ms": _ms_since(started)})
        prompt = self.prompts.build(question, [Passage(s.number, _heading(s), s.text) for s in sources])
        result = self.engine.generate(prompt.messages, response_prefix=prompt.response_prefix)
        timings = {
            "retrieval_ms": retrieval_ms,
            "ttft_ms": round(result["ttft"] * 1000, 1),
            "generation_ms": round(result["latency"] * 1000, 1),
            "total_ms": _ms_since(started),
            "tokens_per_s": round(result["throughput"], 2),
        }
        log.info(
            "answered in %.0f ms (retrieval %.0f ms, %d prompt + %d completion tokens)",
            timings["total_ms"],
            retrieval_ms,
            result["prompt_tokens"],
            result["completion_tokens"],
        )
        answer = attach_citations(
            result["text"].strip(), question, [(s.number, f"{_heading(s)} {s.text}") for s in sources]
        )
        return RAGAnswer(
            answer=answer,
            sources=sources,
            timings=timings,
            usage={
                "prompt_tokens": result["prompt_tokens"],
                "completion_tokens": result["completion_tokens"],
            },
            finish_reason=result["finish_reason"],
            engine=self.engine.name,
        )


def _source_ref(number: int, hit: SearchHit) -> SourceRef:
    chunk = hit.chunk
    return SourceRef(
        number, chunk.id, chunk.doc_id, chunk.title, chunk.section, chunk.text, round(hit.score, 4)
    )


def _heading(source: SourceRef) -> str:
    return f"{source.title}·{source.section}" if source.section else source.title


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
