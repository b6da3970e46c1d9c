"""Whole words and texts: systems detected, Han characters and punctuation kept, readings deciding."""

from __future__ import annotations

import pytest

from romanization.convert import convert
from romanization.errors import RomanizationError
from romanization.readings import Readings


def test_a_sentence_keeps_its_han_characters_and_punctuation_in_place() -> None:
    result = convert("今旦 ging1 dua4，番薯 horng1 sy2。")
    assert result.source == "psp"
    assert result.text["psp"] == "今旦 ging1 dua4，番薯 horng1 sy2。"
    assert result.text["buc"] == "今旦 ging-dua̍，番薯 ho̤ng-sṳ́。"
    assert result.text["ipa"] == "今旦 [kiŋ533 tua42]，番薯 [hɒŋ533 ɬy13]。"
    assert result.connected_text["psp"] == "今旦 ging1 nua4，番薯 horng1 ny2。"
    assert [w.hanzi for w in result.words] == ["今旦", "番薯"]


def test_buc_words_convert_to_psp_and_ipa_and_keep_their_spelling() -> None:
    result = convert("Báⁿ-uā-ci̍")
    assert result.source == "buc"
    assert result.text == {"psp": "ba2 ua5 zi4", "buc": "báⁿ-uā-ci̍", "ipa": "[pa13 ua11 tsi42]"}
    assert result.connected_text["psp"] == "ba2 ua5 li4"


def test_ipa_words_convert_back() -> None:
    result = convert("[tʰau13 muŋ13]")
    assert result.source == "ipa"
    assert result.text["psp"] == "tao2 mung2"
    assert result.text["buc"] == "táu-mńg"


def test_buc_typed_without_marks_is_read_without_tones() -> None:
    result = convert("tau-mng")
    assert result.source == "buc"
    assert result.text["psp"] == "tao mung"


def test_recorded_readings_choose_the_buc_spelling_of_the_characters() -> None:
    readings = Readings()
    readings.add("旦", buc_readings=["dua̍ⁿ"])
    assert convert("ging1 dua4").text["buc"] == "ging-dua̍"
    result = convert("今旦 ging1 dua4", readings=readings)
    assert result.text["buc"] == "今旦 ging-dua̍ⁿ"
    assert [s.buc_basis for s in result.words[0].syllables] == ["rule", "char"]


def test_a_recorded_spoken_form_wins_over_the_rules() -> None:
    readings = Readings()
    readings.add("食飯", citation="sia2 bue5", connected="sia2 mue5")
    result = convert("食飯 sia2 bue5", readings=readings)
    assert result.connected_text["psp"] == "食飯 sia2 muei5"  # in canonical spelling
    assert result.words[0].connected_basis == "word"


@pytest.mark.parametrize(("text", "source", "syllable"), [("xq7", "psp", "xq7"), ("gua3 xq7", None, "xq7")])
def test_an_invalid_word_is_refused_naming_its_syllable(text: str, source: str | None, syllable: str) -> None:
    with pytest.raises(RomanizationError) as caught:
        convert(text, source)  # type: ignore[arg-type]
    assert caught.value.syllable == syllable
    assert caught.value.system == "psp"


def test_text_without_romanization_is_returned_as_it_is() -> None:
    result = convert("莆仙话有几个声调？2024 年")
    assert result.words == ()
    assert result.text["buc"] == "莆仙话有几个声调？2024 年"
