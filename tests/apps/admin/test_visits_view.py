"""The admin console's visits page against a real hall server: after a visit of three procedures has gone from
counter to counter, the day's figures (visits, completed, time in the hall, per life event by its configured name,
waits per procedure by name), in Japanese and in English; a screenshot of each."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from madoguchi.apps.admin.window import AdminWindow
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translator
from tests.support.qt_apps import drain_counter

ROUTE = [("koseki", 3), ("kokuho", 9), ("jido_teate", 10)]  # each step at its own counter


def _visit(srv: HallServerProcess) -> None:
    """A birth's visit: issued with its route, each step called and done at a counter serving it."""
    for _service, counter in ROUTE:
        drain_counter(srv, counter)
    with srv.client("kiosk-1") as kiosk:
        ticket = kiosk.issue("koseki", route=[s for s, _ in ROUTE], life_event="birth").ticket
    for service, counter in ROUTE:
        clerk = srv.staff_client(counter, staff_id="staff2")
        try:
            called = clerk.call_next(counter)
            assert called is not None and called.id == ticket.id and called.service_id == service
            clerk.done(ticket.id, counter)
        finally:
            clerk.close()


def _cells(table: QTableWidget) -> list[list[str]]:
    return [
        [item.text() if (item := table.item(r, c)) is not None else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_visits_page_shows_the_day(qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path, lang: str) -> None:
    _visit(hall_server)
    t = translator(lang)
    token = hall_server.tokens["admin-1"]
    client = AdminClient(hall_server.base_url, token)
    expected = client.visit_statistics()
    assert expected.visits >= 1 and expected.completed >= 1 and expected.by_event.get("birth", 0) >= 1
    window = AdminWindow(client, None, refresh_ms=60_000, language=lang, heartbeat_seconds=None)
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    visits = window.visits
    with qtbot.waitSignal(window.stats.loaded, timeout=15000):
        window.start()  # the hall's day reaches every statistics page
    window.tabs.setCurrentWidget(window.stats)
    with qtbot.waitSignal(visits.loaded, timeout=15000) as loaded:
        window.stats.pages.setCurrentWidget(visits)
    shown: m.VisitStats = loaded.args[0]
    assert shown.day == expected.day and shown.visits >= expected.visits
    assert window.stats.pages.tabText(window.stats.pages.indexOf(visits)) == t("admin.stats.page.visits")
    in_hall = (("mean", shown.in_hall_mean_min), ("p90", shown.in_hall_p90_min))
    minutes = {k: "—" if v is None else f"{v:.1f}" for k, v in in_hall}
    assert shown.in_hall_mean_min is not None and shown.in_hall_mean_min >= 0
    assert visits.summary.text() == t("admin.visits.summary", visits=shown.visits, completed=shown.completed, **minutes)
    events = {row[0]: row[1] for row in _cells(visits.by_event)}
    hall = window.hall
    assert hall is not None
    birth = next(e for e in hall.life_events if e["id"] == "birth")["name"]
    assert events[birth.get(lang) or birth["ja"]] == str(shown.by_event["birth"])
    steps = {row[0]: row for row in _cells(visits.steps)}
    for service, _counter in ROUTE:
        name = next(s.name for s in hall.services if s.id == service)
        row = steps[name.get(lang) or name["ja"]]  # by its name, never its id
        figures = next(s for s in shown.steps if s.service_id == service)
        assert row[1] == str(figures.visits) and row[2] != "" and row[3] != ""
    if lang == "ja":
        header = visits.steps.horizontalHeaderItem(2)
        assert header is not None and header.text() == t("admin.stats.col.wait_mean")
    window.grab().save(str(shots_dir / f"admin_visits_{lang}.png"))
    window.stop()
