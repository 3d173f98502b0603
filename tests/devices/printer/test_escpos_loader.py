"""python-escpos is imported only when a job is built, and its capabilities pickle lives in a per-user cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO


def _run(code: str, cache_home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env.update(XDG_CACHE_HOME=str(cache_home), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_the_print_path_does_not_import_escpos_until_a_job_is_built(tmp_path: Path) -> None:
    done = _run(
        "import sys\n"
        "import madoguchi.devices.printer.print_worker\n"
        "assert 'escpos' not in sys.modules, 'escpos imported on the way to the first screen'\n"
        "from madoguchi.devices.printer.escpos_output import build_ticket_job\n"
        "from madoguchi.devices.printer.printer_url import parse_printer_url\n"
        "from madoguchi.devices.printer.ticket_layout import TicketContent, render_ticket\n"
        "profile = parse_printer_url('tcp://127.0.0.1:9100').profile\n"
        "content = TicketContent('窓口', 'A-001', '住民票', 'x', '1', '5', 'https://example.invalid/t', 'a', 'b')\n"
        "job = build_ticket_job(render_ticket(content, profile), profile)\n"
        "assert 'escpos' in sys.modules and job.data.startswith(b'\\x1b@')\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_capabilities_pickle_is_kept_between_starts(tmp_path: Path) -> None:
    code = "from madoguchi.devices.printer.escpos_loader import preload; preload()"
    assert _run(code, tmp_path).returncode == 0
    pickles = list((tmp_path / "madoguchi" / "escpos").glob("*.capabilities.pickle"))
    assert len(pickles) == 1
    first = pickles[0].stat().st_mtime_ns
    assert _run(code, tmp_path).returncode == 0
    assert pickles[0].stat().st_mtime_ns == first  # read, not parsed and written again
