"""Hinghwa Romanized (興化平話字, BUC): diacritic tones, hyphenated words, 1890s city accent.

BUC → PSP follows from rules, with two ambiguities the modern accent introduced: a syllable
with a macron is 陽去 (tone 5) or a 陰入 that lost its glottal stop (tone 6, 拍 pā = pa6), and
some 陽入 syllables (`-h` with a vertical line) kept the stop while others lost it (六 la̍h =
la7). PSP → BUC does not follow from rules: Putian lost the nasal vowels BUC writes with ⁿ, so
PSP `bua4` may be `bua̍` or `bua̍ⁿ`. Both directions return ranked candidates; `readings.py` picks
among them by a character's attested readings. Frequencies behind the default order were counted
on the Wiktionary phrase list (docs/romanization.md).

The finals below are written from the public BUC tables (Wikipedia "Hinghwa Romanized",
Wiktionary's correspondence tables); each says which letter carries the tone mark.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from romanization.errors import RomanizationError
from romanization.syllable import Syllable

# Combining marks of the tones (NFD): 陽平 acute, 上聲 circumflex, 陰去/陽入 vertical line, 陽去 macron.
ACUTE, CIRCUMFLEX, VERTICAL_LINE, MACRON = "\u0301", "\u0302", "\u030d", "\u0304"
TONE_MARKS = (ACUTE, CIRCUMFLEX, VERTICAL_LINE, MACRON)
DIAERESIS_BELOW = "\u0324"  # a̤ e̤ o̤ ṳ
NASAL = "ⁿ"
# A `*` after a reading (Wiktionary's character table) marks a 陽入 whose glottal stop the
# modern accent lost (學 eo̍h* = o7).
LONG_MARK = "*"

INITIALS_TO_PSP: dict[str, str] = {
    "b": "b", "p": "p", "m": "m", "d": "d", "t": "t", "n": "n", "l": "l", "c": "z", "ch": "c",
    "s": "s", "g": "g", "k": "k", "ng": "ng", "h": "h", "": "",
}  # fmt: skip
INITIALS_FROM_PSP = {psp: buc for buc, psp in INITIALS_TO_PSP.items()}
_INITIALS_BY_LENGTH = tuple(sorted((i for i in INITIALS_TO_PSP if i), key=len, reverse=True))

FinalKind = Literal["oral", "nasal", "checked", "long"]


@dataclass(frozen=True)
class BucFinal:
    spelling: str  # NFC, e.g. "a̤u"
    psp: str  # the Putian PSP final
    mark_at: int  # which letter (a̤ counts as one) carries the tone mark
    kind: FinalKind  # long: written with -h, read today without the stop


def _finals(kind: FinalKind, table: str) -> list[BucFinal]:
    """`spelling=psp@mark` items; the mark index defaults to 0."""
    finals = []
    for item in table.split():
        spelling, _, rest = item.partition("=")
        psp, _, mark = rest.partition("@")
        finals.append(BucFinal(unicodedata.normalize("NFC", spelling), psp, int(mark or 0), kind))
    return finals


FINALS: tuple[BucFinal, ...] = (
    *_finals(
        "oral",
        "a=a a̤=e e̤=oe o̤=or eo=o@1 i=i ṳ=y u=u ia=ia@1 a̤u=ieo iu=iu@1 ai=ai au=ao o=ou ua=ua@1 "
        "oi=uei uai=uei@1 ui=ui io̤=yor@1 e=ae "
        "ang=ang io̤ng=yorng@1 e̤ng=oeng uang=uang@1 eong=ong@1 o̤ng=orng eng=eng iang=ieng@1 ing=ing ṳng=yng",
    ),
    *_finals("nasal", "aⁿ=a a̤ⁿ=e e̤ⁿ=oe o̤ⁿ=or iaⁿ=ia@1 a̤uⁿ=ieo uaⁿ=ua@1 oiⁿ=uei io̤ⁿ=yor@1"),
    *_finals(
        "checked",
        "ah=ah eh=eh iah=ieh@1 iah=iah@1 e̤h=oeh io̤h=yorh@1 uah=uah@1 eoh=oh@1 o̤h=orh ih=ih ṳh=yh uh=uh",
    ),
    # Same letters as checked ones, read open today; a̤h, a̤uh and oih only occur this way.
    *_finals("long", "ah=a a̤h=e iah=ia@1 a̤uh=ieo@1 oih=uei uah=ua@1 eoh=o@1 o̤h=or ih=i io̤h=yor@1 e̤h=oe"),
)
# Syllabic ng: after an initial (`mńg`) it is PSP ung; alone (`n̄g`) it is PSP ng.
SYLLABIC_NG = BucFinal("ng", "ung", 0, "oral")
SYLLABIC_NG_ALONE = BucFinal("ng", "ng", 0, "oral")

_BY_SPELLING: dict[str, list[BucFinal]] = {}
for _final in (*FINALS, SYLLABIC_NG):
    _BY_SPELLING.setdefault(_final.spelling, []).append(_final)

# PSP final → BUC finals in the order they are most often attested (Wiktionary phrase list:
# a 241 × a vs 70 × aⁿ, but yor 94 × io̤ⁿ vs 44 × io̤).
_FROM_PSP_ORDER: dict[str, tuple[str, ...]] = {
    "a": ("a", "aⁿ"), "e": ("a̤", "a̤ⁿ"), "oe": ("e̤", "e̤ⁿ"), "or": ("o̤", "o̤ⁿ"), "ia": ("ia", "iaⁿ"),
    "ua": ("ua", "uaⁿ"), "ieo": ("a̤u", "a̤uⁿ"), "uei": ("oi", "oiⁿ", "uai"), "yor": ("io̤ⁿ", "io̤"),
}  # fmt: skip
# Xianyou finals: nasal ones map one to one (both keep the nasal vowels); the rest by the
# correspondences of the two accents' rhyme tables.
_XIANYOU_TO_BUC: dict[str, tuple[str, ...]] = {
    "ann": ("aⁿ",), "inn": ("a̤ⁿ",), "ynn": ("e̤ⁿ",), "ornn": ("o̤ⁿ",), "iann": ("iaⁿ",), "iunn": ("a̤uⁿ",),
    "uann": ("uaⁿ",), "uinn": ("oiⁿ",), "yann": ("io̤ⁿ",), "ya": ("io̤",), "yoeng": ("e̤ng", "io̤ng"),
    "uong": ("uang", "eong"), "yoeh": ("e̤h", "io̤h"), "uoh": ("uah", "eoh"),
}  # fmt: skip


@dataclass(frozen=True)
class BucSyllable:
    """A BUC syllable as written: the letters without the tone mark, and the tone mark."""

    initial: str
    final: BucFinal
    mark: str  # one of TONE_MARKS or ""
    long_marked: bool = False  # written with `*`
    capitalized: bool = False


def tone_of(final: BucFinal, mark: str) -> tuple[int, ...]:
    """PSP tones a BUC tone mark stands for, most likely first."""
    stop = final.spelling.endswith("h")
    if not mark:
        return (6,) if stop else (1,)
    if mark == VERTICAL_LINE:
        return (7,) if stop else (4,)
    if mark == MACRON and not stop:
        return (5, 6)  # 6: a 陰入 that lost its stop
    return {ACUTE: (2,), CIRCUMFLEX: (3,), MACRON: (5,)}[mark]


def read_syllable(text: str) -> BucSyllable:
    """Split one BUC syllable into initial, final and tone mark (NFC or NFD, `nn` for ⁿ)."""
    decomposed = unicodedata.normalize("NFD", text.strip())
    capitalized = decomposed[:1].isupper()
    decomposed = decomposed.lower()
    long_marked = decomposed.endswith(LONG_MARK)
    decomposed = decomposed.removesuffix(LONG_MARK)
    marks = [ch for ch in decomposed if ch in TONE_MARKS]
    if len(marks) > 1:
        raise RomanizationError(text, "buc", "a syllable carries one tone mark at most")
    letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    letters = re.sub(r"nn(h?)$", NASAL + r"\1", letters) if not letters.endswith("ng") else letters
    if not letters or not re.fullmatch(r"[a-zⁿ\u0324a̤e̤o̤ṳ]+", letters):
        raise RomanizationError(text, "buc", "BUC uses the letters a–z, a̤ e̤ o̤ ṳ, ⁿ and tone marks")
    initial, final = _split(text, letters)
    if long_marked and final.kind == "checked":
        final = next((f for f in _BY_SPELLING[final.spelling] if f.kind == "long"), final)
    return BucSyllable(initial, final, marks[0] if marks else "", long_marked, capitalized)


def _split(text: str, letters: str) -> tuple[str, BucFinal]:
    for initial in (*_INITIALS_BY_LENGTH, ""):
        if not letters.startswith(initial):
            continue
        rest = letters[len(initial) :]
        finals = _BY_SPELLING.get(rest)
        if not finals:
            continue
        if rest == "ng":  # syllabic ng: PSP ng alone, ung after an initial
            if initial == "ng":
                continue
            return initial, SYLLABIC_NG if initial else SYLLABIC_NG_ALONE
        return initial, finals[0]
    raise RomanizationError(text, "buc", f"{letters!r} is not an initial followed by a final")


def to_psp_candidates(syllable: BucSyllable) -> list[Syllable]:
    """The PSP readings of a BUC syllable, most likely first."""
    initial = INITIALS_TO_PSP[syllable.initial]
    spelling = syllable.final.spelling
    finals = [syllable.final] if spelling == "ng" else list(_BY_SPELLING[spelling])
    if syllable.long_marked:
        finals = [f for f in finals if f.kind == "long"] or finals
    elif syllable.mark != VERTICAL_LINE:
        # Only 陽入 (vertical line + h) lost the stop while keeping -h in BUC; 陰入 that lost it
        # is written without h.
        finals = [f for f in finals if f.kind != "long"] or finals
    candidates: list[Syllable] = []
    for final in finals:
        for tone in tone_of(final, syllable.mark):
            candidates.append(Syllable(initial, final.psp, tone, "putian", final.spelling))
    return candidates


def parse_syllable(text: str) -> Syllable:
    """The most likely PSP reading of one BUC syllable."""
    return to_psp_candidates(read_syllable(text))[0]


def finals_for(syllable: Syllable) -> list[BucFinal]:
    """BUC finals that can write a PSP syllable, most likely first."""
    if syllable.buc_final is not None:
        exact = [f for f in _BY_SPELLING.get(syllable.buc_final, []) if f.psp == syllable.final]
        if exact:
            return exact[:1]
    final = syllable.final
    if final == "ung":
        return [SYLLABIC_NG]
    if final == "ng":
        return [SYLLABIC_NG_ALONE]
    # Xianyou finals, and uoh, which Putian has only in the glottalised pronoun 我 guoh8.
    if final in _XIANYOU_TO_BUC and (syllable.point == "xianyou" or final == "uoh"):
        spellings = _XIANYOU_TO_BUC[final]
        return [
            f for s in spellings for f in _BY_SPELLING[unicodedata.normalize("NFC", s)] if f.kind != "long"
        ]
    open_final = not final.endswith(("h", "ng"))
    if open_final and syllable.tone == 7:
        # A 陽入 read open today: BUC writes the stop it had (none: BUC cannot spell it).
        return [f for f in FINALS if f.kind == "long" and f.psp == final]
    return _open_finals(final) if open_final else [f for f in FINALS if f.psp == final and f.kind != "long"]


def _open_finals(psp_final: str) -> list[BucFinal]:
    order = _FROM_PSP_ORDER.get(psp_final)
    if order:
        return [
            next(f for f in _BY_SPELLING[unicodedata.normalize("NFC", s)] if f.kind != "long") for s in order
        ]
    return [f for f in FINALS if f.psp == psp_final and f.kind in ("oral", "nasal")]


def mark_for(tone: int | None, final: BucFinal) -> str:
    """The tone mark BUC writes for a PSP tone (tone 8, glottalised pronouns, is written as 7)."""
    if tone is None or tone == 1:
        return ""
    if tone == 6:  # an open 陰入 lost its stop, and BUC writes it like 陽去
        return "" if final.spelling.endswith("h") else MACRON
    return {2: ACUTE, 3: CIRCUMFLEX, 4: VERTICAL_LINE, 5: MACRON, 7: VERTICAL_LINE, 8: VERTICAL_LINE}[tone]


def write(initial: str, final: BucFinal, mark: str, capitalized: bool = False) -> str:
    """Letters with the tone mark on the letter the final names, in NFC."""
    letters = _letters(final.spelling)
    if mark:
        letters[final.mark_at] += mark
    text = unicodedata.normalize("NFC", initial + "".join(letters))
    return text[:1].upper() + text[1:] if capitalized else text


def _letters(spelling: str) -> list[str]:
    """Letters of a spelling, each with its combining diaeresis below (a̤ is one letter)."""
    letters: list[str] = []
    for ch in unicodedata.normalize("NFD", spelling):
        if ch == DIAERESIS_BELOW and letters:
            letters[-1] += ch
        else:
            letters.append(ch)
    return letters


def candidates(syllable: Syllable) -> list[str]:
    """BUC spellings of a PSP syllable, most likely first."""
    finals = finals_for(syllable)
    if not finals:
        spelled = syllable.toneless + ("" if syllable.tone is None else str(syllable.tone))
        raise RomanizationError(
            spelled, "psp", f"BUC has no spelling for the final {syllable.final!r} in this tone"
        )
    initial = INITIALS_FROM_PSP[syllable.initial]
    return list(dict.fromkeys(write(initial, final, mark_for(syllable.tone, final)) for final in finals))


def format_syllable(syllable: Syllable) -> str:
    return candidates(syllable)[0]


def normalize(text: str, keep_long_mark: bool = False) -> str:
    """A BUC spelling compared as text: NFC, lower case, `nn` as ⁿ, without `*` unless kept."""
    text = unicodedata.normalize("NFC", text.strip().lower())
    long = text.endswith(LONG_MARK)
    text = text.removesuffix(LONG_MARK)
    if not text.endswith("ng"):
        text = re.sub(r"nn(h?)$", NASAL + r"\1", text)
    return text + LONG_MARK if long and keep_long_mark else text
