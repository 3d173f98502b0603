"""``madoguchi admin restore`` while a call board, a staff console and a kiosk are connected: all three follow.

The restored database is another database to them (a new identity on the event stream): the board rebuilds
from a snapshot and shows the next call, the console whose session the restore took returns to its login, and
the kiosk issues again.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from madoguchi.apps.board.board_model import CallEntry
from madoguchi.apps.kiosk.demo_material import always_open_config
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from tests.support.qt_apps import login, make_board, make_console

pytestmark = pytest.mark.timeout(180)


def _backup_now(srv: HallServerProcess, folder: Path) -> Path:
    before = set(folder.glob("hall-*.sqlite3"))
    with AdminClient(srv.base_url, srv.tokens["admin-1"]) as admin:
        assert admin.backup_now()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        made = set(folder.glob("hall-*.sqlite3")) - before
        if made:
            return made.pop()
        time.sleep(0.1)
    raise AssertionError("no backup was written")


def _click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_board_console_and_kiosk_follow_a_restore(qtbot: Any, tmp_path: Path, artifacts_dir: Path) -> None:
    from madoguchi.apps.kiosk.main_window import KioskWindow
    from madoguchi.apps.kiosk.settings import KioskSettings
    from madoguchi.devices.card.interface import NoCardReader
    from madoguchi.devices.printer.interface import NoPrinter
    from madoguchi.devices.scanner.interface import NoScanner
    from madoguchi.qt.read_aloud import ReadAloud

    config = always_open_config(tmp_path / "config")
    backups = tmp_path / "backups"
    config.write_text(
        config.read_text(encoding="utf-8").replace('backup_dir = ""', f'backup_dir = "{backups}"'), encoding="utf-8"
    )
    srv = HallServerProcess(tmp_path / "data", config_path=config).start()
    try:
        waiting = srv.client("kiosk-2").issue("tennyu").ticket
        backup = _backup_now(srv, backups)

        board = make_board(srv)
        qtbot.addWidget(board)
        board.resize(1280, 720)
        board.show()
        with qtbot.waitSignal(board.resynced, timeout=10000):
            board.start()
        shown: list[CallEntry] = []
        board.call_shown.connect(shown.append)
        console = make_console(srv, 4)
        qtbot.addWidget(console)
        console.show()
        with qtbot.waitSignal(console.controller.logged_in, timeout=10000):
            login(console)  # after the backup: the restore will not know this session
        kiosk = KioskWindow(
            srv.client("kiosk-1", timeout=2.0),
            NoCardReader(),
            NoScanner(),
            NoPrinter(),
            KioskSettings(kiosk_name="kiosk-1", heartbeat_seconds=3600, state_poll_seconds=0.5),
            speaker=ReadAloud(None, audio=False),
        )
        qtbot.addWidget(kiosk)
        kiosk.show()
        kiosk.start()
        qtbot.waitUntil(lambda: kiosk.ctx.hall is not None, timeout=15000)
        call_next = console.counter_screen.action_buttons.buttons["call_next"]
        qtbot.waitUntil(call_next.isEnabled, timeout=10000)
        call_next.click()
        qtbot.waitUntil(lambda: [c.number for c in shown] == [waiting.number], timeout=10000)

        srv.stop()
        restored = subprocess.run(
            [
                sys.executable,
                "-m",
                "madoguchi",
                "admin",
                "--data-dir",
                str(srv.data_dir),
                "restore",
                str(backup),
                "--yes",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert restored.returncode == 0, restored.stderr
        srv.start()

        # the board: told the stream is another database, rebuilt from the restored hall (the call was after
        # the backup, so the ticket waits again), and shows the next call as it happens
        qtbot.waitUntil(lambda: board.connected and not board.model.resync_pending, timeout=20000)
        qtbot.waitUntil(lambda: board.model.now_serving.get(4) is None, timeout=10000)
        other = srv.staff_client(5, staff_id="staff2")
        called_at = time.monotonic()
        called = other.call_next(5)
        assert called is not None and called.number == waiting.number
        qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
        delay = time.monotonic() - called_at
        print(f"call → shown on the board after the restore: {delay * 1000:.0f} ms")
        assert shown[-1].number == waiting.number and shown[-1].counter == 5

        # the console: its session is gone with the restore; back to the login, saying why
        qtbot.waitUntil(lambda: console.stack.currentWidget() is console.login_screen, timeout=20000)
        assert console.login_screen.message.text()
        assert console.controller.session is None and not console.controller._retry_timer.isActive()
        console.grab().save(str(artifacts_dir / "restore-console-login.png"))

        # the kiosk issues again (back on its welcome screen once the server answers: it was out of service)
        qtbot.waitUntil(lambda: kiosk.current_name() == "welcome", timeout=15000)
        _click(qtbot, kiosk.screens.welcome.start)
        qtbot.waitUntil(lambda: kiosk.current_name() == "procedures" and bool(kiosk.ctx.statuses), timeout=10000)
        _click(qtbot, kiosk.screens.procedures.buttons["tennyu"])
        qtbot.waitUntil(lambda: kiosk.ctx.session.issued is not None, timeout=15000)
        issued = kiosk.ctx.session.issued
        assert issued is not None and issued.ticket.id > waiting.id
        kiosk.shutdown()
        board.close()
        console.close()
    finally:
        srv.stop()
