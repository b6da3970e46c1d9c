"""Puxian romanization: PSP (莆仙话拼音), BUC (興化平話字) and IPA, converted both ways.

Standalone and pure Python: nothing here imports the web application or reads data files.

    from romanization import convert
    convert("今旦 ging1 dua4").text["buc"]            # '今旦 ging-dua̍'
    convert("今旦 ging1 dua4").connected_text["psp"]  # '今旦 ging1 nua4'

`Readings` holds what lexicons record, to choose among candidates (ging-dua̍ⁿ); `read_romanized`
reads search input typed without tones or spaces; docs/romanization.md describes it all.
"""

from romanization.connected import connected_form
from romanization.convert import Conversion, convert, convert_word
from romanization.errors import RomanizationError
from romanization.readings import Readings
from romanization.segment import read_romanized
from romanization.syllable import Syllable

__all__ = [
    "Conversion",
    "Readings",
    "RomanizationError",
    "Syllable",
    "connected_form",
    "convert",
    "convert_word",
    "read_romanized",
]
