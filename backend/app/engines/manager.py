"""`EngineManager`: the configured engines, which one is the default, and switching it at run time.

A request takes a `Lease` on an engine and keeps that engine until the lease is released, whatever
happens to the default meanwhile (the handler-object pattern of vLLM's OpenAI server: swapping is
replacing one reference). A switch loads the new engine on a background thread while the old one
keeps serving, swaps the default under the lock, then waits for the old engine's leases to end and
unloads it. A failed load changes nothing but the new engine's state and error. An engine that cannot
run on this machine (its slot's `unavailable_reason`: no GPU, vLLM missing, model not prepared) stays
listed but is never loaded: naming it or switching to it is refused with the reason.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType

from app.core.engine_specs import EngineSpec
from app.core.errors import ApiError
from app.engines import errors
from app.engines.admission import Admission, AdmissionLimits
from app.engines.loading import load_engine, unload_engine
from app.engines.slot import DRAINING, UNLOADING, EngineSlot, EngineStatus
from inference_engine import BaseInferenceEngine, EngineNotLoaded, EngineState, EngineUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EnginesSnapshot:
    default: str
    engines: list[EngineStatus]


@dataclass(frozen=True)
class SwitchOutcome:
    """How a switch ended: `error` is None when `engine` became the default."""

    engine: str
    previous: str
    error: str | None
    seconds: float


@dataclass(frozen=True)
class SwitchTicket:
    """The answer to a switch request: the target's status, and whether anything had to be done."""

    status: EngineStatus
    noop: bool


class Lease:
    """One request's hold on one engine; the engine is not unloaded while any lease on it is held."""

    def __init__(
        self,
        manager: EngineManager,
        name: str,
        engine: BaseInferenceEngine,
        owner: int | None = None,
        ahead: int = 0,
    ) -> None:
        self.name, self.engine, self.owner = name, engine, owner
        self.ahead = ahead  # requests on this engine before this one when it was admitted
        self._manager: EngineManager | None = manager
        self._started = time.perf_counter()

    def release(self) -> None:
        """Idempotent: the stream's cleanup and its error path may both call it."""
        manager, self._manager = self._manager, None
        if manager is not None:
            manager._release(self.name, self.owner, time.perf_counter() - self._started)

    def __enter__(self) -> Lease:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


