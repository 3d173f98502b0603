"""Printer profiles: paper width in dots, resolution and the features the ticket pipeline relies on."""

from __future__ import annotations

from dataclasses import dataclass

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason


@dataclass(frozen=True)
class PrinterProfile:
    """What the layout and the ESC/POS builder need to know about a model.

    ``escpos_profile`` names the python-escpos capability profile used when building job bytes.
    ``process_id_response`` means the model answers ``GS ( H`` once everything before it is printed, which is
    how the print worker learns that a ticket really came out.
    """

    name: str
    width_dots: int
    dpi: int
    native_qr: bool
    escpos_profile: str
    partial_cut: bool = True
    process_id_response: bool = True
    auto_status_back: bool = True

    @property
    def dots_per_mm(self) -> float:
        return self.dpi / 25.4

    def mm(self, dots: int) -> float:
        return dots / self.dots_per_mm


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        PrinterProfile("TM-T20II", 576, 203, native_qr=True, escpos_profile="TM-T20II"),
        # No TM-T20III profile in python-escpos 3.1; TM-T20II is the same width and command set.
        PrinterProfile("TM-T20III", 576, 203, native_qr=True, escpos_profile="TM-T20II"),
        PrinterProfile("TM-T88V", 512, 180, native_qr=True, escpos_profile="TM-T88V"),
        PrinterProfile("TM-T88VI", 512, 180, native_qr=True, escpos_profile="TM-T88V"),
        PrinterProfile("TM-T88IV", 512, 180, native_qr=True, escpos_profile="TM-T88IV"),
        # Generic 58 mm printers: raster images only, no trustworthy QR or cutter, no process-ID reply.
        PrinterProfile(
            "58mm",
            384,
            203,
            native_qr=False,
            escpos_profile="POS-5890",
            partial_cut=False,
            process_id_response=False,
            auto_status_back=False,
        ),
    )
}
DEFAULT_PROFILE = "TM-T20II"


def get_profile(name: str | None) -> PrinterProfile:
    """Return the named profile (case-insensitive); ``None`` gives the default TM-T20II class."""
    if name is None:
        return PROFILES[DEFAULT_PROFILE]
    for key, profile in PROFILES.items():
        if key.lower() == name.lower():
            return profile
    known = ", ".join(PROFILES)
    raise PrinterError(PrinterErrorReason.UNKNOWN_PROFILE, f"unknown printer profile {name!r}; known: {known}")
