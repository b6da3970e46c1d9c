"""Earlier turns in the prompt: the token budget, the turn limit, and the two history modes."""

from __future__ import annotations

from app.chat.history import Turn, estimate_tokens, fit_history, history_messages
from app.chat.prompting import Passage, PromptBuilder

PASSAGES = [Passage(1, "时间词·吃饭", "吃饭 莆仙话说“食饭”。")]


def test_token_estimate_counts_each_chinese_character_and_a_third_of_the_rest() -> None:
    assert estimate_tokens("今天") == 2
    assert estimate_tokens("abcdef") == 2
    assert estimate_tokens("“今天”abc") == 4  # curly quotes (U+201C/D) count with the Latin: 2 + ceil(5 / 3)
    assert estimate_tokens("") == 0


def test_the_most_recent_turns_that_fit_are_kept_oldest_first() -> None:
    turns = [Turn(f"问题{n}", "回答" * 10) for n in range(5)]  # 3 tokens a question, 20 an answer
    assert fit_history(turns, max_tokens=100, max_turns=3, with_answers=False) == turns[2:]
    assert fit_history(turns, max_tokens=46, max_turns=5, with_answers=True) == turns[3:]
    assert fit_history(turns, max_tokens=9, max_turns=5, with_answers=False) == turns[2:]
    assert fit_history(turns, max_tokens=2, max_turns=5, with_answers=False) == []
    assert fit_history(turns, max_tokens=100, max_turns=0) == []


def test_a_turn_too_long_ends_the_history_there_rather_than_leaving_a_gap() -> None:
    turns = [Turn("短问题", ""), Turn("很" * 50, ""), Turn("最近", "")]
    assert fit_history(turns, max_tokens=20, max_turns=3, with_answers=False) == [turns[2]]


def test_history_messages_drop_citation_markers_of_earlier_answers() -> None:
    messages = history_messages([Turn("莆仙话“今天”怎么说？", "今天说“今旦” [1]。")])
    assert messages == [
        {"role": "user", "content": "莆仙话“今天”怎么说？"},
        {"role": "assistant", "content": "今天说“今旦”。"},
    ]


def test_questions_mode_lists_earlier_questions_in_the_user_message_only() -> None:
    earlier = [Turn("莆仙话“今天”怎么说？", "今天说“今旦”[1]。")]
    prompt = PromptBuilder().build("莆仙话“吃饭”怎么说？", PASSAGES, earlier, with_answers=False)
    assert [m["role"] for m in prompt.messages] == ["system", "user"]
    user = prompt.messages[1]["content"]
    assert "此前的问题：\n莆仙话“今天”怎么说？" in user
    assert (
        user.index("莆仙话“今天”怎么说？") < user.index("资料：") < user.index("问题：莆仙话“吃饭”怎么说？")
    )
    assert "今旦" not in user  # the earlier answer is left out


def test_turns_mode_gives_earlier_turns_as_chat_messages_before_the_question() -> None:
    earlier = [Turn("莆仙话“今天”怎么说？", "今天说“今旦”[1]。")]
    prompt = PromptBuilder().build("莆仙话“吃饭”怎么说？", PASSAGES, earlier, with_answers=True)
    assert [m["role"] for m in prompt.messages] == ["system", "user", "assistant", "user"]
    assert prompt.messages[1]["content"] == "莆仙话“今天”怎么说？"
    assert prompt.messages[2]["content"] == "今天说“今旦”。"
    assert "此前的问题" not in prompt.messages[3]["content"]


def test_without_history_the_prompt_is_the_single_turn_one() -> None:
    builder = PromptBuilder()
    assert builder.build("问题", PASSAGES) == builder.build("问题", PASSAGES, [], with_answers=True)
    assert "此前的问题" not in builder.build("问题", PASSAGES).messages[1]["content"]
