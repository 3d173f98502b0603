"""``madoguchi admin ACTION``: maintenance on the hall's data folder (devices, staff, forms, reservations, restore).

The facility manager's Qt console is ``madoguchi admin-console`` (``madoguchi.apps.admin``).
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from madoguchi.core.cli_args import (
    add_config_argument,
    add_data_arguments,
    config_if_present,
    configured_paths,
    data_paths,
    load_config_or_exit,
)
from madoguchi.server.accounts import ROLES

if TYPE_CHECKING:
    from madoguchi.server.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_arguments(parser)
    add_config_argument(parser)
    sub = parser.add_subparsers(dest="admin_command", metavar="ACTION")
    p = sub.add_parser("add-device", help="create a device token, or a new one for a device (printed once)")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument("--counter", type=int, default=None, help="the counter a staff PC serves (required for staff)")
    p = sub.add_parser("bind-device", help="bind a staff PC to another counter (its sessions end)")
    p.add_argument("name")
    p.add_argument("--counter", type=int, required=True)
    for action, text in (
        ("disable-device", "refuse a device's token from now on (a lost kiosk, a leaked token)"),
        ("enable-device", "accept a disabled device's token again"),
        ("remove-device", "delete a device and its token"),
    ):
        sub.add_parser(action, help=text).add_argument("name")
    p = sub.add_parser("add-staff", help="create a staff login or set a new password (asked on stdin; ends sessions)")
    p.add_argument("staff_id")
    p.add_argument("--display-name", default=None)
    sub.add_parser("list-staff", help="list staff members, whether they are active or locked, and open sessions")
    for action, text in (
        ("disable-staff", "refuse a staff member's logins and end their sessions"),
        ("enable-staff", "let a disabled staff member log in again"),
        ("unlock-staff", "unlock an account locked after repeated failed logins"),
        ("remove-staff", "delete a staff member"),
    ):
        sub.add_parser(action, help=text).add_argument("staff_id")
    sub.add_parser(
        "provision",
        help="create devices and staff from JSON on stdin; prints the new device tokens as JSON on stdout",
    )
    sub.add_parser("list-devices", help="list devices, their roles and last heartbeat")
    p = sub.add_parser("audit", help="the audit as CSV: form reads, logins, account changes (who, where, when)")
    p.add_argument("--days", type=int, default=30, help="the last DAYS days (default 30)")
    sub.add_parser("purge-forms", help="delete all personal form data now (also done at every day reset)")
    p = sub.add_parser(
        "import-reservations",
        help="import reservations from a CSV file: UTF-8 (with or without BOM) or Excel's Shift_JIS; all rows or none",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--codes-out", type=Path, default=None, help="write each reservation's check-in code here (CSV)")
    p = sub.add_parser("install-language-model", help="install an argos translation package from a file, offline")
    p.add_argument("file", type=Path)
    from madoguchi.server.restore_cli import add_restore_parser

    add_restore_parser(sub)


#: the actions that may start a new hall's database; every other one refuses a missing database
_MAKES_A_DATABASE = frozenset({"provision", "add-device", "add-staff", "import-reservations"})


def _store(args: argparse.Namespace) -> Store:
    from madoguchi.server.store import Store

    db_path, _ = data_paths(args, config_if_present(args.config))
    return Store(db_path)


def _key_dir(args: argparse.Namespace, store: Store) -> Path:
    """The server's key folder: ``--key-dir``, the configuration's ``[server] key_dir``, the one the server
    recorded in the database when it last started, or DATA/keys. A purge that missed the server's keys would
    leave the day's key readable."""
    from madoguchi.server.hall_server import KEY_DIR

    _, keys = configured_paths(args, config_if_present(args.config))
    if keys is not None:
        return keys
    recorded = store.get_meta(KEY_DIR)
    if recorded:
        return Path(recorded)
    return Path(store.path).parent / "keys"


