"""Every lexicon entry's pronunciation in PSP, BUC and IPA, citation and connected-speech forms.

What the entry's source records is shown as it is (attested); what it leaves out is derived by
the `romanization` package, with the readings of every lexicon and dictionary in the knowledge
base to choose among candidates (a character's recorded BUC spelling, a word's recorded spoken
form). Where a derivation disagrees with what the source records, the source wins and the
disagreement is kept, to be counted (`puxian eval romanization`).

A Rime dictionary records words as they are typed, which for Puxian input methods is the spoken
form (HinghuaFactory's `今旦 ging1 nua4`): a Rime word's code is its connected-speech form and
its citation form is derived back from its characters' own readings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from romanization import buc, ipa, psp
from romanization.connected import citation_initials
from romanization.errors import RomanizationError
from romanization.readings import Readings
from romanization.syllable import Syllable
from romanization.words import buc_of_word, connected_of_word, psp_of_buc_word

from app.knowledge.sources.model import LexiconEntry

Basis = Literal["source", "dictionary", "rule"]
# A source may give several readings of one entry: `ih / seo̍h`.
READING_SEPARATOR = " / "


@dataclass(frozen=True)
class Form:
    text: str
    basis: Basis  # source: the entry's own source records it; dictionary/rule: derived

    @property
    def attested(self) -> bool:
        return self.basis == "source"


@dataclass(frozen=True)
class Pronunciation:
    psp: Form | None = None
    psp_connected: Form | None = None
    buc: Form | None = None
    buc_connected: Form | None = None
    ipa: Form | None = None
    ipa_connected: Form | None = None
    # "system: derived X, source Y" for each attested form our derivation gets wrong.
    disagreements: tuple[str, ...] = field(default_factory=tuple)

    def as_metadata(self) -> dict[str, Any]:
        """The JSON kept with the entry's chunk: {system: {citation|connected: {text, attested, basis}}}."""
        data: dict[str, Any] = {}
        for system in ("psp", "buc", "ipa"):
            forms = {}
            for form_name, form in (("citation", getattr(self, system)), ("connected", getattr(self, f"{system}_connected"))):
                if form is not None:
                    forms[form_name] = {**asdict(form), "attested": form.attested}
            if forms:
                data[system] = forms
        if self.disagreements:
            data["disagreements"] = list(self.disagreements)
        return data

    def describe(self) -> str:
        """The readings as a clause of the entry's sentence, derived ones marked （推导）."""
        parts = []
        for label, citation, connected in (
            ("莆仙话拼音", self.psp, self.psp_connected),
            ("平话字", self.buc, self.buc_connected),
            ("国际音标", self.ipa, self.ipa_connected),
        ):
            if citation is None and connected is None:
                continue
            text = f"{label} {_shown(citation)}" if citation else label
            if connected is not None and (citation is None or connected.text != citation.text):
                text += f"，连读 {_shown(connected)}"
            parts.append(text)
        return "；".join(parts)


def _shown(form: Form) -> str:
    return form.text if form.attested else f"{form.text}（推导）"


def pronounce(entry: LexiconEntry, readings: Readings | None = None, spoken_codes: bool = False) -> Pronunciation:
    """All six forms of an entry; `spoken_codes`: its `psp` is the spoken form (Rime words)."""
    hanzi = entry.headword
    recorded = _Attested.of(entry, spoken_codes)
    citations = recorded.psp_citations or _citations_from_buc(recorded.buc, hanzi, readings)
    if not citations and recorded.psp_connected:
        citations = [_citation_of_spoken(s, hanzi, readings) for s in recorded.psp_connected]
    if not citations:
        return Pronunciation()
    derived_spoken = [connected_of_word(c, hanzi, readings) for c in citations]
    derived_buc = [_buc(c, hanzi, readings) for c in citations]
    # What the source records wins: the spoken form below is the recorded one when there is one.
    spoken = recorded.psp_connected if len(recorded.psp_connected) == len(citations) else [s for s, _ in derived_spoken]
    if recorded.psp_connected:
        connected = Form(recorded.connected_text, "source")
    else:
        spoken_basis: Basis = "dictionary" if any(basis == "word" for _, basis in derived_spoken) else "rule"
        connected = Form(_join(psp.format_word(s) for s in spoken), spoken_basis)
    if recorded.buc:
        buc_citation = Form(recorded.buc_text, "source")
    else:
        buc_citation = Form(_join(text for text, _ in derived_buc), _buc_basis(derived_buc))
    buc_spoken = _join(_with_spoken_initials(text, said) for text, said in zip(_readings(buc_citation.text), spoken, strict=False))
    return Pronunciation(
        psp=Form(recorded.psp_text, "source") if recorded.psp_citations else Form(_join(psp.format_word(c) for c in citations), "rule"),
        psp_connected=connected,
        buc=buc_citation,
        buc_connected=Form(buc_spoken, "rule") if buc_spoken else None,
        ipa=Form(entry.ipa, "source") if recorded.ipa_is_citation else Form(_join(ipa.format_word(c) for c in citations), "rule"),
        ipa_connected=(
            Form(entry.ipa, "source") if entry.ipa and not recorded.ipa_is_citation
            else Form(_join(ipa.format_word(s) for s in spoken), "rule")
        ),
        disagreements=tuple(recorded.disagreements(citations, [s for s, _ in derived_spoken], derived_buc)),
    )  # fmt: skip


