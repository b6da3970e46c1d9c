import itertools

from app.knowledge.chunking import Chunk, chunk_document
from app.knowledge.sources.model import LexiconEntry, ParsedDocument


def make_document(body: str = "", entries: tuple[LexiconEntry, ...] = ()) -> ParsedDocument:
    return ParsedDocument(
        id="doc",
        title="标题",
        kind="markdown",
        source_path="doc.md",
        content_hash="h",
        metadata={
            "category": "vocabulary",
            "dialect_points": ["莆田"],
            "sources": [{"title": "来源", "url": None}],
        },
        body=body,
        entries=entries,
    )


def test_each_section_becomes_its_own_chunk_with_its_heading() -> None:
    body = (
        "# 标题\n\n开头一段。\n\n## 吃饭：食饭\n普通话的“吃饭”，莆仙话说“食饭”。\n\n"
        "## 今天：今旦\n“今天”说“今旦”。"
    )
    chunks = chunk_document(make_document(body), max_chars=200, overlap_chars=20)
    assert [(c.section, c.text) for c in chunks] == [
        ("", "开头一段。"),
        ("吃饭：食饭", "普通话的“吃饭”，莆仙话说“食饭”。"),
        ("今天：今旦", "“今天”说“今旦”。"),
    ]
    assert [c.id for c in chunks] == ["doc#0", "doc#1", "doc#2"]
    assert chunks[1].embedding_text() == "标题 · 吃饭：食饭\n普通话的“吃饭”，莆仙话说“食饭”。"


def test_long_paragraphs_are_cut_at_chinese_sentence_ends_never_mid_sentence() -> None:
    sentences = [f"这是第{i}句话，讲一个莆仙话的事实。" for i in range(12)]
    chunks = chunk_document(make_document("## 节\n" + "".join(sentences)), max_chars=60, overlap_chars=0)
    assert len(chunks) > 1
    assert all(len(c.text) <= 60 for c in chunks)
    for chunk in chunks:
        assert chunk.text.endswith("。")
    assert "".join(c.text for c in chunks) == "".join(sentences)


def test_consecutive_chunks_of_a_section_overlap_by_whole_sentences() -> None:
    sentences = [f"第{i}句说明莆仙话。" for i in range(10)]
    chunks = chunk_document(make_document("## 节\n" + "".join(sentences)), max_chars=40, overlap_chars=12)
    for previous, following in itertools.pairwise(chunks):
        last_sentence = previous.text.split("。")[-2] + "。"
        assert following.text.startswith(last_sentence)


def test_other_sentence_ends_and_closing_quotes_stay_with_their_sentence() -> None:
    body = "## 节\n" + "他说：“食饭了！”你呢？好；走吧。" * 6
    chunks = chunk_document(make_document(body), max_chars=30, overlap_chars=0)
    for chunk in chunks:
        assert not chunk.text.startswith("”")
        assert chunk.text[-1] in "！？；。”"


def test_a_sentence_longer_than_a_chunk_is_cut_by_length() -> None:
    chunks = chunk_document(make_document("## 节\n" + "长" * 250), max_chars=100, overlap_chars=0)
    assert [len(c.text) for c in chunks] == [100, 100, 50]


def test_table_rows_keep_their_line_breaks() -> None:
    table = "\n".join(f"| {i} | 阴平 | 533 |" for i in range(20))
    chunks = chunk_document(make_document("## 声调\n" + table), max_chars=120, overlap_chars=0)
    assert all(isinstance(c, Chunk) for c in chunks)
    for chunk in chunks:
        assert all(line.startswith("|") for line in chunk.text.split("\n"))


def test_every_lexicon_entry_is_one_chunk_that_reads_alone() -> None:
    entries = (
        LexiconEntry("food-001", "食飯", "食饭", ("吃饭",), "sia2 bue5", "sia2 mue5", point="莆田", line=7),
        LexiconEntry("house-001", "厝", "厝", ("房子", "家"), "cou4", ipa="[tshɔu42]"),
    )
    chunks = chunk_document(make_document(entries=entries), max_chars=300, overlap_chars=0)
    assert [c.id for c in chunks] == ["doc#food-001", "doc#house-001"]
    first = chunks[0]
    assert first.is_entry
    assert first.section == "食饭"
    assert first.text == (
        "莆仙话“食饭（食飯）”（莆田），普通话意思是“吃饭”，读音：莆仙话拼音 sia2 bue5，连读 sia2 mue5；"
        "平话字 siá-bōi（推导），连读 siá-mōi（推导）；国际音标 [ɬia13 puei11]（推导），连读 [ɬia13 muei11]（推导）。"
    )
    assert first.metadata["pronunciations"]["psp"]["connected"] == {
        "text": "sia2 mue5",
        "basis": "source",
        "attested": True,
    }
    assert first.metadata["glosses"] == ["吃饭"]
    assert first.metadata["line"] == 7
    assert "国际音标 [tshɔu42]，" in chunks[1].text  # attested: shown as the source writes it
    assert first.lexical_text().startswith("食饭\n")
    # Embedded as the source records it: the derived readings would only lengthen it.
    assert (
        first.embedding_text()
        == "标题 · 食饭\n莆仙话“食饭（食飯）”（莆田），普通话意思是“吃饭”，莆仙话拼音 sia2 bue5，连读时声母类化为 sia2 mue5。"
    )
