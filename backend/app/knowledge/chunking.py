"""Splitting documents into passages that respect Chinese text structure.

Order of preference for a cut: a heading, then a blank line (paragraph), then a sentence end
(。！？；and their ASCII forms), then a line break, and only for a single over-long sentence a
cut by length. Consecutive chunks of one section overlap by whole sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from romanization.readings import Readings

from app.knowledge.pronunciation import pronounce
from app.knowledge.sources.model import LexiconEntry, ParsedDocument

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# A sentence ends after 。！？； (or !?;) and any closing quotes/brackets that follow.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])[”’」』）)]*")


@dataclass(frozen=True)
class Chunk:
    id: str  # "<doc id>#<position>" for prose, "<doc id>#<entry id>" for a lexicon entry
    doc_id: str
    title: str
    section: str
    text: str
    position: int
    # category, dialect_points, source (first source title), kind ("prose" or "entry"); for
    # entries also headword, simplified, glosses, psp, pronunciations (pronunciation.py) and
    # summary (the entry with the readings its source records, which is what is embedded).
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def is_entry(self) -> bool:
        return self.metadata.get("kind") == "entry"

    def embedding_text(self) -> str:
        """What the embedding model reads: the text with its document and section titles.

        An entry is embedded as its source records it (`summary`): its derived readings in three
        systems would only make it longer (three times, for a Rime word) and slower to embed.
        """
        heading = self.title if not self.section or self.section == self.title else f"{self.title} · {self.section}"
        return f"{heading}\n{self.metadata.get('summary') or self.text}"

    def lexical_text(self) -> str:
        """What lexical search reads; an entry's file title would only add the same words to all."""
        return f"{self.section}\n{self.text}" if self.is_entry else self.embedding_text()


@dataclass(frozen=True)
class _Section:
    heading: str
    paragraphs: list[str]


def chunk_document(
    document: ParsedDocument, max_chars: int, overlap_chars: int, readings: Readings | None = None
) -> list[Chunk]:
    """Prose split into chunks of at most about `max_chars` characters; one chunk per lexicon entry.

    Entries get their pronunciation in every system; `readings` (of the whole knowledge base)
    choose among candidates where the rules alone cannot.
    """
    sources = document.metadata.get("sources") or []
    common = {
        "category": document.metadata.get("category") or ("vocabulary" if document.entries else None),
        "dialect_points": list(document.metadata.get("dialect_points") or []),
        "source": sources[0]["title"] if sources else "",
    }
    pieces: list[tuple[str, str]] = []
    for section in _sections(document.body):
        for text in _pack_section(section.paragraphs, max_chars, overlap_chars):
            pieces.append((section.heading, text))
    chunks = [
        Chunk(f"{document.id}#{position}", document.id, document.title, heading, text, position,
              {**common, "kind": "prose"})
        for position, (heading, text) in enumerate(pieces)
    ]
    chunks.extend(
        _entry_chunk(document, entry, len(chunks) + index, common, readings)
        for index, entry in enumerate(document.entries)
    )
    return chunks


def _entry_chunk(
    document: ParsedDocument, entry: LexiconEntry, position: int, common: dict[str, Any], readings: Readings | None
) -> Chunk:
    pronunciation = pronounce(entry, readings, spoken_codes=document.kind == "rime")
    metadata = {
        **common,
        "kind": "entry",
        "headword": entry.headword,
        "simplified": entry.simplified,
        "glosses": list(entry.glosses),
        "psp": entry.psp,
        "line": entry.line,
        "pronunciations": pronunciation.as_metadata(),
        "summary": entry.describe(),
        "note": entry.note,
        "entry_source": entry.source,  # the sources the row cites (abbreviations of the file's `# source:` lines)
    }
    if entry.point:
        metadata["dialect_points"] = [entry.point]
    return Chunk(
        f"{document.id}#{entry.entry_id}", document.id, document.title, entry.simplified,
        entry.describe(pronunciation.describe()), position, metadata,
    )


def _sections(body: str) -> list[_Section]:
    """Group paragraphs under their nearest heading (level-1 headings only name the document)."""
    sections: list[_Section] = []
    heading = ""
    paragraph_lines: list[str] = []
    paragraphs: list[str] = []

    def close_paragraph() -> None:
        if paragraph_lines:
            paragraphs.append("\n".join(paragraph_lines).strip())
            paragraph_lines.clear()

    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            close_paragraph()
            if paragraphs:
                sections.append(_Section(heading, list(paragraphs)))
                paragraphs.clear()
            heading = match.group(2).strip() if len(match.group(1)) > 1 else heading
        elif line.strip():
            paragraph_lines.append(line.rstrip())
        else:
            close_paragraph()
    close_paragraph()
    if paragraphs:
        sections.append(_Section(heading, list(paragraphs)))
    return sections


def _pack_section(paragraphs: list[str], max_chars: int, overlap_chars: int) -> list[str]:
    """Fill chunks with whole paragraphs; split a paragraph into sentences only when it is too long."""
    units = [unit for paragraph in paragraphs for unit in _split_to_fit(paragraph, max_chars)]
    chunks: list[str] = []
    current: list[tuple[str, bool]] = []
    for unit in units:
        if current and _length(current + [unit]) > max_chars:
            chunks.append(_join(current))
            current = _overlap(current, overlap_chars, max_chars - len(unit[0]))
        current.append(unit)
    if current:
        chunks.append(_join(current))
    return chunks


def _overlap(previous: list[tuple[str, bool]], overlap_chars: int, room: int) -> list[tuple[str, bool]]:
    """The trailing whole sentences of the previous chunk that fit in the overlap budget."""
    kept: list[tuple[str, bool]] = []
    budget = min(overlap_chars, room)
    for text, starts_line in reversed(previous):
        if len(text) > budget:
            break
        kept.insert(0, (text, starts_line))
        budget -= len(text)
    return kept


def _split_to_fit(paragraph: str, max_chars: int) -> list[tuple[str, bool]]:
    """Units of one paragraph as (text, starts a new line); the whole paragraph if it fits."""
    if len(paragraph) <= max_chars:
        return [(paragraph, True)]
    units: list[tuple[str, bool]] = []
    for line in paragraph.split("\n"):
        starts_line = True
        for sentence in _sentences(line):
            while len(sentence) > max_chars:  # one sentence longer than a chunk: cut by length
                units.append((sentence[:max_chars], starts_line))
                sentence, starts_line = sentence[max_chars:], False
            if sentence.strip():
                units.append((sentence, starts_line))
                starts_line = False
    return units


def _sentences(text: str) -> list[str]:
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end > start:
            parts.append(text[start:end])
            start = end
    if start < len(text):
        parts.append(text[start:])
    return parts


def _join(units: list[tuple[str, bool]]) -> str:
    text = ""
    for index, (unit, starts_line) in enumerate(units):
        text += ("\n" if index and starts_line else "") + unit
    return text.strip()


def _length(units: list[tuple[str, bool]]) -> int:
    return len(_join(units))

