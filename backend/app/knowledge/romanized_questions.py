"""The romanized-query evaluation set, generated from the curated lexicon.

`python -m app.knowledge.romanized_questions` rewrites `knowledge/eval/romanized-generated.jsonl`
(a test checks that the file is what this script makes). Every fifth entry gets one query, the
kinds taken in turn: tones dropped, spaces dropped, tones kept but spaces dropped, BUC as written,
BUC without its marks, the connected-speech form (with and without spaces), the Xianyou form,
one tone wrong, and a variant spelling (au/ao, ieo/ieu, uei/ue). Some are put in a Chinese
question (`… 是什么意思`).

Right answers: the entry, every entry with the same (simplified) headword, and every entry
with the same toned reading (true homophones are as right). A query without tones is made only
when no entry with another headword shares its toneless syllables: such input is ambiguous and
any of those words would be right.
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from romanization import buc, psp
from romanization.connected import connected_form
from romanization.errors import RomanizationError
from romanization.points import to_xianyou
from romanization.syllable import Syllable
from romanization.words import psp_of_buc_word

from app.knowledge.pronunciation import pronounce
from app.knowledge.recorded_readings import RecordedReadings
from app.knowledge.sources.model import LexiconEntry
from app.knowledge.sources.reader import read_source

KINDS = (
    "toneless", "unspaced", "toned-unspaced", "buc", "buc-bare", "connected", "connected-unspaced", "xianyou",
    "wrong-tone", "spelling-variant",
)  # fmt: skip
# A one-syllable word is typed with its tone or a spelling of its own, or it is ambiguous.
SINGLE_SYLLABLE_KINDS = ("toneless", "buc", "xianyou", "spelling-variant")
EVERY = 5
SEED = 13
OUTPUT = Path("eval") / "romanized-generated.jsonl"
_VARIANT_SPELLINGS = (("ao", "au"), ("ieo", "ieu"), ("uei", "ue"), ("au", "ao"), ("ieu", "ieo"))


@dataclass(frozen=True)
class _Entry:
    chunk_id: str
    entry: LexiconEntry
    citation: list[Syllable]
    buc: str  # attested or derived
    connected: list[Syllable]

    @property
    def toned(self) -> str:
        return psp.format_word(self.citation)

    @property
    def toneless(self) -> tuple[str, ...]:
        return tuple(s.toneless for s in self.citation)


def generate(knowledge_dir: Path) -> list[dict[str, object]]:
    entries = _entries(knowledge_dir)
    by_headword: dict[str, list[str]] = defaultdict(list)
    by_toned: dict[str, list[str]] = defaultdict(list)
    headwords_by_toneless: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for item in entries:
        by_headword[item.entry.simplified].append(item.chunk_id)
        by_toned[item.toned].append(item.chunk_id)
        for form in (item.citation, item.connected):
            headwords_by_toneless[tuple(s.toneless for s in form)].add(item.entry.simplified)
    rng = random.Random(SEED)
    questions: list[dict[str, object]] = []
    for index, item in enumerate(entries[::EVERY]):
        kinds = KINDS if len(item.citation) > 1 else SINGLE_SYLLABLE_KINDS
        for offset in range(len(kinds)):
            kind = kinds[(index + offset) % len(kinds)]
            query = _query(item, kind, rng)
            if query is None or len(query[0].replace(" ", "")) < 2:
                continue
            text, toneless = query
            if toneless and headwords_by_toneless[item.toneless] - {item.entry.simplified}:
                continue  # ambiguous without tones
            if rng.random() < 0.25:
                text = f"{text} 是什么意思"
            relevant = sorted({*by_headword[item.entry.simplified], *by_toned[item.toned]})
            questions.append(
                {"id": f"r{len(questions) + 1:03d}", "question": text, "category": "romanized", "variant": kind,
                 "relevant": relevant}
            )  # fmt: skip
            break
    return questions


def _entries(knowledge_dir: Path) -> list[_Entry]:
    """Every curated entry with a PSP reading, its pronunciation derived as ingestion derives it."""
    documents = [read_source(path, curated=True) for path in sorted((knowledge_dir / "lexicon").glob("*.tsv"))]
    readings = RecordedReadings().with_documents(documents)
    result = []
    for document in documents:
        for entry in document.entries:
            try:
                citation = [psp.parse_syllable(s) for s in entry.psp.split("/")[0].split()]
            except RomanizationError:
                continue
            if not citation:
                continue
            pronunciation = pronounce(entry, readings)
            spelled_buc = pronunciation.buc.text.split(" / ")[0] if pronunciation.buc else ""
            connected = connected_form(citation)
            if entry.psp_surface:
                connected = [psp.parse_syllable(s) for s in entry.psp_surface.split("/")[0].split()]
            result.append(_Entry(f"{document.id}#{entry.entry_id}", entry, citation, spelled_buc, connected))
    return result


def _query(item: _Entry, kind: str, rng: random.Random) -> tuple[str, bool] | None:
    """(text, typed without tones) of one kind of query for an entry, or None if it does not apply."""
    citation, many = item.citation, len(item.citation) > 1
    if kind == "toneless":
        return " ".join(s.toneless for s in citation), True
    if kind == "unspaced":
        return ("".join(s.toneless for s in citation), True) if many else None
    if kind == "toned-unspaced":
        return ("".join(psp.format_syllable(s) for s in citation), False) if many else None
    if kind == "buc":  # BUC leaves 陰平 unmarked: a word with no mark at all gives no tone to go by
        return (item.buc, item.buc == _without_marks(item.buc)) if item.buc else None
    if kind == "buc-bare":
        return (_without_marks(item.buc), True) if item.buc and _without_marks(item.buc) != item.buc else None
    if kind in ("connected", "connected-unspaced"):
        if item.connected == citation or len(item.connected) != len(citation):
            return None
        if kind == "connected":
            return psp.format_word(item.connected), False
        return "".join(s.toneless for s in item.connected), True
    if kind == "xianyou":
        return _xianyou(item)
    if kind == "wrong-tone":
        if not many:
            return None
        wrong = list(citation)
        position = rng.randrange(len(wrong))
        tone = wrong[position].tone or 1
        wrong[position] = wrong[position].with_tone(tone % 7 + 1)
        return psp.format_word(wrong), True
    for canonical, variant in _VARIANT_SPELLINGS:
        text = item.toned
        if canonical in text:
            return text.replace(canonical, variant), False
    return None


def _xianyou(item: _Entry) -> tuple[str, bool] | None:
    """The word as Xianyou says it: nasal vowels where BUC writes ⁿ, and its other finals."""
    try:
        nasal = [s.buc_final is not None and "ⁿ" in s.buc_final for s, _ in psp_of_buc_word(item.buc.split("-"))]
    except RomanizationError:
        return None
    if len(nasal) != len(item.citation):
        return None
    xianyou = [to_xianyou(s, n) for s, n in zip(item.citation, nasal, strict=True)]
    if [s.final for s in xianyou] == [s.final for s in item.citation]:
        return None
    return psp.format_word(xianyou), False


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if ch not in (*buc.TONE_MARKS, buc.DIAERESIS_BELOW))
    return unicodedata.normalize("NFC", bare).replace(buc.NASAL, "")


def write(knowledge_dir: Path) -> Path:
    target = knowledge_dir / OUTPUT
    lines = [json.dumps(q, ensure_ascii=False) for q in generate(knowledge_dir)]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    from app.core.config import get_settings

    path = write(get_settings().knowledge_dir)
    print(f"wrote {sum(1 for _ in path.open(encoding='utf-8'))} questions to {path}")
