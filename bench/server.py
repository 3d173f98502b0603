"""Hall server under load on loopback: issue and call-next throughput and latency, event fan-out delay.

Starts a real server process, then measures with N = 1, 20, 100 concurrent clients (one keep-alive connection
each): issues/s and p50/p95/p99 ms; call-next/s with 20 counters against 2,000 waiting tickets (and checks no
ticket is called twice); the delay from a call to its event at 100 WebSocket subscribers; server start → first
answered request; server RSS under load. Prints figures; never fails on time.

The issue load comes from ``wrk`` (installed by scripts/install-system-packages) when it is there: written in C,
it leaves the second core to the server, where a Python client spent a third of a millisecond per request
itself. The same load from Python (aiohttp) is printed too, for comparison.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from madoguchi.core.config import EXAMPLE_CONFIG

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import aiohttp  # noqa: E402
import httpx  # noqa: E402
import websockets  # noqa: E402

from madoguchi.client.local_server import STAFF_PASSWORD, HallServerProcess, free_port  # noqa: E402
from madoguchi.core.child_process import descendants  # noqa: E402
from madoguchi.core.process_memory import pss_kb, rss_kb  # noqa: E402
from madoguchi.server.accounts import make_device, make_staff  # noqa: E402
from madoguchi.server.store import Store  # noqa: E402

DURATION = 5.0
#: the server as installed (``madoguchi server`` default on two cores); BENCH_WORKERS=1 for the single process
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))] if s else float("nan")


def bench_config(tmp: Path) -> Path:
    """The example hall with 20 counters that all serve every service (for the 20-counter figure)."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    head, _, rest = text.partition("# ---------------------------------------------------------------- counters")
    _, _, tail = rest.partition("# ---------------------------------------------------------------- kiosks")
    services = re.findall(r'^id = "([a-z_]+)"', head, flags=re.M)
    counters = "".join(f"[[counters]]\nnumber = {i}\nservices = {json.dumps(services)}\n\n" for i in range(1, 21))
    path = tmp / "bench-hall.toml"
    path.write_text(head + counters + "# kiosks" + tail, encoding="utf-8")
    return path


def memory_mb(pid: int) -> tuple[float, float, float]:
    """The server's memory: largest RSS of one process, RSS of all its processes, and their PSS (shared pages
    counted once, split between the processes that share them: what the machine really gives the server)."""
    pids = [pid, *descendants(pid)]
    rss = [(rss_kb(p) or 0) / 1024 for p in pids]
    pss = sum(pss_kb(p) or 0 for p in pids) / 1024
    return max(rss), sum(rss), pss


async def issue_load(base: str, tokens: list[str], duration: float) -> tuple[int, list[float], int]:
    # aiohttp as the load generator: httpx's asyncio client spends more CPU per request than the server does,
    # so with 100 clients it measured itself rather than the server.
    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + duration
    connector = aiohttp.TCPConnector(limit=0)

    run = f"{time.time_ns() % 10**9:09d}"  # request ids unique across runs: a repeated one is a retry

    async def one(session: aiohttp.ClientSession, token: str) -> None:
        nonlocal errors
        headers = {"Authorization": f"Bearer {token}"}
        i = 0
        while time.perf_counter() < stop:
            i += 1
            body = {"service_id": "juminhyo", "request_id": f"{run}-{token[:8]}-{i:08d}".replace("_", "x")}
            s = time.perf_counter()
            async with session.post(f"{base}/api/v1/tickets", json=body, headers=headers) as r:
                await r.read()
                status = r.status
            lat.append((time.perf_counter() - s) * 1000)
            if status != 201:
                errors += 1

    t0 = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10)) as session:
        await asyncio.gather(*(one(session, t) for t in tokens))
    elapsed = time.perf_counter() - t0
    return int(len(lat) / elapsed), lat, errors


