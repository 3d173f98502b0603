from __future__ import annotations

import shutil

import pytest

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.printer_url import parse_printer_url
from madoguchi.devices.printer.transports import CupsTransport, UsbTransport, open_transport


def test_usb_device_not_plugged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    import usb.core

    monkeypatch.setattr(usb.core, "find", lambda **_: None)
    with pytest.raises(PrinterError) as info:
        open_transport(parse_printer_url("usb://04b8:0e28")).open()
    assert info.value.reason is PrinterErrorReason.NOT_FOUND


class StubUsbDevice:
    """Hand-written stand-in for a pyusb device: records writes, answers reads from a script."""

    def __init__(self, answers: list[bytes]) -> None:
        self.answers = answers
        self.written: list[tuple[int, bytes]] = []

    def is_kernel_driver_active(self, interface: int) -> bool:
        return False

    def set_configuration(self) -> None:
        pass

    def write(self, endpoint: int, data: bytes, timeout: int) -> int:
        self.written.append((endpoint, bytes(data)))
        return len(data)

    def read(self, endpoint: int, size: int, timeout: int) -> bytes:
        import usb.core

        if not self.answers:
            raise usb.core.USBTimeoutError("timeout", 110, 110)
        return self.answers.pop(0)


def test_usb_uses_the_configured_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    import usb.core
    import usb.util

    device = StubUsbDevice([b"\x12"])
    monkeypatch.setattr(usb.core, "find", lambda **_: device)
    monkeypatch.setattr(usb.util, "dispose_resources", lambda dev: None)
    with UsbTransport(parse_printer_url("usb://04b8:0e28?out_ep=0x02&in_ep=0x81")) as transport:
        transport.write(b"\x10\x04\x01", 1.0)
        assert transport.read(0.1) == b"\x12"
        assert transport.read(0.1) == b""  # silence is not an error
    assert device.written == [(0x02, b"\x10\x04\x01")]


@pytest.mark.skipif(shutil.which("lp") is not None, reason="CUPS client tools installed here")
def test_cups_without_lp_is_not_supported() -> None:
    with pytest.raises(PrinterError) as info:
        CupsTransport(parse_printer_url("cups://Office")).open()
    assert info.value.reason is PrinterErrorReason.NOT_SUPPORTED
