"""Kiosk benchmark: cold start to the first screen, and touch "issue" → ticket bytes at the printer simulator.

    .venv/bin/python bench/kiosk.py [--tickets 200]

Runs a real hall server and the printer simulator on loopback, and the kiosk offscreen. Prints figures; never
fails on time. The kiosk's own RSS is measured in the cold-start child (the touch → bytes loop shares its process
with the printer simulator, so its RSS line is not the kiosk's). Targets (issue 8): start < 2 s, touch → bytes
p95 < 500 ms, RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHILD = r"""
import os, sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from madoguchi.apps.kiosk.app import DeviceConfig, build_devices
from madoguchi.apps.kiosk.main_window import KioskWindow
from madoguchi.apps.kiosk.settings import KioskSettings
from madoguchi.client.hall_client import HallClient
card, scanner, printer = build_devices(DeviceConfig(printer=sys.argv[3]))
window = KioskWindow(HallClient(sys.argv[1], sys.argv[2]), card, scanner, printer, KioskSettings(speech=False))
window.resize(1920, 1080)
window.show()
window.start()
while not (window.ctx.hall is not None and window.current_name() == "welcome"):
    app.processEvents()
    time.sleep(0.001)
window.repaint()
app.processEvents()
ready = time.perf_counter()
def rss_kb():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(f"READY {ready - t0:.4f} {rss_kb()} {time.process_time():.4f}", flush=True)
done = []
window.flow.printed.connect(lambda _n, ok: done.append(ok))
def ticket(language):
    window.flow.go_welcome()
    window.flow.set_language(language)
    window.flow.begin()
    before = len(done)
    window.flow.choose_service("tenkyo")
    limit = time.perf_counter() + 20
    while len(done) == before and time.perf_counter() < limit:
        app.processEvents()
        time.sleep(0.001)
ticket("ja")
window._warm_up()  # what the start-up timer does on a worker: measured as a kiosk that has run a while
print(f"FIRST {rss_kb()}", flush=True)
for language in ("en", "zh-Hans", "ko", "pt-BR", "es", "vi", "tl", "ne", "ja-easy"):
    ticket(language)
print(f"ALL {rss_kb()} {sum(done)}/{len(done)}", flush=True)
window.shutdown()
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def cold_start(base_url: str, token: str, printer_url: str, runs: int = 3) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    walls, inside, rss, cpu = [], [], [], []
    rss_first: list[float] = []
    rss_all: list[float] = []
    printed_ok = "?"
    for _ in range(runs):
        t0 = time.perf_counter()
        ready_at = None
        lines: list[str] = []
        with tempfile.TemporaryFile("w+") as err:
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD, base_url, token, printer_url],
                env=env,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                cwd=REPO,
            )
            assert child.stdout is not None
            for text in child.stdout:  # READY arrives when the first screen is up; the tickets come after it
                if text.startswith("READY") and ready_at is None:
                    ready_at = time.perf_counter()
                lines.append(text.strip())
            child.wait(timeout=120)
            err.seek(0)
            stderr = err.read()
        line = next((x for x in lines if x.startswith("READY")), None)
        if line is None or ready_at is None:
            print(stderr[-2000:])
            raise SystemExit("kiosk did not start")
        _, inner, kb, cpu_s = line.split()
        after = {x.split()[0]: x.split()[1:] for x in lines if x.startswith(("FIRST", "ALL"))}
        if "FIRST" in after and "ALL" in after:
            rss_first.append(int(after["FIRST"][0]) / 1024)
            rss_all.append(int(after["ALL"][0]) / 1024)
            printed_ok = after["ALL"][1]
        cpu.append(float(cpu_s) * 1000)
        walls.append((ready_at - t0) * 1000)
        inside.append(float(inner) * 1000)
        rss.append(int(kb) / 1024)
    print(f"cold start to first screen (process spawn + imports + hall loaded), {runs} runs:")
    print(f"  wall from spawn, incl. interpreter:   median {statistics.median(walls):.0f} ms")
    print(f"  inside the process, to first screen:   median {statistics.median(inside):.0f} ms")
    print(f"  CPU time of the process to that point: median {statistics.median(cpu):.0f} ms (load-independent)")
    print(f"  RSS at first screen:                  median {statistics.median(rss):.0f} MB")
    if rss_first:
        print(f"  RSS after its first ticket (fonts warm): median {statistics.median(rss_first):.0f} MB")
        all_mb = statistics.median(rss_all)
        print(f"  RSS after a ticket in each language:   median {all_mb:.0f} MB ({printed_ok} printed)")


