"""Search input read into syllables: any system, with or without tones, marks, hyphens or spaces."""

from __future__ import annotations

import time

import pytest

from romanization.segment import initials_abbreviation, read_romanized


def best(text: str) -> str:
    readings = read_romanized(text)
    assert readings, f"{text!r} was not read"
    return " ".join(s.psp for s in readings[0].syllables)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("tau2 mung2", "tao2 mung2"),
        ("tao2 mung2", "tao2 mung2"),
        ("tau mung", "tao mung"),
        ("taumung", "tao mung"),
        ("tau2mung2", "tao2 mung2"),
        ("táu-mńg", "tao2 mung2"),
        ("tau-mng", "tao mung"),
        ("taumng", "tao mung"),
        ("sia̍h", "sieh7"),
        ("sia2", "sia2"),
        ("ging1 nua4", "ging1 nua4"),
        ("gingnua", "ging nua"),
        ("ging-dua̍ⁿ", "ging1 dua4"),  # an unmarked syllable of a marked BUC word is 陰平
        ("Báⁿ-uā-ci̍", "ba2 ua5 zi4"),
        ("go̤ng", "gorng1"),
        ("gorng", "gorng"),  # the ASCII stand-in or for o̤
        ("sya2", "syor2"),  # a Xianyou final read as its Putian counterpart
    ],
)
def test_romanized_input_is_read_as_putian_psp(typed: str, read: str) -> None:
    assert best(typed) == read


def test_the_folds_applied_are_reported() -> None:
    reading = read_romanized("taumng")[0]
    assert reading.folds == ("au→ao", "BUC ng=ung")
    assert [s.text for s in reading.syllables] == ["tau", "mng"]
    assert not reading.toned


def test_several_readings_are_offered_cheapest_first() -> None:
    readings = read_romanized("cing", limit=3)
    assert [" ".join(s.psp for s in r.syllables) for r in readings][:2] == [
        "cing",
        "zing",
    ]  # PSP c, or BUC c = z
    assert readings[0].cost < readings[1].cost


def test_input_that_is_not_romanization_has_no_reading() -> None:
    assert read_romanized("qwrtx") == []
    assert read_romanized("莆田") == []


def test_initial_letter_abbreviations() -> None:
    assert initials_abbreviation("pt") == "pt"
    assert initials_abbreviation("pu") is None


def test_a_long_query_is_read_in_milliseconds() -> None:
    text = "ging1 dua4 sia2 mue5 horng1 ny2 " * 6  # about 200 characters
    started = time.perf_counter()
    readings = read_romanized(text)
    assert time.perf_counter() - started < 1.0  # a guard against blow-ups; timings live in docs/benchmarks.md
    assert len(readings[0].syllables) == 36
