"""Blocking work that stops when the client goes away: a non-streaming answer is not generated on
for nobody (a stream notices by itself: its response is cancelled)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import anyio
from starlette.requests import Request

T = TypeVar("T")
# How often the connection is looked at while the work runs.
POLL_SECONDS = 0.25


async def run_until_disconnected(request: Request, work: Callable[[threading.Event], T]) -> T:
    """Run `work(abort)` on a worker thread; `abort` is set as soon as the client disconnects (the
    work then raises, as the engines do, or returns early). The work's exception is raised as is."""
    abort = threading.Event()

    async def watch() -> None:
        while not abort.is_set():
            if await request.is_disconnected():
                abort.set()
                return
            await anyio.sleep(POLL_SECONDS)

    def captured() -> tuple[T | None, BaseException | None]:
        try:
            return work(abort), None
        except BaseException as exc:  # raised below, outside the task group (no ExceptionGroup)
            return None, exc

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(watch)
        result, failure = await anyio.to_thread.run_sync(captured)
        tasks.cancel_scope.cancel()  # ends the watcher
    if failure is not None:
        raise failure
    return result  # type: ignore[return-value]  # T itself may be None
