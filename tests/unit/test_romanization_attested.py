"""The converters measured against attested data: ../shared/data/puxian imported as a user would.

The BUC character table and the Rime dictionary are read by the importers of `puxian ingest`;
the 4,158 Wiktionary phrases are converted syllable by syllable and compared. The figures are
the ones in docs/romanization.md (`puxian eval romanization --data ../shared/data/puxian`); the
thresholds are the issue's goals where they are met, and the measured level where they are not
(the causes are listed there), so that a regression fails.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from app.knowledge.romanization_eval import Direction, RomanizationReport, evaluate_romanization
from tests.conftest import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "data" / "puxian"


@lru_cache(maxsize=1)
def report() -> RomanizationReport:
    if not SHARED.is_dir():
        pytest.fail(f"the reference data is missing: {SHARED} (CI and development have ../shared)")
    measured = evaluate_romanization(SHARED, REPO_ROOT / "knowledge")
    print("\n" + measured.table())
    return measured


def direction(name: str) -> Direction:
    return next(d for d in report().directions if d.name.startswith(name))


def test_buc_to_psp_meets_its_goal_with_and_without_readings() -> None:
    buc_to_psp = direction("BUC → PSP (phrases")
    assert buc_to_psp.without.total > 8900  # every phrase whose BUC has as many syllables as its PSP
    assert buc_to_psp.without.rate >= 0.97
    assert buc_to_psp.imported.rate >= 0.98


def test_psp_to_buc_meets_its_goals() -> None:
    psp_to_buc = direction("PSP → BUC (phrases")
    assert psp_to_buc.among_candidates is not None
    assert psp_to_buc.among_candidates.rate >= 0.99  # without any readings
    assert psp_to_buc.imported.rate >= 0.97
    assert psp_to_buc.without.rate < psp_to_buc.imported.rate  # the readings are what decide


def test_connected_speech_is_measured_on_all_phrases_and_on_those_whose_spoken_form_differs() -> None:
    every = direction("citation → connected speech (all")
    differing = direction("citation → connected speech (phrases whose")
    assert every.without.total == 9089
    # Below the 95 % goal: most phrases record no change where the rules make one (docs/romanization.md).
    assert every.imported.rate >= 0.90
    assert every.without.rate >= 0.84
    assert differing.without.rate >= 0.94
    assert every.causes.most_common(1)[0][0].startswith("the source records no change")


def test_character_readings_are_compared_with_the_dictionary() -> None:
    to_psp = direction("BUC → PSP (character")
    to_buc = direction("PSP → BUC (dictionary")
    assert to_psp.without.total > 6000
    assert to_psp.without.rate >= 0.85
    assert to_buc.among_candidates is not None
    assert to_buc.among_candidates.rate >= 0.90


def test_our_lexicons_attested_forms_mostly_agree_with_the_derivations() -> None:
    lexicon = report().lexicon
    assert lexicon["rules alone"]["entries"] >= 1240
    assert lexicon["with the imported readings"]["buc"] <= 10
    assert lexicon["with the imported readings"]["psp connected"] <= 25
