"""Converting syllables, words and whole texts between PSP, BUC and IPA.

Every word is read into PSP syllables (the pivot), its connected-speech form is derived, and
both are written in each target system. Han characters next to a word of as many syllables
(`食飯 sia2 mue5`) are taken as its characters, so that their recorded readings can decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from romanization import buc, ipa, psp
from romanization.errors import RomanizationError
from romanization.readings import Readings
from romanization.syllable import SYSTEMS, Point, Syllable, System
from romanization.text import Token, detect_system, syllables_of, tokenize
from romanization.words import Basis, Choice, buc_of_word, connected_of_word, psp_of_buc_word


@dataclass(frozen=True)
class SyllableResult:
    input: str
    initial: str
    final: str
    tone: int | None
    point: Point
    psp: str
    buc: str
    buc_candidates: tuple[str, ...]
    buc_basis: Basis
    ipa: str
    connected_psp: str  # the syllable in the word's connected-speech form
    connected_ipa: str
    note: str | None = None  # e.g. an IPA tone that is a sandhi value


@dataclass(frozen=True)
class WordResult:
    input: str
    system: System
    hanzi: str | None
    syllables: tuple[SyllableResult, ...]
    connected_basis: Basis  # word: a dictionary records the spoken form; rule: derived

    def written(self, system: System, connected: bool = False) -> str:
        """The word in one system: PSP syllables spaced, BUC hyphenated, IPA in brackets."""
        if system == "psp":
            return " ".join(s.connected_psp if connected else s.psp for s in self.syllables)
        if system == "ipa":
            return "[" + " ".join(s.connected_ipa if connected else s.ipa for s in self.syllables) + "]"
        if connected:
            return "-".join(_connected_buc(s) for s in self.syllables)
        return "-".join(s.buc for s in self.syllables)


@dataclass(frozen=True)
class Conversion:
    input: str
    source: System | None  # the system of the words (None: the text had no romanized word)
    point: Point
    words: tuple[WordResult, ...]
    text: dict[str, str] = field(default_factory=dict)  # the input rewritten in each target system
    connected_text: dict[str, str] = field(default_factory=dict)


def convert(
    text: str,
    source: System | None = None,
    targets: Sequence[System] = SYSTEMS,
    point: Point = "putian",
    readings: Readings | None = None,
) -> Conversion:
    """Convert every romanized word of `text` (`source` None: detected per word); others kept.

    Raises `RomanizationError` naming the first syllable that is not valid in its system.
    """
    tokens = tokenize(text)
    results: list[WordResult] = []
    rendered: dict[str, list[str]] = {system: [] for system in targets}
    connected: dict[str, list[str]] = {system: [] for system in targets}
    for index, token in enumerate(tokens):
        if token.kind != "word":
            for parts in (*rendered.values(), *connected.values()):
                parts.append(token.text)
            continue
        word = convert_word(token.text, source, point, readings, _adjacent_hanzi(tokens, index))
        results.append(word)
        for system in targets:
            rendered[system].append(word.written(system))
            connected[system].append(word.written(system, connected=True))
    systems = {w.system for w in results}
    return Conversion(
        input=text,
        source=systems.pop() if len(systems) == 1 else source,
        point=point,
        words=tuple(results),
        text={system: "".join(parts) for system, parts in rendered.items()},
        connected_text={system: "".join(parts) for system, parts in connected.items()},
    )


def convert_word(
    word: str,
    source: System | None = None,
    point: Point = "putian",
    readings: Readings | None = None,
    hanzi: str | None = None,
) -> WordResult:
    """One romanized word in every system, citation and connected-speech forms."""
    parts = syllables_of(word)
    if not parts:
        raise RomanizationError(word, source or "psp", "there is no syllable")
    system = source or detect_system(word)
    chars = hanzi if hanzi and len(hanzi) == len(parts) else None
    try:
        citation, notes = _read(parts, system, point, readings, chars)
    except RomanizationError as not_psp:
        if source is not None or system != "psp" or not word.isascii() or any(c.isdigit() for c in word):
            raise
        # Toneless ASCII that is not PSP may be BUC typed without its marks (tau mng).
        try:
            citation, notes = _read(parts, "buc", point, readings, chars)
        except RomanizationError:
            raise not_psp from None
        system = "buc"
    if source is None and system == "buc" and word.isascii():
        citation = [syllable.with_tone(None) for syllable in citation]
    spoken, basis = connected_of_word(citation, chars, readings)
    buc_choices = _buc_choices(parts, citation, system, chars, readings)
    syllables = tuple(
        SyllableResult(
            input=part, initial=syl.initial, final=syl.final, tone=syl.tone, point=syl.point,
            psp=psp.format_syllable(syl), buc=choice.text, buc_candidates=choice.candidates,
            buc_basis=choice.basis,
            ipa=ipa.format_syllable(syl), connected_psp=psp.format_syllable(said),
            connected_ipa=ipa.format_syllable(said), note=note,
        )
        for part, syl, said, choice, note in zip(parts, citation, spoken, buc_choices, notes, strict=True)
    )  # fmt: skip
    return WordResult(word, system, chars, syllables, basis)


def _read(
    parts: list[str], system: System, point: Point, readings: Readings | None, hanzi: str | None
) -> tuple[list[Syllable], list[str | None]]:
    if system == "psp":
        return [psp.parse_syllable(part, point) for part in parts], [None] * len(parts)
    if system == "buc":
        return [syllable for syllable, _ in psp_of_buc_word(parts, hanzi, readings)], [None] * len(parts)
    read = [ipa.parse_syllable(part, point) for part in parts]
    return [syllable for syllable, _ in read], [note for _, note in read]


def _buc_choices(
    parts: list[str], citation: list[Syllable], system: System, hanzi: str | None, readings: Readings | None
) -> list[Choice]:
    if system == "buc":  # written in BUC already: keep the spelling as given
        return [Choice(buc.normalize(p), (buc.normalize(p),), "input") for p in parts]
    return buc_of_word(citation, hanzi, readings)


def _connected_buc(result: SyllableResult) -> str:
    """The BUC of a syllable with the initial it takes in connected speech."""
    if result.connected_psp == result.psp:
        return result.buc
    spoken = psp.parse_syllable(result.connected_psp)
    initial = buc.INITIALS_FROM_PSP[spoken.initial]
    original = buc.read_syllable(result.buc)
    return buc.write(initial, original.final, original.mark)


def _adjacent_hanzi(tokens: list[Token], index: int) -> str | None:
    """The Han characters right before a word (or right after it), across spaces and brackets."""
    for step in (-1, 1):
        position = index + step
        while (
            0 <= position < len(tokens)
            and tokens[position].kind == "other"
            and _is_glue(tokens[position].text)
        ):
            position += step
        if 0 <= position < len(tokens) and tokens[position].kind == "han":
            return tokens[position].text
    return None


def _is_glue(text: str) -> bool:
    return text.strip(" \t（）()“”\"'：:=") == ""
