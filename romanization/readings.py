"""Attested readings of characters and words, gathered from lexicons and imported dictionaries.

Rules cannot tell whether PSP `bua4` is BUC `bua̍` or `bua̍ⁿ`, whether BUC `pā` is tone 5 or a
陰入 that lost its stop, or whether a literary word undergoes 声母类化. The readings a dictionary
records for a character or a word can. This store holds them; `words.py` consults it. It is
filled by the caller (the web app from its knowledge base, a test from files it imported):
nothing here reads files or ships data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from romanization import buc, psp
from romanization.errors import RomanizationError


@dataclass
class WordReadings:
    citation: list[str] = field(default_factory=list)  # PSP, canonical spelling, syllables space-separated
    connected: list[str] = field(default_factory=list)  # PSP as spoken (after 声母类化)
    buc: list[str] = field(default_factory=list)  # BUC syllables, normalized, space-separated


def canonical_psp(text: str) -> str | None:
    """PSP syllables in canonical spelling (ieu → ieo, au → ao, ...), or None if one is not PSP."""
    try:
        return psp.format_word([psp.parse_syllable(part) for part in text.replace("-", " ").split()])
    except RomanizationError:
        return None


class Readings:
    def __init__(self) -> None:
        self._char_psp: dict[str, list[str]] = defaultdict(list)
        self._char_buc: dict[str, list[str]] = defaultdict(list)
        self._words: dict[str, WordReadings] = defaultdict(WordReadings)
        self.rejected = 0  # readings that did not parse (typos in a dictionary)

    def __len__(self) -> int:
        return len(self._char_psp.keys() | self._char_buc.keys() | self._words.keys())

    def add(
        self, hanzi: str, *, citation: str = "", connected: str = "", buc_readings: Iterable[str] = ()
    ) -> None:
        """What a source records for a character or word: PSP citation/spoken forms, BUC spellings.

        A one-character entry's readings are the character's; a word's BUC syllables are its
        characters' too (BUC spells citation forms), and so is its citation PSP.
        """
        hanzi = hanzi.strip()
        if not hanzi:
            return
        word = self._words[hanzi] if len(hanzi) > 1 else None
        for text, target, per_char in ((citation, "citation", True), (connected, "connected", False)):
            if not text:
                continue
            canonical = canonical_psp(text)
            if canonical is None:
                self.rejected += 1
                continue
            if word is not None:
                _append(getattr(word, target), canonical)
            if per_char and (word is None or len(canonical.split()) == len(hanzi)):
                for char, syllable in zip(hanzi, canonical.split(), strict=False):
                    _append(self._char_psp[char], syllable)
        for reading in buc_readings:
            # Kept with their `*` (a 陽入 whose stop is lost today), which words.py reads.
            syllables = [buc.normalize(s, keep_long_mark=True) for s in reading.replace("-", " ").split()]
            if not syllables:
                continue
            if word is not None:
                _append(word.buc, " ".join(syllables))
            if len(syllables) == len(hanzi):
                for char, syllable in zip(hanzi, syllables, strict=True):
                    _append(self._char_buc[char], syllable)

    def psp_of(self, char: str) -> list[str]:
        return self._char_psp.get(char, [])

    def buc_of(self, char: str) -> list[str]:
        return self._char_buc.get(char, [])

    def word(self, hanzi: str) -> WordReadings | None:
        return self._words.get(hanzi)


def _append(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
