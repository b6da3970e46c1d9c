"""The syllable model: initial, final, tone and dialect point, spelled in canonical PSP.

PSP (莆仙话拼音) is the pivot: every system parses into a `Syllable` and is written from one.
What PSP cannot say but BUC can (a nasal vowel in the Putian accent, which lost it; a checked
syllable whose glottal stop the modern accent dropped) travels in `buc_final`, so that BUC read
in is written back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Point = Literal["putian", "xianyou"]
POINTS: tuple[Point, ...] = ("putian", "xianyou")
POINT_NAMES: dict[Point, str] = {"putian": "莆田", "xianyou": "仙游"}
System = Literal["psp", "buc", "ipa"]
SYSTEMS: tuple[System, ...] = ("psp", "buc", "ipa")

# Tone categories by PSP number; 8 is the glottalised pronoun tone some sources add (我 guoh8).
TONE_NAMES = {1: "阴平", 2: "阳平", 3: "上声", 4: "阴去", 5: "阳去", 6: "阴入", 7: "阳入", 8: "促化调"}


@dataclass(frozen=True)
class Syllable:
    initial: str  # PSP letters; "" is the zero initial
    final: str  # canonical PSP final of the dialect point
    tone: int | None  # 1–8, None when the input gave none
    point: Point = "putian"
    buc_final: str | None = None  # the BUC final it was read from, when it was

    @property
    def toneless(self) -> str:
        return self.initial + self.final

    @property
    def checked(self) -> bool:
        """Ends in a glottal stop (-h)."""
        return self.final.endswith("h")

    @property
    def coda(self) -> Literal["open", "nasal", "stop"]:
        """What ends the syllable, which decides the next initial in connected speech."""
        if self.final.endswith("ng"):
            return "nasal"
        if self.checked:
            return "stop"
        return "open"

    def with_tone(self, tone: int | None) -> Syllable:
        return replace(self, tone=tone)

    def with_initial(self, initial: str) -> Syllable:
        return replace(self, initial=initial)
