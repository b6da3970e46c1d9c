"""Word cards: questions about a word answered from the lexicon itself.

A small model copies the wrong word out of a passage (筷子 → “筷子” where the passage says 箸);
the lexicon entry does not. For a question about a word (`intent.py`) the matching entries become
cards — headword, Mandarin gloss, pronunciations, dialect point, note, source — and the answer
states the card, in a sentence built here, before the model adds any explanation. Matching:

- how to say X: entries whose Mandarin gloss is X;
- what X means / how X is read: entries whose headword is X;
- romanized input: the entries the romanized word spells (the fourth retriever);
- in English: the Mandarin words CC-CEDICT gives for X (`english.py`), then as above.

Several senses or variants are all shown, ranked: the curated lexicon before imported
dictionaries, an exact first gloss before a later one, attested readings before derived ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.chat.intent import WordQuestion
from app.knowledge.chunking import Chunk
from app.knowledge.english import english_glosses
from app.knowledge.headword_index import GLOSS, HEADWORD
from app.knowledge.knowledge_base import KnowledgeBase
from app.knowledge.retriever import RetrievalResult
from app.knowledge.text_norm import normalize

MAX_CARDS = 4
_HAN = re.compile(r"[\u3400-\u9fff]")
MAX_CARDS_PER_LISTED_WORD = 2  # 香蕉和菠萝怎么说: the best two of each


@dataclass(frozen=True)
class WordCard:
    entry_id: str  # the entry's chunk id
    doc_id: str
    headword: str  # as the source writes it (often traditional)
    simplified: str
    glosses: tuple[str, ...]
    point: str
    note: str
    source: str  # the lexicon, and the sources its row cites
    match: str  # gloss, headword, reading (romanized input) or translation (asked in English)
    pronunciations: dict[str, Any] = field(default_factory=dict)
    english: tuple[str, ...] = ()  # English for its gloss (CC-CEDICT), for questions in English
    term: str = ""  # the word of the question it answers (a list question asks about several)

    def reading(self, system: str = "psp", which: str = "citation") -> str:
        return str(((self.pronunciations.get(system) or {}).get(which) or {}).get("text", ""))

    @property
    def attested(self) -> int:
        """How many of its forms its own source records."""
        return sum(
            1 for forms in self.pronunciations.values() if isinstance(forms, dict)
            for form in forms.values() if isinstance(form, dict) and form.get("attested")
        )  # fmt: skip


def card_from_chunk(chunk: Chunk, match: str, english: tuple[str, ...] = (), term: str = "") -> WordCard:
    meta = chunk.metadata
    codes = str(meta.get("entry_source") or "")
    points = meta.get("dialect_points") or []
    return WordCard(
        entry_id=chunk.id,
        doc_id=chunk.doc_id,
        headword=str(meta.get("headword") or chunk.section),
        simplified=str(meta.get("simplified") or chunk.section),
        glosses=tuple(str(g) for g in meta.get("glosses", [])),
        point=str(points[0]) if points else "",
        note=str(meta.get("note", "")),
        source=f"{chunk.title}（{codes}）" if codes else chunk.title,
        match=match,
        pronunciations=dict(meta.get("pronunciations") or {}),
        english=english,
        term=term,
    )


class CardFinder:
    """The cards of a word question, from the knowledge base's lexicon entries."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge

    def find(
        self, question: WordQuestion | None, retrieval: RetrievalResult
    ) -> tuple[list[WordCard], list[Chunk]]:
        """The cards, best first, and their entries' chunks in the same order."""
        english = question is not None and question.language == "en"
        if len(retrieval.romanized.words) == 1:
            found = [(retrieval.romanized.word_rows(), "reading", "")]
        elif question is None:
            return [], []
        elif english and (question.kind == "say" or not _HAN.search(question.term)):
            # An English word asked about (how is "eat" pronounced): its Puxian words, as for "say".
            found = [(self._translated(question.term), "translation", question.term)]
        else:
            found = [(*self._named(term, question.kind), term) for term in question.terms]
        per_term = MAX_CARDS if len(found) == 1 else MAX_CARDS_PER_LISTED_WORD
        ranked: list[WordCard] = []
        by_id: dict[str, Chunk] = {}
        for rows, match, term in found:
            chunks = self.knowledge.chunks(rows)
            by_id |= {chunk.id: chunk for chunk in chunks.values()}
            cards = [
                card_from_chunk(chunks[row], match, self._english(chunks[row]) if english else (), term)
                for row in rows
                if row in chunks and chunks[row].is_entry
            ]
            # Found by reading or translation: their own order stands (rank_cards' empty term).
            best = rank_cards(cards, term if match in ("gloss", "headword") else "")[:per_term]
            ranked += [card for card in best if all(card.entry_id != seen.entry_id for seen in ranked)]
        return ranked, [by_id[card.entry_id] for card in ranked]

    def _named(self, term: str, kind: str) -> tuple[list[int], str]:
        """How to say X: glossed X; what X means, how X is read: headword X (each, else the other)."""
        first, second = (GLOSS, HEADWORD) if kind == "say" else (HEADWORD, GLOSS)
        rows = self.knowledge.lookup_headword(term, first)
        if rows:
            return rows, "gloss" if first == GLOSS else "headword"
        return self.knowledge.lookup_headword(term, second), "headword" if first == GLOSS else "gloss"

    def _translated(self, english: str) -> list[int]:
        rows: list[int] = []
        for mandarin in english_glosses().mandarin_for(english):
            rows.extend(r for r in self.knowledge.lookup_headword(mandarin, GLOSS) if r not in rows)
            if len(rows) >= MAX_CARDS * 2:
                break
        return rows

    @staticmethod
    def _english(chunk: Chunk) -> tuple[str, ...]:
        glosses = chunk.metadata.get("glosses") or []
        return tuple(english_glosses().english_for(normalize(str(glosses[0])))) if glosses else ()


def rank_cards(cards: Sequence[WordCard], term: str) -> list[WordCard]:
    """One card per word and reading, the best first (see the module docstring)."""
    unique: dict[tuple[str, str], WordCard] = {}
    for card in cards:
        unique.setdefault((card.simplified, card.reading()), card)
    wanted = normalize(term)

    def rank(card: WordCard) -> tuple[int, int, int]:
        curated = 0 if card.doc_id.startswith("lexicon-") else 1
        if not wanted:  # found by reading or translation: their own order stands
            return (curated, 0, 0)
        glosses = [normalize(g) for g in card.glosses]
        position = glosses.index(wanted) if wanted in glosses else len(glosses)
        return (curated, position, -card.attested)

    # sorted() is stable: among equals, the order the lookup gave (the translation's ranking).
    return sorted(unique.values(), key=rank)[:MAX_CARDS]
