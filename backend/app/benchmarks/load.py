"""`puxian bench load`: N concurrent clients against a real server on the CPU default.

Runs a server (uvicorn, the real app and models) on a copy of this data folder's database and
index, signs in one account per client, and sends every client's streamed question at once. Each
request is either answered, or refused at once (503 engine busy, 429 over a user's limit); the
report gives how many of each, how long the answered ones waited for their first event and their
whole answer, how long a refusal took, and whether the server is healthy afterwards with no engine
request left over.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
from tqdm import tqdm

from app.backup.archive import sqlite_copy
from app.core.config import Settings

QUESTION = "莆仙话有几个声调？"


@dataclass
class ClientResult:
    status: int
    code: str
    first_event_s: float  # the response's status, then its first event (a refusal: its whole time)
    total_s: float


@dataclass
class LoadReport:
    clients: int
    max_pending: int
    answered: int
    refused_busy: int
    refused_user_limit: int
    other: dict[str, int]
    answered_first_event_p50_s: float | None
    answered_first_event_max_s: float | None
    answered_total_max_s: float | None
    refusal_max_s: float | None
    healthy_after: bool
    engine_requests_left: int
    results: list[ClientResult] = field(default_factory=list)

    def table(self) -> str:
        rows = [f"{key:28} {value}" for key, value in asdict(self).items() if key != "results"]
        return "\n".join(rows)


def run_load_bench(settings: Settings, clients: int, question: str = QUESTION) -> LoadReport:
    import uvicorn

    from app.bootstrap import build_services
    from app.main import create_app
    from app.users.models import Role
    from app.users.service import create_user

    workdir = Path(tempfile.mkdtemp(prefix="puxian-load-", dir=settings.data_dir.parent.resolve()))
    try:
        _copy_data(settings, workdir)
        port = _free_port()
        bench = settings.model_copy(update={"data_dir": workdir, "database_url": "", "port": port})
        services = build_services(bench, show_progress=True)
        app = create_app(bench, services_factory=lambda _: services)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base)
        password = secrets.token_urlsafe(16)
        with services.knowledge.database.session() as session:
            for i in range(clients):
                create_user(
                    session, username=f"load{i:03d}", password=password, role=Role.USER,
                    min_password_length=8, actor_id=None, via="bench",
                )  # fmt: skip
        tokens = [_sign_in(base, f"load{i:03d}", password) for i in tqdm(range(clients), desc="signing in")]
        start = threading.Barrier(clients)
        with ThreadPoolExecutor(clients) as pool:
            results = list(
                tqdm(
                    pool.map(lambda token: _ask(base, token, question, start), tokens),
                    total=clients,
                    desc="asking",
                )
            )
        healthy = httpx.get(f"{base}/api/health", timeout=30).status_code == 200
        engines = services.engines
        left = engines.status(engines.default_name).in_flight
        server.should_exit = True
        thread.join(timeout=30)
        return _report(results, clients, bench.max_pending_generations, healthy, left)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _copy_data(settings: Settings, workdir: Path) -> None:
    source = Path(settings.database.removeprefix("sqlite:///"))
    if not settings.database.startswith("sqlite") or not source.exists():
        raise SystemExit("bench load copies a SQLite data folder; run `puxian ingest` first")
    sqlite_copy(source, workdir / "puxian.db")
    if settings.index_dir.is_dir():
        shutil.copytree(settings.index_dir, workdir / "index")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(base: str) -> None:
    for _ in range(600):
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not start")


def _sign_in(base: str, username: str, password: str) -> str:
    response = httpx.post(
        f"{base}/api/auth/login", json={"username": username, "password": password}, timeout=60
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def _ask(base: str, token: str, question: str, start: threading.Barrier) -> ClientResult:
    start.wait()
    began = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.stream(
        "POST", f"{base}/api/chat/stream", json={"question": question}, headers=headers, timeout=600
    ) as response:
        if response.status_code != 200:
            response.read()
            elapsed = time.perf_counter() - began
            return ClientResult(response.status_code, response.json().get("code", ""), elapsed, elapsed)
        first: float | None = None
        for line in response.iter_lines():
            if first is None and line.startswith("event:"):
                first = time.perf_counter() - began
        total = time.perf_counter() - began
        return ClientResult(200, "", first if first is not None else total, total)


def _report(
    results: list[ClientResult], clients: int, max_pending: int, healthy: bool, left: int
) -> LoadReport:
    answered = [r for r in results if r.status == 200]
    refused = [r for r in results if r.status in (429, 503)]
    other: dict[str, int] = {}
    for result in results:
        if result.status not in (200, 429, 503):
            other[str(result.status)] = other.get(str(result.status), 0) + 1
    firsts = [r.first_event_s for r in answered]
    return LoadReport(
        clients=clients,
        max_pending=max_pending,
        answered=len(answered),
        refused_busy=sum(1 for r in results if r.status == 503),
        refused_user_limit=sum(1 for r in results if r.status == 429),
        other=other,
        answered_first_event_p50_s=round(statistics.median(firsts), 2) if firsts else None,
        answered_first_event_max_s=round(max(firsts), 2) if firsts else None,
        answered_total_max_s=round(max(r.total_s for r in answered), 2) if answered else None,
        refusal_max_s=round(max(r.total_s for r in refused), 3) if refused else None,
        healthy_after=healthy,
        engine_requests_left=left,
        results=results,
    )
