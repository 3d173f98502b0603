"""Parse printer URLs from hall.toml and the command line into a typed description.

Forms: ``usb://04b8:0e28``, ``serial:///dev/ttyUSB0?baudrate=38400`` (``serial:///COM3`` on Windows),
``tcp://192.168.1.50:9100``, ``cups://QueueName`` (Linux) and ``winspool://Printer%20Name`` (a printer of the
Windows spooler, sent raw ESC/POS); every form accepts ``?profile=TM-T20II``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.profiles import PrinterProfile, get_profile

DEFAULT_TCP_PORT = 9100
DEFAULT_BAUDRATE = 38400
_ALLOWED_QUERY = {
    "usb": {"profile", "in_ep", "out_ep"},
    "serial": {"profile", "baudrate", "rtscts"},
    "tcp": {"profile"},
    "cups": {"profile"},
    "winspool": {"profile"},
}
# Windows names serial ports COM1…COM256; in a URL they follow three slashes like a device path.
_COM_PORT = re.compile(r"/(COM[1-9][0-9]{0,2})", re.IGNORECASE)


@dataclass(frozen=True)
class PrinterUrl:
    scheme: str
    profile: PrinterProfile
    host: str = ""
    port: int = DEFAULT_TCP_PORT
    device: str = ""
    baudrate: int = DEFAULT_BAUDRATE
    rtscts: bool = False
    vendor_id: int = 0
    product_id: int = 0
    in_ep: int = 0x82
    out_ep: int = 0x01
    queue: str = ""

    def describe(self) -> str:
        """Short device name for logs and the health page."""
        if self.scheme == "usb":
            return f"usb {self.vendor_id:04x}:{self.product_id:04x}"
        if self.scheme == "serial":
            return f"serial {self.device}@{self.baudrate}"
        if self.scheme == "tcp":
            return f"tcp {self.host}:{self.port}"
        if self.scheme == "winspool":
            return f"windows printer {self.queue}"
        return f"cups {self.queue}"


def _bad(url: str, why: str) -> PrinterError:
    return PrinterError(PrinterErrorReason.BAD_URL, f"{why} in printer URL {url!r}")


def _int(url: str, key: str, value: str) -> int:
    try:
        return int(value, 0)
    except ValueError:
        raise _bad(url, f"{key}={value!r} is not a number") from None


def parse_printer_url(url: str) -> PrinterUrl:
    """Parse ``url``; raises ``PrinterError(BAD_URL | UNKNOWN_PROFILE)`` with a message saying what is wrong."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _ALLOWED_QUERY:
        raise _bad(url, f"unknown scheme {parts.scheme!r} (use usb://, serial://, tcp://, cups:// or winspool://)")
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in _ALLOWED_QUERY[scheme]:
            allowed = ", ".join(sorted(_ALLOWED_QUERY[scheme]))
            raise _bad(url, f"unknown option {key!r} for {scheme}:// (allowed: {allowed})")
        query[key] = value
    profile = get_profile(query.get("profile"))

    if scheme == "usb":
        vid, sep, pid = parts.netloc.partition(":")
        try:
            vendor_id, product_id = int(vid, 16), int(pid, 16)
        except ValueError:
            raise _bad(url, "expected usb://VVVV:PPPP (hex vendor and product id)") from None
        if not sep or not (0 <= vendor_id <= 0xFFFF and 0 <= product_id <= 0xFFFF):
            raise _bad(url, "expected usb://VVVV:PPPP (hex vendor and product id)")
        return PrinterUrl(
            scheme,
            profile,
            vendor_id=vendor_id,
            product_id=product_id,
            in_ep=_int(url, "in_ep", query.get("in_ep", "0x82")),
            out_ep=_int(url, "out_ep", query.get("out_ep", "0x01")),
        )
    if scheme == "serial":
        device = unquote(parts.path)
        if parts.netloc or not device.startswith("/"):
            raise _bad(url, "expected serial:///dev/ttyXXX or serial:///COM3 (three slashes, then the port)")
        com_port = _COM_PORT.fullmatch(device)
        if com_port:
            device = com_port.group(1).upper()
        baudrate = _int(url, "baudrate", query.get("baudrate", str(DEFAULT_BAUDRATE)))
        if baudrate <= 0:
            raise _bad(url, "baudrate must be positive")
        rtscts = query.get("rtscts", "0").lower() in {"1", "true", "yes"}
        return PrinterUrl(scheme, profile, device=device, baudrate=baudrate, rtscts=rtscts)
    if scheme == "tcp":
        if not parts.hostname:
            raise _bad(url, "expected tcp://HOST[:PORT]")
        try:
            port = parts.port or DEFAULT_TCP_PORT
        except ValueError:
            raise _bad(url, "port is not a number between 0 and 65535") from None
        if parts.path not in ("", "/"):
            raise _bad(url, "unexpected path after tcp://HOST:PORT")
        return PrinterUrl(scheme, profile, host=parts.hostname, port=port)
    queue = unquote(parts.netloc + parts.path).strip("/")
    if scheme == "winspool":
        # Spooler names may hold spaces and, for shared printers, backslashes (\\server\printer): percent-encode.
        if not queue or "/" in queue:
            raise _bad(url, "expected winspool://Printer%20Name (the name Windows shows, percent-encoded)")
        return PrinterUrl(scheme, profile, queue=queue)
    if not queue or "/" in queue:
        raise _bad(url, "expected cups://QueueName")
    return PrinterUrl(scheme, profile, queue=queue)
