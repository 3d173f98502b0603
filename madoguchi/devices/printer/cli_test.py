"""``madoguchi printer-test``: installer check. Prints a test page (unless --status-only), then one JSON line.

Exit code 0 for OK / PAPER_LOW, 1 otherwise; finishes within 5 s even when the printer never answers.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madoguchi.devices.printer.status import StatusReport

TOTAL_BUDGET_S = 4.5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--printer",
        required=True,
        metavar="URL",
        help="usb://04b8:0e28, serial:///dev/ttyUSB0?baudrate=38400, tcp://HOST:9100, cups://Queue [?profile=...]",
    )
    parser.add_argument("--status-only", action="store_true", help="only query the status, print nothing")


def run(args: argparse.Namespace) -> int:
    from madoguchi.devices.printer.status import PrinterStatus

    report = _check(args.printer, args.status_only)
    print(json.dumps(report.to_json_dict(), ensure_ascii=False), flush=True)
    return 0 if report.status in (PrinterStatus.OK, PrinterStatus.PAPER_LOW) else 1


def _check(url_text: str, status_only: bool) -> StatusReport:
    from datetime import datetime

    from madoguchi.devices.printer.connection import PrinterConnection
    from madoguchi.devices.printer.errors import PrinterError
    from madoguchi.devices.printer.escpos_output import build_ticket_job
    from madoguchi.devices.printer.printer_url import parse_printer_url
    from madoguchi.devices.printer.status import PrinterStatus, StatusReport
    from madoguchi.devices.printer.ticket_layout import render_test_page
    from madoguchi.devices.printer.transports import NetworkTransport, Transport, open_transport

    deadline = time.monotonic() + TOTAL_BUDGET_S

    def left(cap: float) -> float:
        return max(0.1, min(cap, deadline - time.monotonic()))

    try:
        url = parse_printer_url(url_text)
    except PrinterError as exc:
        return StatusReport(PrinterStatus.UNKNOWN, exc.detail)
    transport: Transport = NetworkTransport(url, connect_timeout=1.5) if url.scheme == "tcp" else open_transport(url)
    try:
        transport.open()
    except PrinterError as exc:
        return StatusReport(PrinterStatus.OFFLINE, exc.detail or exc.reason.value)
    try:
        conn = PrinterConnection(transport)
        try:
            report = conn.query_status(timeout=left(2.0))
        except PrinterError as exc:
            return StatusReport(PrinterStatus.OFFLINE, exc.detail or exc.reason.value)
        if status_only or not (report.status.can_print or not transport.reads_status):
            return report
        page = render_test_page(url.profile, url.describe(), datetime.now().strftime("%Y-%m-%d %H:%M:%S"), url_text)
        job = build_ticket_job(page, url.profile, ack_id="9999")
        try:
            conn.write(job.data, timeout=left(2.0))
            transport.end_job()
            confirmed = job.ack_id is not None and conn.wait_for_process_id(job.ack_id, left(1.5))
            if transport.reads_status:
                report = conn.query_status(timeout=left(1.0))
        except PrinterError as exc:
            return StatusReport(PrinterStatus.OFFLINE, f"test page: {exc.detail or exc.reason.value}")
        note = "test page printed" if confirmed else "test page sent (not confirmed by the printer)"
        return StatusReport(report.status, f"{report.detail}; {note}", report.raw)
    finally:
        transport.close()