def run(args: argparse.Namespace) -> int:
    cmd = args.admin_command
    if cmd is None:
        print(
            "madoguchi admin: choose an action (see --help); the console is 'madoguchi admin-console'", file=sys.stderr
        )
        return 2
    # what the maintenance commands create (a new database, a restored one, keys) is the server user's alone
    os.umask(0o077)
    if cmd in ("purge-forms", "import-reservations"):
        load_config_or_exit(args.config)  # they need the hall's configuration: say so first when it is missing
    if cmd != "install-language-model":
        from madoguchi.core.run_as_owner import become_owner_of

        data_dir, _ = configured_paths(args, config_if_present(args.config))
        user = become_owner_of(data_dir)
        if user is not None:
            print(f"madoguchi admin: running as {user}, the owner of {data_dir}", file=sys.stderr)
        db_path = data_dir / "hall.sqlite3"
        if cmd not in _MAKES_A_DATABASE and cmd != "restore" and not db_path.exists():
            print(
                f"madoguchi admin {cmd}: no hall database at {db_path}. Give the server's folder with --data-dir, "
                f"or set [server] data_dir in {args.config}.",
                file=sys.stderr,
            )
            return 2
    if cmd == "restore":
        from madoguchi.server.restore_cli import run_restore

        return int(run_restore(args))
    if cmd == "install-language-model":
        return _install_language_model(args)
    store = _store(args)
    if cmd == "provision":
        return _provision(store)
    if cmd == "add-device":
        from madoguchi.server.accounts import ProvisionError, make_device

        try:
            token = make_device(store, args.name, args.role, time.time(), args.counter)
        except ProvisionError as exc:
            print(f"add-device: {exc}", file=sys.stderr)
            return 2
        _audit(store, "account.device.new_token", args.name)
        print(token)
        print(f"device {args.name!r} ({args.role}): keep this token; it is not shown again", file=sys.stderr)
        return 0
    if cmd in _ACCOUNT_ACTIONS:
        return _account_action(cmd, args, store)
    if cmd == "add-staff":
        from madoguchi.server.accounts import make_staff

        password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        if len(password) < 8:
            print("the password needs at least 8 characters", file=sys.stderr)
            return 2
        make_staff(store, args.staff_id, args.display_name, password, time.time())
        _audit(store, "account.staff.password", args.staff_id)
        print(f"staff {args.staff_id!r} saved", file=sys.stderr)
        return 0
    if cmd == "list-devices":
        for d in store.devices():
            seen = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(d["last_seen"])) if d["last_seen"] else "never"
            counter = f"counter {d['counter']}" if d["counter"] is not None else ""
            state = "" if d["active"] else "DISABLED"
            print(f"{d['name']:<24} {d['role']:<8} {counter:<11} {state:<9} last seen {seen}")
        return 0
    if cmd == "list-staff":
        for member in store.staff_members():
            state = "LOCKED" if member["locked_at"] else ("" if member["active"] else "DISABLED")
            counts = f"failed logins {member['failed_logins']}, sessions {member['sessions']}"
            print(f"{member['staff_id']:<16} {state:<9} {counts}")
        return 0
    if cmd == "audit":
        return _print_audit(store, args.days)
    if cmd == "purge-forms":
        from madoguchi.server.hall_service import HallService
        from madoguchi.server.security import FormCipher

        key_dir = _key_dir(args, store)
        hall = HallService(load_config_or_exit(args.config), store, FormCipher(key_dir))
        keys_before = len(hall.cipher.key_days())
        purged = hall.purge_forms()
        keys_left = len(hall.cipher.key_days())
        print(f"purged {purged} form records and {keys_before - keys_left} day keys ({store.path}, keys in {key_dir})")
        return 0
    if cmd == "import-reservations":
        return _import_reservations(args, store)
    return 2


def _print_audit(store: Store, days: int) -> int:
    """CSV on stdout: when (local time), action, staff id, device, counter, ticket, subject."""
    import csv

    out = csv.writer(sys.stdout)
    out.writerow(["at", "action", "staff_id", "device", "counter", "ticket_id", "subject"])
    for row in store.audit_rows(since=time.time() - days * 86400):
        at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(row["at"]))
        keys = ("action", "staff_id", "device", "counter", "ticket_id", "subject")
        out.writerow([at, *(row[k] for k in keys)])
    return 0


