"""What a source file parses into: documents with a text body or with lexicon entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class SourceError(ValueError):
    """A source file is malformed; the message names the file and the line (or page)."""

    def __init__(self, path: Path | str, line: int | None, problem: str, unit: str = "line") -> None:
        where = f"{path}:{line}" if line is not None and unit == "line" else f"{path}"
        if line is not None and unit != "line":
            where += f" ({unit} {line})"
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.problem = str(path), line, problem


@dataclass(frozen=True)
class LexiconEntry:
    """One dictionary entry; becomes exactly one chunk."""

    entry_id: str
    headword: str  # as the source writes it (often traditional characters)
    simplified: str  # simplified form, used for matching what users type
    glosses: tuple[str, ...] = ()  # Mandarin meanings, the first being the usual word
    psp: str = ""  # Pouseng Ping'ing citation form, syllables with tone digits
    psp_surface: str = ""  # after initial assimilation (声母类化), when it differs
    ipa: str = ""
    buc: str = ""  # Hinghwa Romanized (平话字)
    point: str = ""  # dialect point, e.g. 莆田
    note: str = ""
    source: str = ""
    line: int = 0

    def describe(self, readings: str = "") -> str:
        """The entry as a sentence a person (and the model) can read alone.

        `readings` is its pronunciation in every system (pronunciation.py); without it, the
        readings the source records are given as they are.
        """
        written = self.headword if self.simplified == self.headword else f"{self.simplified}（{self.headword}）"
        text = f"莆仙话“{written}”" + (f"（{self.point}）" if self.point else "")
        if self.glosses:
            text += f"，普通话意思是“{'”“'.join(self.glosses)}”"
        readings = readings or "，".join(self._recorded_readings())
        if readings:
            text += f"，读音：{readings}" if "；" in readings else f"，{readings}"
        text += "。"
        if self.note:
            text += self.note if self.note.endswith(("。", "！", "？", ".")) else self.note + "。"
        return text

    def _recorded_readings(self) -> list[str]:
        reading = []
        if self.psp:
            reading.append(f"莆仙话拼音 {self.psp}")
        if self.psp_surface and self.psp_surface != self.psp:
            reading.append(f"连读时声母类化为 {self.psp_surface}")
        if self.ipa:
            reading.append(f"国际音标 {self.ipa}")
        if self.buc:
            reading.append(f"平话字 {self.buc}")
        return reading


@dataclass(frozen=True)
class ParsedDocument:
    id: str
    title: str
    kind: str  # markdown, text, lexicon, rime, pdf, docx
    source_path: str
    content_hash: str
    metadata: dict[str, Any] = field(default_factory=dict)
    body: str = ""  # prose, chunked along headings and sentences
    entries: tuple[LexiconEntry, ...] = ()  # dictionary entries, one chunk each
    body_line: int = 1
    warnings: tuple[str, ...] = ()
