"""End to end on the real model and index: retrieval finds the document, the answer uses it."""

from __future__ import annotations

import pytest

from app.bootstrap import Services
from app.chat.citations import cited_numbers
from app.chat.prompting import NO_ANSWER


@pytest.mark.parametrize(
    ("question", "documents", "expected"),
    [
        ("如何用莆仙话说“吃饭”？", {"vocab-food-drink", "lexicon-verbs-actions"}, "食饭"),
        ("莆仙话“今天”怎么说？", {"vocab-time", "lexicon-time-numbers"}, "今旦"),
    ],
)
def test_vocabulary_question_is_answered_from_the_right_document(
    services: Services, question: str, documents: set[str], expected: str
) -> None:
    answer = services.rag.answer(question)
    assert documents & {source.doc_id for source in answer.sources}
    assert expected in answer.answer
    assert [source.number for source in answer.sources] == list(range(1, len(answer.sources) + 1))
    # The word card's entry first (it states the answer), then the other passages best first.
    assert "card" in answer.sources[0].found_by
    scores = [source.score for source in answer.sources if "card" not in source.found_by]
    assert scores == sorted(scores, reverse=True)
    assert answer.usage["completion_tokens"] > 0
    assert answer.timings["total_ms"] >= answer.timings["retrieval_ms"] > 0


def test_top_k_sets_how_many_passages_are_used(services: Services) -> None:
    hits = services.rag.retriever.retrieve("莆仙话有几个声调？", top_k=5).hits
    assert len(hits) == 5
    assert hits[0].chunk.doc_id.startswith("phonology")


def test_a_question_the_knowledge_base_cannot_answer_gets_the_plain_no_answer(services: Services) -> None:
    answer = services.rag.answer("如何用Python写快速排序？")
    assert answer.answer == NO_ANSWER
    assert answer.sources == []
    assert answer.usage == {}, "the model must not be asked when no passage is relevant"


def test_answers_cite_the_passage_they_come_from(services: Services) -> None:
    answer = services.rag.answer("莆仙话“今天”怎么说？")
    cited = cited_numbers(answer.answer)
    assert cited, f"no citation in {answer.answer!r}"
    cited_texts = [s.text for s in answer.sources if s.number in cited]
    assert any("今旦" in text for text in cited_texts)


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("‘厝’是什么意思？", "厝"),
        ("厝是什么意思", "厝"),
        ("莆仙话的“筷子”怎么说？", "筷子"),
        ("吃饭用莆仙话怎么讲", "吃饭"),
        ("莆仙話「食飯」怎麼講？", "食饭"),
    ],
)
def test_the_word_a_question_asks_about_is_looked_up_exactly(
    services: Services, question: str, term: str
) -> None:
    result = services.knowledge.retriever.retrieve(question, 5)
    assert term in result.headword_terms
    top = result.hits[0]
    assert "headword" in top.found_by
    assert term in (top.chunk.section, *top.chunk.metadata.get("glosses", []))


def test_question_words_are_not_taken_for_the_subject(services: Services) -> None:
    assert services.knowledge.retriever.headword_terms("莆仙话有几个声调？") == []
    assert services.knowledge.retriever.headword_terms("莆田的GDP是多少？") == []
