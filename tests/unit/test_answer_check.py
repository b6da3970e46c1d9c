"""The quoted sentence an answer opens with (or falls back to): which passage, which sentence."""

from __future__ import annotations

from app.chat.answer_check import QUOTED_CHARS, extractive_answer
from app.chat.sources import SourceRef


def source(number: int, title: str, text: str) -> SourceRef:
    return SourceRef(number, f"doc{number}#1", f"doc{number}", title, "", text, 0.03)


FINALS = source(1, "韵母", "英文维基百科：莆田话 40 个韵母。韵母的数目各家说法不一。")
YOUYANG = source(2, "游洋话", "游洋话是莆仙话的一个方言点。游洋话有 50 个韵母，比城里多。")


def test_the_sentence_sharing_most_with_the_question_is_quoted_with_its_number() -> None:
    assert extractive_answer("莆田话有多少个韵母", [FINALS, YOUYANG], False) == (
        "（摘自资料 [1]）英文维基百科：莆田话 40 个韵母。韵母的数目各家说法不一。"
    )


def test_a_passage_whose_heading_names_the_subject_wins_over_a_better_ranked_one() -> None:
    assert extractive_answer("游洋话有多少个韵母", [FINALS, YOUYANG], False) == (
        "（摘自资料 [2]）游洋话是莆仙话的一个方言点。游洋话有 50 个韵母，比城里多。"
    )


def test_an_english_question_is_compared_through_its_mandarin_words() -> None:
    quoted = extractive_answer("How many finals does the Youyang accent have?", [FINALS, YOUYANG], True)
    assert quoted.startswith("(Quoted from passage [")
    assert "韵母" in quoted


def test_the_excerpt_runs_on_to_the_sentences_after_it_within_the_limit() -> None:
    # The sentence naming the subject is followed by the one that answers: both are quoted.
    custom = source(
        1, "做岁与做大岁", "莆田人一个春节要过两次年。这个习俗与明代倭寇攻陷兴化府城有关。" + "另。" * 100
    )
    quoted = extractive_answer("莆田人为什么过两次年", [custom], False)
    assert quoted.startswith("（摘自资料 [1]）莆田人一个春节要过两次年。这个习俗与明代倭寇")
    assert len(quoted.split("）", 1)[1]) <= QUOTED_CHARS
    # A list joined by ；is one sentence, never cut in the middle.
    listed = source(1, "数词", "序数用“一”：第一；十一；二十一。数量用“蜀”。")
    assert "第一；十一；二十一。" in extractive_answer("什么时候用一", [listed], False)
    # A sentence longer than the limit is still quoted whole.
    long = source(1, "长句", "甲" * (QUOTED_CHARS + 20) + "。乙。")
    assert extractive_answer("甲", [long], False).endswith("甲。")
