"""Request and response bodies of the chat API."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from app.core.request_model import RequestModel
from app.core.schema_markers import NOT_BLANK, engine_name, max_length_from


class ChatRequest(RequestModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        description="The question, in Chinese or English.",
        examples=["如何用莆仙话说“吃饭”？"],
        json_schema_extra={"pattern": NOT_BLANK, **max_length_from("max_question_chars")},
    )
    top_k: int | None = Field(
        None, ge=1, le=20, description="How many passages to retrieve (default from settings)."
    )
    conversation_id: uuid.UUID | None = Field(
        None, description="The conversation to add this exchange to; without one, a new one is started."
    )
    engine: str | None = Field(
        None,
        max_length=40,
        description="A ready engine from GET /api/engines to answer with; without one, the default.",
        json_schema_extra=engine_name(),
    )

    @field_validator("question")
    @classmethod
    def question_has_text(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise PydanticCustomError("question_empty", "The question is empty.")
        return value


class SourcePublic(BaseModel):
    number: int = Field(description="The [n] the answer cites this passage by.")
    id: str = Field(description="Chunk id, '<document id>#<position>'.")
    doc_id: str
    title: str
    section: str
    text: str
    score: float = Field(description="Fused retrieval score (reciprocal rank fusion).")
    found_by: dict[str, dict[str, float]] = Field(
        description="Retrievers that found it (dense, lexical, headword, romanized; card: a word card)."
    )
    pronunciations: dict[str, Any] = Field(
        default_factory=dict,
        description="Lexicon entries: {psp|buc|ipa: {citation|connected: {text, attested, basis}}}; "
        "attested: the entry's source records it, else derived (docs/romanization.md).",
    )


class WordCardPublic(BaseModel):
    """A lexicon entry that answers a question about a word: the card is what the answer states."""

    entry_id: str = Field(description="The entry's chunk id (as in sources).")
    doc_id: str
    headword: str = Field(description="As the source writes it, often in traditional characters.")
    simplified: str
    glosses: list[str] = Field(description="Its Mandarin meanings, the usual one first.")
    point: str = Field(description="The dialect point, e.g. 莆田.")
    note: str
    source: str = Field(description="The lexicon, and the sources its row cites.")
    match: str = Field(
        description="How it was found: gloss, headword, reading (romanized) or translation (English)."
    )
    pronunciations: dict[str, Any] = Field(
        description="As in sources: PSP, BUC and IPA, each attested or derived."
    )
    english: list[str] = Field(
        default_factory=list, description="English for its gloss, for questions in English."
    )
    term: str = Field("", description="The word of the question it answers (a list question asks several).")


class LinkedTermPublic(BaseModel):
    """A Puxian word the answer presents, with its lexicon entry (null: unattested in the lexicon)."""

    text: str
    entry: WordCardPublic | None


class ReadWordPublic(BaseModel):
    chunk_id: str
    headword: str
    simplified: str
    glosses: list[str]
    psp: str


class InputReadingPublic(BaseModel):
    """How a romanized question was read; its sentence opens the answer."""

    input: str = Field(description="The romanized text as typed, e.g. taumng.")
    syllables: list[str] = Field(description="How it was segmented: tau, mng.")
    read_as: str = Field(description="PSP as read, with the tones given: tao mung.")
    tones: str = Field(description="given, partly given or not given (then taken from the lexicon).")
    folds: list[str] = Field(description="Spellings folded to read it: au→ao, BUC ng=ung.")
    undone: bool = Field(description="An initial was read back from its connected-speech form.")
    words: list[ReadWordPublic] = Field(description="The entries it spells, best first.")


class ChatResponse(BaseModel):
    answer: str
    sources: list[SourcePublic]
    timings: dict[str, float] = Field(
        description="Milliseconds: retrieval_ms, ttft_ms, generation_ms, total_ms."
    )
    usage: dict[str, int]
    engine: str
    finish_reason: str
    conversation_id: uuid.UUID = Field(description="Where the question and answer were stored.")
    message_id: int = Field(description="The stored answer's id (for feedback).")
    reading: InputReadingPublic | None = Field(None, description="How a romanized question was read.")
    cards: list[WordCardPublic] = Field(
        default_factory=list,
        description="Word cards: the lexicon entries a question about a word is answered by.",
    )
    terms: list[LinkedTermPublic] = Field(
        default_factory=list, description="The Puxian words the answer presents, each with its entry or null."
    )
    grounded: bool | None = Field(
        None,
        description="Each word, romanization and number of the answer is in what it cites (null: unchecked).",
    )
    fallback: str = Field(
        "",
        description="What replaced an answer failing its check: regenerated, card, extractive, truncated.",
    )
