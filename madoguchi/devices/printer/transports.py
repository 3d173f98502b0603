"""Byte transports to a printer: network port 9100, serial (pyserial), USB (pyusb), CUPS (``lp``) and the
Windows spooler (``win32print`` from pywin32, raw ESC/POS).

Every call has a timeout; failures raise ``PrinterError`` with a reason. ``read`` returns ``b""`` when nothing
arrived in time (silence is information, not an error).
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
from abc import ABC, abstractmethod
from typing import Any

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.printer_url import PrinterUrl
from madoguchi.devices.printer.status import PrinterStatus, StatusReport

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 2.0


class Transport(ABC):
    """One open connection to one printer. Not thread-safe: the print worker's thread owns it."""

    #: False when the link cannot carry replies (CUPS, the Windows spooler): status comes from ``queue_report``.
    reads_status: bool = True

    def __init__(self, url: PrinterUrl) -> None:
        self.url = url

    @property
    def description(self) -> str:
        return self.url.describe()

    @abstractmethod
    def open(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def write(self, data: bytes, timeout: float) -> None: ...

    @abstractmethod
    def read(self, timeout: float) -> bytes: ...

    def end_job(self) -> None:  # noqa: B027 - optional hook, most transports write through
        """Called after a job's bytes are written (CUPS submits the job here)."""

    def queue_report(self) -> StatusReport:
        """The status a print queue can give when the link carries no replies (``reads_status`` False)."""
        raise NotImplementedError(f"{type(self).__name__} reads the printer's own status")

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class NetworkTransport(Transport):
    def __init__(self, url: PrinterUrl, connect_timeout: float = CONNECT_TIMEOUT_S) -> None:
        super().__init__(url)
        self.connect_timeout = connect_timeout
        self._sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self._sock = socket.create_connection((self.url.host, self.url.port), timeout=self.connect_timeout)
        except TimeoutError:
            raise PrinterError(PrinterErrorReason.OFFLINE, f"{self.description}: connect timed out") from None
        except OSError as exc:
            raise PrinterError(PrinterErrorReason.OFFLINE, f"{self.description}: {exc.strerror or exc}") from None
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: not connected")
        return self._sock

    def write(self, data: bytes, timeout: float) -> None:
        sock = self._socket()
        sock.settimeout(timeout)
        try:
            sock.sendall(data)
        except TimeoutError:
            raise PrinterError(PrinterErrorReason.TIMEOUT, f"{self.description}: write timed out") from None
        except OSError as exc:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: {exc}") from None

    def read(self, timeout: float) -> bytes:
        sock = self._socket()
        sock.settimeout(max(timeout, 0.0) or 0.0)
        try:
            data = sock.recv(4096)
        except (TimeoutError, BlockingIOError):
            return b""
        except OSError as exc:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: {exc}") from None
        if not data:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: closed by printer")
        return data


class SerialTransport(Transport):
    def __init__(self, url: PrinterUrl) -> None:
        super().__init__(url)
        self._port: Any = None

    def open(self) -> None:
        import serial

        try:
            self._port = serial.Serial(
                self.url.device, self.url.baudrate, timeout=0, write_timeout=5, rtscts=self.url.rtscts
            )
        except serial.SerialException as exc:
            reason = PrinterErrorReason.PERMISSION_DENIED if "ermission" in str(exc) else PrinterErrorReason.NOT_FOUND
            raise PrinterError(reason, f"{self.description}: cannot open") from None

    def close(self) -> None:
        if self._port is not None:
            self._port.close()
            self._port = None

    def write(self, data: bytes, timeout: float) -> None:
        import serial

        if self._port is None:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: not open")
        self._port.write_timeout = timeout
        try:
            self._port.write(data)
            self._port.flush()
        except serial.SerialTimeoutException:
            raise PrinterError(PrinterErrorReason.TIMEOUT, f"{self.description}: write timed out") from None
        except serial.SerialException as exc:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: {exc}") from None

    def read(self, timeout: float) -> bytes:
        import serial

        if self._port is None:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: not open")
        try:
            self._port.timeout = max(timeout, 0.0)
            first = self._port.read(1)
            if not first:
                return b""
            self._port.timeout = 0
            return bytes(first + self._port.read(self._port.in_waiting or 0))
        except serial.SerialException as exc:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: {exc}") from None


class UsbTransport(Transport):
    """Bulk endpoints through pyusb; detaches the kernel ``usblp`` driver while we hold the device."""

    def __init__(self, url: PrinterUrl) -> None:
        super().__init__(url)
        self._dev: Any = None

    def open(self) -> None:
        import usb.core

        try:
            dev = usb.core.find(idVendor=self.url.vendor_id, idProduct=self.url.product_id)
        except usb.core.NoBackendError:
            raise PrinterError(PrinterErrorReason.NOT_SUPPORTED, "libusb is not installed") from None
        if dev is None:
            raise PrinterError(PrinterErrorReason.NOT_FOUND, f"{self.description}: no such USB device")
        try:
            if dev.is_kernel_driver_active(0):
                dev.detach_kernel_driver(0)
            dev.set_configuration()
        except usb.core.USBError as exc:
            reason = PrinterErrorReason.PERMISSION_DENIED if exc.errno == 13 else PrinterErrorReason.OFFLINE
            raise PrinterError(reason, f"{self.description}: {exc.strerror or exc}") from None
        self._dev = dev

    def close(self) -> None:
        if self._dev is not None:
            import usb.util

            usb.util.dispose_resources(self._dev)
            self._dev = None

    def write(self, data: bytes, timeout: float) -> None:
        import usb.core

        if self._dev is None:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: not open")
        try:
            self._dev.write(self.url.out_ep, data, timeout=max(1, int(timeout * 1000)))
        except usb.core.USBTimeoutError:
            raise PrinterError(PrinterErrorReason.TIMEOUT, f"{self.description}: write timed out") from None
        except usb.core.USBError as exc:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: {exc}") from None

    def read(self, timeout: float) -> bytes:
        import usb.core

        if self._dev is None:
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: not open")
        try:
            return bytes(self._dev.read(self.url.in_ep, 64, timeout=max(1, int(timeout * 1000))))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            if exc.errno == 110:  # ETIMEDOUT on some backends
                return b""
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: {exc}") from None


class CupsTransport(Transport):
    """Office printers behind CUPS: the job goes to ``lp -o raw`` when it ends; no replies come back."""

    reads_status = False

    def __init__(self, url: PrinterUrl) -> None:
        super().__init__(url)
        self._job = bytearray()

    def open(self) -> None:
        if shutil.which("lp") is None:
            raise PrinterError(PrinterErrorReason.NOT_SUPPORTED, "CUPS client tools (lp) are not installed")

    def close(self) -> None:
        self._job.clear()

    def write(self, data: bytes, timeout: float) -> None:
        self._job.extend(data)

    def read(self, timeout: float) -> bytes:
        return b""

    def end_job(self) -> None:
        data, self._job = bytes(self._job), bytearray()
        try:
            subprocess.run(
                ["lp", "-s", "-d", self.url.queue, "-o", "raw"], input=data, check=True, timeout=10, capture_output=True
            )
        except subprocess.TimeoutExpired:
            raise PrinterError(PrinterErrorReason.TIMEOUT, f"{self.description}: lp timed out") from None
        except subprocess.CalledProcessError:
            raise PrinterError(PrinterErrorReason.OFFLINE, f"{self.description}: lp refused the job") from None

    def queue_report(self) -> StatusReport:
        accepting, detail = cups_queue_state(self.url.queue)
        return StatusReport(PrinterStatus.UNKNOWN if accepting else PrinterStatus.OFFLINE, detail)


def cups_queue_state(queue: str) -> tuple[bool, str]:
    """(accepting, detail) from ``lpstat``: the only status CUPS can honestly give (no paper sensor)."""
    if shutil.which("lpstat") is None:
        return False, "CUPS client tools (lpstat) are not installed"
    try:
        out = subprocess.run(["lpstat", "-p", queue], capture_output=True, text=True, timeout=3)
    except subprocess.TimeoutExpired:
        return False, "lpstat timed out"
    text = (out.stdout or out.stderr).strip()
    if out.returncode != 0 or "disabled" in text:
        return False, f"CUPS queue {queue} not available"
    return True, f"CUPS queue {queue} enabled; paper state is not reported through CUPS"


# PRINTER_STATUS_* and PRINTER_ATTRIBUTE_WORK_OFFLINE of the Win32 spooler API (winspool.h), most serious first.
_SPOOLER_STATUS = (
    (0x00000010, PrinterStatus.PAPER_OUT),  # PAPER_OUT
    (0x00000040, PrinterStatus.PAPER_OUT),  # PAPER_PROBLEM
    (0x00400000, PrinterStatus.COVER_OPEN),  # DOOR_OPEN
    (0x00000008, PrinterStatus.CUTTER_ERROR),  # PAPER_JAM
    (0x00000080, PrinterStatus.OFFLINE),  # OFFLINE
    (0x00001000, PrinterStatus.OFFLINE),  # NOT_AVAILABLE
    (0x00000002, PrinterStatus.OFFLINE),  # ERROR
    (0x00000001, PrinterStatus.OFFLINE),  # PAUSED
)
_SPOOLER_WORK_OFFLINE = 0x00000400


def spooler_status(status: int, attributes: int) -> StatusReport:
    """Map a spooler printer's ``Status`` and ``Attributes`` (GetPrinter level 2) to our status.

    Drivers report what they know: a generic text driver reports nothing, so a clean queue is UNKNOWN, not OK.
    """
    for flag, mapped in _SPOOLER_STATUS:
        if status & flag:
            return StatusReport(mapped, f"Windows spooler status 0x{status:08x}")
    if attributes & _SPOOLER_WORK_OFFLINE:
        return StatusReport(PrinterStatus.OFFLINE, "the printer is set to 'use printer offline'")
    return StatusReport(PrinterStatus.UNKNOWN, "Windows spooler queue ready; paper state comes from the driver")


class WindowsSpoolerTransport(Transport):
    """A printer of the Windows spooler: each job goes as one RAW document (ESC/POS passes the driver untouched).

    Like CUPS, the spooler carries no replies back; ``queue_report`` reads the queue's status flags.
    """

    reads_status = False

    def __init__(self, url: PrinterUrl) -> None:
        super().__init__(url)
        self._job = bytearray()

    @staticmethod
    def _win32print() -> Any:
        try:
            import win32print  # pywin32, installed on Windows only (pyproject.toml)
        except ImportError:
            raise PrinterError(
                PrinterErrorReason.NOT_SUPPORTED, "winspool:// printers need Windows with pywin32 installed"
            ) from None
        return win32print

    def open(self) -> None:
        win32print = self._win32print()
        try:
            handle = win32print.OpenPrinter(self.url.queue)
        except Exception:  # pywintypes.error: no such printer, or no right to use it
            raise PrinterError(PrinterErrorReason.NOT_FOUND, f"{self.description}: no such printer") from None
        win32print.ClosePrinter(handle)

    def close(self) -> None:
        self._job.clear()

    def write(self, data: bytes, timeout: float) -> None:
        self._job.extend(data)

    def read(self, timeout: float) -> bytes:
        return b""

    def end_job(self) -> None:
        data, self._job = bytes(self._job), bytearray()
        win32print = self._win32print()
        try:
            handle = win32print.OpenPrinter(self.url.queue)
        except Exception:
            raise PrinterError(PrinterErrorReason.NOT_FOUND, f"{self.description}: no such printer") from None
        try:
            win32print.StartDocPrinter(handle, 1, ("Madoguchi ticket", None, "RAW"))
            try:
                win32print.StartPagePrinter(handle)
                written = win32print.WritePrinter(handle, data)
                win32print.EndPagePrinter(handle)
            finally:
                win32print.EndDocPrinter(handle)
        except Exception:
            raise PrinterError(PrinterErrorReason.OFFLINE, f"{self.description}: the spooler refused the job") from None
        finally:
            win32print.ClosePrinter(handle)
        if written != len(data):
            raise PrinterError(PrinterErrorReason.CONNECTION_LOST, f"{self.description}: job written only in part")

    def queue_report(self) -> StatusReport:
        win32print = self._win32print()
        try:
            handle = win32print.OpenPrinter(self.url.queue)
        except Exception:
            return StatusReport(PrinterStatus.OFFLINE, f"{self.description}: no such printer")
        try:
            info = win32print.GetPrinter(handle, 2)
        finally:
            win32print.ClosePrinter(handle)
        return spooler_status(int(info.get("Status", 0)), int(info.get("Attributes", 0)))


def open_transport(url: PrinterUrl) -> Transport:
    """Create (not open) the transport for ``url``."""
    kinds: dict[str, type[Transport]] = {
        "tcp": NetworkTransport,
        "serial": SerialTransport,
        "usb": UsbTransport,
        "cups": CupsTransport,
        "winspool": WindowsSpoolerTransport,
    }
    return kinds[url.scheme](url)
