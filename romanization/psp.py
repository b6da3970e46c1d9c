"""Pouseng Ping'ing (莆仙话拼音, PSP): the pivot spelling, with tone digits 1–8.

The inventories are written from the public descriptions of the Putian (莆田) and Xianyou (仙游)
accents (Wiktionary's Puxian tables, the PSP README of borhlang-ime): fifteen initials, 40 finals
in Putian and 44 in Xianyou, where Xianyou keeps the nasal vowels Putian lost (written with `nn`
or `ⁿ`). Sources spell some finals differently; those spellings are read and folded to one.
"""

from __future__ import annotations

import re
import unicodedata

from romanization.errors import RomanizationError
from romanization.syllable import POINT_NAMES, Point, Syllable

INITIALS: tuple[str, ...] = ("b", "p", "m", "d", "t", "n", "l", "z", "c", "s", "g", "k", "ng", "h", "")
# Longest first, so that `ng` is tried before `n`.
_INITIALS_BY_LENGTH = tuple(sorted((i for i in INITIALS if i), key=len, reverse=True))

_PUTIAN_OPEN = "a e oe or o i y u ia ieo iu ai ao ou ua uei ui yor"
_PUTIAN_NASAL = "ung ng ang yorng oeng uang ong orng eng ieng ing yng"
_PUTIAN_CHECKED = "ah eh ieh oeh yorh uah oh orh ih yh"
# Seen in the sources beside the table's 40 (iah in Wiktionary, uh and ae in both lexicons).
_PUTIAN_RARE = "iah uh ae uoh"
_XIANYOU = (
    "a ann e inn oe ynn or ornn o i y u ia iann ieo iunn iu ai ao ou ua uann uei uinn ui ya yann "
    "ng ang yoeng uong orng eng ieng ing yng ah eh ieh yoeh uoh orh ih yh"
)
FINALS: dict[Point, frozenset[str]] = {
    "putian": frozenset(f"{_PUTIAN_OPEN} {_PUTIAN_NASAL} {_PUTIAN_CHECKED} {_PUTIAN_RARE}".split()),
    "xianyou": frozenset(_XIANYOU.split()),
}
NASAL_VOWEL_FINALS = frozenset(f for f in FINALS["xianyou"] if f.endswith("nn"))

# Spellings other sources use for the same final: HinghuaFactory writes ieu/au/ue, hinghwa.cn
# uai and a superscript ⁿ (noeⁿ5 = ynn); Wiktionary's ieo/ao/uei are canonical here.
VARIANTS: dict[str, str] = {
    "ieu": "ieo",
    "au": "ao",
    "ue": "uei",
    "uai": "uei",
    "oenn": "ynn",
    "uenn": "uinn",
}

_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸", "12345678")
_SYLLABLE = re.compile(r"^([a-z]+)([0-9])?$")


def normalize_spelling(text: str) -> str:
    """Lower case, NFC, superscript tone digits as digits, ⁿ as nn."""
    text = unicodedata.normalize("NFC", text.strip().lower()).translate(_SUPERSCRIPT_DIGITS)
    return text.replace("ⁿ", "nn")


def canonical_final(final: str) -> tuple[str, str | None]:
    """The canonical spelling of a final and the variant it was folded from (None if none)."""
    folded = VARIANTS.get(final)
    return (folded, final) if folded else (final, None)


def split_toneless(body: str, point: Point | None = None) -> tuple[str, str, Point] | None:
    """(initial, canonical final, point) of a toneless PSP spelling, or None if it spells none."""
    points: tuple[Point, ...] = (point,) if point else ("putian", "xianyou")
    for candidate_point in points:
        finals = FINALS[candidate_point]
        for initial in (*_INITIALS_BY_LENGTH, ""):
            if not body.startswith(initial):
                continue
            final, _ = canonical_final(body[len(initial) :])
            if final in finals:
                return initial, final, candidate_point
    return None


def parse_syllable(text: str, point: Point | None = None) -> Syllable:
    """One PSP syllable (`tau2`, `horng1`, `guoh8`, toneless `tau`); `RomanizationError` if invalid."""
    spelled = normalize_spelling(text)
    match = _SYLLABLE.match(spelled)
    if not match:
        raise RomanizationError(text, "psp", "PSP uses the letters a–z and one tone digit 1–8 at the end")
    body, digit = match.groups()
    if digit is not None and not 1 <= int(digit) <= 8:
        raise RomanizationError(text, "psp", f"the tone digit is {digit}; PSP tones are 1–8")
    split = split_toneless(body, point)
    if split is None:
        where = f" of {POINT_NAMES[point]}" if point else ""
        raise RomanizationError(text, "psp", f"{body!r} is not an initial followed by a final{where}")
    initial, final, found_point = split
    return Syllable(initial, final, int(digit) if digit else None, found_point)


def format_syllable(syllable: Syllable) -> str:
    tone = "" if syllable.tone is None else str(syllable.tone)
    return f"{syllable.initial}{syllable.final}{tone}"


def format_word(syllables: list[Syllable]) -> str:
    return " ".join(format_syllable(s) for s in syllables)
