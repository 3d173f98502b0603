"""The hall server through a long morning rush with everything else at once (tests/support/mixed_load.py).

16 kiosks issuing (some with forms, some reservation check-ins), staff at six counters calling and logging in
and out, configuration reloads, reservations, a purge, backups, statistics, health checks, a day roll and an
``admin restore``. Prints p50/p99/max per route, acknowledged vs stored tickets, stalls over 2 s, 5xx answers,
and the server's exits. Run: ``python bench/mixed_load.py [SECONDS]`` (default 300).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.mixed_load import run_and_check


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 300.0
    with tempfile.TemporaryDirectory(prefix="madoguchi-mixed-") as tmp:
        report, problems, _srv = run_and_check(Path(tmp), seconds)
    print(f"mixed load: {report.seconds:.0f} s, one server process, {report.day_rolls} day roll, "
          f"{report.restarts} restore (stop, restore, start)")  # fmt: skip
    print(report.table())
    print(f"acknowledged tickets: {len(report.acknowledged)}; stored exactly once: {report.stored_once}")
    print(f"requests over 2 s: {len(report.slow())}; 5xx answers: {len(report.server_errors)}; "
          f"server ended on its own: {report.unexpected_exits}")  # fmt: skip
    refused = ", ".join(f"{k} ×{v}" for k, v in sorted(report.refused.items())) or "none"
    print(f"refusals (4xx and outage, expected): {refused}")
    for line in problems[:20]:
        print(f"PROBLEM: {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
