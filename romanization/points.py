"""Putian (莆田) and Xianyou (仙游) finals: how one accent's finals correspond to the other's.

From the two accents' rhyme tables (Wiktionary, as gathered by borhlang-ime): the example
characters of each Xianyou final and the finals the same characters have in Putian. Xianyou
keeps the nasal vowels that Putian lost; BUC still writes them (ⁿ), so a Putian word's BUC tells
which of its vowels Xianyou nasalizes.
"""

from __future__ import annotations

from romanization.syllable import Syllable

# Xianyou final → the Putian finals it corresponds to, most frequent first.
XIANYOU_TO_PUTIAN: dict[str, tuple[str, ...]] = {
    "ann": ("a",), "inn": ("e",), "ynn": ("oe",), "ornn": ("or",), "iann": ("ia",), "iunn": ("ieo",),
    "uann": ("ua",), "uinn": ("uei",), "yann": ("yor",), "ya": ("yor",), "yoeng": ("oeng", "yorng"),
    "uong": ("uang", "ong"), "yoeh": ("oeh", "yorh"), "uoh": ("uah", "oh"),
}  # fmt: skip
_NASALIZED = {"a": "ann", "e": "inn", "oe": "ynn", "or": "ornn", "ia": "iann", "ieo": "iunn", "ua": "uann",
              "uei": "uinn", "yor": "yann"}  # fmt: skip
_ORAL = {"yor": "ya", "oeng": "yoeng", "yorng": "yoeng", "uang": "uong", "ong": "uong", "oeh": "yoeh",
         "yorh": "yoeh", "uah": "uoh", "oh": "uoh", "ung": "ng"}  # fmt: skip


def putian_finals(final: str) -> tuple[str, ...]:
    """The Putian finals a final may stand for (itself when it is one)."""
    return XIANYOU_TO_PUTIAN.get(final, (final,))


def to_xianyou(syllable: Syllable, nasal: bool = False) -> Syllable:
    """The Xianyou counterpart of a Putian syllable; `nasal`: BUC writes its vowel with ⁿ."""
    if syllable.point == "xianyou":
        return syllable
    final = _NASALIZED.get(syllable.final) if nasal else None
    final = final or _ORAL.get(syllable.final, syllable.final)
    return Syllable(syllable.initial, final, syllable.tone, "xianyou")
