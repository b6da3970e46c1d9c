from pathlib import Path

import pytest

from app.knowledge.sources.model import SourceError
from app.knowledge.sources.reader import read_source

VALID = """---
id: vocab-test
title: 测试词汇
category: vocabulary
dialect_points: [莆田]
tags: [吃饭]
sources:
  - title: HinghuaFactory
    url: https://github.com/Yaryou/HinghuaFactory
---
# 测试词汇

普通话的“吃饭”，莆仙话说“食饭”。
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_curated_document_is_read_with_its_metadata(tmp_path: Path) -> None:
    document = read_source(write(tmp_path, "vocab-test.md", VALID), curated=True)
    assert document.id == "vocab-test"
    assert document.title == "测试词汇"
    assert document.kind == "markdown"
    assert document.metadata["category"] == "vocabulary"
    assert document.metadata["dialect_points"] == ["莆田"]
    assert document.metadata["sources"][0]["url"] == "https://github.com/Yaryou/HinghuaFactory"
    assert document.body.startswith("# 测试词汇")
    assert document.body_line == 11


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("# no front matter\n", 1, "missing front matter"),
        ("---\nid: x\n", 1, "not closed"),
        ("---\nid: [unclosed\n---\nbody\n", 2, "not valid YAML"),
        (VALID.replace("category: vocabulary", "category: poetry"), 4, "'category' must be one of"),
        (VALID.replace("id: vocab-test", "id: Vocab Test"), 2, "'id' must be lowercase"),
        (
            VALID.replace(
                "  - title: HinghuaFactory\n    url: https://github.com/Yaryou/HinghuaFactory\n", ""
            ),
            7,
            "'sources' must list",
        ),
        (VALID.split("# 测试词汇")[0], 11, "no text after its front matter"),
    ],
)
def test_malformed_curated_documents_name_the_file_and_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = write(tmp_path, "vocab-test.md", text)
    with pytest.raises(SourceError) as error:
        read_source(path, curated=True)
    assert error.value.line == line
    assert problem in str(error.value)
    assert str(error.value).startswith(f"{path}:{line}:")


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="must equal the file name 'other'"):
        read_source(write(tmp_path, "other.md", VALID), curated=True)


def test_an_uploaded_markdown_file_needs_no_front_matter(tmp_path: Path) -> None:
    document = read_source(write(tmp_path, "Notes 2024.md", "# 红团的做法\n\n红团要用糯米。"))
    assert document.title == "红团的做法"
    assert document.id.startswith("notes-2024-")
    assert read_source(tmp_path / "Notes 2024.md").id == document.id  # stable for the same path


def test_text_and_empty_files(tmp_path: Path) -> None:
    document = read_source(write(tmp_path, "笔记.txt", "莆仙话“今天”说“今旦”。\n"))
    assert (document.kind, document.title, document.body) == ("text", "笔记", "莆仙话“今天”说“今旦”。")
    with pytest.raises(SourceError, match="empty"):
        read_source(write(tmp_path, "blank.txt", "  \n"))


def test_a_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("第一行\n".encode() + "食饭".encode("gbk"))
    with pytest.raises(SourceError, match=r"gbk.txt:2: not UTF-8"):
        read_source(path)


def test_unsupported_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unsupported file type"):
        read_source(write(tmp_path, "picture.png", "x"))


def test_the_repository_knowledge_base_reads_cleanly() -> None:
    docs = Path(__file__).resolve().parents[2] / "knowledge" / "docs"
    documents = [read_source(path, curated=True) for path in sorted(docs.glob("*.md"))]
    assert len(documents) >= 60
    assert {"vocabulary", "phonology", "grammar", "romanization", "geography", "culture", "overview"} == {
        d.metadata["category"] for d in documents
    }
    assert len({d.id for d in documents}) == len(documents)
