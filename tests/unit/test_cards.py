"""Word cards: ranking several senses and variants, and the statement each answer opens with."""

from __future__ import annotations

from typing import Any

from app.chat.card_answer import card_statement
from app.chat.cards import WordCard, rank_cards
from app.chat.intent import WordQuestion, word_question


def readings(psp: str, attested: bool = True, buc: str = "", connected: str = "") -> dict[str, Any]:
    forms: dict[str, Any] = {"psp": {"citation": {"text": psp, "attested": attested, "basis": "source"}}}
    if connected:
        forms["psp"]["connected"] = {"text": connected, "attested": attested, "basis": "source"}
    if buc:
        forms["buc"] = {"citation": {"text": buc, "attested": False, "basis": "rule"}}
    return forms


def card(entry_id: str, word: str, glosses: tuple[str, ...], psp: str, **kwargs: Any) -> WordCard:
    doc_id = entry_id.split("#")[0]
    pronunciations = readings(
        psp, kwargs.pop("attested", True), kwargs.pop("buc", ""), kwargs.pop("connected", "")
    )
    return WordCard(
        entry_id, doc_id, word, word, glosses, "莆田", "", "词表", "gloss", pronunciations, **kwargs
    )


CHOPSTICKS = card("lexicon-house#house-032", "箸", ("筷子",), "dy5", buc="dṳ̄")


def test_the_curated_lexicon_and_the_usual_sense_come_first() -> None:
    imported = card("pouleng-1#L9", "箸", ("筷子",), "dy5 ")
    later_gloss = card("lexicon-verbs#verb-002", "行路", ("走路", "走"), "gia2 lou5")
    first_gloss = card("lexicon-verbs#verb-001", "行", ("走", "走路"), "gia2")
    derived = card("lexicon-verbs#verb-009", "走", ("走",), "zao3", attested=False)
    ranked = rank_cards([imported, later_gloss, derived, first_gloss], "走")
    assert [c.simplified for c in ranked] == ["行", "走", "行路", "箸"]
    assert ranked[-1].doc_id.startswith("pouleng")


def test_one_card_per_word_and_reading() -> None:
    duplicate = card("lexicon-food#food-9", "箸", ("筷子",), "dy5")
    assert rank_cards([CHOPSTICKS, duplicate], "筷子") == [CHOPSTICKS]


def test_statements_name_the_word_with_its_reading_and_citation() -> None:
    numbers = {CHOPSTICKS.entry_id: 1}
    say = WordQuestion("say", "筷子", "zh")
    assert card_statement(say, [CHOPSTICKS], numbers) == "“筷子”莆仙话说“箸”（dy5） [1]。"
    meaning = WordQuestion("meaning", "箸", "zh")
    assert card_statement(meaning, [CHOPSTICKS], numbers) == "莆仙话“箸”（dy5）的意思是“筷子” [1]。"
    today = card(
        "lexicon-time#time-001", "今旦", ("今天",), "ging1 dua4", connected="ging1 nua4", buc="ging-dua̍ⁿ"
    )
    statement = card_statement(WordQuestion("pronounce", "今旦", "zh"), [today], {today.entry_id: 2})
    assert statement == "“今旦”读 莆仙话拼音 ging1 dua4（连读 ging1 nua4）；平话字 ging-dua̍ⁿ [2]。"


def test_several_cards_are_all_stated() -> None:
    walk = card("lexicon-verbs#verb-001", "行", ("走",), "gia2")
    walk_road = card("lexicon-verbs#verb-002", "行路", ("走路", "走"), "gia2 lou5")
    statement = card_statement(WordQuestion("say", "走", "zh"), [walk, walk_road], {walk.entry_id: 1})
    assert statement == "“走”莆仙话说“行”（gia2） [1]，也说“行路”（gia2 lou5）。"


