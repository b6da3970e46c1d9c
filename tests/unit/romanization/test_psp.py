"""PSP syllables: initials, finals, tones, the spellings sources use, and clear errors."""

from __future__ import annotations

import pytest

from romanization import psp
from romanization.errors import RomanizationError
from romanization.syllable import Syllable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tau2", Syllable("t", "ao", 2)),  # HinghuaFactory's au is Wiktionary's ao
        ("horng1", Syllable("h", "orng", 1)),
        ("guoh8", Syllable("g", "uoh", 8)),  # the glottalised pronoun tone
        ("ng5", Syllable("", "ng", 5)),  # syllabic ng
        ("nga2", Syllable("ng", "a", 2)),
        ("ieu2", Syllable("", "ieo", 2)),
        ("bue5", Syllable("b", "uei", 5)),
        ("buai5", Syllable("b", "uei", 5)),
        ("Ging¹", Syllable("g", "ing", 1)),  # superscript tone digits, capital letters
        ("sia", Syllable("s", "ia", None)),  # no tone given
    ],
)
def test_psp_syllables_are_read_into_canonical_initial_final_and_tone(text: str, expected: Syllable) -> None:
    assert psp.parse_syllable(text) == expected


def test_xianyou_nasal_vowels_are_read_with_nn_or_a_superscript_n() -> None:
    assert psp.parse_syllable("buiⁿ5") == Syllable("b", "uinn", 5, "xianyou")
    assert psp.parse_syllable("guann1", "xianyou") == Syllable("g", "uann", 1, "xianyou")
    with pytest.raises(RomanizationError, match="guann1"):
        psp.parse_syllable("guann1", "putian")  # Putian lost its nasal vowels


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("xq7", "'xq' is not an initial followed by a final"),
        ("ga9", "tone digit is 9"),
        ("ta-2", "letters a–z"),
    ],
)
def test_invalid_psp_names_the_syllable_and_the_reason(text: str, reason: str) -> None:
    with pytest.raises(RomanizationError) as caught:
        psp.parse_syllable(text)
    assert caught.value.syllable == text
    assert repr(text) in str(caught.value)
    assert reason in str(caught.value)


def test_a_syllable_is_written_back_in_canonical_spelling() -> None:
    assert psp.format_word([psp.parse_syllable(s) for s in ["lau5", "ma3"]]) == "lao5 ma3"
