"""Whether the knowledge base answers a question: the decision to refuse, from several signals.

One retrieval score cannot tell a question the knowledge base answers from one that only looks
like it (手机用莆仙话怎么说 retrieves the vocabulary pages as closely as 筷子 does). The decision
weighs what the question asks and what was found (docs/answers.md, "Refusals"):

- **cards**: a question about a word that the lexicon holds is answered, whatever else;
- **another variety**: a question about another language or dialect that does not name Puxian
  (福州话的“谢谢”怎么说) is out of scope;
- **an absent word**: a question about words of which neither the lexicon nor any retrieved
  passage holds one (冰箱, "coffee") has no answer here: the passages are about other words;
- **the kind of answer**: a question asking for a year, a duration or a number of people is not
  answered by passages that hold none;
- **the question's nouns and the best dense score** (`knowledge/retriever.py`, `is_answerable`):
  the nouns the question is about must be in the passages, and the best passage close enough.

The thresholds are calibrated on the dev split of the question set and reported on the test split
(`puxian eval refusals`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.chat.grounding import han_number, numbers_in
from app.chat.intent import WordQuestion
from app.knowledge.english import english_glosses
from app.knowledge.retriever import RetrievalResult, is_answerable
from app.knowledge.text_norm import is_english, normalize

# Other Chinese varieties and languages: a question about one of them is not about Puxian.
_OTHER_VARIETIES = re.compile(
    r"福州话|福清话|闽南话|闽南语|厦门话|泉州话|漳州话|潮州话|潮汕话|台湾话|台语|闽东话|客家话|粤语|广东话|"
    r"上海话|吴语|四川话|东北话|日语|日文|韩语|英语|法语|德语|"
    r"\b(?:cantonese|hokkien|hakka|teochew|fuzhounese|foochow|shanghainese|taiwanese|japanese|korean|"
    r"french|german|spanish)\b"
)
_PUXIAN = re.compile(r"莆仙|莆田|仙游|兴化|\b(?:puxian|pu-xian|putian|xianyou|hinghwa|henghwa)\b")
# An English question names the dialect, its places, its writing or a Han word; one that names none
# of them (What is the capital of Australia?) is not about Puxian, however close a passage scores.
_ENGLISH_ANCHOR = re.compile(
    r"[\u3400-\u9fff]|\b(?:puxian|pu-xian|putian|xianyou|hinghwa|henghwa|dialect|min|pouseng|ping'ing|"
    r"romani[sz]ed|romani[sz]ation|mazu|meizhou|jiangkou|hanjiang|fujian)\b|[a-z]+[1-8]\b"
)
_HAN_COUNT = re.compile(r"第?([二两三四五六七八九十][一二三四五六七八九十]*)个")
_ENGLISH_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
)
_ENGLISH_COUNTS = {word: number for number, word in enumerate(_ENGLISH_NUMBERS.split())}
_ENGLISH_COUNT = re.compile(
    r"\b(" + "|".join(_ENGLISH_COUNTS) + r") (?:tones|initials|finals|accents|dialects)\b"
)
# What a question asks for (a year, a duration, a number of people) and what a passage that answers
# it must hold: 莆田到厦门的高铁要坐多久 is not answered by passages without any duration.
_ANSWER_TYPES = (
    (
        re.compile(r"哪一年|哪年|什么朝代|哪个朝代|\bwhat year\b|\bwhen (?:was|were|did)\b"),
        re.compile(r"\d{3,4} ?年|[一二三四五六七八九十]+世纪|\d{1,2} ?世纪|[唐宋元明清](?:代|朝)"),
    ),
    (
        re.compile(r"多久|多长时间|几个小时|几分钟|\bhow long\b"),
        re.compile(
            r"\d+ ?(?:分钟|小时|钟头|天|日|年|个月)|[半一二两三四五六七八九十]+(?:分钟|小时|钟头|个月)"
        ),
    ),
    (
        re.compile(r"多少人|几万人|\bhow many (?:people|speakers)\b"),
        re.compile(r"\d+(?:\.\d+)? ?[万亿]? ?(?:人|名)|[一二两三四五六七八九十百千]+万人"),
    ),
)
ANSWER_PASSAGES = 3  # the passages an answer is built from (top_k's default)
PASSAGES_SEARCHED = 5  # an asked word must be in one of the best passages
# A name a question is about is short; bounding the runs tried keeps a 2,000-character question cheap.
MAX_SUBJECT_CHARS = 8
MAX_CHECKED_WORD = 3  # longer Mandarin "words" are phrases, whose words a passage may hold apart


@dataclass(frozen=True)
class RefusalDecision:
    refuse: bool
    reason: str  # why, for the logs and the evaluation: cards, other_variety, absent_word, retrieval


def decide(
    question: str,
    asked: WordQuestion | None,
    cards: int,
    retrieval: RetrievalResult,
    min_relevance: float,
) -> RefusalDecision:
    """Whether to refuse the question (give the fixed no-answer reply without asking the model)."""
    text = normalize(question)
    if _OTHER_VARIETIES.search(text) and not _PUXIAN.search(text):
        return RefusalDecision(True, "other_variety")
    if cards or retrieval.romanized.words:
        return RefusalDecision(False, "cards")
    if is_english(question) and not _ENGLISH_ANCHOR.search(text):
        return RefusalDecision(True, "not_about_puxian")
    if asked is not None and _checkable(asked) and not _any_word_found(asked, retrieval):
        return RefusalDecision(True, "absent_word")
    if _unsupported_numbers(text, retrieval):
        return RefusalDecision(True, "unsupported_number")
    if _no_answer_of_its_type(text, retrieval):
        return RefusalDecision(True, "answer_type")
    if not is_answerable(retrieval, min_relevance):
        return RefusalDecision(True, "retrieval")
    return RefusalDecision(False, "retrieval")


def _checkable(asked: WordQuestion) -> bool:
    """Whether a word question's words can be looked for in passages as they are: short Mandarin
    words (外面下雨了 is a sentence), single English words (rice porridge may be glossed 粥)."""
    if asked.kind != "say":
        return False  # a Puxian word asked about may be written otherwise in the passages
    if asked.language == "en":
        return all(" " not in term for term in asked.terms)
    return all(len(term) <= MAX_CHECKED_WORD for term in asked.terms)


def _unsupported_numbers(text: str, retrieval: RetrievalResult) -> bool:
    """Whether the question states a count (莆仙话的第十二个声调, twelve tones) that no retrieved
    passage holds: its premise is not the knowledge base's."""
    counts = [str(value) for run in _HAN_COUNT.findall(text) if (value := han_number(run))]
    counts += [str(_ENGLISH_COUNTS[word]) for word in _ENGLISH_COUNT.findall(text)]
    if not counts:
        return False
    passages = " ".join(hit.chunk.text for hit in retrieval.hits[:PASSAGES_SEARCHED])
    held = numbers_in(normalize(passages))
    return any(count not in held for count in counts)


