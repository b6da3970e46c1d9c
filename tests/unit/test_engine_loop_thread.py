"""The engines' private event loop: blocking calls, relayed streams, and aborts on early exit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

import pytest

from inference_engine.completion import CompletionTracker
from inference_engine.errors import GenerationAborted
from inference_engine.loop_thread import LoopThread


@pytest.fixture
def runner() -> Iterator[LoopThread]:
    loop_thread = LoopThread("test-engine")
    yield loop_thread
    loop_thread.stop()
    assert not loop_thread.running


def test_call_runs_on_the_loop_thread_and_returns_or_raises(runner: LoopThread) -> None:
    async def where() -> str:
        return threading.current_thread().name

    async def fail() -> None:
        raise ValueError("bad request")

    assert runner.call(where()) == "test-engine"
    with pytest.raises(ValueError, match="bad request"):
        runner.call(fail())


def test_a_relayed_stream_arrives_in_order_in_the_callers_loop(runner: LoopThread) -> None:
    async def produce() -> AsyncIterator[str]:
        for piece in ("莆", "田", "话"):
            await asyncio.sleep(0)
            yield piece + threading.current_thread().name

    async def consume() -> list[str]:
        return [item async for item in runner.relay(produce())]

    assert asyncio.run(consume()) == ["莆test-engine", "田test-engine", "话test-engine"]


def test_an_error_in_the_producer_reaches_the_consumer(runner: LoopThread) -> None:
    async def produce() -> AsyncIterator[int]:
        yield 1
        raise RuntimeError("the backend died")

    async def consume() -> list[int]:
        return [item async for item in runner.relay(produce())]

    with pytest.raises(RuntimeError, match="the backend died"):
        asyncio.run(consume())


def test_leaving_a_stream_early_cancels_the_producer(runner: LoopThread) -> None:
    cleaned_up = threading.Event()
    produced: list[int] = []

    async def produce() -> AsyncIterator[int]:
        try:
            for number in range(1000):
                produced.append(number)
                yield number
                await asyncio.sleep(0.01)
        finally:  # where an engine aborts its request
            cleaned_up.set()

    async def consume_two() -> list[int]:
        stream = runner.relay(produce())
        taken = [await anext(stream), await anext(stream)]
        await stream.aclose()
        return taken

    assert asyncio.run(consume_two()) == [0, 1]
    assert cleaned_up.wait(timeout=5)
    assert len(produced) < 1000


def test_a_blocking_call_from_the_loop_itself_is_refused_not_deadlocked(runner: LoopThread) -> None:
    async def nested() -> None:
        async def inner() -> None:
            return None

        runner.call(inner())

    with pytest.raises(RuntimeError, match="engine's own loop"):
        runner.call(nested())


def test_the_tracker_times_the_first_token_and_counts_tokens() -> None:
    tracker = CompletionTracker(response_prefix="根据资料，")
    tracker.add("", 0)
    assert tracker.first_token_at is None  # no token yet: the prefix is not generated
    tracker.add("莆田", 2)
    tracker.add("在福建。", 3)
    result = tracker.result(prompt_tokens=40, finish="stop")
    assert result["text"] == "根据资料，莆田在福建。"
    assert (result["prompt_tokens"], result["completion_tokens"]) == (40, 5)
    assert 0 <= result["ttft"] <= result["latency"]
    assert tracker.result(40, "length", completion_tokens=6)["completion_tokens"] == 6


def test_setting_the_abort_event_cancels_a_blocking_call(runner: LoopThread) -> None:
    cancelled = threading.Event()

    async def slow() -> str:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()  # the backend's request is cancelled with it (vLLM aborts it)
            raise
        return "done"

    abort = threading.Event()
    threading.Timer(0.2, abort.set).start()
    with pytest.raises(GenerationAborted):
        runner.call(slow(), abort)
    assert cancelled.wait(5)
    assert runner.call(asyncio.sleep(0, "next"), threading.Event()) == "next"  # the loop serves on
