"""How much memory a process holds, from Linux ``/proc`` (None elsewhere, or once the process has ended).

For the benchmarks and the soak: RSS counts shared pages in full in every process that maps them; PSS splits
them between those processes, so PSS summed over a server's processes is what the machine really gives it.
"""

from __future__ import annotations

from pathlib import Path


def _field_kb(path: str, key: str) -> int | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def rss_kb(pid: int | str = "self") -> int | None:
    return _field_kb(f"/proc/{pid}/status", "VmRSS")


def pss_kb(pid: int | str = "self") -> int | None:
    return _field_kb(f"/proc/{pid}/smaps_rollup", "Pss")
