"""The print worker: one thread owns the printer connection, prints jobs in order and watches the status.

Status is asked before every ticket and every ``idle_poll_s`` when idle (never between the bytes of a job);
ASB messages are picked up between jobs where the profile supports them. A job ends ``done`` when the
printer confirms it (``GS ( H`` process-ID reply) or ``failed`` with a reason; a failed ticket stays valid
and can be reprinted. Callbacks run on the worker thread: a UI must hop to its own thread (see ``qt_bridge``).
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from madoguchi.devices.printer.connection import PrinterConnection
from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.escpos_output import JobBytes, JobOptions, build_kanji_text_job, build_ticket_job
from madoguchi.devices.printer.printer_url import PrinterUrl, parse_printer_url
from madoguchi.devices.printer.profiles import PrinterProfile
from madoguchi.devices.printer.replies import AutoStatus
from madoguchi.devices.printer.status import PrinterStatus, StatusReport, interpret_asb
from madoguchi.devices.printer.ticket_layout import RenderedTicket, TicketContent, render_ticket
from madoguchi.devices.printer.transports import Transport, open_transport

log = logging.getLogger(__name__)

ASB_ENABLE = b"\x1da\x0e"  # GS a: online/offline, error and paper-sensor changes
SLOWEST_SPEED_MM_S = 40.0  # for deadlines: slower than any thermal printer we support
_STATUS_TO_REASON = {
    PrinterStatus.PAPER_OUT: PrinterErrorReason.PAPER_OUT,
    PrinterStatus.COVER_OPEN: PrinterErrorReason.COVER_OPEN,
    PrinterStatus.CUTTER_ERROR: PrinterErrorReason.CUTTER_ERROR,
    PrinterStatus.OFFLINE: PrinterErrorReason.OFFLINE,
    PrinterStatus.UNKNOWN: PrinterErrorReason.UNKNOWN,
}


@dataclass(frozen=True)
class JobResult:
    job_id: str
    ok: bool
    reason: PrinterErrorReason | None = None
    detail: str = ""
    reprint: bool = False


@dataclass
class _Job:
    job_id: str
    ticket: RenderedTicket | None
    content: TicketContent | None
    reprint: bool
    future: Future[JobResult]


@dataclass
class _StatusRequest:
    future: Future[StatusReport]


class _Stop:
    pass


class PrintWorker:
    def __init__(
        self,
        printer_url: str | PrinterUrl,
        *,
        options: JobOptions | None = None,
        on_status_changed: Callable[[StatusReport], None] | None = None,
        on_job_finished: Callable[[JobResult], None] | None = None,
        idle_poll_s: float = 30.0,
        status_timeout_s: float = 2.5,
        transport_factory: Callable[[PrinterUrl], Transport] = open_transport,
        keep_jobs: int = 50,
    ) -> None:
        self.url = parse_printer_url(printer_url) if isinstance(printer_url, str) else printer_url
        self.options = options or JobOptions()
        self.idle_poll_s = idle_poll_s
        self.status_timeout_s = status_timeout_s
        self._factory = transport_factory
        self._keep_jobs = keep_jobs
        self.status_listeners: list[Callable[[StatusReport], None]] = []
        self.job_listeners: list[Callable[[JobResult], None]] = []
        if on_status_changed is not None:
            self.status_listeners.append(on_status_changed)
        if on_job_finished is not None:
            self.job_listeners.append(on_job_finished)
        self._status = StatusReport(PrinterStatus.UNKNOWN, "not checked yet")
        self._queue: queue.Queue[_Job | _StatusRequest | _Stop] = queue.Queue()
        self._conn: PrinterConnection | None = None
        self._asb_on = False
        self._history: OrderedDict[str, tuple[RenderedTicket | None, TicketContent | None]] = OrderedDict()
        self._history_lock = threading.Lock()
        self._ack_ids = itertools.count(1)
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ public API (any thread)
    @property
    def profile(self) -> PrinterProfile:
        return self.url.profile

    @property
    def status(self) -> StatusReport:
        return self._status

    def available(self) -> bool:
        """True when the last known status allows printing (OK or PAPER_LOW)."""
        return self._status.status.can_print

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"print-worker {self.url.describe()}", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            self._queue.put(_Stop())
            self._thread.join(timeout)
            self._thread = None

    def submit(
        self, job_id: str, ticket: RenderedTicket | None = None, content: TicketContent | None = None
    ) -> Future[JobResult]:
        """Queue a ticket. Pass the preview image the kiosk already rendered, or only ``content`` to render here.

        ``content`` is kept (in memory, last ``keep_jobs`` tickets) so ``reprint`` can mark the copy.
        """
        if ticket is None and content is None:
            raise ValueError("submit needs a rendered ticket or its content")
        return self._enqueue(job_id, ticket, content, reprint=False)

    def reprint(self, job_id: str) -> Future[JobResult]:
        """Print a ticket again, marked as a reprint. Raises KeyError for a job this worker never saw."""
        with self._history_lock:
            ticket, content = self._history[job_id]
        return self._enqueue(job_id, None if content is not None else ticket, content, reprint=True)

    def check_status(self) -> Future[StatusReport]:
        """Ask the printer now (queued behind running jobs, never in the middle of one)."""
        future: Future[StatusReport] = Future()
        self._queue.put(_StatusRequest(future))
        return future

    # ------------------------------------------------------------------ worker thread
    def _enqueue(
        self, job_id: str, ticket: RenderedTicket | None, content: TicketContent | None, reprint: bool
    ) -> Future[JobResult]:
        with self._history_lock:
            if not reprint:
                self._history[job_id] = (ticket, content)
                while len(self._history) > self._keep_jobs:
                    self._history.popitem(last=False)
        future: Future[JobResult] = Future()
        self._queue.put(_Job(job_id, ticket, content, reprint, future))
        return future

    def _run(self) -> None:
        next_poll = 0.0
        while True:
            wait = max(0.0, next_poll - time.monotonic())
            if self._asb_on:
                wait = min(wait, 0.25)
            try:
                item = self._queue.get(timeout=wait)
            except queue.Empty:
                item = None
            try:
                if isinstance(item, _Stop):
                    break
                if isinstance(item, _Job):
                    self._print(item)
                    next_poll = time.monotonic() + self.idle_poll_s
                elif isinstance(item, _StatusRequest):
                    item.future.set_result(self._poll_status())
                    next_poll = time.monotonic() + self.idle_poll_s
                elif time.monotonic() >= next_poll:
                    self._poll_status()
                    next_poll = time.monotonic() + self.idle_poll_s
                else:
                    self._read_auto_status()
            except Exception:  # the worker must survive anything a printer or a listener does
                log.exception("print worker error")
                self._disconnect()
        self._disconnect()

    def _connection(self) -> PrinterConnection:
        if self._conn is None:
            transport = self._factory(self.url)
            transport.open()
            self._conn = PrinterConnection(transport)
            self._asb_on = False
            if self.profile.auto_status_back and transport.reads_status:
                transport.write(ASB_ENABLE, 2.0)
                self._asb_on = True
        return self._conn

    def _disconnect(self) -> None:
        if self._conn is not None:
            try:
                self._conn.transport.close()
            except Exception:
                log.debug("closing printer transport failed", exc_info=True)
            self._conn = None
            self._asb_on = False

    def _set_status(self, report: StatusReport) -> None:
        previous, self._status = self._status, report
        if report.status != previous.status:
            log.info("printer %s status %s (%s)", self.url.describe(), report.status.value, report.detail)
            for listener in list(self.status_listeners):
                try:
                    listener(report)
                except Exception:
                    log.exception("printer status listener failed")

    def _poll_status(self, timeout: float | None = None) -> StatusReport:
        timeout = self.status_timeout_s if timeout is None else timeout
        report: StatusReport | None = None
        for attempt in (1, 2):  # a printer that rebooted or dropped the socket gets one fresh connection
            try:
                report = self._connection().query_status(timeout)
                break
            except PrinterError as exc:
                self._disconnect()
                report = StatusReport(PrinterStatus.OFFLINE, exc.detail or exc.reason.value)
                if exc.reason is not PrinterErrorReason.CONNECTION_LOST or attempt == 2:
                    break
        assert report is not None
        self._set_status(report)
        return report

    def _read_auto_status(self) -> None:
        if self._conn is None:
            return
        try:
            messages: list[AutoStatus] = self._conn.take_auto_status()
        except PrinterError as exc:
            self._disconnect()
            self._set_status(StatusReport(PrinterStatus.OFFLINE, exc.detail))
            return
        if messages:
            self._set_status(interpret_asb(messages[-1].data))

    def _finish(self, job: _Job, result: JobResult) -> None:
        if result.ok:
            log.info("ticket %s printed%s", job.job_id, " (reprint)" if job.reprint else "")
        else:
            log.warning("ticket %s not printed: %s (%s)", job.job_id, result.reason, result.detail)
        job.future.set_result(result)
        for listener in list(self.job_listeners):
            try:
                listener(result)
            except Exception:
                log.exception("print job listener failed")

    def _print(self, job: _Job) -> None:
        def failed(reason: PrinterErrorReason, detail: str) -> None:
            self._finish(job, JobResult(job.job_id, False, reason, detail, job.reprint))

        status = self._poll_status()
        if self._conn is None:
            return failed(PrinterErrorReason.OFFLINE, status.detail)
        if self._conn.transport.reads_status and not status.status.can_print:
            return failed(_STATUS_TO_REASON[status.status], status.detail)
        ack_id = f"{next(self._ack_ids) % 10000:04d}"
        try:
            if self.options.kanji_text and job.content is not None and job.content.language in ("ja", "ja-easy"):
                data = build_kanji_text_job(job.content, self.profile, ack_id=ack_id, reprint=job.reprint)
            else:
                ticket = job.ticket
                if ticket is None:
                    assert job.content is not None
                    ticket = render_ticket(job.content, self.profile, reprint=job.reprint)
                data = build_ticket_job(ticket, self.profile, self.options, ack_id=ack_id)
            self._send(data)
        except PrinterError as exc:
            if exc.reason in (PrinterErrorReason.CONNECTION_LOST, PrinterErrorReason.TIMEOUT):
                self._disconnect()
            report = self._poll_status(timeout=1.0) if exc.reason is not PrinterErrorReason.IMAGE_TOO_WIDE else None
            reason = exc.reason
            if report is not None and report.status in (PrinterStatus.PAPER_OUT, PrinterStatus.COVER_OPEN):
                reason = _STATUS_TO_REASON[report.status]
            return failed(reason, exc.detail)
        self._finish(job, JobResult(job.job_id, True, reprint=job.reprint))

    def _send(self, job: JobBytes) -> None:
        """Write the job and wait until the printer confirms it or reports why it cannot."""
        conn = self._connection()
        height_mm = self.profile.mm(job.height_dots)
        deadline_s = 10.0 + height_mm / SLOWEST_SPEED_MM_S
        conn.write(job.data, timeout=deadline_s)
        conn.transport.end_job()
        if not conn.transport.reads_status:
            return
        if job.ack_id is None:
            report = self._poll_status()
            if not report.status.can_print:
                raise PrinterError(_STATUS_TO_REASON[report.status], report.detail)
            return
        deadline = time.monotonic() + deadline_s
        while not conn.wait_for_process_id(job.ack_id, min(1.0, max(0.0, deadline - time.monotonic()))):
            # All job bytes are written, so a DLE EOT here cannot land inside a command's data.
            report = self._poll_status(timeout=1.0)
            if not report.status.can_print or time.monotonic() >= deadline:
                conn.clear_printer_buffers()  # the rest must not print when paper comes back
                if report.status.can_print:
                    raise PrinterError(PrinterErrorReason.TIMEOUT, "printer did not confirm the job")
                raise PrinterError(_STATUS_TO_REASON[report.status], report.detail)
