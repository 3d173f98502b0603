"""The admin console's accounts tab: a locked clerk unlocked, a lost kiosk disabled and removed, in ja and en."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from madoguchi.apps.admin.window import AdminWindow
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.hall_client import NotAuthorized
from madoguchi.client.local_server import HallServerProcess
from madoguchi.translations.catalog import translator


@pytest.fixture
def strict_hall(tmp_path: Path, example_config_path: Path) -> Iterator[HallServerProcess]:
    config = tmp_path / "hall.toml"
    text = example_config_path.read_text(encoding="utf-8")
    config.write_text(text.replace("lock_after_failed_logins = 10", "lock_after_failed_logins = 3"), encoding="utf-8")
    with HallServerProcess(tmp_path / "server", config_path=config) as srv:
        yield srv


def _row(table: object, column: int, text: str) -> int:
    for r in range(table.rowCount()):  # type: ignore[attr-defined]
        if table.item(r, column).text() == text:  # type: ignore[attr-defined]
            return r
    raise AssertionError(f"{text} not in the table")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_unlock_a_clerk_disable_and_remove_a_lost_kiosk(
    qtbot: QtBot, strict_hall: HallServerProcess, shots_dir: Path, lang: str
) -> None:
    t = translator(lang)
    pc = strict_hall.client("counter-pc-1")
    for _ in range(3):
        with pytest.raises(NotAuthorized):
            pc.login("staff3", "a-guess")
    window = AdminWindow(AdminClient(strict_hall.base_url, strict_hall.tokens["admin-1"]), language=lang)
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    view = window.accounts
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.tabs.setCurrentWidget(view)
    staff = view.staff_table
    row = _row(staff, 0, "staff3")
    assert staff.item(row, 2).text() == t("admin.accounts.state_locked") and staff.item(row, 3).text() == "3"
    assert view.device_table.item(_row(view.device_table, 0, "counter-pc-4"), 2).text() == "4"
    assert window.grab().save(str(shots_dir / f"{lang}-accounts-locked.png"))

    staff.selectRow(row)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.staff_buttons["unlock"].click()
    assert staff.item(_row(staff, 0, "staff3"), 2).text() == t("admin.accounts.state_active")
    assert view.message.text() == t("admin.accounts.done_unlock", who="staff3")
    assert pc.login("staff3", strict_hall.staff_password).staff_id == "staff3"

    devices = view.device_table
    devices.selectRow(_row(devices, 0, "kiosk-3"))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.device_buttons["disable"].click()
    assert devices.item(_row(devices, 0, "kiosk-3"), 3).text() == t("admin.accounts.state_disabled")
    with pytest.raises(NotAuthorized):
        strict_hall.client("kiosk-3").hall()
    assert window.grab().save(str(shots_dir / f"{lang}-accounts-kiosk-disabled.png"))

    asked: list[str] = []
    view.confirm = lambda who: asked.append(who) or True  # type: ignore[method-assign]
    devices.selectRow(_row(devices, 0, "kiosk-3"))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.device_buttons["remove"].click()
    assert asked == ["kiosk-3"]
    assert "kiosk-3" not in {devices.item(r, 0).text() for r in range(devices.rowCount())}
    window.close()
