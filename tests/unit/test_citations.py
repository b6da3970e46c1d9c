from app.chat.citations import attach_citations, cited_numbers, terms

PASSAGES = [
    (1, "饮食词汇 普通话的“吃饭”，莆仙话说“食饭”，拼音 sia2 mue5。"),
    (2, "时间词 “今天”在莆仙话里说“今旦”，拼音 ging1 dua4。"),
    (3, "日常用词 普通话的“筷子”，莆仙话说“箸”，读 dy5。"),
]


def test_cited_numbers_in_order_of_first_mention() -> None:
    assert cited_numbers("说“食饭”[2]，又见 [1] 和 [2]。") == [2, 1]
    assert cited_numbers("没有引用。") == []


def test_terms_are_chinese_bigrams_single_characters_and_latin_words() -> None:
    assert terms("说“箸”，读 dy5") >= {"箸", "dy5"}
    assert "食饭" in terms("莆仙话说“食饭”")
    assert "资料" not in terms("根据资料")


def test_the_passage_holding_the_answers_own_words_is_cited() -> None:
    answer = attach_citations("根据资料，莆仙话“今天”说“今旦”。", "莆仙话“今天”怎么说？", PASSAGES)
    assert answer == "根据资料，莆仙话“今天”说“今旦” [2]。"


def test_a_single_character_answer_word_is_enough() -> None:
    answer = attach_citations("根据资料，筷子说“箸”", "莆仙话的“筷子”怎么说？", PASSAGES)
    assert answer.endswith("[3]")


def test_answers_that_already_cite_or_share_nothing_are_left_alone() -> None:
    assert attach_citations("说“食饭”[1]。", "吃饭？", PASSAGES) == "说“食饭”[1]。"
    assert attach_citations("根据资料，不清楚。", "吃饭？", PASSAGES) == "根据资料，不清楚。"
    assert attach_citations("食饭", "吃饭？", []) == "食饭"


def test_on_a_tie_only_the_better_ranked_passage_is_cited() -> None:
    tied = [(1, "今旦 是今天"), (2, "今旦 ging1 dua4"), (3, "今旦 读 nua4")]
    assert attach_citations("说“今旦”。", "今天怎么说？", tied) == "说“今旦” [1]。"
