"""``madoguchi kiosk``: the resident touchscreen kiosk."""

from __future__ import annotations

import argparse
from pathlib import Path

from madoguchi.qt.app_args import add_ca_argument, add_log_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", required=True, help="hall server base URL, e.g. http://10.0.0.2:8080")
    parser.add_argument("--token-file", required=True, type=Path, help="file holding this kiosk's device token")
    parser.add_argument("--kiosk-name", default=None, help="this kiosk's name in hall.toml [[kiosks]]")
    parser.add_argument("--config", type=Path, default=None, help="hall.toml: devices of --kiosk-name")
    parser.add_argument("--printer", default=None, help="printer URL (overrides hall.toml), e.g. tcp://host:9100")
    parser.add_argument("--card-reader", default=None, help="regular expression on PC/SC reader names")
    parser.add_argument("--allow-virtual-reader", action="store_true", help="accept vpcd's virtual readers (demo)")
    parser.add_argument("--camera", default=None, help="camera index, video file or stream URL")
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of kiosk mode")
    parser.add_argument("--admin-pin-file", type=Path, default=None, help="file holding the admin exit PIN")
    parser.add_argument("--inactivity", type=int, default=None, help="seconds before 'continue?' (default: hall)")
    parser.add_argument("--screenshot-dir", type=Path, default=None, help="save a PNG of every screen shown")
    parser.add_argument("--no-speech", action="store_true", help="disable read-aloud")
    add_ca_argument(parser)
    add_log_argument(parser)


def run(args: argparse.Namespace) -> int:
    import sys

    from PySide6.QtWidgets import QApplication

    from madoguchi.apps.kiosk.app import DeviceConfig, build_devices
    from madoguchi.apps.kiosk.kiosk_mode import enter_kiosk_mode
    from madoguchi.apps.kiosk.main_window import KioskWindow
    from madoguchi.apps.kiosk.settings import KioskSettings
    from madoguchi.client.hall_client import HallClient
    from madoguchi.core.process_start import start_process
    from madoguchi.qt.app_args import read_token
    from madoguchi.qt.quit_on_signals import quit_on_signals

    start_process("kiosk", args.log_dir)
    token = read_token(args.token_file, "kiosk")
    if token is None:
        return 2
    devices = DeviceConfig(args.printer, args.card_reader, args.allow_virtual_reader, args.camera)
    if args.config is not None and args.kiosk_name:
        from madoguchi.core.config import ConfigError, load_config

        try:
            cfg = load_config(args.config)
        except ConfigError as exc:
            print("\n".join(exc.errors), file=sys.stderr)
            return 2
        mine = next((k for k in cfg.kiosks if k.name == args.kiosk_name), None)
        if mine is None:
            print(f"kiosk: no [[kiosks]] named {args.kiosk_name!r} in {args.config}", file=sys.stderr)
            return 2
        devices = DeviceConfig(
            args.printer or mine.printer,
            args.card_reader if args.card_reader is not None else mine.card_reader,
            args.allow_virtual_reader,
            args.camera or mine.camera,
        )
    admin_pin = ""
    if args.admin_pin_file is not None:
        admin_pin = args.admin_pin_file.read_text(encoding="utf-8").strip()
    if not args.windowed and not admin_pin:
        print("kiosk: kiosk mode needs --admin-pin-file (or use --windowed)", file=sys.stderr)
        return 2
    settings = KioskSettings(
        kiosk_name=args.kiosk_name or "kiosk",
        inactivity_seconds=args.inactivity,
        kiosk_mode=not args.windowed,
        admin_pin=admin_pin,
        screenshot_dir=args.screenshot_dir,
        speech=not args.no_speech,
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    quit_on_signals(app)  # systemd's SIGTERM: the devices are released below, as after closing the window
    client = HallClient(args.server, token, ca_file=args.ca_file)
    card, scanner, printer = build_devices(devices)
    window = KioskWindow(client, card, scanner, printer, settings)
    if settings.kiosk_mode:
        enter_kiosk_mode(window)
    else:
        window.resize(1920 // 2, 1080 // 2)
        window.show()
    window.start()
    code = app.exec()
    window.shutdown()
    client.close()
    return int(code)
