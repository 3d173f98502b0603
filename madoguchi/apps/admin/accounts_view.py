"""Accounts tab: staff members and devices, and what an administrator does with them.

A lost kiosk or a leaked token: disable (or remove) the device; a clerk who left: disable or remove; an account
locked after repeated failed logins: unlock (after checking with the clerk). Removing asks first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.client.admin_client import AdminClient
from madoguchi.qt.tasks import run_task


def _when(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "—"


class AccountsView(QWidget):
    loaded = Signal()
    changed = Signal(str)  # what was done, as shown

    def __init__(self, client: AdminClient, texts: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.t = t = texts
        layout = QVBoxLayout(self)
        self.message = QLabel("")
        layout.addWidget(self.message)
        layout.addWidget(QLabel(t("admin.accounts.staff")))
        self.staff_table = self._table(
            [
                t("admin.accounts.id"),
                t("admin.accounts.name"),
                t("admin.accounts.state"),
                t("admin.accounts.failed_logins"),
                t("admin.accounts.sessions"),
            ]
        )
        layout.addWidget(self.staff_table, 1)
        self.staff_buttons = self._buttons(
            layout, ("disable", "enable", "unlock", "remove"), lambda action: self._act_on_staff(action)
        )
        layout.addWidget(QLabel(t("admin.accounts.devices")))
        self.device_table = self._table(
            [
                t("admin.accounts.name"),
                t("admin.accounts.role"),
                t("admin.accounts.counter"),
                t("admin.accounts.state"),
                t("admin.accounts.last_seen"),
            ]
        )
        layout.addWidget(self.device_table, 1)
        self.device_buttons = self._buttons(
            layout, ("disable", "enable", "remove"), lambda action: self._act_on_device(action)
        )
        self.staff: list[dict[str, Any]] = []
        self.devices: list[dict[str, Any]] = []

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _buttons(
        self, layout: QVBoxLayout, actions: tuple[str, ...], act: Callable[[str], None]
    ) -> dict[str, QPushButton]:
        row = QHBoxLayout()
        buttons = {}
        for action in actions:
            button = QPushButton(self.t(f"admin.accounts.{action}"))
            button.clicked.connect(lambda _=False, a=action: act(a))
            row.addWidget(button)
            buttons[action] = button
        row.addStretch(1)
        layout.addLayout(row)
        return buttons

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        run_task(lambda: (self.client.staff(), self.client.devices()), self._show, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(self.t("admin.accounts.failed", detail=getattr(exc, "detail", "") or type(exc).__name__))

    def _show(self, found: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        self.staff, self.devices = found
        t = self.t
        self.staff_table.setRowCount(len(self.staff))
        for i, member in enumerate(self.staff):
            state = "locked" if member["locked_at"] else ("active" if member["active"] else "disabled")
            cells = [
                member["staff_id"],
                member["display_name"],
                t(f"admin.accounts.state_{state}"),
                str(member["failed_logins"]),
                str(member["sessions"]),
            ]
            for j, text in enumerate(cells):
                self.staff_table.setItem(i, j, QTableWidgetItem(text))
        self.device_table.setRowCount(len(self.devices))
        for i, device in enumerate(self.devices):
            state = "active" if device["active"] else "disabled"
            counter = "" if device.get("counter") is None else str(device["counter"])
            cells = [
                device["name"],
                t.role(device["role"]),
                counter,
                t(f"admin.accounts.state_{state}"),
                _when(device.get("last_seen")),
            ]
            for j, text in enumerate(cells):
                self.device_table.setItem(i, j, QTableWidgetItem(text))
        self.loaded.emit()

    # ------------------------------------------------------------------ acting
    def _selected(self, table: QTableWidget, rows: list[dict[str, Any]], key: str) -> str | None:
        index = table.currentRow()
        if not 0 <= index < len(rows):
            self.message.setText(self.t("admin.accounts.choose"))
            return None
        return str(rows[index][key])

    def _act_on_staff(self, action: str) -> None:
        staff_id = self._selected(self.staff_table, self.staff, "staff_id")
        if staff_id is not None and (action != "remove" or self.confirm(staff_id)):
            self._run(lambda: self.client.change_staff(staff_id, action), staff_id, action)

    def _act_on_device(self, action: str) -> None:
        name = self._selected(self.device_table, self.devices, "name")
        if name is not None and (action != "remove" or self.confirm(name)):
            self._run(lambda: self.client.change_device(name, action), name, action)

    def confirm(self, who: str) -> bool:
        """Removing cannot be undone: asked first (tests answer through ``confirm``)."""
        answer = QMessageBox.question(
            self, self.t("admin.accounts.remove"), self.t("admin.accounts.confirm_remove", who=who)
        )
        return answer == QMessageBox.StandardButton.Yes

    def _run(self, change: Callable[[], None], who: str, action: str) -> None:
        def done(_: object) -> None:
            text = self.t(f"admin.accounts.done_{action}", who=who)
            self.message.setText(text)
            self.changed.emit(text)
            self.refresh()

        run_task(change, done, self._failed, parent=self)
