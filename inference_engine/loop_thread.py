"""A private asyncio event loop on a thread of its own, callable from sync code and from other loops.

Async backends (vLLM's `AsyncLLM`, an HTTP client) bind themselves to the loop they are created in.
Giving each engine one loop of its own lets the same engine serve blocking callers (`generate()` from
a worker thread) and async callers (`stream()` from the web server's loop) at the same time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Coroutine
from typing import Any, TypeVar

from inference_engine.errors import GenerationAborted

T = TypeVar("T")
# How often a blocked caller looks at its abort event: a tenth of a second of decoding is wasted at most.
ABORT_POLL_SECONDS = 0.1

_ITEM, _ERROR, _END = "item", "error", "end"


class LoopThread:
    """Runs coroutines on a daemon thread's event loop until `stop()`."""

    def __init__(self, name: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def call(self, coroutine: Coroutine[Any, Any, T], abort: threading.Event | None = None) -> T:
        """Run `coroutine` on the loop and block until it returns (or raises). Setting `abort`
        cancels it (the backend's request with it) and raises `GenerationAborted`."""
        if threading.current_thread() is self._thread:
            coroutine.close()
            raise RuntimeError("a blocking engine call was made from the engine's own loop")
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        if abort is None:
            return future.result()
        while True:
            try:
                return future.result(timeout=ABORT_POLL_SECONDS)
            except concurrent.futures.TimeoutError:
                if abort.is_set():
                    future.cancel()
                    raise GenerationAborted("the request was aborted") from None

    async def relay(self, events: AsyncIterator[T]) -> AsyncGenerator[T, None]:
        """Iterate `events` on this loop and yield its items in the caller's loop.

        Leaving early (break, aclose, the caller's task cancelled) cancels the producer on this
        loop, which is how a request is aborted when its client goes away.
        """
        caller = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

        def deliver(kind: str, value: Any) -> None:
            try:
                caller.call_soon_threadsafe(queue.put_nowait, (kind, value))
            except RuntimeError:  # the caller's loop is closed: nobody is listening any more
                raise asyncio.CancelledError from None

        async def produce() -> None:
            try:
                async for item in events:
                    deliver(_ITEM, item)
            except asyncio.CancelledError:
                raise
            except BaseException as exc:
                deliver(_ERROR, exc)
            else:
                deliver(_END, None)
            finally:
                # Close the producer here, on its own loop, so its clean-up (an abort) runs now.
                aclose = getattr(events, "aclose", None)
                if aclose is not None:
                    await aclose()

        producer: concurrent.futures.Future[None] = asyncio.run_coroutine_threadsafe(produce(), self._loop)
        try:
            while True:
                kind, value = await queue.get()
                if kind == _END:
                    return
                if kind == _ERROR:
                    raise value
                yield value
        finally:
            producer.cancel()

    def stop(self) -> None:
        """Stop the loop and wait for its thread (pending tasks are dropped)."""
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
        if not self._thread.is_alive():
            self._loop.close()
