"""The one exception family of the printer adapter, with a reason code a UI can translate."""

from __future__ import annotations

from enum import StrEnum


class PrinterErrorReason(StrEnum):
    """Why printing or talking to the printer failed. ``message_id`` is the catalog key a UI shows."""

    BAD_URL = "bad_url"
    UNKNOWN_PROFILE = "unknown_profile"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    OFFLINE = "offline"
    CONNECTION_LOST = "connection_lost"
    TIMEOUT = "timeout"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    CUTTER_ERROR = "cutter_error"
    IMAGE_TOO_WIDE = "image_too_wide"
    NOT_SUPPORTED = "not_supported"
    STOPPED = "stopped"
    UNKNOWN = "unknown"

    @property
    def message_id(self) -> str:
        return f"printer.error.{self.value}"


class PrinterError(Exception):
    """Raised by every module of ``printers``; ``detail`` is technical text for logs (never personal data)."""

    def __init__(self, reason: PrinterErrorReason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail
