"""Byte transports to a printer: network port 9100, serial (pyserial), USB (pyusb), CUPS (``lp``).

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

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 2.0


class Transport(ABC):
    """One open connection to one printer. Not thread-safe: the print worker's thread owns it."""

    #: False when the link cannot carry replies (CUPS): status comes from the queue state only.
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


def open_transport(url: PrinterUrl) -> Transport:
    """Create (not open) the transport for ``url``."""
    kinds: dict[str, type[Transport]] = {
        "tcp": NetworkTransport,
        "serial": SerialTransport,
        "usb": UsbTransport,
        "cups": CupsTransport,
    }
    return kinds[url.scheme](url)
