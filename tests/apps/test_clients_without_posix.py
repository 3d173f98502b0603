"""The four Qt clients start where POSIX-only modules do not exist (Windows 10/11 counter PCs and kiosks).

Each client runs as its own process through the real ``madoguchi`` command line, against a real hall server,
with the modules Windows does not have made unimportable. The process reports the windows it built (offscreen)
and quits. It also prints how long it took from the process start to its first window, for docs/install.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from madoguchi.client.local_server import HallServerProcess

REPO = Path(__file__).resolve().parents[2]

#: stdlib modules that exist on Linux and not on Windows, and uvicorn's POSIX-only event loop
POSIX_ONLY = (
    "fcntl",
    "termios",
    "tty",
    "pty",
    "pwd",
    "grp",
    "resource",
    "syslog",
    "crypt",
    "spwd",
    "nis",
    "readline",
    "posix_ipc",
    "uvloop",
)

CHILD = """
import json, sys, time
for name in {blocked!r}:
    sys.modules[name] = None  # an import of it now fails, as on Windows
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

exec_ = QApplication.exec

def report_then_quit(app):
    shown = sorted({{type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()}})
    blocked = sorted(name for name in {blocked!r} if sys.modules.get(name) is not None)
    print(json.dumps({{"windows": shown, "loaded": blocked}}), flush=True)
    app.quit()

def exec_and_report(app=None):
    app = app or QApplication.instance()
    print("event loop", flush=True)
    QTimer.singleShot(1500, lambda: report_then_quit(app))
    return exec_()

QApplication.exec = exec_and_report
from madoguchi.cli import main
sys.exit(main({argv!r}))
"""

CLIENTS = {
    # every device configured, so their adapters load: a printer that is off, any card reader, a camera file
    "kiosk": (
        ["kiosk", "--windowed", "--printer", "tcp://127.0.0.1:9", "--card-reader", ".", "--camera", "none.avi"],
        "kiosk-1",
        "KioskWindow",
    ),
    "staff": (["staff", "--counter", "4", "--camera", "none.avi"], "counter-pc-4", "StaffConsole"),
    "display": (["display", "--windowed", "--no-audio"], "board-1", "BoardWindow"),
    "admin-console": (["admin-console", "--language", "en"], "admin-1", "AdminWindow"),
}


@pytest.mark.parametrize("client", list(CLIENTS))
def test_client_starts_without_posix_only_modules(
    client: str, hall_server: HallServerProcess, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    args, device, window = CLIENTS[client]
    token_file = tmp_path / "device.token"
    token_file.write_text(hall_server.tokens[device], encoding="utf-8")
    argv = [*args, "--server", hall_server.base_url, "--token-file", str(token_file)]
    code = CHILD.format(blocked=POSIX_ONLY, argv=argv)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.stdout is not None
    first_line = proc.stdout.readline()
    start_s = time.perf_counter() - started
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]
    assert first_line.strip() == "event loop", err[-3000:]
    report = json.loads(out.strip().splitlines()[-1])
    assert window in report["windows"], report
    assert report["loaded"] == []
    record_property(f"{client}_start_s", round(start_s, 2))
    print(f"{client}: first window after {start_s:.2f} s")


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    return env
