"""How much memory an engine holds, and giving freed memory back to the system after an unload."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)


def engine_memory_bytes(kind: str, info: dict[str, Any], rss_growth: int) -> int | None:
    """GPU memory where the engine reports it, else the growth of this process over the load.

    A remote (`openai`) engine holds no model memory here. The process growth is an estimate: other
    work during the load counts too.
    """
    if kind == "openai":
        return None
    for key in ("gpu_allocated_bytes", "gpu_used_bytes"):
        value = info.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return max(rss_growth, 0)


def release_freed_memory() -> None:
    """Collect garbage and hand freed heap pages back to the operating system.

    glibc keeps the arenas a model's tensors were allocated in (a quantized copy of the weights in
    particular), so without `malloc_trim` the process keeps gigabytes after an unload: measured in
    docs/benchmarks.md, "Engine switching".
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        log.debug("malloc_trim is not available; freed memory stays with the process")
        return None
