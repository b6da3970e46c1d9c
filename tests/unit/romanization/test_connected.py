"""声母类化: connected-speech initials from the coda before them, and undoing them for search."""

from __future__ import annotations

import pytest

from romanization import psp
from romanization.connected import citation_initials, connected_form


def spoken(citation: str, point: str = "putian") -> str:
    return psp.format_word(connected_form([psp.parse_syllable(s, point) for s in citation.split()]))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("ging1 dua4", "ging1 nua4"),  # 今旦: after -ng, d → n
        ("horng1 sy2", "horng1 ny2"),  # 番薯: after -ng, s → n
        ("or5 dao4", "or5 lao4"),  # 下晝: after an open syllable, d → l
        ("a1 hia1", "a1 ia1"),  # 阿兄: h drops
        ("lo7 hou5", "lo7 ou5"),  # 落雨: an open 陽入 counts as open
        ("a1 zi3", "a1 li3"),  # 阿姊: z → l
        ("sia2 bue5", "sia2 uei5"),  # b drops after an open syllable (Wiktionary's Putian)
        ("ah6 gorng1", "ah6 gorng1"),  # after -h the initial stays
        ("dorng1 gao1", "dorng1 ngao1"),  # after -ng, g → ng
        ("sing1 iu2", "sing1 ngiu2"),  # and the zero initial → ng
    ],
)
def test_connected_speech_follows_the_coda_of_the_syllable_before(citation: str, expected: str) -> None:
    assert spoken(citation) == expected


def test_xianyou_changes_after_a_nasal_vowel_and_keeps_b_after_an_open_syllable() -> None:
    assert spoken("ga1 bua4", "xianyou") == "ga1 bua4"
    assert spoken("gann1 bua4", "xianyou") == "gann1 mua4"


def test_a_connected_initial_is_undone_to_the_citation_initials_it_may_come_from() -> None:
    assert set(citation_initials("l")) == {"l", "d", "t", "z", "c", "s"}  # leng2 may be 田 ceng2
    previous = psp.parse_syllable("ging1")
    assert citation_initials("n", previous) == ("n", "d", "t", "z", "c", "s", "l")
    assert citation_initials("g", psp.parse_syllable("ah6")) == ("g",)
