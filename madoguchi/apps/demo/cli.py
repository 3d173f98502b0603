"""``madoguchi demo``: the whole hall on this machine, with simulated devices and traffic.

Starts the hall server as a child process (provisioned and started with the same commands an installer runs), a
printer simulator with a preview window, the virtual My Number
card through pcscd + vpcd when this machine can run them (else the card option simply disappears), a camera
video with sample 2D codes, then a kiosk, a staff console for counter 1, a call board and the admin console,
and a traffic generator that issues and serves tickets at the other kiosks and counters.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from madoguchi.core.cli_args import default_data_dir, load_config_or_exit
from madoguchi.core.config import EXAMPLE_CONFIG

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from madoguchi.client.local_server import HallServerProcess

log = logging.getLogger(__name__)

DEMO_PIN = "1234"
STAFF_ID, STAFF_PASSWORD = "demo", "demo-pass"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=EXAMPLE_CONFIG, help="hall configuration (TOML; default: the example hall)"
    )
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--keep", action="store_true", help=f"keep data in {default_data_dir() / 'demo'}")
    parser.add_argument("--no-traffic", action="store_true", help="no simulated residents and staff")
    parser.add_argument("--speed", type=float, default=10.0, help="traffic time compression (default 10×)")
    parser.add_argument("--quit-after", type=float, default=0, help="close after this many seconds (smoke tests)")
    parser.add_argument("--log-dir", type=Path, default=None, help="log files here (default: stderr only)")
    parser.add_argument("--screenshot-dir", type=Path, default=None, help="save each window as PNG before quitting")


def _hall_server(config_path: Path, data_dir: Path, counters: list[int], port: int) -> HallServerProcess:
    """The hall server as its own process, with the demo's devices and staff (provisioned as an installer would)."""
    from madoguchi.client.local_server import HallServerProcess

    devices: list[tuple[str, str, int | None]] = [
        ("demo-kiosk", "kiosk", None),
        ("demo-staff", "staff", 1),  # the console on screen serves counter 1
        ("demo-board", "display", None),
        ("demo-admin", "admin", None),
    ]
    devices += [(f"traffic-kiosk-{i}", "kiosk", None) for i in (2, 3)]
    devices += [(f"bot-pc-{c}", "staff", c) for c in counters]
    return HallServerProcess(
        data_dir,
        config_path=config_path,
        port=port,
        devices=tuple(devices),
        counter_pcs=False,
        staff_ids=(STAFF_ID, *(f"bot{c}" for c in counters)),
        staff_password=STAFF_PASSWORD,
    )


def run(args: argparse.Namespace) -> int:
    config = load_config_or_exit(args.config)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from madoguchi.core.process_start import start_process
    from madoguchi.qt.quit_on_signals import quit_on_signals

    start_process("demo", args.log_dir)
    with contextlib.ExitStack() as stack:
        if args.keep:
            data_dir = default_data_dir() / "demo"
            data_dir.mkdir(parents=True, exist_ok=True)
        else:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="madoguchi-demo-")))
        counters = [c.number for c in config.counters if c.number != 1]
        server = _hall_server(args.config, data_dir, counters, args.port)
        server.log_path = data_dir / "server.log"
        server.start()
        stack.callback(server.stop)
        tokens = server.tokens
        print(f"hall server: {server.base_url}  (phone pages /t/…, browser board {server.base_url}/board)")

        app = QApplication.instance() or QApplication(sys.argv[:1])
        quit_on_signals(app)  # Ctrl-C in the terminal: the windows close and the temporary hall is removed
        windows = _build_windows(stack, args.config, server.base_url, tokens, data_dir)
        if not args.no_traffic:
            from madoguchi.apps.demo.traffic import TrafficGenerator
            from madoguchi.client.hall_client import HallClient

            kiosks = [HallClient(server.base_url, tokens[f"traffic-kiosk-{i}"]) for i in (2, 3)]
            staff = {}
            for c in counters:
                client = HallClient(server.base_url, tokens[f"bot-pc-{c}"])
                client.login(f"bot{c}", STAFF_PASSWORD, c)
                staff[c] = client
            traffic = TrafficGenerator(config, kiosks, staff, speed=args.speed)
            traffic.start()
            stack.callback(lambda: print(f"demo traffic: {traffic.issued} tickets issued, {traffic.served} served"))
            stack.callback(traffic.stop)
        for w in windows:
            w.show()
        for w in windows:
            starter = getattr(w, "start", None)
            if callable(starter) and type(w).__name__ in ("KioskWindow", "AdminWindow"):
                starter()
        if args.quit_after:
            if args.screenshot_dir is not None:
                QTimer.singleShot(
                    int(max(args.quit_after - 1.5, 0.5) * 1000), lambda: _screenshots(windows, args.screenshot_dir)
                )
            QTimer.singleShot(int(args.quit_after * 1000), app.quit)
        code = int(app.exec())
        # Stop every window's threads (event streams, devices) before anything is destroyed.
        for w in windows:
            shutdown = getattr(w, "shutdown", None)
            if callable(shutdown):
                shutdown()
            w.close()
        app.processEvents()
    return code


