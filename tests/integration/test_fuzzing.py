"""Schemathesis over the whole API (docs/security.md "Fuzzing"): a live server with the real models,
signed in as an administrator, every check on, seeded and time-boxed. It must end with no server
error, no response outside the document (status, body, headers) and no request judged wrongly
against the document. tests/fuzz/schemathesis.toml lists the few rules JSON Schema cannot state.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx

from app.bootstrap import build_services
from app.core.config import Settings
from app.main import create_app
from app.users.models import Role
from app.users.service import create_user
from tests.conftest import REPO_ROOT
from tests.integration.live_server import live_server

CONFIG = REPO_ROOT / "tests" / "fuzz" / "schemathesis.toml"
SEED = 2
MAX_EXAMPLES = 10  # per operation and phase
MAX_SECONDS = 180  # the time box: fuzzing stops there, with what it found
PASSWORD = "fuzzing admin password"
# A few documents: answers have passages to come from, and the index builds in seconds.
KNOWLEDGE = ("docs/overview.md", "docs/phonology-tones.md", "lexicon/food-drink.tsv")


def test_fuzzing_finds_no_server_error_and_no_departure_from_the_document(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    for name in KNOWLEDGE:
        (knowledge / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / "knowledge" / name, knowledge / name)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        knowledge_dir=knowledge,
        torch_threads=1,
        # Short answers, and no request may ask for long ones: the time goes to many requests.
        llm_max_tokens=16,
        llm_request_max_tokens=24,
    )
    services = build_services(settings)
    try:
        with services.knowledge.database.session() as session:
            create_user(
                session,
                username="fuzzer",
                password=PASSWORD,
                role=Role.ADMIN,
                min_password_length=8,
                actor_id=None,
            )
        app = create_app(settings, services_factory=lambda _: services)
        with live_server(app) as url:
            signed_in = httpx.post(f"{url}/api/auth/login", json={"username": "fuzzer", "password": PASSWORD})
            token = signed_in.json()["access_token"]
            command = [str(Path(sys.executable).with_name("st")), "--config-file", str(CONFIG), "run"]
            command += [
                f"{url}/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
            ]
            command += [
                "--seed",
                str(SEED),
                "--max-examples",
                str(MAX_EXAMPLES),
                "--max-time",
                str(MAX_SECONDS),
            ]
            command += ["--workers", "1", "--request-timeout", "60", "--no-color"]
            run = subprocess.run(
                command,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=MAX_SECONDS + 300,  # the phase running at the time box finishes its case
                check=False,
            )
    finally:
        services.close()
    report = run.stdout + run.stderr
    print(report[-3000:])  # the summary, in the test's log
    assert run.returncode == 0, report[-12000:]
    selected, tested = re.search(r"Selected: (\d+)/\d+\s+Tested: (\d+)", report).groups()  # type: ignore[union-attr]
    assert int(tested) == int(selected) > 30  # every operation of the document was tried
