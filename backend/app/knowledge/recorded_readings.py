"""The readings every lexicon entry of the knowledge base records, kept in step with it.

The `romanization` package chooses among its candidates by recorded readings (a character's BUC
spellings, a word's spoken form). Here they are gathered from every lexicon and dictionary in
the knowledge base, as they come and go, and from documents about to be ingested, so that the
entries of one file benefit from the readings of another ingested with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from romanization.readings import Readings

from app.knowledge.chunking import Chunk
from app.knowledge.sources.model import LexiconEntry, ParsedDocument
from app.knowledge.store import KnowledgeStore


@dataclass(frozen=True)
class _Recorded:
    words: tuple[str, ...]  # the headword as written and simplified
    citation: str  # PSP
    connected: str  # PSP as spoken
    buc: str  # one or more spellings, "/"-separated


class RecordedReadings:
    def __init__(self) -> None:
        self._rows: dict[int, _Recorded] = {}
        self._readings: Readings | None = Readings()

    @classmethod
    def from_store(cls, store: KnowledgeStore) -> RecordedReadings:
        """Read from the database alone (no model, no index): for the command line."""
        recorded = cls()
        for item in store.iter_indexed():
            recorded.add(item.row_id, item.chunk)
        return recorded

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, row_id: int, chunk: Chunk) -> None:
        recorded = _from_chunk(chunk)
        if recorded is None:
            return
        self._rows[row_id] = recorded
        if self._readings is not None:
            _record(self._readings, recorded)

    def remove(self, row_ids: Iterable[int]) -> None:
        removed = [row for row in row_ids if self._rows.pop(row, None) is not None]
        if removed:
            self._readings = None  # rebuilt when next asked for

    @property
    def readings(self) -> Readings:
        if self._readings is None:
            self._readings = self._build(())
        return self._readings

    def with_documents(self, documents: Iterable[ParsedDocument]) -> Readings:
        """The readings of the knowledge base plus those of documents not stored yet."""
        extra = [recorded for document in documents for recorded in _from_document(document)]
        return self._build(extra) if extra else self.readings

    def _build(self, extra: Iterable[_Recorded]) -> Readings:
        readings = Readings()
        for recorded in (*self._rows.values(), *extra):
            _record(readings, recorded)
        return readings


def _record(readings: Readings, recorded: _Recorded) -> None:
    spellings = [part.strip() for part in recorded.buc.split("/") if part.strip()]
    for word in recorded.words:
        readings.add(word, citation=recorded.citation, connected=recorded.connected, buc_readings=spellings)


def _from_chunk(chunk: Chunk) -> _Recorded | None:
    """What an entry's own source records, from the pronunciations stored with its chunk."""
    if not chunk.is_entry:
        return None
    forms = chunk.metadata.get("pronunciations") or {}

    def recorded(system: str, which: str) -> str:
        form = (forms.get(system) or {}).get(which) or {}
        return str(form.get("text", "")) if form.get("attested") else ""

    words = tuple(dict.fromkeys(str(chunk.metadata.get(k, "")) for k in ("headword", "simplified")))
    return _Recorded(words, recorded("psp", "citation"), recorded("psp", "connected"), recorded("buc", "citation"))


def _from_document(document: ParsedDocument) -> list[_Recorded]:
    return [_from_entry(entry, spoken_codes=document.kind == "rime") for entry in document.entries]


def _from_entry(entry: LexiconEntry, spoken_codes: bool) -> _Recorded:
    words = tuple(dict.fromkeys((entry.headword, entry.simplified)))
    if spoken_codes and len(entry.headword) > 1:  # a Rime word's code is its spoken form
        return _Recorded(words, "", entry.psp, entry.buc)
    return _Recorded(words, entry.psp, entry.psp_surface, entry.buc)
