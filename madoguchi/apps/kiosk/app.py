"""Build the kiosk's object graph: the hall client, the devices (real or simulated), the window.

``build_devices`` turns command-line / hall.toml settings into device adapters; a device that is not configured
or not present becomes its "No…" stand-in, so its option disappears and the rest works. Tests and the demo
build ``KioskWindow(client, card, scanner, printer, settings)`` directly with simulators.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from madoguchi.devices.card.interface import CardReader, NoCardReader
from madoguchi.devices.printer.interface import NoPrinter, TicketPrinter
from madoguchi.devices.scanner.interface import CodeScanner, NoScanner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceConfig:
    printer: str | None = None
    card_reader: str | None = None  # regular expression on reader names; "" = any reader
    allow_virtual_reader: bool = False
    camera: str | None = None


def build_devices(cfg: DeviceConfig) -> tuple[CardReader, CodeScanner, TicketPrinter]:
    card: CardReader = NoCardReader()
    if cfg.card_reader is not None:
        try:
            from madoguchi.devices.card.qt_reader import PcscCardReader

            card = PcscCardReader(cfg.card_reader or None, cfg.allow_virtual_reader)
        except Exception as exc:  # pyscard missing, pcscd library missing: the card option disappears
            log.warning("card reader disabled: %s", type(exc).__name__)
    scanner: CodeScanner = NoScanner()
    if cfg.camera:
        from madoguchi.devices.scanner.qt_camera import CameraScanner

        # Not probed here: the capture follows the camera (plugged in later, unplugged) on its own threads.
        scanner = CameraScanner(cfg.camera)
    printer: TicketPrinter = NoPrinter()
    if cfg.printer:
        from madoguchi.devices.printer.errors import PrinterError
        from madoguchi.devices.printer.worker_printer import WorkerPrinter

        try:
            printer = WorkerPrinter(cfg.printer)
        except PrinterError as exc:
            log.warning("printer disabled: %s", exc.reason.value)
    return card, scanner, printer