def wrk_issue_load(base: str, tokens: list[str], duration: float) -> tuple[int, dict[str, float], int] | None:
    """The issue load from wrk (one thread, one connection per client); None when wrk is not installed."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    script = Path(__file__).with_name("wrk_issue.lua")
    out = subprocess.run(
        [wrk, "-t1", f"-c{len(tokens)}", f"-d{duration:.0f}s", "--timeout", "10s", "-s", str(script), base],
        env={**os.environ, "TOKENS": ",".join(tokens)},
        capture_output=True,
        text=True,
        check=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    ms = {k: r[f"{k}_us"] / 1000 for k in ("p50", "p95", "p99", "max")}
    return int(r["requests"] / (r["duration_us"] / 1e6)), ms, int(r["non_2xx"] + r["socket_errors"])


async def call_load(base: str, sessions: list[tuple[str, str, int]]) -> tuple[float, list[float], list[int]]:
    lat: list[float] = []
    called: list[int] = []

    async def one(http: aiohttp.ClientSession, token: str, session: str, counter: int) -> None:
        headers = {"Authorization": f"Bearer {token}", "X-Staff-Session": session}
        while True:
            s = time.perf_counter()
            async with http.post(f"{base}/api/v1/counters/{counter}/call-next", headers=headers) as r:
                body = await r.json()
            lat.append((time.perf_counter() - s) * 1000)
            t = body.get("ticket")
            if t is None:
                return
            called.append(t["id"])
            async with http.post(f"{base}/api/v1/tickets/{t['id']}/done", json={"counter": counter}, headers=headers):
                pass

    t0 = time.perf_counter()
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=10)
    ) as http:
        await asyncio.gather(*(one(http, *s) for s in sessions))
    return len(called) / (time.perf_counter() - t0), lat, called


async def fanout(base: str, display_token: str, staff: tuple[str, str, int], kiosk: str, calls: int) -> list[float]:
    """Delay from sending "call next" to the ticket.called event at each of 100 subscribers."""
    ws_base = base.replace("http://", "ws://")
    sent: dict[int, float] = {}
    arrivals: list[tuple[int, float]] = []
    subs = [await websockets.connect(f"{ws_base}/events?token={display_token}", max_size=2**20) for _ in range(100)]
    expected = calls * len(subs)

    async def listen(ws: websockets.ClientConnection) -> None:
        async for raw in ws:
            at = time.perf_counter()  # before parsing: the 100 listeners share one Python process
            e = json.loads(raw)
            if e["type"] == "ticket.called":
                arrivals.append((e["ticket_id"], at))
                if len(arrivals) >= expected:
                    return

    listeners = [asyncio.create_task(listen(ws)) for ws in subs]
    token, session, counter = staff
    async with (
        httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {kiosk}"}) as k,
        httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}", "X-Staff-Session": session}) as c,
    ):
        for i in range(calls):
            await k.post("/api/v1/tickets", json={"service_id": "inkan", "request_id": f"fan-{i:08d}"})
        for _ in range(calls):
            s = time.perf_counter()
            r = await c.post(f"/api/v1/counters/{counter}/call-next")
            t = r.json()["ticket"]
            sent[t["id"]] = s
            await c.post(f"/api/v1/tickets/{t['id']}/done", json={"counter": counter})
            await asyncio.sleep(0.02)
    await asyncio.wait(listeners, timeout=30)
    for ws in subs:
        await ws.close()
    return [(at - sent[tid]) * 1000 for tid, at in arrivals if tid in sent]


def login(base: str, token: str, staff_id: str, counter: int) -> str:
    r = httpx.post(
        f"{base}/api/v1/staff/login",
        headers={"Authorization": f"Bearer {token}"},
        json={"staff_id": staff_id, "password": STAFF_PASSWORD, "counter": counter},
        timeout=30,
    )
    r.raise_for_status()
    return str(r.json()["session"])


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        srv = HallServerProcess(tmp / "data", config_path=bench_config(tmp), workers=WORKERS)
        srv.provision()
        store = Store(srv.db_path)
        now = time.time()
        admins = [make_device(store, f"load-{i}", "admin", now) for i in range(100)]
        staff_devices = [make_device(store, f"staff-bench-{i}", "staff", now) for i in range(20)]
        for i in range(20):
            make_staff(store, f"b{i}", f"B{i}", STAFF_PASSWORD, now)
        store.close()
        t0, first = start_and_time_first_answer(srv)
        print(
            f"server ({WORKERS} worker process{'es' if WORKERS > 1 else ''}) start → first answered request: "
            f"{(first - t0) * 1000:.0f} ms; every worker listening: {(time.perf_counter() - t0) * 1000:.0f} ms"
        )
        try:
            run_loads(srv, admins, staff_devices)
        finally:
            srv.stop()  # even when a measurement fails: no orphan server keeps running


def start_and_time_first_answer(srv: HallServerProcess) -> tuple[float, float]:
    """Start the server; returns when it was started and when its first answer came (``start`` itself then waits
    for every worker)."""
    first: list[float] = []
    given_up = threading.Event()
    # Built before the start: each new client builds a TLS context (~50 ms of CPU). A probe per attempt kept one of
    # the two cores busy during the start it measured.
    probe = httpx.Client(timeout=0.5, trust_env=False)

    def watch() -> None:
        while not first and not given_up.is_set():
            try:
                probe.get(f"{srv.base_url}/healthz")
                first.append(time.perf_counter())
            except httpx.HTTPError:
                time.sleep(0.005)

    srv.port = srv.port or free_port()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.perf_counter()
    try:
        srv.start()
        watcher.join(5)
    finally:
        given_up.set()
        watcher.join()
        probe.close()
    return started, first[0] if first else time.perf_counter()


def run_loads(srv: HallServerProcess, admins: list[str], staff_devices: list[str]) -> None:
    assert srv.proc is not None
    base = srv.base_url
    peak = [0.0, 0.0, 0.0]  # largest process RSS, all processes RSS, PSS (memory_mb), each at its highest

    def sample_memory() -> None:
        assert srv.proc is not None
        peak[:] = map(max, peak, memory_mb(srv.proc.pid))

    for n in (1, 20, 100):
        got = wrk_issue_load(base, admins[:n], DURATION)
        sample_memory()
        if got is not None:
            rate, ms, errors = got
            print(
                f"issue, {n:>3} clients (wrk): {rate:,} issues/s, p50 {ms['p50']:.1f} ms, p95 {ms['p95']:.1f} ms, "
                f"p99 {ms['p99']:.1f} ms, max {ms['max']:.0f} ms, errors {errors}"
            )
    for n in (1, 20, 100):
        rate, lat, errors = asyncio.run(issue_load(base, admins[:n], DURATION))
        sample_memory()
        print(
            f"issue, {n:>3} clients (aiohttp): {rate:,} issues/s, p50 {statistics.median(lat):.1f} ms, "
            f"p95 {pct(lat, 95):.1f} ms, p99 {pct(lat, 99):.1f} ms, max {max(lat):.0f} ms, errors {errors}"
        )
    # drain what the issue load left, then 2,000 fresh tickets for 20 counters
    store = Store(srv.db_path)
    store.conn.execute("UPDATE tickets SET state = 'cancelled' WHERE state = 'waiting'")
    store.close()
    asyncio.run(issue_load(base, admins[:20], 0.0))
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {admins[0]}"}) as c:
        for i in range(2000):
            c.post("/api/v1/tickets", json={"service_id": "juminhyo", "request_id": f"pre-{i:08d}"})
    sessions = [(staff_devices[i], login(base, staff_devices[i], f"b{i}", i + 1), i + 1) for i in range(20)]
    rate, lat, called = asyncio.run(call_load(base, sessions))
    sample_memory()
    print(
        f"call-next, 20 counters vs 2,000 waiting: {rate:,.0f} calls/s (each with its done), "
        f"p50 {statistics.median(lat):.1f} ms, p95 {pct(lat, 95):.1f} ms, p99 {pct(lat, 99):.1f} ms; "
        f"{len(called)} called, {len(called) - len(set(called))} called twice"
    )
    delays = asyncio.run(fanout(base, srv.tokens["board-1"], sessions[0], admins[1], 50))
    sample_memory()
    print(
        f"call → event at 100 WebSocket subscribers ({len(delays)} deliveries): "
        f"p50 {statistics.median(delays):.1f} ms, "
        f"p95 {pct(delays, 95):.1f} ms, p99 {pct(delays, 99):.1f} ms"
    )
    print(
        f"server memory under load: largest process RSS {peak[0]:.0f} MB; all processes RSS {peak[1]:.0f} MB, "
        f"PSS {peak[2]:.0f} MB"
    )


if __name__ == "__main__":
    main()
