"""Scoring answers for `puxian eval answers`: right terms, refusals, and the report's figures."""

from __future__ import annotations

from app.chat.answer_eval import ALL, ENGLISH, report_of, score, select
from app.chat.answer_scoring import is_correct, is_refusal
from app.chat.prompting import NO_ANSWER, NO_ANSWER_EN
from app.chat.service import RAGAnswer
from app.knowledge.evaluation import Question


def test_refusals_in_either_language_and_after_the_prompt_s_opening() -> None:
    assert is_refusal(NO_ANSWER)
    assert is_refusal(f"根据资料，{NO_ANSWER}")
    assert is_refusal(NO_ANSWER_EN.upper())
    assert not is_refusal("莆仙话说“箸” [1]。资料中还提到“筷”。")


def test_an_answer_is_right_when_it_holds_an_acceptable_term() -> None:
    assert is_correct("“筷子”莆仙话说“箸”（dy5） [1]。", ["箸"])
    assert is_correct("莆仙話說「箸」", ["箸"])  # traditional characters count
    assert not is_correct("莆仙话说“筷子” [1]。", ["箸"])
    assert not is_correct(f"箸。{NO_ANSWER}", ["箸"]), "a refusal is never a right answer"
    assert not is_correct("莆仙话说“箸”", [])


def test_numbers_match_whole_and_citation_markers_do_not_count() -> None:
    assert is_correct("莆仙话有 7 个声调 [1]。", ["7", "七"])
    assert is_correct("莆仙话有七个声调 [2]。", ["7", "七"])
    assert not is_correct("创制于 1870 年 [1]。", ["7"])
    assert not is_correct("莆仙话读 dy7 [7]。", ["7"])
    assert not is_correct("阴平 533 [1]。", ["53"])


def test_accept_all_needs_every_term() -> None:
    assert is_correct("一说“蜀”，二说“两”。", ["蜀", "两"], accept_all=True)
    assert not is_correct("一说“蜀”。", ["蜀", "两"], accept_all=True)


def question(qid: str, category: str, accept: tuple[str, ...] = (), **extra: str) -> Question:
    relevant = ("doc",) if accept else ()
    return Question(qid, f"问题{qid}", category, relevant, accept=accept, split=extra.get("split", "test"),
                    lang=extra.get("lang", ""), kind=extra.get("kind", ""))  # fmt: skip


def answer(
    text: str, grounded: bool | None = True, fallback: str = "", model: bool = True, opening: bool = False
) -> RAGAnswer:
    timings = {"retrieval_ms": 20.0, "total_ms": 3000.0}
    if model:
        timings["ttft_ms"] = 980.0
        timings["first_text_ms"] = 20.0 if opening else 1000.0
    return RAGAnswer(text, [], timings, grounded=grounded, fallback=fallback)


def test_the_report_counts_accuracy_refusals_grounding_and_time_per_group() -> None:
    questions = [
        question("q1", "vocabulary", ("箸",)),
        question("q2", "vocabulary", ("寒",), lang="en"),
        question("q3", "unanswerable", kind="absent"),
        question("q4", "unanswerable", kind="out_of_scope"),
    ]
    answers = [
        answer("莆仙话说“箸” [1]。", opening=True),
        answer(NO_ANSWER_EN, grounded=None, model=False),  # a false refusal
        answer(NO_ANSWER, grounded=None, model=False),
        answer("莆仙话说“手机仔” [1]。", grounded=False, fallback="extractive"),  # answered, ungrounded
    ]
    outcomes = [score(q, a) for q, a in zip(questions, answers, strict=True)]
    assert outcomes[0].ttft_s == 0.02  # the card's statement, sent before the model starts
    assert outcomes[0].model_ttft_s == 1.0  # retrieval and the model's first token
    assert outcomes[1].ttft_s == 3.0  # no model: the whole reply
    assert outcomes[3].ttft_s == 1.0

    report = report_of("transformers", "test", questions, outcomes)
    overall = report.groups[ALL]
    assert (overall.accuracy, overall.false_refusal_rate, overall.refusal_recall) == (0.5, 0.5, 0.5)
    assert overall.grounded_rate == 0.5
    assert overall.ungrounded_shown == 1
    assert overall.fallbacks == {"extractive": 1}
    assert report.groups[ENGLISH].questions == 1
    assert report.groups[ENGLISH].accuracy == 0.0
    assert report.groups["unanswerable: absent"].refusal_recall == 1.0
    assert report.groups["unanswerable: out_of_scope"].refusal_recall == 0.0
    assert [line.split(" ")[0] for line in report.wrong] == ["q2", "q4"]
    assert "| all | 4 | 0.500 |" in report.table()


def test_select_keeps_a_split_and_drops_questions_without_terms_to_score() -> None:
    questions = [
        question("q1", "vocabulary", ("箸",), split="dev"),
        question("q2", "vocabulary", ("寒",), split="test", lang="en"),
        question("q3", "unanswerable", split="test"),
        Question("r1", "taumng", "romanized", ("lexicon#x",), split="test"),  # no accept terms
    ]
    assert [q.id for q in select(questions, "test")] == ["q2", "q3"]
    assert [q.id for q in select(questions, ALL)] == ["q1", "q2", "q3"]
    assert [q.id for q in select(questions, ALL, [ENGLISH])] == ["q2"]


def test_a_false_premise_corrected_is_handled_but_not_a_refusal() -> None:
    premise = Question(
        "q9", "莆仙话为什么没有声调？", "unanswerable", (), split="test", kind="false_premise",
        correction=("七个声调",),
    )  # fmt: skip
    corrected = score(premise, answer("（摘自资料 [1]）莆仙话有七个声调。"))
    repeated = score(premise, answer("莆仙话没有声调，因为……"))
    assert (corrected.correct, corrected.refused) == (True, False)
    assert not repeated.correct
    report = report_of("transformers", "test", [premise, premise], [corrected, repeated])
    assert report.groups[ALL].refusal_recall == 0.0
    assert report.groups[ALL].handled_rate == 0.5
