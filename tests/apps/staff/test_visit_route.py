"""A visit of several procedures on the staff consoles against a real hall server: the route in the current-ticket
panel, a procedure added and taken off, a refusal in words, Done sending the ticket to its next counter with the
console saying where, the next counter's console showing the step done, its 2/3 mark and its procedure's part of
the one form. Screenshots of each."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from madoguchi.apps.staff.staff_console import StaffConsole
from madoguchi.client.local_server import HallServerProcess
from madoguchi.translations.catalog import translate
from tests.support.qt_apps import drain_counter, logged_in_console, press

FIRST, SECOND = 5, 9  # 転入届 (tennyu) at 5; 国民健康保険 and 児童手当 (kokuho, jido_teate) at 9 and 10
ROUTE = ["tennyu", "kokuho", "jido_teate"]
#: the moving-in form, filled once at the kiosk (made-up data); each counter sees its own procedure's fields
FORM = {
    "name": "山田 花子",
    "kana": "ヤマダ ハナコ",
    "birth_date": "1985-04-01",
    "address": "東京都みどり市本町1-2-3",
    "previous_address": "大阪府さくら市中町4-5-6",
    "moved_on": "2026-11-30",
}


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def _states(console: StaffConsole) -> list[tuple[str, str]]:
    return console.counter_screen.current.route.states()


def test_a_visit_goes_from_counter_to_counter(qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path) -> None:
    for counter in (FIRST, SECOND):
        drain_counter(hall_server, counter)
    kiosk = hall_server.client("kiosk-1")
    visit = kiosk.issue("tennyu", route=ROUTE, life_event="moving_in", language="pt-BR", form=FORM).ticket
    full = kiosk.issue("tenkyo", route=["tenkyo", "mynumber", "kokuho", "jido_teate", "inkan", "koseki"]).ticket

    (shots_dir / "visit").mkdir(exist_ok=True)
    first = logged_in_console(qtbot, hall_server, FIRST, "staff1")
    screen = first.counter_screen
    route = screen.current.route
    qtbot.waitUntil(lambda: visit.number in screen.waiting.numbers(), timeout=10000)
    row = screen.waiting.numbers().index(visit.number)
    assert _cell(screen.waiting.table, row, 3) == translate("ja", "staff.route.step_mark", step="1", steps="3")
    buttons = screen.action_buttons.buttons
    press(qtbot, first, buttons["call_next"], "call_next")
    qtbot.waitUntil(lambda: screen.current.number.text() == visit.number, timeout=10000)
    assert _states(first) == [("tennyu", "current"), ("kokuho", "pending"), ("jido_teate", "pending")]
    assert route.steps.isVisible() and _cell(route.table, 1, 1) == "国民健康保険"
    assert _cell(route.table, 0, 2).endswith(translate("ja", "staff.route.state.current"))

    # the clerk adds マイナンバーカード at the end, then takes it off again (it stays listed, struck out)
    route.service_choice.setCurrentIndex(route.service_choice.findData("mynumber"))
    press(qtbot, first, route.add_last, "add_step")
    qtbot.waitUntil(lambda: [s for s, _ in _states(first)] == [*ROUTE, "mynumber"], timeout=10000)
    assert route.service_choice.findData("mynumber") == -1  # on the route now: not offered twice
    assert route.select("mynumber")
    press(qtbot, first, route.remove, "remove_step")
    qtbot.waitUntil(lambda: ("mynumber", "pending") not in _states(first), timeout=10000)
    assert [st for s, st in _states(first) if s == "mynumber"] in ([], ["dropped"])
    assert route.select("tennyu") and not route.remove.isEnabled()  # the step now is not taken off
    qtbot.waitUntil(lambda: visit.number not in screen.waiting.numbers(), timeout=10000)  # called: not waiting
    first.grab().save(str(shots_dir / "visit" / "staff_route_first_counter.png"))

    # Done: the ticket goes on to 国民健康保険 by itself, and the console says where the resident goes
    press(qtbot, first, buttons["done"], "done")
    qtbot.waitUntil(screen.next_step.isVisible, timeout=10000)
    said = screen.next_step.text()
    assert visit.number in said and "国民健康保険" in said and "9・10番窓口" in said and "2階" in said
    assert translate("ja", "staff.route.step_mark", step="2", steps="3") in said
    qtbot.waitUntil(lambda: first.controller.current is None, timeout=10000)
    first.grab().save(str(shots_dir / "visit" / "staff_route_where_next.png"))

    # a route at the hall's limit (max_steps = 6) cannot take one more: the refusal in words
    press(qtbot, first, buttons["call_next"], "call_next")
    qtbot.waitUntil(lambda: screen.current.number.text() == full.number, timeout=10000)
    assert not screen.next_step.isVisible()  # the last resident's directions are gone with the next call
    route.service_choice.setCurrentIndex(route.service_choice.findData("juminhyo"))
    with qtbot.waitSignal(first.controller.error, timeout=10000) as refused:
        route.add_next.click()
    assert refused.args == ["server.code.visit.too_many_steps"]
    qtbot.waitUntil(lambda: screen.status.text() == translate("ja", "server.code.visit.too_many_steps"))
    press(qtbot, first, buttons["cancel"], "cancel")

    # the next counter: the ticket waits as step 2 of 3, and its route shows the first step done at counter 5
    second = logged_in_console(qtbot, hall_server, SECOND, "staff2")
    other = second.counter_screen
    qtbot.waitUntil(lambda: visit.number in other.waiting.numbers(), timeout=10000)
    row = other.waiting.numbers().index(visit.number)
    assert _cell(other.waiting.table, row, 3) == translate("ja", "staff.route.step_mark", step="2", steps="3")
    press(qtbot, second, other.action_buttons.buttons["call_next"], "call_next")
    qtbot.waitUntil(lambda: other.current.number.text() == visit.number, timeout=10000)
    assert [st for s, st in _states(second) if s in ROUTE] == ["done", "current", "pending"]
    assert _cell(other.current.route.table, 0, 2).endswith(translate("ja", "staff.route.done_at", counter=str(FIRST)))
    assert translate("ja", "staff.route.step_mark", step="2", steps="3") in other.current.marks.text()
    qtbot.waitUntil(lambda: visit.number not in other.waiting.numbers(), timeout=10000)
    sheet = other.form
    qtbot.waitUntil(lambda: sheet.showing, timeout=10000)  # the one form, as this procedure needs it
    assert sheet.title.text() == "国民健康保険 届出書"
    shown = {r.key: r.value for r in sheet.rows}
    assert shown["name"] == "山田 花子" and "previous_address" not in shown and "moved_on" not in shown
    second.grab().save(str(shots_dir / "visit" / "staff_route_second_counter.png"))

    press(qtbot, second, other.action_buttons.buttons["done"], "done")
    qtbot.waitUntil(lambda: "児童手当" in other.next_step.text(), timeout=10000)
    assert second.mini.next_step.text() == other.next_step.text()  # said in mini mode too
    press(qtbot, second, other.action_buttons.buttons["call_next"], "call_next")
    qtbot.waitUntil(lambda: other.current.number.text() == visit.number, timeout=10000)
    assert [st for s, st in _states(second) if s in ROUTE] == ["done", "done", "current"]
    press(qtbot, second, other.action_buttons.buttons["done"], "done")
    qtbot.waitUntil(lambda: other.next_step.text() == translate("ja", "staff.route.all_done", number=visit.number))
    first.close()
    second.close()