@dataclass
class _Attested:
    """What an entry's own source records, parsed."""

    psp_text: str
    psp_citations: list[list[Syllable]]
    connected_text: str
    psp_connected: list[list[Syllable]]
    buc_text: str
    buc: list[list[str]]
    ipa: str
    ipa_is_citation: bool

    @classmethod
    def of(cls, entry: LexiconEntry, spoken_codes: bool) -> _Attested:
        psp_text, connected_text = entry.psp, entry.psp_surface
        if spoken_codes and len(entry.headword) > 1:
            psp_text, connected_text = "", entry.psp
        syllable_count = len(_readings(psp_text or connected_text)[0].split()) if (psp_text or connected_text) else 0
        return cls(
            psp_text=psp_text,
            psp_citations=_parse_psp(psp_text),
            connected_text=connected_text,
            psp_connected=_parse_psp(connected_text),
            buc_text=entry.buc,
            buc=[r.replace("-", " ").split() for r in _readings(entry.buc)],
            ipa=entry.ipa,
            # hinghwa.cn writes a word's IPA with its tone sandhi: that is the spoken form.
            ipa_is_citation=bool(entry.ipa) and len(entry.ipa.strip("[]/ ").split()) <= 1 and syllable_count <= 1,
        )

    def disagreements(
        self, citations: list[list[Syllable]], spoken: list[list[Syllable]], derived_buc: list[tuple[str, str]]
    ) -> list[str]:
        found = []
        if self.psp_citations and self.psp_connected and len(self.psp_connected) == len(spoken):
            for recorded, derived in zip(self.psp_connected, spoken, strict=True):
                if psp.format_word(recorded) != psp.format_word(derived):
                    found.append(f"psp connected: derived {psp.format_word(derived)}, source {psp.format_word(recorded)}")
        if self.buc and self.psp_citations and len(self.buc) == len(derived_buc):
            for recorded_buc, (derived_text, _) in zip(self.buc, derived_buc, strict=True):
                recorded_text = "-".join(buc.normalize(s) for s in recorded_buc)
                if recorded_text != buc.normalize(derived_text).replace(" ", "-"):
                    found.append(f"buc: derived {derived_text}, source {'-'.join(recorded_buc)}")
        ipa_disagreement = self._ipa_disagreement(citations, spoken)
        if ipa_disagreement:
            found.append(ipa_disagreement)
        return found

    def _ipa_disagreement(self, citations: list[list[Syllable]], spoken: list[list[Syllable]]) -> str | None:
        """IPA compared as syllables (initial and final; a recorded sandhi tone is not a disagreement)."""
        if not self.ipa or not citations:
            return None
        expected = citations[0] if self.ipa_is_citation else spoken[0]
        try:
            recorded = [ipa.parse_syllable(s)[0] for s in self.ipa.strip("[]/ ").split()]
        except RomanizationError:
            return f"ipa: source {self.ipa} is not IPA we read"
        if [(s.initial, s.final) for s in recorded] != [(s.initial, s.final) for s in expected]:
            return f"ipa: derived {ipa.format_word(expected)}, source {self.ipa}"
        return None


def _readings(text: str) -> list[str]:
    return [part.strip() for part in text.split("/") if part.strip()]


def _parse_psp(text: str) -> list[list[Syllable]]:
    try:
        return [[psp.parse_syllable(s) for s in reading.split()] for reading in _readings(text)]
    except RomanizationError:
        return []


def _citations_from_buc(spellings: list[list[str]], hanzi: str, readings: Readings | None) -> list[list[Syllable]]:
    try:
        return [[s for s, _ in psp_of_buc_word(parts, hanzi, readings)] for parts in spellings if parts]
    except RomanizationError:
        return []


def _citation_of_spoken(spoken: list[Syllable], hanzi: str, readings: Readings | None) -> list[Syllable]:
    """Undo 声母类化 where a character's own recorded reading says which initial it had."""
    citation = spoken[:1]
    chars = hanzi if len(hanzi) == len(spoken) else ""
    for index in range(1, len(spoken)):
        syllable = spoken[index]
        recorded = set(readings.psp_of(chars[index])) if readings is not None and chars else set()
        options = citation_initials(syllable.initial, spoken[index - 1])
        initial = next(
            (i for i in options if psp.format_syllable(syllable.with_initial(i)) in recorded), syllable.initial
        )
        citation.append(syllable.with_initial(initial))
    return citation


def _buc(citation: list[Syllable], hanzi: str, readings: Readings | None) -> tuple[str, str]:
    """(BUC text, basis) derived from a citation form."""
    try:
        choices = buc_of_word(citation, hanzi, readings)
    except RomanizationError:
        return "", "rule"
    basis = "word" if any(c.basis == "word" for c in choices) else "char" if any(c.basis == "char" for c in choices) else "rule"
    return "-".join(c.text for c in choices), basis


def _buc_basis(derived: list[tuple[str, str]]) -> Basis:
    return "dictionary" if any(basis in ("word", "char") for _, basis in derived) else "rule"


def _with_spoken_initials(buc_text: str, spoken: list[Syllable]) -> str:
    """A BUC word respelled with the initials of its spoken form (BUC itself writes citation forms)."""
    parts = buc_text.split("-")
    if len(parts) != len(spoken):
        return ""
    written = []
    for part, said in zip(parts, spoken, strict=True):
        try:
            syllable = buc.read_syllable(part)
        except RomanizationError:
            return ""
        written.append(buc.write(buc.INITIALS_FROM_PSP[said.initial], syllable.final, syllable.mark))
    return "-".join(written)


def _join(texts: Any) -> str:
    return READING_SEPARATOR.join(t for t in texts if t)
