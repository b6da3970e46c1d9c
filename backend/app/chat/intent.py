"""What a question asks about a word: how to say it, what it means, or how it is read.

Such questions are answered from the lexicon first (word cards), so they are recognised by the
words that frame them — 怎么说, 是什么意思, 怎么读 and their English counterparts — and the word
they ask about is what is left when the frame is taken away (筷子用莆仙话怎么说 → 筷子), or what
the question quotes (莆仙话“今天”怎么说 → 今天). A question that is not about one word gets None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from app.knowledge.retriever import question_core
from app.knowledge.text_norm import is_english, normalize, quoted_terms

Kind = Literal["say", "meaning", "pronounce", "romanized"]
Language = Literal["zh", "en"]

# Pronunciation and meaning before "say" (X的读音是什么, X的说法是什么意思); longest first within each.
_CUES: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    ("pronounce", ("怎么读", "怎么念", "如何读", "咋读", "咋念", "读音", "发音", "怎么拼")),
    (
        "meaning",
        (
            "是什么意思", "什么意思", "啥意思", "意思是什么", "的意思吗", "指的是什么", "是指什么", "指什么",
            "是什么东西",
        ),
    ),
    (
        "say",
        (
            "如何用莆仙话说", "用莆仙话说", "怎么称呼", "怎么表达", "是什么说法", "怎么说", "怎么讲",
            "怎样说", "如何说", "怎么叫", "叫什么", "叫啥", "咋说", "咋讲", "咋叫", "说法", "叫法", "讲法",
        ),
    ),
)  # fmt: skip
# Around the word in an unquoted question: who says it, the variety, and what frames it (莆仙人管
# 老婆叫什么 → 老婆; 今旦两个字怎么念 → 今旦; 香蕉和菠萝分别怎么说 → 香蕉, 菠萝).
_LEADING = re.compile(r"^(?:请问|听|数字|莆仙人|莆田人|仙游人|在)?(?:管|说)?(?:自己的?)?")
_TRAILING = re.compile(r"(?:[两三四五六七八九几]个字?|这个词|这个字|这几个字|分别|各自|各|都|该|了|呢|啊)+$")
_LIST = re.compile(r"[、/]|和|与|跟|及")
_PARENTHESES = re.compile(r"[(（]([^)）]{1,8})[)）]")
# A short word, quoted or first, asked what it is: 鸡母是什么, “喙”是身体哪个部位, 蜀工是多久.
_WHAT_IS = re.compile(
    r"^(?:莆仙话(?:里的|里|的)?)?[“‘「\"']?(?P<term>[\u3400-\u9fff]{1,4}?)[”’」\"']?(?:在莆仙话里)?"
    r"(?:是|指)[\u3400-\u9fff]{0,3}?(?:什么|啥|哪|多|的是)"
)
# A question that states what a word means or what a thing is called, and asks why (莆仙话“寒”为什么是
# 热的意思, 为什么莆仙话把猫叫作“庐鼠”): its premise is checked against the cards, and a wrong one
# corrected rather than explained (card_answer.py).
_HAN = r"[\u3400-\u9fff]"
_OPEN, _CLOSE = r"[“‘「\"']?", r"[”’」\"']?"
_MEANING_PREMISE = re.compile(
    rf"^(?:莆仙话(?:里的|里|中的|中|的)?)?{_OPEN}(?P<term>{_HAN}{{1,4}}?){_CLOSE}(?:在莆仙话里)?"
    rf"为什么(?:是|指的是|指|表示|意思是)(?P<claimed>{_HAN}{{1,6}}?)(?:的意思)?$"
)
_NAMING_PREMISE = re.compile(
    rf"^为什么(?:莆仙话|莆田话|仙游话|莆仙人|莆田人|仙游人)?(?:要)?(?:把|管)(?P<term>{_HAN}{{1,4}}?)"
    rf"叫(?:作|做)?{_OPEN}(?P<claimed>{_HAN}{{1,4}}){_CLOSE}$"
)
MAX_TERMS = 4
MAX_TERM_LENGTH = 6  # longer: a phrase or a sentence, not a word the lexicon could hold
_POINTS = r"(?:puxian|pu-xian|putian|pu-tian|xianyou|hinghwa|henghwa)(?: min| dialect| chinese)?"
_WHO = r"(?:do|would|can|could|should) (?:you|i|we|one)"
_ENGLISH: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("say", re.compile(rf"^how {_WHO} (?:say|call|express|write) (?P<term>.+?) (?:in|using) {_POINTS}\b")),
    ("say", re.compile(rf"^how to (?:say|call|express) (?P<term>.+?) (?:in|using) {_POINTS}\b")),
    ("say", re.compile(rf"^what(?:'s| is) (?:the )?{_POINTS} (?:word |term )?for (?P<term>.+?)$")),
    ("say", re.compile(rf"^what(?:'s| is| are) (?P<term>.+?) in {_POINTS}$")),
    ("meaning", re.compile(r"^what does (?P<term>.+?) mean(?: in .+)?$")),
    ("meaning", re.compile(r"^what is the meaning of (?P<term>.+?)$")),
    ("pronounce", re.compile(rf"^how {_WHO} (?:pronounce|read) (?P<term>.+?)(?: in .+)?$")),
    ("pronounce", re.compile(r"^how (?:is|are) (?P<term>.+?) (?:pronounced|read|said)\b")),
    ("say", re.compile(rf"^what {_WHO} call (?P<term>.+?) in {_POINTS}\b")),
    ("say", re.compile(rf"^how {_WHO} ask (?P<term>.+?) in {_POINTS}\b")),
)  # fmt: skip
_POINT_NAMES = {
    "仙游": re.compile(r"仙游|\bxianyou\b|\bsien-?yu\b"),
    "莆田": re.compile(r"莆田|\bputian\b|\bpu-tian\b"),
}
_ENGLISH_QUOTES = "'\"‘’“”「」"


@dataclass(frozen=True)
class WordQuestion:
    kind: Kind
    term: str  # normalized: simplified characters, lower case
    language: Language
    others: tuple[str, ...] = ()  # further words of a list question (香蕉和菠萝 → 菠萝)
    # What the question takes for granted: the meaning of the word ("meaning") or the Puxian word
    # for it ("say"); empty when it states nothing.
    claimed: str = ""
    # The dialect point the question asks about when it names one and not the other (仙游话的“饭”
    # 怎么读 → 仙游): a card of the other point does not answer it.
    point: str = ""

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.term, *self.others)


def word_question(question: str) -> WordQuestion | None:
    """The word (or the few words) a question asks about and what it asks, or None."""
    asked = _word_question(question)
    point = _asked_point(normalize(question))
    return replace(asked, point=point) if asked is not None and point else asked


def _asked_point(text: str) -> str:
    """仙游 or 莆田 when the question names that dialect point alone; else empty."""
    named = [point for point, pattern in _POINT_NAMES.items() if pattern.search(text)]
    return named[0] if len(named) == 1 else ""


def _word_question(question: str) -> WordQuestion | None:
    if is_english(question):
        return _english(question)
    text = normalize(question)
    premise = _premise(text.rstrip("？?。！!. "))
    if premise is not None:
        return premise
    found = next(((kind, cue) for kind, cues in _CUES for cue in cues if cue in text), None)
    if found is None:
        short = _WHAT_IS.match(text)  # 红猴是什么动物, “蜀工”是多久: what a short word means
        return WordQuestion("meaning", short.group("term"), "zh") if short else None
    kind, cue = found
    quoted = [part for term in quoted_terms(question) for part in _LIST.split(term) if part]
    terms = quoted or _unquoted_terms(text, cue)
    terms = [term for term in terms if 0 < len(term) <= MAX_TERM_LENGTH][:MAX_TERMS]
    if not terms:
        return None
    return WordQuestion(kind, terms[0], "zh", tuple(terms[1:]))


def _premise(text: str) -> WordQuestion | None:
    meaning = _MEANING_PREMISE.match(text)
    if meaning:
        return WordQuestion("meaning", meaning.group("term"), "zh", claimed=meaning.group("claimed"))
    naming = _NAMING_PREMISE.match(text)
    if naming:
        return WordQuestion("say", naming.group("term"), "zh", claimed=naming.group("claimed"))
    return None


def _unquoted_terms(text: str, cue: str) -> list[str]:
    """The words before the cue (or, with nothing there, after it), frame words taken away."""
    before = text[: text.index(cue)]
    core = _core(before) or _core(text.replace(cue, "", 1))
    if not core:
        return []
    aside = _PARENTHESES.findall(core)  # 牡蛎（海蛎）: both
    core = _PARENTHESES.sub("", core)
    parts = [_core(part) for part in _LIST.split(core)] if _LIST.search(core) else [core]
    return list(dict.fromkeys(part for part in [*parts, *map(_core, aside)] if part))


def _core(text: str) -> str:
    text = re.sub(r"[\s。？！?!.：:；;“”\"'‘’]+", "", text).strip("，,")
    for _ in range(3):  # the frame can wrap the word more than once: 莆仙人管老婆叫 → 老婆
        text = _TRAILING.sub("", question_core(_LEADING.sub("", text))).strip("，,")
    return question_core(text)


def _english(question: str) -> WordQuestion | None:
    text = re.sub(r"\s+", " ", question.strip().lower()).rstrip("?.! ")
    for kind, pattern in _ENGLISH:
        match = pattern.match(text)
        if match:
            term = match.group("term").strip().strip(_ENGLISH_QUOTES).strip()
            term = re.sub(r"^(?:the word|the term|the phrase|a|an|the|to|your|my|one's) ", "", term).strip(
                _ENGLISH_QUOTES
            )
            return WordQuestion(kind, normalize(term), "en") if term else None
    return None
