"""`OpenAIEngine`: a client of OpenAI-compatible servers (`vllm serve` in production).

Several base URLs share the work and give failover: a request goes to the server with the fewest
requests in flight (`ServerPool`), and on to the next one when a server cannot be reached
(connection refused or dropped before an answer, connect timeout, HTTP 502-504). After a round over
all of them it waits (0.5 s, 1 s, 2 s, ...) and tries again, `max_retries` times. A server that is
slow to answer (read timeout) is not asked again, and a stream that breaks off after its first token
is not resent: either would generate the answer twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import ClassVar

import httpx

from inference_engine.async_engine import AsyncBackedEngine
from inference_engine.base_engine import Sampling
from inference_engine.completion import CompletionTracker
from inference_engine.config import InferenceConfig
from inference_engine.datatypes import EngineInfo, EngineState, GenerationResult, Prompt
from inference_engine.errors import (
    EngineError,
    EngineUnavailable,
    GenerationError,
    InvalidConfig,
    InvalidPrompt,
)
from inference_engine.openai_requests import (
    PrefixJoiner,
    ServerRequest,
    build_request,
    error_detail,
    parse_event_line,
    read_choice,
    refused_extensions,
)
from inference_engine.server_pool import ServerPool

log = logging.getLogger(__name__)

# Answers that mean "this server cannot take requests now", so another one should.
_UNAVAILABLE_STATUS = {502, 503, 504}
# Failures before any answer came: the server is down, restarting, or dropped the connection (a
# server that died while generating included), so the request goes to another one.
_UNREACHABLE = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.RemoteProtocolError,
    httpx.ReadError,
    httpx.WriteError,
    httpx.PoolTimeout,
)
_MAX_CONNECT_SECONDS = 10.0
_PROBE_SECONDS = 10.0  # for the check at load time, whatever request_timeout is
_MAX_BACKOFF_SECONDS = 8.0


class OpenAIEngine(AsyncBackedEngine):
    """Generates through the OpenAI HTTP API; the model runs on the servers in `server_urls`."""

    name: ClassVar[str] = "openai"

    def __init__(self, config: InferenceConfig) -> None:
        super().__init__(config)
        self._pool = ServerPool(config.server_urls)
        self._model = config.served_model_name or config.model_path
        self._client: httpx.AsyncClient | None = None
        self._served_models: dict[str, list[str]] = {}

    # -------------------------------------------------------------- connecting

    def _load(self) -> None:
        """Open the HTTP client and check that at least one server answers."""
        if not self._pool.urls:
            raise InvalidConfig(
                "the openai engine needs server_urls, e.g. ['http://localhost:8000/v1'] "
                "(INFERENCE_SERVER_URLS=url1,url2)"
            )
        self._start_runner().call(self._connect())

    def _loaded_description(self) -> str:
        up = [url for url in self._pool.urls if self._pool.is_up(url)]
        return "servers answering: " + ", ".join(up)

    async def _connect(self) -> None:
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        connect = min(_MAX_CONNECT_SECONDS, self.config.request_timeout)
        self._client = httpx.AsyncClient(
            headers=headers, timeout=httpx.Timeout(self.config.request_timeout, connect=connect)
        )
        # A client of its own: a server may close the connection after an error answer here, and
        # a pooled dead connection would make the first real request fail.
        async with httpx.AsyncClient(headers=headers, timeout=_PROBE_SECONDS) as probe:
            for url in self._pool.urls:
                try:
                    response = await probe.get(url + "/models")
                except httpx.HTTPError as exc:
                    self._pool.failed(url, _describe(exc))
                    continue
                self._pool.answered(url)  # any status will do
                if response.status_code == 200:
                    self._served_models[url] = _model_ids(response)
        if any(self._pool.is_up(url) for url in self._pool.urls):
            return  # the others are tried last until they have rested (ServerPool)
        raise EngineUnavailable(
            "no OpenAI-compatible server answers: "
            + "; ".join(f"{url} ({error})" for url, error in self._pool.last_error.items())
        )

    def unload(self) -> None:
        self._release()
        self.state = EngineState.UNLOADED

    def _release(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._runner is not None:
            self._runner.call(client.aclose())
        self._stop_runner()

    # ---------------------------------------------------------------- sending

    async def _send(self, request: ServerRequest, stream: bool) -> tuple[str, httpx.Response]:
        """POST to the first server that takes the request; returns its URL and the open response."""
        failures: list[str] = []
        for round_number in range(self.config.max_retries + 1):
            if round_number:
                await asyncio.sleep(min(_MAX_BACKOFF_SECONDS, 0.5 * 2 ** (round_number - 1)))
            for url in self._pool.in_order():
                response = await self._post(url, request, stream, failures)
                if response is not None:
                    return url, response
        raise GenerationError(
            f"no server took the request ({self.config.max_retries + 1} round(s) over "
            f"{len(self._pool.urls)} server(s)): " + "; ".join(failures[-len(self._pool.urls) :])
        )

    async def _post(
        self, url: str, request: ServerRequest, stream: bool, failures: list[str]
    ) -> httpx.Response | None:
        """One attempt at one server, counted in its load until the caller releases the answer."""
        self._pool.acquire(url)
        try:
            response = await self._attempt(url, request, stream, failures)
        except BaseException:  # cancellation included: the request is no longer in flight
            self._pool.release(url)
            raise
        if response is None:
            self._pool.release(url)
        return response

    async def _attempt(
        self, url: str, request: ServerRequest, stream: bool, failures: list[str]
    ) -> httpx.Response | None:
        """The response, None if the server is unreachable, or an error."""
        assert self._client is not None, "load_model() opens the client"
        with_extensions = url not in self._pool.plain
        outgoing = self._client.build_request(
            "POST", url + request.path, json=request.payload(with_extensions)
        )
        try:
            response = await self._client.send(outgoing, stream=stream)
        except _UNREACHABLE as exc:
            self._pool.failed(url, _describe(exc))
            failures.append(f"{url}: {_describe(exc)}")
            return None
        except httpx.TimeoutException as exc:
            raise GenerationError(f"{url} did not answer within {self.config.request_timeout} s") from exc
        except httpx.HTTPError as exc:
            raise GenerationError(f"request to {url} failed: {_describe(exc)}") from exc
        if response.status_code < 400:
            self._pool.answered(url)
            return response
        detail = error_detail((await response.aread()).decode("utf-8", errors="replace"))
        await response.aclose()
        if response.status_code in _UNAVAILABLE_STATUS:
            self._pool.failed(url, f"HTTP {response.status_code}: {detail}")
            failures.append(f"{url}: HTTP {response.status_code} {detail}")
            return None
        if with_extensions and request.extensions and refused_extensions(response.status_code, detail):
            log.warning(
                "%s refuses vLLM's extra request fields (%s); it gets standard requests from now on, "
                "so top_k, repetition_penalty, ignore_eos and answer prefixes are not applied there",
                url,
                detail,
            )
            self._pool.plain.add(url)
            return await self._attempt(url, request, stream, failures)
        raise _answer_error(url, response.status_code, detail)

    # --------------------------------------------------------------- generating

    async def _complete(self, prompt: Prompt, sampling: Sampling) -> GenerationResult:
        """A non-streamed request: the answer arrives whole, so its first token time is its latency."""
        request = build_request(prompt, sampling, self._model, stream=False)
        tracker = CompletionTracker()
        url, response = await self._send(request, stream=False)
        self._pool.release(url)  # the whole body has been read
        try:
            answer = response.json()
        except ValueError as exc:
            raise GenerationError(f"{url} answered with something other than JSON") from exc
        if not isinstance(answer, dict):
            raise GenerationError(f"{url} answered with JSON that is not an object")
        choice = read_choice(answer)
        joiner = PrefixJoiner(sampling.response_prefix, self._continues_prefix(url, request))
        tracker.add(joiner.feed(choice.text) + joiner.flush(), choice.completion_tokens or 0)
        return tracker.result(choice.prompt_tokens or 0, choice.finish or "stop")

    async def _events(self, prompt: Prompt, sampling: Sampling) -> AsyncIterator[str | GenerationResult]:
        request = build_request(prompt, sampling, self._model, stream=True)
        tracker = CompletionTracker()
        url, response = await self._send(request, stream=True)
        joiner = PrefixJoiner(sampling.response_prefix, self._continues_prefix(url, request))
        finish = None
        prompt_tokens, completion_tokens = 0, None
        try:
            async for line in response.aiter_lines():
                event = parse_event_line(line)
                if event is None:
                    continue
                choice = read_choice(event)
                if choice.text:
                    # One chunk is one token for vLLM; the usage chunk at the end corrects the count.
                    delta = tracker.add(joiner.feed(choice.text), 1)
                    if delta:
                        yield delta
                finish = choice.finish or finish
                prompt_tokens = choice.prompt_tokens or prompt_tokens
                completion_tokens = choice.completion_tokens or completion_tokens
            tail = tracker.add(joiner.flush(), 0)
            if tail:
                yield tail
        except httpx.HTTPError as exc:
            raise GenerationError(f"the answer stream from {url} broke off: {_describe(exc)}") from exc
        finally:
            # Closing the connection early is how the server learns to abort the request.
            await response.aclose()
            self._pool.release(url)
        yield tracker.result(prompt_tokens, finish or "aborted", completion_tokens)

    def _continues_prefix(self, url: str, request: ServerRequest) -> bool:
        return request.plain_body_continues_prefix or url not in self._pool.plain

    # --------------------------------------------------------------------- info

    def info(self) -> EngineInfo:
        info = super().info()
        info.update(
            device="remote",
            served_model_name=self._model,
            servers=[
                {
                    "url": url,
                    "answering": self.state is EngineState.READY and self._pool.is_up(url),
                    "error": self._pool.last_error[url],
                    "models": self._served_models.get(url),
                    "standard_requests_only": url in self._pool.plain,
                    "in_flight": self._pool.in_flight[url],
                }
                for url in self._pool.urls
            ],
        )
        return info


def _answer_error(url: str, status: int, detail: str) -> EngineError:
    lowered = detail.lower()
    if status == 400 and ("context length" in lowered or "too long" in lowered or "maximum" in lowered):
        return InvalidPrompt(f"{url} refused the prompt: {detail}")
    if status in (401, 403):
        return GenerationError(f"{url} refused the API key (HTTP {status}): {detail}")
    return GenerationError(f"{url} answered HTTP {status}: {detail}")


def _model_ids(response: httpx.Response) -> list[str]:
    try:
        listed = response.json().get("data", [])
        return [str(model["id"]) for model in listed if isinstance(model, dict) and "id" in model]
    except (ValueError, AttributeError):
        return []


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