def _no_answer_of_its_type(text: str, retrieval: RetrievalResult) -> bool:
    """Whether the question asks for a year, a duration or a number of people and none of the
    passages an answer would be built from holds one beside what the question is about: a year in
    a passage on Mazu does not answer when 林龙江 was born."""
    passages = [normalize(hit.chunk.text) for hit in retrieval.hits[:ANSWER_PASSAGES]]
    searched = " ".join(normalize(hit.chunk.text) for hit in retrieval.hits[:PASSAGES_SEARCHED])
    for asks, answer in _ANSWER_TYPES:
        if not asks.search(text):
            continue
        subjects = _known_subjects(asks.sub(" ", normalize(text)), searched)
        if not any(answer.search(passage) and _about(passage, subjects) for passage in passages):
            return True
    return False


def _known_subjects(text: str, passages: str) -> list[str]:
    """The longest runs of three to MAX_SUBJECT_CHARS Han characters of the question that the
    passages hold (the names and terms it is about)."""
    found: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]{3,}", text):
        start = 0
        while start <= len(run) - 3:
            longest = min(len(run), start + MAX_SUBJECT_CHARS)
            end = next((e for e in range(longest, start + 2, -1) if run[start:e] in passages), None)
            if end is None:
                start += 1
                continue
            found.append(run[start:end])
            start = end
    return found


def _about(passage: str, subjects: list[str]) -> bool:
    return not subjects or any(subject in passage for subject in subjects)


def _any_word_found(asked: WordQuestion, retrieval: RetrievalResult) -> bool:
    """Whether any word asked about (in Mandarin: its translations for an English question) is in
    the best passages' text."""
    text = normalize(" ".join(hit.chunk.text for hit in retrieval.hits[:PASSAGES_SEARCHED]))
    if asked.language == "en":
        words = [word for term in asked.terms for word in english_glosses().mandarin_for(term, limit=6)]
        if not words:  # not an English word CC-CEDICT knows (a Han word in an English frame)
            words = list(asked.terms)
    else:
        words = list(asked.terms)
    return any(word and word in text for word in words)
