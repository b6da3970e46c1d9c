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


def nvml_memory(physical_indices: list[int]) -> dict[str, Any]:
    """Used and total memory of whole GPUs, read through NVML (nvidia-ml-py).

    For engines whose GPU memory lives in other processes (vLLM's workers), where this process's
    torch counters read zero. Returns {} where NVML is not installed or finds no driver.
    """
    import importlib

    try:
        nvml: Any = importlib.import_module("pynvml")
        nvml.nvmlInit()
    except Exception:  # no package, or no NVIDIA driver
        return {}
    try:
        used = total = 0
        names = []
        for index in physical_indices:
            handle = nvml.nvmlDeviceGetHandleByIndex(index)
            reading = nvml.nvmlDeviceGetMemoryInfo(handle)
            used, total = used + int(reading.used), total + int(reading.total)
            name = nvml.nvmlDeviceGetName(handle)
            names.append(name.decode() if isinstance(name, bytes) else str(name))
        return {"gpu_used_bytes": used, "gpu_total_bytes": total, "gpu_names": names}
    finally:
        nvml.nvmlShutdown()
