"""Every curated lexicon entry is attested in at least one reference file of ../shared/data/puxian.

The check compares readings after normalizing the spelling variants the sources disagree on
(ieo/ieu, ao/au, uei/uai/ue). A failure lists each entry that no source attests.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

from app.knowledge.sources.lexicon_table import parse_lexicon_table
from app.knowledge.sources.model import LexiconEntry
from tests.conftest import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "data" / "puxian"
LEXICON_DIR = REPO_ROOT / "knowledge" / "lexicon"


def canonical(reading: str) -> str:
    text = " ".join(reading.lower().split())
    for variant, canon in (("ieo", "ieu"), ("ao", "au"), ("uei", "ue"), ("uai", "ue")):
        text = text.replace(variant, canon)
    return text


@lru_cache(maxsize=1)
def attested() -> dict[str, set[str]]:
    """Headword → canonical readings, from the Rime lexicon and the Wiktionary phrase file."""
    if not SHARED.is_dir():
        pytest.fail(f"the reference data is missing: {SHARED} (CI and development have ../shared)")
    readings: dict[str, set[str]] = defaultdict(set)
    rime = (SHARED / "Pouleng.dict.yaml").read_text(encoding="utf-8").split("\n...\n", 1)[1]
    for line in rime.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and not line.startswith("#"):
            readings[parts[0]].add(canonical(parts[1]))
    with (SHARED / "puxian_phrases_from_wikt.tsv").open(encoding="utf-8") as phrases:
        for row in csv.reader(phrases, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 4:
                readings[row[0]].update({canonical(row[2]), canonical(row[3])})
    return readings


@lru_cache(maxsize=1)
def facts_text() -> str:
    return (SHARED / "FACTS.md").read_text(encoding="utf-8")


def is_attested(entry: LexiconEntry) -> bool:
    forms = {entry.headword, entry.simplified}
    readings = {canonical(r) for r in (entry.psp, entry.psp_surface) if r}
    for form in forms:
        if readings & attested().get(form, set()):
            return True
    # hinghwa.cn readings quoted in FACTS.md (e.g. 做岁 zo4 huai4)
    return any(form in facts_text() for form in forms) and any(r in facts_text() for r in (entry.psp,) if r)


def lexicon_files() -> list[Path]:
    return sorted([*LEXICON_DIR.glob("*.tsv"), *LEXICON_DIR.glob("*.csv")])


def test_the_curated_lexicon_has_at_least_800_entries() -> None:
    total = sum(len(parse_lexicon_table(p, p.read_text(encoding="utf-8"))[1]) for p in lexicon_files())
    assert total >= 800, f"only {total} entries"


@pytest.mark.parametrize("path", lexicon_files(), ids=lambda p: p.name)
def test_every_entry_is_attested_in_the_reference_data(path: Path) -> None:
    metadata, entries = parse_lexicon_table(path, path.read_text(encoding="utf-8"))
    assert metadata.get("title"), "each lexicon file names its title in a '# title:' line"
    assert metadata["sources"], "each lexicon file cites its sources in '# source:' lines"
    missing = [f"line {e.line}: {e.headword} {e.psp}" for e in entries if not is_attested(e)]
    assert not missing, f"{len(missing)} entries not attested:\n" + "\n".join(missing[:40])
    assert all(e.glosses for e in entries), "every curated entry has a Mandarin gloss"


def test_no_entry_is_listed_twice_across_files() -> None:
    seen: dict[tuple[str, str], str] = {}
    repeated = []
    for path in lexicon_files():
        for entry in parse_lexicon_table(path, path.read_text(encoding="utf-8"))[1]:
            key = (entry.simplified, entry.psp)
            if key in seen:
                repeated.append(f"{path.name}:{entry.line} {key} also in {seen[key]}")
            seen[key] = f"{path.name}:{entry.line}"
    assert not repeated, "\n".join(repeated)
