from pathlib import Path

import pytest

from app.knowledge.sources.model import SourceError
from app.knowledge.sources.reader import read_source

TABLE = (
    "# title: 测试词表\n"
    "# point: 莆田\n"
    "# source: HinghuaFactory | https://github.com/Yaryou/HinghuaFactory\n"
    "id\thanzi\tsimplified\tgloss\tpsp\tpsp_surface\tipa\tbuc\tpoint\tnote\tsource\n"
    "t-1\t食飯\t食饭\t吃饭；用餐\tsia2 bue5\tsia2 mue5\t\t\t\t常用。\tHF\n"
    "t-2\t今旦\t\t今天\tging1 dua4\tging1 nua4\t[kin55 nua42]\t\t\t\tF\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_tsv_lexicon_gives_one_entry_per_row(tmp_path: Path) -> None:
    document = read_source(write(tmp_path, "food.tsv", TABLE), curated=True)
    assert (document.id, document.title, document.kind) == ("lexicon-food", "测试词表", "lexicon")
    assert document.metadata["sources"] == [
        {"title": "HinghuaFactory", "url": "https://github.com/Yaryou/HinghuaFactory"}
    ]
    first, second = document.entries
    assert (first.entry_id, first.headword, first.simplified, first.glosses) == (
        "t-1",
        "食飯",
        "食饭",
        ("吃饭", "用餐"),
    )
    assert (first.psp, first.psp_surface, first.point, first.line) == ("sia2 bue5", "sia2 mue5", "莆田", 5)
    assert second.simplified == "今旦"  # filled in when the column is empty
    assert second.ipa == "[kin55 nua42]"


def test_a_csv_lexicon_with_chinese_column_names(tmp_path: Path) -> None:
    text = '词,普通话,拼音,备注\n厝,"房子、家",cou4,"量词，相当于""家"""\n'
    entry = read_source(write(tmp_path, "mine.csv", text)).entries[0]
    assert (entry.headword, entry.glosses, entry.psp) == ("厝", ("房子", "家"), "cou4")
    assert entry.note == '量词，相当于"家"'
    assert entry.entry_id == "L2"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("# only comments\n", 1, "no header row"),
        ("hanzi\tcolour\n厝\tred\n", 1, "unknown column 'colour'"),
        ("gloss\tpsp\n房子\tcou4\n", 1, "headword column"),
        ("hanzi\tnote\n厝\tx\n", 1, "gloss (普通话) or reading"),
        ("hanzi\tpsp\n厝\tcou4\n\tcou4\n", 3, "headword is empty"),
        ("hanzi\tpsp\n厝\tcou4\textra\n", 2, "3 columns, but the header names 2"),
        ("hanzi\tpsp\n厝\tcóu\n", 2, "not PSP: cóu"),
        ("id\thanzi\tpsp\na\t厝\tcou4\na\t箸\tdy5\n", 3, "already used on line 2"),
        ("hanzi\tpsp\n", 1, "no entries"),
    ],
)
def test_malformed_tables_name_the_file_and_line(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = write(tmp_path, "bad.tsv", text)
    with pytest.raises(SourceError) as error:
        read_source(path)
    assert str(error.value).startswith(f"{path}:{line}:")
    assert problem in str(error.value)


RIME = """# Rime dictionary
---
name: test
version: "1"
...

# 單字
食\tsia2\t5100\t90%
飯\tbue5
潭\tdang2
平\tbeng2
食飯\tsia2 mue5
平潭
路由器 lou5 iu2 ki4
怪字詞
食飯	sia2 mue5	10
"""


def test_a_rime_dictionary_reads_entries_and_composes_missing_codes(tmp_path: Path) -> None:
    path = write(tmp_path, "test.dict.yaml", RIME)
    document = read_source(path)
    assert document.kind == "rime"
    assert document.title == "Rime 词库 test（1）"
    by_word = {e.headword: e for e in document.entries}
    assert by_word["食飯"].psp == "sia2 mue5"
    assert by_word["食飯"].simplified == "食饭"
    assert by_word["平潭"].psp == "beng2 dang2"  # composed from the characters, as Rime does
    assert by_word["路由器"].psp == "lou5 iu2 ki4"
    assert by_word["怪字詞"].psp == ""
    assert len(document.entries) == 8
    assert any(":14: code separated by a space" in w for w in document.warnings)
    assert any(":15: no code" in w for w in document.warnings)
    assert [e.line for e in document.entries if e.headword == "食飯"] == [12]  # line 16 repeats it
    assert any(":16: skipped 1 repeated entries" in w and "line 12" in w for w in document.warnings)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("---\nname: x\n食\tsia2\n", 1, "no '...' line"),
        ("---\nname: x\n...\n\tsia2\n", 4, "text column is empty"),
        ("---\nname: x\n...\n# nothing\n", 3, "no entries"),
    ],
)
def test_malformed_rime_files_are_refused(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = write(tmp_path, "bad.dict.yaml", text)
    with pytest.raises(SourceError) as error:
        read_source(path)
    assert str(error.value).startswith(f"{path}:{line}:")
    assert problem in str(error.value)


def test_the_real_pouleng_dictionary_reads_all_its_entries() -> None:
    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "puxian" / "Pouleng.dict.yaml"
    document = read_source(path)
    # 23,632 entry lines (its README counts the 23,629 well-formed ones), 826 of them repeats
    assert len(document.entries) == 23632 - 826
    assert len(document.warnings) == 17
    assert "skipped 826 repeated entries" in document.warnings[-1]
    unreadable = [e for e in document.entries if not e.psp]
    assert len(unreadable) < 20  # typos such as "beng 2beng2", kept with their code in the note
    assert all(e.note.startswith("编码 ") for e in unreadable)


def test_sloppy_rime_lines_are_read_with_a_warning(tmp_path: Path) -> None:
    text = "---\nname: x\n...\n𢽚蚮\t\tdorh6 dyor5\n食\tsia2\tmany\n"
    document = read_source(write(tmp_path, "sloppy.dict.yaml", text))
    assert [(e.headword, e.psp) for e in document.entries] == [("𢽚蚮", "dorh6 dyor5"), ("食", "sia2")]
    assert ":4: the code is in the weight column" in document.warnings[0]
    assert ":5: the weight 'many' is not a number; ignored" in document.warnings[1]


def test_a_buc_character_table_is_a_lexicon(tmp_path: Path) -> None:
    """Wiktionary's character table (`char<TAB>buc_readings`, readings split by /) imports as it is."""
    text = "char\tbuc_readings\n一\tih / seo̍h\n旦\tdua̍ⁿ\n"
    document = read_source(write(tmp_path, "chars_buc.tsv", text))
    assert [(e.headword, e.buc) for e in document.entries] == [("一", "ih / seo̍h"), ("旦", "dua̍ⁿ")]
