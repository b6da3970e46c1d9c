from pathlib import Path

import pytest

from app.knowledge.documents import DocumentError, load_document, load_documents

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


def test_a_valid_document_is_loaded_with_its_metadata(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "vocab-test.md", VALID))
    assert document.id == "vocab-test"
    assert document.category == "vocabulary"
    assert document.dialect_points == ("莆田",)
    assert document.sources[0].url == "https://github.com/Yaryou/HinghuaFactory"
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
def test_malformed_documents_name_the_file_and_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = write(tmp_path, "vocab-test.md", text)
    with pytest.raises(DocumentError) as error:
        load_document(path)
    assert error.value.line == line
    assert problem in str(error.value)
    assert str(error.value).startswith(f"{path}:{line}:")


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="must equal the file name 'other'"):
        load_document(write(tmp_path, "other.md", VALID))


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    write(tmp_path, "vocab-test.md", VALID)
    write(tmp_path / "a", "vocab-test.md", VALID)
    with pytest.raises(DocumentError, match="already used"):
        load_documents(tmp_path)


def test_the_repository_knowledge_base_loads_and_is_large_enough() -> None:
    documents = load_documents(Path(__file__).resolve().parents[2] / "knowledge" / "docs")
    assert len(documents) >= 10
    categories = {d.category for d in documents}
    assert {"vocabulary", "phonology", "culture"} <= categories
    assert all(d.sources for d in documents)
