"""``python main.py admin`` without an action: open the admin console.

Needs ``args.server`` (hall server base URL) and ``args.token_file`` (a file holding an admin device token);
``args.language`` (optional, default Japanese) is the one language of its texts. ``args.windowed`` is not needed:
the console is a normal window.
"""

from __future__ import annotations

import argparse
import sys


def add_console_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``run_console`` reads (for the lead's ``admin`` parser; both optional there)."""
    parser.add_argument(
        "--server", default=None, help="hall server base URL for the console, e.g. http://10.0.0.2:8700"
    )
    parser.add_argument("--token-file", default=None, help="file holding an admin device token (console)")
    add_language_argument(parser)


def add_language_argument(parser: argparse.ArgumentParser) -> None:
    from admin_console.texts import DEFAULT_LANGUAGE
    from translations.languages import codes

    parser.add_argument(
        "--language",
        choices=codes(),
        default=DEFAULT_LANGUAGE,
        help=f"language of the console's texts (default: {DEFAULT_LANGUAGE})",
    )


def run_console(args: argparse.Namespace) -> int:
    server = getattr(args, "server", None)
    token_file = getattr(args, "token_file", None)
    if not server or not token_file:
        print("main.py admin: the console needs --server URL and --token-file FILE (an admin token)", file=sys.stderr)
        return 2
    from pathlib import Path

    from queue_display.cli_common import read_token, setup_logging

    setup_logging()
    token = read_token(Path(token_file), "admin")
    if token is None:
        return 2

    from PySide6.QtWidgets import QApplication

    from admin_console.texts import DEFAULT_LANGUAGE
    from admin_console.window import AdminWindow
    from qt_common.event_bridge import EventBridge
    from qt_common.quit_on_signals import quit_on_signals
    from queueing.admin_client import AdminClient

    language = getattr(args, "language", None) or DEFAULT_LANGUAGE
    app = QApplication.instance() or QApplication([])
    quit_on_signals(app)
    window = AdminWindow(AdminClient(server, token), EventBridge(server, token), language=language)
    window.show()
    window.start()
    code = int(app.exec())
    window.stop()
    return code
