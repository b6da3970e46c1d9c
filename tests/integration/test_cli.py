"""The `puxian` command line, run as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.bootstrap import Services
from app.core.config import Settings
from tests.conftest import REPO_ROOT

PUXIAN = Path(sys.executable).parent / "puxian"


def run_puxian(
    settings: Settings, *args: str, knowledge: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PUXIAN_DATA_DIR": str(settings.data_dir),
        "PUXIAN_KNOWLEDGE_DIR": str(knowledge or settings.knowledge_dir),
        "PUXIAN_TORCH_THREADS": "1",
    }
    return subprocess.run(
        [str(PUXIAN), *args], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=600, check=False
    )


def test_ask_prints_the_answer_and_its_sources(settings: Settings, services: Services) -> None:
    # `services` built the knowledge base in settings.data_dir, so the command reuses it.
    result = run_puxian(settings, "ask", "如何用莆仙话说“吃饭”？")
    assert result.returncode == 0, result.stderr
    assert "食饭" in result.stdout
    assert "来源 / Sources:" in result.stdout
    assert "[1] " in result.stdout
    assert "food" in result.stdout
    # Lexicon sources show their readings, derived ones starred.
    assert "PSP sia2 bue5 → sia2 mue5 · BUC siá-bōiⁿ*" in result.stdout
    assert "0 added, 0 updated" in result.stderr  # nothing re-ingested
    assert "knowledge indexes ready" in result.stderr


def test_ask_with_an_empty_question_fails_clearly(settings: Settings) -> None:
    result = run_puxian(settings, "ask", "  ")
    assert result.returncode == 2
    assert "the question is empty" in result.stderr


def test_ingest_names_the_file_and_line_of_a_malformed_file(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text(
        "---\nid: broken\ntitle: 坏\ncategory: nonsense\n---\n正文\n", encoding="utf-8"
    )
    (tmp_path / "good.txt").write_text("莆仙话把“筷子”叫做“箸”。\n", encoding="utf-8")
    result = run_puxian(settings, "ingest", str(tmp_path))
    assert result.returncode == 1
    assert f"error: {tmp_path / 'broken.md'}:4: 'category' must be one of" in result.stderr
    assert "1 added" in result.stdout
    assert "Traceback" not in result.stderr
    listed = run_puxian(settings, "documents")
    assert "good-" in listed.stdout
    assert "broken" not in listed.stdout
    deleted = run_puxian(settings, "delete", next(w for w in listed.stdout.split() if w.startswith("good-")))
    assert deleted.returncode == 0
    assert "deleted 1 document" in deleted.stdout
