"""Queue engine throughput and latency on SQLite: a day of 5,000 tickets, one process and four processes.

Prints issues/s and p50/p95 ms per issue and per call-next. Target (2-core machine): ≥ 1,000 issues/s single
process, p95 < 5 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from madoguchi.core.config import EXAMPLE_CONFIG

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from madoguchi.core.config import load_config  # noqa: E402
from madoguchi.server.engine import QueueEngine  # noqa: E402
from madoguchi.server.store import Store  # noqa: E402

CONFIG = EXAMPLE_CONFIG
DAY = 5000


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run_single(db: Path, synchronous: str) -> None:
    cfg = load_config(CONFIG)
    eng = QueueEngine(Store(db, synchronous=synchronous), cfg)  # type: ignore[arg-type]
    services = [s.id for s in cfg.services]
    issue_ms: list[float] = []
    t0 = time.perf_counter()
    for i in range(DAY):
        s = time.perf_counter()
        eng.issue(services[i % len(services)], device="bench", request_id=f"req-{i:08d}")
        issue_ms.append((time.perf_counter() - s) * 1000)
    elapsed = time.perf_counter() - t0
    call_ms: list[float] = []
    counters = [c.number for c in cfg.counters]
    t1 = time.perf_counter()
    calls = 0
    while True:
        progressed = False
        for c in counters:
            s = time.perf_counter()
            t = eng.call_next(c)
            call_ms.append((time.perf_counter() - s) * 1000)
            if t is not None:
                eng.done(t.id, c)
                calls += 1
                progressed = True
        if not progressed:
            break
    call_elapsed = time.perf_counter() - t1
    print(
        f"single process (synchronous={synchronous}): {DAY / elapsed:,.0f} issues/s, "
        f"issue p50 {statistics.median(issue_ms):.2f} ms p95 {pct(issue_ms, 95):.2f} ms; "
        f"call-next p50 {statistics.median(call_ms):.2f} ms p95 {pct(call_ms, 95):.2f} ms "
        f"({calls / call_elapsed:,.0f} call+done/s)"
    )


WORKER = """
import sys, time, json
sys.path.insert(0, {repo!r})
from madoguchi.core.config import load_config
from madoguchi.server.engine import QueueEngine
from madoguchi.server.store import Store
eng = QueueEngine(Store(sys.argv[1]), load_config({config!r}))
n = int(sys.argv[2]); ms = []
for i in range(n):
    s = time.perf_counter(); eng.issue("juminhyo"); ms.append((time.perf_counter() - s) * 1000)
print(json.dumps(ms))
"""


def run_multi(db: Path, procs: int) -> None:
    import json

    Store(db).close()
    code = WORKER.format(repo=str(REPO), config=str(CONFIG))
    t0 = time.perf_counter()
    ps = [
        subprocess.Popen([sys.executable, "-c", code, str(db), str(DAY // procs)], stdout=subprocess.PIPE, text=True)
        for _ in range(procs)
    ]
    all_ms: list[float] = []
    for p in ps:
        all_ms += json.loads(p.communicate()[0])
    elapsed = time.perf_counter() - t0  # includes interpreter start-up of the workers
    store = Store(db)
    n = store.conn.execute("SELECT count(DISTINCT number) FROM tickets").fetchone()[0]
    print(
        f"{procs} processes on one file: {DAY / elapsed:,.0f} issues/s (incl. start-up), "
        f"issue p50 {statistics.median(all_ms):.2f} ms p95 {pct(all_ms, 95):.2f} ms; {n} distinct numbers"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        run_single(Path(d) / "normal.db", "NORMAL")
        run_single(Path(d) / "full.db", "FULL")
        run_multi(Path(d) / "multi.db", 4)


if __name__ == "__main__":
    main()
