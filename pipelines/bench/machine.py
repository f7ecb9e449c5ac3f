"""The machine a figure was measured on: without it a timing means nothing."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path

_PACKAGES = (
    "duckdb",
    "polars",
    "pandas",
    "pyarrow",
    "dagster",
    "dbt-core",
    "dbt-duckdb",
    "great-expectations",
)


def _proc_field(path: str, name: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == name:
                return value.strip()
    except OSError:
        return None
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict:
    mem_kib = _proc_field("/proc/meminfo", "MemTotal")
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return {
        "cpu_model": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or None,
        "cores_online": os.cpu_count(),
        "cores_usable": len(usable),  # what this process may run on (affinity / container limit)
        "ram_gib": round(int(mem_kib.split()[0]) / 2**20, 1) if mem_kib else None,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "versions": {p: _version(p) for p in _PACKAGES},
    }
