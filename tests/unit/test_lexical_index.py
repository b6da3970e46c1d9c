from app.knowledge.lexical_index import LexicalIndex
from app.knowledge.text_norm import lexical_terms

TEXTS = {
    10: "普通话的“吃饭”，莆仙话说“食饭”，拼音 sia2 mue5。",
    11: "“今天”在莆仙话里说“今旦”，拼音 ging1 dua4。",
    12: "莆仙话有七个声调：阴平、阳平、上声、阴去、阳去、阴入、阳入。",
    13: "普通话的“筷子”，莆仙话说“箸”，读 dy5。",
}


def build() -> LexicalIndex:
    index = LexicalIndex()
    for row, text in TEXTS.items():
        index.add(row, lexical_terms(text))
    return index


def test_bm25_ranks_the_chunk_with_the_query_terms_first() -> None:
    index = build()
    assert index.search(lexical_terms("吃饭怎么说"), 3)[0][0] == 10
    assert index.search(lexical_terms("声调有几个"), 3)[0][0] == 12
    assert index.search(lexical_terms("sia mue"), 3)[0][0] == 10  # syllables without tones match
    assert index.search(lexical_terms("机器学习"), 3) == []


def test_removed_chunks_are_never_returned_and_can_come_back_changed() -> None:
    index = build()
    index.remove([10])
    assert len(index) == 3
    assert all(row != 10 for row, _ in index.search(lexical_terms("吃饭 食饭"), 5))
    index.add(10, lexical_terms("“吃饭”又说“食饭”。"))
    assert index.search(lexical_terms("食饭"), 1)[0][0] == 10


def test_compaction_keeps_results_identical() -> None:
    index = LexicalIndex()
    for row in range(200):
        index.add(row, lexical_terms(f"第{row}条 莆仙话 词条" + ("食饭" if row % 7 == 0 else "")))
    index.remove(list(range(0, 200, 2)))  # half removed: compaction runs
    results = index.search(lexical_terms("食饭"), 50)
    assert {row for row, _ in results} == {row for row in range(200) if row % 7 == 0 and row % 2 == 1}
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
