"""Harness for tests, the demo and the benchmark: a simulated printer on a free loopback port or a pty."""

from __future__ import annotations

import datetime as dt
import os
import tty
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from madoguchi.devices.printer.profiles import PrinterProfile, get_profile
from madoguchi.devices.printer.sim_links import FdPrinterLink, TcpPrinterServer
from madoguchi.devices.printer.simulator import SimState, SimulatedPrinter
from madoguchi.devices.printer.ticket_layout import TicketContent

if TYPE_CHECKING:
    from madoguchi.core.config import HallConfig


@dataclass
class RunningSimulator:
    printer: SimulatedPrinter
    url: str  # printer URL to hand to PrintWorker / printer-test, with the matching ?profile=
    profile: PrinterProfile
    server: TcpPrinterServer | None = None


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
        yield RunningSimulator(printer, f"tcp://127.0.0.1:{server.port}?profile={prof.name}", prof, server)
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


#: every shipped language has a sample ticket (``sample_content``)
LANGUAGE_SAMPLES: tuple[str, ...] = ("ja", "en", "zh-Hans", "ko", "pt-BR", "es", "vi", "tl", "ne", "ja-easy")
STATUS_URL = "https://hall.example.jp/t/Xy7Qp2RsT9uVw3"
SAMPLE_ISSUED_AT = dt.datetime(2026, 11, 28, 1, 15, tzinfo=dt.UTC)  # 10:15 in the hall (Asia/Tokyo)


def sample_content(language: str = "ja", number: str = "A-015") -> TicketContent:
    """The ticket the kiosk prints for the example hall's 住民票 in ``language``: texts from the catalogs and the
    example hall, the date in the hall's time zone, easy Japanese on paper as plain Japanese (read by staff too).
    For tests, the benchmark, the demo and the soak test; the kiosk builds its own from the server's answer."""
    from madoguchi.core.config import localized
    from madoguchi.translations.catalog import translate
    from madoguchi.translations.formatting import format_datetime
    from madoguchi.translations.wait_text import format_wait_range

    lang = "ja" if language == "ja-easy" else language
    hall = _example_hall()
    service = hall.service("juminhyo")
    areas = [hall.counter_area(c) for c in hall.counters if service.id in c.services]
    area = "・".join(dict.fromkeys(localized(a, lang) for a in areas if a))
    return TicketContent(
        hall_name=localized(hall.hall.name, "ja"),
        number=number,
        service_name_ja=localized(service.name, "ja"),
        service_name_local=localized(service.name, lang),
        people_ahead=translate(lang, "print.ticket.people_ahead", count=3),
        estimate=translate(lang, "kiosk.estimate.line", range=format_wait_range(lang, 20, 30)),
        status_url=STATUS_URL,
        issued_at=translate(
            lang, "print.ticket.issued_at", time=format_datetime(lang, SAMPLE_ISSUED_AT, hall.hall.timezone)
        ),
        guidance=translate(lang, "print.ticket.keep"),
        language=lang,
        wait_area=translate(lang, "kiosk.ticket.wait_area", area=area) if area else "",
        number_label=translate(lang, "print.ticket.title"),
        qr_caption=translate(lang, "print.ticket.qr_hint"),
    )


@cache
def _example_hall() -> HallConfig:
    from madoguchi.core.config import EXAMPLE_CONFIG, load_config

    return load_config(EXAMPLE_CONFIG)
