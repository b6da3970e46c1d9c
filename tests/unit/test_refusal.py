"""The refusal decision: which signals refuse a question, and which answer it whatever the scores."""

from __future__ import annotations

from app.chat.intent import word_question
from app.chat.refusal import decide
from app.knowledge.chunking import Chunk
from app.knowledge.retriever import RetrievalHit, RetrievalResult

MIN_RELEVANCE = 0.86
VOCABULARY = "家居用品：筷子莆仙话说“箸”，碗说“瓯”。天气：下雨说“落雨”，打雷说“雷公叫”。"
TONES = "莆仙话有七个声调（莆田），阴平 533，阳平 13。"


def retrieved(text: str, dense: float = 0.92, nouns: tuple[str, ...] = ()) -> RetrievalResult:
    chunk = Chunk("vocab#1", "vocab", "词汇", "", text, 1)
    missing = [noun for noun in nouns if noun not in text]
    return RetrievalResult(
        [RetrievalHit(chunk, 0.03, 1)], dense, 5.0, [], question_nouns=list(nouns), missing_nouns=missing
    )


def reason(question: str, retrieval: RetrievalResult, cards: int = 0) -> str | None:
    decision = decide(question, word_question(question), cards, retrieval, MIN_RELEVANCE)
    return decision.reason if decision.refuse else None


def test_a_word_question_with_cards_is_answered_even_on_a_weak_retrieval() -> None:
    assert reason("筷子用莆仙话怎么说", retrieved(VOCABULARY, dense=0.5), cards=1) is None


def test_a_word_neither_the_lexicon_nor_the_passages_hold_is_refused() -> None:
    # The vocabulary pages score as close for 手机 as for 筷子; the word itself is nowhere.
    assert reason("手机用莆仙话怎么说", retrieved(VOCABULARY)) == "absent_word"
    assert reason("How do you say 'coffee' in Puxian?", retrieved(VOCABULARY)) == "absent_word"
    # A near miss: 打雷 is in the passage (雷公叫 is its word), 打电话 is not.
    assert reason("打雷用莆仙话怎么说", retrieved(VOCABULARY)) is None
    assert reason("打电话用莆仙话怎么说", retrieved(VOCABULARY)) == "absent_word"
    # A sentence is not looked for whole: its words may stand apart in the passage.
    assert reason("外面下了大雨用莆仙话该怎么说", retrieved(VOCABULARY)) is None


def test_another_variety_is_out_of_scope_even_with_a_card_unless_puxian_is_named() -> None:
    assert reason("福州话的“谢谢”怎么说？", retrieved(VOCABULARY), cards=1) == "other_variety"
    assert reason("Can you say 'thank you' in Cantonese?", retrieved(VOCABULARY)) == "other_variety"
    assert reason("莆仙话和福州话的“谢谢”有什么不同？", retrieved(VOCABULARY), cards=1) is None


def test_an_english_question_must_be_about_puxian() -> None:
    assert reason("What is the capital of Australia?", retrieved(TONES)) == "not_about_puxian"
    assert reason("How many tones does the Putian dialect have?", retrieved(TONES)) is None
    assert reason("What does 厝 mean?", retrieved(TONES)) is None


def test_a_count_the_passages_do_not_hold_is_an_unsupported_premise() -> None:
    assert reason("莆仙话的第十二个声调怎么读？", retrieved(TONES)) == "unsupported_number"
    assert (
        reason("What are the twelve tones of the Putian dialect?", retrieved(TONES)) == "unsupported_number"
    )
    assert reason("莆仙话七个声调怎么读？", retrieved(TONES)) is None
    assert reason("莆仙话八个声调怎么读？", retrieved(TONES)) == "unsupported_number"  # off by one


def test_otherwise_the_question_s_nouns_and_the_best_score_decide() -> None:
    assert reason("莆仙话的声调有哪些？", retrieved(TONES, nouns=("声调",))) is None
    far = retrieved(TONES, dense=0.80, nouns=("声调", "演员"))
    assert reason("莆仙戏演员的声调怎么样？", far) == "retrieval"


def test_a_question_asking_for_a_year_a_duration_or_a_head_count_needs_a_passage_holding_one() -> None:
    stations = "莆田站有动车到厦门，也有到福州的。"
    assert reason("莆田到厦门的高铁要坐多久？", retrieved(stations, nouns=("厦门",))) == "answer_type"
    timed = retrieved(stations + "到厦门大约 1 小时。", nouns=("厦门",))
    assert reason("莆田到厦门的高铁要坐多久？", timed) is None
    play = "莆仙戏原来叫“兴化戏”，后来改称“莆仙戏”。"
    assert reason("莆仙戏是哪一年改名的？", retrieved(play, nouns=("莆仙戏",))) == "answer_type"
    dated = retrieved(play.replace("后来", "1954 年"), nouns=("莆仙戏",))
    assert reason("莆仙戏是哪一年改名的？", dated) is None
    assert reason("How many people speak the Puxian dialect?", retrieved(TONES)) == "answer_type"
    assert reason("How many people speak the Puxian dialect?", retrieved("莆仙话使用者约 250 万人。")) is None


def test_the_year_must_be_in_a_passage_about_what_the_question_names() -> None:
    sect = Chunk("religion#1", "religion", "宗教", "", "三一教是林龙江创立的莆仙本土宗教。", 1)
    mazu = Chunk("mazu#1", "mazu", "妈祖", "", "妈祖林默生于宋代，出生在湄洲岛。", 2)
    both = RetrievalResult([RetrievalHit(sect, 0.03, 1), RetrievalHit(mazu, 0.02, 2)], 0.92, 5.0, [])
    question = "三一教的创始人林龙江是哪一年出生的？"
    assert reason(question, both) == "answer_type", "a year, but in the passage on Mazu"
    dated = Chunk("religion#2", "religion", "宗教", "", "林龙江生于明代正德年间，创立三一教。", 3)
    answered = RetrievalResult([RetrievalHit(dated, 0.03, 1), RetrievalHit(mazu, 0.02, 2)], 0.92, 5.0, [])
    assert reason(question, answered) is None
