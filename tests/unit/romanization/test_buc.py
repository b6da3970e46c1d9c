"""BUC: diacritics in NFC or NFD, ⁿ or nn, and the two directions against attested spellings."""

from __future__ import annotations

import unicodedata

import pytest

from romanization import buc, psp
from romanization.errors import RomanizationError
from romanization.syllable import Syllable


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("táu", "tao2"),
        ("mńg", "mung2"),  # syllabic ng after an initial is PSP ung
        ("n̄g", "ng5"),  # alone it is PSP ng
        ("bua̍ⁿ", "bua4"),
        ("bua̍nn", "bua4"),
        ("chu̍i", "cui4"),  # BUC ch = PSP c
        ("ciû", "ziu3"),  # BUC c = PSP z
        ("cho̍", "cou4"),  # BUC o = PSP ou
        ("ah", "ah6"),  # unmarked with -h: 陰入
        ("di̍h", "dih7"),
        ("dṳ̄", "dy5"),
        ("gô̤ng", "gorng3"),
        ("Hing", "hing1"),
    ],
)
def test_buc_syllables_convert_to_psp(written: str, expected: str) -> None:
    assert psp.format_syllable(buc.parse_syllable(written)) == expected
    assert psp.format_syllable(buc.parse_syllable(unicodedata.normalize("NFD", written))) == expected


def test_ambiguous_buc_gives_ranked_candidates() -> None:
    # A macron on an open syllable: 陽去, or a 陰入 that lost its stop (百 bā = ba6).
    assert [psp.format_syllable(s) for s in buc.to_psp_candidates(buc.read_syllable("bā"))] == ["ba5", "ba6"]
    # A 陽入 written -h: kept its stop (dih7) or lost it (六 la̍h = la7); `*` says which.
    assert [psp.format_syllable(s) for s in buc.to_psp_candidates(buc.read_syllable("la̍h"))] == [
        "lah7",
        "la7",
    ]
    assert [psp.format_syllable(s) for s in buc.to_psp_candidates(buc.read_syllable("eo̍h*"))] == ["o7"]


@pytest.mark.parametrize(
    ("syllable", "candidates"),
    [
        ("bua4", ["bua̍", "bua̍ⁿ"]),  # Putian lost the nasal vowel BUC writes
        ("buei5", ["bōi", "bōiⁿ", "buāi"]),
        ("ba6", ["bā", "bāⁿ"]),  # an open 陰入 is written like 陽去
        ("la7", ["la̍h"]),  # an open 陽入 keeps its stop in BUC
        ("tao2", ["táu"]),
        ("sieo3", ["sâ̤u", "sâ̤uⁿ"]),
        ("yor2", ["ió̤ⁿ", "ió̤"]),
        ("ieo7", ["a̤u̍h"]),  # BUC marks the u of a̤uh
        ("mung2", ["mńg"]),
        ("gorh6", ["go̤h"]),
        ("ceng2", ["chéng"]),
    ],
)
def test_psp_gives_every_buc_spelling_most_likely_first(syllable: str, candidates: list[str]) -> None:
    assert buc.candidates(psp.parse_syllable(syllable)) == candidates


LOST_STOP_FINALS = {"a", "e", "ia", "ieo", "uei", "ua", "o", "or", "i", "yor", "oe"}


def test_every_psp_syllable_reads_back_from_each_of_its_buc_spellings() -> None:
    for initial in psp.INITIALS:
        for final in sorted(psp.FINALS["putian"] - {"ae", "uoh", "iah", "uh", "ng"}):
            if final == "ung" and initial in ("", "ng"):
                continue  # not syllables: PSP writes syllabic ng as ng
            # Checked finals take the checked tones; open ones all seven (6 and 7: a lost stop).
            tones = (6, 7) if final.endswith("h") else range(1, 6) if final.endswith("ng") else range(1, 8)
            for tone in tones:
                syllable = Syllable(initial, final, tone)
                if tone == 7 and not final.endswith("h") and final not in LOST_STOP_FINALS:
                    with pytest.raises(RomanizationError, match="no spelling"):
                        buc.candidates(syllable)  # no 陽入 ever lost its stop with this final
                    continue
                for spelling in buc.candidates(syllable):
                    back = [(s.final, s.tone) for s in buc.to_psp_candidates(buc.read_syllable(spelling))]
                    assert (final, tone) in back, (syllable, spelling, back)


def test_invalid_buc_names_the_syllable() -> None:
    with pytest.raises(RomanizationError, match="'qá'"):
        buc.parse_syllable("qá")
    with pytest.raises(RomanizationError, match="one tone mark"):
        buc.parse_syllable("tá̍u")