#: action → (what it changes, and how)
_ACCOUNT_ACTIONS: dict[str, Callable[[Store, argparse.Namespace], bool]] = {
    "bind-device": lambda st, a: st.bind_device(a.name, a.counter),
    "disable-device": lambda st, a: st.set_device_active(a.name, False),
    "enable-device": lambda st, a: st.set_device_active(a.name, True),
    "remove-device": lambda st, a: st.remove_device(a.name),
    "disable-staff": lambda st, a: st.set_staff_active(a.staff_id, False),
    "enable-staff": lambda st, a: st.set_staff_active(a.staff_id, True),
    "unlock-staff": lambda st, a: st.unlock_staff(a.staff_id),
    "remove-staff": lambda st, a: st.remove_staff(a.staff_id),
}


def _audit(store: Store, action: str, subject: str) -> None:
    from madoguchi.server.accounts import CLI_DEVICE, audit_account_change

    audit_account_change(store, time.time(), action, subject, by=CLI_DEVICE)


def _account_action(cmd: str, args: argparse.Namespace, store: Store) -> int:
    who = getattr(args, "name", None) or args.staff_id
    if not _ACCOUNT_ACTIONS[cmd](store, args):
        print(f"{cmd}: no such account: {who!r}", file=sys.stderr)
        return 2
    verb, kind = cmd.split("-", 1)
    _audit(store, f"account.{kind}.{verb}", who)
    print(f"{cmd}: {who!r} done (the running server follows within seconds)", file=sys.stderr)
    return 0


def _provision(store: Store) -> int:
    """Secrets travel through pipes only: the spec (with passwords) on stdin, the tokens on stdout."""
    from madoguchi.server.accounts import ProvisionError, provision, read_spec

    try:
        tokens = provision(store, read_spec(sys.stdin.read()), time.time())
    except ProvisionError as exc:
        print(f"provision: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"devices": tokens}))
    print(f"provisioned {len(tokens)} device(s); keep their tokens, they are not shown again", file=sys.stderr)
    return 0


def _import_reservations(args: argparse.Namespace, store: Store) -> int:
    from madoguchi.core.forms.messages import message_text
    from madoguchi.core.forms.reservations_csv import CsvEncodingError, decode_csv_bytes
    from madoguchi.server.reservations import ReservationBook

    config = load_config_or_exit(args.config)
    key_dir = _key_dir(args, store)
    try:
        text = decode_csv_bytes(args.file.read_bytes())  # UTF-8 (BOM or not) or Excel's Shift_JIS
    except OSError as exc:
        print(f"{args.file}: cannot read: {exc.strerror}", file=sys.stderr)
        return 2
    except CsvEncodingError as exc:
        print(f"{args.file}: {message_text(exc.message_id, 'en')}", file=sys.stderr)
        return 2
    book = ReservationBook(store, key_dir, config.service_ids())
    made, errors = book.import_csv(text, at=time.time())
    if errors:
        for e in errors:
            column = f" ({e.column})" if e.column else ""
            print(f"{args.file}:{e.row}{column}: {message_text(e.message_id, 'en', e.params)}", file=sys.stderr)
        print(f"nothing imported: {len(errors)} row error(s)", file=sys.stderr)
        return 2
    if args.codes_out:
        with args.codes_out.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["reference", "service_id", "date", "slot_start", "checkin_code"])
            for r in made:
                start = r.slot_start.strftime("%H:%M")
                w.writerow([r.reference, r.service_id, r.date.isoformat(), start, r.checkin_code])
    print(f"imported {len(made)} reservations")
    return 0


def _install_language_model(args: argparse.Namespace) -> int:
    try:
        from madoguchi.translations.machine import PackageRefused, install_model
    except ImportError:
        print("offline translation is not installed (pip install '.[translate]')", file=sys.stderr)
        return 2
    try:
        installed = install_model(args.file)
    except PackageRefused as exc:
        print(f"{args.file}: refused: {exc.explanation}", file=sys.stderr)
        return 2
    print(f"installed {installed}")
    return 0
