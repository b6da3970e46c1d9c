"""How a romanized question was read, said to the user before the answer.

A learner who types `taumng` should see what we took it for: the syllables (tau·mng), the
tones (given, or taken from the lexicon), the spellings folded (au→ao), and the word it spells
in Han characters with its meaning. The same reading rewrites the question for the model
(“头毛”（taumng）是什么意思？), which reads Han characters far better than romanization.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.knowledge.chunking import Chunk
from app.knowledge.romanized_index import RomanizedMatch

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DOTTED = str.maketrans({"A": "a̤", "E": "e̤", "O": "o̤", "U": "ṳ"})


@dataclass(frozen=True)
class ReadWord:
    chunk_id: str
    headword: str
    simplified: str
    glosses: tuple[str, ...]
    psp: str  # the entry's reading (citation PSP)


@dataclass(frozen=True)
class InputReading:
    input: str  # the romanized text as typed
    syllables: tuple[str, ...]  # as segmented: tau, mng
    read_as: str  # PSP as read, tones as given: tao mung
    tones: str  # given, partly given or not given
    folds: tuple[str, ...]  # au→ao, BUC ng=ung
    undone: bool  # an initial was read back from connected speech (leng2 → deng2/ceng2)
    words: tuple[ReadWord, ...] = field(default_factory=tuple)  # best first; homophones tie

    def sentence(self) -> str:
        """One line in Chinese: what was read, how, and which word it is."""
        segmented = "·".join(self.syllables)
        spelled = "、".join(
            f"“{w.simplified}”{w.psp}（{'；'.join(w.glosses[:2]) or '无释义'}）" for w in self.words[:3]
        )
        how = [f"切分为 {segmented}", _TONES[self.tones]]
        if self.folds:
            how.append(f"拼写归并 {'，'.join(self.folds)}")
        if self.undone:
            how.append("按连读音还原了声母")
        return f"输入“{self.input}”读作 {self.read_as}（{'；'.join(how)}），对应{spelled}。"


_TONES = {
    "given": "声调按输入",
    "partly given": "部分声调按输入，其余按词条",
    "not given": "未写声调，按词条补全",
}


def read_input(
    words: list[RomanizedMatch], best_rows: list[int], chunks: Mapping[int, Chunk]
) -> InputReading | None:
    """The reading of the question's one romanized word, or None (no word, or several)."""
    if len(words) != 1 or words[0].reading is None:
        return None
    match, reading = words[0], words[0].reading
    found = [_word(chunks[row]) for row in best_rows if row in chunks]
    if not found:
        return None
    given = sum(s.tone is not None for s in reading.syllables)
    return InputReading(
        input=match.run,
        syllables=tuple(s.text.translate(_DOTTED) for s in reading.syllables),
        read_as=" ".join(s.psp for s in reading.syllables),
        tones="given" if given == len(reading.syllables) else "partly given" if given else "not given",
        folds=reading.folds,
        undone=match.undone,
        words=tuple(found),
    )


def _word(chunk: Chunk) -> ReadWord:
    meta = chunk.metadata
    citation = ((meta.get("pronunciations") or {}).get("psp") or {}).get("citation") or {}
    return ReadWord(
        chunk.id, str(meta.get("headword", "")), str(meta.get("simplified", "")),
        tuple(str(g) for g in meta.get("glosses", [])), str(citation.get("text") or meta.get("psp", "")),
    )  # fmt: skip


def question_for_model(question: str, reading: InputReading) -> str:
    """The question with the romanized word given in Han characters (the model reads those)."""
    word = reading.words[0].simplified
    rest = question.replace(reading.input, "", 1)
    if not _CJK.search(rest):
        return f"莆仙话“{word}”（{reading.input}）是什么意思？怎么读？"
    return question.replace(reading.input, f"“{word}”（{reading.input}）", 1)