def _screenshots(windows: list[QWidget], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, w in enumerate(windows):
        w.grab().save(str(folder / f"demo-{i}-{type(w).__name__}.png"))


def _build_windows(
    stack: contextlib.ExitStack, config_path: Path, base_url: str, tokens: dict[str, str], data_dir: Path
) -> list[QWidget]:
    from madoguchi.apps.board.announcer import Announcer
    from madoguchi.apps.board.board_window import BoardWindow
    from madoguchi.apps.demo.control_window import DemoControlWindow
    from madoguchi.apps.kiosk.app import DeviceConfig, build_devices
    from madoguchi.apps.kiosk.demo_material import demo_camera_video
    from madoguchi.apps.kiosk.main_window import KioskWindow
    from madoguchi.apps.kiosk.settings import KioskSettings
    from madoguchi.apps.staff.staff_console import StaffConsole
    from madoguchi.client.hall_client import HallClient
    from madoguchi.devices.printer.sim_harness import running_simulator
    from madoguchi.devices.speech.voice_adapter import default_voice
    from madoguchi.qt.event_bridge import EventBridge

    printer_sim = stack.enter_context(running_simulator("TM-T20II", out_dir=data_dir / "printed"))
    insert_card = remove_card = None
    card_pattern = None
    resident = "sample resident: 平塚　花子, PIN " + DEMO_PIN
    try:
        from madoguchi.devices.card.pcscd_harness import make_profile, start_pcscd, stop_pcscd
        from madoguchi.devices.card.virtual_card import VirtualMyNumberCard, VpcdCardClient

        pcscd = start_pcscd(data_dir / "pcscd.log")
        stack.callback(stop_pcscd, pcscd)
        holder: dict[str, VpcdCardClient] = {}

        def insert() -> None:
            if "card" not in holder:
                card = VpcdCardClient(VirtualMyNumberCard(make_profile(pin=DEMO_PIN, tries_left=3)))
                card.insert()
                holder["card"] = card

        def remove() -> None:
            card = holder.pop("card", None)
            if card is not None:
                card.remove()

        insert_card, remove_card, card_pattern = insert, remove, "Virtual PCD 00 00"
        stack.callback(remove)
    except Exception as exc:  # no root, no vpcd: the kiosk hides the card option
        log.warning("virtual card not available in this demo: %s", exc)
        resident += " (virtual card unavailable on this machine)"

    video = demo_camera_video(data_dir, config_path, extra_codes=_reservation_code(base_url, tokens["demo-admin"]))
    card_dev, scanner_dev, printer_dev = build_devices(
        DeviceConfig(printer=printer_sim.url, card_reader=card_pattern, allow_virtual_reader=True, camera=str(video))
    )
    kiosk = KioskWindow(
        HallClient(base_url, tokens["demo-kiosk"]),
        card_dev,
        scanner_dev,
        printer_dev,
        # codes only when the resident chose "show a code": the looping demo video must not issue by itself
        KioskSettings(kiosk_name="demo-kiosk", kiosk_mode=False, admin_pin="0000", codes_on_welcome=False),
    )
    kiosk.resize(1920, 1080)
    staff = StaffConsole(HallClient(base_url, tokens["demo-staff"]), EventBridge(base_url, tokens["demo-staff"]), 1)
    staff.setWindowTitle(f"Staff console — counter 1 — log in as {STAFF_ID} / {STAFF_PASSWORD}")
    board = BoardWindow(
        HallClient(base_url, tokens["demo-board"]),
        EventBridge(base_url, tokens["demo-board"]),
        Announcer(default_voice(data_dir / "voice")),
    )
    board.resize(1280, 720)
    board.start()
    control = DemoControlWindow(
        resident_line=resident,
        insert_card=insert_card,
        remove_card=remove_card,
        set_printer_state=printer_sim.printer.set_state,
        staff_line=f"staff console: {STAFF_ID} / {STAFF_PASSWORD}",
    )
    printer_sim.printer.job_listeners.append(control.on_printed)
    windows = [kiosk, staff, board, control]
    from madoguchi.apps.admin.window import AdminWindow
    from madoguchi.client.admin_client import AdminClient

    admin = AdminWindow(AdminClient(base_url, tokens["demo-admin"]), EventBridge(base_url, tokens["demo-admin"]))
    admin.resize(1280, 800)
    windows.append(admin)
    return windows


def _reservation_code(base_url: str, admin_token: str) -> tuple[str, ...]:
    """A reservation a few minutes from now, so its check-in code (in the camera video) works at the kiosk."""
    import datetime as dt

    from madoguchi.client.hall_client import ClientError, HallClient

    client = HallClient(base_url, admin_token)
    try:
        tz = dt.timezone(dt.timedelta(hours=9))
        slot = dt.datetime.now(tz) + dt.timedelta(minutes=5)
        made = client.create_reservation("juminhyo", slot.date().isoformat(), slot.strftime("%H:%M"))
        return (made.checkin_code,)
    except ClientError as exc:
        log.warning("no demo reservation: %s", exc)
        return ()
    finally:
        client.close()
