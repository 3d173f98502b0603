"""Help → About shows Madoguchi's licence and the third-party notices (the voice's CC BY, the LGPL parts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from madoguchi import package_version
from madoguchi.apps.admin.about_dialog import AboutDialog, notices_text
from madoguchi.apps.admin.window import AdminWindow
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.translations.catalog import translator

REPO = Path(__file__).resolve().parents[3]


def test_the_notices_are_the_files_of_this_tree() -> None:
    assert notices_text() == (REPO / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["ja", "en", "ja-easy"])
def test_about_shows_licence_and_notices(
    qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path, lang: str
) -> None:
    t = translator(lang)
    window = AdminWindow(AdminClient(hall_server.base_url, hall_server.tokens["admin-1"]), language=lang)
    qtbot.addWidget(window)
    window.show()
    menu = window.menuBar().actions()[0]
    assert menu.text() == t("admin.menu.help")
    assert window.about_action.text() == t("admin.menu.about")
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == t("admin.about.title")
    assert "Apache License 2.0" in dialog.licence.text()
    notices = dialog.notices.toPlainText()
    assert package_version() and "Nagoya Institute of Technology" in notices
    assert "Creative Commons Attribution 3.0" in notices and "pyscard" in notices
    assert dialog.notices.isReadOnly()
    dialog.grab().save(str(shots_dir / f"about-{lang}.png"))
    close = next(b for b in dialog.findChildren(QPushButton) if b.text() == t("admin.about.close"))
    with qtbot.waitSignal(dialog.rejected):
        close.click()
    assert not dialog.isVisible()
