"""``madoguchi admin-console``: the facility manager's console, in one language (default Japanese)."""

from __future__ import annotations

import argparse

from madoguchi.qt.app_args import add_server_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_arguments(parser)
    from madoguchi.apps.admin.texts import DEFAULT_LANGUAGE
    from madoguchi.translations.languages import codes

    parser.add_argument(
        "--language",
        choices=codes(),
        default=DEFAULT_LANGUAGE,
        help=f"language of the console's texts (default: {DEFAULT_LANGUAGE})",
    )


def run(args: argparse.Namespace) -> int:
    from madoguchi.core.process_start import start_process
    from madoguchi.qt.app_args import read_token

    start_process("admin-console", args.log_dir)
    token = read_token(args.token_file, "admin-console")
    if token is None:
        return 2

    from PySide6.QtWidgets import QApplication

    from madoguchi.apps.admin.texts import DEFAULT_LANGUAGE
    from madoguchi.apps.admin.window import AdminWindow
    from madoguchi.client.admin_client import AdminClient
    from madoguchi.qt.event_bridge import EventBridge
    from madoguchi.qt.quit_on_signals import quit_on_signals

    language = args.language or DEFAULT_LANGUAGE
    app = QApplication.instance() or QApplication([])
    quit_on_signals(app)
    from madoguchi.qt.qt_translations import QtTranslations

    QtTranslations.of(app).set_language(language)  # Qt's own texts (menus, dialogs) in the console's language
    client = AdminClient(args.server, token, ca_file=args.ca_file)
    window = AdminWindow(client, EventBridge(args.server, token, ca_file=args.ca_file), language=language)
    window.show()
    window.start()
    code = int(app.exec())
    window.stop()
    return code
