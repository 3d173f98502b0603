"""Printing from a Windows kiosk: COM ports, the Windows spooler (raw ESC/POS) and the fonts Windows ships.

Windows cannot run here. The spooler is reached through pywin32's ``win32print``; a hand-written stand-in of
that module (the calls and arguments its documentation gives) hands the RAW document to the real printer
simulator, so what the spooler would pass to the printer is checked as a printed ticket.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.fonts import chain_in, covers, font_chain, font_dirs
from madoguchi.devices.printer.print_worker import JobResult, PrintWorker
from madoguchi.devices.printer.printer_url import parse_printer_url
from madoguchi.devices.printer.simulator import SimulatedPrinter
from madoguchi.devices.printer.status import PrinterStatus
from madoguchi.devices.printer.ticket_layout import TicketContent
from madoguchi.devices.printer.transports import WindowsSpoolerTransport, open_transport, spooler_status

PRINTER = "EPSON TM-T20III Receipt"


class StubSpooler:  # its methods carry win32print's CamelCase names
    """Stand-in for ``win32print``: one named printer whose RAW documents go to a simulated printer."""

    def __init__(self, printer: SimulatedPrinter, status: int = 0, attributes: int = 0) -> None:
        self.printer = printer
        self.status = status
        self.attributes = attributes
        self.documents: list[tuple[str, str | None, str]] = []
        self.open_handles = 0

    def module(self) -> types.ModuleType:
        module = types.ModuleType("win32print")
        for name in (
            "OpenPrinter",
            "ClosePrinter",
            "StartDocPrinter",
            "StartPagePrinter",
            "WritePrinter",
            "EndPagePrinter",
            "EndDocPrinter",
            "GetPrinter",
        ):
            setattr(module, name, getattr(self, name))
        return module

    def OpenPrinter(self, name: str) -> str:
        if name != PRINTER:
            raise OSError(1801, "OpenPrinter", "The printer name is invalid.")
        self.open_handles += 1
        return "handle"

    def ClosePrinter(self, handle: str) -> None:
        self.open_handles -= 1

    def StartDocPrinter(self, handle: str, level: int, info: tuple[str, str | None, str]) -> int:
        assert level == 1
        self.documents.append(info)
        return len(self.documents)

    def StartPagePrinter(self, handle: str) -> None:
        pass

    def WritePrinter(self, handle: str, data: bytes) -> int:
        assert isinstance(data, bytes)
        self.printer.receive(data)
        return len(data)

    def EndPagePrinter(self, handle: str) -> None:
        pass

    def EndDocPrinter(self, handle: str) -> None:
        pass

    def GetPrinter(self, handle: str, level: int) -> dict[str, Any]:
        assert level == 2
        return {"pPrinterName": PRINTER, "Status": self.status, "Attributes": self.attributes}


@pytest.fixture
def spooler(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubSpooler]:
    printer = SimulatedPrinter()
    printer.start()
    stub = StubSpooler(printer)
    monkeypatch.setitem(sys.modules, "win32print", stub.module())
    try:
        yield stub
    finally:
        printer.stop()


def test_com_ports_parse_as_windows_names_them() -> None:
    assert parse_printer_url("serial:///COM3").device == "COM3"
    assert parse_printer_url("serial:///com12?baudrate=9600").device == "COM12"
    assert parse_printer_url("serial:///dev/ttyUSB0").device == "/dev/ttyUSB0"
    with pytest.raises(PrinterError, match="serial:///COM3"):
        parse_printer_url("serial://COM3")


def test_spooler_urls_carry_the_printer_name() -> None:
    url = parse_printer_url("winspool://EPSON%20TM-T20III%20Receipt?profile=TM-T20II")
    assert (url.scheme, url.queue, url.profile.name) == ("winspool", PRINTER, "TM-T20II")
    shared = parse_printer_url("winspool://%5C%5Cprint-server%5CReceipt%201")
    assert shared.queue == "\\\\print-server\\Receipt 1"
    assert isinstance(open_transport(url), WindowsSpoolerTransport)
    with pytest.raises(PrinterError, match="Printer%20Name"):
        parse_printer_url("winspool://")


def test_without_pywin32_the_spooler_is_not_supported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "win32print", None)  # as on Linux: pywin32 installs on Windows only
    with pytest.raises(PrinterError) as info:
        open_transport(parse_printer_url(f"winspool://{PRINTER}")).open()
    assert info.value.reason is PrinterErrorReason.NOT_SUPPORTED


def test_a_ticket_goes_through_the_spooler_as_one_raw_document(spooler: StubSpooler, content: TicketContent) -> None:
    worker = PrintWorker(f"winspool://{PRINTER.replace(' ', '%20')}", idle_poll_s=3600)
    worker.start()
    try:
        result = worker.submit("A-015", content=content).result(30)
    finally:
        worker.stop()
    assert result == JobResult("A-015", True)
    assert spooler.documents == [("Madoguchi ticket", None, "RAW")]
    job = spooler.printer.wait_for_jobs(1)[-1]
    assert job.complete and job.qr_payloads == [content.status_url]
    assert spooler.open_handles == 0


def test_an_unknown_printer_name_is_not_found(spooler: StubSpooler) -> None:
    with pytest.raises(PrinterError) as info:
        open_transport(parse_printer_url("winspool://Nobody")).open()
    assert info.value.reason is PrinterErrorReason.NOT_FOUND


@pytest.mark.parametrize(
    ("status", "attributes", "expected"),
    [
        (0, 0, PrinterStatus.UNKNOWN),  # a driver that reports nothing is not claimed to be fine
        (0x10, 0, PrinterStatus.PAPER_OUT),
        (0x400000, 0, PrinterStatus.COVER_OPEN),
        (0x80, 0, PrinterStatus.OFFLINE),
        (0, 0x400, PrinterStatus.OFFLINE),  # "use printer offline"
        (0x10 | 0x80, 0, PrinterStatus.PAPER_OUT),  # the most useful reason wins
    ],
)
def test_spooler_status_flags(spooler: StubSpooler, status: int, attributes: int, expected: PrinterStatus) -> None:
    assert spooler_status(status, attributes).status is expected
    spooler.status, spooler.attributes = status, attributes
    transport = open_transport(parse_printer_url(f"winspool://{PRINTER}"))
    assert transport.queue_report().status is expected


def test_windows_font_folders() -> None:
    env = {"WINDIR": r"C:\Windows", "LOCALAPPDATA": r"C:\Users\kiosk\AppData\Local"}
    assert font_dirs("win32", env) == (
        Path(r"C:\Windows") / "Fonts",
        Path(r"C:\Users\kiosk\AppData\Local") / "Microsoft" / "Windows" / "Fonts",
    )
    shipped = {"MADOGUCHI_FONT_DIR": "/opt/madoguchi/fonts"}
    assert font_dirs("linux", shipped)[0] == Path("/opt/madoguchi/fonts")


@pytest.fixture
def windows_fonts(tmp_path: Path) -> Path:
    """A Fonts folder with Windows 10's file names (filled with the Debian fonts' files, which cover the same)."""
    debian = font_dirs("linux", {})
    sources = {
        "YuGothR.ttc": "NotoSansCJK-Regular.ttc",
        "YuGothB.ttc": "NotoSansCJK-Bold.ttc",
        "Nirmala.ttf": "NotoSansDevanagari-Regular.ttf",
        "NirmalaB.ttf": "NotoSansDevanagari-Bold.ttf",
        "segoeui.ttf": "NotoSans-Regular.ttf",
        "segoeuib.ttf": "NotoSans-Bold.ttf",
    }
    fonts = tmp_path / "Fonts"
    fonts.mkdir()
    for windows_name, debian_name in sources.items():
        source = next(folder / debian_name for folder in debian if (folder / debian_name).is_file())
        (fonts / windows_name).symlink_to(source)
    return fonts


def test_every_language_prints_with_the_fonts_windows_ships(windows_fonts: Path) -> None:
    samples = {"ja": "住民票の写し", "ko": "주민등록", "zh-Hans": "户籍证明", "ne": "बसोबास प्रमाणपत्र", "vi": "Giấy tờ"}
    for language, text in samples.items():
        for bold in (False, True):
            chain = chain_in([windows_fonts], language, bold)
            assert all(Path(face.path).parent == windows_fonts for face in chain)
            assert all(any(covers(face, c) for face in chain) for c in text if not c.isspace()), language
    assert Path(chain_in([windows_fonts], "ne")[0].path).name == "Nirmala.ttf"
    assert Path(chain_in([windows_fonts], "ja", bold=True)[0].path).name == "YuGothB.ttc"
    assert Path(font_chain("ja")[0].path).name == "NotoSansCJK-Regular.ttc"
