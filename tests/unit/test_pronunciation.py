"""Every lexicon entry's PSP, BUC and IPA, citation and connected, each attested or derived."""

from __future__ import annotations

from app.knowledge.pronunciation import Form, pronounce
from app.knowledge.sources.model import LexiconEntry
from romanization.readings import Readings


def entry(headword: str, **fields: str) -> LexiconEntry:
    return LexiconEntry(entry_id="e", headword=headword, simplified=headword, **fields)  # type: ignore[arg-type]


def test_what_the_source_records_is_shown_and_the_rest_is_derived() -> None:
    today = pronounce(
        entry("今旦", psp="ging1 dua4", psp_surface="ging1 nua4", ipa="[kin55 nua42]", buc="ging-dua̍ⁿ")
    )
    assert today.psp == Form("ging1 dua4", "source")
    assert today.psp_connected == Form("ging1 nua4", "source")
    assert today.buc == Form("ging-dua̍ⁿ", "source")
    assert today.buc_connected == Form("ging-nua̍ⁿ", "rule")  # BUC writes citation forms only
    # hinghwa.cn's IPA of a word carries its tone sandhi: it is the spoken form.
    assert today.ipa_connected == Form("[kin55 nua42]", "source")
    assert today.ipa == Form("[kiŋ533 tua42]", "rule")
    # Without recorded readings the rules cannot know 旦 has a nasal vowel: counted, source shown.
    assert today.disagreements == ("buc: derived ging-dua̍, source ging-dua̍ⁿ",)
    assert "平话字 ging-dua̍ⁿ，连读 ging-nua̍ⁿ（推导）" in today.describe()


def test_readings_of_other_entries_choose_a_derived_buc_spelling() -> None:
    entry_without_buc = entry("寒天", psp="gua2 ting1")
    assert pronounce(entry_without_buc).buc == Form("guá-ting", "rule")
    readings = Readings()
    readings.add("寒", buc_readings=["guáⁿ"])
    assert pronounce(entry_without_buc, readings).buc == Form("guáⁿ-ting", "dictionary")


def test_a_buc_only_entry_gets_its_psp_and_ipa_derived() -> None:
    character = pronounce(entry("一", buc="ih / seo̍h"))
    assert character.psp == Form("ih6 / soh7", "rule")
    assert character.ipa == Form("[iʔ21] / [ɬɵʔ4]", "rule")


def test_a_rime_words_code_is_its_spoken_form_and_the_citation_is_derived_from_its_characters() -> None:
    readings = Readings()
    readings.add("田", citation="ceng2")
    putian = pronounce(entry("莆田", psp="pou2 leng2"), readings, spoken_codes=True)
    assert putian.psp_connected == Form("pou2 leng2", "source")
    assert putian.psp == Form("pou2 ceng2", "rule")


def test_a_derivation_that_disagrees_with_the_source_is_recorded_and_the_source_wins() -> None:
    good = pronounce(entry("好", psp="ho3", buc="hô̤"))
    assert good.buc == Form("hô̤", "source")
    assert good.disagreements == ("buc: derived heô, source hô̤",)
    meal = pronounce(entry("食飯", psp="sia2 bue5", psp_surface="sia2 mue5"))
    assert meal.psp_connected == Form("sia2 mue5", "source")
    assert meal.disagreements == ("psp connected: derived sia2 uei5, source sia2 muei5",)


def test_metadata_marks_each_form_attested_or_derived() -> None:
    data = pronounce(entry("箸", psp="dy5", ipa="[ty21]")).as_metadata()
    assert data["psp"]["citation"] == {"text": "dy5", "basis": "source", "attested": True}
    assert data["buc"]["citation"] == {"text": "dṳ̄", "basis": "rule", "attested": False}
    assert data["ipa"]["citation"] == {"text": "[ty21]", "basis": "source", "attested": True}
