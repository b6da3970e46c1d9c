"""What happens to an answer after it is written: the grounding check, and what replaces an answer
that fails it; the Puxian words it presents, linked to their lexicon entries.

An answer that fails the check is not shown as it is. The service asks once more with the strict
prompt; if that fails too, the answer becomes the card's statement (a word question) or the
excerpt of the best passages that shares most with the question, marked as quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.chat.cards import WordCard, card_from_chunk
from app.chat.citations import terms
from app.chat.grounding import Evidence, presented_terms
from app.chat.intent import WordQuestion
from app.chat.sources import SourceRef
from app.knowledge.english import mandarin_expansion
from app.knowledge.headword_index import HEADWORD
from app.knowledge.knowledge_base import KnowledgeBase
from app.knowledge.text_norm import normalize

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# How an answer that failed the check was replaced.
REGENERATED, CARD, EXTRACTIVE, TRUNCATED = "regenerated", "card", "extractive", "truncated"
QUOTED_PASSAGES = 2  # the passages an excerpt is chosen from
# An excerpt's length: two or three sentences (measured on dev, 120–250 characters tried).
QUOTED_CHARS = 160


def check_outcome(grounded: bool | None, fallback: str) -> str | None:
    """How an answer fared in its check, as counted in /metrics: passed, a fallback's name, or
    failed (shown ungrounded all the same); None when it was not checked (a refusal)."""
    if grounded is None:
        return None
    if fallback:
        return fallback
    return "passed" if grounded else "failed"


@dataclass(frozen=True)
class LinkedTerm:
    """A Puxian word an answer presents, with its lexicon entry (None: the lexicon lacks it)."""

    text: str
    entry: WordCard | None


def evidence_for(sources: list[SourceRef], cards: list[WordCard], question: WordQuestion | None) -> Evidence:
    words = frozenset(normalize(w) for card in cards for w in (card.simplified, card.headword))
    card_text = " ".join(_card_text(card) for card in cards)
    asked = (
        question.terms
        if question is not None and question.kind == "say" and question.language == "zh"
        else ()
    )
    glosses = frozenset(gloss for card in cards for gloss in card.glosses)
    passages = {s.number: f"{s.heading} {s.text}" for s in sources}
    return Evidence(passages, words, card_text, frozenset(normalize(term) for term in asked), glosses)


def _card_text(card: WordCard) -> str:
    readings = [
        str(form.get("text", "")) for forms in card.pronunciations.values() if isinstance(forms, dict)
        for form in forms.values() if isinstance(form, dict)
    ]  # fmt: skip
    return " ".join([card.headword, card.simplified, *card.glosses, *readings, card.note, *card.english])


def extractive_answer(question: str, sources: list[SourceRef], english: bool) -> str:
    """The excerpt of the best two passages that shares most with the question, marked as quoted.

    An excerpt is a run of whole sentences of one passage, up to QUOTED_CHARS: the sentence that
    names the subject is often followed by the one that answers (过两次年 … 与倭寇攻陷府城有关),
    and a ；-joined list stays whole. A passage's heading counts for its excerpts (游洋话有多少个韵母
    → the 游洋 page, not the finals page's count for Putian); on a tie the better-ranked passage and
    earlier excerpt win. An English question is compared through its Mandarin words.
    """
    wanted = terms(question)
    if english:
        wanted |= terms(" ".join(mandarin_expansion(question)))
    candidates = []
    for rank, source in enumerate(sources[:QUOTED_PASSAGES]):
        heading = len(terms(source.heading) & wanted) / 2
        sentences = [s.strip() for s in _SENTENCE.findall(source.text) if s.strip()] or [source.text]
        for position in range(len(sentences)):
            excerpt = _excerpt(sentences, position)
            candidates.append((-(len(terms(excerpt) & wanted) + heading), rank, position, source, excerpt))
    _, _, _, best, excerpt = min(candidates, key=lambda c: c[:3])
    if english:
        return f"(Quoted from passage [{best.number}]) {excerpt}"
    return f"（摘自资料 [{best.number}]）{excerpt}"


def _excerpt(sentences: list[str], first: int) -> str:
    """The sentence at `first` and those after it that fit within QUOTED_CHARS (at least one)."""
    excerpt = sentences[first]
    for sentence in sentences[first + 1 :]:
        if len(excerpt) + len(sentence) > QUOTED_CHARS:
            break
        excerpt += sentence
    return excerpt


def link_terms(text: str, knowledge: KnowledgeBase, evidence: Evidence) -> list[LinkedTerm]:
    """Each Puxian word an answer quotes with its lexicon entry, or None where the lexicon has none.

    The Mandarin word a question asks about, and the cards' Mandarin glosses, are not Puxian words.
    """
    mandarin = {*evidence.asked_terms, *(normalize(g) for g in evidence.glosses)}
    linked: list[LinkedTerm] = []
    for quoted in presented_terms(text):
        # “有影 u5 ia3” is the word 有影 with its reading; “有、无” is a list, not a word.
        words = _HAN_RUN.findall(quoted)
        word = words[0] if len(words) == 1 else ""
        if not word or word in mandarin or any(word == term.text for term in linked):
            continue
        rows = knowledge.lookup_headword(word, HEADWORD)
        chunks = knowledge.chunks(rows[:1]) if rows else {}
        chunk = chunks.get(rows[0]) if rows else None
        linked.append(LinkedTerm(word, card_from_chunk(chunk, "headword") if chunk is not None else None))
    return linked