class EngineManager:
    def __init__(
        self,
        slots: Sequence[EngineSlot],
        default: str,
        warmup: bool = True,
        limits: AdmissionLimits | None = None,
    ) -> None:
        self._slots = {slot.name: slot for slot in slots}
        self.admission = Admission(limits or AdmissionLimits())
        if default not in self._slots:
            raise ValueError(f"the default engine {default!r} is not among {', '.join(self._slots)}")
        self._default = default
        self._warmup = warmup
        # One lock for all slots: every change is small, and a snapshot must be consistent.
        self._changed = threading.Condition()
        self._switching: str | None = None
        self._switch_thread: threading.Thread | None = None
        self._closed = False
        # Switches by target engine and outcome ("ok", "failed"), for the metrics.
        self.switch_counts: dict[tuple[str, str], int] = {}

    # ----------------------------------------------------------------- reading

    @property
    def default_name(self) -> str:
        return self._default

    @property
    def names(self) -> list[str]:
        return list(self._slots)

    def snapshot(self) -> EnginesSnapshot:
        with self._changed:
            return EnginesSnapshot(self._default, [slot.status() for slot in self._slots.values()])

    def status(self, name: str) -> EngineStatus:
        with self._changed:
            return self._slot(name).status()

    def spec(self, name: str) -> EngineSpec:
        return self._slot(name).spec

    def default_engine(self) -> BaseInferenceEngine:
        """The current default engine (for code that holds no lease: health, benchmarks)."""
        engine = self._slots[self._default].engine
        if engine is None:
            raise EngineNotLoaded(f"the default engine {self._default} is not loaded")
        return engine

    # ----------------------------------------------------------------- leasing

    def check(self, name: str | None = None) -> str:
        """The engine a request naming `name` (None: the default) would get; raises if it cannot serve."""
        with self._changed:
            return self._serving_slot(name).name

    def lease(self, name: str | None = None, owner: int | None = None) -> Lease:
        """Hold the named engine (None: the default) for one request of user `owner` (None: not a
        user's chat request); raises if it cannot serve, its queue is full (503) or the user is over
        a limit (429) — engines/admission.py."""
        with self._changed:
            slot = self._serving_slot(name)
            assert slot.engine is not None, "a serving slot has an engine"
            self.admission.admit(slot.name, slot.in_flight, owner)
            slot.in_flight += 1
            return Lease(self, slot.name, slot.engine, owner, slot.in_flight - 1)

    def _release(self, name: str, owner: int | None, seconds: float) -> None:
        with self._changed:
            slot = self._slots[name]
            slot.in_flight -= 1
            self.admission.leave(owner, seconds)
            self._changed.notify_all()

    def _serving_slot(self, name: str | None) -> EngineSlot:
        slot = self._slots[self._default] if name is None else self._slot(name)
        if slot.serving:
            return slot
        if name is not None and slot.engine is None and (reason := slot.unavailable_reason()):
            raise errors.engine_unavailable(slot.name, reason)
        state = "being unloaded" if slot.stage in (DRAINING, UNLOADING) else slot.state.value
        if name is None:
            raise errors.default_engine_not_ready(slot.name, state)
        raise errors.engine_not_ready(slot.name, state)

    def _slot(self, name: str) -> EngineSlot:
        try:
            return self._slots[name]
        except KeyError:
            raise errors.engine_unknown(name, list(self._slots)) from None

    # ----------------------------------------------------------------- loading

    def start(self, fallback: str | None = None) -> None:
        """Load the default engine and those kept loaded (blocking, at startup).

        When the default fails and `fallback` names another engine (the configured default, when
        the default came from an admin's stored choice), that one is loaded and made the default.
        """
        try:
            self._load(self._slots[self._default])
        except Exception as exc:
            if fallback is None or fallback == self._default:
                raise
            log.error(
                "the default engine %s failed to load (%s); starting %s instead", self._default, exc, fallback
            )
            self._default = fallback
            self._load(self._slots[fallback])
        for slot in self._slots.values():
            if slot.spec.keep_loaded and slot.state is not EngineState.READY:
                if reason := slot.unavailable_reason():  # listed with the reason; nothing to try
                    log.warning("engine %s cannot run here: %s", slot.name, reason)
                    continue
                try:
                    self._load(slot)
                except Exception as exc:  # reported in its status; the default serves meanwhile
                    log.error("engine %s failed to load: %s", slot.name, exc)

    def _load(self, slot: EngineSlot) -> None:
        with self._changed:
            if slot.state is not EngineState.LOADING:
                slot.begin_loading()
        try:
            if reason := slot.unavailable_reason():  # say why, rather than what the load would stumble on
                raise EngineUnavailable(reason)
            loaded = load_engine(
                slot.spec, slot.config_factory(), self._warmup, lambda stage: self._set_stage(slot, stage)
            )
        except Exception as exc:
            with self._changed:
                slot.state, slot.stage, slot.error = EngineState.FAILED, None, _describe(exc)
                slot.loading_since = None
            raise
        with self._changed:
            slot.engine, slot.device, slot.memory_bytes = loaded.engine, loaded.device, loaded.memory_bytes
            slot.state, slot.stage, slot.loading_since = EngineState.READY, None, None
            slot.last_load_seconds = loaded.seconds
            closed = self._closed
        log.info("engine %s ready in %.1f s", slot.name, loaded.seconds)
        if closed:  # the server stopped while this loaded: nobody will use it
            self._unload(slot)

    def _set_stage(self, slot: EngineSlot, stage: str) -> None:
        with self._changed:
            slot.stage = stage

    # --------------------------------------------------------------- switching

    def switch(self, name: str, on_done: Callable[[SwitchOutcome], None] | None = None) -> SwitchTicket:
        """Make `name` the default: loads it in the background unless it is ready (then swaps at once).

        `on_done` runs on the switch's thread once the new engine serves or its load failed, before the
        old one is drained and unloaded. One switch at a time; asking again for the same target is
        answered with its status.
        """
        with self._changed:
            slot = self._slot(name)
            if slot.engine is None and (reason := slot.unavailable_reason()):
                raise errors.engine_unavailable(name, reason)
            if self._switching is not None:
                if self._switching == name:
                    return SwitchTicket(slot.status(), noop=False)
                raise errors.switch_in_progress(self._switching)
            if name == self._default and slot.serving:
                return SwitchTicket(slot.status(), noop=True)
            if slot.stage in (DRAINING, UNLOADING):
                raise errors.switch_in_progress(self._default)
            previous = self._default
            self._switching = name
            if slot.state is not EngineState.READY:
                slot.begin_loading()  # before answering, so that the caller sees `loading`
            ticket = SwitchTicket(slot.status(), noop=False)
        # The thread logs under the request id of the admin's request (contextvars).
        context = contextvars.copy_context()
        thread = threading.Thread(
            target=context.run,
            args=(self._run_switch, slot, previous, on_done),
            name=f"engine-switch-{name}",
            daemon=True,
        )
        self._switch_thread = thread
        thread.start()
        return ticket

    def wait_for_switch(self, timeout: float | None = None) -> bool:
        """Wait until no switch is running (loading, draining, unloading); False if `timeout` passed."""
        with self._changed:
            return self._changed.wait_for(lambda: self._switching is None, timeout)

    @property
    def switching_to(self) -> str | None:
        return self._switching

    def _run_switch(
        self, slot: EngineSlot, previous: str, on_done: Callable[[SwitchOutcome], None] | None
    ) -> None:
        started = time.perf_counter()
        try:
            error = None
            if slot.state is not EngineState.READY:
                try:
                    self._load(slot)
                except Exception as exc:
                    error = _describe(exc)
                    log.error("switch to %s failed; %s keeps serving: %s", slot.name, previous, error)
            old = self._swap(slot, previous) if error is None else None
            key = (slot.name, "ok" if error is None else "failed")
            with self._changed:
                self.switch_counts[key] = self.switch_counts.get(key, 0) + 1
            _notify(on_done, SwitchOutcome(slot.name, previous, error, time.perf_counter() - started))
            if old is not None:
                self._drain_and_unload(old)
        finally:
            with self._changed:
                self._switching = None
                self._changed.notify_all()

    def _swap(self, slot: EngineSlot, previous: str) -> EngineSlot | None:
        """Make `slot` the default; returns the old default if it is to be unloaded."""
        with self._changed:
            self._default = slot.name  # from here on, new requests lease the new engine
            old = self._slots[previous]
            retire = old is not slot and not old.spec.keep_loaded and old.engine is not None
            if retire:
                old.stage = DRAINING  # refuses new leases
            self._changed.notify_all()
        log.info("default engine is now %s (was %s)", slot.name, previous)
        return old if retire else None

    def _drain_and_unload(self, slot: EngineSlot) -> None:
        with self._changed:
            if slot.in_flight:
                log.info("waiting for %d request(s) on %s before unloading it", slot.in_flight, slot.name)
            self._changed.wait_for(lambda: slot.in_flight == 0)
        self._unload(slot)

    def _unload(self, slot: EngineSlot) -> None:
        with self._changed:
            engine, slot.stage = slot.engine, UNLOADING
        if engine is not None:
            try:
                unload_engine(engine)
            except Exception:  # the slot is unusable either way; the next load builds a new engine
                log.exception("engine %s failed to unload cleanly", slot.name)
        with self._changed:
            slot.engine, slot.device, slot.memory_bytes = None, None, None
            slot.state, slot.stage = EngineState.UNLOADED, None
        log.info("engine %s unloaded", slot.name)

    # ----------------------------------------------------------------- closing

    def close(self) -> None:
        """Unload every engine (at shutdown). A load still running unloads itself when it ends."""
        with self._changed:
            self._closed = True
            loaded = [slot for slot in self._slots.values() if slot.engine is not None]
        for slot in loaded:
            self._unload(slot)


def _notify(on_done: Callable[[SwitchOutcome], None] | None, outcome: SwitchOutcome) -> None:
    if on_done is None:
        return
    try:
        on_done(outcome)
    except Exception:  # storing the choice failed; the switch itself stands
        log.exception("recording the switch to %s failed", outcome.engine)


def _describe(exc: BaseException) -> str:
    """The reason a load failed, for admins (no stack trace): the engines' messages say what to do."""
    if isinstance(exc, ApiError):
        return exc.detail
    message = str(exc)
    return message if message else type(exc).__name__
