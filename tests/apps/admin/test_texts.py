"""The admin console's texts come from the catalogs (``admin.*``), in the one language chosen with --language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from madoguchi import cli
from madoguchi.apps.admin import window as window_module
from madoguchi.apps.admin.texts import EXPORT_KINDS, PROBLEM_CODES, ROLES, TILE_STATES, AdminTexts
from madoguchi.apps.admin.window import AdminWindow
from madoguchi.client.admin_client import AdminClient
from madoguchi.server import device_health as health
from madoguchi.server.accounts import ROLES as ADMIN_CLI_ROLES
from madoguchi.translations.catalog import default_catalogs, translator
from madoguchi.translations.languages import codes


def _health_codes() -> set[str]:
    """Every problem code ``device_health`` can raise: the printer table plus the literal ``Problem("…")`` calls."""
    source = Path(health.__file__).read_text(encoding="utf-8")
    literal = set(re.findall(r'Problem\(\s*"([a-z_]+\.[a-z_]+)"', source))
    return literal | {code for code, _severity, _message in health._PRINTER_PROBLEMS.values()}


def test_every_health_code_has_a_text_and_unknown_codes_fall_back() -> None:
    assert _health_codes() == set(PROBLEM_CODES)
    catalog = default_catalogs()
    for lang in ("ja", "en"):
        t = AdminTexts(lang)
        for code in PROBLEM_CODES:
            assert t.problem(code, "server words") == catalog.translate(lang, f"admin.problem.{code}")
        assert t.problem("printer.on_fire", "printer on fire") == "printer on fire"  # newer server, older console
        assert t.problem("printer.on_fire") == "printer.on_fire"
        assert t.state("purple") == "purple" and t.role("robot") == "robot"


def test_states_roles_and_exports_are_catalogued_in_ja_and_en() -> None:
    assert set(ROLES) == set(ADMIN_CLI_ROLES)
    ja, en = AdminTexts("ja"), AdminTexts("en")
    assert [ja.state(s) for s in TILE_STATES] == ["正常", "注意", "異常", "未接続"]
    assert [en.state(s) for s in TILE_STATES] == ["OK", "Warning", "Problem", "Never seen"]
    assert [en.role(r) for r in ROLES] == [translator("en")(f"admin.role.{r}") for r in ROLES]
    assert en.export("open-data") == "Open data" and ja.export("open-data") == "オープンデータ"
    assert all(ja.export(k) != k and en.export(k) != k for k in EXPORT_KINDS)


@pytest.mark.parametrize("lang", codes())
def test_window_builds_in_every_shipped_language(qtbot: QtBot, shots_dir: Path, lang: str) -> None:
    """No server needed: every fixed text resolves (a missing message raises while tests run)."""
    window = AdminWindow(AdminClient("http://127.0.0.1:9", "unused"), language=lang)
    qtbot.addWidget(window)
    window.resize(1200, 800)  # the console's own default size
    window.tabs.setCurrentWidget(window.stats)  # the widest row of buttons
    window.show()
    qtbot.waitExposed(window)
    assert window.grab().save(str(shots_dir / f"empty-statistics-{lang}.png"))
    assert window.minimumSizeHint().width() <= 1200, "the statistics buttons no longer fit the default width"
    t = translator(lang)
    assert window.windowTitle() == t("admin.window.title")
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        t("admin.tab.devices"),
        t("admin.tab.alerts"),
        t("admin.tab.statistics"),
        t("admin.tab.operations"),
        t("admin.tab.accounts"),
        t("reservations.tab"),
        t("admin.tab.live"),
    ]
    assert window.operations.backup_button.text() == t("admin.ops.backup_now")
    window._failed(ConnectionError())
    assert window.statusBar().currentMessage() == t("admin.status.unreachable", error="ConnectionError")
    window._on_connection(False)
    assert window.link.text() == t("admin.link.reconnecting")


def test_cli_language_option(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    class FakeWindow:
        def __init__(self, client: Any, events: Any, *, language: str, buildings: Any = None) -> None:
            opened.append(language)

        def show(self) -> None:
            pass

        def start(self) -> None:
            QTimer.singleShot(0, QApplication.instance().quit)  # type: ignore[union-attr]

        def stop(self) -> None:
            pass

    monkeypatch.setattr(window_module, "AdminWindow", FakeWindow)
    token = tmp_path / "admin.token"
    token.write_text("tok\n", encoding="utf-8")
    base = ["admin-console", "--server", "http://127.0.0.1:9", "--token-file", str(token)]
    assert cli.main([*base, "--language", "en"]) == 0
    assert cli.main(base) == 0
    assert opened == ["en", "ja"]  # Japanese unless told otherwise
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args([*base, "--language", "xx"])
