"""Device and staff accounts: created here, stored hashed (a device token is shown once, never stored)."""

from __future__ import annotations

import json
from typing import Any

from madoguchi.server.security import hash_password, new_token, token_hash
from madoguchi.server.store import Store

ROLES = ("kiosk", "staff", "display", "admin")
#: how the audit names ``madoguchi admin`` (the server's own devices have their names)
CLI_DEVICE = "admin-cli"


class ProvisionError(ValueError):
    """An account that cannot be made as asked; the message names the entry (never a password)."""


def make_device(store: Store, name: str, role: str, now: float, counter: int | None = None) -> str:
    """Create or replace a device (a counter PC bound to ``counter``); returns its token (shown once, stored
    hashed)."""
    if role == "staff" and counter is None:
        raise ProvisionError(f"{name}: a staff PC is bound to its counter (give the counter number)")
    token = new_token()
    store.add_device(name, role, token_hash(token), now, counter if role == "staff" else None)
    return token


def make_staff(store: Store, staff_id: str, display_name: str | None, password: str, now: float) -> None:
    """A new staff member, or a new password for one (``display_name`` None: the name stays as it was)."""
    store.add_staff(staff_id, display_name, hash_password(password), now)


STAFF_ACTIONS = ("disable", "enable", "unlock", "remove")
DEVICE_ACTIONS = ("disable", "enable", "remove")


def change_staff(store: Store, staff_id: str, action: str) -> bool:
    """disable (ends their sessions), enable, unlock or remove; False when there is no such member."""
    if action in ("disable", "enable"):
        return store.set_staff_active(staff_id, action == "enable")
    if action == "unlock":
        return store.unlock_staff(staff_id)
    if action == "remove":
        return store.remove_staff(staff_id)
    raise ValueError(action)


def change_device(store: Store, name: str, action: str) -> bool:
    """disable (its token refused, its sessions ended), enable or remove; False when there is no such device."""
    if action in ("disable", "enable"):
        return store.set_device_active(name, action == "enable")
    if action == "remove":
        return store.remove_device(name)
    raise ValueError(action)


def audit_account_change(store: Store, now: float, action: str, subject: str, by: str) -> None:
    """An account change in the audit (``by``: the admin device, or ``admin-cli`` for the command line)."""
    with store.write():
        store.audit(now, action, staff_id=None, device=by, counter=None, ticket_id=None, subject=subject)


def provision(store: Store, spec: dict[str, Any], now: float) -> dict[str, str]:
    """Create the devices and staff of ``spec`` in one go; returns each device's new token by name.

    ``spec``: ``{"devices": [{"name": …, "role": …, "counter": …}], "staff": [{"id": …, "display_name": …,
    "password": …}]}`` (``counter``: the counter a staff PC serves).
    Everything is checked before anything is written.
    """
    devices = spec.get("devices", [])
    staff = spec.get("staff", [])
    if not isinstance(devices, list) or not isinstance(staff, list):
        raise ProvisionError('"devices" and "staff" must be lists')
    for i, d in enumerate(devices):
        if not isinstance(d, dict) or not isinstance(d.get("name"), str) or d.get("role") not in ROLES:
            raise ProvisionError(f"devices[{i}]: needs a name and a role ({', '.join(ROLES)})")
        if d["role"] == "staff" and not isinstance(d.get("counter"), int):
            raise ProvisionError(f"devices[{i}] ({d['name']}): a staff PC needs its counter number")
    for i, s in enumerate(staff):
        if not isinstance(s, dict) or not isinstance(s.get("id"), str) or not isinstance(s.get("password"), str):
            raise ProvisionError(f"staff[{i}]: needs an id and a password")
        if len(s["password"]) < 8:
            raise ProvisionError(f"staff[{i}] ({s['id']}): the password needs at least 8 characters")
    tokens = {d["name"]: make_device(store, d["name"], d["role"], now, d.get("counter")) for d in devices}
    for s in staff:
        make_staff(store, s["id"], s.get("display_name") or None, s["password"], now)
    for name in tokens:
        audit_account_change(store, now, "account.device.new_token", name, CLI_DEVICE)
    for s in staff:
        audit_account_change(store, now, "account.staff.password", s["id"], CLI_DEVICE)
    return tokens


def read_spec(text: str) -> dict[str, Any]:
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProvisionError(f"not JSON (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(spec, dict):
        raise ProvisionError("the provisioning file must hold a JSON object")
    return spec
