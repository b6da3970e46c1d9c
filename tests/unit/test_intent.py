"""Which questions ask about a word, what they ask, and which word."""

from __future__ import annotations

import pytest

from app.chat.intent import WordQuestion, word_question
from app.knowledge.text_norm import is_english


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("筷子用莆仙话怎么说", WordQuestion("say", "筷子", "zh")),
        ("莆仙话“今天”怎么说？", WordQuestion("say", "今天", "zh")),
        ("如何用莆仙话说“吃饭”？", WordQuestion("say", "吃饭", "zh")),
        ("莆田话的今天怎么讲", WordQuestion("say", "今天", "zh", point="莆田")),
        ("哥哥用莆仙话叫什么", WordQuestion("say", "哥哥", "zh")),
        ("莆仙話「下雨」怎麼講？", WordQuestion("say", "下雨", "zh")),  # traditional characters
        ("厝是什么意思", WordQuestion("meaning", "厝", "zh")),
        ("“阿兄”是什么意思？", WordQuestion("meaning", "阿兄", "zh")),
        ("今旦怎么读", WordQuestion("pronounce", "今旦", "zh")),
        ("今旦的读音是什么", WordQuestion("pronounce", "今旦", "zh")),  # 读音 before 是什么
        ("花生莆仙话叫啥", WordQuestion("say", "花生", "zh")),
        ("冰箱的莆仙话说法是什么", WordQuestion("say", "冰箱", "zh")),
        ("莆仙人管自己老婆叫什么？", WordQuestion("say", "老婆", "zh")),
        ("打雷了 用莆仙话怎么讲", WordQuestion("say", "打雷", "zh")),
        ("今旦两个字怎么念，实际读音是什么？", WordQuestion("pronounce", "今旦", "zh")),
        ("“公妈”指的是什么人", WordQuestion("meaning", "公妈", "zh")),
        # What a short word is: the question's frame names a kind of thing, not 意思.
        ("莆仙话里的‘喙’是身体哪个部位？", WordQuestion("meaning", "喙", "zh")),
        ("鸡母是什么", WordQuestion("meaning", "鸡母", "zh")),
        ("蜀工是多久", WordQuestion("meaning", "蜀工", "zh")),
        ("“丈夫”在莆仙话里是老公的意思吗？", WordQuestion("meaning", "丈夫", "zh")),
        # Lists: each word, quoted or not; a parenthesised synonym too.
        ("香蕉和菠萝用莆仙话分别怎么说？", WordQuestion("say", "香蕉", "zh", ("菠萝",))),
        ("莆仙话的“我们、你们、他们”怎么说？", WordQuestion("say", "我们", "zh", ("你们", "他们"))),
        ("牡蛎（海蛎）莆仙话叫什么？", WordQuestion("say", "牡蛎", "zh", ("海蛎",))),
        # A premise the question takes for granted: the meaning it gives the word, the word it gives a thing.
        ("莆仙话的“寒”为什么是热的意思？", WordQuestion("meaning", "寒", "zh", claimed="热")),
        ("莆仙话“厝”为什么指的是船？", WordQuestion("meaning", "厝", "zh", claimed="船")),
        ("为什么莆仙话把猫叫作“庐鼠”？", WordQuestion("say", "猫", "zh", claimed="庐鼠")),
        ("How do you say 'rain' in Puxian?", WordQuestion("say", "rain", "en")),
        ("What is the Puxian word for chopsticks?", WordQuestion("say", "chopsticks", "en")),
        ("What does 厝 mean?", WordQuestion("meaning", "厝", "en")),
        ("How do you pronounce 今旦?", WordQuestion("pronounce", "今旦", "en")),
        ('How is "eat" pronounced in Puxian?', WordQuestion("pronounce", "eat", "en")),
        (
            "What do you call your older brother in Putian dialect?",
            WordQuestion("say", "older brother", "en", point="莆田"),
        ),
    ],
)
def test_word_questions_are_recognised_with_their_word(question: str, expected: WordQuestion) -> None:
    assert word_question(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "莆仙话有几个声调？",
        "什么是声母类化？",
        "做大岁是怎么来的？",
        "莆田人为什么要在正月十五做大岁？",  # a why-question about a custom, not a word
        "Who invented Hinghwa Romanized?",
        "2031 年量子力学语法",
        "三一教的创始人林龙江是哪一年出生的？",
        "外面下了一整天的大雨，路上都是积水，用莆仙话该怎么说？",  # a sentence, not a word
    ],
)
def test_other_questions_are_not_word_questions(question: str) -> None:
    assert word_question(question) is None


def test_the_language_is_that_of_the_words_around_the_han_characters() -> None:
    assert is_english("What does 厝 mean?")
    assert not is_english("厝是什么意思")
    assert not is_english("taumng 是什么意思")
