from __future__ import annotations

import pytest

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.printer_url import parse_printer_url


def test_usb() -> None:
    url = parse_printer_url("usb://04b8:0e28")
    assert (url.scheme, url.vendor_id, url.product_id, url.profile.name) == ("usb", 0x04B8, 0x0E28, "TM-T20II")
    assert url.describe() == "usb 04b8:0e28"


def test_serial_with_baudrate_and_profile() -> None:
    url = parse_printer_url("serial:///dev/ttyUSB0?baudrate=38400&profile=TM-T88V")
    assert (url.device, url.baudrate, url.profile.width_dots, url.profile.dpi) == ("/dev/ttyUSB0", 38400, 512, 180)


def test_tcp_default_port_and_58mm() -> None:
    url = parse_printer_url("tcp://192.168.1.50?profile=58mm")
    assert (url.host, url.port, url.profile.width_dots, url.profile.native_qr) == ("192.168.1.50", 9100, 384, False)


def test_cups() -> None:
    url = parse_printer_url("cups://Office_Printer")
    assert (url.scheme, url.queue) == ("cups", "Office_Printer")


@pytest.mark.parametrize(
    ("text", "reason", "words"),
    [
        ("lpt://x", PrinterErrorReason.BAD_URL, "unknown scheme"),
        ("usb://04b8", PrinterErrorReason.BAD_URL, "VVVV:PPPP"),
        ("usb://zz:0e28", PrinterErrorReason.BAD_URL, "VVVV:PPPP"),
        ("serial://dev/ttyUSB0", PrinterErrorReason.BAD_URL, "three slashes"),
        ("serial:///dev/ttyUSB0?baudrate=fast", PrinterErrorReason.BAD_URL, "not a number"),
        ("tcp://:9100", PrinterErrorReason.BAD_URL, "HOST"),
        ("tcp://host:99999", PrinterErrorReason.BAD_URL, "port"),
        ("tcp://host?speed=3", PrinterErrorReason.BAD_URL, "unknown option 'speed'"),
        ("cups://", PrinterErrorReason.BAD_URL, "QueueName"),
        ("tcp://host?profile=TM-X", PrinterErrorReason.UNKNOWN_PROFILE, "TM-T20II"),
    ],
)
def test_errors_say_what_is_wrong(text: str, reason: PrinterErrorReason, words: str) -> None:
    with pytest.raises(PrinterError) as info:
        parse_printer_url(text)
    assert info.value.reason is reason
    assert words in str(info.value)
    assert reason.message_id.startswith("printer.error.")
