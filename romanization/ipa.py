"""IPA for the Putian and Xianyou accents: segments from the PSP letters, tones as Chao numbers.

Written: `tau13`, tones as contour numbers (or Chao tone letters, `tau˩˧`). Read: the same,
with the variants sources use (`tsh` for `tsʰ`, `ɔu` for `ou`, a coda assimilated to the next
syllable, `kin55`, read back as -ŋ, and `ak1` as -ʔ). A contour that is no citation tone of the
point (55 in `[kin55 nua42]` is tone sandhi) leaves the tone unknown rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata

from romanization.errors import RomanizationError
from romanization.syllable import Point, Syllable

INITIALS: dict[str, str] = {
    "b": "p", "p": "pʰ", "m": "m", "d": "t", "t": "tʰ", "n": "n", "l": "l", "z": "ts", "c": "tsʰ",
    "s": "ɬ", "g": "k", "k": "kʰ", "ng": "ŋ", "h": "h", "": "",
}  # fmt: skip
# Other ways sources write the same initials; [β] and [ɣ] only arise in connected speech,
# where PSP writes the Putian outcome as the zero initial.
_INITIAL_ALIASES: dict[str, str] = {
    "t͡sʰ": "c", "tsh": "c", "ʦʰ": "c", "t͡s": "z", "ʦ": "z", "ph": "p", "th": "t", "kh": "k", "θ": "s",
    "β": "", "ɣ": "",
}  # fmt: skip
_READ_INITIALS = {**{ipa: psp for psp, ipa in INITIALS.items() if ipa}, **_INITIAL_ALIASES}
_READ_INITIALS_BY_LENGTH = sorted(_READ_INITIALS, key=len, reverse=True)

_PUTIAN_FINALS = (
    "a=a e=e oe=ø or=ɒ o=o i=i y=y u=u ia=ia ieo=ieu iu=iu ai=ai ao=au ou=ou ua=ua uei=uei ui=ui yor=yɒ "
    "ung=uŋ ng=ŋ ang=aŋ yorng=yɒŋ oeng=œŋ uang=uaŋ ong=ɵŋ orng=ɒŋ eng=ɛŋ ieng=iɛŋ ing=iŋ yng=yŋ "
    "ah=aʔ eh=ɛʔ ieh=iɛʔ oeh=œʔ yorh=yɒʔ uah=uaʔ oh=ɵʔ orh=ɒʔ ih=iʔ yh=yʔ iah=iaʔ uh=uʔ ae=ɛ uoh=uoʔ"
)
_XIANYOU_FINALS = (
    "a=a ann=ã e=e inn=ĩ oe=ø ynn=ỹ or=ɒ ornn=ɒ̃ o=o i=i y=y u=u ia=ia iann=iã ieo=iəu iunn=iũ iu=iu "
    "ai=ai ao=au ou=ou ua=ua uann=uã uei=uei uinn=uĩ ui=ui ya=ya yann=yã ng=ŋ ang=aŋ yoeng=yøŋ "
    "uong=uoŋ orng=ɒŋ eng=ɛŋ ieng=ieŋ ing=iŋ yng=yŋ ah=aʔ eh=ɛʔ ieh=ieʔ yoeh=yøʔ uoh=uoʔ orh=ɒʔ ih=iʔ yh=yʔ"
)
_TABLES: tuple[tuple[Point, str], ...] = (("putian", _PUTIAN_FINALS), ("xianyou", _XIANYOU_FINALS))
FINALS: dict[Point, dict[str, str]] = {
    point: dict(item.split("=") for item in table.split()) for point, table in _TABLES
}
_READ_FINALS: dict[Point, dict[str, str]] = {
    point: {unicodedata.normalize("NFC", ipa): psp for psp, ipa in finals.items()}
    for point, finals in FINALS.items()
}
# Spellings of other transcriptions (hinghwa.cn writes ɔu and ɔŋ) folded onto the tables'.
_FINAL_ALIASES: dict[str, str] = {
    "ɔu": "ou", "ɔŋ": "ɵŋ", "oŋ": "ɵŋ", "ɔʔ": "ɵʔ", "oʔ": "ɵʔ", "iəu": "ieu", "ieu": "iəu",
    "ue": "uei", "uai": "uei",
}  # fmt: skip

# Citation tone contours (FACTS: en Wikipedia "Putian dialect"; "Hinghwa Romanized" for Xianyou).
TONES: dict[Point, dict[int, str]] = {
    "putian": {1: "533", 2: "13", 3: "453", 4: "42", 5: "11", 6: "21", 7: "4"},
    "xianyou": {1: "544", 2: "24", 3: "332", 4: "52", 5: "21", 6: "2", 7: "4"},
}
_TONE_OF: dict[Point, dict[str, int]] = {p: {v: k for k, v in t.items()} for p, t in TONES.items()}
_CHAO_LETTERS = str.maketrans("˥˦˧˨˩", "54321")
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵", "12345")
_SYLLABLE = re.compile(r"^(?P<body>[^\d˥˦˧˨˩¹²³⁴⁵]+)(?P<tone>[\d˥˦˧˨˩¹²³⁴⁵]*)$")


def format_syllable(syllable: Syllable, chao: bool = False) -> str:
    """`tau13` (or `tau˩˧`); tone 8 and unknown tones are written without a contour."""
    initial = INITIALS[syllable.initial]
    final = FINALS[syllable.point].get(syllable.final) or FINALS["putian"][syllable.final]
    contour = TONES[syllable.point].get(syllable.tone or 0, "")
    if chao:
        contour = contour.translate(str.maketrans("12345", "˩˨˧˦˥"))
    return f"{initial}{final}{contour}"


def format_word(syllables: list[Syllable], chao: bool = False) -> str:
    return "[" + " ".join(format_syllable(s, chao) for s in syllables) + "]"


def parse_syllable(text: str, point: Point = "putian") -> tuple[Syllable, str | None]:
    """One IPA syllable and a note when its tone is not a citation tone (sandhi) or a coda was folded."""
    spelled = unicodedata.normalize("NFC", text.strip().strip("[]/").lower()).translate(_SUPERSCRIPTS)
    match = _SYLLABLE.match(spelled)
    if not match:
        raise RomanizationError(text, "ipa", "an IPA syllable is segments followed by a tone number")
    body, contour = match.group("body"), match.group("tone").translate(_CHAO_LETTERS)
    initial, rest = _read_initial(body)
    final, note = _read_final(text, rest, point)
    tone: int | None = None
    if contour:
        tone = _TONE_OF[point].get(contour)
        if tone is None:
            note = f"{contour} is not a citation tone of this accent (tone sandhi?); tone left unknown"
    return Syllable(initial, final, tone, point), note


def _read_initial(body: str) -> tuple[str, str]:
    for spelling in _READ_INITIALS_BY_LENGTH:
        if body.startswith(spelling) and len(body) > len(spelling):
            return _READ_INITIALS[spelling], body[len(spelling) :]
    return "", body


def _read_final(text: str, rest: str, point: Point) -> tuple[str, str | None]:
    finals = _READ_FINALS[point]
    for form in (rest, _FINAL_ALIASES.get(rest)):
        if form in finals:
            return finals[form], None
    # A coda assimilated to the next syllable: [kin55 nua42] is kiŋ, [ak1 kɒŋ533] is aʔ.
    for codas, coda in (("nm", "ŋ"), ("ptk", "ʔ")):
        if rest[-1:] and rest[-1] in codas:
            folded = rest[:-1] + coda
            for form in (folded, _FINAL_ALIASES.get(folded)):
                if form in finals:
                    return finals[form], f"coda -{rest[-1]} read as -{coda}"
    raise RomanizationError(text, "ipa", f"{rest!r} is not a final of this accent")
