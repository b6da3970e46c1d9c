"""A server killed (SIGKILL) while it ingests an upload that replaces a document: after the restart's
recovery the old version is back, whole, in the uploads folder and in the index, and nothing of the
new one is left (docs/security.md, issue 15). The server is a real `puxian serve` process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from app.bootstrap import open_knowledge
from app.core.config import Settings
from app.knowledge.embedder import Embedder
from app.knowledge.uploads import STAGING, recover_interrupted_uploads
from tests.conftest import REPO_ROOT
from tests.integration.live_server import free_port

NAME = "crash-note.md"
OLD = "---\ntitle: 石狮子\n---\n\n溪口村的石狮子叫“镇村狮”。\n"
# Long enough to keep the embedder busy for many seconds: the kill lands in the middle of it.
NEW = "---\ntitle: 长文\n---\n\n" + "\n\n".join(
    f"第{i}段：莆仙话把筷子叫“箸”，读 dy5。" * 6 for i in range(1500)
)
PASSWORD = "crash test password"


def _serve(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PUXIAN_DATA_DIR": str(tmp_path / "data"),
        "PUXIAN_KNOWLEDGE_DIR": str(tmp_path / "knowledge"),
        "PUXIAN_FIRST_ADMIN_USERNAME": "crash_admin",
        "PUXIAN_FIRST_ADMIN_PASSWORD": PASSWORD,
        "PUXIAN_ENGINE_WARMUP": "false",
        "PUXIAN_TORCH_THREADS": "1",
    }
    puxian = Path(sys.executable).with_name("puxian")
    return subprocess.Popen([str(puxian), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL)


def test_a_server_killed_during_an_upload_keeps_the_old_version_whole(
    tmp_path: Path, embedder: Embedder
) -> None:
    (tmp_path / "knowledge" / "docs").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "knowledge" / "docs" / "overview.md", tmp_path / "knowledge" / "docs")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = _serve(tmp_path, port)
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        login = httpx.post(f"{url}/api/auth/login", json={"username": "crash_admin", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        first = httpx.post(
            f"{url}/api/admin/documents", files=[("files", (NAME, OLD.encode()))], headers=headers
        )
        assert first.json()["results"][0]["status"] == "added", first.text

        def replace() -> None:  # the answer never comes: the server dies first
            try:
                files = [("files", (NAME, NEW.encode()))]
                httpx.post(f"{url}/api/admin/documents", files=files, headers=headers, timeout=300)
            except httpx.TransportError:
                pass

        threading.Thread(target=replace, daemon=True).start()
        uploads = tmp_path / "data" / "uploads"
        journal = uploads / STAGING / f"{NAME}.pending"
        deadline = time.monotonic() + 60
        while not (journal.exists() and (uploads / NAME).read_text(encoding="utf-8") == NEW):
            assert time.monotonic() < deadline, "the replacement never started"
            time.sleep(0.01)
        time.sleep(1.0)  # ingesting (embedding 1,500 paragraphs takes far longer)
        assert journal.exists(), "still under way when the server is killed"
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=30)

    # What the restart does before any request (app/main.py), on what the killed server left.
    assert (uploads / NAME).read_text(encoding="utf-8") == NEW, "the crash left the new version in place"
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge")  # type: ignore[call-arg]
    knowledge = open_knowledge(settings, embedder)
    try:
        assert recover_interrupted_uploads(knowledge.ingestor, settings) == [NAME]
        assert (uploads / NAME).read_text(encoding="utf-8") == OLD
        assert list((uploads / STAGING).iterdir()) == []
        stored = [doc for doc in knowledge.base.store.documents() if doc.source_path.endswith(NAME)]
        assert [(doc.title, doc.chunk_count) for doc in stored] == [("石狮子", 1)], "the old version only"
    finally:
        knowledge.database.dispose()
