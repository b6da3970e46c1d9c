from app.knowledge.text_norm import lexical_terms, normalize, quoted_terms, to_simplified


def test_traditional_characters_and_full_width_forms_are_normalized() -> None:
    assert to_simplified("食飯 今旦 下晝 莆仙話") == "食饭 今旦 下昼 莆仙话"
    assert normalize("ＳＩＡ２ 食飯") == "sia2 食饭"


def test_lexical_terms_cover_characters_bigrams_words_and_syllables() -> None:
    terms = lexical_terms("莆仙話說“食飯” sia2 mue5")
    assert {"食", "饭", "食饭", "莆仙", "仙话"} <= set(terms)
    assert {"sia2", "sia", "mue5", "mue"} <= set(terms)
    assert "莆仙话" in terms  # jieba's search mode adds the longer word


def test_quoted_terms_in_every_quote_style() -> None:
    assert quoted_terms('‘厝’和“吃饭”、「今旦」以及"箸"') == ["厝", "吃饭", "今旦", "箸"]
    assert quoted_terms("“食飯”还是“食饭”？") == ["食饭"]
    assert quoted_terms("没有引号") == []
