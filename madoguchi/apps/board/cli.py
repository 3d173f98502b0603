"""``madoguchi display``: the call board, full screen unless ``--windowed``."""

from __future__ import annotations

import argparse
from pathlib import Path

from madoguchi.qt.app_args import add_server_arguments


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected WIDTHxHEIGHT, e.g. 1920x1080") from None
    return w, h


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_arguments(parser)
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    parser.add_argument("--size", type=_size, default=None, help="window size WxH (with --windowed)")
    parser.add_argument("--no-audio", action="store_true", help="do not play announcements (still shown)")
    parser.add_argument("--voice-cache", type=Path, default=None, help="folder for synthesised announcements")
    parser.add_argument(
        "--no-speech", action="store_true", help="chime and on-screen text only, no speech synthesis (saves CPU)"
    )
    parser.add_argument(
        "--record-calls",
        type=Path,
        default=None,
        metavar="FILE",
        help="append what the board receives and shows to FILE as JSON lines with times (soak and acceptance runs)",
    )


def run(args: argparse.Namespace) -> int:
    from madoguchi.core.process_start import start_process
    from madoguchi.qt.app_args import read_token

    start_process("board", args.log_dir)
    token = read_token(args.token_file, "display")
    if token is None:
        return 2

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from madoguchi.apps.board.announcer import Announcer
    from madoguchi.apps.board.board_window import BoardWindow
    from madoguchi.client.hall_client import HallClient
    from madoguchi.devices.speech.voice_adapter import ChimeOnlyVoice, default_voice
    from madoguchi.qt.event_bridge import EventBridge
    from madoguchi.qt.quit_on_signals import quit_on_signals

    app = QApplication.instance() or QApplication([])
    quit_on_signals(app)
    from madoguchi.qt.qt_translations import QtTranslations

    QtTranslations.of(app).set_language("ja")
    voice = ChimeOnlyVoice(args.voice_cache) if args.no_speech else default_voice(args.voice_cache)
    announcer = Announcer(voice, audio=False if args.no_audio else None)
    announcer.warm_up()
    events = EventBridge(args.server, token, ca_file=args.ca_file)
    board = BoardWindow(HallClient(args.server, token, ca_file=args.ca_file), events, announcer)
    if args.record_calls is not None:
        from madoguchi.apps.board.call_record import CallRecorder

        CallRecorder(board, events, args.record_calls)
    if args.windowed:
        w, h = args.size or (1280, 720)
        board.resize(w, h)
        board.show()
    else:
        board.setCursor(Qt.CursorShape.BlankCursor)
        board.showFullScreen()
    board.start()
    return int(app.exec())
