"""Ticket printing figures: render time and bytes per width, render+send to the simulator, throughput.

- render: ``render_ticket`` for a fresh ticket (new number and phone URL each time, fonts already loaded).
- bytes: the 1-bit image (width × height / 8) and the ESC/POS job with native QR and with the QR as pixels.
- render+send: render, build the job, write it to the loopback simulator and wait for the printer's
  ``GS ( H`` confirmation (unthrottled simulator: measures our side only).
- throughput: the print worker (status before each ticket, confirmation after) against the simulator
  throttled to 250 mm/s, like a TM-T20 class printer.

Run: .venv/bin/python bench/printing.py
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madoguchi.devices.printer.connection import PrinterConnection
from madoguchi.devices.printer.escpos_output import JobOptions, build_ticket_job
from madoguchi.devices.printer.print_worker import PrintWorker
from madoguchi.devices.printer.printer_url import parse_printer_url
from madoguchi.devices.printer.profiles import get_profile
from madoguchi.devices.printer.sim_harness import running_simulator, sample_content
from madoguchi.devices.printer.ticket_layout import TicketContent, render_ticket
from madoguchi.devices.printer.transports import open_transport

RUNS = 100
THROUGHPUT_TICKETS = 30


def _content(i: int) -> TicketContent:
    base = sample_content("vi")
    return replace(base, number=f"A-{i % 1000:03d}", status_url=f"https://hall.example.jp/t/{i:08d}Xy7Qp2RsT9uVw3")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_render() -> None:
    print("render (ms) and bytes per ticket, language vi (two scripts), fonts warm")
    for name in ("TM-T20II", "TM-T88V", "58mm"):
        profile = get_profile(name)
        render_ticket(_content(0), profile)  # warm-up: font files and glyph coverage tables
        times, cpu, sizes, native, pixels = [], [], [], [], []
        for i in range(RUNS):
            t0, c0 = time.perf_counter(), time.thread_time()
            ticket = render_ticket(_content(i), profile)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
            sizes.append(ticket.image.width * ticket.image.height // 8)
            native.append(len(build_ticket_job(ticket, profile, ack_id="0001").data))
            pixels.append(len(build_ticket_job(ticket, profile, JobOptions(native_qr=False)).data))
        print(
            f"  {name:9s} {profile.width_dots} dots: render p50 {statistics.median(times):5.1f} ms"
            f"  p95 {_pct(times, 0.95):5.1f} ms (CPU p50 {statistics.median(cpu):5.1f} ms)"
            f" | image {statistics.median(sizes) / 1024:5.1f} KB"
            f" | job native QR {statistics.median(native) / 1024:5.1f} KB, QR as image"
            f" {statistics.median(pixels) / 1024:5.1f} KB"
        )


@contextmanager
def _simulator_process() -> Iterator[str]:
    """The simulator in its own process, like a real printer: it must not share our GIL."""
    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "madoguchi", "printer-sim", "--port", "0"],
        cwd=repo,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        found = re.search(r"tcp://\S+", proc.stdout.readline())
        assert found is not None
        yield found.group(0)
    finally:
        proc.terminate()
        proc.wait(10)


def bench_render_send() -> None:
    with _simulator_process() as sim_url:
        url = parse_printer_url(sim_url)
        with open_transport(url) as transport:
            conn = PrinterConnection(transport)
            send_only, total, cpu = [], [], []
            for i in range(RUNS):
                t0, c0 = time.perf_counter(), time.thread_time()
                ticket = render_ticket(_content(i), url.profile)
                job = build_ticket_job(ticket, url.profile, ack_id=f"{i % 10000:04d}")
                conn.write(job.data)
                t1 = time.perf_counter()
                cpu.append((time.thread_time() - c0) * 1000)
                assert job.ack_id is not None and conn.wait_for_process_id(job.ack_id, 10)
                t2 = time.perf_counter()
                send_only.append((t1 - t0) * 1000)
                total.append((t2 - t0) * 1000)
    print("render+send to the simulator (separate process), TM-T20II 576 dots, unthrottled")
    print(
        f"  render+build+write      p50 {statistics.median(send_only):5.1f} ms  p95 {_pct(send_only, 0.95):5.1f} ms"
        f"  (CPU p50 {statistics.median(cpu):5.1f} ms  p95 {_pct(cpu, 0.95):5.1f} ms)"
    )
    print(f"  ... until confirmed     p50 {statistics.median(total):5.1f} ms  p95 {_pct(total, 0.95):5.1f} ms")


def bench_throughput() -> None:
    with running_simulator("TM-T20II", speed_mm_s=250) as sim:
        worker = PrintWorker(sim.url)
        worker.start()
        try:
            worker.submit("warm", content=_content(0)).result(30)
            t0 = time.perf_counter()
            results = [worker.submit(f"A-{i:03d}", content=_content(i)).result(30) for i in range(THROUGHPUT_TICKETS)]
            elapsed = time.perf_counter() - t0
        finally:
            worker.stop()
        ok = sum(r.ok for r in results)
        paper_mm = sim.printer.paper_used_mm / (THROUGHPUT_TICKETS + 1)
    print("print worker against the simulator throttled to 250 mm/s (status check + confirmation per ticket)")
    print(
        f"  {ok}/{THROUGHPUT_TICKETS} printed, {THROUGHPUT_TICKETS / elapsed * 60:5.1f} tickets/minute,"
        f" {elapsed / THROUGHPUT_TICKETS * 1000:5.0f} ms per ticket, {paper_mm:4.0f} mm of paper per ticket"
    )


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with it)")
    t0 = time.perf_counter()
    render_ticket(_content(0), get_profile("TM-T20II"))
    print(f"first render (fonts cold): {(time.perf_counter() - t0) * 1000:.0f} ms")
    bench_render()
    bench_render_send()
    bench_throughput()


if __name__ == "__main__":
    main()
