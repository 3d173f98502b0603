"""``madoguchi card-check``: installer check of the reader and a My Number card.

Exit codes: 0 ok, 1 reader error, 2 usage (PIN not 4 digits), 3 wrong PIN (or last try not confirmed),
4 locked card, 5 no reader / no card / card removed, 6 not a My Number card.
Human-readable lines go to stderr; with ``--read`` the basic 4 info is one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_WRONG_PIN, EXIT_LOCKED, EXIT_NO_CARD, EXIT_NOT_MYNUMBER = 0, 1, 2, 3, 4, 5, 6


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reader", metavar="PATTERN", help="regular expression matched against reader names")
    parser.add_argument("--read", action="store_true", help="ask for the PIN on stdin and print the basic 4 info")
    parser.add_argument(
        "--allow-virtual", action="store_true", help="use 'Virtual PCD' readers (simulator; never on a kiosk)"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a card (default 30)")
    parser.add_argument(
        "--last-try", action="store_true", help="send the PIN even when only one try is left (it may lock the card)"
    )


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _read_pin() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("PIN (4 digits): ", stream=sys.stderr)
    return sys.stdin.readline().strip()


def run(args: argparse.Namespace) -> int:
    import json
    import re

    from madoguchi.devices.card.errors import CardError, CardErrorReason
    from madoguchi.devices.card.pcsc import PcscContext
    from madoguchi.devices.card.readers import is_virtual, select_readers
    from madoguchi.devices.card.service import CardService

    if args.reader is not None:
        try:
            re.compile(args.reader)
        except re.error as exc:
            _say(f"--reader is not a regular expression: {exc}")
            return EXIT_USAGE
    try:
        with PcscContext() as ctx:
            all_readers = ctx.list_readers()
    except CardError as exc:
        _say(f"PC/SC service not reachable: {exc}")
        return EXIT_NO_CARD
    usable = select_readers(all_readers, args.reader, args.allow_virtual)
    for name in all_readers:
        note = "" if name in usable else (" (ignored: virtual)" if is_virtual(name) else " (ignored: pattern)")
        _say(f"reader: {name}{note}")
    if not usable:
        _say("no usable card reader")
        return EXIT_NO_CARD
    _say(f"waiting up to {args.timeout:g} s for a card …")
    service = CardService(args.reader, args.allow_virtual)
    exit_for = {
        CardErrorReason.no_reader: EXIT_NO_CARD,
        CardErrorReason.no_card: EXIT_NO_CARD,
        CardErrorReason.card_removed: EXIT_NO_CARD,
        CardErrorReason.not_mynumber: EXIT_NOT_MYNUMBER,
        CardErrorReason.wrong_pin: EXIT_WRONG_PIN,
        CardErrorReason.last_try: EXIT_WRONG_PIN,
        CardErrorReason.locked: EXIT_LOCKED,
        CardErrorReason.pin_format: EXIT_USAGE,
    }
    try:
        with service.wait_for_card(args.timeout) as session:
            _say("My Number card: yes")
            tries = session.read_pin_tries()
            _say(f"PIN tries left: {'unknown' if tries is None else tries}")
            if tries == 0:
                _say("the PIN is locked: the resident must ask at the municipal office")
                return EXIT_LOCKED
            if not args.read:
                return EXIT_OK
            pin = _read_pin()
            session.verify_pin(pin, confirm_last_try=args.last_try)
            del pin
            info = session.read_basic_info()
            print(json.dumps(info.to_json_dict(), ensure_ascii=False), flush=True)
            return EXIT_OK
    except CardError as exc:
        if exc.reason is CardErrorReason.not_mynumber:
            _say("My Number card: no (the card-info-input-support application is missing)")
        elif exc.reason is CardErrorReason.wrong_pin:
            _say(f"wrong PIN: {exc.tries_left} tries left")
        elif exc.reason is CardErrorReason.last_try:
            _say("only 1 try left: PIN not sent (use --last-try to send it anyway)")
        elif exc.reason is CardErrorReason.locked:
            _say("the PIN is locked: the resident must ask at the municipal office")
        else:
            _say(f"card error: {exc}")
        return exit_for.get(exc.reason, EXIT_ERROR)
