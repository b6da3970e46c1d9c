"""The romanized-query evaluation set: generated from the lexicon by a script, plus hand-written ones."""

from __future__ import annotations

import json
from collections import Counter

from app.knowledge.evaluation import load_questions
from app.knowledge.romanized_questions import KINDS, OUTPUT, generate
from app.knowledge.sources.reader import read_source
from tests.conftest import REPO_ROOT

KNOWLEDGE = REPO_ROOT / "knowledge"


def entry_ids() -> set[str]:
    ids = set()
    for path in sorted((KNOWLEDGE / "lexicon").glob("*.tsv")):
        document = read_source(path, curated=True)
        ids.update(f"{document.id}#{entry.entry_id}" for entry in document.entries)
    return ids


def test_the_committed_set_is_what_the_script_generates() -> None:
    committed = [json.loads(line) for line in (KNOWLEDGE / OUTPUT).read_text(encoding="utf-8").splitlines()]
    assert committed == generate(KNOWLEDGE), "run: python -m app.knowledge.romanized_questions"


def test_the_sets_are_large_varied_and_name_real_entries() -> None:
    generated = load_questions(KNOWLEDGE / OUTPUT)
    by_hand = load_questions(KNOWLEDGE / "eval" / "romanized-handwritten.jsonl")
    assert len(generated) >= 200
    assert len(by_hand) >= 30
    kinds = Counter(q.variant for q in generated)
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 8
    known = entry_ids()
    for question in (*generated, *by_hand):
        assert question.category == "romanized"
        assert question.relevant
        assert set(question.relevant) <= known, question
    assert len({q.id for q in (*generated, *by_hand)}) == len(generated) + len(by_hand)
