"""Harness for tests, the demo and the benchmark: a simulated printer on a free loopback port or a pty."""

from __future__ import annotations

import os
import tty
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from printers.profiles import PrinterProfile, get_profile
from printers.sim_links import FdPrinterLink, TcpPrinterServer
from printers.simulator import SimState, SimulatedPrinter


@dataclass
class RunningSimulator:
    printer: SimulatedPrinter
    url: str  # printer URL to hand to PrintWorker / printer-test, with the matching ?profile=
    profile: PrinterProfile


@contextmanager
def running_simulator(
    profile: str | PrinterProfile = "TM-T20II",
    state: SimState | str = SimState.OK,
    speed_mm_s: float | None = None,
    out_dir: Path | None = None,
) -> Iterator[RunningSimulator]:
    """Start a simulator sized for ``profile`` on 127.0.0.1:<free port>; stops it on exit."""
    prof = profile if isinstance(profile, PrinterProfile) else get_profile(profile)
    printer = SimulatedPrinter(prof.width_dots, prof.dpi, state, speed_mm_s, out_dir)
    printer.start()
    server = TcpPrinterServer(printer)
    server.start()
    try:
        yield RunningSimulator(printer, f"tcp://127.0.0.1:{server.port}?profile={prof.name}", prof)
    finally:
        server.stop()
        printer.stop()


@contextmanager
def serial_simulator(
    profile: str | PrinterProfile = "TM-T20II",
    state: SimState | str = SimState.OK,
    out_dir: Path | None = None,
) -> Iterator[RunningSimulator]:
    """Simulator behind a pty pair: the URL is ``serial:///dev/pts/N`` and pyserial opens it like a COM port."""
    prof = profile if isinstance(profile, PrinterProfile) else get_profile(profile)
    master, slave = os.openpty()
    tty.setraw(slave)  # no newline translation or XON/XOFF handling by the line discipline
    printer = SimulatedPrinter(prof.width_dots, prof.dpi, state, None, out_dir)
    printer.start()
    link = FdPrinterLink(printer, master)
    link.start()
    try:
        yield RunningSimulator(printer, f"serial://{os.ttyname(slave)}?baudrate=115200&profile={prof.name}", prof)
    finally:
        link.stop()
        printer.stop()
        os.close(master)
        os.close(slave)
