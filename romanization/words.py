"""Word-level conversion: rules give ranked candidates, attested readings choose among them.

Every result says where it came from: `word` (the whole word is recorded in that form), `char`
(each character's recorded readings decided), `rule` (no recorded reading decided, so the most
frequent candidate stands) or `input` (the input was written in that system already).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from romanization import buc, psp
from romanization.connected import connected_form, possible_outcomes
from romanization.readings import Readings
from romanization.syllable import Syllable

Basis = Literal["word", "char", "rule", "input"]


@dataclass(frozen=True)
class Choice:
    """One syllable's conversion: the chosen text, the ranked candidates and what decided."""

    text: str
    candidates: tuple[str, ...]
    basis: Basis


def _chars(hanzi: str | None, count: int) -> list[str | None]:
    """The character of each syllable when the word has one character per syllable."""
    if hanzi and len(hanzi) == count:
        return list(hanzi)
    return [None] * count


def buc_of_word(
    syllables: Sequence[Syllable], hanzi: str | None = None, readings: Readings | None = None
) -> list[Choice]:
    """BUC for PSP syllables; with readings, the spelling each character is recorded with."""
    recorded = _recorded_buc(syllables, hanzi, readings)
    choices = []
    for index, (syllable, char) in enumerate(zip(syllables, _chars(hanzi, len(syllables)), strict=True)):
        options = buc.candidates(syllable)
        if recorded is not None:
            choices.append(Choice(recorded[index], tuple(options), "word"))
            continue
        attested = readings.buc_of(char) if readings is not None and char else []
        chosen = _pick(options, attested)
        choices.append(Choice(chosen or options[0], tuple(options), "char" if chosen else "rule"))
    return choices


def _recorded_buc(
    syllables: Sequence[Syllable], hanzi: str | None, readings: Readings | None
) -> list[str] | None:
    """The word's recorded BUC whose syllables convert back to these PSP syllables' finals."""
    word = readings.word(hanzi) if readings is not None and hanzi else None
    if word is None:
        return None
    for spelling in word.buc:
        parts = spelling.split()
        if len(parts) == len(syllables) and all(
            any(c.final == s.final for c in buc.to_psp_candidates(buc.read_syllable(p)))
            for p, s in zip(parts, syllables, strict=True)
        ):
            return parts
    return None


def _pick(options: Sequence[str], attested: Sequence[str]) -> str | None:
    """The first option recorded as is; else the first whose letters (tone aside) are recorded."""
    if not attested:
        return None
    plain = {buc.normalize(a) for a in attested}
    for option in options:
        if buc.normalize(option) in plain:
            return option
    bare = {_without_tone(a) for a in attested}
    for option in options:
        if _without_tone(option) in bare:
            return option
    return None


def _without_tone(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", buc.normalize(text))
    return "".join(ch for ch in decomposed if ch not in buc.TONE_MARKS)


def psp_of_buc_word(
    buc_syllables: Sequence[str], hanzi: str | None = None, readings: Readings | None = None
) -> list[tuple[Syllable, Choice]]:
    """PSP for BUC syllables; with readings, the reading each character is recorded with."""
    result = []
    for text, char in zip(buc_syllables, _chars(hanzi, len(buc_syllables)), strict=True):
        written = buc.read_syllable(text)
        options = buc.to_psp_candidates(written)
        spelled = [psp.format_syllable(o) for o in options]
        index = _recorded_choice(written, options, char, readings) if len(options) > 1 else None
        chosen = options[index or 0]
        result.append(
            (chosen, Choice(spelled[index or 0], tuple(spelled), "rule" if index is None else "char"))
        )
    return result


def _recorded_choice(
    written: buc.BucSyllable, options: Sequence[Syllable], char: str | None, readings: Readings | None
) -> int | None:
    """Which PSP reading a character's recorded BUC readings point to, if they point to one.

    A `*` on the same spelling marks a 陽入 that lost its stop; a recorded 陰入 reading (-h
    without a mark) says that a macron on the open spelling is a 陰入 that lost its stop too.
    """
    recorded = readings.buc_of(char) if readings is not None and char else []
    if not recorded:
        return None
    spelling = buc.normalize(buc.write(written.initial, written.final, written.mark))
    if any(r.endswith(buc.LONG_MARK) and buc.normalize(r) == spelling for r in recorded):
        return next((i for i, o in enumerate(options) if not o.checked), None)
    if written.mark == buc.MACRON and any(_is_yin_ru(r) for r in recorded):
        return next((i for i, o in enumerate(options) if o.tone == 6), None)
    return None


def _is_yin_ru(reading: str) -> bool:
    syllable = buc.read_syllable(reading)
    return not syllable.mark and syllable.final.spelling.endswith("h")


def connected_of_word(
    syllables: Sequence[Syllable], hanzi: str | None = None, readings: Readings | None = None
) -> tuple[list[Syllable], Basis]:
    """The word as spoken: as a dictionary records it when one does, else by the 声母类化 rules.

    A long word made of recorded words (中華 + 人民 + 共和國) changes within each of them, not
    across their boundaries, as the sources record such compounds.
    """
    if readings is None or not hanzi or len(hanzi) != len(syllables):
        return connected_form(syllables), "rule"
    spoken: list[Syllable] = []
    basis: Basis = "rule"
    for start, end in _recorded_parts(hanzi, readings):
        part = list(syllables[start:end])
        recorded = _recorded_connected(part, hanzi[start:end], readings)
        if recorded is not None:
            spoken.extend(recorded)
            basis = "word"
        else:
            spoken.extend(connected_form(part))
    return spoken, basis


def _recorded_parts(hanzi: str, readings: Readings) -> list[tuple[int, int]]:
    """The word split into the longest recorded words, left to right; unrecorded stretches stay whole."""
    parts: list[tuple[int, int]] = []
    start, unknown_from = 0, None
    while start < len(hanzi):
        end = next((e for e in range(len(hanzi), start + 1, -1) if readings.word(hanzi[start:e])), None)
        if end is None:
            unknown_from = start if unknown_from is None else unknown_from
            start += 1
            continue
        if unknown_from is not None:
            parts.append((unknown_from, start))
            unknown_from = None
        parts.append((start, end))
        start = end
    if unknown_from is not None:
        parts.append((unknown_from, len(hanzi)))
    return parts


def _recorded_connected(part: list[Syllable], hanzi: str, readings: Readings) -> list[Syllable] | None:
    """The recorded spoken form of this word (the rule's own when it is among several).

    A recorded form counts when it is this reading of the word: same finals, the same first
    initial, and every other initial one that 声母类化 can make of the citation one (下手
    recorded as or5 liu3 is another reading of 下, not the spoken form of hor5 ciu3).
    """
    word = readings.word(hanzi)
    if word is None:
        return None
    rule = connected_form(part)
    matching = []
    for spoken in word.connected:
        parsed = [psp.parse_syllable(s) for s in spoken.split()]
        if len(parsed) != len(part) or parsed[0].initial != part[0].initial:
            continue
        if all(
            p.final == s.final and p.initial in possible_outcomes(s.initial)
            for p, s in zip(parsed, part, strict=True)
        ):
            matching.append([p.with_tone(s.tone) for p, s in zip(parsed, part, strict=True)])
    if not matching:
        return None
    return rule if rule in matching else matching[0]


__all__ = ["Choice", "buc_of_word", "connected_of_word", "psp_of_buc_word"]
