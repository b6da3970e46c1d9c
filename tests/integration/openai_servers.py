"""Real OpenAI-compatible servers on the CPU for the tests: `transformers serve` with the default model.

They stand in for `vllm serve` (docs/deployment.md): the OpenAI engine's tests, the replica tests
(one killed mid-run) and the streaming test of an engine that fails mid-answer use them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.integration.live_server import free_port

STARTUP_SECONDS = 180
# Access-log lines of answered requests: chat messages and plain prompts (the completions route).
ANSWERED = ('"POST /v1/chat/completions HTTP/1.1" 200', '"POST /v1/completions HTTP/1.1" 200')


@dataclass
class Replica:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def answered(self) -> int:
        """Requests this replica has answered (its access log; refused tries not counted)."""
        log = self.log_path.read_text(errors="replace")
        return sum(log.count(line) for line in ANSWERED)

    def crash(self) -> None:
        self.process.send_signal(signal.SIGKILL)  # no graceful shutdown: as if the machine died
        self.process.wait()


def _wait_until_healthy(replica: Replica) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if replica.process.poll() is not None:
            pytest.fail(f"transformers serve exited:\n{replica.log_path.read_text()[-3000:]}")
        try:
            if httpx.get(replica.url.removesuffix("/v1") + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(
        f"transformers serve did not answer in {STARTUP_SECONDS} s:\n{replica.log_path.read_text()[-3000:]}"
    )


@contextmanager
def replicas(llm_path: Path, scratch: Path, count: int, one_thread: bool = True) -> Iterator[list[Replica]]:
    """`count` servers of the default model on free ports; with `one_thread` one CPU thread each,
    else they fight for this VM's two cores."""
    executable = shutil.which("transformers", path=str(Path(sys.executable).parent))
    assert executable, "the transformers command is installed with the transformers package"
    (scratch / "hub").mkdir(exist_ok=True)
    # An empty hub cache of its own: /v1/models lists that cache, and nothing is downloaded.
    environment = os.environ | {"HF_HUB_CACHE": str(scratch / "hub"), "HF_HUB_OFFLINE": "1"}
    if one_thread:
        environment["OMP_NUM_THREADS"] = "1"
    started: list[Replica] = []
    try:
        for number in range(count):
            port = free_port()
            log_path = scratch / f"replica-{number}.log"
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    [
                        executable,
                        "serve",
                        str(llm_path),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--device",
                        "cpu",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=environment,
                )
            started.append(Replica(f"http://127.0.0.1:{port}/v1", process, log_path))
        for replica in started:
            _wait_until_healthy(replica)
        yield started
    finally:
        for replica in started:
            if replica.process.poll() is None:
                replica.process.terminate()
                try:
                    replica.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    replica.process.kill()
                    replica.process.wait()
