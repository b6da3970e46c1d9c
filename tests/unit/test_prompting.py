from pathlib import Path

import pytest

from app.chat.prompting import NO_ANSWER, Passage, PromptBuilder


def test_prompt_numbers_passages_asks_for_citations_and_states_the_no_answer_reply() -> None:
    passages = [Passage(1, "饮食·吃饭", "吃饭说“食饭”。"), Passage(2, "时间·今天", "今天说“今旦”。")]
    prompt = PromptBuilder().build("如何用莆仙话说“吃饭”？", passages)
    system, user = prompt.messages
    assert system["role"] == "system"
    assert user["role"] == "user"
    assert "[1]" in system["content"]
    assert NO_ANSWER in system["content"]
    assert "[1] 饮食·吃饭：吃饭说“食饭”。" in user["content"]
    assert "[2] 时间·今天：今天说“今旦”。" in user["content"]
    assert user["content"].rstrip().endswith("问题：如何用莆仙话说“吃饭”？")
    assert prompt.response_prefix == "根据资料，"


def test_the_best_passage_is_placed_nearest_the_question() -> None:
    passages = [Passage(n, f"标题{n}", f"内容{n}") for n in (1, 2, 3)]
    user = PromptBuilder().build("问？", passages).messages[1]["content"]
    assert user.index("[3]") < user.index("[2]") < user.index("[1]") < user.index("问题：")


def test_a_template_without_the_required_blocks_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.j2").write_text("{% block system %}x{% endblock %}", encoding="utf-8")
    with pytest.raises(ValueError, match="answer_prefix, user"):
        PromptBuilder("bad.j2", tmp_path)


def test_an_unknown_variable_in_a_template_is_an_error_not_silence(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text(
        "{% block system %}{{ nothing }}{% endblock %}{% block user %}{% endblock %}"
        "{% block answer_prefix %}{% endblock %}",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="nothing"):
        PromptBuilder("t.j2", tmp_path).build("q", [])