def test_statements_in_english() -> None:
    numbers = {CHOPSTICKS.entry_id: 1}
    say = WordQuestion("say", "chopsticks", "en")
    assert (
        card_statement(say, [CHOPSTICKS], numbers)
        == "In Puxian, “chopsticks” is 箸 (dy5, Mandarin “筷子”) [1]."
    )
    english = WordCard(**{**CHOPSTICKS.__dict__, "english": ("chopsticks",)})
    meaning = WordQuestion("meaning", "箸", "en")
    assert card_statement(meaning, [english], numbers) == "箸 (dy5, Mandarin “筷子”) means “chopsticks” [1]."
    translated = WordCard(**{**CHOPSTICKS.__dict__, "match": "translation"})
    pronounce = WordQuestion("pronounce", "chopsticks", "en")
    assert card_statement(pronounce, [translated], numbers) == (
        "“chopsticks” is 箸 in Puxian, read PSP dy5; BUC dṳ̄ [1]."
    )
    assert card_statement(WordQuestion("pronounce", "箸", "en"), [CHOPSTICKS], numbers).startswith(
        "箸 is read PSP"
    )


def test_no_statement_without_cards_or_for_a_romanized_reading() -> None:
    assert card_statement(WordQuestion("say", "电脑", "zh"), [], {}) == ""
    read = WordCard(**{**CHOPSTICKS.__dict__, "match": "reading"})
    assert card_statement(WordQuestion("meaning", "dy5", "zh"), [read], {}) == ""


def test_a_list_question_states_each_word_with_its_own_cards() -> None:
    banana = card("lexicon-food#food-20", "芎蕉", ("香蕉",), "gyeng1 zeo1", term="香蕉")
    pineapple = card("lexicon-food#food-21", "王梨", ("菠萝",), "ong2 li2", term="菠萝")
    question = WordQuestion("say", "香蕉", "zh", ("菠萝", "芒果"))  # no card for 芒果: left out
    numbers = {banana.entry_id: 1, pineapple.entry_id: 2}
    assert card_statement(question, [banana, pineapple], numbers) == (
        "“香蕉”莆仙话说“芎蕉”（gyeng1 zeo1） [1]；“菠萝”莆仙话说“王梨”（ong2 li2） [2]。"
    )


def test_a_premise_the_cards_contradict_is_corrected_and_one_they_bear_out_is_not() -> None:
    cold = card("lexicon-nature#n-3", "寒", ("冷",), "gua2")
    numbers = {cold.entry_id: 1}
    wrong = WordQuestion("meaning", "寒", "zh", claimed="热")
    assert card_statement(wrong, [cold], numbers) == "莆仙话“寒”（gua2）的意思是“冷” [1]，不是热的意思。"
    right = WordQuestion("meaning", "寒", "zh", claimed="冷")
    assert card_statement(right, [cold], numbers) == "莆仙话“寒”（gua2）的意思是“冷” [1]。"
    cat = card("lexicon-animals#a-1", "猫狸", ("猫",), "mor2 li3")
    misnamed = WordQuestion("say", "猫", "zh", claimed="庐鼠")
    assert card_statement(misnamed, [cat], {cat.entry_id: 2}).endswith("[2]，不叫庐鼠。")
    named = WordQuestion("say", "猫", "zh", claimed="猫狸")
    assert "不叫" not in card_statement(named, [cat], {cat.entry_id: 2})


def test_a_question_about_the_other_dialect_point_is_not_answered_with_this_one_s_reading() -> None:
    # The lexicon records 饭 at Putian (bue5); Xianyou says buiⁿ5: no statement, the passage answers.
    rice = card("lexicon-food#food-001", "饭", ("饭",), "bue5")
    numbers = {rice.entry_id: 1}
    asked = word_question("仙游话的“饭”怎么读")
    assert asked is not None
    assert asked.point == "仙游"
    assert card_statement(asked, [rice], numbers) == ""
    putian = word_question("莆田话的“饭”怎么读")
    assert putian is not None
    assert card_statement(putian, [rice], numbers).startswith("“饭”读")
    both = word_question("“饭”在莆田话和仙游话里怎么读")
    assert both is not None
    assert both.point == ""
    assert card_statement(both, [rice], numbers)
    unknown = WordCard(**{**rice.__dict__, "point": ""})
    assert card_statement(asked, [unknown], numbers)  # a card of no stated point is not contradicted
