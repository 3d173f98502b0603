"""Build the kiosk's object graph: the hall client, the devices (real or simulated), the window.

``build_devices`` turns command-line / hall.toml settings into device adapters; a device that is not configured
or not present becomes its "No…" stand-in, so its option disappears and the rest works. Tests and the demo
build ``KioskWindow(client, card, scanner, printer, settings)`` directly with simulators.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from madoguchi.apps.kiosk.devices import CardPort, NoCard, NoPrinter, NoScanner, PrinterPort, ScannerPort

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceConfig:
    printer: str | None = None
    card_reader: str | None = None  # regular expression on reader names; "" = any reader
    allow_virtual_reader: bool = False
    camera: str | None = None


def build_devices(cfg: DeviceConfig) -> tuple[CardPort, ScannerPort, PrinterPort]:
    card: CardPort = NoCard()
    if cfg.card_reader is not None:
        try:
            from madoguchi.apps.kiosk.devices import PcscCardReader

            card = PcscCardReader(cfg.card_reader or None, cfg.allow_virtual_reader)
        except Exception as exc:  # pyscard missing, pcscd library missing: the card option disappears
            log.warning("card reader disabled: %s", type(exc).__name__)
    scanner: ScannerPort = NoScanner()
    if cfg.camera:
        from madoguchi.apps.kiosk.camera import VideoCodeScanner

        # Not probed here: the capture follows the camera (plugged in later, unplugged) on its own threads.
        scanner = VideoCodeScanner(cfg.camera)
    printer: PrinterPort = NoPrinter()
    if cfg.printer:
        from madoguchi.apps.kiosk.devices import WorkerPrinter
        from madoguchi.devices.printer.errors import PrinterError

        try:
            printer = WorkerPrinter(cfg.printer)
        except PrinterError as exc:
            log.warning("printer disabled: %s", exc.reason.value)
    return card, scanner, printer
