"""How the romanization converters fare against attested data (`puxian eval romanization`).

Reference files are imported as a user imports them (the readers of `puxian ingest`): a BUC
character table (`char<TAB>buc_readings`) and a Rime dictionary give the recorded readings.
The Wiktionary phrase list (`漢字<TAB>BUC<TAB>PSP<TAB>PSP as spoken`) is what is converted and
compared, syllable by syllable, once without any recorded readings and once with the imported
ones. Every mismatch is put down to a cause; docs/romanization.md discusses them.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from romanization import buc, psp
from romanization.connected import connected_form
from romanization.errors import RomanizationError
from romanization.readings import Readings
from romanization.syllable import Syllable
from romanization.words import buc_of_word, connected_of_word, psp_of_buc_word

from app.knowledge.pronunciation import pronounce
from app.knowledge.recorded_readings import RecordedReadings
from app.knowledge.sources.reader import read_source

PHRASES = "puxian_phrases_from_wikt.tsv"
CHARACTERS = "chars_buc_wiktionary.tsv"
DICTIONARY = "Pouleng.dict.yaml"
EXAMPLES = 6


@dataclass
class Rate:
    matched: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.matched / self.total if self.total else 0.0

    def count(self, ok: bool) -> None:
        self.total += 1
        self.matched += ok

    def __str__(self) -> str:
        return f"{self.rate:.2%} ({self.matched}/{self.total})"


@dataclass
class Direction:
    name: str
    goal: str
    without: Rate = field(default_factory=Rate)
    imported: Rate = field(default_factory=Rate)  # with the imported readings
    among_candidates: Rate | None = None  # without readings: the attested form is among the candidates
    causes: Counter[str] = field(default_factory=Counter)  # mismatches with the imported readings
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def mismatch(self, cause: str, example: str) -> None:
        self.causes[cause] += 1
        if len(self.examples[cause]) < EXAMPLES:
            self.examples[cause].append(example)


@dataclass
class RomanizationReport:
    directions: list[Direction]
    # Our lexicon: derivations that disagree with the attested form, per system ("entries": how many).
    lexicon: dict[str, Counter[str]]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for direction, raw in zip(self.directions, data["directions"], strict=True):
            raw["without"]["rate"] = direction.without.rate
            raw["imported"]["rate"] = direction.imported.rate
            if direction.among_candidates is not None:
                raw["among_candidates"]["rate"] = direction.among_candidates.rate
        return data

    def table(self) -> str:
        lines = [
            "| direction | goal | without readings | with imported readings | attested among candidates |",
            "|---|---|---|---|---|",
        ]
        for d in self.directions:
            candidates = str(d.among_candidates) if d.among_candidates is not None else "–"
            lines.append(f"| {d.name} | {d.goal} | {d.without} | {d.imported} | {candidates} |")
        for d in self.directions:
            if d.causes:
                lines.append(f"\n{d.name}: mismatches with the imported readings, by cause")
                for cause, count in d.causes.most_common():
                    lines.append(f"  {count:5}  {cause}: {'; '.join(d.examples[cause])}")
        entries = self.lexicon["rules alone"]["entries"]
        lines.append(f"\ncurated lexicon ({entries} entries): derivations that disagree with the attested form")
        for label, counts in self.lexicon.items():
            systems = {system: n for system, n in counts.items() if system != "entries"}
            lines.append(f"  {label}: {systems or 'none'}")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Phrase:
    hanzi: str
    buc: list[str]
    citation: list[Syllable]
    spoken: list[Syllable]

    @property
    def chars(self) -> str | None:
        return self.hanzi if len(self.hanzi) == len(self.citation) else None


def imported_readings(data_dir: Path) -> Readings:
    """The readings a user gets by importing the BUC character table and the Rime dictionary."""
    documents = [read_source(data_dir / CHARACTERS), read_source(data_dir / DICTIONARY)]
    return RecordedReadings().with_documents(documents)


def evaluate_romanization(data_dir: Path, knowledge_dir: Path) -> RomanizationReport:
    phrases = list(_phrases(data_dir / PHRASES))
    readings = imported_readings(data_dir)
    directions = [
        _buc_to_psp(phrases, readings),
        _psp_to_buc(phrases, readings),
        _connected(phrases, readings, lambda p: True, "all phrases"),
        _connected(phrases, readings, lambda p: p.spoken != p.citation, "phrases whose spoken form differs"),
        *_characters(data_dir / CHARACTERS, readings),
    ]
    return RomanizationReport(directions, _lexicon(knowledge_dir, readings))


def _phrases(path: Path) -> Iterable[_Phrase]:
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 4:
                continue
            hanzi, spelled, citation, spoken = row[:4]
            try:
                cited = [psp.parse_syllable(s) for s in citation.split()]
                said = [psp.parse_syllable(s) for s in spoken.split()]
            except RomanizationError:
                continue
            syllables = spelled.replace("-", " ").split()
            yield _Phrase(hanzi, syllables if len(syllables) == len(cited) else [], cited, said)


def _buc_to_psp(phrases: list[_Phrase], readings: Readings) -> Direction:
    direction = Direction("BUC → PSP (phrases, per syllable)", "≥ 97 %")
    for phrase in (p for p in phrases if p.buc):
        plain = psp_of_buc_word(phrase.buc, phrase.chars, None)
        chosen = psp_of_buc_word(phrase.buc, phrase.chars, readings)
        for index, want in enumerate(phrase.citation):
            expected = psp.format_syllable(want)
            direction.without.count(plain[index][1].text == expected)
            got = chosen[index][0]
            ok = psp.format_syllable(got) == expected
            direction.imported.count(ok)
            if not ok:
                example = f"{_char(phrase, index)} {phrase.buc[index]} → {psp.format_syllable(got)}, source {expected}"
                direction.mismatch(_buc_to_psp_cause(got, want), example)
    return direction


def _buc_to_psp_cause(got: Syllable, want: Syllable) -> str:
    if got.final == want.final and {got.tone, want.tone} == {5, 6}:
        return "陰入 that lost its stop: BUC writes it like 陽去 (macron), PSP keeps tone 6"
    if got.tone == want.tone == 7 and got.checked != want.checked:
        return "陽入 that lost its stop: BUC writes -h for both kinds, the source's PSP keeps or drops it"
    if want.final not in {f.psp for f in buc.FINALS}:
        return f"the source spells the final {want.final!r}, outside the PSP table"
    return "the source's PSP is another reading than its BUC (spelling or source disagreement)"


def _psp_to_buc(phrases: list[_Phrase], readings: Readings) -> Direction:
    direction = Direction("PSP → BUC (phrases, per syllable)", "≥ 97 % with readings, ≥ 99 % among candidates")
    direction.among_candidates = Rate()
    for phrase in (p for p in phrases if p.buc):
        try:
            plain = buc_of_word(phrase.citation, phrase.chars, None)
            chosen = buc_of_word(phrase.citation, phrase.chars, readings)
        except RomanizationError:
            continue
        for index, spelled in enumerate(phrase.buc):
            expected = buc.normalize(spelled)
            direction.without.count(buc.normalize(plain[index].text) == expected)
            direction.among_candidates.count(expected in {buc.normalize(c) for c in plain[index].candidates})
            got = buc.normalize(chosen[index].text)
            direction.imported.count(got == expected)
            if got != expected:
                example = f"{_char(phrase, index)} {psp.format_syllable(phrase.citation[index])} → {got}, source {spelled}"
                direction.mismatch(_psp_to_buc_cause(chosen[index].candidates, expected), example)
    return direction


def _psp_to_buc_cause(candidates: tuple[str, ...], expected: str) -> str:
    if expected not in {buc.normalize(c) for c in candidates}:
        return "the source's BUC is not among the candidates (another reading, or a tone PSP gives otherwise)"
    if buc.NASAL in expected or any(buc.NASAL in c for c in candidates):
        return "nasal vowel (ⁿ): the character's recorded readings have both or neither"
    return "several BUC finals for one PSP final (uei: oi or uai): the recorded readings do not decide"


def _connected(
    phrases: list[_Phrase], readings: Readings, included: Callable[[_Phrase], bool], which: str
) -> Direction:
    direction = Direction(f"citation → connected speech ({which}, per syllable)", "≥ 95 %")
    for phrase in filter(included, phrases):
        if len(phrase.spoken) != len(phrase.citation):
            continue
        plain = connected_form(phrase.citation)
        chosen, _ = connected_of_word(phrase.citation, phrase.hanzi, readings)
        for index, want in enumerate(phrase.spoken):
            direction.without.count(plain[index].initial == want.initial)
            got = chosen[index]
            ok = got.initial == want.initial
            direction.imported.count(ok)
            if not ok:
                cited = phrase.citation[index]
                example = (
                    f"{phrase.hanzi} {psp.format_word(phrase.citation)} → {psp.format_word(chosen)}, "
                    f"source {psp.format_word(phrase.spoken)}"
                )
                direction.mismatch(_connected_cause(cited, got, want), example)
    return direction


def _connected_cause(cited: Syllable, got: Syllable, want: Syllable) -> str:
    if want.initial == cited.initial:
        return "the source records no change here (literary words, compounds across a word boundary)"
    if got.initial == cited.initial:
        return "the source changes an initial the rules keep (after -h: 七十 cih6 leh7; words a dictionary records unchanged)"
    return "another outcome than the rules' (e.g. b → m after an open syllable, 倒爿 do4 me2)"


def _characters(path: Path, readings: Readings) -> list[Direction]:
    """BUC character readings against the Rime dictionary's readings of the same characters."""
    to_psp = Direction("BUC → PSP (character readings, found among the dictionary's readings)", "–")
    to_buc = Direction("PSP → BUC (dictionary readings of characters, a recorded BUC among the candidates)", "–")
    to_buc.among_candidates = Rate()
    document = read_source(path)
    for entry in document.entries:
        char = entry.headword
        recorded_psp = set(readings.psp_of(char))
        spellings = [s.strip() for s in entry.buc.split("/") if s.strip()]
        if not recorded_psp or not spellings:
            continue
        for spelling in spellings:
            try:
                plain = psp.format_syllable(psp_of_buc_word([spelling])[0][0])
                chosen = psp_of_buc_word([spelling], char, readings)[0][0]
            except RomanizationError:
                continue
            to_psp.without.count(plain in recorded_psp)
            ok = psp.format_syllable(chosen) in recorded_psp
            to_psp.imported.count(ok)
            if not ok:
                to_psp.mismatch(
                    _character_cause(chosen, recorded_psp),
                    f"{char} {spelling} → {psp.format_syllable(chosen)}, dictionary {' '.join(sorted(recorded_psp))}",
                )
        recorded_buc = {buc.normalize(s) for s in spellings}
        for reading in sorted(recorded_psp):
            syllable = psp.parse_syllable(reading)
            try:
                candidates = {buc.normalize(c) for c in buc.candidates(syllable)}
                chosen_buc = buc.normalize(buc_of_word([syllable], char, readings)[0].text)
            except RomanizationError:
                continue
            to_buc.among_candidates.count(bool(candidates & recorded_buc))
            to_buc.without.count(buc.normalize(buc.candidates(syllable)[0]) in recorded_buc)  # noqa: RUF015
            to_buc.imported.count(chosen_buc in recorded_buc)
    return [to_psp, to_buc]


