"""`make demo` smoke test: the whole hall starts in one process, serves traffic, and shuts down cleanly."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from madoguchi.client.local_server import stop_process
from madoguchi.core.child_process import descendants
from tests.support.paths import REPO


def test_demo_runs_and_quits(artifacts_dir: Path) -> None:
    out = artifacts_dir / "demo"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "madoguchi",
            "demo",
            "--quit-after",
            "14",
            "--speed",
            "120",
            "--screenshot-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=180,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert "hall server: http://127.0.0.1:" in res.stdout
    assert "Traceback" not in res.stderr
    shots = sorted(p.name for p in out.glob("demo-*.png"))
    assert any("KioskWindow" in s for s in shots) and any("BoardWindow" in s for s in shots)
    found = re.search(r"demo traffic: (\d+) tickets issued, (\d+) served", res.stdout)
    assert found is not None and int(found[1]) > 0  # the traffic generator took tickets through the server


def test_ctrl_c_closes_the_demo_and_removes_its_temporary_hall() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "madoguchi", "demo", "--no-traffic"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        assert proc.stdout is not None
        assert "hall server: http://127.0.0.1:" in proc.stdout.readline()  # the server is up, the windows next
        data_dirs = _demo_data_dirs(proc.pid)
        time.sleep(3)  # the windows are built and the event loop runs
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        stop_process(proc, grace=20)  # SIGTERM first: it shuts down as Ctrl-C does, stopping its pcscd
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert data_dirs and not any(d.exists() for d in data_dirs)


def _demo_data_dirs(pid: int) -> list[Path]:
    """The demo's temporary hall, from the database files its hall server (a child process) holds open."""
    found = set()
    for process in (pid, *descendants(pid)):
        for fd in Path(f"/proc/{process}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = Path(os.readlink(fd))
                if target.name.startswith("hall.sqlite3") and target.parent.name.startswith("madoguchi-demo-"):
                    found.add(target.parent)
    return sorted(found)
