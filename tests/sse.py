"""Reading Server-Sent Events in tests: the events of `POST /api/chat/stream`, as a client sees them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    name: str
    data: dict[str, Any]


@dataclass
class EventReader:
    """Feed it lines; it returns an event at each blank line that ends one. Comments are skipped."""

    comments: int = 0
    _name: str = "message"
    _data: list[str] = field(default_factory=list)

    def feed(self, line: str) -> Event | None:
        if line.startswith(":"):
            self.comments += 1
        elif line.startswith("event:"):
            self._name = line[len("event:") :].strip()
        elif line.startswith("data:"):
            self._data.append(line[len("data:") :].strip())
        elif not line and self._data:
            event = Event(self._name, json.loads("\n".join(self._data)))
            self._name, self._data = "message", []
            return event
        return None


def parse_events(lines: Iterable[str]) -> Iterator[Event]:
    reader = EventReader()
    for line in [*lines, ""]:
        event = reader.feed(line)
        if event is not None:
            yield event


async def aparse_events(lines: AsyncIterator[str]) -> AsyncIterator[Event]:
    reader = EventReader()
    async for line in lines:
        event = reader.feed(line)
        if event is not None:
            yield event
