"""``madoguchi card-sim``: insert a virtual My Number card into vsmartcard-vpcd (pcscd must be running)."""

from __future__ import annotations

import argparse
import datetime

from madoguchi.devices.card.basic_info import Sex


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", default="平塚　花子", help="氏名 (family and given name separated by U+3000)")
    parser.add_argument("--address", default="神奈川県平塚市浅間町９－１", help="住所")
    parser.add_argument("--birth-date", type=datetime.date.fromisoformat, default=datetime.date(1980, 2, 17))
    parser.add_argument("--sex", choices=[s.value for s in Sex], default=Sex.female.value)
    parser.add_argument("--number", default="123456789018", help="12-digit individual number (check digit valid)")
    parser.add_argument("--pin", default="1234", help="4-digit PIN of the card-info-input-support AP")
    parser.add_argument("--tries", type=int, default=3, choices=range(4), help="PIN tries left (0 = locked)")
    parser.add_argument("--expiry-year", type=int, default=2035, help="card expiry year (for 照合番号B)")
    parser.add_argument("--security-code", default="2285", help="4-digit security code (for 照合番号B)")
    parser.add_argument("--not-mynumber", action="store_true", help="behave like another card (SELECT → 6A82)")
    parser.add_argument("--remove-after-apdus", type=int, help="pull the card after answering N APDUs")
    parser.add_argument("--remove-after-seconds", type=float, help="pull the card after N seconds")
    parser.add_argument("--no-sfi", action="store_true", help="refuse short EF ids (SELECT EF needed)")
    parser.add_argument("--host", default="127.0.0.1", help="vpcd host")
    parser.add_argument("--port", type=int, default=35963, help="vpcd port (35963 = reader 00 00, 35964 = 00 01)")


def run(args: argparse.Namespace) -> int:
    import signal
    import sys
    import threading

    from madoguchi.devices.card.virtual_card import CardProfile, VirtualMyNumberCard, VpcdCardClient

    profile = CardProfile(
        name=args.name,
        address=args.address,
        birth_date=args.birth_date,
        sex=Sex(args.sex),
        individual_number=args.number,
        pin=args.pin,
        tries_left=args.tries,
        expiry_year=args.expiry_year,
        security_code=args.security_code,
        is_mynumber=not args.not_mynumber,
        remove_after_apdus=args.remove_after_apdus,
        remove_after_seconds=args.remove_after_seconds,
        sfi_supported=not args.no_sfi,
    )
    client = VpcdCardClient(VirtualMyNumberCard(profile), port=args.port, host=args.host)
    try:
        client.insert()
    except OSError as exc:
        print(f"cannot reach vpcd at {args.host}:{args.port} (is pcscd running?): {exc}", file=sys.stderr)
        return 1
    print(f"virtual card inserted on {args.host}:{args.port}; Ctrl-C removes it", file=sys.stderr)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.is_set() and not client.removed.is_set():
            stop.wait(0.2)
    except KeyboardInterrupt:
        pass
    client.remove()
    client.join(timeout=2)
    print("virtual card removed", file=sys.stderr)
    return 0
