from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi import cli
from madoguchi.devices.printer.connection import PrinterConnection
from madoguchi.devices.printer.printer_url import parse_printer_url
from madoguchi.devices.printer.sim_harness import RunningSimulator
from madoguchi.devices.printer.simulator import SimState
from madoguchi.devices.printer.status import PrinterStatus
from madoguchi.devices.printer.transports import open_transport


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, str]]:
    code = cli.main(["printer-test", *argv])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1  # exactly one JSON line
    return code, json.loads(lines[0])


@pytest.mark.parametrize(
    ("state", "status", "code"),
    [
        (SimState.OK, "OK", 0),
        (SimState.NEAR_END, "PAPER_LOW", 0),
        (SimState.PAPER_OUT, "PAPER_OUT", 1),
        (SimState.COVER_OPEN, "COVER_OPEN", 1),
        (SimState.CUTTER_ERROR, "CUTTER_ERROR", 1),
        (SimState.SILENT, "OFFLINE", 1),
    ],
)
def test_status_only(
    sim: RunningSimulator, capsys: pytest.CaptureFixture[str], state: SimState, status: str, code: int
) -> None:
    sim.printer.set_state(state)
    assert _run(capsys, "--printer", sim.url, "--status-only") == (code, _run_expect(status))
    assert sim.printer.jobs == []


def _run_expect(status: str) -> dict[str, str]:
    return {"status": status, "detail": _DETAILS[status]}


_DETAILS = {
    "OK": "ready",
    "PAPER_LOW": "paper near end",
    "PAPER_OUT": "paper end",
    "COVER_OPEN": "cover open",
    "CUTTER_ERROR": "autocutter error",
    "OFFLINE": "no reply to DLE EOT within 2 s",
}


def test_prints_a_test_page(sim: RunningSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "--printer", sim.url)
    assert code == 0 and out["status"] == "OK"
    assert "test page printed" in out["detail"]
    page = sim.printer.wait_for_jobs(1)[0]
    assert page.complete and page.image.width == 576


def test_no_test_page_when_paper_is_out(sim: RunningSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    sim.printer.set_state(SimState.PAPER_OUT)
    assert _run(capsys, "--printer", sim.url)[0] == 1
    assert sim.printer.jobs == []


def test_refused_connection_is_offline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "--printer", "tcp://127.0.0.1:1")
    assert (code, out["status"]) == (1, "OFFLINE")


def test_bad_url_is_reported_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "--printer", "lpt://1")
    assert (code, out["status"]) == (1, "UNKNOWN")
    assert "unknown scheme" in out["detail"]


def test_subcommands_are_registered() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["printer-sim", "--port", "9100", "--state", "paper_out", "--speed-mm-s", "250"])
    assert (args.port, args.state, args.speed_mm_s) == (9100, "paper_out", 250.0)
    assert parser.parse_args(["printer-test", "--printer", "tcp://x", "--status-only"]).status_only


def test_printer_sim_command(repo_root: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "madoguchi", "printer-sim", "--port", "0", "--out", str(tmp_path), "--profile", "58mm"],
        cwd=repo_root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        banner = proc.stdout.readline()
        url = re.search(r"tcp://\S+", banner)
        assert url is not None, banner
        proc.stdout.readline()  # list of commands
        with open_transport(parse_printer_url(url.group(0))) as transport:
            conn = PrinterConnection(transport)
            assert conn.query_status(timeout=2).status is PrinterStatus.OK
            proc.stdin.write("state cover_open\n")
            proc.stdin.flush()
            assert proc.stdout.readline().startswith("ok ")
            assert conn.query_status(timeout=2).status is PrinterStatus.COVER_OPEN
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
