"""The romanization package stands alone: it imports nothing of the web app and no heavy library."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_importing_the_package_loads_nothing_of_the_web_app() -> None:
    code = (
        "import sys, romanization.convert, romanization.segment, romanization.words\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'app', 'fastapi', 'sqlalchemy', 'torch', 'numpy', 'pydantic', 'inference_engine'})\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
