"""Qt signals for a ``PrintWorker`` (the only printers module that imports PySide6).

The worker calls its listeners on its own thread; emitting a signal from there queues the call to receivers
living in the GUI thread, so widgets are only touched on their own thread.
"""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from madoguchi.devices.printer.print_worker import JobResult, PrintWorker
from madoguchi.devices.printer.status import StatusReport


class PrinterSignals(QObject):
    #: status (PrinterStatus value, e.g. "PAPER_OUT"), technical detail
    printer_status_changed = Signal(str, str)
    #: job id, ok, reason (PrinterErrorReason value or ""), reprint
    print_job_finished = Signal(str, bool, str, bool)

    def __init__(self, worker: PrintWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        worker.status_listeners.append(self._on_status)
        worker.job_listeners.append(self._on_job)

    def detach(self) -> None:
        if self._on_status in self._worker.status_listeners:
            self._worker.status_listeners.remove(self._on_status)
        if self._on_job in self._worker.job_listeners:
            self._worker.job_listeners.remove(self._on_job)

    def _on_status(self, report: StatusReport) -> None:
        self.printer_status_changed.emit(report.status.value, report.detail)

    def _on_job(self, result: JobResult) -> None:
        self.print_job_finished.emit(
            result.job_id, result.ok, result.reason.value if result.reason else "", result.reprint
        )


def ticket_qimage(image: Image.Image) -> QImage:
    """The rendered ticket (mode "1") as a QImage for the kiosk's on-screen preview (scale it as you like)."""
    grey = image.convert("L")
    data = grey.tobytes()
    return QImage(data, grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8).copy()
