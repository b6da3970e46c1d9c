"""The passages an answer is given and cites: retrieval hits, and the entries of its word cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.knowledge.chunking import Chunk
from app.knowledge.retriever import RetrievalHit


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

    @property
    def heading(self) -> str:
        return f"{self.title}·{self.section}" if self.section else self.title


def answer_sources(hits: Sequence[RetrievalHit], entries: Sequence[Chunk], top_k: int) -> list[SourceRef]:
    """The word cards' entries first (they state the answer), then the other hits: `top_k` in all,
    or as many as there are entries. An entry retrieval found too keeps how it was found."""
    found = {hit.chunk.id: (round(hit.score, 4), _found_by(hit)) for hit in hits}
    chosen: list[tuple[Chunk, float, dict[str, dict[str, float]]]] = []
    for rank, chunk in enumerate(entries, start=1):
        score, found_by = found.get(chunk.id, (0.0, {}))
        chosen.append((chunk, score, {**found_by, "card": {"rank": rank, "score": 1.0}}))
    cards = {chunk.id for chunk in entries}
    chosen += [(hit.chunk, round(hit.score, 4), _found_by(hit)) for hit in hits if hit.chunk.id not in cards]
    limit = max(top_k, len(entries))
    return [_source(number, chunk, score, by) for number, (chunk, score, by) in enumerate(chosen[:limit], 1)]


def _found_by(hit: RetrievalHit) -> dict[str, dict[str, float]]:
    return {name: {"rank": f.rank, "score": round(f.score, 4)} for name, f in hit.found_by.items()}


def _source(number: int, chunk: Chunk, score: float, found_by: dict[str, dict[str, float]]) -> SourceRef:
    return SourceRef(
        number, chunk.id, chunk.doc_id, chunk.title, chunk.section, chunk.text, score, found_by,
        dict(chunk.metadata.get("pronunciations") or {}),
    )  # fmt: skip
