"""Follow-ups such as “那‘吃饭’呢？” made standalone from the conversation's earlier questions."""

from __future__ import annotations

import pytest

from app.chat.followup import is_elliptic, standalone_question, subject_of


@pytest.mark.parametrize(
    "question", ["那‘吃饭’呢？", "‘睡觉’呢", "那么“下雨”呢?", "what about 'rain'?", "那吃饭呢"]
)
def test_short_questions_naming_only_a_subject_are_follow_ups(question: str) -> None:
    assert is_elliptic(question)


@pytest.mark.parametrize(
    "question",
    [
        "莆仙话“吃饭”怎么说？",
        "那“吃饭”是什么意思？",
        "‘厝’是什么意思？",
        "莆仙话有几个声调？",
        "吃饭" * 11 + "呢",
    ],
)
def test_questions_with_words_of_their_own_are_not(question: str) -> None:
    assert not is_elliptic(question)


def test_the_subject_is_the_quoted_term_else_the_rest() -> None:
    assert subject_of("那‘吃饭’呢？") == "吃饭"
    assert subject_of("那吃饭呢？") == "吃饭"
    assert subject_of("what about 'rain'?") == "rain"


def test_the_new_subject_takes_the_old_ones_place_in_the_previous_question() -> None:
    assert standalone_question("那‘吃饭’呢？", ["莆仙话“今天”怎么说？"]) == "莆仙话“吃饭”怎么说？"


def test_a_chain_of_follow_ups_keeps_the_first_questions_form() -> None:
    earlier = ["莆仙话“今天”怎么说？", "那‘吃饭’呢？"]
    assert standalone_question("‘睡觉’呢？", earlier) == "莆仙话“睡觉”怎么说？"


def test_an_unquoted_old_subject_is_found_by_the_term_lookup() -> None:
    def terms(text: str) -> list[str]:
        return ["今天"] if "今天" in text else []

    assert standalone_question("那吃饭呢？", ["今天用莆仙话怎么讲"], terms) == "吃饭用莆仙话怎么讲"


def test_without_a_findable_subject_the_follow_up_is_joined_to_the_previous_question() -> None:
    assert standalone_question("那吃饭呢？", ["今天用莆仙话怎么讲"]) == "今天用莆仙话怎么讲 那吃饭呢？"


def test_first_and_self_contained_questions_are_left_alone() -> None:
    assert standalone_question("那‘吃饭’呢？", []) == "那‘吃饭’呢？"
    assert standalone_question("莆仙话有几个声调？", ["莆仙话“今天”怎么说？"]) == "莆仙话有几个声调？"
