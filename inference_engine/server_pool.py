"""`ServerPool`: which of several OpenAI-compatible servers a request goes to.

Least loaded first: the server with the fewest requests in flight from this engine, ties taken in
turn, so that replicas of `vllm serve` share the work. A server that failed is tried last until it
has been down for `retry_down_after` seconds; then it is back in the rotation, and the next request
finds out whether it recovered (a refused connection costs milliseconds). Only the engine's own
event loop calls the mutating methods, so no lock is needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

RETRY_DOWN_AFTER_SECONDS = 15.0


class ServerPool:
    """The base URLs, with each one's requests in flight and last failure."""

    def __init__(
        self,
        urls: list[str],
        retry_down_after: float = RETRY_DOWN_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.urls = [url.rstrip("/") for url in urls]
        self.last_error: dict[str, str | None] = dict.fromkeys(self.urls)
        self.in_flight: dict[str, int] = dict.fromkeys(self.urls, 0)
        # Servers that refused vLLM's extra request fields; they get standard requests only.
        self.plain: set[str] = set()
        self._retry_down_after = retry_down_after
        self._clock = clock
        self._failed_at: dict[str, float] = {}  # servers that have not answered since they failed
        self._turn = 0

    def in_order(self) -> list[str]:
        """Every URL, in the order to try them for one request."""
        if not self.urls:
            return []
        now = self._clock()
        # Ties go round the servers, so that one client asking in sequence uses all of them.
        self._turn = (self._turn + 1) % len(self.urls)
        turn = {url: (index - self._turn) % len(self.urls) for index, url in enumerate(self.urls)}
        resting = {
            url: failed for url, failed in self._failed_at.items() if now - failed < self._retry_down_after
        }
        up = [url for url in self.urls if url not in resting]
        up.sort(key=lambda url: (self.in_flight[url], turn[url]))
        return up + sorted(resting, key=resting.__getitem__)  # the longest down first: likeliest back

    def acquire(self, url: str) -> None:
        """A request is being sent to `url`; `release` it when its answer is read or abandoned."""
        self.in_flight[url] += 1

    def release(self, url: str) -> None:
        self.in_flight[url] = max(0, self.in_flight[url] - 1)

    def answered(self, url: str) -> None:
        self.last_error[url] = None
        self._failed_at.pop(url, None)

    def failed(self, url: str, error: str) -> None:
        self.last_error[url] = error
        self._failed_at[url] = self._clock()

    def is_up(self, url: str) -> bool:
        return self.last_error[url] is None
