"""The pre-filled form on the console: laid out per form, audited on the server, individual number masked."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from tests.support.qt_apps import drain_counter, login, make_console

COUNTER = 10  # jido_teate + kokuho
NUMBER = "123456789018"
FORM = {
    "name": "山田 花子",
    "address": "東京都みどり市本町1-2-3",
    "birth_date": "1985-04-01",
    "sex": "female",
    "individual_number": NUMBER,
    "phone": "03-1234-5678",
}


def _audit(db: Path, ticket_id: int) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT action FROM audit WHERE ticket_id = ? ORDER BY id", (ticket_id,)).fetchall()
    return [r[0] for r in rows]


def _call_next_with_its_form(qtbot: QtBot, console: Any) -> tuple[Any, Any]:
    """staff2 logs in on ``console``, calls the next ticket and waits for its form on screen."""
    qtbot.addWidget(console)
    console.show()
    with qtbot.waitSignal(console.controller.logged_in, timeout=10000):
        login(console, "staff2")
    buttons = console.counter_screen.action_buttons.buttons
    qtbot.waitUntil(lambda: buttons["call_next"].isEnabled() and console.controller.hall is not None, timeout=10000)
    buttons["call_next"].click()
    sheet = console.counter_screen.form
    qtbot.waitUntil(lambda: sheet.showing, timeout=10000)
    return buttons, sheet


@pytest.mark.parametrize("form_answer", ["prompt", "slow"])
def test_form_is_shown_masked_audited_and_cleared(
    qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path, tmp_path: Path, form_answer: str
) -> None:
    drain_counter(hall_server, COUNTER)
    issued = hall_server.client("kiosk-1").issue("kokuho", language="pt-BR", source="card", form=FORM).ticket
    console = make_console(hall_server, COUNTER)
    if form_answer == "slow":  # the queue refresh after the call answers first and names the ticket again
        client = console.controller.client
        read_form = client.form

        def slow_form(ticket_id: int) -> m.FormView:
            time.sleep(0.5)
            return read_form(ticket_id)

        client.form = slow_form  # type: ignore[method-assign]
    buttons, sheet = _call_next_with_its_form(qtbot, console)

    assert sheet.title.text() == "国民健康保険 届出書"
    labels = [r.label for r in sheet.rows]
    assert labels[:4] == ["氏名", "住所", "生年月日", "性別"]  # the paper form's order
    values = {r.key: r.value for r in sheet.rows}
    assert values["name"] == "山田 花子"
    assert values["sex"] == "女"
    assert "昭和60年" in values["birth_date"]
    assert NUMBER not in values["individual_number"] and values["individual_number"].endswith(NUMBER[-4:])
    assert _audit(hall_server.db_path, issued.id) == ["form.view"]  # read once, audited once
    console.grab().save(str(shots_dir / "staff_console_form_masked.png"))

    sheet.copy_buttons["name"].click()
    assert QGuiApplication.clipboard().text() == "山田 花子"

    pdf = sheet.export_pdf(tmp_path / "form.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000

    assert sheet.show_button is not None
    with qtbot.waitSignal(console.controller.individual_number_revealed, timeout=10000):
        sheet.show_button.click()
    qtbot.waitUntil(lambda: {r.key: r.value for r in sheet.rows}["individual_number"] == NUMBER)
    assert _audit(hall_server.db_path, issued.id) == ["form.view", "form.reveal_individual_number"]

    buttons["done"].click()
    qtbot.waitUntil(lambda: not sheet.showing, timeout=10000)
    assert sheet.rows == [] and not sheet.copy_buttons
    assert not any(NUMBER in w.text() or "山田" in w.text() for w in console.findChildren(type(sheet.title))), (
        "form data must leave the screen when the ticket is done"
    )
    console.close()


def test_markup_in_a_form_is_shown_as_the_text_it_is(qtbot: QtBot, hall_server: HallServerProcess) -> None:
    """A name that is HTML must not show another name than the one written (rich text would hide 本物)."""
    drain_counter(hall_server, COUNTER)
    forged = "<b>山田 花子</b><span style='font-size:1px'>本物</span>"
    hall_server.client("kiosk-1").issue("kokuho", source="card", form={**FORM, "name": forged})
    console = make_console(hall_server, COUNTER)
    buttons, sheet = _call_next_with_its_form(qtbot, console)
    shown = sheet.findChild(QLabel, "value_name")
    assert shown is not None and shown.text() == forged
    assert shown.textFormat() == Qt.TextFormat.PlainText
    buttons["done"].click()
    qtbot.waitUntil(lambda: not sheet.showing, timeout=10000)
    console.close()
