"""Memory readings for `info()` and the benchmark."""

from __future__ import annotations

import os
import resource
from typing import Any


def process_rss_bytes() -> int:
    """Resident memory of this process now (Linux /proc), or its peak where /proc is absent."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return process_peak_rss_bytes()


def process_peak_rss_bytes() -> int:
    """Peak resident memory of this process (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cuda_memory(torch: Any, device_index: int) -> dict[str, int]:
    """Allocated, reserved and peak CUDA memory of one device, in bytes."""
    return {
        "gpu_allocated_bytes": int(torch.cuda.memory_allocated(device_index)),
        "gpu_reserved_bytes": int(torch.cuda.memory_reserved(device_index)),
        "gpu_peak_bytes": int(torch.cuda.max_memory_allocated(device_index)),
    }
