"""Hybrid retrieval: dense (FAISS), lexical (BM25), exact headword and romanized lookup, fused by RRF.

Each retriever ranks its own candidates; reciprocal rank fusion adds `weight / (rrf_k + rank)`
over the retrievers that found a chunk. Every hit says which retrievers found it, at which rank
and with which score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from app.knowledge.chunking import Chunk
from app.knowledge.knowledge_base import KnowledgeBase
from app.knowledge.english import mandarin_expansion
from app.knowledge.romanized_index import RomanizedSearch
from app.knowledge.text_norm import content_nouns, is_english, lexical_terms, normalize, quoted_terms

Mode = Literal["hybrid", "dense", "lexical", "romanized"]
# Questions with no Chinese nouns (English ones) reach lower cosines with Chinese passages.
CROSS_LANGUAGE_MARGIN = 0.1
MODES: tuple[Mode, ...] = ("hybrid", "dense", "lexical", "romanized")
DENSE, LEXICAL, HEADWORD, ROMANIZED = "dense", "lexical", "headword", "romanized"

# Words that frame a question about the dialect; a lexicon entry spelled like one of them is not
# what the question is about.
_FRAME_WORDS = frozenset(
    "莆仙话 莆仙 仙话 莆田话 仙游话 兴化话 莆田 仙游 方言 普通话 怎么说 怎么 怎样 什么 意思 如何 说法 读音 拼音 "
    "发音 叫做 用法 这个 那个 一下 请问 知道 还是 是不是 有没有 词语 词汇 汉字 几个 多少 哪里 哪个 为什么 "
    "什么时候 怎么样 谁 是什么".split()
)
# Nouns that frame a question rather than name its subject (区别 in 有什么区别, 意思 in 啥意思).
_QUESTION_NOUNS = frozenset(
    "意思 啥意思 区别 不同 差别 用法 说法 读法 叫法 读音 发音 拼音 写法 东西 时候 问题 情况 地方 哪些地方 "
    "怎么回事 代表 一共 总共 种类 例子 原因 方面 部分 人 话 字 词 莆仙人 莆田人 仙游人".split()
)
# Unquoted words are looked up only in questions that ask about a word's form or meaning:
# in 莆仙话有几个声调？ the entry 几个 is not the subject.
_VOCABULARY_CUES = (
    "怎么说", "怎样说", "怎么讲", "如何说", "怎么叫", "叫什么", "意思", "怎么读", "怎么念", "读音", "发音",
    "说法", "讲法", "怎么写", "是什么", "指什么", "用莆仙话", "莆仙话说", "莆仙话叫", "莆仙话里",
)
# Stripped from both ends of a question to find the word it asks about (厝是什么意思 → 厝).
_AFFIXES = sorted(
    {*_FRAME_WORDS, *_VOCABULARY_CUES, *"的 用 在 里 吗 呢 啊 呀 说 讲 叫 词 字 请 这 那 是".split(), "这个词", "这个字"},
    key=len,
    reverse=True,
)
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Found:
    """How one retriever ranked a chunk."""

    rank: int
    score: float


@dataclass(frozen=True)
class RetrievalHit:
    chunk: Chunk
    score: float  # fused score (RRF in hybrid mode, the retriever's own score otherwise)
    rank: int
    found_by: dict[str, Found] = field(default_factory=dict)


@dataclass(frozen=True)
class RetrievalResult:
    hits: list[RetrievalHit]
    best_dense: float  # cosine of the best dense candidate (0 when dense search did not run)
    best_lexical: float
    headword_terms: list[str]  # question terms that matched a lexicon entry exactly
    # The question's nouns, and those that none of the hits contains (hybrid mode only).
    question_nouns: list[str] = field(default_factory=list)
    missing_nouns: list[str] = field(default_factory=list)
    romanized: RomanizedSearch = field(default_factory=RomanizedSearch)  # how romanized input was read

    @property
    def noun_coverage(self) -> float | None:
        if not self.question_nouns:
            return None
        return 1 - len(self.missing_nouns) / len(self.question_nouns)


def is_answerable(result: RetrievalResult, min_relevance: float) -> bool:
    """Whether the knowledge base likely holds the answer (docs/retrieval.md, "The no-answer gate").

    An exact entry match answers, and so does romanized input that spells an entry whole
    (`taumng`). Otherwise the nouns the question is about must be found in
    the passages (half of them at least, all of them unless the best passage is close), and a
    question without Chinese nouns (e.g. in English) needs a passage above a lower bar, since
    cross-language similarities run lower.
    """
    if not result.hits:
        return False
    if result.headword_terms or result.romanized.words:
        return True
    coverage = result.noun_coverage
    if coverage is None:
        return result.best_dense >= min_relevance - CROSS_LANGUAGE_MARGIN
    if coverage < 0.5:
        return False
    return coverage == 1.0 or result.best_dense >= min_relevance


@dataclass(frozen=True)
class RetrievalWeights:
    dense: float = 1.0
    lexical: float = 1.0
    headword: float = 2.0
    romanized: float = 2.0
    rrf_k: int = 60
    candidates: int = 30  # how many each retriever ranks before fusion


class Retriever:
    def __init__(self, knowledge: KnowledgeBase, weights: RetrievalWeights | None = None) -> None:
        self.knowledge = knowledge
        self.weights = weights or RetrievalWeights()

    def retrieve(self, query: str, top_k: int, mode: Mode = "hybrid") -> RetrievalResult:
        self.knowledge.refresh_if_changed()
        rankings: dict[str, list[tuple[int, float]]] = {}
        if mode in ("hybrid", "dense"):
            vector = self.knowledge.embedder.embed_query(query)
            rankings[DENSE] = self.knowledge.search_dense(vector, self.weights.candidates)
        if mode in ("hybrid", "lexical"):
            rankings[LEXICAL] = self.knowledge.search_lexical(self._lexical_query(query), self.weights.candidates)
        terms: list[str] = []
        romanized = RomanizedSearch()
        if mode == "hybrid":
            terms = self.headword_terms(query)
            rankings[HEADWORD] = self._headword_ranking(terms)
        # Weight 0 turns the romanized retriever off altogether (PUXIAN_ROMANIZED_WEIGHT=0).
        if mode == "romanized" or (mode == "hybrid" and self.weights.romanized > 0):
            romanized = self.knowledge.search_romanized(query, self.weights.candidates)
            rankings[ROMANIZED] = [(m.row_id, m.score) for m in romanized.matches]
        if mode == "hybrid" and romanized.matches:
            # A romanized word spelled whole is an exact entry match, as a quoted headword is.
            spelled = [row for row in romanized.word_rows() if row not in {r for r, _ in rankings[HEADWORD]}]
            rankings[HEADWORD] = (rankings[HEADWORD] + [(row, 1.0) for row in spelled])[: self.weights.candidates]
        fused = self._fuse(rankings, top_k) if mode == "hybrid" else self._single(rankings[mode], top_k, mode)
        chunks = self.knowledge.chunks([row for row, _, _ in fused])
        hits = [
            RetrievalHit(chunks[row], score, rank, found_by)
            for rank, (row, score, found_by) in enumerate(fused, start=1)
            if row in chunks
        ]
        nouns = content_nouns(query, _FRAME_WORDS | _QUESTION_NOUNS) if mode == "hybrid" else []
        found_text = normalize(" ".join(f"{h.chunk.title} {h.chunk.section} {h.chunk.text}" for h in hits))
        return RetrievalResult(
            hits=hits,
            best_dense=rankings[DENSE][0][1] if rankings.get(DENSE) else 0.0,
            best_lexical=rankings[LEXICAL][0][1] if rankings.get(LEXICAL) else 0.0,
            headword_terms=terms,
            question_nouns=nouns,
            missing_nouns=[noun for noun in nouns if noun not in found_text],
            romanized=romanized,
        )

    @staticmethod
    def _lexical_query(query: str) -> list[str]:
        """The lexical terms of a query; an English one also gets those of its Mandarin words (the
        passages are in Chinese: "finals" is 韵母)."""
        terms = lexical_terms(query)
        if is_english(query):
            terms += lexical_terms(" ".join(mandarin_expansion(query)))
        return terms

    def headword_terms(self, query: str) -> list[str]:
        """Quoted terms that name an entry; in a question about a word, also the unquoted word."""
        found = [term for term in quoted_terms(query) if self.knowledge.has_headword(term)]
        text = normalize(query)
        if not any(cue in text for cue in _VOCABULARY_CUES):
            return found
        for run in _CJK_RUN.findall(text):
            core = question_core(run)
            if core and core not in found and self.knowledge.has_headword(core):
                found.append(core)
        return found

    def _headword_ranking(self, terms: list[str]) -> list[tuple[int, float]]:
        ranking: list[tuple[int, float]] = []
        seen: set[int] = set()
        for term in terms:
            for row in self.knowledge.lookup_headword(term):
                if row not in seen:
                    seen.add(row)
                    ranking.append((row, 1.0))
        return ranking[: self.weights.candidates]

    def _fuse(
        self, rankings: dict[str, list[tuple[int, float]]], top_k: int
    ) -> list[tuple[int, float, dict[str, Found]]]:
        weights = {
            DENSE: self.weights.dense, LEXICAL: self.weights.lexical, HEADWORD: self.weights.headword,
            ROMANIZED: self.weights.romanized,
        }  # fmt: skip
        scores: dict[int, float] = {}
        found_by: dict[int, dict[str, Found]] = {}
        for name, ranking in rankings.items():
            for rank, (row, score) in enumerate(ranking, start=1):
                scores[row] = scores.get(row, 0.0) + weights[name] / (self.weights.rrf_k + rank)
                found_by.setdefault(row, {})[name] = Found(rank, score)
        dense_score = {row: score for row, score in rankings.get(DENSE, [])}
        ordered = sorted(scores, key=lambda row: (-scores[row], -dense_score.get(row, 0.0), row))
        return [(row, round(scores[row], 6), found_by[row]) for row in ordered[:top_k]]

    @staticmethod
    def _single(
        ranking: list[tuple[int, float]], top_k: int, name: str
    ) -> list[tuple[int, float, dict[str, Found]]]:
        return [(row, score, {name: Found(rank, score)}) for rank, (row, score) in enumerate(ranking[:top_k], start=1)]


def question_core(text: str) -> str:
    """The word a question is about: frame words stripped from both ends, longest first (用莆仙话
    before 仙话), e.g. 吃饭用莆仙话怎么讲 → 吃饭."""
    while text:
        for affix in _AFFIXES:
            if text.startswith(affix):
                text = text[len(affix) :]
                break
            if text.endswith(affix):
                text = text[: -len(affix)]
                break
        else:
            return text
    return text
