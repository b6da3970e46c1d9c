"""IPA: written from PSP with Chao tone numbers; read with sources' variants, sandhi left unknown."""

from __future__ import annotations

import pytest

from romanization import ipa, psp
from romanization.errors import RomanizationError
from romanization.syllable import Syllable


@pytest.mark.parametrize(
    ("syllable", "point", "expected"),
    [
        ("ging1", "putian", "kiŋ533"),
        ("cou4", "putian", "tsʰou42"),
        ("sia2", "putian", "ɬia13"),
        ("gyor3", "putian", "kyɒ453"),
        ("dih7", "putian", "tiʔ4"),
        ("ba6", "putian", "pa21"),  # an open 陰入 keeps its tone value
        ("guann1", "xianyou", "kuã544"),
        ("zui3", "xianyou", "tsui332"),
    ],
)
def test_psp_is_written_in_ipa_with_the_points_tone_values(syllable: str, point: str, expected: str) -> None:
    assert ipa.format_syllable(psp.parse_syllable(syllable, point)) == expected  # type: ignore[arg-type]


def test_chao_tone_letters() -> None:
    assert ipa.format_syllable(psp.parse_syllable("ging1"), chao=True) == "kiŋ˥˧˧"
    assert ipa.parse_syllable("kiŋ˥˧˧")[0] == Syllable("g", "ing", 1)


def test_ipa_is_read_with_the_variants_sources_write() -> None:
    assert ipa.parse_syllable("tshɔu42") == (Syllable("c", "ou", 4), None)
    assert ipa.parse_syllable("khɔŋ42") == (Syllable("k", "ong", 4), None)
    assert ipa.parse_syllable("pue11") == (Syllable("b", "uei", 5), None)


def test_a_sandhi_tone_and_an_assimilated_coda_are_read_without_guessing() -> None:
    syllable, note = ipa.parse_syllable("kin55")
    assert syllable == Syllable("g", "ing", None)
    assert note is not None
    assert "55" in note
    syllable, note = ipa.parse_syllable("ak1")
    assert (syllable.initial, syllable.final, syllable.tone) == ("", "ah", None)


def test_invalid_ipa_names_the_syllable() -> None:
    with pytest.raises(RomanizationError, match="'kqz42'"):
        ipa.parse_syllable("kqz42")
