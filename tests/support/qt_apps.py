"""Test and benchmark harness: build a board or a staff console against a real hall server, drain a counter.

Used by ``tests/queue_display`` fixtures and ``bench/board.py``; the object graph is built exactly as the CLIs do.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from madoguchi.apps.board.announcer import Announcer
from madoguchi.apps.board.board_window import BoardWindow
from madoguchi.apps.staff.staff_console import StaffConsole
from madoguchi.client.hall_client import ClientError, HallClient
from madoguchi.client.local_server import STAFF_PASSWORD, HallServerProcess, counter_pc
from madoguchi.devices.speech.announcement_voice import AnnouncementVoice
from madoguchi.devices.speech.voice_adapter import ChimeOnlyVoice
from madoguchi.qt.event_bridge import EventBridge


def make_board(srv: HallServerProcess, announcer: Announcer | None = None, device: str = "board-1") -> BoardWindow:
    token = srv.tokens[device]
    client = HallClient(srv.base_url, token)
    return BoardWindow(client, EventBridge(srv.base_url, token), announcer)


def make_console(
    srv: HallServerProcess, counter: int, device: str | None = None, conversation: object = None
) -> StaffConsole:
    """The console of ``counter``, on its own PC (the harness binds one per counter)."""
    token = srv.tokens[device or counter_pc(counter)]
    return StaffConsole(
        HallClient(srv.base_url, token), EventBridge(srv.base_url, token), counter, conversation=conversation
    )


def silent_announcer(cache_dir: Path, voice: AnnouncementVoice | None = None) -> Announcer:
    """An announcer without audio output that runs through items without waiting their length."""
    return Announcer(voice or ChimeOnlyVoice(cache_dir), audio=False, time_scale=0.0)


def drain_counter(srv: HallServerProcess, counter: int, staff_id: str = "staff3") -> int:
    """Finish whatever stands at ``counter`` and call+finish everyone its services would call; returns how many."""
    c = srv.staff_client(counter, staff_id=staff_id)
    n = 0
    try:
        q = c.counter_queue(counter)
        if q.current is not None:
            with contextlib.suppress(ClientError):
                c.done(q.current.id, counter)
        while (t := c.call_next(counter)) is not None:
            c.done(t.id, counter)
            n += 1
    finally:
        c.close()
    return n


def login(console: StaffConsole, staff_id: str = "staff1") -> None:
    console.login_screen.staff_id.setText(staff_id)
    console.login_screen.password.setText(STAFF_PASSWORD)
    console.login_screen.button.click()


def logged_in_console(
    qtbot: Any, srv: HallServerProcess, counter: int, staff_id: str = "staff1", size: tuple[int, int] = (1280, 800)
) -> StaffConsole:
    """The console of ``counter`` on screen, ``staff_id`` logged in, its queue, waiting list and hall loaded."""
    console = make_console(srv, counter)
    qtbot.addWidget(console)
    console.resize(*size)
    console.show()
    with qtbot.waitSignal(console.controller.logged_in, timeout=10000):
        login(console, staff_id)
    c = console.controller
    qtbot.waitUntil(lambda: None not in (c.queue, c.waiting, c.hall), timeout=10000)
    return console


def press(qtbot: Any, console: StaffConsole, button: Any, action: str) -> None:
    """Click a console button once it is enabled, and wait for its action to be done."""
    qtbot.waitUntil(button.isEnabled, timeout=10000)
    with qtbot.waitSignal(console.controller.action_done, timeout=10000, check_params_cb=lambda a: a == action):
        button.click()
