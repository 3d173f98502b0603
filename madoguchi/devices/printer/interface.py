"""What the kiosk, the heartbeat and the admin console may rely on from a ticket printer."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Protocol

from madoguchi.devices.printer.print_worker import JobResult
from madoguchi.devices.printer.profiles import PrinterProfile
from madoguchi.devices.printer.status import StatusReport
from madoguchi.devices.printer.ticket_layout import RenderedTicket, TicketContent


class TicketPrinter(Protocol):
    """Implemented by ``PrintWorker``; tests and the demo pass one pointed at the simulator."""

    status_listeners: list[Callable[[StatusReport], None]]
    job_listeners: list[Callable[[JobResult], None]]

    @property
    def profile(self) -> PrinterProfile: ...

    @property
    def status(self) -> StatusReport: ...

    def available(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = 10.0) -> None: ...

    def submit(
        self, job_id: str, ticket: RenderedTicket | None = None, content: TicketContent | None = None
    ) -> Future[JobResult]: ...

    def reprint(self, job_id: str) -> Future[JobResult]: ...

    def check_status(self) -> Future[StatusReport]: ...
