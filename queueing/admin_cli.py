"""``main.py admin``: the facility manager's console (no subcommand) and maintenance commands."""

from __future__ import annotations

import argparse
import getpass
import sys
import time

from queueing.cli_common import add_config_argument, add_data_arguments, data_paths

ROLES = ("kiosk", "staff", "display", "admin")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_arguments(parser)
    add_config_argument(parser)
    sub = parser.add_subparsers(dest="admin_command", metavar="ACTION")
    p = sub.add_parser("add-device", help="create a device token (printed once, stored hashed)")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, required=True)
    p = sub.add_parser("add-staff", help="create or reset a staff login (password asked on stdin)")
    p.add_argument("staff_id")
    p.add_argument("--display-name", default=None)
    sub.add_parser("list-devices", help="list devices, their roles and last heartbeat")
    sub.add_parser("purge-forms", help="delete all personal form data now (also done at every day reset)")


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from queueing.store import Store

    db_path, _ = data_paths(args)
    return Store(db_path)


def run(args: argparse.Namespace) -> int:
    from queueing.server.app import make_device, make_staff

    cmd = args.admin_command
    if cmd is None:
        print("main.py admin: the admin console is not available yet; see 'admin --help'", file=sys.stderr)
        return 2
    store = _store(args)
    if cmd == "add-device":
        token = make_device(store, args.name, args.role, time.time())
        print(token)
        print(f"device {args.name!r} ({args.role}): keep this token; it is not shown again", file=sys.stderr)
        return 0
    if cmd == "add-staff":
        if sys.stdin.isatty():
            password = getpass.getpass("password: ")
        else:
            password = sys.stdin.readline().rstrip("\n")
        if len(password) < 8:
            print("the password needs at least 8 characters", file=sys.stderr)
            return 2
        make_staff(store, args.staff_id, args.display_name or args.staff_id, password, time.time())
        print(f"staff {args.staff_id!r} saved", file=sys.stderr)
        return 0
    if cmd == "list-devices":
        for d in store.devices():
            seen = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(d["last_seen"])) if d["last_seen"] else "never"
            print(f"{d['name']:<24} {d['role']:<8} last seen {seen}")
        return 0
    if cmd == "purge-forms":
        from queueing.cli_common import load_config_or_exit
        from queueing.hall_service import HallService
        from queueing.security import FormCipher

        _, key_dir = data_paths(args)
        hall = HallService(load_config_or_exit(args.config), store, FormCipher(key_dir))
        print(f"purged {hall.purge_forms()} form records")
        return 0
    return 2
