"""Every error code a resident or a member of staff can meet has a message in every language."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import madoguchi.server.web.app as web_app
from madoguchi.client import hall_client
from madoguchi.core.forms.messages import MESSAGES
from madoguchi.core.forms.payload import PayloadErrorReason
from madoguchi.devices.card.errors import CardError, CardErrorReason
from madoguchi.devices.printer.errors import PrinterErrorReason
from madoguchi.devices.scanner.errors import ScannerErrorReason
from madoguchi.server import engine, hall_service, reservations
from madoguchi.translations.catalog import Catalogs, placeholders
from madoguchi.translations.languages import codes


def _subclasses(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _server_codes() -> set[str]:
    """Codes the server puts in ``ErrorBody.error``: its typed errors and the handlers' literal codes."""
    assert hall_service.NotAllowed and reservations.ReservationRefused  # their modules define QueueErrors
    queue_codes = {engine.QueueError.code} | {cls.code for cls in _subclasses(engine.QueueError)}
    source = Path(inspect.getfile(web_app)).read_text(encoding="utf-8")
    literal = set(re.findall(r'"error": "([a-z_.]+)"', source))
    literal |= set(re.findall(r'\d{3}: "([a-z_.]+)"', source))
    return queue_codes | literal


def _message_ids() -> dict[str, str]:
    ids: dict[str, str] = {}
    ids |= {reason.message_id: "printer" for reason in PrinterErrorReason}
    ids |= {CardError(reason).message_id: "card" for reason in CardErrorReason}
    ids |= {reason.message_id: "scanner" for reason in ScannerErrorReason}
    ids |= {reason.value: "payload" for reason in PayloadErrorReason}
    ids |= {msgid: "forms" for msgid in MESSAGES}
    clients = [hall_client.ClientError, *_subclasses(hall_client.ClientError)]
    ids |= {cls.message_id: "client" for cls in clients}
    ids |= {"server.error.internal": "kiosk", "server.error.rejected": "kiosk"}
    for code in _server_codes():
        # reservation refusals carry their message id as the code; the rest are explained as server.code.*
        ids[code if code.startswith("reservation.") and code != "reservation.error" else f"server.code.{code}"] = (
            "server"
        )
    return ids


def test_the_walk_finds_every_family() -> None:
    ids = _message_ids()
    assert len([i for i, family in ids.items() if family == "printer"]) == 14
    assert len([i for i, family in ids.items() if family == "card"]) == len(CardErrorReason)
    assert "server.code.queue.counter_busy" in ids and "server.code.auth.required" in ids
    assert "reservation.error.already_checked_in" in ids
    assert "payload.error.form_changed" in ids


@pytest.mark.parametrize("lang", codes())
def test_every_error_code_has_a_message(catalogs: Catalogs, lang: str) -> None:
    missing = sorted(msgid for msgid in _message_ids() if not catalogs.has(lang, msgid))
    assert not missing, f"{lang}: no text for {missing}"


def test_the_pre_fill_sites_copy_matches_the_catalogs(catalogs: Catalogs) -> None:
    for msgid, texts in MESSAGES.items():
        for lang, text in texts.items():
            assert catalogs.messages(lang)[msgid] == text, (lang, msgid)
            assert placeholders(text) == placeholders(catalogs.messages("ja")[msgid])


def test_staff_see_the_servers_own_reason() -> None:
    from madoguchi.apps.staff.counter_controller import error_message_id

    busy = hall_client.Conflict("busy", 409, code="queue.counter_busy")
    assert error_message_id(busy) == "staff.error.counter_busy"  # the staff's own words first
    booking = hall_client.Conflict("full", 409, code="book.error")
    assert error_message_id(booking) == "server.code.book.error"  # else the code's general text
    assert error_message_id(hall_client.Conflict("?", 409, code="queue.something_new")) == "server.error.conflict"
    assert error_message_id(RuntimeError()) == "server.error.internal"
