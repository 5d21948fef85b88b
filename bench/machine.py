"""The machine the figures come from: they mean little without it."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _ram_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpus": os.cpu_count(),
        "usable_cpus": usable,
        "cpu_model": _cpu_model(),
        "ram_bytes": _ram_bytes(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        # Other work on the machine skews every figure; say how busy it was.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def describe(info: dict[str, Any]) -> str:
    ram = f"{info['ram_bytes'] / 2**30:.1f} GiB RAM" if info.get("ram_bytes") else "RAM unknown"
    cpus = f"{info['cpus']} CPUs"
    if info.get("usable_cpus") != info.get("cpus"):
        cpus += f" ({info['usable_cpus']} usable)"
    load = " ".join(f"{x:.1f}" for x in info["load_average_at_start"])
    return (f"{cpus}, {info['cpu_model']}, {ram} · {info['os']} · Python {info['python']} · "
            f"load average at start {load}")
