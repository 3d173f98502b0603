"""``madoguchi staff``: the staff console of one counter."""

from __future__ import annotations

import argparse

from madoguchi.qt.app_args import add_server_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_arguments(parser)
    parser.add_argument("--counter", required=True, type=int, help="this counter's number (hall.toml [[counters]])")
    parser.add_argument("--mini", action="store_true", help="start in the small always-on-top mini mode")
    parser.add_argument("--camera", default=None, help="camera index or video file to scan ticket QR codes")
    parser.add_argument("--no-conversation", action="store_true", help="leave out the conversation aid")


def run(args: argparse.Namespace) -> int:
    from madoguchi.core.process_start import start_process
    from madoguchi.qt.app_args import read_token

    start_process("staff", args.log_dir)
    token = read_token(args.token_file, "staff")
    if token is None:
        return 2

    from PySide6.QtWidgets import QApplication

    from madoguchi.apps.staff.staff_console import StaffConsole
    from madoguchi.client.hall_client import HallClient
    from madoguchi.qt.event_bridge import EventBridge
    from madoguchi.qt.quit_on_signals import quit_on_signals

    app = QApplication.instance() or QApplication([])
    quit_on_signals(app)
    from madoguchi.qt.qt_translations import QtTranslations

    QtTranslations.of(app).set_language("ja")  # the console is Japanese; so are Qt's own menus and dialogs
    code_source = None
    if args.camera is not None:
        from madoguchi.devices.scanner.qt_camera import CameraScanner

        code_source = CameraScanner(args.camera)
        code_source.start()
    conversation = None
    if not args.no_conversation:
        from madoguchi.apps.staff.conversation_panel import default_conversation

        conversation = default_conversation()
    console = StaffConsole(
        HallClient(args.server, token, ca_file=args.ca_file),
        EventBridge(args.server, token, ca_file=args.ca_file),
        args.counter,
        code_source=code_source,
        conversation=conversation,
    )
    console.show()
    if args.mini:  # after login: the login screen itself needs the full window
        console.controller.logged_in.connect(lambda _session: console.enter_mini())
    code = int(app.exec())
    if code_source is not None:
        code_source.stop()
    return code
