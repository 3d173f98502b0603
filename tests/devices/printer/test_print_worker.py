from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from madoguchi.devices.printer.errors import PrinterErrorReason
from madoguchi.devices.printer.print_worker import JobResult, PrintWorker
from madoguchi.devices.printer.sim_harness import RunningSimulator
from madoguchi.devices.printer.simulator import SimState
from madoguchi.devices.printer.status import PrinterStatus, StatusReport
from madoguchi.devices.printer.ticket_layout import TicketContent, render_ticket


class Recorder:
    def __init__(self) -> None:
        self.statuses: list[StatusReport] = []
        self.jobs: list[JobResult] = []
        self.changed = threading.Event()

    def on_status(self, report: StatusReport) -> None:
        self.statuses.append(report)
        self.changed.set()

    def on_job(self, result: JobResult) -> None:
        self.jobs.append(result)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def worker(sim: RunningSimulator, recorder: Recorder) -> Iterator[PrintWorker]:
    w = PrintWorker(
        sim.url, on_status_changed=recorder.on_status, on_job_finished=recorder.on_job, status_timeout_s=0.5
    )
    w.start()
    yield w
    w.stop()


def test_ticket_is_printed_and_confirmed(
    worker: PrintWorker, sim: RunningSimulator, content: TicketContent, recorder: Recorder
) -> None:
    preview = render_ticket(content, worker.profile)
    result = worker.submit("A-015", preview, content).result(15)
    assert result == JobResult("A-015", True)
    job = sim.printer.jobs[-1]
    assert job.complete and job.qr_payloads == [content.status_url]
    assert recorder.jobs == [result]
    assert recorder.statuses[0].status is PrinterStatus.OK
    assert worker.available()


def test_paper_out_mid_job_fails_then_reprint_after_new_roll(
    worker: PrintWorker, sim: RunningSimulator, content: TicketContent
) -> None:
    sim.printer.set_paper_remaining(30)  # runs out a third of the way down the ticket
    failed = worker.submit("A-016", content=content).result(30)
    assert not failed.ok and failed.reason is PrinterErrorReason.PAPER_OUT
    assert worker.status.status is PrinterStatus.PAPER_OUT
    assert sim.printer.jobs[-1].complete is False

    sim.printer.set_state(SimState.OK)  # staff loaded a new roll
    again = worker.reprint("A-016").result(30)
    assert again.ok and again.reprint
    reprinted = sim.printer.jobs[-1]
    assert reprinted.complete
    # marked: the reprint banner is solid black where a normal ticket is blank
    assert [reprinted.image.getpixel((2, y)) for y in range(20, 30)] == [0] * 10


def test_no_ticket_is_sent_while_the_cover_is_open(
    worker: PrintWorker, sim: RunningSimulator, content: TicketContent
) -> None:
    sim.printer.set_state(SimState.COVER_OPEN)
    result = worker.submit("A-017", content=content).result(15)
    assert result.reason is PrinterErrorReason.COVER_OPEN
    assert sim.printer.jobs == []


def test_silent_printer_fails_the_job_as_offline(
    worker: PrintWorker, sim: RunningSimulator, content: TicketContent
) -> None:
    sim.printer.set_state(SimState.SILENT)
    result = worker.submit("A-018", content=content).result(15)
    assert result.reason is PrinterErrorReason.OFFLINE
    assert worker.status.status is PrinterStatus.OFFLINE


def test_status_change_arrives_by_asb_while_idle(
    worker: PrintWorker, sim: RunningSimulator, recorder: Recorder
) -> None:
    assert worker.check_status().result(10).status is PrinterStatus.OK
    recorder.changed.clear()
    sim.printer.set_state(SimState.NEAR_END)
    assert recorder.changed.wait(10)  # idle poll is 30 s: this came through ASB
    assert recorder.statuses[-1].status is PrinterStatus.PAPER_LOW
    assert worker.available()  # paper low is a warning, not a stop


def test_unreachable_printer(content: TicketContent) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    worker = PrintWorker(f"tcp://127.0.0.1:{port}", status_timeout_s=0.3)
    worker.start()
    try:
        result = worker.submit("A-019", content=content).result(15)
        assert result.reason is PrinterErrorReason.OFFLINE
        assert worker.status.status is PrinterStatus.OFFLINE
        with pytest.raises(KeyError):
            worker.reprint("never-printed")
    finally:
        worker.stop()


def test_serial_printer(serial_sim: RunningSimulator, content: TicketContent) -> None:
    worker = PrintWorker(serial_sim.url, status_timeout_s=0.5)
    worker.start()
    try:
        assert worker.submit("B-001", content=content).result(15).ok
        assert serial_sim.printer.jobs[-1].complete
    finally:
        worker.stop()


def test_kanji_text_mode_when_enabled(sim: RunningSimulator) -> None:
    from madoguchi.devices.printer.escpos_output import JobOptions
    from madoguchi.devices.printer.sim_harness import sample_content

    worker = PrintWorker(sim.url, options=JobOptions(kanji_text=True), status_timeout_s=0.5)
    worker.start()
    try:
        content = sample_content("ja")
        assert worker.submit("C-001", content=content).result(15).ok
        assert worker.reprint("C-001").result(15).ok
        first, again = sim.printer.jobs[-2:]
        assert content.service_name_ja in first.texts and first.qr_payloads == [content.status_url]
        assert content.reprint_label in again.texts
    finally:
        worker.stop()


def test_reconnects_after_the_printer_drops_the_connection(
    worker: PrintWorker, sim: RunningSimulator, content: TicketContent
) -> None:
    assert worker.submit("D-001", content=content).result(15).ok
    sim.server.drop_client()  # printer rebooted / network hiccup between tickets
    assert worker.submit("D-002", content=content).result(15).ok
