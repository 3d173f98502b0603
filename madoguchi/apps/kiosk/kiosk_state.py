"""The one kiosk state a resident meets before starting: ready, degraded, out of service or closed.

``evaluate`` is the whole rule, without Qt or I/O: the state monitor (``state_monitor``) gathers what it needs
from the server, the printer and the devices; screens and the heartbeat only read the result.

- out of service: the server cannot be reached (or cannot write), or the printer cannot print and the hall's
  ``kiosk_when_printer_fails`` is "stop";
- closed: the server says no procedure is open now (today's hours and the next opening are shown);
- degraded: tickets are issued, but something a resident may expect is missing: the printer cannot print (the
  number is shown on screen with the phone QR code, and the welcome screen says so first), or a card reader or
  camera that worked has gone (the screens then stop offering it);
- ready: everything works.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from madoguchi.core import api_models as m

#: printer statuses under which a ticket is printed (``PrinterHealth.status``)
PRINTING = frozenset({"OK", "PAPER_LOW"})


@dataclass(frozen=True)
class KioskStatus:
    state: m.KioskState = "out_of_service"
    #: why it is not "ready": "server", "printer", "card_reader", "camera", "hours"
    reasons: tuple[str, ...] = ("server",)
    #: tickets come out of the printer (False: the number is only on screen)
    printing: bool = False
    #: the hall's opening hours today and the next opening ("HH:MM" today, None: the next opening day)
    hours: tuple[str, str] | None = None
    opens_at: str | None = None

    @property
    def issuing(self) -> bool:
        """A resident may start here (and finish with a number)."""
        return self.state in ("ready", "degraded")


@dataclass(frozen=True)
class Inputs:
    #: the server answered the last probes and can write
    server_ok: bool = False
    hall: m.HallInfo | None = None
    statuses: dict[str, m.ServiceStatus] = field(default_factory=dict)
    #: ``PrinterHealth.status`` ("NONE": no printer configured)
    printer: str = "NONE"
    #: a card reader / camera that worked before and is gone now
    card_reader_lost: bool = False
    camera_lost: bool = False


def evaluate(i: Inputs) -> KioskStatus:
    hall = i.hall
    if not i.server_ok or hall is None:
        return KioskStatus("out_of_service", ("server",), printing=i.printer in PRINTING)
    printing = i.printer in PRINTING
    hours = (hall.opening_start, hall.opening_end)
    reasons: list[str] = []
    if not printing:
        reasons.append("printer")
    if i.card_reader_lost:
        reasons.append("card_reader")
    if i.camera_lost:
        reasons.append("camera")
    if i.statuses and not any(s.open_now for s in i.statuses.values()):
        opens = sorted(s.opens_at for s in i.statuses.values() if s.opens_at)
        return KioskStatus("closed", ("hours", *reasons), printing, hours, opens[0] if opens else None)
    # a kiosk with no printer at all gives numbers on screen by design; "stop" is for a printer that fails
    if not printing and i.printer != "NONE" and hall.kiosk_when_printer_fails == "stop":
        return KioskStatus("out_of_service", tuple(reasons), printing, hours)
    return KioskStatus("degraded" if reasons else "ready", tuple(reasons), printing, hours)
