"""The fourth retriever: entries found from romanized input in any system and spelling."""

from __future__ import annotations

import pytest

from app.knowledge.chunking import Chunk
from app.knowledge.pronunciation import pronounce
from app.knowledge.romanized_index import RomanizedIndex, romanized_runs
from app.knowledge.sources.model import LexiconEntry
from romanization.readings import Readings

LEXICON = [
    ("頭毛", "头毛", "头发", "tao2 mung2", "", "táu-mńg"),
    ("頭", "头", "头", "tau2", "", "táu"),
    ("今旦", "今旦", "今天", "ging1 dua4", "ging1 nua4", "ging-dua̍ⁿ"),
    ("食", "食", "吃", "sia2", "", "sia̍h"),
    ("食飯", "食饭", "吃饭", "sia2 bue5", "sia2 mue5", ""),
    ("莆田", "莆田", "莆田", "pou2 ceng2", "pou2 leng2", "Pó-chéng"),
    ("田", "田", "田", "ceng2", "", "chéng"),
    ("正爿", "正爿", "右边", "zia4 be2", "zia4 e2", "cia̍ⁿ-bá̤ⁿ"),
    ("伓通", "伓通", "不要", "ng5 tang1", "ng5 nang1", ""),
]


def chunk(number: int, hanzi: str, simplified: str, gloss: str, psp: str, surface: str, buc: str) -> Chunk:
    entry = LexiconEntry(f"e{number}", hanzi, simplified, (gloss,), psp, surface, buc=buc)
    metadata = {
        "kind": "entry",
        "headword": hanzi,
        "simplified": simplified,
        "glosses": [gloss],
        "pronunciations": pronounce(entry, Readings()).as_metadata(),
    }
    return Chunk(f"lex#e{number}", "lex", "词表", simplified, entry.describe(), number, metadata)


@pytest.fixture
def index() -> RomanizedIndex:
    built = RomanizedIndex()
    for number, row in enumerate(LEXICON, start=1):
        built.add(number, chunk(number, *row))
    return built


def first(index: RomanizedIndex, query: str) -> str:
    matches = index.search(query, 5).matches
    assert matches, f"nothing found for {query!r}"
    return LEXICON[matches[0].row_id - 1][1]


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("tau2 mung2", "头毛"),
        ("tao2 mung2", "头毛"),
        ("tau mung", "头毛"),
        ("taumung", "头毛"),
        ("táu-mńg", "头毛"),
        ("tau-mng", "头毛"),
        ("taumng 是什么意思", "头毛"),
        ("sia̍h", "食"),
        ("sia2", "食"),
        ("ging1 nua4", "今旦"),
        ("gingnua", "今旦"),
        ("sia2 mue5 是什么意思", "食饭"),
        ("leng2", "田"),  # the connected initial undone: 田 is ceng2
        ("zia be", "正爿"),  # "be" is English too, but alone it is read as Puxian
        ("How do you say 'gingdua' in Puxian?", "今旦"),
    ],
)
def test_romanized_input_finds_its_entry_first(index: RomanizedIndex, query: str, word: str) -> None:
    assert first(index, query) == word


def test_a_whole_word_is_preferred_to_a_syllable_of_it(index: RomanizedIndex) -> None:
    result = index.search("taumung", 5)
    assert [m.row_id for m in result.matches][:2] == [1, 2]  # 头毛, then 头
    assert result.matches[0].covers_run
    assert not result.matches[1].covers_run
    assert result.words[0].row_id == 1


def test_initial_letters_find_words_most_used_first(index: RomanizedIndex) -> None:
    popular = {"莆田": 50, "伓通": 2}
    result = index.search("pt", 5, popularity=lambda word: popular.get(word, 0))
    assert [LEXICON[m.row_id - 1][1] for m in result.matches] == ["莆田", "伓通"]  # pinyin pu tian, pi tong


def test_letters_a_chinese_question_talks_about_are_not_searched(index: RomanizedIndex) -> None:
    assert index.search("莆仙话拼音里的 or、oe、y 分别代表什么音", 5).matches == []
    assert romanized_runs("What is Pouseng Ping'ing?") == ["Pouseng Ping", "ing"]  # English words left out


def test_removed_entries_are_no_longer_found(index: RomanizedIndex) -> None:
    index.remove([1])
    assert first(index, "taumung") == "头"
    assert len(index) == len(LEXICON) - 1
