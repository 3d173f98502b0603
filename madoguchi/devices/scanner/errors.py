"""The scanner's one exception family; ``reason`` is a message id suffix a UI translates."""

from __future__ import annotations

from enum import StrEnum


class ScannerErrorReason(StrEnum):
    CAMERA_UNAVAILABLE = "camera_unavailable"  # the source cannot be opened (unplugged, wrong index, no file)
    SOURCE_INVALID = "source_invalid"  # the configured camera value makes no sense
    FILE_UNREADABLE = "file_unreadable"  # scan CLI: not an image or video OpenCV can read

    @property
    def message_id(self) -> str:
        return f"scanner.error.{self.value}"


class ScannerError(Exception):
    """Raised by the scanner; the message names the device or file, never decoded content."""

    def __init__(self, reason: ScannerErrorReason, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