def touch_to_bytes(base_url: str, token: str, sim: object, tickets: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from madoguchi.apps.kiosk.main_window import KioskWindow
    from madoguchi.apps.kiosk.settings import KioskSettings
    from madoguchi.client.hall_client import HallClient
    from madoguchi.core.process_memory import rss_kb
    from madoguchi.devices.card.interface import NoCardReader
    from madoguchi.devices.printer.worker_printer import WorkerPrinter
    from madoguchi.devices.scanner.interface import NoScanner
    from madoguchi.qt.read_aloud import ReadAloud

    app = QApplication.instance() or QApplication([])
    printer = sim.printer  # type: ignore[attr-defined]
    job_done: dict[int, float] = {}
    printer.job_listeners.append(lambda job: job_done.setdefault(job.index, time.perf_counter()))
    window = KioskWindow(
        HallClient(base_url, token),
        NoCardReader(),
        NoScanner(),
        WorkerPrinter(sim.url),  # type: ignore[attr-defined]
        KioskSettings(speech=False, heartbeat_seconds=3600),
        speaker=ReadAloud(None, audio=False),
    )
    window.resize(1920, 1080)
    window.show()
    window.start()
    loop = QEventLoop()
    while window.ctx.hall is None:
        app.processEvents()
        time.sleep(0.001)
    issued_ms: list[float] = []
    sent_ms: list[float] = []
    printed_ms: list[float] = []
    failures = 0
    state: dict[str, float] = {}
    window.flow.issued.connect(lambda _n: state.__setitem__("issued", time.perf_counter()))

    def on_printed(_number: str, ok: bool) -> None:
        state["sent"] = time.perf_counter()
        state["ok"] = 1.0 if ok else 0.0
        loop.quit()

    window.flow.printed.connect(on_printed)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    for i in range(tickets):
        window.flow.go_welcome()
        window.flow.begin()
        jobs_before = len(printer.jobs)
        state.clear()
        t0 = time.perf_counter()
        window.flow.choose_service("tenkyo")  # the touch on a procedure without questions issues at once
        guard.start(10000)
        loop.exec()
        if not state.get("ok"):
            failures += 1
            continue
        printer.wait_for_jobs(jobs_before + 1, timeout=10)
        done = job_done.get(printer.jobs[jobs_before].index, time.perf_counter())
        issued_ms.append((state["issued"] - t0) * 1000)
        sent_ms.append((state["sent"] - t0) * 1000)
        printed_ms.append((done - t0) * 1000)
        if i == 0:
            print(f"  first ticket {len(printer.jobs[jobs_before].image.tobytes())} bytes of raster")
    window.shutdown()
    print(f"touch 'issue' → ticket, {tickets} tickets ({failures} failed):")
    for label, values in (
        ("server confirmed the number", issued_ms),
        ("printer confirmed the job (GS ( H)", sent_ms),
        ("simulator finished the job", printed_ms),
    ):
        if values:
            print(
                f"  {label:36s} p50 {percentile(values, 50):6.1f} ms   p95 {percentile(values, 95):6.1f} ms"
                f"   max {max(values):6.1f} ms"
            )
    print(f"  RSS after {tickets} tickets (this process, incl. simulator): {(rss_kb() or 0) / 1024:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--start-runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from madoguchi.apps.kiosk.demo_material import always_open_config
    from madoguchi.client.local_server import HallServerProcess
    from madoguchi.devices.printer.sim_harness import running_simulator

    with tempfile.TemporaryDirectory() as tmp:
        cfg = always_open_config(Path(tmp) / "cfg", rate_per_minute=1000)
        srv = HallServerProcess(Path(tmp) / "hall", config_path=cfg).start()
        try:
            with running_simulator() as sim:
                cold_start(srv.base_url, srv.tokens["kiosk-2"], sim.url, args.start_runs)
                touch_to_bytes(srv.base_url, srv.tokens["kiosk-1"], sim, args.tickets)
        finally:
            srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
