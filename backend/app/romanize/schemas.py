"""Request and response bodies of `POST /api/romanize` (the CLI prints the same shape as JSON)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.request_model import RequestModel
from romanization.convert import Conversion, SyllableResult, WordResult
from romanization.syllable import POINT_NAMES, TONE_NAMES

SystemName = Literal["psp", "buc", "ipa"]
_SYSTEMS: tuple[SystemName, ...] = ("psp", "buc", "ipa")


class RomanizeRequest(RequestModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    text: str = Field(
        min_length=1, max_length=2000, description="Romanized words, alone or among Han characters.",
        examples=["今旦 ging1 dua4", "táu-mńg", "[kin55 nua42]"],
    )  # fmt: skip
    source: Literal["auto", "psp", "buc", "ipa"] = Field(
        "auto", alias="from", description="The system the words are written in (auto: told per word)."
    )
    to: list[SystemName] = Field(
        default_factory=lambda: list(_SYSTEMS), min_length=1, description="Systems to write `text` in."
    )
    surface: bool = Field(False, description="Write `text` in the connected-speech form (声母类化).")
    point: Literal["putian", "xianyou"] = Field(
        "putian", description="The dialect point of PSP and IPA input."
    )


class SyllablePublic(BaseModel):
    input: str
    initial: str = Field(description="PSP initial; empty for the zero initial.")
    final: str = Field(description="PSP final (canonical spelling).")
    tone: int | None = Field(description="PSP tone 1–8; null when the input gave none.")
    tone_name: str | None
    point: str
    psp: str
    buc: str
    buc_candidates: list[str] = Field(description="BUC spellings of this PSP syllable, most likely first.")
    buc_basis: str = Field(
        description="What chose the BUC: word (the word's recorded BUC), char (the character's), rule, "
        "or input (written in BUC)."
    )
    ipa: str
    connected_psp: str = Field(description="The syllable as spoken in this word (声母类化).")
    connected_ipa: str
    note: str | None = Field(None, description="E.g. an IPA tone that is a sandhi value.")


class WordPublic(BaseModel):
    input: str
    system: SystemName
    hanzi: str | None = Field(description="The word's characters, when written next to it.")
    written: dict[str, str] = Field(description="The word in each system, citation form.")
    connected: dict[str, str] = Field(description="The word in each system as spoken.")
    connected_basis: str = Field(description="word: a dictionary records the spoken form; rule: derived.")
    syllables: list[SyllablePublic]


class RomanizeResponse(BaseModel):
    input: str
    source: SystemName | None = Field(
        description="The system the words were read as (null: no romanized word)."
    )
    point: str
    text: dict[str, str] = Field(description="The input with every word rewritten, per requested system.")
    citation: dict[str, str]
    connected: dict[str, str]
    words: list[WordPublic]


def syllable_public(result: SyllableResult) -> SyllablePublic:
    return SyllablePublic(
        input=result.input, initial=result.initial, final=result.final, tone=result.tone,
        tone_name=TONE_NAMES.get(result.tone or 0), point=POINT_NAMES[result.point], psp=result.psp,
        buc=result.buc, buc_candidates=list(result.buc_candidates), buc_basis=result.buc_basis,
        ipa=result.ipa,
        connected_psp=result.connected_psp, connected_ipa=result.connected_ipa, note=result.note,
    )  # fmt: skip


def word_public(word: WordResult) -> WordPublic:
    systems = _SYSTEMS
    return WordPublic(
        input=word.input, system=word.system, hanzi=word.hanzi,
        written={s: word.written(s) for s in systems},
        connected={s: word.written(s, connected=True) for s in systems},
        connected_basis=word.connected_basis, syllables=[syllable_public(s) for s in word.syllables],
    )  # fmt: skip


def romanize_response(conversion: Conversion, targets: list[SystemName], surface: bool) -> RomanizeResponse:
    return RomanizeResponse(
        input=conversion.input, source=conversion.source, point=POINT_NAMES[conversion.point],
        text={s: (conversion.connected_text if surface else conversion.text)[s] for s in targets},
        citation=dict(conversion.text), connected=dict(conversion.connected_text),
        words=[word_public(w) for w in conversion.words],
    )  # fmt: skip