def _character_cause(chosen: Syllable, recorded: set[str]) -> str:
    same_final = [r for r in recorded if psp.parse_syllable(r).toneless == chosen.toneless]
    if same_final:
        return "tone differs (the modern accent merged tones: 陰入 without its stop read as 陽去, 食 sia̍h → sia2)"
    return "the dictionary records other readings (literary/colloquial, 19th-century vowels)"


def _lexicon(knowledge_dir: Path, imported: Readings) -> dict[str, Counter[str]]:
    """Our own lexicon: how often a derivation disagrees with what the entry's source records.

    Derived by the rules alone, and with the imported readings (not with the lexicon's own,
    which would let an entry's recorded form decide its own derivation).
    """
    documents = [read_source(p, curated=True) for p in sorted((knowledge_dir / "lexicon").glob("*.tsv"))]
    counts: dict[str, Counter[str]] = {"rules alone": Counter(), "with the imported readings": Counter()}
    for entry in (entry for document in documents for entry in document.entries):
        for label, readings in (("rules alone", None), ("with the imported readings", imported)):
            for disagreement in pronounce(entry, readings).disagreements:
                counts[label][disagreement.split(":")[0]] += 1
        counts["rules alone"]["entries"] += 1
    return counts


def _char(phrase: _Phrase, index: int) -> str:
    return phrase.chars[index] if phrase.chars else phrase.hanzi


