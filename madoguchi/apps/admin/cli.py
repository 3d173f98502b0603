"""``madoguchi admin-console``: the facility manager's console, in one language (default Japanese)."""

from __future__ import annotations

import argparse
from pathlib import Path

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
    parser.add_argument(
        "--buildings",
        type=Path,
        default=None,
        help="also follow these buildings' hall servers (TOML: [[buildings]] name, server, token_file, ca_file)",
    )


def run(args: argparse.Namespace) -> int:
    import sys

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
    buildings = None
    if args.buildings is not None:
        from madoguchi.core.buildings import load_buildings
        from madoguchi.core.config import ConfigError

        try:
            buildings = list(load_buildings(args.buildings))
        except ConfigError as exc:
            print("\n".join(exc.errors), file=sys.stderr)
            return 2
    app = QApplication.instance() or QApplication([])
    quit_on_signals(app)
    from madoguchi.qt.qt_translations import QtTranslations

    QtTranslations.of(app).set_language(language)  # Qt's own texts (menus, dialogs) in the console's language
    client = AdminClient(args.server, token, ca_file=args.ca_file)
    events = EventBridge(args.server, token, ca_file=args.ca_file)
    window = AdminWindow(client, events, language=language, buildings=buildings)
    window.show()
    window.start()
    code = int(app.exec())
    window.stop()
    return code
