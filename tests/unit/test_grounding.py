"""The grounding check: words, romanizations and numbers an answer presents must be in what it cites."""

from __future__ import annotations

from app.chat.grounding import Evidence, check_grounding, presented_terms
from app.chat.grounding_gate import GroundingGate

PASSAGES = {
    1: "莆仙话“箸”（莆田），普通话意思是“筷子”，读音：莆仙话拼音 dy5；平话字 dṳ̄。",
    2: "普通话的“筷子”莆仙话叫“箸”，吃饭要用箸。莆仙话有七个声调，阴平 533。",
    3: "兴化平话字是 1890 年创制的。",
}
EVIDENCE = Evidence(
    PASSAGES, card_words=frozenset({"箸"}), card_text="箸 筷子 dy5 dṳ̄", asked_terms=frozenset({"筷子"})
)


def problems(answer: str, evidence: Evidence = EVIDENCE) -> list[str]:
    return [str(p) for p in check_grounding(answer, evidence).problems]


def test_a_grounded_answer_passes() -> None:
    report = check_grounding("“筷子”莆仙话说“箸”（dy5） [1]，平话字 dṳ̄ [1]。", EVIDENCE)
    assert report.grounded
    assert report.words == ("筷子", "箸")
    assert report.checked >= 4


def test_the_question_s_own_word_given_as_its_puxian_answer_fails() -> None:
    # The passage does contain “筷子”, as the Mandarin word: that is not an answer.
    assert problems("筷子用莆仙话说“筷子” [2]。") == ["word '筷子' is not in what the answer cites"]


def test_a_word_the_cited_passage_lacks_fails_even_if_another_passage_has_it() -> None:
    assert problems("莆仙话说“阿妹” [1]。") == ["word '阿妹' is not in what the answer cites"]
    # Cited passage 3 lacks 箸's reading; 1 has it (cards aside: they are always evidence).
    no_cards = Evidence(PASSAGES)
    assert problems("读 dy5 [3]。", no_cards) == ["romanization 'dy5' is not in what the answer cites"]
    assert problems("读 dy5 [1]。", no_cards) == []


def test_a_number_that_differs_by_one_digit_fails() -> None:
    assert problems("兴化平话字是 1890 年创制的 [3]。") == []
    assert problems("兴化平话字是 1891 年创制的 [3]。") == ["number '1891' is not in what the answer cites"]
    assert problems("阴平是 533 [2]。") == []
    assert problems("阴平是 534 [2]。") == ["number '534' is not in what the answer cites"]


def test_numbers_touching_han_characters_are_checked_as_whole_numbers() -> None:
    # 53 and 33 are inside 533, 189 inside 1890: none of them is in the passage.
    assert problems("阴平是53 [2]。") == ["number '53' is not in what the answer cites"]
    assert problems("创制于189年 [3]。") == ["number '189' is not in what the answer cites"]
    # The passage writes the count in Han numerals: 七个声调 holds 7, not 8 nor 17.
    assert problems("莆仙话有7个声调 [2]。") == []
    assert problems("莆仙话有8个声调 [2]。") == ["number '8' is not in what the answer cites"]
    assert problems("莆仙话有17个声调 [2]。") == ["number '17' is not in what the answer cites"]
    # A count the answer writes in Han numerals is checked the same way.
    assert problems("莆仙话有七个声调 [2]。") == []
    assert problems("莆仙话有八个声调 [2]。") == ["number '8' is not in what the answer cites"]


def test_made_up_romanization_fails_and_english_words_are_not_romanization() -> None:
    assert problems("莆仙话说“箸”，拼作 dy3 [1]。") == ["romanization 'dy3' is not in what the answer cites"]
    assert problems("In Puxian it is 箸 [1], the word for chopsticks.", Evidence(PASSAGES)) == []


def test_without_citations_any_passage_counts() -> None:
    assert problems("莆仙话有七个声调，阴平 533。") == []


def test_the_gate_lets_clauses_through_until_one_fails() -> None:
    gate = GroundingGate(lambda text: check_grounding(text, EVIDENCE).grounded)
    shown = [gate.feed(delta) for delta in ("“筷子”莆仙话说", "“箸” [1]，", "也说“筷", "子” [2]。")]
    assert shown == ["", "“筷子”莆仙话说“箸” [1]，", "", ""]
    assert gate.failed
    assert gate.released == "“筷子”莆仙话说“箸” [1]，"
    assert gate.finish() == ""


def test_the_gate_releases_the_last_clause_at_the_end() -> None:
    gate = GroundingGate(lambda text: check_grounding(text, EVIDENCE).grounded)
    assert gate.feed("莆仙话说“箸”") == ""
    assert gate.finish() == "莆仙话说“箸”"
    assert not gate.failed


def test_ipa_in_brackets_is_checked_whole_and_quoted_english_is_no_puxian_word() -> None:
    evidence = Evidence({1: "“今旦”国际音标 [kiŋ533 nuã42]，普通话“今天”。"})
    assert problems("“今旦”读 [kiŋ533 nuã42] [1]。", evidence) == []
    assert problems("“今旦”读 [kiŋ533 nuã41] [1]。", evidence) == [
        "romanization '[kiŋ533 nuã41]' is not in what the answer cites"
    ]
    # In an English answer the question's English word is quoted; it is not a Puxian word.
    assert problems("In Puxian, “today” is 今旦 (Mandarin “今天”) [1].", evidence) == []
    assert presented_terms("In Puxian, “today” is “今旦” [1].") == ["今旦"]


def test_buc_nasal_mark_and_its_tone_digit_are_read_as_the_passage_writes_them() -> None:
    evidence = Evidence({1: "仙游话的“饭”读 buiⁿ5，平话字 bōiⁿ。"})
    assert problems("“饭”读 buiⁿ5，平话字 bōiⁿ [1]。", evidence) == []
    assert problems("“饭”读 buiⁿ4 [1]。", evidence) != []
